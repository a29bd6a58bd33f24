import { createElement } from 'lwc';
import QuoteList, { SEARCH_DELAY_MS } from 'c/quoteList';
import { NavigationMixin } from 'lightning/navigation';
import listQuotes from '@salesforce/apex/QuoteController.listQuotes';
import createQuote from '@salesforce/apex/QuoteController.createQuote';
import listEndCustomers from '@salesforce/apex/QuoteController.listEndCustomers';
import createEndCustomer from '@salesforce/apex/QuoteController.createEndCustomer';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import listMyAgreements from '@salesforce/apex/AgreementController.listMyAgreements';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';

import QUOTES_RESELLER from './data/listQuotesReseller.json';
import QUOTES_DISTRIBUTOR from './data/listQuotesDistributor.json';
import END_CUSTOMERS from './data/listEndCustomers.json';
import CATALOG from './data/getCatalog.json';
import CREATED from './data/createQuote.json';
import USER_RESELLER from './data/userReseller.json';
import USER_DISTRIBUTOR from './data/userDistributor.json';

jest.mock('@salesforce/apex/QuoteController.listQuotes', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.createQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.listEndCustomers', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.createEndCustomer', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getCatalog', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AgreementController.listMyAgreements', () => ({ default: jest.fn() }), { virtual: true });

// The reseller's agreements: Nordlys (Active all year), Pacific (Active from July), an old Expired one.
const AGREEMENTS = [
  {
    id: 'ag-1',
    sellerId: 'd-emea',
    sellerName: 'Nordlys Distribution AB',
    status: 'Active',
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
  },
  {
    id: 'ag-2',
    sellerId: 'd-amer',
    sellerName: 'Pacific Channel Inc.',
    status: 'Active',
    validFrom: '2026-07-01',
    validTo: null,
  },
  {
    id: 'ag-3',
    sellerId: 'd-old',
    sellerName: 'Old Distribution',
    status: 'Expired',
    validFrom: '2024-01-01',
    validTo: '2024-12-31',
  },
];
jest.mock('@salesforce/apex/SessionController.getCurrentUser', () => ({ default: jest.fn() }), { virtual: true });

// Navigation that records where the component went and gives each page reference its own URL.
jest.mock('lightning/navigation', () => {
  const Navigate = Symbol('Navigate');
  const GenerateUrl = Symbol('GenerateUrl');
  const Mixin = (Base) =>
    class extends Base {
      [Navigate](ref) {
        Mixin.navigated.push(ref);
      }
      [GenerateUrl](ref) {
        return Promise.resolve(`/page/${ref.attributes.recordId ?? ref.attributes.name}`);
      }
    };
  Mixin.Navigate = Navigate;
  Mixin.GenerateUrl = GenerateUrl;
  Mixin.navigated = [];
  return { NavigationMixin: Mixin, CurrentPageReference: jest.fn() };
});

// A macrotask: every pending promise (Apex answers, generated URLs) has settled and rendered by then.
// eslint-disable-next-line @lwc/lwc/no-async-operation
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount(user, quotes) {
  getCurrentUser.mockResolvedValue(user);
  listQuotes.mockResolvedValue(quotes);
  const element = createElement('c-quote-list', { is: QuoteList });
  document.body.appendChild(element);
  await settle();
  return element;
}

const headers = (element) => [...element.shadowRoot.querySelectorAll('thead th')].map((th) => th.textContent);

