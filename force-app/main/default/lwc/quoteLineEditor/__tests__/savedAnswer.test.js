import { mergeSaved } from '../savedAnswer';
import QUOTE_RESELLER from './data/quote-reseller.json';

/** A slim save answer (QuoteController.saveQuote) from a whole QuoteDetail: only the lines `changed`. */
function slim(detail, changed) {
  const { lines, ...head } = detail.quote;
  return {
    quote: { ...head, version: head.version + 1, lineIds: lines.map((l) => l.id) },
    pricing: { ...detail.pricing, lines: changed },
    actions: detail.actions,
  };
}
const sent = (detail) =>
  detail.quote.lines.map((line) => {
    const copy = { ...line };
    delete copy.renewalCustomerUnit;
    return copy;
  });

describe('mergeSaved (the editor after a slim save answer)', () => {
  const [first, second, third] = QUOTE_RESELLER.pricing.lines;

  it('keeps the figures of a line the answer leaves out and takes the new figures of a changed one', () => {
    const changedFirst = { ...first, quantity: '13', customer: { unit: '11029.50', total: '143383.50' } };
    const merged = mergeSaved(QUOTE_RESELLER, slim(QUOTE_RESELLER, [changedFirst]), sent(QUOTE_RESELLER));
    expect(merged.pricing.lines).toEqual([changedFirst, second, third]);
    expect(merged.pricing.lines[1]).toBe(second); // the very figures held
    expect(merged.quote.version).toBe(QUOTE_RESELLER.quote.version + 1);
    expect(merged.quote.lines.map((l) => l.id)).toEqual(QUOTE_RESELLER.quote.lines.map((l) => l.id));
    expect(merged.quote).not.toHaveProperty('lineIds');
    expect(merged.approvals).toBe(QUOTE_RESELLER.approvals);
  });

  it('gives new lines the server ids and figures, drops deleted lines, and takes approvals when sent', () => {
    const added = { ...third, lineId: 'new-id', quantity: '1' };
    const answer = slim(QUOTE_RESELLER, [added]);
    answer.quote.lineIds = [QUOTE_RESELLER.quote.lines[0].id, 'new-id'];
    answer.approvals = [{ id: 'a1', status: 'Rejected' }];
    const lines = [sent(QUOTE_RESELLER)[0], { productId: third.productId, quantity: '1' }];
    const merged = mergeSaved(QUOTE_RESELLER, answer, lines);
    expect(merged.pricing.lines).toEqual([first, added]);
    expect(merged.quote.lines).toEqual([{ ...lines[0] }, { productId: third.productId, quantity: '1', id: 'new-id' }]);
    expect(merged.approvals).toEqual([{ id: 'a1', status: 'Rejected' }]);
  });

  it('refuses an answer whose lines do not match the lines sent', () => {
    expect(() => mergeSaved(QUOTE_RESELLER, slim(QUOTE_RESELLER, []), sent(QUOTE_RESELLER).slice(1))).toThrow(/reload the quote/);
    const answer = slim(QUOTE_RESELLER, []);
    answer.quote.lineIds[2] = 'unknown';
    expect(() => mergeSaved(QUOTE_RESELLER, answer, sent(QUOTE_RESELLER))).toThrow(/no figures for the new line unknown/);
  });

  it('passes a whole QuoteDetail through', () => {
    expect(mergeSaved(QUOTE_RESELLER, QUOTE_RESELLER, sent(QUOTE_RESELLER))).toBe(QUOTE_RESELLER);
  });
});
