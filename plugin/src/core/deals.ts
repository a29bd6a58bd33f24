import { z } from 'zod';
import { sameEndCustomer, type EndCustomerIdentity } from './endCustomers.js';
import { CpqError, InvalidInputError, StateError, type FieldIssue } from './errors.js';
import type { Role } from './records.js';
import { addDays } from './renewals.js';
import { moneySchema } from './scenario.js';

/**
 * Deal registration and rules of engagement (CHANNEL.md, "Deal registration and rules of engagement";
 * decisions where the spec is silent are in docs/DEALS.md). Pure: every function takes the date ("today",
 * YYYY-MM-DD) and the records it needs and returns new records; the stores make the claims atomic.
 */

export const dealStatusSchema = z.enum(['Submitted', 'Approved', 'Rejected', 'Converted', 'Expired', 'Withdrawn']);
export type DealStatus = z.infer<typeof dealStatusSchema>;

/** The vendor's rules of engagement. */
export const dealRulesSchema = z.strictObject({
  /** Calendar days an Approved registration protects its claim, from (and including) the approval day. */
  protectionDays: z.number().int().min(1).max(3650).default(90),
  /** Business days (Monday to Friday) the distributor has to decide before the registration escalates. */
  decisionBusinessDays: z.number().int().min(1).max(60).default(2),
});
export type DealRules = z.infer<typeof dealRulesSchema>;
export const DEFAULT_DEAL_RULES: DealRules = dealRulesSchema.parse({});

const isoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD, like "2026-07-01"' });

export const dealFamilySchema = z.strictObject({
  family: z.string().trim().min(1, 'must name a product family').max(80),
  estimatedQuantity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000),
});
export type DealFamily = z.infer<typeof dealFamilySchema>;

export const dealEndCustomerSchema = z.strictObject({
  /** The de-duplicated account (store addEndCustomer): two registrations of one company share it. */
  id: z.string().min(1),
  name: z.string().min(1),
  /** Empty for an account entered without a country (de-duplication then goes by registration number). */
  country: z.string(),
  region: z.string().optional(),
  registrationNumber: z.string().optional(),
});

export const dealHistoryEntrySchema = z.strictObject({
  date: isoDate,
  action: z.enum(['Submitted', 'Escalated', 'Approved', 'Rejected', 'Extended', 'Converted', 'Expired', 'Withdrawn']),
  byUserId: z.string().nullable(),
  comment: z.string().optional(),
});
export type DealHistoryEntry = z.infer<typeof dealHistoryEntrySchema>;

export const dealRegistrationSchema = z.strictObject({
  id: z.string().min(1),
  number: z.string().min(1),
  resellerId: z.string().min(1),
  distributorId: z.string().min(1),
  endCustomer: dealEndCustomerSchema,
  families: z.array(dealFamilySchema).min(1),
  estimatedValue: moneySchema,
  currency: z.string().regex(/^[A-Z]{3}$/),
  expectedCloseDate: isoDate,
  note: z.string().max(2000).default(''),
  status: dealStatusSchema,
  submittedDate: isoDate,
  /** The last day the distributor decides in before the registration escalates to the vendor. */
  decisionDueDate: isoDate,
  escalated: z.boolean().default(false),
  decidedDate: isoDate.nullable().default(null),
  /** The last protected day (inclusive) once Approved; null before. */
  protectedUntil: isoDate.nullable().default(null),
  extended: z.boolean().default(false),
  /**
   * Whether the registration still holds its claim (Submitted, or Approved/Converted within protection): the
   * stores keep exactly one holder per claim key while this is true, and release it when it turns false.
   */
  claimActive: z.boolean(),
  quoteId: z.string().nullable().default(null),
  history: z.array(dealHistoryEntrySchema).default([]),
  version: z.number().int().min(1).default(1),
});
export type DealRegistration = z.infer<typeof dealRegistrationSchema>;

/** Who acts on a registration (records.ts Viewer). */
export type DealActor = { userId: string; role: Role; accountId: string };

/** Refused: the customer and family are claimed by another partner. Never names the holder. */
export class DealConflictError extends CpqError {
  public constructor(families: readonly string[], issues: FieldIssue[]) {
    super(
      `${families.join(', ')} for this end customer ${families.length === 1 ? 'is' : 'are'} already registered by another partner`,
      409,
      'DEAL_CONFLICT',
      issues,
    );
  }
}

