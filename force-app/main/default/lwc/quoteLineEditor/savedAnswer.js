/**
 * The editor's quote after a save. QuoteController.saveQuote answers slim (docs/CONTROLLERS.md, issue 14): the
 * quote's head with `lineIds` (the lines' ids in order, new lines included) instead of its lines, and only the
 * priced lines whose figures changed since the version the editor sent. A line absent from the answer keeps the
 * server figures the editor held; the line records are the inputs the editor sent, under the server's ids.
 * Gives the whole QuoteDetail the editor shows (the same as getQuote would answer).
 */
export function mergeSaved(previous, answer, sentLines) {
  if (!Array.isArray(answer.quote.lineIds)) return answer; // already a whole QuoteDetail
  const { lineIds, ...head } = answer.quote;
  if (lineIds.length !== sentLines.length) {
    throw new Error(`the server saved ${lineIds.length} lines but ${sentLines.length} were sent: reload the quote`);
  }
  const heldFigures = new Map(previous.pricing.lines.map((l) => [l.lineId, l]));
  const heldRecords = new Map(previous.quote.lines.map((l) => [l.id, l]));
  const changed = new Map(answer.pricing.lines.map((l) => [l.lineId, l]));
  const lines = lineIds.map((id, i) => {
    const record = { ...sentLines[i], id };
    const before = heldRecords.get(id);
    // The server keeps a renewal's carried Customer unit on the same line with the same product.
    if (before && before.renewalCustomerUnit !== undefined && before.productId === record.productId) {
      record.renewalCustomerUnit = before.renewalCustomerUnit;
    }
    return record;
  });
  const pricedLines = [];
  for (const id of lineIds) {
    const figures = changed.get(id) || heldFigures.get(id);
    if (!figures) throw new Error(`the server sent no figures for the new line ${id}: reload the quote`);
    pricedLines.push(figures);
  }
  return {
    quote: { ...head, lines },
    pricing: { ...answer.pricing, lines: pricedLines },
    approvals: answer.approvals || previous.approvals,
    actions: answer.actions,
  };
}
