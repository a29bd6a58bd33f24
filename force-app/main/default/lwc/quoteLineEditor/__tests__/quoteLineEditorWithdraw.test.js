/** c-quote-line-editor: a pending approval request makes the quote read-only but for Withdraw (CHANNEL.md). */
import { createElement } from 'lwc';
import QuoteLineEditor from 'c/quoteLineEditor';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import getQuote from '@salesforce/apex/QuoteController.getQuote';
import getPricingContext from '@salesforce/apex/QuoteController.getPricingContext';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import withdrawApproval from '@salesforce/apex/QuoteController.withdrawApproval';
import USER_RESELLER from './data/user-reseller.json';
import QUOTE_RESELLER from './data/quote-reseller.json';
import CONTEXT_RESELLER from './data/context-reseller.json';
import CATALOG from './data/catalog-sek.json';

jest.mock('@salesforce/apex/SessionController.getCurrentUser', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getPricingContext', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getCatalog', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.withdrawApproval', () => ({ default: jest.fn() }), { virtual: true });

jest.setTimeout(30000);

// eslint-disable-next-line @lwc/lwc/no-async-operation
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

const PENDING = {
  ...QUOTE_RESELLER,
  quote: { ...QUOTE_RESELLER.quote, status: 'NeedsApproval', version: 2 },
  actions: { ...QUOTE_RESELLER.actions, canEdit: false, canWithdraw: true, canAccept: false, canSubmitForApproval: false },
};
const WITHDRAWN = {
  ...PENDING,
  quote: { ...PENDING.quote, status: 'Draft', version: 3 },
  approvals: [
    {
      id: 'ap-1',
      quoteId: PENDING.quote.id,
      level: 'Distributor',
      status: 'Withdrawn',
      requestedBy: USER_RESELLER.id,
      requestedByName: USER_RESELLER.name,
      requestedAt: '2026-12-05T09:00:00.000Z',
      comment: 'Fleet deal',
      decidedBy: USER_RESELLER.id,
      decidedByName: USER_RESELLER.name,
      decidedAt: '2026-12-05T10:00:00.000Z',
      decisionComment: 'Withdrawn by the reseller',
    },
  ],
  actions: { ...PENDING.actions, canEdit: true, canWithdraw: false, canSubmitForApproval: true },
};

describe('c-quote-line-editor: withdrawing an approval request', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('is read-only while the request waits, offers Withdraw, and is a Draft again after it', async () => {
    getCurrentUser.mockResolvedValue(USER_RESELLER);
    getQuote.mockResolvedValue(PENDING);
    getPricingContext.mockResolvedValue(CONTEXT_RESELLER);
    getCatalog.mockResolvedValue(CATALOG);
    withdrawApproval.mockResolvedValue(WITHDRAWN);
    const element = createElement('c-quote-line-editor', { is: QuoteLineEditor });
    element.recordId = PENDING.quote.id;
    const toasts = [];
    element.addEventListener('lightning__showtoast', (e) => toasts.push(e.detail));
    document.body.appendChild(element);
    await flush();
    await flush();
    expect($(element, '[data-id="read-only"]').textContent).toContain('waiting for approval');
    expect($(element, '[data-id="save"]')).toBeNull();
    $(element, '[data-id="withdraw"]').click();
    await flush();
    await flush();
    expect(withdrawApproval).toHaveBeenCalledWith({ quoteId: PENDING.quote.id, version: 2 });
    expect(toasts.map((t) => t.title)).toContain('Request withdrawn');
    expect($(element, '[data-id="withdraw"]')).toBeNull();
    expect($(element, '[data-id="read-only"]')).toBeNull();
    expect(element.shadowRoot.textContent).toContain('Withdrawn');
    expect(element.shadowRoot.textContent).not.toContain('Rejected');
  });
});
