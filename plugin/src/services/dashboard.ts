import { minorUnits } from '../core/currency.js';
import { InvalidInputError, NotFoundError } from '../core/errors.js';
import { parseScaled, type RoundingMode } from '../core/exact.js';
import { KPI_DEFINITIONS } from '../core/kpis.js';
import { compileRates, convertMinor, type CompiledRates } from '../core/rates.js';
import type {
  AccountRecord,
  ApprovalRecord,
  ContractRecord,
  OrderRecord,
  QuoteRecord,
  QuoteStatus,
  Viewer,
} from '../core/records.js';
import { addDays, addMonths } from '../core/renewals.js';
import type { DealRegistration } from '../core/deals.js';
import type { CpqStore } from '../store/port.js';
import { partyScope, requireRole } from './access.js';
import { agreementStandings, formatBig, type AgreementTier } from './agreementStanding.js';

/**
 * The channel dashboard (vendor and distributors) and the per-partner scorecard (CHANNEL.md, "Channel KPIs"
 * and "Currencies"): over a period, for the viewer's scope (a distributor its own resellers and its own
 * margins, the vendor everything, a reseller only its own scorecard), in one currency.
 *
 * Money is converted, never filtered: every order counts in the dashboard's currency (the corporate currency
 * by default) at the dated rate of its order date (core/rates.ts, as bookings do); a missing rate is an
 * error naming the currency and the date (NO_EXCHANGE_RATE, 422), never a silent 0. Open quotes are valued at
 * the rate of the period's last day. Each amount is converted on its own, rounded once to the currency's
 * minor unit with the vendor's rounding mode, and then summed, so sums are exact.
 *
 * The KPIs and their definitions are the table of core/kpis.ts; DashboardService.cls answers the same keys.
 */

export type KpiValues = Record<string, string | null>;

export type DashboardPartnerRow = {
  partnerId: string;
  partnerName: string;
  kind: 'reseller' | 'distributor';
  /** Quotes in reach, any date (renewals included). */
  quotes: number;
  /** Quotes the end customer accepted (Accepted or Ordered). */
  quotesWon: number;
  /** Resale orders dated in the period, placed or activated. */
  orders: number;
  /** Customer total of those orders: what the end customers pay. */
  orderValue: string;
  averageDealValue: string | null;
  resellerMargin: string;
  /** Partner total - Net total of those orders. */
  distributorMargin: string;
  /** Approved or rejected requests of the period (withdrawals are not decisions). */
  approvalsDecided: number;
  approvalsApproved: number;
  /** Percent of decided approvals that were approved, one decimal; null with none decided. */
  approvalAcceptanceRate: string | null;
  /** The KPIs of this partner alone (core/kpis.ts). */
  kpis: KpiValues;
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

type Figures = Omit<DashboardPartnerRow, 'partnerId' | 'partnerName' | 'kind'>;

export type ChannelDashboard = {
  scope: 'vendor' | 'distributor';
  currency: string;
  /** The corporate currency (the default `currency`). */
  corporateCurrency: string;
  /** Currencies to show the dashboard in: the corporate one, those with rates, those of quotes and orders. */
  currencies: string[];
  asOf: string;
  /** The period, both days included. */
  from: string;
  to: string;
  /** The previous period (as many days, just before `from`): churn compares with it. */
  previousFrom: string;
  previousTo: string;
  /** Calendar months the period touches (one entry each in bookingsByMonth). */
  months: number;
  kpis: KpiValues;
  totals: Omit<Figures, 'kpis'> & { partners: number; quotesByStatus: Record<QuoteStatus, number> };
  resellers: DashboardPartnerRow[];
  /** Vendor only: one row per distributor (empty for a distributor, whose own figures are the totals). */
  distributors: DashboardPartnerRow[];
  bookingsByMonth: DashboardMonth[];
};

export type ScorecardTier = {
  agreementId: string;
  sellerId: string;
  sellerName: string;
  /** The corporate currency: tiers are in it. */
  currency: string;
  bookings12m: string;
  currentTier: AgreementTier | null;
  nextTier: AgreementTier | null;
  toNextTier: string | null;
};

export type ScorecardMonth = { month: string; orders: number; customerTotal: string; resellerBookings: string };

/** One reseller's figures: never a Net price or a distributor margin (a reseller may read it). */
export type PartnerScorecard = {
  partnerId: string;
  partnerName: string;
  currency: string;
  corporateCurrency: string;
  currencies: string[];
  asOf: string;
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  kpis: KpiValues;
  /** Customer total - Partner total of the orders won: the reseller's own margin. */
  resellerMargin: string;
  /** One per agreement in reach (a reseller may buy from two distributors). */
  tiers: ScorecardTier[];
  bookingsByMonth: ScorecardMonth[];
};

export type DashboardOptions = { months?: number; from?: string; to?: string; currency?: string };

const STATUSES: QuoteStatus[] = ['Draft', 'NeedsApproval', 'Approved', 'Rejected', 'Accepted', 'Ordered', 'Expired'];
const WON: ReadonlySet<QuoteStatus> = new Set(['Accepted', 'Ordered']);
const OPEN: ReadonlySet<QuoteStatus> = new Set(['Draft', 'NeedsApproval', 'Approved', 'Accepted']);
/** How an edit's withdrawal is recorded on the request (QuoteService.saveQuote, QuoteService.cls). */
export const WITHDRAWN_PREFIX = 'Withdrawn';
const DAY_MS = 86_400_000n;
const MAX_PERIOD_MONTHS = 37;

/** The period: explicit dates, or `months` whole months before the current one plus this month to date. */
export function dashboardPeriod(
  today: string,
  options: Pick<DashboardOptions, 'months' | 'from' | 'to'>,
): { from: string; to: string; previousFrom: string; previousTo: string } {
  const to = options.to ?? today;
  const from = options.from ?? addMonths(`${to.slice(0, 7)}-01`, -(options.months ?? 12));
  if (from > to)
    throw new InvalidInputError(`from (${from}) is after to (${to})`, [
      { path: 'fromDate', message: 'must be on or before toDate' },
    ]);
  if (from < addMonths(to, -MAX_PERIOD_MONTHS)) {
    throw new InvalidInputError('the period is longer than 37 months', [
      { path: 'fromDate', message: 'must be at most 37 months before toDate' },
    ]);
  }
  const days = dayNumber(to) - dayNumber(from) + 1;
  return { from, to, previousFrom: addDays(from, -days), previousTo: addDays(from, -1) };
}

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 86_400_000;
}

