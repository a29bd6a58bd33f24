// First: the mocks (editorTestSetup.js registers them before the editor loads).
import { $, cell, flush, mount, total, wait } from './editorTestSetup';
import saveQuote from '@salesforce/apex/QuoteController.saveQuote';

// The quote discount (docs/PRICING-NOTES.md, Quote discount) in the editor, on the fixtures of
// quoteLineEditor.test.js: quote Q-00005 of Fjord IT Partners via Nordlys Distribution, in SEK.
import QUOTE_RESELLER from './data/quote-reseller.json';

async function typeDiscount(element, value) {
  const field = $(element, '[data-id="quote-discount"]');
  field.value = value;
  field.dispatchEvent(new CustomEvent('input'));
  field.dispatchEvent(new CustomEvent('change'));
  await wait(10);
  await flush();
}

/** The slim answer of a save (docs/CONTROLLERS.md): the head with lineIds, every priced line. */
function slimAnswer(detail) {
  const { lines, ...head } = detail.quote;
  return { quote: { ...head, lineIds: lines.map((l) => l.id) }, pricing: detail.pricing, actions: detail.actions };
}

describe('c-quote-line-editor: the quote discount', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('re-prices in the browser the lines without a discount of their own, and sends it with the quote', async () => {
    const element = await mount();
    expect($(element, '[data-id="quote-discount"]').value).toBe('');
    await typeDiscount(element, '10');
    // Line 1 keeps its own 5 %: 11,029.50. Line 2 (lic-designer, Regular 6,900.00) takes 10 %: 6,210.00, Partner
    // 22 % of it = 4,843.80. Line 3 (svc-onboarding, 16,500.00): 14,850.00, Partner 8 % = 13,662.00.
    expect(cell(element, 1, 'customerUnit')).toBe('11,029.50');
    expect(cell(element, 2, 'customerUnit')).toBe('6,210.00');
    expect(cell(element, 2, 'partnerTotal')).toBe('19,375.20');
    expect(cell(element, 3, 'customerUnit')).toBe('14,850.00');
    // 132,354.00 + 4 x 6,210.00 + 2 x 14,850.00; Partner 103,236.12 + 19,375.20 + 27,324.00.
    expect(total(element, 'customer')).toBe('SEK 186,894.00');
    expect(total(element, 'partner')).toBe('SEK 149,935.32');
    await expect(element).toBeAccessible();

    saveQuote.mockResolvedValue(slimAnswer(QUOTE_RESELLER));
    $(element, '[data-id="save"]').click();
    await flush();
    expect(saveQuote.mock.calls[0][0]).toEqual(expect.objectContaining({ additionalDiscountPercent: '10' }));
  });

  it('names a wrong value and keeps the last valid prices', async () => {
    const element = await mount();
    await typeDiscount(element, '10');
    await typeDiscount(element, '101');
    expect($(element, '[data-id="quote-discount-field"]').textContent).toContain('between 0 and 100');
    expect(cell(element, 2, 'customerUnit')).toBe('6,210.00');
    await typeDiscount(element, 'abc');
    expect($(element, '[data-id="quote-discount-field"]').textContent).toContain('Enter a percentage');
    expect(total(element, 'customer')).toBe('SEK 186,894.00');
  });

  it('shows a saved quote discount and clears it with an empty field', async () => {
    const saved = {
      ...QUOTE_RESELLER,
      quote: { ...QUOTE_RESELLER.quote, additionalDiscountPercent: '10' },
    };
    const element = await mount({ quote: saved });
    expect($(element, '[data-id="quote-discount"]').value).toBe('10');
    await typeDiscount(element, '');
    // Line 2 back to its Regular price.
    expect(cell(element, 2, 'customerUnit')).toBe('6,900.00');
    saveQuote.mockResolvedValue(slimAnswer(QUOTE_RESELLER));
    $(element, '[data-id="save"]').click();
    await flush();
    expect(saveQuote.mock.calls[0][0]).toEqual(expect.objectContaining({ additionalDiscountPercent: '' }));
  });
});
