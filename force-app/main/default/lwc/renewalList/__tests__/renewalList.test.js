import { createElement } from 'lwc';
import RenewalList from 'c/renewalList';
import listContracts from '@salesforce/apex/RenewalController.listContracts';
import listRenewalQuotes from '@salesforce/apex/RenewalController.listRenewalQuotes';
import acceptQuote from '@salesforce/apex/QuoteController.acceptQuote';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import CONTRACTS_RESELLER from './data/listContractsReseller.json';
import QUOTES_RESELLER from './data/listRenewalQuotesReseller.json';
import CONTRACTS_DISTRIBUTOR from './data/listContractsDistributor.json';
import QUOTES_DISTRIBUTOR from './data/listRenewalQuotesDistributor.json';
import ACCEPTED from './data/acceptQuote.json';
import USER_RESELLER from './data/userReseller.json';
import USER_DISTRIBUTOR from './data/userDistributor.json';

jest.mock('@salesforce/apex/RenewalController.listContracts', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/RenewalController.listRenewalQuotes', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.acceptQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SessionController.getCurrentUser', () => ({ default: jest.fn() }), { virtual: true });

jest.mock('lightning/navigation', () => {
  const Navigate = Symbol('Navigate');
  const GenerateUrl = Symbol('GenerateUrl');
  const Mixin = (Base) =>
    class extends Base {
      [Navigate]() {}
      [GenerateUrl](ref) {
        return Promise.resolve(`/page/${ref.attributes.recordId ?? ref.attributes.name}`);
      }
    };
  Mixin.Navigate = Navigate;
  Mixin.GenerateUrl = GenerateUrl;
  return { NavigationMixin: Mixin, CurrentPageReference: jest.fn() };
});

// eslint-disable-next-line @lwc/lwc/no-async-operation
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount(user, contracts, quotes) {
  getCurrentUser.mockResolvedValue(user);
  listContracts.mockResolvedValue(contracts);
  listRenewalQuotes.mockResolvedValue(quotes);
  const element = createElement('c-renewal-list', { is: RenewalList });
  document.body.appendChild(element);
  await settle();
  return element;
}

describe('c-renewal-list', () => {
  beforeEach(() => {
    // The day the fixtures were captured: only Date is faked, timers run.
    jest.useFakeTimers({ doNotFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
    jest.setSystemTime(new Date('2026-11-23T10:00:00Z'));
  });
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
    jest.useRealTimers();
  });

  it('shows a reseller its contracts with days left and its renewal quote, linked', async () => {
    const element = await mount(USER_RESELLER, CONTRACTS_RESELLER, QUOTES_RESELLER);
    const row = element.shadowRoot.querySelector('tr.contract-row');
    // Ends 2026-12-13: 20 days after 2026-11-23, inside the 90-day renewal window.
    expect(row.querySelector('.days-left').textContent).toContain('20 days');
    expect(row.querySelector('.days-left').textContent).toContain('Renewal due');
    expect(row.querySelector('.renewal-status')).toBeNull();
    // The end date as the user reads dates (en-US under jest), not ISO.
    expect(row.textContent).toContain('Dec 13, 2026');
    expect(row.textContent).not.toContain('2026-12-13');
    const link = row.querySelector('a.renewal-link');
    expect(link.getAttribute('href')).toBe(`/page/${CONTRACTS_RESELLER[0].renewalQuoteId}`);
    expect(link.textContent).toBe(QUOTES_RESELLER[0].number);
    const quote = element.shadowRoot.querySelector('tr.quote-row');
    expect(quote.querySelector('a').getAttribute('href')).toBe(`/page/${QUOTES_RESELLER[0].id}`);
    expect(quote.querySelector('lightning-button.accept')).not.toBeNull();
    expect(element.shadowRoot.textContent).not.toContain('Reseller');
    await expect(element).toBeAccessible();
  });

  it.each([
    ['Accepted', 'Renewal accepted'],
    ['Renewed', 'Renewed'],
  ])('shows a contract whose renewal is %s as no longer due', async (renewalStatus, label) => {
    const contracts = CONTRACTS_RESELLER.map((c) => ({ ...c, renewalStatus }));
    const element = await mount(USER_RESELLER, contracts, QUOTES_RESELLER);
    const row = element.shadowRoot.querySelector('tr.contract-row');
    // Still 20 days to its end, but nothing is due any more.
    expect(row.querySelector('.days-left').textContent).toContain('20 days');
    expect(row.querySelector('.days-left').textContent).not.toContain('Renewal due');
    expect(row.querySelector('.renewal-status').textContent).toBe(label);
    expect(row.classList.contains('slds-theme_shade')).toBe(false);
    await expect(element).toBeAccessible();
  });

  it('links every contract to its own page', async () => {
    const element = await mount(USER_RESELLER, CONTRACTS_RESELLER, QUOTES_RESELLER);
    const links = [...element.shadowRoot.querySelectorAll('tr.contract-row a.contract-link')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(
      [...element.shadowRoot.querySelectorAll('tr.contract-row')].map((r) => `/page/${r.dataset.id}`),
    );
    expect(links.length).toBeGreaterThan(0);
  });

  it('accepts a renewal quote for the reseller', async () => {
    const element = await mount(USER_RESELLER, CONTRACTS_RESELLER, QUOTES_RESELLER);
    acceptQuote.mockResolvedValue(ACCEPTED);
    element.shadowRoot.querySelector('lightning-button.accept').click();
    await settle();
    expect(acceptQuote).toHaveBeenCalledWith({ quoteId: QUOTES_RESELLER[0].id, version: QUOTES_RESELLER[0].version });
    const quote = element.shadowRoot.querySelector('tr.quote-row');
    expect(quote.querySelector('.status').textContent).toBe('Accepted');
    expect(quote.querySelector('lightning-button.accept')).toBeNull();
    // The contract it renews is no longer due.
    const row = element.shadowRoot.querySelector('tr.contract-row');
    expect(row.querySelector('.days-left').textContent).not.toContain('Renewal due');
    expect(row.querySelector('.renewal-status').textContent).toBe('Renewal accepted');
  });

  it('says why a renewal cannot be accepted', async () => {
    const element = await mount(USER_RESELLER, CONTRACTS_RESELLER, QUOTES_RESELLER);
    acceptQuote.mockRejectedValue({
      status: 422,
      body: { code: 'NOT_ACCEPTABLE', message: 'not acceptable', issues: [{ path: '', message: 'the quote has expired' }] },
    });
    element.shadowRoot.querySelector('lightning-button.accept').click();
    await settle();
    expect(element.shadowRoot.querySelector('.quote-errors').textContent).toBe(
      `${QUOTES_RESELLER[0].number}: the quote has expired`,
    );
  });

  it('shows a distributor its resellers’ contracts by end date, read-only', async () => {
    const element = await mount(USER_DISTRIBUTOR, CONTRACTS_DISTRIBUTOR, QUOTES_DISTRIBUTOR);
    const rows = [...element.shadowRoot.querySelectorAll('tr.contract-row')];
    expect(rows.map((r) => r.querySelector('.days-left').textContent.trim())).toEqual([
      expect.stringContaining('20 days'),
      expect.stringContaining('50 days'),
      '390 days',
    ]);
    expect(rows[2].querySelector('a.renewal-link')).toBeNull();
    expect(element.shadowRoot.querySelector('lightning-button.accept')).toBeNull();
    expect(element.shadowRoot.textContent).toContain('Thames Cloud Solutions Ltd');
    await expect(element).toBeAccessible();
  });
});
