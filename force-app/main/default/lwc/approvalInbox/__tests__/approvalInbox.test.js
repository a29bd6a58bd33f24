import { createElement } from 'lwc';
import ApprovalInbox from 'c/approvalInbox';
import listPendingApprovals from '@salesforce/apex/ApprovalController.listPendingApprovals';
import decide from '@salesforce/apex/ApprovalController.decide';
import getQuote from '@salesforce/apex/QuoteController.getQuote';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import PENDING_DISTRIBUTOR from './data/listPendingApprovalsDistributor.json';
import PENDING_VENDOR from './data/listPendingApprovalsVendor.json';
import QUOTE from './data/getQuote.json';
import DECIDED from './data/decide.json';
import CATALOG from './data/getCatalog.json';
import USER_DISTRIBUTOR from './data/userDistributor.json';
import USER_VENDOR from './data/userVendor.json';

jest.mock('@salesforce/apex/ApprovalController.listPendingApprovals', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/ApprovalController.decide', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getCatalog', () => ({ default: jest.fn() }), { virtual: true });
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

async function mount(user, pending) {
  getCurrentUser.mockResolvedValue(user);
  listPendingApprovals.mockResolvedValue(pending);
  getCatalog.mockResolvedValue(CATALOG);
  getQuote.mockImplementation(({ quoteId }) => {
    if (quoteId === QUOTE.quote.id) return Promise.resolve(QUOTE);
    return Promise.reject({ status: 404, body: { code: 'NOT_FOUND', message: 'no' } });
  });
  const element = createElement('c-approval-inbox', { is: ApprovalInbox });
  document.body.appendChild(element);
  await settle();
  return element;
}

const PENDING = PENDING_DISTRIBUTOR[0];

