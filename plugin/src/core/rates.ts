import { minorUnits } from './currency.js';
import { CpqError } from './errors.js';
import type { RoundingMode } from './exact.js';
import type { ExchangeRate } from './scenario.js';

/**
 * Dated exchange rates (CHANNEL.md, Currencies): `{currency, startDate, rate}` = units of `currency` per
 * one unit of the vendor's corporate currency, valid from `startDate` until the next rate of that
 * currency starts, as Salesforce's DatedConversionRate. The corporate currency is always 1.
 * Rates carry at most RATE_DECIMALS decimals (DatedConversionRate.ConversionRate: double, scale 6).
 */

export const RATE_DECIMALS = 6;
const RATE_SCALE = 10n ** BigInt(RATE_DECIMALS);

/** Per currency, its rates scaled by 10^6, latest start first. */
export type CompiledRates = {
  corporate: string;
  byCurrency: Map<string, { startDate: string; rate: bigint }[]>;
};

/** A booking's order-date rate is missing: never counted as 0 (PRICING.md, Dynamic tiers). */
export class MissingRateError extends CpqError {
  public constructor(
    public readonly currency: string,
    public readonly date: string,
    corporate: string,
  ) {
    super(
      `no exchange rate for ${currency} on ${date}: add a rate of ${currency} per ${corporate} starting on or before ${date} (sf cpq rates import)`,
      422,
      'NO_EXCHANGE_RATE',
      [{ path: 'exchangeRates', message: `no ${currency} rate on ${date}`, code: 'NO_EXCHANGE_RATE' }],
    );
  }
}

/** A validated rate string ("10.5", "0.000123") scaled by 10^6. */
export function scaleRate(text: string): bigint | undefined {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > RATE_DECIMALS) return undefined;
  return BigInt(match[1]! + fraction.padEnd(RATE_DECIMALS, '0'));
}

/** A rate written in its shortest form ("0.900000" -> "0.9", "10.0" -> "10"), as an org returns it. */
export function normaliseRate(text: string): string {
  if (!text.includes('.')) return text.replace(/^0+(?=\d)/, '');
  return text
    .replace(/^0+(?=\d)/, '')
    .replace(/0+$/, '')
    .replace(/\.$/, '');
}

export function compileRates(rates: readonly ExchangeRate[], corporate: string): CompiledRates {
  const byCurrency = new Map<string, { startDate: string; rate: bigint }[]>();
  for (const r of rates) {
    const rate = scaleRate(r.rate);
    if (rate === undefined || rate <= 0n) continue; // refused by validation
    const list = byCurrency.get(r.currency) ?? [];
    list.push({ startDate: r.startDate, rate });
    byCurrency.set(r.currency, list);
  }
  for (const list of byCurrency.values())
    list.sort((a, b) => (a.startDate < b.startDate ? 1 : a.startDate > b.startDate ? -1 : 0));
  return { corporate, byCurrency };
}

/** The rate of `currency` valid on `date` (scaled by 10^6), or undefined when none has started yet. */
export function rateOn(rates: CompiledRates, currency: string, date: string): bigint | undefined {
  if (currency === rates.corporate) return RATE_SCALE;
  const list = rates.byCurrency.get(currency);
  if (!list) return undefined;
  for (const r of list) if (r.startDate <= date) return r.rate;
  return undefined;
}

/** Rounds n / d (d > 0) to an integer: halfUp is half away from zero, halfEven to the even neighbour. */
export function divRoundBig(n: bigint, d: bigint, mode: RoundingMode): bigint {
  const negative = n < 0n;
  const a = negative ? -n : n;
  let q = a / d;
  const twice = 2n * (a - q * d);
  if (twice > d || (twice === d && (mode === 'halfUp' || q % 2n === 1n))) q += 1n;
  return negative ? -q : q;
}

/**
 * Converts an amount in minor units of `from` into minor units of `to` at the rates valid on `date`:
 * amount × rate(to) / rate(from), rounded once to `to`'s minor unit. Throws MissingRateError.
 */
export function convertMinor(
  amount: bigint,
  from: string,
  to: string,
  date: string,
  rates: CompiledRates,
  mode: RoundingMode,
): bigint {
  if (from === to) return amount;
  const fromRate = rateOn(rates, from, date);
  if (fromRate === undefined) throw new MissingRateError(from, date, rates.corporate);
  const toRate = rateOn(rates, to, date);
  if (toRate === undefined) throw new MissingRateError(to, date, rates.corporate);
  const fromDigits = BigInt(minorUnits(from) ?? 2);
  const toDigits = BigInt(minorUnits(to) ?? 2);
  return divRoundBig(amount * toRate * 10n ** toDigits, fromRate * 10n ** fromDigits, mode);
}
