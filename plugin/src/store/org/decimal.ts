/**
 * Decimal strings <-> the JSON numbers of the REST API, exactly.
 *
 * Salesforce number fields cross REST as JSON numbers, and JSON.parse (jsforce) turns them into doubles.
 * A decimal with at most 15 significant digits survives that trip unchanged: two such decimals always lie
 * further apart than two neighbouring doubles (10^-15 relative against 2^-52 ~ 2.2*10^-16), so the double
 * nearest to it is nearest to no other 15-digit decimal, and JavaScript's shortest round-trip formatting
 * (`String(x)`) gives back exactly its digits. The store's money is capped at 15 significant digits
 * (moneySchema), percentages (scale 6, at most 100) and quantities (scale 2, at most 10^9) have fewer; so
 * every value the store writes reads back exactly. A value with more digits (18 fit Number(18, 4), written
 * by someone else) is refused on read rather than silently rounded. NB: the bound is 15 significant digits,
 * i.e. money up to 99,999,999,999.9999 at scale 4; Number(18, 4) values up to 2^53/10^4 (16 digits) are NOT
 * all distinguishable as doubles.
 */

const MAX_DIGITS = 15;

function significantDigits(text: string): number {
  return text.replace('-', '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
}

/** A decimal string as the JSON number Salesforce parses back to the same decimal. */
export function toNumber(value: string): number;
export function toNumber(value: string | null | undefined): number | null;
export function toNumber(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new RangeError(`not a decimal number: ${JSON.stringify(value)}`);
  if (significantDigits(value) > MAX_DIGITS) throw new RangeError(`${value} has more than ${MAX_DIGITS} significant digits`);
  return Number(value);
}

/** A JSON number from Salesforce as a decimal string with at least `minDecimals` decimals ("1200" -> "1200.00"). */
export function fromNumber(value: unknown, minDecimals = 0): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`not a number: ${JSON.stringify(value)}`);
  const text = String(value);
  if (!/^-?\d+(\.\d+)?$/.test(text) || significantDigits(text) > MAX_DIGITS) {
    throw new RangeError(`${text} cannot be read exactly (more than ${MAX_DIGITS} significant digits)`);
  }
  const [whole, fraction = ''] = text.split('.');
  return minDecimals === 0 && fraction === '' ? whole! : `${whole}.${fraction.padEnd(minDecimals, '0')}`;
}