describe('c-approval-inbox', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows the distributor the request, its totals and the lines above the cap, with a link to the quote', async () => {
    const element = await mount(USER_DISTRIBUTOR, PENDING_DISTRIBUTOR);
    const items = element.shadowRoot.querySelectorAll('li.approval');
    expect(items).toHaveLength(1);
    const item = items[0];
    expect(item.querySelector('a.quote-link').getAttribute('href')).toBe(`/page/${PENDING.quote.id}`);
    expect(item.querySelector('.request-comment').textContent).toContain(PENDING.approval.comment);
    expect(item.querySelector('.totals').textContent).toContain(
      `EUR ${PENDING.quote.customerTotal.replace(/\B(?=(\d{3})+\.)/g, ',')}`,
    );
    expect(item.querySelector('.net-total')).not.toBeNull();
    // Only the line with 18 % against a 15 % cap, named from the catalog.
    const lines = item.querySelectorAll('tr.line');
    expect(lines).toHaveLength(1);
    expect(lines[0].textContent).toContain('Analytics Standard licence');
    expect(lines[0].textContent).toContain('18 %');
    expect(lines[0].textContent).toContain('15 %');
    expect(item.querySelector('lightning-button.approve')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('lets the vendor see every inbox without deciding', async () => {
    const element = await mount(USER_VENDOR, PENDING_VENDOR);
    expect(element.shadowRoot.querySelectorAll('li.approval')).toHaveLength(PENDING_VENDOR.length);
    expect(element.shadowRoot.querySelector('lightning-button.approve')).toBeNull();
    // The quote whose lines could not be read still shows, with a pointer to the quote.
    expect(element.shadowRoot.textContent).toContain('Open the quote to see its lines.');
    await expect(element).toBeAccessible();
  });

  it('approves with the comment and removes the quote at once', async () => {
    const element = await mount(USER_DISTRIBUTOR, PENDING_DISTRIBUTOR);
    let resolveDecide;
    decide.mockReturnValue(new Promise((resolve) => (resolveDecide = resolve)));
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);
    const comment = element.shadowRoot.querySelector('lightning-textarea.comment');
    comment.value = 'OK for this rollout';
    comment.dispatchEvent(new CustomEvent('change'));
    element.shadowRoot.querySelector('lightning-button.approve').click();
    await Promise.resolve();
    // Gone before the server answered.
    expect(element.shadowRoot.querySelectorAll('li.approval')).toHaveLength(0);
    expect(decide).toHaveBeenCalledWith({
      quoteId: PENDING.quote.id,
      version: PENDING.quote.version,
      decision: 'approve',
      comment: 'OK for this rollout',
    });
    resolveDecide(DECIDED);
    await settle();
    expect(toasts).toHaveBeenCalledTimes(1);
    expect(toasts.mock.calls[0][0].detail.title).toBe(`${PENDING.quote.number} approved`);
    expect(element.shadowRoot.querySelector('.empty')).not.toBeNull();
  });

  it('says a request the distributor approved now waits for the vendor, not that the reseller can have it accepted', async () => {
    const element = await mount(USER_DISTRIBUTOR, PENDING_DISTRIBUTOR);
    decide.mockResolvedValue({ ...DECIDED, quote: { ...DECIDED.quote, status: 'NeedsApproval' } });
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);
    element.shadowRoot.querySelector('lightning-button.approve').click();
    await settle();
    expect(toasts).toHaveBeenCalledTimes(1);
    expect(toasts.mock.calls[0][0].detail.title).toBe(`${PENDING.quote.number} approved`);
    expect(toasts.mock.calls[0][0].detail.message).toContain('now waits for the vendor’s approval');
    expect(toasts.mock.calls[0][0].detail.message).not.toContain('can now have it accepted');
  });

  it('tells the distributor the reseller can have a fully approved quote accepted', async () => {
    const element = await mount(USER_DISTRIBUTOR, PENDING_DISTRIBUTOR);
    decide.mockResolvedValue(DECIDED);
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);
    element.shadowRoot.querySelector('lightning-button.approve').click();
    await settle();
    expect(toasts.mock.calls[0][0].detail.message).toBe(`${PENDING.quote.resellerName} can now have it accepted.`);
  });

  it('lets the vendor admin decide a request passed on to the vendor level, with a comment to approve', async () => {
    const atVendor = [{ ...PENDING, approval: { ...PENDING.approval, level: 'Vendor' } }];
    const element = await mount(USER_VENDOR, atVendor);
    expect(element.shadowRoot.querySelector('.level').textContent).toContain('vendor’s approval');
    element.shadowRoot.querySelector('lightning-button.approve').click();
    await settle();
    expect(decide).not.toHaveBeenCalled();
    expect(element.shadowRoot.querySelector('.comment-error').textContent).toContain('Say why you approve this price');
    const comment = element.shadowRoot.querySelector('lightning-textarea.comment');
    comment.value = 'Strategic account: below the floor this once';
    comment.dispatchEvent(new CustomEvent('change'));
    decide.mockResolvedValue(DECIDED);
    element.shadowRoot.querySelector('lightning-button.approve').click();
    await settle();
    expect(decide).toHaveBeenCalledWith({
      quoteId: PENDING.quote.id,
      version: PENDING.quote.version,
      decision: 'approve',
      comment: 'Strategic account: below the floor this once',
    });
  });

  it('keeps a request at the vendor level away from the distributor', async () => {
    const atVendor = [{ ...PENDING, approval: { ...PENDING.approval, level: 'Vendor' } }];
    const element = await mount(USER_DISTRIBUTOR, atVendor);
    expect(element.shadowRoot.querySelector('lightning-button.approve')).toBeNull();
  });

  it('requires a comment to reject', async () => {
    const element = await mount(USER_DISTRIBUTOR, PENDING_DISTRIBUTOR);
    element.shadowRoot.querySelector('lightning-button.reject').click();
    await settle();
    expect(decide).not.toHaveBeenCalled();
    expect(element.shadowRoot.querySelector('.comment-error').textContent).toContain('comment is required');
  });

  it('asks the distributor for a comment to approve, at the comment field, and sends nothing without one', async () => {
    const element = await mount(USER_DISTRIBUTOR, PENDING_DISTRIBUTOR);
    const comment = element.shadowRoot.querySelector('lightning-textarea.comment');
    expect(comment.placeholder).toMatch(/^Required/);
    expect(element.shadowRoot.querySelector('.comment-error')).toBeNull();
    element.shadowRoot.querySelector('lightning-button.approve').click();
    await settle();
    expect(decide).not.toHaveBeenCalled();
    // The quote stays, and the message sits under its comment field (not in the card's alert).
    const item = element.shadowRoot.querySelector('li.approval');
    expect(item).not.toBeNull();
    expect(item.querySelector('.item-errors')).toBeNull();
    const error = item.querySelector('lightning-textarea.comment + .comment-error');
    expect(error.textContent.trim()).toBe('Write a comment for the reseller: every decision carries one.');
    await expect(element).toBeAccessible();
    // Spaces and line breaks are no comment either.
    comment.value = '  \n\t ';
    comment.dispatchEvent(new CustomEvent('change'));
    element.shadowRoot.querySelector('lightning-button.approve').click();
    await settle();
    expect(decide).not.toHaveBeenCalled();
    expect(element.shadowRoot.querySelector('.comment-error').textContent).toContain('every decision carries one');
    // A comment written clears the message; the approval goes with the comment, trimmed.
    comment.value = '  Fine for this rollout ';
    comment.dispatchEvent(new CustomEvent('change'));
    await settle();
    expect(element.shadowRoot.querySelector('.comment-error')).toBeNull();
    decide.mockResolvedValue(DECIDED);
    element.shadowRoot.querySelector('lightning-button.approve').click();
    await settle();
    expect(decide).toHaveBeenCalledWith({
      quoteId: PENDING.quote.id,
      version: PENDING.quote.version,
      decision: 'approve',
      comment: 'Fine for this rollout',
    });
  });

  it('puts the quote back with the server’s reason when the decision fails', async () => {
    const element = await mount(USER_DISTRIBUTOR, PENDING_DISTRIBUTOR);
    decide.mockRejectedValue({
      status: 409,
      body: { code: 'CONFLICT', message: 'the quote was changed', issues: [] },
    });
    const comment = element.shadowRoot.querySelector('lightning-textarea.comment');
    comment.value = 'Too much';
    comment.dispatchEvent(new CustomEvent('change'));
    element.shadowRoot.querySelector('lightning-button.reject').click();
    await settle();
    const items = element.shadowRoot.querySelectorAll('li.approval');
    expect(items).toHaveLength(1);
    expect(items[0].querySelector('.item-errors').textContent).toContain('Somebody changed this quote');
    // The comment typed is kept for the next try.
    expect(items[0].querySelector('lightning-textarea.comment').value).toBe('Too much');
    expect(decide).toHaveBeenCalledWith(expect.objectContaining({ decision: 'reject', comment: 'Too much' }));
  });
});

describe('c-approval-inbox: channel conflict', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows the vendor admin which registration puts a quote in channel conflict', async () => {
    const pending = [
      {
        ...PENDING_VENDOR[0],
        approval: { ...PENDING_VENDOR[0].approval, level: 'Vendor' },
        channelConflicts: [
          { registrationNumber: 'DR-00001', resellerName: 'Reseller One', families: ['Licenses'], protectedUntil: '2026-05-29' },
        ],
      },
    ];
    const element = await mount(USER_VENDOR, pending);
    const conflicts = [...element.shadowRoot.querySelectorAll('[data-id="channel-conflict"]')].map((li) => li.textContent.trim());
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatch(
      /^Channel conflict: Reseller One registered this customer for Licenses \(DR-00001, protected until .+\)$/,
    );
    expect(element.shadowRoot.querySelector('.level').textContent).toBe(
      'Waiting for the vendor’s approval: channel conflict (another partner registered this customer)',
    );
    await expect(element).toBeAccessible();
  });

  it('shows no conflict where the server sends none', async () => {
    const element = await mount(USER_VENDOR, PENDING_VENDOR);
    expect(element.shadowRoot.querySelector('[data-id="channel-conflict"]')).toBeNull();
  });
});
