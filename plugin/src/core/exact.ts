/**
 * Exact integer arithmetic for money.
 *
 * Prices are integers of minor units (cents), percentages integers scaled by PERCENT_SCALE and
 * quantities integers scaled by QUANTITY_SCALE. A JavaScript number holds every integer below 2^53
 * exactly, so the hot path stays on plain numbers (no allocation per operation, which is what makes
 * 10,000 lines re-price in a few milliseconds); any intermediate product that could leave that range
 * is redone with BigInt. Nothing here ever rounds except `divRound`, which rounds exactly once.
 * The functions are checked against decimal.js on random inputs (plugin/test/core/exact.test.ts).
 */

export type RoundingMode = 'halfUp' | 'halfEven';

/** Percent decimals kept exactly: "12.345678" is 12345678 units of 1e-6 percent. */
export const PERCENT_DECIMALS = 6;
export const PERCENT_SCALE = 10 ** PERCENT_DECIMALS;
/** 100 % in scaled units. */
export const HUNDRED_PERCENT = 100 * PERCENT_SCALE;
/** Quantity decimals kept exactly. */
export const QUANTITY_DECIMALS = 2;
export const QUANTITY_SCALE = 10 ** QUANTITY_DECIMALS;

const LIMIT = 2 ** 53;
/** The largest magnitude held exactly, in minor units (and any scaled unit): 2^53 - 1. */
export const MAX_EXACT = LIMIT - 1;

/** Thrown when a result cannot be held exactly; the engine turns it into the AMOUNT_TOO_LARGE line error. */
export class AmountTooLargeError extends RangeError {
  public constructor() {
    super('amount beyond 2^53 minor units');
    this.name = 'AmountTooLargeError';
  }
}

function isExact(n: number): boolean {
  return n < LIMIT && n > -LIMIT;
}

/** Rounds n / d to an integer with the given mode; n and d exact integers, d > 0. */
export function divRound(n: number, d: number, mode: RoundingMode): number {
  let q = Math.floor(n / d);
  let r = n - q * d;
  // The float quotient can be one off near integers; the remainder tells and corrects it exactly.
  if (r < 0) {
    q -= 1;
    r += d;
  } else if (r >= d) {
    q += 1;
    r -= d;
  }
  // Now n = q*d + r with 0 <= r < d, so the exact value is q + r/d.
  const twice = 2 * r;
  if (twice > d) return q + 1;
  if (twice < d) return q;
  // Exactly half way between q and q + 1.
  if (mode === 'halfEven') return q % 2 === 0 ? q : q + 1;
  // halfUp is half away from zero: up for positive values, down (q) for negative ones.
  return n >= 0 ? q + 1 : q;
}

function bigDivRound(n: bigint, d: bigint, mode: RoundingMode): bigint {
  let q = n / d; // truncates toward zero
  let r = n - q * d;
  if (r < 0n) {
    q -= 1n;
    r += d;
  }
  const twice = 2n * r;
  if (twice > d) return q + 1n;
  if (twice < d) return q;
  if (mode === 'halfEven') return q % 2n === 0n ? q : q + 1n;
  return n >= 0n ? q + 1n : q;
}

