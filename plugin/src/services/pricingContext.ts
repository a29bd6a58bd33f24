import { oneYearBefore } from '../core/agreements.js';
import { compileCatalog, withBookings, type PricingCatalog } from '../core/catalog.js';
import { channelConflictFamilies } from '../core/deals.js';
import { InvalidInputError, StateError, listIssues } from '../core/errors.js';
import { compileQuote, priceQuote, type PricedQuote } from '../core/pricing.js';
import type { AccountRecord, ProductRecord, QuoteRecord } from '../core/records.js';
import type { Booking, Quote, Scenario } from '../core/scenario.js';
import { serializePricedQuote, type PricedQuoteJson } from '../core/serialize.js';
import { validateQuoteAgainst, validateReference, type ValidatedReference } from '../core/validation.js';
import type { BookingParty, CpqStore } from '../store/port.js';

/**
 * Server-side pricing of stored quotes: the store's catalog, agreements and bookings plus the quote make a
 * scenario, validated across fields (references, currencies, agreements) and priced by the core engine.
 * The stored inputs were validated with zod when they were written; only the cross-field checks run here.
 */

export type ReferenceSnapshot = Omit<Scenario, 'quote' | 'bookings' | 'products' | 'accounts'> & {
  products: ProductRecord[];
  accounts: AccountRecord[];
};

export async function loadReference(store: CpqStore, partnerIds?: readonly string[]): Promise<ReferenceSnapshot> {
  const [settings, accounts, products, productFamilies, priceBook, discountSchedules, agreements, exchangeRates] =
    await Promise.all([
      store.getSettings(),
      store.listAccounts(),
      store.listProducts(),
      store.listProductFamilies(),
      store.listPriceBook(),
      store.listDiscountSchedules(),
      store.listAgreements(partnerIds),
      store.listExchangeRates(),
    ]);
  return { settings, accounts, products, productFamilies, priceBook, discountSchedules, agreements, exchangeRates };
}

/**
 * `conflicts`: the families of the quote's end customer another reseller's registration protects
 * (quoteConflicts); their lines carry CHANNEL_CONFLICT.
 */
export function quoteInput(q: QuoteRecord, conflicts: readonly string[] = []): Quote {
  return {
    id: q.id,
    name: q.name,
    resellerId: q.resellerId,
    distributorId: q.distributorId,
    endCustomerId: q.endCustomerId,
    currency: q.currency,
    startDate: q.startDate,
    pricingDate: q.pricingDate,
    termMonths: q.termMonths,
    channelMode: q.channelMode,
    additionalDiscountPercent: q.additionalDiscountPercent,
    // CHANNEL.md: the registration's families earn its bonus while it protects them on the pricing date.
    ...(q.registeredDeal && pricingDateOf(q) <= q.registeredDeal.protectedUntil
      ? { registeredDeal: { id: q.registeredDeal.number, families: q.registeredDeal.families } }
      : {}),
    ...(conflicts.length > 0 ? { channelConflictFamilies: [...conflicts] } : {}),
    // A line's own start date (co-terminated renewals) is shown, not priced: its term already says it.
    // Notes are printed, never priced (docs/DOCUMENT.md).
    lines: q.lines.map(({ startDate: _lineStart, notes: _notes, ...l }) => ({ ...l })),
  };
}

export function pricingDateOf(q: Pick<QuoteRecord, 'pricingDate' | 'startDate'>): string {
  return q.pricingDate ?? q.startDate;
}

/**
 * CHANNEL.md, channel conflict: the families of the quote's end customer that another reseller's registration
 * protects today (core/deals.ts channelConflictFamilies, docs/DEALS.md). Read in the server's own name: a
 * reseller cannot see another's registration, and only family names come out, never the holder. A store
 * without registrations has no conflicts.
 */
export async function quoteConflicts(
  store: CpqStore,
  quote: Pick<QuoteRecord, 'resellerId' | 'endCustomerId'>,
  today: string = new Date().toISOString().slice(0, 10),
): Promise<string[]> {
  if (!store.deals) return [];
  const deals = await store.deals.listDeals({ endCustomerId: quote.endCustomerId, statuses: ['Approved', 'Converted'] });
  return channelConflictFamilies(deals, quote, today);
}

/** Bookings that can count for these (partner, seller) pairs on `date`: ledger entries of the 12 months before. */
export function loadBookings(store: CpqStore, parties: readonly BookingParty[], date: string): Promise<Booking[]> {
  return store.listBookings(parties, oneYearBefore(date), date);
}

