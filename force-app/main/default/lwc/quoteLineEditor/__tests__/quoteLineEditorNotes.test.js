/* eslint-disable @lwc/lwc/no-async-operation -- tests wait for the editor's timers */
// First: the mocks (editorTestSetup.js registers them before the editor loads).
import { $, action, flush, input, mount, slimAnswer, type } from './editorTestSetup';
import saveQuote from '@salesforce/apex/QuoteController.saveQuote';

// Fixtures captured from the local server (`sf cpq preview` on the demo database): quote Q-00005 of
// reseller Fjord IT Partners (r-nordic) via Nordlys Distribution (d-emea), in SEK.
import USER_DISTRIBUTOR from './data/user-distributor.json';
import QUOTE_RESELLER from './data/quote-reseller.json';
import QUOTE_DISTRIBUTOR from './data/quote-distributor.json';
import CONTEXT_DISTRIBUTOR from './data/context-distributor.json';

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
