import { createElement } from 'lwc';
import DealRegistrations, { dealErrorMessages } from 'c/dealRegistrations';
import { normalisedCompanyName, matchingEndCustomer } from '../endCustomerMatch';
import listDeals from '@salesforce/apex/DealRegistrationController.listDeals';
import registerDeal from '@salesforce/apex/DealRegistrationController.registerDeal';
import decideDeal from '@salesforce/apex/DealRegistrationController.decideDeal';
import extendDeal from '@salesforce/apex/DealRegistrationController.extendDeal';
import withdrawDeal from '@salesforce/apex/DealRegistrationController.withdrawDeal';
import convertToQuote from '@salesforce/apex/DealRegistrationController.convertToQuote';
import listEndCustomers from '@salesforce/apex/QuoteController.listEndCustomers';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import listMyAgreements from '@salesforce/apex/AgreementController.listMyAgreements';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';

// The local service's answers on the demo data (Astrid Holm of Fjord IT Partners registers through Nordlys).
import LIST_RESELLER from './data/listReseller.json';
import LIST_DISTRIBUTOR from './data/listDistributor.json';
import LIST_VENDOR from './data/listVendor.json';
import REGISTERED from './data/registered.json';
import APPROVED from './data/approved.json';
import DECIDED from './data/decided.json';
import EXTENDED from './data/extended.json';
import CONVERTED from './data/converted.json';
import CONFLICT from './data/conflictError.json';
import END_CUSTOMERS from './data/listEndCustomers.json';
import CATALOG from './data/getCatalog.json';
import USER_RESELLER from './data/userReseller.json';
import USER_DISTRIBUTOR from './data/userDistributor.json';
import USER_VENDOR from './data/userVendor.json';

jest.mock('@salesforce/apex/DealRegistrationController.listDeals', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/DealRegistrationController.registerDeal', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/DealRegistrationController.decideDeal', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/DealRegistrationController.extendDeal', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/DealRegistrationController.withdrawDeal', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/DealRegistrationController.convertToQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.listEndCustomers', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getCatalog', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AgreementController.listMyAgreements', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SessionController.getCurrentUser', () => ({ default: jest.fn() }), { virtual: true });

const navigated = [];
jest.mock('lightning/navigation', () => {
  const Navigate = Symbol('Navigate');
  const GenerateUrl = Symbol('GenerateUrl');
  const Mixin = (Base) =>
    class extends Base {
      [Navigate](ref) {
        navigated.push(ref);
      }
      [GenerateUrl](ref) {
        return Promise.resolve(`/page/${ref.attributes.recordId ?? ref.attributes.name}`);
      }
    };
  Mixin.Navigate = Navigate;
  Mixin.GenerateUrl = GenerateUrl;
  return { NavigationMixin: Mixin, CurrentPageReference: jest.fn() };
});

const AGREEMENTS = [
  {
    id: 'ag-1',
    sellerId: 'd-emea',
    sellerName: 'Nordlys Distribution AB',
    status: 'Active',
    validFrom: '2026-01-01',
    validTo: null,
  },
  {
    id: 'ag-2',
    sellerId: 'd-old',
    sellerName: 'Old Distribution',
    status: 'Expired',
    validFrom: '2020-01-01',
    validTo: '2020-12-31',
  },
];

// eslint-disable-next-line @lwc/lwc/no-async-operation
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount(user, deals) {
  getCurrentUser.mockResolvedValue(user);
  listDeals.mockResolvedValue(deals);
  listEndCustomers.mockResolvedValue(END_CUSTOMERS);
  getCatalog.mockResolvedValue(CATALOG);
  listMyAgreements.mockResolvedValue(AGREEMENTS);
  const element = createElement('c-deal-registrations', { is: DealRegistrations });
  document.body.appendChild(element);
  await settle();
  await settle();
  return element;
}

const q = (element, selector) => element.shadowRoot.querySelector(selector);
const qa = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const item = (element, deal) => q(element, `li.deal[data-id="${deal.id}"]`);

function change(input, value) {
  input.value = value;
  input.dispatchEvent(new CustomEvent('change'));
}

function toggle(checkbox, checked) {
  checkbox.checked = checked;
  checkbox.dispatchEvent(new CustomEvent('change'));
}

