import { minorUnits } from './currency.js';
import { PERCENT_DECIMALS, QUANTITY_DECIMALS, parseScaled } from './exact.js';
import { compileRates, convertMinor, MissingRateError, type CompiledRates } from './rates.js';
import type {
  Agreement,
  AgreementRule,
  Booking,
  DiscountSchedule,
  ExchangeRate,
  Product,
  Scenario,
  Settings,
} from './scenario.js';

/**
 * The catalog side of a scenario turned into numbers and indexes once, so that re-pricing a quote
 * (on every keystroke in the editor) does no parsing: money as integer minor units, percentages and
 * quantities as scaled integers, rules grouped by scope and sorted for resolution.
 */

export type CompiledTier = { index: number; from: number; to: number; percent: number };

export type CompiledSchedule = {
  id: string;
  type: DiscountSchedule['type'];
  aggregation: DiscountSchedule['aggregation'];
  tiers: CompiledTier[];
};

export type CompiledProduct = {
  id: string;
  family: string | undefined;
  type: Product['type'];
  termMonths: number | undefined;
  schedule: CompiledSchedule | undefined;
  nonDiscountable: boolean;
  nonPartnerDiscountable: boolean;
};

export type CompiledRule = {
  index: number;
  id: string | undefined;
  scope: AgreementRule['scope'];
  value: string | undefined;
  minQuantity: number;
  discount: number;
  cap: number | undefined;
};

export type CompiledAgreement = {
  id: string;
  partnerId: string;
  sellerId: string;
  validFrom: string;
  validTo: string;
  status: Agreement['status'];
  byProduct: Map<string, CompiledRule[]>;
  byFamily: Map<string, CompiledRule[]>;
  forAll: CompiledRule[];
  /** Highest threshold first. */
  tiers: { name: string; minBookings: bigint; bonus: number }[];
  channelMode: Agreement['channelMode'];
  /** registeredDealBonusPercent, scaled; 0 when none. */
  dealBonus: number;
};

export type PricingCatalog = {
  settings: Settings;
  vendorId: string;
  products: Map<string, CompiledProduct>;
  /** currency -> product id -> list price in minor units */
  prices: Map<string, Map<string, number>>;
  agreementsByPartner: Map<string, CompiledAgreement[]>;
  /** Keyed by bookingsKey(partner, seller): a partner's purchases from one seller only (PRICING.md). */
  bookingsByPartner: Map<string, CompiledBooking[]>;
  rates: CompiledRates;
};

/**
 * One ledger entry converted into the bookings currency at its order date's rate; `missing` names the
 * currency whose rate was missing (the entry then has no amount, and counting it is an error).
 */
export type CompiledBooking = { date: string; amount: bigint; missing?: MissingRateError };

/** The key of a partner's bookings with one seller. */
export const bookingsKey = (partnerId: string, sellerId: string): string => `${partnerId}\u0000${sellerId}`;

const OPEN_END = Number.MAX_SAFE_INTEGER;

/** Parses a value already validated by the scenario schema. */
export function scaled(text: string, decimals: number): number {
  const value = parseScaled(text, decimals);
  if (value === undefined) throw new Error(`not a validated decimal: ${text}`);
  return value;
}

export const percentOf = (text: string): number => scaled(text, PERCENT_DECIMALS);
export const quantityOf = (text: string): number => scaled(text, QUANTITY_DECIMALS);

export function compileSchedule(d: DiscountSchedule): CompiledSchedule {
  return {
    id: d.id,
    type: d.type,
    aggregation: d.aggregation,
    tiers: d.tiers.map((t, index) => ({
      index,
      from: quantityOf(t.from),
      to: t.to === undefined ? OPEN_END : quantityOf(t.to),
      percent: percentOf(t.discountPercent),
    })),
  };
}

function compileRule(r: AgreementRule, index: number): CompiledRule {
  return {
    index,
    id: r.id,
    scope: r.scope,
    value: r.value,
    minQuantity: r.minQuantity === undefined ? 0 : quantityOf(r.minQuantity),
    discount: percentOf(r.discountPercent),
    cap: r.maxAdditionalDiscountPercent === undefined ? undefined : percentOf(r.maxAdditionalDiscountPercent),
  };
}

function pushRule(map: Map<string, CompiledRule[]>, key: string, rule: CompiledRule): void {
  const list = map.get(key);
  if (list) list.push(rule);
  else map.set(key, [rule]);
}

const byMinQuantityDesc = (a: CompiledRule, b: CompiledRule): number => b.minQuantity - a.minQuantity;

