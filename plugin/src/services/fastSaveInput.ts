import { PERCENT_DECIMALS, QUANTITY_DECIMALS, decimalPlaces, parseScaled } from '../core/exact.js';
import { MAX_QUOTE_LINES } from '../core/limits.js';
import { LINE_NOTES_MAX, NOTES_FORBIDDEN, QUOTE_NAME_MAX, QUOTE_NOTES_MAX } from '../core/records.js';
import type { saveQuoteInputSchema } from './quotes.js';
import type { z } from 'zod';

/**
 * A hand-written fast path for QuoteController.saveQuote's parameters: the editor saves the whole line list
 * on every save, and zod's safeParse of a 100-line quote was about 8 % of a save's server time (issue 14).
 *
 * Sound, not complete: it answers the parsed parameters only when every value is one that
 * `saveQuoteInputSchema` accepts, and answers exactly what zod would (unknown line keys dropped, numeric
 * quantities as strings); anything else, or anything it is unsure of, gives `undefined` and the caller parses
 * with zod, whose messages name the fields. The rules below copy the schemas' (quotes.ts, core/scenario.ts,
 * core/records.ts); plugin/test/services/fastSaveInput.test.ts checks that both agree on valid and invalid
 * input alike.
 */

export type SaveQuoteParams = z.infer<typeof saveQuoteInputSchema>;
type LineParams = SaveQuoteParams['lines'][number];

const TOP_KEYS = new Set([
  'quoteId',
  'version',
  'name',
  'endCustomerId',
  'startDate',
  'termMonths',
  'lines',
  'notes',
  'additionalDiscountPercent',
]);
const DECIMAL = /^-?\d+(\.\d+)?$/;
/** A subset of z.iso.date(): a real calendar day, checked below. */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length >= 1;
const wholeIn = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;

function isoDate(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = DATE.exec(v);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

function quantity(v: unknown): string | undefined {
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
  if (typeof s !== 'string' || !DECIMAL.test(s) || decimalPlaces(s) > QUANTITY_DECIMALS) return undefined;
  const scaled = parseScaled(s, QUANTITY_DECIMALS);
  if (scaled === undefined || scaled <= 0 || scaled > 1_000_000_000 * 10 ** QUANTITY_DECIMALS) return undefined;
  return s;
}

function percent(v: unknown): v is string {
  if (typeof v !== 'string' || !DECIMAL.test(v)) return false;
  const scaled = parseScaled(v, PERCENT_DECIMALS);
  return scaled !== undefined && scaled >= 0 && scaled <= 100 * 10 ** PERCENT_DECIMALS;
}

/** A note (core/records.ts notesSchema): text within its limit, no control character but tab and line breaks. */
const note = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max && !NOTES_FORBIDDEN.test(v);

const money = (v: unknown): v is string =>
  typeof v === 'string' && DECIMAL.test(v) && !v.startsWith('-') && v.replace('.', '').replace(/^0+/, '').length <= 15;

function line(v: unknown): LineParams | undefined {
  if (!isRecord(v)) return undefined;
  const { id, productId, termMonths, additionalDiscountPercent, additionalDiscountAmount, group, notes } = v;
  const qty = quantity(v.quantity);
  if (!nonEmpty(productId) || qty === undefined) return undefined;
  const out: LineParams = { productId, quantity: qty };
  if (id !== undefined) {
    if (!nonEmpty(id)) return undefined;
    out.id = id;
  }
  if (termMonths !== undefined) {
    if (!wholeIn(termMonths, 1, 1200)) return undefined;
    out.termMonths = termMonths;
  }
  if (additionalDiscountPercent !== undefined) {
    if (!percent(additionalDiscountPercent)) return undefined;
    out.additionalDiscountPercent = additionalDiscountPercent;
  }
  if (additionalDiscountAmount !== undefined) {
    if (!money(additionalDiscountAmount)) return undefined;
    out.additionalDiscountAmount = additionalDiscountAmount;
  }
  if (group !== undefined) {
    if (typeof group !== 'string' || group.length > 80) return undefined;
    out.group = group;
  }
  if (notes !== undefined) {
    if (!note(notes, LINE_NOTES_MAX)) return undefined;
    out.notes = notes;
  }
  return out;
}

/** The parsed parameters, or undefined: then parse with saveQuoteInputSchema (which says what is wrong). */
export function fastSaveQuoteParams(body: unknown): SaveQuoteParams | undefined {
  if (!isRecord(body)) return undefined;
  for (const key in body) if (!TOP_KEYS.has(key)) return undefined;
  const { quoteId, version, name, endCustomerId, startDate, termMonths, lines, notes } = body;
  if (!nonEmpty(quoteId) || !wholeIn(version, 1, Number.MAX_SAFE_INTEGER)) return undefined;
  if (!Array.isArray(lines) || lines.length > MAX_QUOTE_LINES) return undefined;
  const out: SaveQuoteParams = { quoteId, version, lines: [] };
  if (name !== undefined) {
    if (typeof name !== 'string' || name.length > QUOTE_NAME_MAX) return undefined;
    out.name = name;
  }
  if (endCustomerId !== undefined) {
    if (!nonEmpty(endCustomerId)) return undefined;
    out.endCustomerId = endCustomerId;
  }
  if (startDate !== undefined) {
    if (!isoDate(startDate)) return undefined;
    out.startDate = startDate;
  }
  if (termMonths !== undefined) {
    if (termMonths !== null && !wholeIn(termMonths, 1, 1200)) return undefined;
    out.termMonths = termMonths;
  }
  if (notes !== undefined) {
    if (!note(notes, QUOTE_NOTES_MAX)) return undefined;
    out.notes = notes;
  }
  const quoteDiscount = body.additionalDiscountPercent;
  if (quoteDiscount !== undefined) {
    if (quoteDiscount !== null && quoteDiscount !== '' && !percent(quoteDiscount)) return undefined;
    out.additionalDiscountPercent = quoteDiscount === '' ? null : quoteDiscount;
  }
  for (const item of lines) {
    const parsed = line(item);
    if (!parsed) return undefined;
    out.lines.push(parsed);
  }
  return out;
}