describe('c-deal-registrations', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
    navigated.length = 0;
  });

  it('shows the reseller its registrations with names, status, protection days and dates in its locale', async () => {
    const element = await mount(USER_RESELLER, LIST_RESELLER);
    expect(qa(element, 'li.deal')).toHaveLength(3);
    expect(q(element, '.to-decide')).toBeNull();
    const approved = item(element, APPROVED);
    expect(approved.querySelector('.deal-heading').textContent).toBe('DR-00002 · Öresund Marine AB (SE)');
    expect(approved.querySelector('[data-id="status"]').textContent).toBe('Approved');
    expect(approved.querySelector('.party').textContent).toBe('Nordlys Distribution AB');
    expect(approved.querySelector('.value').textContent).toBe('EUR 36,500.50');
    expect(approved.querySelector('.close').textContent).toBe('Mar 31, 2027');
    expect(approved.querySelector('.protection').textContent).toBe('90 days of protection left, until Mar 4, 2027');
    expect(approved.querySelector('.decision').textContent).toBe('Approved on Dec 5, 2026 by Erik Sandberg');
    expect(approved.querySelector('.last-comment').textContent).toBe('Go ahead: the customer is yours.');
    // Approved: convert or withdraw; never decide.
    expect(approved.querySelector('lightning-button.convert')).not.toBeNull();
    expect(approved.querySelector('lightning-button.withdraw')).not.toBeNull();
    expect(approved.querySelector('lightning-button.approve')).toBeNull();
    expect(approved.querySelector('lightning-button.extend')).toBeNull();
    // Submitted: withdraw only, decision due date shown.
    const submitted = item(element, REGISTERED);
    expect(submitted.querySelector('[data-id="status"]').textContent).toBe('Waiting for decision');
    expect(submitted.querySelector('.protection').textContent).toBe('Decision due by Dec 8, 2026');
    expect(submitted.querySelector('lightning-button.convert')).toBeNull();
    expect(submitted.querySelector('lightning-button.withdraw')).not.toBeNull();
    // Converted: a link to its quote, no actions.
    const converted = item(element, CONVERTED.deal);
    expect(converted.querySelector('a.quote-link').getAttribute('href')).toBe(`/page/${CONVERTED.quoteId}`);
    expect(converted.querySelector('lightning-button.withdraw')).toBeNull();
    // No ids on the page: names only.
    const text = element.shadowRoot.textContent;
    for (const id of ['r-nordic', 'd-emea', 'u-dist-emea', APPROVED.endCustomer.id]) expect(text).not.toContain(id);
    await expect(element).toBeAccessible();
  });

  it('registers a deal for an existing end customer through the only Active distributor', async () => {
    const element = await mount(USER_RESELLER, []);
    expect(q(element, '.empty').textContent).toBe('You have not registered any deals yet.');
    q(element, 'lightning-button.open-form').click();
    await settle();
    // Only the Active agreement's distributor is offered, and chosen.
    const distributor = q(element, 'select.distributor');
    expect([...distributor.options].map((o) => o.textContent)).toEqual([
      'Choose the distributor you buy from',
      'Nordlys Distribution AB',
    ]);
    expect(distributor.value).toBe('d-emea');
    change(q(element, 'select.end-customer-select'), 'c-skargard');
    const families = qa(element, 'lightning-input.family-toggle');
    expect(families.map((f) => f.label)).toEqual(['Licenses']);
    toggle(families[0], true);
    await settle();
    change(q(element, 'lightning-input.family-quantity[data-family="Licenses"]'), '40');
    change(q(element, 'lightning-input.estimated-value'), '48000.00');
    change(q(element, 'input.close-date'), '2027-02-26');
    change(q(element, 'lightning-textarea.note'), '  Fleet platform decision in Q1 ');
    await settle();
    listDeals.mockResolvedValue([REGISTERED]);
    registerDeal.mockResolvedValue(REGISTERED);
    const toasts = [];
    element.addEventListener('lightning__showtoast', (e) => toasts.push(e.detail));
    q(element, 'lightning-button.register').click();
    await settle();
    await settle();
    expect(registerDeal).toHaveBeenCalledWith({
      registration: {
        distributorId: 'd-emea',
        endCustomerId: 'c-skargard',
        families: [{ family: 'Licenses', estimatedQuantity: 40 }],
        estimatedValue: '48000.00',
        currencyCode: 'EUR',
        expectedCloseDate: '2027-02-26',
        note: 'Fleet platform decision in Q1',
      },
    });
    expect(toasts[0].title).toBe('Deal DR-00001 registered');
    expect(toasts[0].message).toBe('Nordlys Distribution AB decides by Dec 8, 2026.');
    expect(q(element, '.register-form')).toBeNull();
    expect(qa(element, 'li.deal')).toHaveLength(1);
  });

  it('says in words what is missing instead of sending an incomplete registration', async () => {
    const element = await mount(USER_RESELLER, []);
    q(element, 'lightning-button.open-form').click();
    await settle();
    change(q(element, 'lightning-input.estimated-value'), '12,5');
    q(element, 'lightning-button.register').click();
    await settle();
    expect(registerDeal).not.toHaveBeenCalled();
    expect(qa(element, '.form-errors li').map((li) => li.textContent)).toEqual([
      'Choose the end customer, or enter a new one.',
      'Choose at least one product family.',
      'Expected value: enter an amount such as 24000 or 24000.50.',
      'Enter the expected close date.',
    ]);
  });

  it('offers the existing account when the company typed is one it already has (name folded, legal form ignored)', async () => {
    const element = await mount(USER_RESELLER, []);
    q(element, 'lightning-button.open-form').click();
    await settle();
    q(element, 'lightning-button.choose-new').click();
    await settle();
    const [name, country] = qa(element, 'lightning-input.new-customer-field');
    change(name, 'SKARGARD  logistics');
    change(country, 'se');
    await settle();
    expect(q(element, '.match').textContent).toContain(
      'Skärgård Logistics AB (SE) is already an end customer of yours. Register the deal for that account rather than a new one.',
    );
    q(element, 'lightning-button.use-match').click();
    await settle();
    expect(q(element, '.match')).toBeNull();
    expect(q(element, 'select.end-customer-select').value).toBe('c-skargard');
  });

  it('registers a new company when none matches, and explains a conflict without naming the holder', async () => {
    const element = await mount(USER_RESELLER, []);
    q(element, 'lightning-button.open-form').click();
    await settle();
    q(element, 'lightning-button.choose-new').click();
    await settle();
    const [name, country, region, registrationNumber] = qa(element, 'lightning-input.new-customer-field');
    change(name, 'Nordkapp Fiske AS');
    change(country, 'no');
    change(region, '');
    change(registrationNumber, '987 654 321');
    await settle();
    expect(q(element, '.match')).toBeNull();
    toggle(q(element, 'lightning-input.family-toggle[data-family="Licenses"]'), true);
    change(q(element, 'lightning-input.estimated-value'), '1000');
    change(q(element, 'input.close-date'), '2027-01-01');
    registerDeal.mockRejectedValue(CONFLICT);
    q(element, 'lightning-button.register').click();
    await settle();
    await settle();
    expect(registerDeal.mock.calls[0][0].registration.endCustomer).toEqual({
      name: 'Nordkapp Fiske AS',
      country: 'NO',
      registrationNumber: '987 654 321',
    });
    expect(registerDeal.mock.calls[0][0].registration.families).toEqual([{ family: 'Licenses', estimatedQuantity: 1 }]);
    const messages = qa(element, '.form-errors li').map((li) => li.textContent);
    expect(messages).toEqual([
      'Licenses for this end customer is already registered by another partner. While it is protected you cannot register it; ask your distributor if you think this is wrong.',
    ]);
    // The form stays open with what was typed.
    expect(q(element, '.register-form')).not.toBeNull();
  });

  it('converts an approved registration to a quote and opens the quote in the editor', async () => {
    const element = await mount(USER_RESELLER, LIST_RESELLER);
    convertToQuote.mockResolvedValue(CONVERTED);
    item(element, APPROVED).querySelector('lightning-button.convert').click();
    await settle();
    expect(convertToQuote).toHaveBeenCalledWith({ dealId: APPROVED.id, version: APPROVED.version });
    expect(navigated).toEqual([
      {
        type: 'standard__recordPage',
        attributes: { recordId: CONVERTED.quoteId, objectApiName: 'Channel_Quote__c', actionName: 'view' },
      },
    ]);
  });

  it('withdraws a registration, and reloads with a plain message when it changed meanwhile', async () => {
    const element = await mount(USER_RESELLER, LIST_RESELLER);
    withdrawDeal.mockRejectedValue({ status: 409, body: { code: 'CONFLICT', message: 'Registration DR-00001 was changed' } });
    item(element, REGISTERED).querySelector('lightning-button.withdraw').click();
    await settle();
    await settle();
    expect(withdrawDeal).toHaveBeenCalledWith({ dealId: REGISTERED.id, version: REGISTERED.version });
    expect(listDeals).toHaveBeenCalledTimes(2);
    expect(item(element, REGISTERED).querySelector('.item-errors').textContent).toBe(
      'Someone changed this registration while you were looking at it. The list was reloaded: try again.',
    );
  });

  it('puts what waits for the distributor first, with the reseller named, and approves with a comment', async () => {
    const element = await mount(USER_DISTRIBUTOR, LIST_DISTRIBUTOR);
    expect(q(element, 'lightning-button.open-form')).toBeNull();
    expect(q(element, '.to-decide-heading').textContent).toBe('1 registration waits for your decision');
    const pending = q(element, '.to-decide li.deal');
    expect(pending.dataset.id).toBe(REGISTERED.id);
    expect(pending.querySelector('.party').textContent).toBe('Fjord IT Partners AB');
    expect(pending.querySelector('.note-text').textContent).toBe('Fleet platform decision in Q1');
    expect(pending.querySelector('lightning-button.withdraw')).toBeNull();
    const comment = pending.querySelector('lightning-textarea.item-comment');
    change(comment, 'Approved: go ahead');
    await settle();
    decideDeal.mockResolvedValue(DECIDED);
    listDeals.mockResolvedValue(LIST_DISTRIBUTOR.map((d) => (d.id === DECIDED.id ? DECIDED : d)));
    pending.querySelector('lightning-button.approve').click();
    await settle();
    await settle();
    expect(decideDeal).toHaveBeenCalledWith({
      dealId: REGISTERED.id,
      version: REGISTERED.version,
      decision: 'Approved',
      comment: 'Approved: go ahead',
    });
    expect(q(element, '.to-decide')).toBeNull();
    expect(q(element, '.others-heading').textContent).toBe('Decided registrations');
    await expect(element).toBeAccessible();
  });

  it('asks for a comment before a rejection, then sends it', async () => {
    const element = await mount(USER_DISTRIBUTOR, LIST_DISTRIBUTOR);
    const pending = () => q(element, '.to-decide li.deal');
    pending().querySelector('lightning-button.reject').click();
    await settle();
    expect(decideDeal).not.toHaveBeenCalled();
    expect(pending().querySelector('.item-errors').textContent).toBe(
      'Write a comment before rejecting: the reseller needs to know why.',
    );
    change(pending().querySelector('lightning-textarea.item-comment'), 'The customer buys direct from us.');
    await settle();
    decideDeal.mockResolvedValue({ ...REGISTERED, status: 'Rejected' });
    pending().querySelector('lightning-button.reject').click();
    await settle();
    expect(decideDeal).toHaveBeenCalledWith({
      dealId: REGISTERED.id,
      version: REGISTERED.version,
      decision: 'Rejected',
      comment: 'The customer buys direct from us.',
    });
  });

  it('extends a protected registration once: no extend button after it', async () => {
    const element = await mount(USER_DISTRIBUTOR, LIST_DISTRIBUTOR);
    const approved = item(element, APPROVED);
    expect(approved.querySelector('lightning-button.convert')).toBeNull();
    extendDeal.mockResolvedValue(EXTENDED);
    listDeals.mockResolvedValue(LIST_DISTRIBUTOR.map((d) => (d.id === EXTENDED.id ? EXTENDED : d)));
    approved.querySelector('lightning-button.extend').click();
    await settle();
    await settle();
    expect(extendDeal).toHaveBeenCalledWith({ dealId: APPROVED.id, version: APPROVED.version });
    const after = item(element, APPROVED);
    expect(after.querySelector('lightning-button.extend')).toBeNull();
    expect(after.querySelector('.protection').textContent).toBe('180 days of protection left, until Jun 2, 2027');
  });

  it('shows the vendor every registration with both partners named', async () => {
    const element = await mount(USER_VENDOR, LIST_VENDOR);
    expect(q(element, '.intro').textContent).toContain('Every registration of the channel');
    const pending = q(element, '.to-decide li.deal');
    expect(pending.querySelector('.party').textContent).toBe('Fjord IT Partners AB');
    expect(pending.textContent).toContain('Nordlys Distribution AB');
    expect(pending.querySelector('lightning-button.approve')).not.toBeNull();
  });

  it('turns server issues into the fields a partner sees', () => {
    expect(
      dealErrorMessages(
        {
          status: 400,
          body: {
            code: 'INVALID_INPUT',
            message: 'x',
            issues: [
              { path: 'registration.expectedCloseDate', message: 'must be today (2026-12-05) or later' },
              { path: 'registration.families.1.family', message: 'is not a product family of the catalog (Hardware)' },
              { path: 'registration.distributorId', message: 'you hold no Active agreement with this distributor' },
            ],
          },
        },
        ['Licenses', 'Hardware'],
      ),
    ).toEqual([
      'Expected close date: must be today (2026-12-05) or later',
      'Hardware: is not a product family of the catalog (Hardware)',
      'Distributor: you hold no Active agreement with this distributor',
    ]);
  });

  it('compares company names as the server does', () => {
    expect(normalisedCompanyName('Skärgård Logistics AB')).toBe('skargard logistics');
    expect(normalisedCompanyName('  SKARGARD  logistics ')).toBe('skargard logistics');
    expect(normalisedCompanyName('AB Volvo')).toBe('volvo');
    expect(normalisedCompanyName('Straße & Co. GmbH')).toBe('strasse');
    expect(matchingEndCustomer({ name: 'Skargard Logistics', country: 'DK' }, END_CUSTOMERS)).toBeUndefined();
  });
});