/**
 * The two pairs whose bookings move a quote's tiers: the reseller buying from the quote's distributor and
 * the distributor buying from the vendor (none other: a reseller's purchases through another distributor
 * must not reach this distributor's quotes).
 */
export function quoteParties(
  quote: Pick<QuoteRecord, 'resellerId' | 'distributorId'>,
  vendorId: string | undefined,
): BookingParty[] {
  const parties: BookingParty[] = [{ partnerId: quote.resellerId, sellerId: quote.distributorId }];
  if (vendorId) parties.push({ partnerId: quote.distributorId, sellerId: vendorId });
  return parties;
}

export function vendorIdOf(accounts: readonly Pick<AccountRecord, 'id' | 'type'>[]): string | undefined {
  return accounts.find((a) => a.type === 'vendor')?.id;
}

/** Reference data as read, validated and compiled once per store revision. */
export type CachedReference = {
  revision: string;
  snapshot: ReferenceSnapshot;
  validated: ValidatedReference;
  /** Compiled without bookings: `withBookings` adds the ones of each quote's date. */
  catalog: PricingCatalog;
};

const referenceCache = new WeakMap<CpqStore, CachedReference>();

/**
 * The store's reference data, validated and compiled; re-read only when the store's revision moves.
 * A save then validates and compiles only its own quote (the editor saves often: see npm run bench).
 */
export async function currentReference(store: CpqStore): Promise<CachedReference> {
  const revision = await store.referenceRevision();
  const cached = referenceCache.get(store);
  if (cached?.revision === revision) return cached;
  const snapshot = await loadReference(store);
  const fresh: CachedReference = {
    revision,
    snapshot,
    validated: validateReference({ ...snapshot, bookings: [] }),
    catalog: compileCatalog({ ...snapshot, bookings: [] }),
  };
  referenceCache.set(store, fresh);
  return fresh;
}

/**
 * Validates and prices one quote against the store's current reference data. A quote being saved that
 * does not price is bad input (400, `onInvalid: 'input'`); a stored quote that no longer prices (its
 * product was removed from the catalog, say) is a state to fix, not the reader's mistake (422, 'state').
 */
export async function priceStoredQuote(
  store: CpqStore,
  quote: QuoteRecord,
  onInvalid: 'input' | 'state' = 'input',
  /** The day the channel conflict is judged on (registrations protecting the end customer today). */
  today?: string,
): Promise<PricedQuoteJson> {
  return serializePricedQuote(await priceStoredQuoteRaw(store, quote, onInvalid, today));
}

/** priceStoredQuote's engine result before serialisation (a save serialises only the lines it answers). */
export async function priceStoredQuoteRaw(
  store: CpqStore,
  quote: QuoteRecord,
  onInvalid: 'input' | 'state' = 'input',
  /** The day the channel conflict is judged on (registrations protecting the end customer today). */
  today?: string,
): Promise<PricedQuote> {
  const reference = await currentReference(store);
  const parties = quoteParties(quote, vendorIdOf(reference.snapshot.accounts));
  const [bookings, conflicts] = await Promise.all([
    loadBookings(store, parties, pricingDateOf(quote)),
    quoteConflicts(store, quote, today),
  ]);
  const input = quoteInput(quote, conflicts);
  const issues = [...reference.validated.issues, ...validateQuoteAgainst(input, reference.validated)];
  if (issues.length > 0) {
    const message = `the quote cannot be priced: ${listIssues(issues.map((i) => `${i.path.replace(/^quote\./, '')}: ${i.message}`))}`;
    const fields = issues.map((i) => ({ path: i.path.replace(/^quote\./, ''), message: i.message, code: i.code }));
    throw onInvalid === 'input' ? new InvalidInputError(message, fields) : new StateError(message, 'NOT_PRICEABLE', fields);
  }
  return priceQuote(withBookings(reference.catalog, bookings), compileQuote(input));
}

/** A compiled catalog for many quotes at once (renewal generation): bookings of every pair in range. */
export async function compileStoreCatalog(
  store: CpqStore,
  parties: readonly BookingParty[],
  from: string,
  to: string,
): Promise<PricingCatalog> {
  const [ref, bookings] = await Promise.all([loadReference(store), store.listBookings(parties, from, to)]);
  return compileCatalog({ ...ref, bookings });
}