/** Integer division rounded half away from zero: the amounts and counts here are not negative. */
function divHalfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}

/** part / whole as a percentage with one decimal, half up ("66.7"); null without a whole. */
function percent(part: number, whole: number): string | null {
  return whole === 0 ? null : formatBig(divHalfUp(BigInt(part) * 1000n, BigInt(whole)), 1);
}

/** Milliseconds as days with one decimal, half up. */
function msToDays(ms: bigint): string {
  return formatBig(divHalfUp(ms * 10n, DAY_MS), 1);
}

type Context = {
  currency: string;
  decimals: number;
  rates: CompiledRates;
  mode: RoundingMode;
  /** Today, by the service's clock. */
  asOf: string;
  period: { from: string; to: string; previousFrom: string; previousTo: string };
};

/** Everything in the viewer's reach that the figures read. */
type Records = {
  quotes: QuoteRecord[];
  orders: OrderRecord[];
  approvals: ApprovalRecord[];
  contracts: ContractRecord[];
  /** Deal registrations (CHANNEL.md); none when the store keeps none. */
  deals: DealRegistration[];
};

function converter(ctx: Context): (amount: string | null, currency: string, date: string) => bigint {
  return (amount, currency, date) => {
    if (amount === null) return 0n;
    const scaled = parseScaled(amount, minorUnits(currency) ?? 2);
    if (scaled === undefined) throw new Error(`unreadable amount ${amount} ${currency}`);
    return convertMinor(BigInt(scaled), currency, ctx.currency, date, ctx.rates, ctx.mode);
  };
}

const inPeriod = (date: string, from: string, to: string): boolean => date >= from && date <= to;
/**
 * The day of a timestamp, never after today: timestamps are the wall clock's (CreatedDate in an org), the
 * service's clock may be set back (the demo and tests play days gone by); in real use this changes nothing.
 */