/** The key one active claim holds: the de-duplicated end customer and a family (case and spacing ignored). */
export function claimKey(endCustomerId: string, family: string): string {
  return `${endCustomerId}|${family.trim().replace(/\s+/g, ' ').toUpperCase()}`;
}

export function claimKeys(deal: Pick<DealRegistration, 'endCustomer' | 'families'>): string[] {
  return deal.families.map((f) => claimKey(deal.endCustomer.id, f.family));
}

/** Whether the registration protects (or, Submitted, provisionally holds) its claim on `today`. */
export function holdsClaim(deal: DealRegistration, today: string): boolean {
  if (deal.status === 'Submitted') return true;
  if (deal.status === 'Approved' || deal.status === 'Converted')
    return deal.protectedUntil !== null && today <= deal.protectedUntil;
  return false;
}

/** Days of protection left on `today`, the day itself included (0 when not protected). */
export function protectionDaysLeft(deal: DealRegistration, today: string): number {
  if ((deal.status !== 'Approved' && deal.status !== 'Converted') || deal.protectedUntil === null) return 0;
  if (today > deal.protectedUntil) return 0;
  return daysBetween(today, deal.protectedUntil) + 1;
}

function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** 0 = Sunday ... 6 = Saturday. */
function weekday(date: string): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

/**
 * The `n`th business day (Monday to Friday) after `date`: a registration submitted on a Friday with 2
 * business days is due on Tuesday; one submitted on a Saturday, also on Tuesday. No public holidays.
 */
export function addBusinessDays(date: string, n: number): string {
  let day = date;
  let left = n;
  while (left > 0) {
    day = addDays(day, 1);
    const w = weekday(day);
    if (w !== 0 && w !== 6) left--;
  }
  return day;
}

export type DealRegistrationInput = {
  id: string;
  number: string;
  resellerId: string;
  distributorId: string;
  endCustomer: z.input<typeof dealEndCustomerSchema>;
  families: DealFamily[];
  estimatedValue: string;
  currency: string;
  expectedCloseDate: string;
  note?: string;
};

/** A new Submitted registration: its decision deadline set, families unique (case ignored). */
export function newRegistration(
  input: DealRegistrationInput,
  byUserId: string,
  today: string,
  rules: DealRules,
): DealRegistration {
  const seen = new Map<string, number>();
  const issues: FieldIssue[] = [];
  input.families.forEach((f, i) => {
    const key = claimKey('', f.family);
    const first = seen.get(key);
    if (first !== undefined)
      issues.push({ path: `families.${i}.family`, message: `repeats families.${first}.family (${f.family})` });
    else seen.set(key, i);
  });
  if (input.expectedCloseDate < today) {
    issues.push({ path: 'expectedCloseDate', message: `must be today (${today}) or later` });
  }
  if (issues.length > 0) throw new InvalidInputError(issues.map((x) => `${x.path}: ${x.message}`).join('; '), issues);
  return dealRegistrationSchema.parse({
    ...input,
    note: input.note ?? '',
    status: 'Submitted',
    submittedDate: today,
    decisionDueDate: addBusinessDays(today, rules.decisionBusinessDays),
    claimActive: true,
    history: [{ date: today, action: 'Submitted', byUserId }],
  });
}

export type DealConflict = { index: number; family: string; heldBy: 'self' | 'other'; holderId: string };

/**
 * The candidate's families already claimed on `today`: by another registration of the same end customer
 * (the same account, or the same company by sameEndCustomer) whose claim is held. `holderId` is for the
 * store and the caller's own registrations only; errors built from it never name another partner's.
 */
export function findConflicts(
  candidate: Pick<DealRegistration, 'id' | 'resellerId' | 'endCustomer' | 'families'>,
  existing: readonly DealRegistration[],
  today: string,
): DealConflict[] {
  const conflicts: DealConflict[] = [];
  const sameCustomer = (e: DealRegistration['endCustomer']): boolean =>
    e.id === candidate.endCustomer.id || sameEndCustomer(identity(candidate.endCustomer), identity(e));
  candidate.families.forEach((f, index) => {
    const key = claimKey('', f.family);
    const holder = existing.find(
      (d) =>
        d.id !== candidate.id &&
        holdsClaim(d, today) &&
        sameCustomer(d.endCustomer) &&
        d.families.some((g) => claimKey('', g.family) === key),
    );
    if (holder) {
      conflicts.push({
        index,
        family: f.family,
        heldBy: holder.resellerId === candidate.resellerId ? 'self' : 'other',
        holderId: holder.id,
      });
    }
  });
  return conflicts;
}

