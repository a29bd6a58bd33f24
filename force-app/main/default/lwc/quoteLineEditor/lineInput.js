/**
 * Checks of what a partner types into a line, with the same limits as the server's zod schemas
 * (core/scenario.ts), so that only valid lines reach the engine. Messages are in a partner's words.
 */

const QUANTITY = /^\d+(\.\d{1,2})?$/;
const PERCENT = /^\d+(\.\d{1,6})?$/;
const WHOLE = /^\d+$/;

function significantDigits(text) {
  return text.replace('.', '').replace(/^0+/, '').length;
}

/** Returns an error message for `value` in `field`, or null when it is valid. */
export function fieldError(field, value, decimals) {
  const text = value === undefined || value === null ? '' : String(value).trim();
  switch (field) {
    case 'quantity': {
      if (!text) return 'Enter a quantity.';
      if (!QUANTITY.test(text)) return 'Enter a quantity like 30 or 2.5 (at most 2 decimals).';
      const number = Number(text);
      if (number <= 0) return 'The quantity must be greater than zero.';
      if (number > 1_000_000_000) return 'The quantity can be at most 1,000,000,000.';
      return null;
    }
    case 'termMonths': {
      if (!text) return null;
      if (!WHOLE.test(text)) return 'Enter the term as a whole number of months.';
      const months = Number(text);
      if (months < 1 || months > 1200) return 'The term must be between 1 and 1200 months.';
      return null;
    }
    case 'additionalDiscountPercent': {
      if (!text) return null;
      if (!PERCENT.test(text)) return 'Enter a percentage like 5 or 12.5 (at most 6 decimals).';
      if (Number(text) > 100) return 'The discount must be between 0 and 100 %.';
      return null;
    }
    case 'additionalDiscountAmount': {
      if (!text) return null;
      const money = decimals === 0 ? WHOLE : new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`);
      if (!money.test(text)) {
        return decimals === 0
          ? 'Enter the amount per unit as a whole number.'
          : `Enter the amount per unit like 50 or 49.90 (at most ${decimals} decimals).`;
      }
      if (significantDigits(text) > 15) return 'The amount has too many digits.';
      return null;
    }
    case 'group':
      return text.length > 80 ? 'A group name can be at most 80 characters.' : null;
    default:
      return null;
  }
}

/** The value to store for a field: trimmed text, or undefined for an empty optional field. */
export function normalise(field, value) {
  const text = value === undefined || value === null ? '' : String(value).trim();
  if (field === 'quantity') return text;
  return text === '' ? undefined : text;
}

/** What the save sends for a line: its inputs only, never a price (the server prices every save). */
export function saveLine(input) {
  const line = { productId: input.productId, quantity: input.quantity };
  if (input.id) line.id = input.id;
  if (input.termMonths) line.termMonths = Number(input.termMonths);
  if (input.additionalDiscountPercent) line.additionalDiscountPercent = input.additionalDiscountPercent;
  if (input.additionalDiscountAmount) line.additionalDiscountAmount = input.additionalDiscountAmount;
  if (input.group) line.group = input.group;
  const notes = noteOf(input.notes);
  if (notes) line.notes = notes;
  return line;
}

/** The server's limits of a note (core/records.ts): the quote's and a line's. */
export const QUOTE_NOTES_MAX = 4000;
export const LINE_NOTES_MAX = 1000;
// Control characters but tab, line feed and carriage return (the server refuses them).
// eslint-disable-next-line no-control-regex
const NOTE_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Why a note cannot be saved, or null. */
export function noteError(text, max) {
  const value = text || '';
  if (value.length > max)
    return `A note can be at most ${max.toLocaleString('en-US')} characters (this one has ${value.length.toLocaleString('en-US')}).`;
  if (NOTE_FORBIDDEN.test(value)) return 'A note can hold only plain text: remove the control characters pasted into it.';
  return null;
}

/** A note as the server stores it (services/quotes.ts noteOf): LF line breaks, no trailing blanks; '' when blank. */
export function noteOf(text) {
  return String(text || '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\n]+$/, '');
}