const dayOf = (timestamp: string, asOf: string): string => (timestamp.slice(0, 10) < asOf ? timestamp.slice(0, 10) : asOf);

/**
 * The KPIs of a set of records (already the viewer's and, for a row, one partner's). `resellerIds`: the
 * partners the partner KPIs are about.
 */
function kpisOf(ctx: Context, r: Records, resellerIds: ReadonlySet<string>): { kpis: KpiValues; figures: Figures } {
  const { from, to, previousFrom, previousTo } = ctx.period;
  const convert = converter(ctx);
  const fmt = (v: bigint): string => formatBig(v, ctx.decimals);
  const quoteDay = (q: QuoteRecord): string => dayOf(q.createdAt, ctx.asOf);

  // Partners: a reseller's activity is a quote it created (renewal quotes are the system's) or an order dated.
  const activeIn = (a: string, b: string): Set<string> => {
    const out = new Set<string>();
    for (const q of r.quotes) if (q.renewalOfContractIds.length === 0 && inPeriod(quoteDay(q), a, b)) out.add(q.resellerId);
    for (const o of r.orders) if (o.resellerId && inPeriod(o.orderDate, a, b)) out.add(o.resellerId);
    for (const id of [...out]) if (!resellerIds.has(id)) out.delete(id);
    return out;
  };
  const active = activeIn(from, to);
  const before = activeIn('0000-01-01', addDays(from, -1));
  const previous = activeIn(previousFrom, previousTo);
  const churned = [...previous].filter((id) => !active.has(id)).length;

  // Pipeline.
  const quoteOf = new Map(r.quotes.map((q) => [q.id, q]));
  let open = 0n;
  for (const q of r.quotes) if (OPEN.has(q.status) && quoteDay(q) <= to) open += convert(q.customerTotal, q.currency, to);
  const created = r.quotes.filter((q) => q.renewalOfContractIds.length === 0 && inPeriod(quoteDay(q), from, to));
  const won = r.orders.filter((o) => o.kind === 'resale' && inPeriod(o.orderDate, from, to));
  let wonValue = 0n;
  let resellerMargin = 0n;
  let distributorMargin = 0n;
  let cycleMs = 0n;
  let cycles = 0;
  for (const o of won) {
    const customer = convert(o.customerTotal, o.currency, o.orderDate);
    const partner = convert(o.partnerTotal, o.currency, o.orderDate);
    const net = convert(o.netTotal, o.currency, o.orderDate);
    wonValue += customer;
    resellerMargin += customer - partner;
    distributorMargin += partner - net;
    const quote = o.quoteId ? quoteOf.get(o.quoteId) : undefined;
    if (quote && quoteDay(quote) <= o.orderDate) {
      cycleMs += BigInt(dayNumber(o.orderDate) - dayNumber(quoteDay(quote))) * DAY_MS;
      cycles += 1;
    }
  }

  // Approvals requested in the period; an edit's withdrawal is recorded as Rejected "Withdrawn: ...".
  let approved = 0;
  let rejected = 0;
  let withdrawn = 0;
  const decideMs: bigint[] = [];
  const requests = r.approvals.filter((a) => inPeriod(dayOf(a.requestedAt, ctx.asOf), from, to));
  for (const a of requests) {
    if (a.status === 'Pending') continue;
    // Withdrawn requests, and those recorded before approvals had a Withdrawn status (Rejected "Withdrawn: ...").
    if (a.status === 'Withdrawn' || (a.status === 'Rejected' && (a.decisionComment ?? '').startsWith(WITHDRAWN_PREFIX))) {
      withdrawn += 1;
      continue;
    }
    if (a.status === 'Approved') approved += 1;
    else rejected += 1;
    if (a.decidedAt) decideMs.push(BigInt(Date.parse(a.decidedAt) - Date.parse(a.requestedAt)));
  }
  decideMs.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const mid = decideMs.length >> 1;
  const median =
    decideMs.length === 0
      ? null
      : decideMs.length % 2 === 1
        ? msToDays(decideMs[mid]!)
        : formatBig(divHalfUp((decideMs[mid - 1]! + decideMs[mid]!) * 10n, 2n * DAY_MS), 1);

  // Renewals: contracts ending in the period; renewed when the renewal quote is Ordered.
  const due = r.contracts.filter((c) => inPeriod(c.endDate, from, to));
  const orderOfQuote = new Map(r.orders.filter((o) => o.quoteId).map((o) => [o.quoteId!, o]));
  let renewed = 0;
  let renewalValue = 0n;
  const counted = new Set<string>();
  for (const c of due) {
    const quote = c.renewalQuoteId ? quoteOf.get(c.renewalQuoteId) : undefined;
    if (quote?.status !== 'Ordered') continue;
    renewed += 1;
    const order = orderOfQuote.get(quote.id);
    // One renewal quote may renew several co-terminated contracts: its order counts once.
    if (order && !counted.has(order.id)) {
      counted.add(order.id);
      renewalValue += convert(order.customerTotal, order.currency, order.orderDate);
    }
  }

  // Registered deals submitted in the period. Approved ones carry a protection end (set on approval, kept when
  // they are converted, expire or are withdrawn); rejected ones never do.
  const submittedDeals = r.deals.filter((d) => inPeriod(d.submittedDate, from, to));
  const dealsApproved = submittedDeals.filter((d) => d.protectedUntil !== null).length;
  const dealsRejected = submittedDeals.filter((d) => d.status === 'Rejected').length;
  const convertedDeals = submittedDeals.filter((d) => d.quoteId !== null);
  const dealsWon = convertedDeals.filter((d) => quoteOf.get(d.quoteId!)?.status === 'Ordered').length;

  const averageDeal = won.length === 0 ? null : fmt(divHalfUp(wonValue, BigInt(won.length)));
  const kpis: KpiValues = {
    partnersActive: String(active.size),
    partnersNew: String([...active].filter((id) => !before.has(id)).length),
    partnersChurned: String(churned),
    churnRate: percent(churned, previous.size),
    openQuoteValue: fmt(open),
    wonValue: fmt(wonValue),
    ordersWon: String(won.length),
    winRate: percent(created.filter((q) => WON.has(q.status)).length, created.length),
    averageDealValue: averageDeal,
    averageSalesCycleDays: cycles === 0 ? null : formatBig(divHalfUp(cycleMs * 10n, BigInt(cycles) * DAY_MS), 1),
    approvalRequests: String(requests.length),
    approvalsApproved: String(approved),
    approvalsRejected: String(rejected),
    approvalsWithdrawn: String(withdrawn),
    approvalRate: percent(approved, approved + rejected),
    medianDaysToDecide: median,
    renewalsDue: String(due.length),
    renewalsRenewed: String(renewed),
    renewalRate: percent(renewed, due.length),
    renewalValue: fmt(renewalValue),
    dealsSubmitted: String(submittedDeals.length),
    dealsApproved: String(dealsApproved),
    dealsAcceptedRate: percent(dealsApproved, dealsApproved + dealsRejected),
    dealsConverted: String(convertedDeals.length),
    dealsWon: String(dealsWon),
    dealsConversionRate: percent(dealsWon, dealsApproved),
  };
  for (const k of KPI_DEFINITIONS) if (!k.available) kpis[k.key] = null;
  return {
    kpis,
    figures: {
      quotes: r.quotes.length,
      quotesWon: r.quotes.filter((q) => WON.has(q.status)).length,
      orders: won.length,
      orderValue: fmt(wonValue),
      averageDealValue: averageDeal,
      resellerMargin: fmt(resellerMargin),
      distributorMargin: fmt(distributorMargin),
      approvalsDecided: approved + rejected,
      approvalsApproved: approved,
      approvalAcceptanceRate: percent(approved, approved + rejected),
      kpis,
    },
  };
}