function identity(e: DealRegistration['endCustomer']): EndCustomerIdentity {
  return { name: e.name, country: e.country, registrationNumber: e.registrationNumber ?? null };
}

/**
 * Refuses a candidate that overlaps a held claim: another partner's → DEAL_CONFLICT (409, holder unnamed);
 * only the reseller's own → DEAL_ALREADY_REGISTERED (409, naming its own registration, which it may see).
 */
export function assertNoConflict(conflicts: readonly DealConflict[], existing: readonly DealRegistration[]): void {
  const other = conflicts.filter((c) => c.heldBy === 'other');
  if (other.length > 0) {
    throw new DealConflictError(
      other.map((c) => c.family),
      other.map((c) => ({
        path: `families.${c.index}.family`,
        message: 'already registered by another partner',
        code: 'DEAL_CONFLICT',
      })),
    );
  }
  if (conflicts.length > 0) {
    const numbers = conflicts.map((c) => existing.find((d) => d.id === c.holderId)?.number ?? c.holderId);
    throw new CpqError(
      `You already registered ${conflicts.map((c) => c.family).join(', ')} for this end customer (${[...new Set(numbers)].join(', ')})`,
      409,
      'DEAL_ALREADY_REGISTERED',
      conflicts.map((c) => ({ path: `families.${c.index}.family`, message: 'already registered by you' })),
    );
  }
}

function stateError(deal: DealRegistration, action: string): StateError {
  return new StateError(`Registration ${deal.number} is ${deal.status}: it cannot be ${action}`, 'INVALID_STATE');
}

function canDecide(deal: DealRegistration, actor: DealActor): boolean {
  return actor.role === 'vendorAdmin' || (actor.role === 'distributorUser' && actor.accountId === deal.distributorId);
}

function next(deal: DealRegistration, changes: Partial<DealRegistration>, entry: DealHistoryEntry): DealRegistration {
  return { ...deal, ...changes, history: [...deal.history, entry], version: deal.version + 1 };
}

/**
 * The distributor (or the vendor admin, on any) approves or rejects a Submitted registration. A rejection
 * needs a comment (the reseller must learn why); approval starts protection on the decision day.
 */
export function decideRegistration(
  deal: DealRegistration,
  decision: 'Approved' | 'Rejected',
  comment: string | undefined,
  actor: DealActor,
  today: string,
  rules: DealRules,
): DealRegistration {
  if (!canDecide(deal, actor))
    throw new StateError("Only the registration's distributor or the vendor admin decides it", 'FORBIDDEN_ACTION');
  if (deal.status !== 'Submitted') throw stateError(deal, 'decided');
  const text = comment?.trim() ?? '';
  if (decision === 'Rejected' && text === '') {
    throw new InvalidInputError('comment is required to reject a registration', [
      { path: 'comment', message: 'is required to reject' },
    ]);
  }
  const entry: DealHistoryEntry = { date: today, action: decision, byUserId: actor.userId, ...(text ? { comment: text } : {}) };
  if (decision === 'Rejected') return next(deal, { status: 'Rejected', decidedDate: today, claimActive: false }, entry);
  return next(
    deal,
    { status: 'Approved', decidedDate: today, protectedUntil: addDays(today, rules.protectionDays - 1), claimActive: true },
    entry,
  );
}

/** Once, the distributor (or vendor admin) extends a protected registration by another protection period. */
export function extendRegistration(
  deal: DealRegistration,
  actor: DealActor,
  today: string,
  rules: DealRules,
  comment?: string,
): DealRegistration {
  if (!canDecide(deal, actor))
    throw new StateError("Only the registration's distributor or the vendor admin extends it", 'FORBIDDEN_ACTION');
  if ((deal.status !== 'Approved' && deal.status !== 'Converted') || !holdsClaim(deal, today)) throw stateError(deal, 'extended');
  if (deal.extended) throw new StateError(`Registration ${deal.number} was already extended once`, 'ALREADY_EXTENDED');
  const text = comment?.trim() ?? '';
  return next(
    deal,
    { extended: true, protectedUntil: addDays(deal.protectedUntil!, rules.protectionDays) },
    { date: today, action: 'Extended', byUserId: actor.userId, ...(text ? { comment: text } : {}) },
  );
}