function toExactNumber(n: bigint): number {
  if (n >= BigInt(LIMIT) || n <= -BigInt(LIMIT)) throw new AmountTooLargeError();
  return Number(n);
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** round(a * b / d) exactly; a, b, d integers, d > 0. */
export function mulDivRound(a: number, b: number, d: number, mode: RoundingMode): number {
  if (b === d) return a;
  const p = a * b;
  if (isExact(p)) return divRound(p, d, mode);
  // Reduce the fraction first: slab percentages and prorations usually shrink back into range.
  const g = gcd(b, d);
  const b1 = b / g;
  const d1 = d / g;
  const g2 = gcd(a, d1);
  const a2 = a / g2;
  const d2 = d1 / g2;
  const p2 = a2 * b1;
  if (isExact(p2)) return divRound(p2, d2, mode);
  return toExactNumber(bigDivRound(BigInt(a2) * BigInt(b1), BigInt(d2), mode));
}

/** round((a * b - c * e) / d) exactly; all integers, d > 0. Used by offList: Customer - List x percent. */
export function mulSubMulDivRound(a: number, b: number, c: number, e: number, d: number, mode: RoundingMode): number {
  const ab = a * b;
  const ce = c * e;
  const n = ab - ce;
  if (isExact(ab) && isExact(ce) && isExact(n)) return divRound(n, d, mode);
  const big = BigInt(a) * BigInt(b) - BigInt(c) * BigInt(e);
  return toExactNumber(bigDivRound(big, BigInt(d), mode));
}

/** round(a * b / d) exactly on BigInt operands (d > 0); the result must be in exact range, else AmountTooLargeError. */
export function bigMulDivRound(a: bigint, b: bigint, d: bigint, mode: RoundingMode): number {
  return toExactNumber(bigDivRound(a * b, d, mode));
}

function bigGcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/**
 * n / d (d > 0) as a fraction of plain numbers: reduced when that brings both into exact range, else rounded
 * halfUp to an integer over 1 (then exact to the unit, which is what a caller rounding halfUp to units gets).
 */
export function numberFraction(n: bigint, d: bigint): [numerator: number, denominator: number] {
  const g = bigGcd(n, d);
  const rn = g === 0n ? n : n / g;
  const rd = g === 0n ? d : d / g;
  const max = BigInt(MAX_EXACT);
  if (rn <= max && rn >= -max && rd <= max) return [Number(rn), Number(rd)];
  return [toExactNumber(bigDivRound(n, d, 'halfUp')), 1];
}

/** a * b exactly, or AmountTooLargeError. */
export function mulExact(a: number, b: number): number {
  const p = a * b;
  if (isExact(p)) return p;
  throw new AmountTooLargeError();
}

/** a + b exactly, or AmountTooLargeError. */
export function addExact(a: number, b: number): number {
  const s = a + b;
  if (isExact(s)) return s;
  throw new AmountTooLargeError();
}

/** Compares a * b with c * e exactly (sign of a*b - c*e). */
export function compareProducts(a: number, b: number, c: number, e: number): number {
  const ab = a * b;
  const ce = c * e;
  if (isExact(ab) && isExact(ce)) return Math.sign(ab - ce);
  const diff = BigInt(a) * BigInt(b) - BigInt(c) * BigInt(e);
  return diff > 0n ? 1 : diff < 0n ? -1 : 0;
}

/**
 * Parses a plain decimal string ("1234.5", "-3", "0.125") into an integer scaled by 10^decimals.
 * Returns undefined when the string has more decimals than allowed or is not a plain decimal.
 */
export function parseScaled(text: string, decimals: number): number | undefined {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign, whole = '', fraction = ''] = match;
  const trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length > decimals) return undefined;
  const digits = (whole + trimmed.padEnd(decimals, '0')).replace(/^0+(?=\d)/, '');
  const value = Number(digits);
  if (!isExact(value) || digits.length > 16) return undefined;
  return sign === '-' && value !== 0 ? -value : value;
}

/** Number of decimals written in a plain decimal string, trailing zeros ignored. */
export function decimalPlaces(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return 0;
  return text.slice(dot + 1).replace(/0+$/, '').length;
}

/** Formats an integer scaled by 10^decimals as a plain decimal string with exactly that many decimals. */
export function formatScaled(value: number, decimals: number): string {
  const negative = value < 0;
  const digits = String(negative ? -value : value);
  if (decimals === 0) return negative ? '-' + digits : digits;
  const padded = digits.padStart(decimals + 1, '0');
  const cut = padded.length - decimals;
  return (negative ? '-' : '') + padded.slice(0, cut) + '.' + padded.slice(cut);
}

/** Formats a scaled integer with the fewest decimals that keep it exact ("25", "12.5"). */
export function formatScaledShort(value: number, decimals: number): string {
  let v = value;
  let d = decimals;
  // Drop trailing zero decimals on the integer before formatting (cheaper than trimming the string).
  while (d > 0 && v % 10 === 0) {
    v /= 10;
    d--;
  }
  return formatScaled(v, d);
}
