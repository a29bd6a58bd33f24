import { parsePastedLines } from '../pastedLines';
import CATALOG from './data/catalog-sek.json';

const parse = (text, room = 100) => parsePastedLines(text, CATALOG.products, { room });

describe('parsePastedLines', () => {
  it('reads rows copied from a spreadsheet: SKU, quantity, term, discount %, header row skipped', () => {
    const text = 'SKU\tQty\tTerm\tDiscount\nLIC-ANALYTICS-STD\t25\t\t5\nsub-cloud-pro\t10\t24\t12,5 %\r\nSVC-ONBOARDING\t2\n\n';
    expect(parse(text)).toEqual({
      lines: [
        { productId: 'lic-analytics-std', quantity: '25', additionalDiscountPercent: '5' },
        { productId: 'sub-cloud-pro', quantity: '10', termMonths: '24', additionalDiscountPercent: '12.5' },
        { productId: 'svc-onboarding', quantity: '2' },
      ],
      errors: [],
    });
  });

  it('reads semicolons and commas, and a decimal comma only where commas do not separate cells', () => {
    expect(parse('LIC-DESIGNER;2,5').lines).toEqual([{ productId: 'lic-designer', quantity: '2.5' }]);
    expect(parse('LIC-DESIGNER,3,,10').lines).toEqual([
      { productId: 'lic-designer', quantity: '3', additionalDiscountPercent: '10' },
    ]);
  });

  it('adds nothing when a row is wrong, and names each bad row and cell', () => {
    const text = 'LIC-DESIGNER\t2\nNO-SUCH\t1\nLIC-DESIGNER\t0\nLIC-DESIGNER\t1\t12\nSUB-CLOUD-STD\t1\t0\t120';
    const { lines, errors } = parse(text);
    expect(lines).toEqual([]);
    expect(errors).toEqual([
      "Row 2: no product with SKU NO-SUCH is sold in this quote's currency.",
      'Row 3, quantity: The quantity must be greater than zero.',
      'Row 4, term: Northwind Report Designer licence is sold once, without a term.',
      'Row 5, term: The term must be between 1 and 1200 months.',
      'Row 5, discount: The discount must be between 0 and 100 %.',
    ]);
  });

  it('keeps within the lines the quote can still take', () => {
    expect(parse('LIC-DESIGNER\t1\nLIC-DESIGNER\t2', 1)).toEqual({
      lines: [],
      errors: ['The quote can take 1 more lines; you pasted 2. Split them into several quotes.'],
    });
  });

  it('says what to paste when nothing was', () => {
    expect(parse('  \n ').errors).toEqual(['Paste rows copied from a spreadsheet: SKU, quantity, term, discount %.']);
  });
});
