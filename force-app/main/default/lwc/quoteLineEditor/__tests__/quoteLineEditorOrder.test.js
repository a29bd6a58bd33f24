/** c-quote-line-editor: a reseller's order button under auto-fulfil (docs/ORDERS.md). */
import { createElement } from 'lwc';
import QuoteLineEditor from 'c/quoteLineEditor';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import getQuote from '@salesforce/apex/QuoteController.getQuote';
import getPricingContext from '@salesforce/apex/QuoteController.getPricingContext';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import requestOrder from '@salesforce/apex/OrderController.requestOrder';
import submitOrder from '@salesforce/apex/OrderController.submitOrder';
import listOrderTerms from '@salesforce/apex/AgreementController.listOrderTerms';
import USER_RESELLER from './data/user-reseller.json';
import QUOTE_RESELLER from './data/quote-reseller.json';
import CONTEXT_RESELLER from './data/context-reseller.json';
import CATALOG from './data/catalog-sek.json';

jest.mock('@salesforce/apex/SessionController.getCurrentUser', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getPricingContext', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getCatalog', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/OrderController.requestOrder', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/OrderController.submitOrder', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AgreementController.listOrderTerms', () => ({ default: jest.fn() }), { virtual: true });

jest.setTimeout(30000);

const QUOTE_ID = QUOTE_RESELLER.quote.id;
// eslint-disable-next-line @lwc/lwc/no-async-operation
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

const ACCEPTED = {
  ...QUOTE_RESELLER,
  quote: { ...QUOTE_RESELLER.quote, status: 'Accepted', version: 2 },
  actions: { ...QUOTE_RESELLER.actions, canEdit: false, canAccept: false, canRequestOrder: true },
};
const ORDERED = {
  ...ACCEPTED,
  quote: { ...ACCEPTED.quote, status: 'Ordered', version: 3 },
  actions: { ...ACCEPTED.actions, canRequestOrder: false },
};
const terms = (distributorId, autoFulfil) => ({
  agreementId: 'a-1',
  resellerId: USER_RESELLER.accountId,
  resellerName: 'Reseller',
  distributorId,
  distributorName: 'Distributor',
  autoFulfil,
  creditLimit: '25000.00',
  creditLimitCurrency: 'SEK',
  openOrderValue: '0.00',
});

async function mount(orderTerms) {
  getCurrentUser.mockResolvedValue(USER_RESELLER);
  getQuote.mockResolvedValue(ACCEPTED);
  getPricingContext.mockResolvedValue(CONTEXT_RESELLER);
  getCatalog.mockResolvedValue(CATALOG);
  listOrderTerms.mockResolvedValue(orderTerms);
  const element = createElement('c-quote-line-editor', { is: QuoteLineEditor });
  element.recordId = QUOTE_ID;
  const toasts = [];
  element.addEventListener('lightning__showtoast', (e) => toasts.push(e.detail));
  document.body.appendChild(element);
  await flush();
  await flush();
  await flush();
  return { element, toasts };
}

describe('c-quote-line-editor: placing a reseller order', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('says "Request order" without auto-fulfil with the quote’s distributor, and asks the distributor', async () => {
    // Auto-fulfil with another distributor does not count.
    const { element, toasts } = await mount([terms('someone-else', true), terms(ACCEPTED.quote.distributorId, false)]);
    const button = $(element, '[data-id="request-order"]');
    expect(button.label).toBe('Request order');
    requestOrder.mockResolvedValue({ ...ACCEPTED, actions: { ...ACCEPTED.actions, canRequestOrder: false } });
    button.click();
    await flush();
    expect(requestOrder).toHaveBeenCalledWith({ quoteId: QUOTE_ID, version: 2 });
    expect(submitOrder).not.toHaveBeenCalled();
    expect(toasts.map((t) => t.title)).toEqual(['Order requested']);
  });

  it('says "Place order" under auto-fulfil and tells the order number when it is placed', async () => {
    const { element, toasts } = await mount([terms(ACCEPTED.quote.distributorId, true)]);
    const button = $(element, '[data-id="request-order"]');
    expect(button.label).toBe('Place order');
    submitOrder.mockResolvedValue({ outcome: 'placed', reasons: [], order: { id: 'o-1', number: 'O-00042' }, quote: ORDERED });
    button.click();
    await flush();
    await flush();
    expect(submitOrder).toHaveBeenCalledWith({ quoteId: QUOTE_ID, version: 2 });
    expect(requestOrder).not.toHaveBeenCalled();
    expect(toasts).toEqual([
      {
        title: 'Order placed',
        message: `Order O-00042 was placed from ${ACCEPTED.quote.distributorName}’s stock.`,
        variant: 'success',
      },
    ]);
    expect($(element, '[data-id="request-order"]')).toBeNull();
  });

  it('explains a fallback to an order request in the toast', async () => {
    const { element, toasts } = await mount([terms(ACCEPTED.quote.distributorId, true)]);
    const reason = 'credit limit 25000.00 SEK exceeded by 400.00 SEK (open orders 8000.00 SEK + this order 17400.00 SEK)';
    submitOrder.mockResolvedValue({
      outcome: 'requested',
      reasons: [reason],
      order: null,
      quote: { ...ACCEPTED, quote: { ...ACCEPTED.quote, version: 3 }, actions: { ...ACCEPTED.actions, canRequestOrder: false } },
    });
    $(element, '[data-id="request-order"]').click();
    await flush();
    await flush();
    expect(toasts).toEqual([
      {
        title: 'Order requested instead',
        message: `Not placed at once: ${reason}. ${ACCEPTED.quote.distributorName} has been asked to place it.`,
        variant: 'warning',
      },
    ]);
  });
});