function withoutKpis(figures: Figures): Omit<Figures, 'kpis'> {
  const { kpis: _kpis, ...rest } = figures;
  return rest;
}

function monthKeys(from: string, to: string): string[] {
  const keys: string[] = [];
  for (let m = `${from.slice(0, 7)}-01`; m <= to; m = addMonths(m, 1)) keys.push(m.slice(0, 7));
  return keys;
}

async function loadContext(
  store: CpqStore,
  viewer: Viewer,
  today: string,
  options: DashboardOptions,
): Promise<{ ctx: Context; records: Records; accounts: AccountRecord[]; currencies: string[]; corporate: string }> {
  const period = dashboardPeriod(today, options);
  const scope = partyScope(viewer);
  const [settings, accounts, quotes, orders, contracts, rateList] = await Promise.all([
    store.getSettings(),
    store.listAccounts(),
    store.listQuotes({ ...scope, limit: 1_000_000 }),
    store.listOrders({ ...scope, limit: 1_000_000 }),
    store.listContracts({ ...scope, limit: 1_000_000 }),
    store.listExchangeRates(),
  ]);
  const corporate = settings.bookingsCurrency;
  const currency = options.currency ?? corporate;
  const [approvals, deals] = await Promise.all([
    store.listApprovals(quotes.map((q) => q.id)),
    store.deals ? store.deals.listDeals({ ...scope, limit: 1_000_000 }) : Promise.resolve([]),
  ]);
  const currencies = [
    ...new Set([
      corporate,
      ...rateList.map((r) => r.currency),
      ...quotes.map((q) => q.currency),
      ...orders.map((o) => o.currency),
    ]),
  ].sort();
  const ctx: Context = {
    currency,
    decimals: minorUnits(currency) ?? 2,
    rates: compileRates(rateList, corporate),
    mode: settings.roundingMode,
    asOf: today,
    period,
  };
  return { ctx, records: { quotes, orders, approvals, contracts, deals }, accounts, currencies, corporate };
}

