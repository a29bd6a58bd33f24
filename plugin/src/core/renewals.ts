import { HUNDRED_PERCENT, PERCENT_DECIMALS, formatScaled, mulDivRound, parseScaled, type RoundingMode } from './exact.js';
import type { AccountRecord, ContractRecord, QuoteStatus, RenewalPricingMethod, SubscriptionRecord } from './records.js';
import { currencyDecimals } from './scenario.js';

/**
 * Renewal planning (PRICING.md, "Renewals"): which contracts are due for a renewal quote on a given day,
 * how they co-terminate, and the customer unit each renewal line starts from.
 *
 * Pure: no I/O and no clock (the caller passes `asOf`), so the daily job, a dry run and the tests all see
 * the same plans for the same records. The store creates the quotes and sets `renewalQuoteId` on the
 * contracts atomically; this module only decides.
 *
 * Decisions (where PRICING.md is silent, or to make it precise):
 * - Renewable: `status === 'Active'` and `renewalQuoteId === null`. `renewalQuoteId` is what makes generation
 *   idempotent, so a contract that has one is never planned again, whatever reruns happen.
 * - Due: `addDays(endDate, -leadDays) <= asOf` (leadDays defaults to 90). There is no upper bound: a contract
 *   whose end already passed without a renewal is still due, so nothing is lost while the server was down.
 * - Co-termination: renewable contracts with the same non-empty `contractGroup` AND the same reseller,
 *   distributor, end customer and currency form one group (a renewal quote has a single set of parties and one
 *   currency, so a group name alone never merges contracts of different parties). A contract without a group
 *   (or with an empty one) is a group of its own. A group is due when its earliest-ending contract is due, and
 *   then every renewable contract of the group goes into one plan, including those not yet due themselves.
 * - Plan: `startDate = min(endDate) + 1 day`; `termMonths` = the term of the earliest-ending contract (ties:
 *   lowest contract id), so the group restarts on one date for one term; `endDate` (the common end date) =
 *   addMonths(startDate, termMonths) - 1 day. A member ending on or after the common end date is not part of
 *   the plan (PRICING.md says "after"; one ending on it already ends with the renewed ones, and its own
 *   renewal joins theirs next term): it stays renewable, with nothing linked. Lines: one per subscription,
 *   ordered by contract id then subscription id, same product and quantity; each starts the day after its
 *   own contract ends and runs to the common end date, its term `prorateMonthsDaily` (whole months + days,
 *   2 decimals: the earliest contract's lines get the whole term). Members with different terms: the
 *   earliest one's term decides; members with different pricing methods keep each their own (resolved per
 *   line, below). `key` = `group:<contractGroup>:<sorted ids joined by ,>` for a grouped contract (even
 *   alone), else `contract:<id>`: stable across runs, for idempotency checks and logs.
 * - Pricing method: subscription, else contract, else the end customer account, else `same`. Uplift percent:
 *   same precedence, default `0`. A missing end customer account just contributes no default.
 *   - `same`: the subscription's customer unit, prorated to the line term when it differs from the
 *     subscription's term: round(unit × lineTerm / subscriptionTerm).
 *   - `uplift`: round(round(unit × (1 + uplift%)) × lineTerm / subscriptionTerm): the uplift first, then
 *     the proration ("after the uplift"), two roundings, each to the currency's minor unit with the rounding
 *     mode, as each waterfall stage of the engine rounds once.
 *   - `list`: null; the quote is priced afresh from the price book (the engine prorates the list price to the
 *     line's term), no additional discount carried.
 *   Channel discounts are never carried: the quote resolves them from the agreements on its start date.
 * - Money is exact integer arithmetic in the currency's minor units (exact.ts), never floats.
 * - Records are validated when written, so a malformed one here (bad date, money with too many decimals,
 *   unparseable percent, unknown currency, duplicate contract id) is a bug upstream: it throws instead of
 *   being skipped, because a silently skipped contract would silently never renew.
 * - Output is sorted by startDate then key (plain code-unit order, not locale order): deterministic whatever
 *   the order of the input.
 */

/** One renewal quote line: what the subscription becomes for the next term. */
export type RenewalLinePlan = {
  subscriptionId: string;
  contractId: string;
  productId: string;
  quantity: string;
  /** The day after the line's own contract ends (PRICING.md, Co-termination). */
  startDate: string;
  /**
   * Months from `startDate` to the plan's common end date, monthly plus daily, to 2 decimals (9.61): the
   * plan's whole term for the earliest-ending contract, a prorated one for a later-ending one.
   */
  termMonths: number;
  method: RenewalPricingMethod;
  /** The resolved uplift percent for `uplift` lines, else null (it would mean nothing). */
  upliftPercent: string | null;
  /** The customer unit the renewal line starts from; null for `list` (priced afresh from the price book). */
  renewalCustomerUnit: string | null;
};

