import { minorUnits } from '../core/currency.js';
import { parseScaled } from '../core/exact.js';
import type { AccountRecord, OrderRecord, QuoteRecord, QuoteStatus, Viewer } from '../core/records.js';
import { addMonths } from '../core/renewals.js';
import type { CpqStore } from '../store/port.js';
import { partyScope, requireRole } from './access.js';
import { formatBig } from './agreementStanding.js';

/**
 * The channel dashboard (vendor and distributors): partners, quotes and orders by partner, average deal
 * value, approval acceptance rate, margins and bookings over time, within the viewer's reach (a
 * distributor its own resellers and its own margins, the vendor everything; resellers are refused).
 *
 * Money is never summed across currencies: every amount is for one currency (`currency`, by default the
 * bookings currency), and `currencies` lists the others that have orders or quotes in reach.
 */

export type DashboardPartnerRow = {
  partnerId: string;
  partnerName: string;
  kind: 'reseller' | 'distributor';
  /** Quotes in reach in the currency, any date (renewals included). */
  quotes: number;
  /** Quotes the end customer accepted (Accepted or Ordered). */
  quotesWon: number;
  /** Resale orders dated in the window, placed or activated. */
  orders: number;
  /** Customer total of those orders: what the end customers pay. */
  orderValue: string;
  averageDealValue: string | null;
  resellerMargin: string;
  /** Partner total - Net total of those orders. */
  distributorMargin: string;
  approvalsDecided: number;
  approvalsApproved: number;
  /** Percent of decided approvals that were approved, one decimal; null with none decided. */
  approvalAcceptanceRate: string | null;
};

export type DashboardMonth = {
  /** YYYY-MM */
  month: string;
  orders: number;
  /** Sums of the activated resale orders of the month (bookings count from activation). */
  customerTotal: string;
  /** Resellers' bookings: what they bought from their distributors. */
  resellerBookings: string;
  /** Distributors' bookings: what they bought from the vendor (resale and stock orders, Net). */
  distributorBookings: string;
};

export type ChannelDashboard = {
  scope: 'vendor' | 'distributor';
  currency: string;
  /** Currencies with quotes or orders in reach (pick one with `currency`). */
  currencies: string[];
  asOf: string;
  /** The window, [from, asOf]: the first day of the first month. */
  from: string;
  months: number;
  totals: Omit<DashboardPartnerRow, 'partnerId' | 'partnerName' | 'kind'> & {
    partners: number;
    quotesByStatus: Record<QuoteStatus, number>;
  };
  resellers: DashboardPartnerRow[];
  /** Vendor only: one row per distributor (empty for a distributor, whose own figures are the totals). */
  distributors: DashboardPartnerRow[];
  bookingsByMonth: DashboardMonth[];
};

export type DashboardOptions = { months?: number; currency?: string };

const STATUSES: QuoteStatus[] = ['Draft', 'NeedsApproval', 'Approved', 'Rejected', 'Accepted', 'Ordered', 'Expired'];
const WON: ReadonlySet<QuoteStatus> = new Set(['Accepted', 'Ordered']);

type Acc = {
  quotes: number;
  quotesWon: number;
  orders: number;
  orderValue: bigint;
  resellerMargin: bigint;
  distributorMargin: bigint;
  approvalsDecided: number;
  approvalsApproved: number;
};

const emptyAcc = (): Acc => ({
  quotes: 0,
  quotesWon: 0,
  orders: 0,
  orderValue: 0n,
  resellerMargin: 0n,
  distributorMargin: 0n,
  approvalsDecided: 0,
  approvalsApproved: 0,
});

/** Integer division rounded half away from zero (the default rounding mode): amounts here are not negative. */
function divHalfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}

