import { bookingsKey, type CompiledAgreement, type CompiledProduct, type CompiledRule, type PricingCatalog } from './catalog.js';

/**
 * Agreement resolution (PRICING.md, stages 4 and 5): which agreement counts on a date, which of its
 * rules gives a line its discount, which rule caps the reseller's additional discount, and which dynamic
 * tier the partner's trailing bookings reach.
 */

/** The Active agreement of `partnerId` buying from `sellerId` valid on `date` (validation rules out ties). */
export function findAgreement(
  catalog: PricingCatalog,
  partnerId: string,
  sellerId: string,
  date: string,
): CompiledAgreement | undefined {
  const list = catalog.agreementsByPartner.get(partnerId);
  if (!list) return undefined;
  for (const a of list) {
    if (a.status === 'Active' && a.sellerId === sellerId && a.validFrom <= date && date <= a.validTo) return a;
  }
  return undefined;
}

function firstMatch(
  rules: readonly CompiledRule[] | undefined,
  quantity: number,
  accept: (rule: CompiledRule) => boolean,
): CompiledRule | undefined {
  if (!rules) return undefined;
  // Sorted by minQuantity, highest first: the first one reached is the highest reached.
  for (const r of rules) if (quantity >= r.minQuantity && accept(r)) return r;
  return undefined;
}

/** Most specific first: product over family over all; within a scope the highest reached minQuantity. */
function mostSpecific(
  a: CompiledAgreement,
  product: CompiledProduct,
  quantity: number,
  accept: (rule: CompiledRule) => boolean,
): CompiledRule | undefined {
  return (
    firstMatch(a.byProduct.get(product.id), quantity, accept) ??
    (product.family === undefined ? undefined : firstMatch(a.byFamily.get(product.family), quantity, accept)) ??
    firstMatch(a.forAll, quantity, accept)
  );
}

const anyRule = (): boolean => true;
const setsCap = (r: CompiledRule): boolean => r.cap !== undefined;

/** The most specific matching rule: product over family over all; within a scope the highest reached minQuantity. */
export function resolveRule(a: CompiledAgreement, product: CompiledProduct, quantity: number): CompiledRule | undefined {
  return mostSpecific(a, product, quantity, anyRule);
}

/**
 * The rule that caps the additional discount: the most specific matching rule that sets a cap, so an
 * `all` rule can hold a general cap while product and family rules only set discounts.
 */
export function resolveCapRule(a: CompiledAgreement, product: CompiledProduct, quantity: number): CompiledRule | undefined {
  return mostSpecific(a, product, quantity, setsCap);
}

/** The same calendar day one year earlier (29 February becomes 28 February). */
export function oneYearBefore(date: string): string {
  const year = String(Number(date.slice(0, 4)) - 1).padStart(4, '0');
  const monthDay = date.slice(5);
  return `${year}-${monthDay === '02-29' ? '02-28' : monthDay}`;
}

/**
 * Bookings of a partner bought from one seller in the 12 months before the pricing date,
 * [date - 1 year, date), in the bookings currency: never its purchases from another seller. An entry in
 * the window whose order-date exchange rate is missing throws MissingRateError (never counted as 0).
 */
export function trailingBookings(catalog: PricingCatalog, partnerId: string, sellerId: string, pricingDate: string): bigint {
  const list = catalog.bookingsByPartner.get(bookingsKey(partnerId, sellerId));
  if (!list) return 0n;
  const from = oneYearBefore(pricingDate);
  let sum = 0n;
  for (const b of list) {
    if (b.date < from || b.date >= pricingDate) continue;
    if (b.missing) throw b.missing;
    sum += b.amount;
  }
  return sum;
}

export type ReachedTier = { name: string; bonus: number };

/** The highest tier whose threshold the bookings reach, if any. */
export function reachedTier(a: CompiledAgreement, bookings: bigint): ReachedTier | undefined {
  for (const t of a.tiers) if (bookings >= t.minBookings) return { name: t.name, bonus: t.bonus };
  return undefined;
}
