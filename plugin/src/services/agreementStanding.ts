import { oneYearBefore, reachedTier, trailingBookings } from '../core/agreements.js';
import { compileCatalog } from '../core/catalog.js';
import { minorUnits } from '../core/currency.js';
import type { Viewer } from '../core/records.js';
import type { Agreement, AgreementRule } from '../core/scenario.js';
import type { CpqStore } from '../store/port.js';
import { agreementVisible } from './visibleReads.js';

/**
 * A partner's standing under each of its agreements: the discount rules, the dynamic tiers, its bookings of
 * the trailing 12 months (PRICING.md, "Dynamic tiers") and so the tier it reaches today and how far the next
 * one is. Computed with the engine's own functions (core/agreements.ts trailingBookings / reachedTier), so
 * the tier shown is the tier a quote priced today gets.
 */

export type AgreementTier = Agreement['tiers'][number];

export type AgreementStanding = {
  agreementId: string;
  name: string | null;
  partnerId: string;
  partnerName: string;
  sellerId: string;
  sellerName: string;
  validFrom: string;
  validTo: string | null;
  status: string;
  rules: AgreementRule[];
  /** Lowest threshold first. */
  tiers: AgreementTier[];
  /** The bookings currency (settings): tiers and bookings are in it. */
  currency: string;
  /** Bookings count in [asOf - 1 year, asOf), as for a quote priced on asOf. */
  asOf: string;
  bookings12m: string;
  currentTier: AgreementTier | null;
  nextTier: AgreementTier | null;
  /** Bookings still missing to reach nextTier (null at the top tier). */
  toNextTier: string | null;
};

/** Formats a bigint scaled by 10^decimals as a decimal string. */
export function formatBig(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0');
  const cut = digits.length - decimals;
  const text = decimals === 0 ? digits : `${digits.slice(0, cut)}.${digits.slice(cut)}`;
  return negative ? `-${text}` : text;
}

/**
 * The standing of every agreement the viewer may read (the same rule as listMyAgreements: a reseller its
 * own, a distributor its own and its resellers', the vendor all), as of `today`.
 */
export async function agreementStandings(store: CpqStore, viewer: Viewer, today: string): Promise<AgreementStanding[]> {
  const [settings, accounts, all] = await Promise.all([
    store.getSettings(),
    store.listAccounts(),
    store.listAgreements(viewer.role === 'resellerUser' ? [viewer.accountId] : undefined),
  ]);
  const agreements = all.filter((a) => agreementVisible(viewer, a));
  // Each agreement counts the partner's purchases from that agreement's seller only.
  const parties = agreements.map((a) => ({ partnerId: a.partnerId, sellerId: a.sellerId }));
  const [bookings, exchangeRates] = await Promise.all([
    store.listBookings(parties, oneYearBefore(today), today),
    store.listExchangeRates(),
  ]);
  const catalog = compileCatalog({
    settings,
    accounts,
    products: [],
    productFamilies: [],
    priceBook: [],
    discountSchedules: [],
    agreements,
    bookings,
    exchangeRates,
  });
  const decimals = minorUnits(settings.bookingsCurrency) ?? 2;
  const names = new Map(accounts.map((a) => [a.id, a.name ?? a.id]));
  return agreements.map((a) => {
    const compiled = catalog.agreementsByPartner.get(a.partnerId)!.find((c) => c.id === a.id)!;
    const booked = trailingBookings(catalog, a.partnerId, a.sellerId, today);
    const reached = reachedTier(compiled, booked);
    // The agreement's tiers with their thresholds as compiled, lowest first (compiled.tiers is highest first).
    const tiers = a.tiers
      .map((tier, i) => ({ tier, min: compiled.tiers.find((t) => t.name === tier.name)?.minBookings ?? 0n, i }))
      .sort((x, y) => (x.min < y.min ? -1 : x.min > y.min ? 1 : x.i - y.i));
    const current = reached ? [...tiers].reverse().find((t) => t.tier.name === reached.name && t.min <= booked) : undefined;
    const next = tiers.find((t) => t.min > booked);
    return {
      agreementId: a.id,
      name: a.name ?? null,
      partnerId: a.partnerId,
      partnerName: names.get(a.partnerId) ?? a.partnerId,
      sellerId: a.sellerId,
      sellerName: names.get(a.sellerId) ?? a.sellerId,
      validFrom: a.validFrom,
      validTo: a.validTo ?? null,
      status: a.status,
      rules: a.rules,
      tiers: tiers.map((t) => t.tier),
      currency: settings.bookingsCurrency,
      asOf: today,
      bookings12m: formatBig(booked, decimals),
      currentTier: current?.tier ?? null,
      nextTier: next?.tier ?? null,
      toNextTier: next ? formatBig(next.min - booked, decimals) : null,
    };
  });
}
