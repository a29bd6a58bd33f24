/* eslint-disable @lwc/lwc/no-async-operation -- tests wait for the editor's timers */
import { createElement } from 'lwc';
import QuoteLineEditor from 'c/quoteLineEditor';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import getQuote from '@salesforce/apex/QuoteController.getQuote';
import getPricingContext from '@salesforce/apex/QuoteController.getPricingContext';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import saveQuote from '@salesforce/apex/QuoteController.saveQuote';

// Fixtures captured from the local server (`sf cpq preview` on the demo database): quote Q-00005 of
// reseller Fjord IT Partners (r-nordic) via Nordlys Distribution (d-emea), in SEK.
import USER_RESELLER from './data/user-reseller.json';
import USER_DISTRIBUTOR from './data/user-distributor.json';
import QUOTE_RESELLER from './data/quote-reseller.json';
import QUOTE_DISTRIBUTOR from './data/quote-distributor.json';
import CONTEXT_RESELLER from './data/context-reseller.json';
import CONTEXT_DISTRIBUTOR from './data/context-distributor.json';
import CATALOG from './data/catalog-sek.json';

jest.mock('@salesforce/apex/SessionController.getCurrentUser', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getPricingContext', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getCatalog', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.saveQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.submitForApproval', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.acceptQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.cloneQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/DealRegistrationController.listDeals', () => ({ default: jest.fn() }), { virtual: true });
// NavigationMixin that records where the component navigates.
jest.mock('lightning/navigation', () => {
  const Navigate = Symbol('Navigate');
  const navigate = jest.fn();
  const NavigationMixin = (Base) =>
    class extends Base {
      [Navigate](pageReference) {
        navigate(pageReference);
      }
    };
  NavigationMixin.Navigate = Navigate;
  NavigationMixin.GenerateUrl = Symbol('GenerateUrl');
  return { NavigationMixin, navigateMock: navigate };
});
jest.mock('@salesforce/apex/OrderController.requestOrder', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteDocumentController.saveDocument', () => ({ default: jest.fn() }), { virtual: true });

// Accessibility scans take seconds on a busy machine.
jest.setTimeout(30000);

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount({ user = USER_RESELLER, quote = QUOTE_RESELLER, context = CONTEXT_RESELLER } = {}) {
  getCurrentUser.mockResolvedValue(user);
  getQuote.mockResolvedValue(quote);
  getPricingContext.mockResolvedValue(context);
  getCatalog.mockResolvedValue(CATALOG);
  const element = createElement('c-quote-line-editor', { is: QuoteLineEditor });
  element.recordId = quote.quote.id;
  document.body.appendChild(element);
  await flush();
  await flush();
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const grid = (element) => $(element, 'c-quote-line-grid').shadowRoot;
const input = (element, line, field) =>
  grid(element).querySelector(`tr[data-line-number="${line}"] input[data-field="${field}"]`);
const action = (element, line, name) => grid(element).querySelector(`tr[data-line-number="${line}"] [data-action="${name}"]`);

function type(inputElement, value, eventName = 'change') {
  inputElement.value = value;
  inputElement.dispatchEvent(new CustomEvent('input'));
  if (eventName === 'change') inputElement.dispatchEvent(new CustomEvent('change'));
}

/**
 * QuoteController.saveQuote's slim answer for a save of `before` that the server answers as `after`: the head
 * with lineIds, only the priced lines whose figures differ from `before`'s (docs/CONTROLLERS.md).
 */
function slimAnswer(after, before) {
  const held = new Map(before.pricing.lines.map((l) => [l.lineId, JSON.stringify(l)]));
  const { lines, ...head } = after.quote;
  return {
    quote: { ...head, lineIds: lines.map((l) => l.id) },
    pricing: { ...after.pricing, lines: after.pricing.lines.filter((l) => held.get(l.lineId) !== JSON.stringify(l)) },
    actions: after.actions,
  };
}

const withNotes = (detail, quoteNotes, lineNotes) => ({
  ...detail,
  quote: {
    ...detail.quote,
    ...(quoteNotes ? { notes: quoteNotes } : {}),
    lines: detail.quote.lines.map((l, i) => (lineNotes[i] ? { ...l, notes: lineNotes[i] } : l)),
  },
});

describe('c-quote-line-editor: notes for the customer (docs/DOCUMENT.md)', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('edits the quote note and a line note and saves both with the quote, pricing nothing', async () => {
    const element = await mount({ quote: withNotes(QUOTE_RESELLER, 'Valid for June orders.', []) });
    const quoteNotes = $(element, '[data-id="quote-notes"]');
    expect(quoteNotes.value).toBe('Valid for June orders.');
    const pricedAt = $(element, '[data-id="totals"]').dataset.pricedAt;
    type(quoteNotes, 'Valid for June orders.\r\nInstallation included.  ', 'input');
    await flush();
    expect($(element, '[data-id="unsaved-badge"]')).not.toBeNull();

    // The line's note button opens its dialog; Keep note puts the note on the line.
    const button = action(element, 2, 'notes');
    expect(button.title).toBe('Add a note for the customer on line 2');
    button.click();
    await flush();
    const dialog = $(element, '[data-id="line-note-dialog"]');
    expect(dialog.querySelector('h2').textContent).toBe('Note for the customer on line 2');
    const text = $(element, '[data-id="line-note-text"]');
    type(text, 'Seats for the Malmö office', 'input');
    await flush();
    expect($(element, '[data-id="line-note-length"]').textContent).toBe('26 / 1,000');
    $(element, '[data-id="line-note-save"]').click();
    await flush();
    expect($(element, '[data-id="line-note-dialog"]')).toBeNull();
    expect(action(element, 2, 'notes').title).toBe('Note for the customer on line 2 (has a note)');
    expect(action(element, 2, 'notes').variant).toBe('brand');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Notes are no priced input: no pricing ran.
    expect($(element, '[data-id="totals"]').dataset.pricedAt).toBe(pricedAt);
    await expect(element).toBeAccessible();

    saveQuote.mockResolvedValue(
      slimAnswer(
        withNotes(QUOTE_RESELLER, 'Valid for June orders.\nInstallation included.', [undefined, 'Seats for the Malmö office']),
        QUOTE_RESELLER,
      ),
    );
    $(element, '[data-id="save"]').click();
    await flush();
    await flush();
    const params = saveQuote.mock.calls[0][0];
    // Sent as the server stores it: LF line breaks, no trailing blanks.
    expect(params.notes).toBe('Valid for June orders.\nInstallation included.');
    expect(params.lines.map((l) => l.notes)).toEqual([undefined, 'Seats for the Malmö office', undefined]);
    expect($(element, '[data-id="unsaved-badge"]')).toBeNull();
    expect(action(element, 2, 'notes').title).toBe('Note for the customer on line 2 (has a note)');
  });

  it('refuses a note over its limit or with control characters, and Esc closes the dialog unchanged', async () => {
    const element = await mount();
    action(element, 1, 'notes').click();
    await flush();
    type($(element, '[data-id="line-note-text"]'), 'x'.repeat(1001), 'input');
    await flush();
    expect($(element, '[data-id="line-note-error"]').textContent).toBe(
      'A note can be at most 1,000 characters (this one has 1,001).',
    );
    $(element, '[data-id="line-note-save"]').click();
    await flush();
    expect($(element, '[data-id="line-note-dialog"]')).not.toBeNull();
    type($(element, '[data-id="line-note-text"]'), 'bell\u0007', 'input');
    await flush();
    expect($(element, '[data-id="line-note-error"]').textContent).toContain('only plain text');
    $(element, '[data-id="line-note-dialog"]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await flush();
    expect($(element, '[data-id="line-note-dialog"]')).toBeNull();
    expect(action(element, 1, 'notes').title).toBe('Add a note for the customer on line 1');
    expect($(element, '[data-id="unsaved-badge"]')).toBeNull();
    // The quote note: over 4,000 characters blocks Save and says why.
    type($(element, '[data-id="quote-notes"]'), 'n'.repeat(4001), 'input');
    await flush();
    expect($(element, '[data-id="quote-notes-error"]').textContent).toBe(
      'A note can be at most 4,000 characters (this one has 4,001).',
    );
    expect($(element, '[data-id="save"]').disabled).toBe(true);
  });

  it('removes the quote note by sending it blank, and sends none for a quote that never had one', async () => {
    const element = await mount({ quote: withNotes(QUOTE_RESELLER, 'Old note', []) });
    type($(element, '[data-id="quote-notes"]'), '  ', 'input');
    await flush();
    saveQuote.mockResolvedValue(slimAnswer(QUOTE_RESELLER, QUOTE_RESELLER));
    $(element, '[data-id="save"]').click();
    await flush();
    await flush();
    expect(saveQuote.mock.calls[0][0].notes).toBe('');
    expect($(element, '[data-id="quote-notes"]').value).toBe('');
    type(input(element, 1, 'quantity'), '13');
    await flush();
    $(element, '[data-id="save"]').click();
    await flush();
    expect('notes' in saveQuote.mock.calls[1][0]).toBe(false);
  });

  it('shows the notes read only to the distributor: the quote note as text, a line note only where there is one', async () => {
    const element = await mount({
      user: USER_DISTRIBUTOR,
      quote: withNotes(QUOTE_DISTRIBUTOR, 'Valid for June orders.\nInstallation included.', [undefined, 'Seats for Malmö']),
      context: CONTEXT_DISTRIBUTOR,
    });
    expect($(element, '[data-id="quote-notes"]')).toBeNull();
    expect($(element, '[data-id="quote-notes-static"]').textContent).toBe('Valid for June orders.\nInstallation included.');
    expect(action(element, 1, 'notes')).toBeNull();
    action(element, 2, 'notes').click();
    await flush();
    const text = $(element, '[data-id="line-note-text"]');
    expect(text.value).toBe('Seats for Malmö');
    expect(text.readOnly).toBe(true);
    expect($(element, '[data-id="line-note-save"]')).toBeNull();
    $(element, '[data-id="line-note-cancel"]').click();
    await flush();
    expect($(element, '[data-id="line-note-dialog"]')).toBeNull();
  });
});