/** One renewal quote to create: a single contract, or a co-terminated group of contracts. */
export type RenewalPlan = {
  /** Stable identity of the plan (same contracts, same key), for idempotency checks and logs. */
  key: string;
  contractIds: string[];
  resellerId: string;
  distributorId: string;
  endCustomerId: string;
  currency: string;
  startDate: string;
  /** The common end date: startDate + termMonths - 1 day; every line runs to it. */
  endDate: string;
  /** Whole months: the term of the earliest-ending contract. */
  termMonths: number;
  lines: RenewalLinePlan[];
};

const DEFAULT_LEAD_DAYS = 90;
const MAX_YEAR = 9999;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

type Civil = { y: number; m: number; d: number };

/** Parses a strict ISO calendar date; anything else (2026-02-30, 2026-1-1) throws, since it is a bug upstream. */
function parseDate(date: string): Civil {
  const match = ISO_DATE.exec(date);
  if (match) {
    const y = Number(match[1]);
    const m = Number(match[2]);
    const d = Number(match[3]);
    if (m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) return { y, m, d };
  }
  throw new RangeError(`not a calendar date YYYY-MM-DD: "${date}"`);
}

function formatDate({ y, m, d }: Civil): string {
  if (y < 0 || y > MAX_YEAR) throw new RangeError(`date out of range (year ${y})`);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). Plain integer math
 * rather than `Date`: no time zone, no daylight saving hour, no two-digit-year quirk of Date.UTC.
 */
