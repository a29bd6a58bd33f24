import { fieldError, normalise } from './lineInput';

/**
 * Lines pasted from a spreadsheet: one row per line, the cells SKU, quantity, term (months) and additional
 * discount % (the last two may be left out or empty), separated by tabs (what a spreadsheet copies), or by
 * semicolons or commas. A first row that names the columns is skipped. A decimal comma (12,5) is read as a
 * decimal point when the cells are not separated by commas. All or nothing: one bad row and no line is
 * added; each error names the row (as the partner counts them, from 1) and the cell.
 */

const HEADER = /^(sku|product|artikel|article|produkt)/i;
const MAX_ERRORS = 20;

function splitRow(row, separator) {
  return row.split(separator).map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
}

function separatorOf(rows) {
  const sample = rows.slice(0, 5).join('\n');
  if (sample.includes('\t')) return '\t';
  if (sample.includes(';')) return ';';
  return ',';
}

/**
 * @param {string} text what was pasted
 * @param {Array<{id, sku, name, type, listPrice}>} products the catalog in the quote's currency
 * @param {{ room: number }} options how many lines the quote can still take
 * @returns {{ lines: Array<object>, errors: string[] }}
 */
export function parsePastedLines(text, products, { room }) {
  const rows = String(text ?? '')
    .split(/\r?\n/)
    .map((row, index) => ({ row, number: index + 1 }))
    .filter(({ row }) => row.trim() !== '');
  if (rows.length === 0) return { lines: [], errors: ['Paste rows copied from a spreadsheet: SKU, quantity, term, discount %.'] };
  const separator = separatorOf(rows.map((r) => r.row));
  const decimalComma = separator !== ',';
  if (HEADER.test(splitRow(rows[0].row, separator)[0] ?? '')) rows.shift();

  const bySku = new Map();
  for (const p of products || []) {
    if (p.listPrice === null || p.listPrice === undefined) continue;
    if (p.sku) bySku.set(p.sku.toLowerCase(), p);
    bySku.set(String(p.id).toLowerCase(), p);
  }
  const number = (cell) => (decimalComma && !cell.includes('.') ? cell.replace(',', '.') : cell);

  const lines = [];
  const errors = [];
  for (const { row, number: rowNumber } of rows) {
    const [sku = '', quantity = '', term = '', discount = ''] = splitRow(row, separator);
    const where = `Row ${rowNumber}`;
    const product = bySku.get(sku.toLowerCase());
    const rowErrors = [];
    if (!sku) rowErrors.push(`${where}: the SKU is missing.`);
    else if (!product) rowErrors.push(`${where}: no product with SKU ${sku} is sold in this quote's currency.`);
    const input = { productId: product?.id, quantity: normalise('quantity', number(quantity)) };
    const quantityError = fieldError('quantity', input.quantity);
    if (quantityError) rowErrors.push(`${where}, quantity: ${quantityError}`);
    if (term) {
      if (product && product.type !== 'subscription')
        rowErrors.push(`${where}, term: ${product.name || sku} is sold once, without a term.`);
      const termError = fieldError('termMonths', term);
      if (termError) rowErrors.push(`${where}, term: ${termError}`);
      input.termMonths = normalise('termMonths', term);
    }
    if (discount) {
      const percent = number(discount.replace(/\s*%$/, ''));
      const discountError = fieldError('additionalDiscountPercent', percent);
      if (discountError) rowErrors.push(`${where}, discount: ${discountError}`);
      if (!discountError && Number(percent) > 0)
        input.additionalDiscountPercent = normalise('additionalDiscountPercent', percent);
    }
    if (rowErrors.length) errors.push(...rowErrors);
    else lines.push(input);
  }
  if (errors.length > MAX_ERRORS) {
    const more = errors.length - MAX_ERRORS;
    errors.splice(MAX_ERRORS, more, `and ${more} more problems`);
  }
  if (!errors.length && lines.length > room) {
    errors.push(`The quote can take ${room} more lines; you pasted ${lines.length}. Split them into several quotes.`);
  }
  return errors.length ? { lines: [], errors } : { lines, errors };
}