export function compileAgreement(a: Agreement, bookingsDecimals: number): CompiledAgreement {
  const byProduct = new Map<string, CompiledRule[]>();
  const byFamily = new Map<string, CompiledRule[]>();
  const forAll: CompiledRule[] = [];
  a.rules.forEach((r, i) => {
    const rule = compileRule(r, i);
    if (r.scope === 'product') pushRule(byProduct, r.value ?? '', rule);
    else if (r.scope === 'family') pushRule(byFamily, r.value ?? '', rule);
    else forAll.push(rule);
  });
  for (const list of byProduct.values()) list.sort(byMinQuantityDesc);
  for (const list of byFamily.values()) list.sort(byMinQuantityDesc);
  forAll.sort(byMinQuantityDesc);
  return {
    id: a.id,
    partnerId: a.partnerId,
    sellerId: a.sellerId,
    validFrom: a.validFrom,
    validTo: a.validTo ?? '9999-12-31',
    status: a.status,
    channelMode: a.channelMode,
    dealBonus: a.registeredDealBonusPercent === undefined ? 0 : percentOf(a.registeredDealBonusPercent),
    byProduct,
    byFamily,
    forAll,
    tiers: a.tiers
      .map((t) => ({
        name: t.name,
        minBookings: BigInt(scaled(t.minBookings, bookingsDecimals)),
        bonus: percentOf(t.bonusPercent),
      }))
      .sort((x, y) => (x.minBookings > y.minBookings ? -1 : x.minBookings < y.minBookings ? 1 : 0)),
  };
}

/**
 * Ledger entries grouped by partner and seller, each converted into the bookings currency (the corporate
 * currency) at the rate valid on its date, rounded once to the bookings currency's minor unit.
 */
export function compileBookings(
  bookings: readonly Booking[],
  settings: Settings,
  rates: CompiledRates,
): Map<string, CompiledBooking[]> {
  const target = settings.bookingsCurrency;
  const map = new Map<string, CompiledBooking[]>();
  for (const b of bookings) {
    const currency = b.currency ?? target;
    const key = bookingsKey(b.partnerId, b.sellerId);
    const list = map.get(key) ?? [];
    const own = BigInt(scaled(b.amount, minorUnits(currency) ?? 2));
    try {
      list.push({ date: b.date, amount: convertMinor(own, currency, target, b.date, rates, settings.roundingMode) });
    } catch (error) {
      if (!(error instanceof MissingRateError)) throw error;
      list.push({ date: b.date, amount: 0n, missing: error });
    }
    map.set(key, list);
  }
  return map;
}

/** Compiles a validated scenario's catalog, agreements and bookings (everything but the quote). */
export function compileCatalog(s: Omit<Scenario, 'quote'>): PricingCatalog {
  const schedules = new Map(s.discountSchedules.map((d) => [d.id, compileSchedule(d)]));
  const products = new Map<string, CompiledProduct>();
  for (const p of s.products) {
    products.set(p.id, {
      id: p.id,
      family: p.family,
      type: p.type,
      termMonths: p.termMonths,
      schedule: p.discountScheduleId === undefined ? undefined : schedules.get(p.discountScheduleId),
      nonDiscountable: p.nonDiscountable,
      nonPartnerDiscountable: p.nonPartnerDiscountable,
    });
  }
  const prices = new Map<string, Map<string, number>>();
  for (const e of s.priceBook) {
    const digits = minorUnits(e.currency) ?? 0;
    let forCurrency = prices.get(e.currency);
    if (!forCurrency) {
      forCurrency = new Map();
      prices.set(e.currency, forCurrency);
    }
    forCurrency.set(e.productId, scaled(e.listPrice, digits));
  }
  const bookingsDecimals = minorUnits(s.settings.bookingsCurrency) ?? 2;
  const agreementsByPartner = new Map<string, CompiledAgreement[]>();
  for (const a of s.agreements) {
    const list = agreementsByPartner.get(a.partnerId) ?? [];
    list.push(compileAgreement(a, bookingsDecimals));
    agreementsByPartner.set(a.partnerId, list);
  }
  const vendor = s.accounts.find((a) => a.type === 'vendor');
  const rates = compileRates(s.exchangeRates, s.settings.bookingsCurrency);
  return {
    settings: s.settings,
    vendorId: vendor?.id ?? '',
    products,
    prices,
    agreementsByPartner,
    bookingsByPartner: compileBookings(s.bookings, s.settings, rates),
    rates,
  };
}

/**
 * The same compiled catalog with other bookings (they change with every activated order) and, when
 * given, other exchange rates.
 */
export function withBookings(
  catalog: PricingCatalog,
  bookings: readonly Booking[],
  exchangeRates?: readonly ExchangeRate[],
): PricingCatalog {
  const rates = exchangeRates ? compileRates(exchangeRates, catalog.settings.bookingsCurrency) : catalog.rates;
  return { ...catalog, rates, bookingsByPartner: compileBookings(bookings, catalog.settings, rates) };
}