describe('c-quote-list', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
    jest.useRealTimers();
    NavigationMixin.navigated.length = 0;
  });

  it('lists a reseller’s quotes with a link to each, without Net or Reseller columns', async () => {
    const element = await mount(USER_RESELLER, QUOTES_RESELLER);
    expect(listQuotes).toHaveBeenCalledWith({});
    const rows = element.shadowRoot.querySelectorAll('tr.quote-row');
    expect(rows).toHaveLength(QUOTES_RESELLER.length);
    const link = rows[0].querySelector('a.quote-link');
    expect(link.textContent).toBe(QUOTES_RESELLER[0].number);
    expect(link.getAttribute('href')).toBe(`/page/${QUOTES_RESELLER[0].id}`);
    expect(headers(element)).not.toContain('Net total');
    expect(headers(element)).not.toContain('Reseller');
    expect(rows[0].textContent).toContain('EUR 27,297.00');
    expect(rows[0].textContent).toContain('Renewal');
    // Dates in the user's locale (en-US under jest), not ISO: start 2026-12-14, expires 2026-12-23.
    expect(rows[0].textContent).toContain('Dec 14, 2026');
    expect(rows[0].textContent).toContain('Dec 23, 2026');
    expect(rows[0].querySelectorAll('td')[4].textContent).toBe('Dec 14, 2026');
    expect(element.shadowRoot.querySelector('lightning-button.new-quote')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows a distributor the Net and Reseller columns, and no New quote button', async () => {
    const element = await mount(USER_DISTRIBUTOR, QUOTES_DISTRIBUTOR);
    expect(headers(element)).toEqual(expect.arrayContaining(['Reseller', 'Net total']));
    expect(headers(element)).not.toContain('Distributor');
    const first = element.shadowRoot.querySelector('tr.quote-row');
    expect(first.textContent).toContain(QUOTES_DISTRIBUTOR[0].resellerName);
    expect(first.textContent).toContain(QUOTES_DISTRIBUTOR[0].netTotal.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
    expect(element.shadowRoot.querySelector('lightning-button.new-quote')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('filters by status on the server', async () => {
    const element = await mount(USER_RESELLER, QUOTES_RESELLER);
    listQuotes.mockResolvedValue([QUOTES_RESELLER[2]]);
    const select = element.shadowRoot.querySelector('select.status-filter');
    select.value = 'Ordered';
    select.dispatchEvent(new CustomEvent('change'));
    await settle();
    expect(listQuotes).toHaveBeenLastCalledWith({ status: 'Ordered' });
    expect(element.shadowRoot.querySelectorAll('tr.quote-row')).toHaveLength(1);
    expect(element.shadowRoot.querySelector('.quote-count').textContent).toBe('1 quote');
  });

  it('searches once the user stops typing', async () => {
    const element = await mount(USER_RESELLER, QUOTES_RESELLER);
    jest.useFakeTimers();
    const search = element.shadowRoot.querySelector('lightning-input.search');
    for (const text of ['S', 'Sk', 'Skä']) {
      search.value = text;
      search.dispatchEvent(new CustomEvent('change'));
    }
    expect(listQuotes).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(SEARCH_DELAY_MS);
    expect(listQuotes).toHaveBeenCalledTimes(2);
    expect(listQuotes).toHaveBeenLastCalledWith({ search: 'Skä' });
  });

  it('sorts by a column (exactly for amounts, currency first) and back, and says so to screen readers', async () => {
    const quotes = [
      { ...QUOTES_RESELLER[0], id: 'qa', number: 'Q-00002', currency: 'EUR', customerTotal: '900.10', startDate: '2026-12-01' },
      { ...QUOTES_RESELLER[0], id: 'qb', number: 'Q-00010', currency: 'EUR', customerTotal: '10000.00', startDate: '2026-11-01' },
      { ...QUOTES_RESELLER[0], id: 'qc', number: 'Q-00001', currency: 'EUR', customerTotal: '900.09', startDate: '2027-01-01' },
    ];
    const element = await mount(USER_RESELLER, quotes);
    const order = () => [...element.shadowRoot.querySelectorAll('tr.quote-row')].map((r) => r.dataset.id);
    const header = (key) => element.shadowRoot.querySelector(`button[data-sort="${key}"]`);
    // The server's order until a column is chosen.
    expect(order()).toEqual(['qa', 'qb', 'qc']);
    header('customerTotal').click();
    await settle();
    expect(order()).toEqual(['qc', 'qa', 'qb']);
    expect(header('customerTotal').closest('th').getAttribute('aria-sort')).toBe('ascending');
    header('customerTotal').click();
    await settle();
    expect(order()).toEqual(['qb', 'qa', 'qc']);
    expect(header('customerTotal').closest('th').getAttribute('aria-sort')).toBe('descending');
    header('number').click();
    await settle();
    // Numbers in their natural order, whatever their width.
    expect(order()).toEqual(['qc', 'qa', 'qb']);
    expect(header('customerTotal').closest('th').getAttribute('aria-sort')).toBe('none');
    expect(element.shadowRoot.querySelector('caption').textContent).toBe('Your quotes, by quote number, ascending');
    await expect(element).toBeAccessible();
  });

  it('shows a long list a page at a time', async () => {
    const quotes = Array.from({ length: 120 }, (_, i) => ({
      ...QUOTES_RESELLER[0],
      id: `q${i}`,
      number: `Q-${String(i + 1).padStart(5, '0')}`,
    }));
    const element = await mount(USER_RESELLER, quotes);
    const rows = () => element.shadowRoot.querySelectorAll('tr.quote-row').length;
    expect(rows()).toBe(50);
    expect(element.shadowRoot.querySelector('.quote-count').textContent).toBe('Showing 50 of 120 quotes');
    element.shadowRoot.querySelector('lightning-button.show-more').click();
    await settle();
    expect(rows()).toBe(100);
    expect(element.shadowRoot.querySelector('lightning-button.show-more').label).toBe('Show 20 more');
    element.shadowRoot.querySelector('lightning-button.show-more').click();
    await settle();
    expect(rows()).toBe(120);
    expect(element.shadowRoot.querySelector('lightning-button.show-more')).toBeNull();
    expect(element.shadowRoot.querySelector('.quote-count').textContent).toBe('120 quotes');
  });

  it('creates a quote from the New quote form and opens it', async () => {
    const element = await mount(USER_RESELLER, QUOTES_RESELLER);
    listEndCustomers.mockResolvedValue(END_CUSTOMERS);
    getCatalog.mockResolvedValue(CATALOG);
    listMyAgreements.mockResolvedValue(AGREEMENTS);
    createQuote.mockResolvedValue(CREATED);
    element.shadowRoot.querySelector('lightning-button.new-quote').click();
    await settle();
    expect(listEndCustomers).toHaveBeenCalledWith({});
    const [customer, currency, startDate, distributor] = element.shadowRoot.querySelectorAll('.new-quote-field');
    expect([...customer.options].map((o) => o.value)).toEqual(['', ...END_CUSTOMERS.map((c) => c.id)]);
    expect([...currency.options].map((o) => o.value)).toEqual(['EUR', 'SEK', 'USD']);
    // The first currency is preselected; the end customer must be chosen.
    expect(currency.value).toBe('EUR');
    expect(customer.value).toBe('');
    customer.value = 'c-bergmann';
    customer.dispatchEvent(new CustomEvent('change'));
    startDate.value = '2026-12-01';
    startDate.dispatchEvent(new CustomEvent('change'));
    await expect(element).toBeAccessible();
    element.shadowRoot.querySelector('lightning-button.create-quote').click();
    await settle();
    // No distributor chosen: the vendor's rules choose (createQuote gets none).
    expect(distributor.value).toBe('');
    expect(createQuote).toHaveBeenCalledWith({
      quote: { endCustomerId: 'c-bergmann', currency: 'EUR', startDate: '2026-12-01' },
    });
    expect(NavigationMixin.navigated).toEqual([
      {
        type: 'standard__recordPage',
        attributes: { recordId: CREATED.quote.id, objectApiName: 'Channel_Quote__c', actionName: 'view' },
      },
    ]);
  });

  it('offers the distributors of the reseller’s agreements active on the start date, and quotes through the one chosen', async () => {
    const element = await mount(USER_RESELLER, QUOTES_RESELLER);
    listEndCustomers.mockResolvedValue(END_CUSTOMERS);
    getCatalog.mockResolvedValue(CATALOG);
    listMyAgreements.mockResolvedValue(AGREEMENTS);
    createQuote.mockResolvedValue(CREATED);
    element.shadowRoot.querySelector('lightning-button.new-quote').click();
    await settle();
    const [customer, , startDate] = element.shadowRoot.querySelectorAll('.new-quote-field');
    const distributor = () => element.shadowRoot.querySelector('[data-field="distributorId"]');
    const offered = () => [...distributor().options].map((o) => o.textContent);
    startDate.value = '2026-03-15';
    startDate.dispatchEvent(new CustomEvent('change'));
    await settle();
    expect(offered()).toEqual(["Chosen for you by the vendor's rules", 'Nordlys Distribution AB']);
    startDate.value = '2026-12-01';
    startDate.dispatchEvent(new CustomEvent('change'));
    await settle();
    expect(offered()).toEqual(["Chosen for you by the vendor's rules", 'Nordlys Distribution AB', 'Pacific Channel Inc.']);
    customer.value = 'c-bergmann';
    customer.dispatchEvent(new CustomEvent('change'));
    distributor().value = 'd-amer';
    distributor().dispatchEvent(new CustomEvent('change'));
    await settle();
    await expect(element).toBeAccessible();
    element.shadowRoot.querySelector('lightning-button.create-quote').click();
    await settle();
    expect(createQuote).toHaveBeenCalledWith({
      quote: { endCustomerId: 'c-bergmann', currency: 'EUR', startDate: '2026-12-01', distributorId: 'd-amer' },
    });
  });

  it('adds a new end customer from the form, or chooses the account it already is', async () => {
    const element = await mount(USER_RESELLER, QUOTES_RESELLER);
    listEndCustomers.mockResolvedValue(END_CUSTOMERS);
    getCatalog.mockResolvedValue(CATALOG);
    listMyAgreements.mockResolvedValue(AGREEMENTS);
    element.shadowRoot.querySelector('lightning-button.new-quote').click();
    await settle();
    const fill = (values) => {
      for (const input of element.shadowRoot.querySelectorAll('.new-customer-field')) {
        input.value = values[input.dataset.field] ?? '';
        input.dispatchEvent(new CustomEvent('change'));
      }
    };
    element.shadowRoot.querySelector('lightning-button.show-new-customer').click();
    await settle();
    await expect(element).toBeAccessible();
    // Nothing is sent without a name and a country.
    fill({ name: 'Initech Svenska AB' });
    element.shadowRoot.querySelector('lightning-button.add-customer').click();
    await settle();
    expect(createEndCustomer).not.toHaveBeenCalled();
    expect(element.shadowRoot.querySelector('.new-quote-errors').textContent).toContain('its country');

    createEndCustomer.mockResolvedValue({
      endCustomer: { id: 'c-initech', name: 'Initech Svenska AB', country: 'SE', region: null },
      created: true,
    });
    fill({ name: 'Initech Svenska AB', country: 'se', registrationNumber: '556012-5790' });
    element.shadowRoot.querySelector('lightning-button.add-customer').click();
    await settle();
    expect(createEndCustomer).toHaveBeenCalledWith({
      endCustomer: { name: 'Initech Svenska AB', country: 'se', registrationNumber: '556012-5790' },
    });
    const customer = element.shadowRoot.querySelector('.new-quote-field');
    expect(customer.value).toBe('c-initech');
    expect([...customer.options].map((o) => o.textContent)).toContain('Initech Svenska AB (SE)');
    expect(element.shadowRoot.querySelector('.new-customer-form')).toBeNull();
    expect(element.shadowRoot.querySelector('.new-customer-note').textContent).toBe(
      'Initech Svenska AB was added and is chosen.',
    );

    // The same company typed again: the server answers the existing account, which the form chooses.
    createEndCustomer.mockResolvedValue({
      endCustomer: { id: 'c-bergmann', name: 'Bergmann Maschinenbau GmbH', country: 'DE', region: 'EMEA' },
      created: false,
    });
    element.shadowRoot.querySelector('lightning-button.show-new-customer').click();
    await settle();
    fill({ name: 'BERGMANN maschinenbau', country: 'DE' });
    element.shadowRoot.querySelector('lightning-button.add-customer').click();
    await settle();
    expect(element.shadowRoot.querySelector('.new-quote-field').value).toBe('c-bergmann');
    expect([...element.shadowRoot.querySelector('.new-quote-field').options]).toHaveLength(END_CUSTOMERS.length + 2);
    expect(element.shadowRoot.querySelector('.new-customer-note').textContent).toBe(
      'Bergmann Maschinenbau GmbH already has an account: it is chosen, and no duplicate was made.',
    );
  });

  it('asks for the missing fields and shows the server’s reasons', async () => {
    const element = await mount(USER_RESELLER, QUOTES_RESELLER);
    listEndCustomers.mockResolvedValue(END_CUSTOMERS);
    getCatalog.mockResolvedValue(CATALOG);
    element.shadowRoot.querySelector('lightning-button.new-quote').click();
    await settle();
    element.shadowRoot.querySelector('lightning-button.create-quote').click();
    await settle();
    expect(createQuote).not.toHaveBeenCalled();
    expect(element.shadowRoot.querySelector('.new-quote-errors').textContent).toContain('Choose an end customer');

    createQuote.mockRejectedValue({
      status: 400,
      body: {
        code: 'INVALID_INPUT',
        message: 'quote.distributorId: no distributor',
        issues: [{ path: 'quote.distributorId', message: 'no distributor applies' }],
      },
    });
    const customer = element.shadowRoot.querySelector('.new-quote-field');
    customer.value = 'c-bergmann';
    customer.dispatchEvent(new CustomEvent('change'));
    element.shadowRoot.querySelector('lightning-button.create-quote').click();
    await settle();
    expect(element.shadowRoot.querySelector('.new-quote-errors').textContent).toBe('quote.distributorId: no distributor applies');
    expect(NavigationMixin.navigated).toEqual([]);
  });

  it('says why the list could not be read', async () => {
    getCurrentUser.mockResolvedValue(USER_RESELLER);
    listQuotes.mockRejectedValue({ status: 401, body: { code: 'UNAUTHENTICATED', message: 'Sign in again.', issues: [] } });
    const element = createElement('c-quote-list', { is: QuoteList });
    document.body.appendChild(element);
    await settle();
    expect(element.shadowRoot.querySelector('.list-errors').textContent).toBe('Sign in again.');
    expect(element.shadowRoot.querySelector('.empty')).toBeNull();
  });
});