export async function channelDashboard(
  store: CpqStore,
  viewer: Viewer,
  today: string,
  options: DashboardOptions = {},
): Promise<ChannelDashboard> {
  requireRole(viewer, ['vendorAdmin', 'distributorUser'], 'see the channel dashboard');
  const months = options.months ?? 12;
  const scope = partyScope(viewer);
  const [settings, accounts, quotes, orders, agreements] = await Promise.all([
    store.getSettings(),
    store.listAccounts(),
    store.listQuotes({ ...scope, limit: 1_000_000 }),
    store.listOrders({ ...scope, limit: 1_000_000 }),
    store.listAgreements(),
  ]);
  const currencies = [...new Set([...quotes.map((q) => q.currency), ...orders.map((o) => o.currency)])].sort();
  const currency = options.currency ?? settings.bookingsCurrency;
  const decimals = minorUnits(currency) ?? 2;
  const money = (text: string | null): bigint => (text === null ? 0n : BigInt(parseScaled(text, decimals) ?? 0));
  const from = `${addMonths(`${today.slice(0, 7)}-01`, -(months - 1))}`;
  const inWindow = (o: OrderRecord): boolean => o.orderDate >= from && o.orderDate <= today;

  const names = new Map(accounts.map((a) => [a.id, a.name ?? a.id]));
  const type = new Map<string, AccountRecord['type']>(accounts.map((a) => [a.id, a.type]));
  // Partners in reach: resellers holding an agreement with the distributor (or with anyone, for the vendor),
  // and any reseller or distributor on a quote or order in reach.
  const resellerIds = new Set<string>();
  const distributorIds = new Set<string>();
  for (const a of agreements) {
    if (type.get(a.partnerId) === 'reseller' && (viewer.role === 'vendorAdmin' || a.sellerId === viewer.accountId)) {
      resellerIds.add(a.partnerId);
    }
    if (viewer.role === 'vendorAdmin' && type.get(a.partnerId) === 'distributor') distributorIds.add(a.partnerId);
  }
  for (const r of [...quotes, ...orders]) {
    if (r.resellerId) resellerIds.add(r.resellerId);
    if (viewer.role === 'vendorAdmin') distributorIds.add(r.distributorId);
  }

  const byReseller = new Map([...resellerIds].map((id) => [id, emptyAcc()]));
  const byDistributor = new Map([...distributorIds].map((id) => [id, emptyAcc()]));
  const total = emptyAcc();
  const quotesByStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<QuoteStatus, number>;
  const targets = (r: { resellerId: string | null; distributorId: string }): Acc[] => [
    total,
    ...(r.resellerId && byReseller.has(r.resellerId) ? [byReseller.get(r.resellerId)!] : []),
    ...(byDistributor.has(r.distributorId) ? [byDistributor.get(r.distributorId)!] : []),
  ];

  const quoteOf = new Map<string, QuoteRecord>();
  for (const q of quotes) {
    if (q.currency !== currency) continue;
    quoteOf.set(q.id, q);
    quotesByStatus[q.status] += 1;
    for (const acc of targets(q)) {
      acc.quotes += 1;
      if (WON.has(q.status)) acc.quotesWon += 1;
    }
  }
  for (const a of await store.listApprovals([...quoteOf.keys()])) {
    if (a.status === 'Pending') continue;
    for (const acc of targets(quoteOf.get(a.quoteId)!)) {
      acc.approvalsDecided += 1;
      if (a.status === 'Approved') acc.approvalsApproved += 1;
    }
  }

  const monthKeys = Array.from({ length: months }, (_, i) => addMonths(from, i).slice(0, 7));
  const monthly = new Map(
    monthKeys.map((m) => [m, { orders: 0, customerTotal: 0n, resellerBookings: 0n, distributorBookings: 0n }]),
  );
  for (const o of orders) {
    if (o.currency !== currency || !inWindow(o)) continue;
    const month = monthly.get(o.orderDate.slice(0, 7))!;
    if (o.kind === 'resale') {
      month.orders += 1;
      const customer = money(o.customerTotal);
      const partner = money(o.partnerTotal);
      const net = money(o.netTotal);
      for (const acc of targets(o)) {
        acc.orders += 1;
        acc.orderValue += customer;
        acc.resellerMargin += customer - partner;
        acc.distributorMargin += partner - net;
      }
    }
    if (o.status !== 'Activated') continue;
    if (o.kind === 'resale') {
      month.customerTotal += money(o.customerTotal);
      month.resellerBookings += money(o.partnerTotal);
    }
    month.distributorBookings += money(o.netTotal);
  }

  const fmt = (v: bigint): string => formatBig(v, decimals);
  const figures = (acc: Acc): Omit<DashboardPartnerRow, 'partnerId' | 'partnerName' | 'kind'> => ({
    quotes: acc.quotes,
    quotesWon: acc.quotesWon,
    orders: acc.orders,
    orderValue: fmt(acc.orderValue),
    averageDealValue: acc.orders === 0 ? null : fmt(divHalfUp(acc.orderValue, BigInt(acc.orders))),
    resellerMargin: fmt(acc.resellerMargin),
    distributorMargin: fmt(acc.distributorMargin),
    approvalsDecided: acc.approvalsDecided,
    approvalsApproved: acc.approvalsApproved,
    approvalAcceptanceRate:
      acc.approvalsDecided === 0
        ? null
        : formatBig(divHalfUp(BigInt(acc.approvalsApproved) * 1000n, BigInt(acc.approvalsDecided)), 1),
  });
  const rows = (map: Map<string, Acc>, kind: DashboardPartnerRow['kind']): DashboardPartnerRow[] =>
    [...map]
      .map(([id, acc]) => ({ partnerId: id, partnerName: names.get(id) ?? id, kind, ...figures(acc) }))
      .sort((x, y) => (x.partnerName < y.partnerName ? -1 : x.partnerName > y.partnerName ? 1 : 0));

  return {
    scope: viewer.role === 'vendorAdmin' ? 'vendor' : 'distributor',
    currency,
    currencies,
    asOf: today,
    from,
    months,
    totals: { partners: resellerIds.size + distributorIds.size, quotesByStatus, ...figures(total) },
    resellers: rows(byReseller, 'reseller'),
    distributors: rows(byDistributor, 'distributor'),
    bookingsByMonth: monthKeys.map((m) => {
      const v = monthly.get(m)!;
      return {
        month: m,
        orders: v.orders,
        customerTotal: fmt(v.customerTotal),
        resellerBookings: fmt(v.resellerBookings),
        distributorBookings: fmt(v.distributorBookings),
      };
    }),
  };
}