/** The reseller withdraws its Submitted or Approved registration, releasing the claim. */
export function withdrawRegistration(
  deal: DealRegistration,
  actor: DealActor,
  today: string,
  comment?: string,
): DealRegistration {
  if (actor.accountId !== deal.resellerId)
    throw new StateError('Only the registering reseller withdraws a registration', 'FORBIDDEN_ACTION');
  if (deal.status !== 'Submitted' && deal.status !== 'Approved') throw stateError(deal, 'withdrawn');
  const text = comment?.trim() ?? '';
  return next(
    deal,
    { status: 'Withdrawn', claimActive: false },
    { date: today, action: 'Withdrawn', byUserId: actor.userId, ...(text ? { comment: text } : {}) },
  );
}

/** The reseller converts its protected Approved registration into a quote; the protection runs on. */
export function convertRegistration(deal: DealRegistration, quoteId: string, actor: DealActor, today: string): DealRegistration {
  if (actor.accountId !== deal.resellerId)
    throw new StateError('Only the registering reseller converts a registration', 'FORBIDDEN_ACTION');
  if (deal.status !== 'Approved' || !holdsClaim(deal, today)) throw stateError(deal, 'converted');
  return next(deal, { status: 'Converted', quoteId }, { date: today, action: 'Converted', byUserId: actor.userId });
}

/**
 * The daily job on `today`: Submitted registrations past their decision day escalate to the vendor (once);
 * Approved ones past protection expire; Converted ones past protection keep their status and release the
 * claim. Returns only the registrations that changed.
 */
export function dailyDealRun(deals: readonly DealRegistration[], today: string): DealRegistration[] {
  const changed: DealRegistration[] = [];
  for (const deal of deals) {
    if (deal.status === 'Submitted' && !deal.escalated && today > deal.decisionDueDate) {
      changed.push(next(deal, { escalated: true }, { date: today, action: 'Escalated', byUserId: null }));
    } else if (deal.status === 'Approved' && !holdsClaim(deal, today)) {
      changed.push(next(deal, { status: 'Expired', claimActive: false }, { date: today, action: 'Expired', byUserId: null }));
    } else if (deal.status === 'Converted' && deal.claimActive && !holdsClaim(deal, today)) {
      changed.push({ ...deal, claimActive: false, version: deal.version + 1 });
    }
  }
  return changed;
}

/** Who sees a registration: its reseller, its distributor, the vendor admin. */
export function canSeeRegistration(deal: DealRegistration, actor: DealActor): boolean {
  if (actor.role === 'vendorAdmin') return true;
  if (actor.role === 'distributorUser') return deal.distributorId === actor.accountId;
  return deal.resellerId === actor.accountId;
}

/**
 * CHANNEL.md, channel conflict: the registrations of another reseller that protect the quote's end customer on
 * `today`: Approved or Converted, still within protection (`protectedUntil`, inclusive). A Submitted registration
 * holds its claim against other registrations but protects nothing yet (protection runs from the approval day),
 * and the reseller's own registrations never conflict. For the vendor admin only (its approval inbox).
 */
export function protectingRegistrations(
  deals: readonly DealRegistration[],
  quote: { resellerId: string; endCustomerId: string },
  today: string,
): DealRegistration[] {
  return deals.filter(
    (d) =>
      d.resellerId !== quote.resellerId &&
      d.endCustomer.id === quote.endCustomerId &&
      (d.status === 'Approved' || d.status === 'Converted') &&
      d.protectedUntil !== null &&
      today <= d.protectedUntil,
  );
}

/**
 * The families those registrations protect, sorted and each once: what a quote's pricing is told
 * (quote.channelConflictFamilies). Never the holder, its registration, reseller or distributor.
 */
export function channelConflictFamilies(
  deals: readonly DealRegistration[],
  quote: { resellerId: string; endCustomerId: string },
  today: string,
): string[] {
  const families = new Set<string>();
  for (const d of protectingRegistrations(deals, quote, today)) for (const f of d.families) families.add(f.family);
  return [...families].sort();
}