function daysFromCivil({ y, m, d }: Civil): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The inverse of daysFromCivil. */
function civilFromDays(days: number): Civil {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

function requireInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer (got ${value})`);
}

/** `date` plus `days` calendar days (negative goes back); ISO YYYY-MM-DD in, out, UTC calendar (no time zone). */
export function addDays(date: string, days: number): string {
  requireInteger(days, 'days');
  return formatDate(civilFromDays(daysFromCivil(parseDate(date)) + days));
}

/**
 * `date` plus `months` calendar months, the day clamped to the end of the target month
 * (2026-01-31 + 1 = 2026-02-28), as contract terms and Salesforce's ADDMONTHS count them.
 */
export function addMonths(date: string, months: number): string {
  requireInteger(months, 'months');
  const { y, m, d } = parseDate(date);
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = index - ny * 12 + 1;
  return formatDate({ y: ny, m: nm, d: Math.min(d, daysInMonth(ny, nm)) });
}

/** Hundredths of a month in one month: terms are carried to 2 decimals of a month. */
export const TERM_SCALE = 100;

/**
 * The term from `start` to `end` (both included) in hundredths of a month, "monthly plus daily" as
 * PRICING.md (Co-termination) and Salesforce CPQ's Subscription Prorate Precision "Monthly + Daily" count it
 * (https://help.salesforce.com/apex/HTViewHelpDoc?id=sales.cpq_subscriptions_prorate_precision_1.htm): the
 * whole months from `start` (addMonths, so 2027-01-31 + 1 month = 2027-02-28), plus the remaining days ÷ the
 * days of the month they fall in, rounded half up to 2 decimals of a month. That month is the term's next
 * month, from addMonths(start, n) to addMonths(start, n + 1): the calendar month when the line starts on
 * the 1st (2027-06-01..2028-03-19 = 9 months + 19/31 = 9.61 → 961), and otherwise the month of the term
 * the days belong to, so the fraction stays below 1 and a longer term is never a shorter one (dividing each
 * day by its calendar month would make 2000-01-13..2001-02-11 = 12 + 19/31 + 11/28 = 13.01, more than the
 * 13.00 of one day later). `end` before `start` is an error: a line runs at least one day.
 */
export function prorateMonthsDaily(start: string, end: string): number {
  const from = daysFromCivil(parseDate(start));
  const stop = daysFromCivil(parseDate(end)) + 1; // the day after the last day: the term is [start, stop)
  if (stop <= from) throw new RangeError(`term end ${end} is before its start ${start}`);
  const at = (n: number): number => daysFromCivil(parseDate(addMonths(start, n)));
  const first = parseDate(start);
  const last = parseDate(end);
  let months = Math.max(0, (last.y - first.y) * 12 + (last.m - first.m));
  while (months > 0 && at(months) > stop) months--;
  while (at(months + 1) <= stop) months++;
  const days = stop - at(months); // 0 <= days < monthDays
  const monthDays = at(months + 1) - at(months);
  // Half up to hundredths of days / monthDays: floor((2 × 100 × days + monthDays) / (2 × monthDays)).
  return months * TERM_SCALE + Math.floor((2 * TERM_SCALE * days + monthDays) / (2 * monthDays));
}

/** A term in months as records carry it (a number with at most 2 decimals) to hundredths; anything else throws. */
export function termHundredths(termMonths: number, what: string): number {
  const scaled = Math.round(termMonths * TERM_SCALE);
  if (!Number.isFinite(termMonths) || scaled < 1 || Math.abs(scaled - termMonths * TERM_SCALE) > 1e-6) {
    throw new RangeError(`${what} must be a positive number of months with at most 2 decimals (got ${termMonths})`);
  }
  return scaled;
}

/** Plain code-unit order: unlike localeCompare, the same on every machine and locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isRenewable(c: ContractRecord): boolean {
  return c.status === 'Active' && c.renewalQuoteId === null;
}

/** Earliest end first; ties by lowest id, so the plan's term never depends on the input order. */
function byEndThenId(a: ContractRecord, b: ContractRecord): number {
  return compareText(a.endDate, b.endDate) || compareText(a.id, b.id);
}

type LinePricing = { method: RenewalPricingMethod; upliftPercent: string };

function resolvePricing(sub: SubscriptionRecord, contract: ContractRecord, account: AccountRecord | undefined): LinePricing {
  return {
    method: sub.renewalPricingMethod ?? contract.renewalPricingMethod ?? account?.renewalPricingMethod ?? 'same',
    upliftPercent: sub.renewalUpliftPercent ?? contract.renewalUpliftPercent ?? account?.renewalUpliftPercent ?? '0',
  };
}

/**
 * The renewal customer unit of one line, or null for `list`; exact integer math in minor units. `uplift`
 * first (round(unit × (1 + uplift%))), then the proration to the line's term (round(unit' × new ÷ old)), as
 * PRICING.md says "prorated by the ratio of the two terms (after the uplift)": two roundings, each to the
 * minor unit, as each waterfall stage rounds once. Equal terms leave the unit untouched (no rounding).
 */
function renewalUnit(
  sub: SubscriptionRecord,
  lineTerm: number,
  pricing: LinePricing,
  decimals: number,
  mode: RoundingMode,
): string | null {
  if (pricing.method === 'list') return null;
  const where = `contract ${sub.contractId} subscription ${sub.id}`;
  const unit = parseScaled(sub.customerUnit, decimals);
  if (unit === undefined || unit < 0) {
    throw new RangeError(`${where}: customerUnit "${sub.customerUnit}" is not an amount with at most ${decimals} decimals`);
  }
  const subTerm = termHundredths(sub.termMonths, `${where}: termMonths`);
  let carried = unit;
  if (pricing.method === 'uplift') {
    const percent = parseScaled(pricing.upliftPercent, PERCENT_DECIMALS);
    if (percent === undefined || percent < 0) {
      throw new RangeError(`${where}: uplift percent "${pricing.upliftPercent}" is not a percentage`);
    }
    carried = mulDivRound(carried, HUNDRED_PERCENT + percent, HUNDRED_PERCENT, mode);
  }
  // mulDivRound returns the unit untouched when the terms are equal: no rounding without proration.
  return formatScaled(mulDivRound(carried, lineTerm, subTerm, mode), decimals);
}

/**
 * The plan of a due bucket: the quote starts the day after the earliest end and runs one term (the earliest
 * contract's) to the common end date; members ending on or after that date stay out (they already end with
 * the renewed ones, or later: their own renewal comes with the next term), so `null` never happens for a
 * bucket with members, as the earliest one always ends before the common end.
 */
function buildPlan(members: ContractRecord[], accounts: ReadonlyMap<string, AccountRecord>, mode: RoundingMode): RenewalPlan {
  const earliest = [...members].sort(byEndThenId)[0]!;
  const startDate = addDays(earliest.endDate, 1);
  const termMonths = earliest.termMonths;
  requireInteger(termMonths, `contract ${earliest.id} termMonths`);
  if (termMonths < 1) throw new RangeError(`contract ${earliest.id} termMonths must be at least 1 (got ${termMonths})`);
  const endDate = addDays(addMonths(startDate, termMonths), -1);
  const included = members.filter((c) => compareText(c.endDate, endDate) < 0);
  const byId = included.sort((a, b) => compareText(a.id, b.id));
  const contractIds = byId.map((c) => c.id);
  const group = earliest.contractGroup;
  const key = group ? `group:${group}:${contractIds.join(',')}` : `contract:${earliest.id}`;
  const decimals = currencyDecimals(earliest.currency);
  const account = accounts.get(earliest.endCustomerId);
  const lines: RenewalLinePlan[] = [];
  for (const contract of byId) {
    const lineStart = addDays(contract.endDate, 1);
    const lineTerm = prorateMonthsDaily(lineStart, endDate);
    const subs = [...contract.subscriptions].sort((a, b) => compareText(a.id, b.id));
    for (const sub of subs) {
      const pricing = resolvePricing(sub, contract, account);
      lines.push({
        subscriptionId: sub.id,
        contractId: contract.id,
        productId: sub.productId,
        quantity: sub.quantity,
        startDate: lineStart,
        termMonths: lineTerm / TERM_SCALE,
        method: pricing.method,
        upliftPercent: pricing.method === 'uplift' ? pricing.upliftPercent : null,
        renewalCustomerUnit: renewalUnit(sub, lineTerm, pricing, decimals, mode),
      });
    }
  }
  return {
    key,
    contractIds,
    resellerId: earliest.resellerId,
    distributorId: earliest.distributorId,
    endCustomerId: earliest.endCustomerId,
    currency: earliest.currency,
    startDate,
    endDate,
    termMonths,
    lines,
  };
}

/**
 * The renewal quotes to create on `asOf`: one plan per due contract or co-terminated group, sorted by start
 * date then key. Contracts already renewed (`renewalQuoteId` set) or not Active are never planned, so
 * running it again after the quotes are created plans nothing new.
 */
export function planRenewals(input: {
  contracts: readonly ContractRecord[];
  accounts: ReadonlyMap<string, AccountRecord>;
  asOf: string;
  leadDays?: number;
  roundingMode?: RoundingMode;
}): RenewalPlan[] {
  const { contracts, accounts, asOf } = input;
  const leadDays = input.leadDays ?? DEFAULT_LEAD_DAYS;
  const mode = input.roundingMode ?? 'halfUp';
  requireInteger(leadDays, 'leadDays');
  if (leadDays < 0) throw new RangeError(`leadDays must not be negative (got ${leadDays})`);
  parseDate(asOf);

  const seen = new Set<string>();
  for (const c of contracts) {
    if (seen.has(c.id)) throw new Error(`duplicate contract id ${c.id}`);
    seen.add(c.id);
  }

  // Bucket renewable contracts: by group and parties (JSON keeps the fields from running into each other),
  // or alone.
  const buckets = new Map<string, ContractRecord[]>();
  for (const c of contracts) {
    if (!isRenewable(c)) continue;
    const bucketKey = c.contractGroup
      ? JSON.stringify(['group', c.contractGroup, c.resellerId, c.distributorId, c.endCustomerId, c.currency])
      : JSON.stringify(['contract', c.id]);
    const bucket = buckets.get(bucketKey);
    if (bucket) bucket.push(c);
    else buckets.set(bucketKey, [c]);
  }

  const plans: RenewalPlan[] = [];
  for (const members of buckets.values()) {
    const earliest = [...members].sort(byEndThenId)[0]!;
    if (compareText(addDays(earliest.endDate, -leadDays), asOf) > 0) continue;
    plans.push(buildPlan(members, accounts, mode));
  }
  return plans.sort((a, b) => compareText(a.startDate, b.startDate) || compareText(a.key, b.key));
}

/**
 * Where a contract's renewal stands, from its renewal quote (none yet, or that quote's status):
 * - `None`: no renewal quote yet (the portal says "Renewal due" once the contract is within the lead days);
 * - `Quoted`: a renewal quote waits (Draft, NeedsApproval, Approved or Rejected): the renewal is still due;
 * - `Accepted`: the end customer accepted the renewal quote ("Renewal accepted"), the order is to come;
 * - `Renewed`: the renewal quote was ordered: the next term is a contract of its own;
 * - `Lapsed`: the renewal quote expired unaccepted.
 * Derived on every read, so it can never disagree with the quote: accepting or ordering the quote is all it
 * takes, in one write, with nothing else to keep in step.
 */
export type ContractRenewalStatus = 'None' | 'Quoted' | 'Accepted' | 'Renewed' | 'Lapsed';

export function contractRenewalStatus(
  contract: Pick<ContractRecord, 'renewalQuoteId' | 'renewalQuoteStatus'>,
): ContractRenewalStatus {
  if (contract.renewalQuoteId === null) return 'None';
  const byQuote: Record<QuoteStatus, ContractRenewalStatus> = {
    Draft: 'Quoted',
    NeedsApproval: 'Quoted',
    Approved: 'Quoted',
    Rejected: 'Quoted',
    Accepted: 'Accepted',
    Ordered: 'Renewed',
    Expired: 'Lapsed',
  };
  // A quote the reader may not see (or a link read without its status) still says a renewal exists.
  return contract.renewalQuoteStatus ? byQuote[contract.renewalQuoteStatus] : 'Quoted';
}