/** The records of one reseller (and, as the vendor sees it, of one distributor). */
function only(records: Records, keep: (r: { resellerId: string | null; distributorId: string }) => boolean): Records {
  const quotes = records.quotes.filter(keep);
  const ids = new Set(quotes.map((q) => q.id));
  return {
    quotes,
    orders: records.orders.filter(keep),
    approvals: records.approvals.filter((a) => ids.has(a.quoteId)),
    contracts: records.contracts.filter(keep),
    deals: records.deals.filter(keep),
  };
}

const byName = (x: { partnerName: string }, y: { partnerName: string }): number =>
  x.partnerName < y.partnerName ? -1 : x.partnerName > y.partnerName ? 1 : 0;

export async function channelDashboard(
  store: CpqStore,
  viewer: Viewer,
  today: string,
  options: DashboardOptions = {},
): Promise<ChannelDashboard> {
  requireRole(viewer, ['vendorAdmin', 'distributorUser'], 'see the channel dashboard');
  const { ctx, records, accounts, currencies, corporate } = await loadContext(store, viewer, today, options);
  const { from, to } = ctx.period;
  const agreements = await store.listAgreements();

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
  for (const r of [...records.quotes, ...records.orders]) {
    if (r.resellerId) resellerIds.add(r.resellerId);
    if (viewer.role === 'vendorAdmin') distributorIds.add(r.distributorId);
  }

  const total = kpisOf(ctx, records, resellerIds);
  const quotesByStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<QuoteStatus, number>;
  for (const q of records.quotes) quotesByStatus[q.status] += 1;

  const row = (
    id: string,
    kind: DashboardPartnerRow['kind'],
    part: Records,
    partners: ReadonlySet<string>,
  ): DashboardPartnerRow => ({
    partnerId: id,
    partnerName: names.get(id) ?? id,
    kind,
    ...kpisOf(ctx, part, partners).figures,
  });
  const resellers = [...resellerIds]
    .map((id) =>
      row(
        id,
        'reseller',
        only(records, (r) => r.resellerId === id),
        new Set([id]),
      ),
    )
    .sort(byName);
  const distributors = [...distributorIds]
    .map((id) =>
      row(
        id,
        'distributor',
        only(records, (r) => r.distributorId === id),
        resellerIds,
      ),
    )
    .sort(byName);

  const convert = converter(ctx);
  const keys = monthKeys(from, to);
  const monthly = new Map(keys.map((m) => [m, { orders: 0, customerTotal: 0n, resellerBookings: 0n, distributorBookings: 0n }]));
  for (const o of records.orders) {
    if (!inPeriod(o.orderDate, from, to)) continue;
    const month = monthly.get(o.orderDate.slice(0, 7))!;
    if (o.kind === 'resale') month.orders += 1;
    if (o.status !== 'Activated') continue;
    if (o.kind === 'resale') {
      month.customerTotal += convert(o.customerTotal, o.currency, o.orderDate);
      month.resellerBookings += convert(o.partnerTotal, o.currency, o.orderDate);
    }
    month.distributorBookings += convert(o.netTotal, o.currency, o.orderDate);
  }
  const fmt = (v: bigint): string => formatBig(v, ctx.decimals);

  return {
    scope: viewer.role === 'vendorAdmin' ? 'vendor' : 'distributor',
    currency: ctx.currency,
    corporateCurrency: corporate,
    currencies: currencies.includes(ctx.currency) ? currencies : [...currencies, ctx.currency].sort(),
    asOf: today,
    ...ctx.period,
    months: keys.length,
    kpis: total.kpis,
    totals: { partners: resellerIds.size + distributorIds.size, quotesByStatus, ...withoutKpis(total.figures) },
    resellers,
    distributors,
    bookingsByMonth: keys.map((m) => {
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

/**
 * One reseller's scorecard: its KPIs over the period with the viewer's records of it (a distributor only
 * its own business with the reseller, never the reseller's purchases through another distributor), its tier
 * under each agreement in reach and the bookings still missing to the next. A reseller reads only its own
 * (`partnerId` omitted or its own id); another partner is NOT_FOUND, as a record out of reach.
 */
export async function partnerScorecard(
  store: CpqStore,
  viewer: Viewer,
  today: string,
  partnerId: string | undefined,
  options: DashboardOptions = {},
): Promise<PartnerScorecard> {
  const id = partnerId ?? (viewer.role === 'resellerUser' ? viewer.accountId : undefined);
  if (!id) throw new InvalidInputError('partnerId is required', [{ path: 'partnerId', message: 'name the reseller' }]);
  const standings = (await agreementStandings(store, viewer, today)).filter((s) => s.partnerId === id);
  const account = (await store.listAccounts()).find((a) => a.id === id);
  const inReach =
    account?.type === 'reseller' &&
    (viewer.role === 'vendorAdmin' ||
      (viewer.role === 'resellerUser' && viewer.accountId === id) ||
      (viewer.role === 'distributorUser' && standings.some((s) => s.sellerId === viewer.accountId)));
  if (!inReach) throw new NotFoundError('Partner', id);

  const { ctx, records, currencies, corporate } = await loadContext(store, viewer, today, options);
  const mine = only(records, (r) => r.resellerId === id);
  const { kpis, figures } = kpisOf(ctx, mine, new Set([id]));
  const convert = converter(ctx);
  const keys = monthKeys(ctx.period.from, ctx.period.to);
  const monthly = new Map(keys.map((m) => [m, { orders: 0, customerTotal: 0n, resellerBookings: 0n }]));
  for (const o of mine.orders) {
    if (o.kind !== 'resale' || !inPeriod(o.orderDate, ctx.period.from, ctx.period.to)) continue;
    const month = monthly.get(o.orderDate.slice(0, 7))!;
    month.orders += 1;
    if (o.status !== 'Activated') continue;
    month.customerTotal += convert(o.customerTotal, o.currency, o.orderDate);
    month.resellerBookings += convert(o.partnerTotal, o.currency, o.orderDate);
  }
  const fmt = (v: bigint): string => formatBig(v, ctx.decimals);
  return {
    partnerId: id,
    partnerName: account.name ?? id,
    currency: ctx.currency,
    corporateCurrency: corporate,
    currencies: currencies.includes(ctx.currency) ? currencies : [...currencies, ctx.currency].sort(),
    asOf: today,
    ...ctx.period,
    kpis,
    resellerMargin: figures.resellerMargin,
    tiers: standings
      .filter((s) => viewer.role !== 'distributorUser' || s.sellerId === viewer.accountId)
      .map((s) => ({
        agreementId: s.agreementId,
        sellerId: s.sellerId,
        sellerName: s.sellerName,
        currency: s.currency,
        bookings12m: s.bookings12m,
        currentTier: s.currentTier,
        nextTier: s.nextTier,
        toNextTier: s.toNextTier,
      })),
    bookingsByMonth: keys.map((m) => {
      const v = monthly.get(m)!;
      return { month: m, orders: v.orders, customerTotal: fmt(v.customerTotal), resellerBookings: fmt(v.resellerBookings) };
    }),
  };
}
