import { newId } from '../core/ids.js';
import { z } from 'zod';
import { chooseDefaultDistributor, holdsActiveAgreement } from '../core/defaultDistributor.js';
import { ConflictError, ForbiddenError, InvalidInputError, StateError } from '../core/errors.js';
import { MAX_QUOTE_LINES, tooManyLines } from '../core/limits.js';
import { addDays } from '../core/renewals.js';
import {
  lineNotesSchema,
  QUOTE_NAME_MAX,
  quoteLineRecordSchema,
  quoteNotesSchema,
  type AccountRecord,
  type ApprovalLevel,
  type ApprovalRecord,
  type QuoteLineRecord,
  type QuoteRecord,
  type QuoteStatus,
  type Viewer,
} from '../core/records.js';
import { channelModeSchema, percentSchema, type ChannelMode } from '../core/scenario.js';
import type { PricedLine } from '../core/pricing.js';
import { samePricedLine } from '../core/samePricedLine.js';
import { pricedQuoteOf, serializePricedQuote, type PricedQuoteJson } from '../core/serialize.js';
import { viewFor, type QuoteView } from '../core/visibility.js';
import type { CpqStore } from '../store/port.js';
import { partyScope, pricingRole, reachable, requireRole } from './access.js';
import { AnsweredFigures } from './answeredFigures.js';
import { parseInput } from './input.js';
import { notify } from './notifications.js';
import { currentReference, priceStoredQuote, priceStoredQuoteRaw, quoteConflicts } from './pricingContext.js';

/**
 * Quotes: create, edit lines, price on the server on every save (the client never sends prices),
 * optimistic concurrency, and the status flow
 * Draft -> (NeedsApproval -> Approved | Rejected) -> Accepted -> Ordered, with an expiry date.
 */

export const QUOTE_VALID_DAYS = 30;
/** Why an approval without a comment is refused (CHANNEL.md: each decision carries a comment). */
export const APPROVAL_COMMENT_REQUIRED = 'write a comment for the reseller: every decision carries one';

/**
 * The levels of the approval chain a priced quote needs, in the order they decide (CHANNEL.md): the
 * distributor for a discount above the reseller's cap, then the vendor for a line below its price floor or
 * above vendorApprovalAbovePercent.
 */
export function approvalLevelsNeeded(
  priced: Pick<PricedQuoteJson, 'approvalRequired' | 'vendorApprovalRequired'>,
): ApprovalLevel[] {
  const levels: ApprovalLevel[] = [];
  if (priced.approvalRequired) levels.push('Distributor');
  if (priced.vendorApprovalRequired) levels.push('Vendor');
  return levels;
}

/** Who decides a level: the quote's distributor, or the vendor admin. */
const DECIDER: Record<ApprovalLevel, 'distributorUser' | 'vendorAdmin'> = {
  Distributor: 'distributorUser',
  Vendor: 'vendorAdmin',
};

const isoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD' });

/**
 * A line as a client sends it. Unknown keys are dropped, not refused: the editor sends back the lines it
 * was given, prices included, and those prices are ignored (the server prices every save itself).
 */
export const lineInputSchema = z.object({
  id: z.string().min(1).optional(),
  productId: z.string({ error: 'choose a product' }).min(1, { error: 'choose a product' }),
  quantity: quoteLineRecordSchema.shape.quantity,
  termMonths: quoteLineRecordSchema.shape.termMonths,
  additionalDiscountPercent: quoteLineRecordSchema.shape.additionalDiscountPercent,
  additionalDiscountAmount: quoteLineRecordSchema.shape.additionalDiscountAmount,
  group: z.string().max(80).optional(),
  /** The line's note for the end customer (blank: none). */
  notes: lineNotesSchema.optional(),
});
export type LineInput = z.infer<typeof lineInputSchema>;

/** A quote's lines: the size is checked first, so an oversized request is refused before any line is read. */
const quoteLinesSchema = z
  .array(z.unknown())
  .max(MAX_QUOTE_LINES, { error: (issue) => tooManyLines('quote', (issue.input as unknown[]).length) })
  .pipe(z.array(lineInputSchema));

const quoteNameSchema = z.string().max(QUOTE_NAME_MAX, { error: `must be at most ${QUOTE_NAME_MAX} characters` });

export const createQuoteInputSchema = z.strictObject({
  name: quoteNameSchema.optional(),
  resellerId: z.string().min(1).optional(),
  distributorId: z.string().min(1).optional(),
  endCustomerId: z.string({ error: 'choose an end customer' }).min(1),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 currency code like "USD"' }),
  startDate: isoDate,
  termMonths: z.int().min(1).max(1200).optional(),
  channelMode: channelModeSchema.optional(),
  contractGroup: z.string().max(80).optional(),
  /** The quote's note for the end customer (blank: none). */
  notes: quoteNotesSchema.optional(),
  /** The quote discount: default additional discount of every discountable line with none of its own. */
  additionalDiscountPercent: percentSchema.optional(),
  lines: quoteLinesSchema.default([]),
});
export type CreateQuoteInput = z.input<typeof createQuoteInputSchema>;

export const saveQuoteInputSchema = z.strictObject({
  quoteId: z.string().min(1),
  version: z.int({ error: 'must be the version of the quote you edited' }).min(1),
  name: quoteNameSchema.optional(),
  endCustomerId: z.string().min(1).optional(),
  startDate: isoDate.optional(),
  termMonths: z.int().min(1).max(1200).nullable().optional(),
  /** The quote's note for the end customer: absent keeps it, blank removes it. */
  notes: quoteNotesSchema.optional(),
  /** The quote discount; null or "" clears it (Apex: ""), absent keeps it. */
  additionalDiscountPercent: z.preprocess((v) => (v === '' ? null : v), percentSchema.nullable()).optional(),
  lines: quoteLinesSchema,
});
export type SaveQuoteInput = z.input<typeof saveQuoteInputSchema>;

/**
 * What the reseller confirms when the end customer accepts (docs/DOCUMENT.md): the customer's purchase order
 * number, if it gave one, and the version of the quote document it accepted.
 */
export const PURCHASE_ORDER_NUMBER_MAX = 40;
export const acceptConfirmationSchema = z.strictObject({
  purchaseOrderNumber: z
    .string()
    .trim()
    .max(PURCHASE_ORDER_NUMBER_MAX, { error: `must be at most ${PURCHASE_ORDER_NUMBER_MAX} characters` })
    .regex(/^([A-Za-z0-9][A-Za-z0-9 ._/#-]*)?$/, {
      error: 'may hold only letters A-Z, digits, spaces and . _ / # - (starting with a letter or digit)',
    })
    .optional(),
  documentVersion: z.int({ error: 'must be the version number printed on the document' }).min(1).optional(),
});
export type AcceptConfirmation = z.input<typeof acceptConfirmationSchema>;

export type QuoteSummary = {
  id: string;
  number: string;
  name: string;
  status: QuoteStatus;
  resellerId: string;
  resellerName: string;
  distributorId: string;
  distributorName: string;
  endCustomerId: string;
  endCustomerName: string;
  currency: string;
  startDate: string;
  expiryDate: string;
  customerTotal: string | null;
  partnerTotal: string | null;
  /** Absent for resellers. */
  netTotal?: string | null;
  approvalRequired: boolean;
  isRenewal: boolean;
  /** The reseller asked its distributor to place the order. */
  orderRequested: boolean;
  updatedAt: string;
  version: number;
};

export type QuoteActions = {
  canEdit: boolean;
  /** The reseller may withdraw its pending approval request (the editor is read-only meanwhile). */
  canWithdraw: boolean;
  canSubmitForApproval: boolean;
  canDecideApproval: boolean;
  canAccept: boolean;
  canRequestOrder: boolean;
  canPlaceOrder: boolean;
};

export type QuoteDetail = {
  quote: Omit<QuoteRecord, 'netTotal'> & {
    netTotal?: string | null;
    resellerName: string;
    distributorName: string;
    endCustomerName: string;
    /** Who overrode the channel mode of this quote (the vendor admin), by name. */
    channelModeSetByName?: string | null;
  };
  pricing: QuoteView;
  /** The approval history, with the names of who asked and who decided (people read names, not ids). */
  approvals: (ApprovalRecord & { requestedByName: string | null; decidedByName: string | null })[];
  actions: QuoteActions;
};

/**
 * QuoteController.saveQuote's answer (issue 14, docs/CONTROLLERS.md): the quote's head without its lines
 * (`lineIds` gives their ids in order, new lines included), the pricing's totals and flags with only the
 * lines whose figures changed since the version the client edited (a line absent is unchanged; all lines
 * when the server cannot tell), the actions, and the approval history only when the save withdrew a
 * pending approval.
 */
export type SaveQuoteAnswer = {
  quote: Omit<QuoteDetail['quote'], 'lines'> & { lineIds: string[] };
  pricing: QuoteView;
  actions: QuoteActions;
  approvals?: QuoteDetail['approvals'];
};

/** What the actions and the blockers read of a priced quote: its flags and every line's messages. */
type PricedFlags = Pick<PricedQuoteJson, 'approvalRequired' | 'vendorApprovalRequired'> & {
  lines: readonly Pick<PricedQuoteJson['lines'][number], 'lineId' | 'errors' | 'warnings'>[];
};

/**
 * A note as stored: line breaks as LF, trailing spaces, tabs and line breaks cut; a blank note is none. The Apex
 * QuoteService.noteOf does the same.
 */
export function noteOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const note = text.replace(/\r\n?/g, '\n').replace(/[ \t\n]+$/, '');
  return note === '' ? undefined : note;
}

const EDITABLE: readonly QuoteStatus[] = ['Draft', 'NeedsApproval', 'Approved', 'Rejected'];

export class QuoteService {
  /** The figures answered per quote version: what a slim save answer compares against. */
  private readonly answered = new AnsweredFigures<PricedLine>(512, samePricedLine);

  public constructor(
    private readonly store: CpqStore,
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10),
  ) {}

  private now(): string {
    return new Date().toISOString();
  }

  private async names(): Promise<ReadonlyMap<string, AccountRecord>> {
    return (await currentReference(this.store)).validated.accounts;
  }

  private summary(viewer: Viewer, q: QuoteRecord, accounts: ReadonlyMap<string, AccountRecord>): QuoteSummary {
    const summary: QuoteSummary = {
      id: q.id,
      number: q.number,
      name: q.name,
      status: q.status,
      resellerId: q.resellerId,
      resellerName: accounts.get(q.resellerId)?.name ?? q.resellerId,
      distributorId: q.distributorId,
      distributorName: accounts.get(q.distributorId)?.name ?? q.distributorId,
      endCustomerId: q.endCustomerId,
      endCustomerName: accounts.get(q.endCustomerId)?.name ?? q.endCustomerId,
      currency: q.currency,
      startDate: q.startDate,
      expiryDate: q.expiryDate,
      customerTotal: q.customerTotal,
      partnerTotal: q.partnerTotal,
      approvalRequired: q.approvalRequired,
      isRenewal: q.renewalOfContractIds.length > 0,
      orderRequested: q.orderRequest !== undefined,
      updatedAt: q.updatedAt,
      version: q.version,
    };
    if (viewer.role !== 'resellerUser') summary.netTotal = q.netTotal;
    return summary;
  }

  public async listQuotes(
    viewer: Viewer,
    filter: { statuses?: QuoteStatus[]; search?: string; renewal?: boolean } = {},
  ): Promise<QuoteSummary[]> {
    const [quotes, accounts] = await Promise.all([
      this.store.listQuotes({ ...partyScope(viewer), statuses: filter.statuses, search: filter.search, renewal: filter.renewal }),
      this.names(),
    ]);
    return quotes.map((q) => this.summary(viewer, q, accounts));
  }

  /**
   * The families of the quote's end customer another reseller's registration protects today (CHANNEL.md,
   * channel conflict): family names only, never the holder (pricingContext.quoteConflicts).
   */
  public channelConflicts(quote: Pick<QuoteRecord, 'resellerId' | 'endCustomerId'>): Promise<string[]> {
    return quoteConflicts(this.store, quote, this.today());
  }

  /** The service's day (the channel conflict and expiry are judged on it). */
  public currentDay(): string {
    return this.today();
  }

  /** The quote the viewer may reach, or NotFoundError. */
  /** Another thread answered this quote at this version (preview/controllerPool.ts): what it answered is unknown here. */
  public answeredElsewhere(quoteId: string, version: number): void {
    this.answered.markAmbiguous(quoteId, version);
  }

  public async load(viewer: Viewer, quoteId: string): Promise<QuoteRecord> {
    return reachable(viewer, await this.store.getQuote(quoteId), 'Quote', quoteId);
  }

  public async getQuote(viewer: Viewer, quoteId: string): Promise<QuoteDetail> {
    const quote = await this.load(viewer, quoteId);
    return this.detail(viewer, quote, await priceStoredQuote(this.store, quote, 'state', this.today()));
  }

  /** The quote's approval history with the requesters' and deciders' names. */
  private async approvalHistory(quoteId: string, users?: Map<string, string>): Promise<QuoteDetail['approvals']> {
    const [history, userNames] = await Promise.all([this.store.listApprovals([quoteId]), users ?? this.userNames()]);
    return history.map((a) => ({
      ...a,
      requestedByName: userNames.get(a.requestedBy) ?? null,
      decidedByName: a.decidedBy ? (userNames.get(a.decidedBy) ?? null) : null,
    }));
  }

  private async userNames(): Promise<Map<string, string>> {
    return new Map((await this.store.listUsers()).map((u) => [u.id, u.name]));
  }

  private async detail(viewer: Viewer, quote: QuoteRecord, priced: PricedQuoteJson): Promise<QuoteDetail> {
    const [accounts, userNames] = await Promise.all([this.names(), this.userNames()]);
    const approvals = await this.approvalHistory(quote.id, userNames);
    const setBy = quote.channelModeSetBy === undefined ? undefined : (userNames.get(quote.channelModeSetBy) ?? null);
    const { netTotal, ...head } = quote;
    const visible: QuoteDetail['quote'] = {
      ...head,
      resellerName: accounts.get(quote.resellerId)?.name ?? quote.resellerId,
      distributorName: accounts.get(quote.distributorId)?.name ?? quote.distributorId,
      endCustomerName: accounts.get(quote.endCustomerId)?.name ?? quote.endCustomerId,
      ...(setBy === undefined ? {} : { channelModeSetByName: setBy }),
    };
    if (viewer.role !== 'resellerUser') visible.netTotal = netTotal;
    const raw = pricedQuoteOf(priced);
    if (raw) this.answered.record(quote.id, quote.version, raw.lines);
    else this.answered.forget(quote.id);
    return {
      quote: visible,
      pricing: viewFor(priced, pricingRole(viewer)),
      approvals,
      actions: this.actions(viewer, quote, priced, approvals),
    };
  }

  private actions(viewer: Viewer, q: QuoteRecord, priced: PricedFlags, history: readonly ApprovalRecord[]): QuoteActions {
    const reseller = viewer.role === 'resellerUser';
    const distributor = viewer.role === 'distributorUser';
    const pending = history.filter((a) => a.status === 'Pending').at(-1);
    // An approved quote's discount above the cap is what the distributor approved: it no longer blocks.
    const blockers = this.acceptBlockers(q, priced, q.status === 'Approved');
    return {
      // While a request is pending the editor is read-only but for Withdraw (CHANNEL.md, approval chain).
      canEdit: reseller && EDITABLE.includes(q.status) && q.status !== 'NeedsApproval',
      canWithdraw: reseller && q.status === 'NeedsApproval',
      canSubmitForApproval:
        reseller && (q.status === 'Draft' || q.status === 'Rejected') && approvalLevelsNeeded(priced).length > 0,
      // Each level is decided by its own decider: a distributor never decides the vendor's level.
      canDecideApproval: q.status === 'NeedsApproval' && pending !== undefined && DECIDER[pending.level] === viewer.role,
      canAccept: reseller && (q.status === 'Draft' || q.status === 'Approved') && blockers.length === 0,
      canRequestOrder: reseller && q.status === 'Accepted' && q.orderRequest === undefined,
      canPlaceOrder: distributor && q.status === 'Accepted',
    };
  }

  /** Applies the priced totals to the record (for lists and dashboards). */
  private withTotals(q: QuoteRecord, priced: PricedQuoteJson): QuoteRecord {
    return {
      ...q,
      customerTotal: priced.totals?.customer ?? null,
      partnerTotal: priced.totals?.partner ?? null,
      netTotal: priced.totals?.net ?? null,
      approvalRequired: priced.approvalRequired,
    };
  }

  public async createQuote(viewer: Viewer, rawInput: unknown): Promise<QuoteDetail> {
    return this.createParsedQuote(viewer, parseInput(createQuoteInputSchema, rawInput, 'the quote is not valid'));
  }

  /** createQuote for input already parsed with createQuoteInputSchema (by a controller's contract). */
  public async createParsedQuote(
    viewer: Viewer,
    input: z.infer<typeof createQuoteInputSchema>,
    /** Set by the server only (a conversion from a registered deal), never from a client's input. */
    origin: Pick<QuoteRecord, 'registeredDeal'> = {},
  ): Promise<QuoteDetail> {
    requireRole(viewer, ['resellerUser'], 'create quotes');
    if (input.channelMode !== undefined) {
      // PRICING.md: the channel mode belongs to the agreement; a partner cannot choose it on a quote.
      const message = 'the channel mode comes from your agreement with the distributor: only the vendor admin may change it';
      throw new InvalidInputError(`channelMode: ${message}`, [{ path: 'channelMode', message }]);
    }
    if (input.resellerId !== undefined && input.resellerId !== viewer.accountId) {
      throw new InvalidInputError('resellerId: you can only create quotes for your own account', [
        { path: 'resellerId', message: 'must be your own account' },
      ]);
    }
    const resellerId = viewer.accountId;
    const reference = (await currentReference(this.store)).snapshot;
    const accounts = new Map(reference.accounts.map((a) => [a.id, a]));
    const reseller = accounts.get(resellerId)!;
    const endCustomer = accounts.get(input.endCustomerId);
    if (endCustomer?.type !== 'endCustomer') {
      throw new InvalidInputError(`endCustomerId: "${input.endCustomerId}" is not an end customer`, [
        { path: 'endCustomerId', message: 'must be an end customer account' },
      ]);
    }
    let distributorId = input.distributorId;
    if (distributorId === undefined) {
      const families = input.lines
        .map((l) => reference.products.find((p) => p.id === l.productId)?.family)
        .filter((f): f is string => f !== undefined);
      distributorId = chooseDefaultDistributor({
        reseller,
        families,
        rules: await this.store.listDefaultDistributorRules(),
        agreements: reference.agreements,
        date: input.startDate,
      });
      if (distributorId === undefined) {
        throw new InvalidInputError('distributorId: no default distributor applies to you: choose the distributor', [
          { path: 'distributorId', message: 'choose the distributor: no default distributor rule applies' },
        ]);
      }
    } else if (accounts.get(distributorId)?.type !== 'distributor') {
      throw new InvalidInputError(`distributorId: "${distributorId}" is not a distributor`, [
        { path: 'distributorId', message: 'must be a distributor account' },
      ]);
    } else if (!holdsActiveAgreement(reference.agreements, resellerId, distributorId, input.startDate)) {
      // A distributor the reseller does not buy from would otherwise see the quote (and its customer).
      const message = `you hold no active agreement with this distributor on ${input.startDate}: choose one you buy from`;
      throw new InvalidInputError(`distributorId: ${message}`, [{ path: 'distributorId', message }]);
    }
    const now = this.now();
    const quote: QuoteRecord = {
      id: newId(),
      number: '',
      name: input.name ?? `${endCustomer.name ?? endCustomer.id} ${input.startDate}`,
      resellerId,
      distributorId,
      endCustomerId: input.endCustomerId,
      currency: input.currency,
      status: 'Draft',
      startDate: input.startDate,
      termMonths: input.termMonths,
      ...(input.additionalDiscountPercent === undefined ? {} : { additionalDiscountPercent: input.additionalDiscountPercent }),
      contractGroup: input.contractGroup,
      ...(noteOf(input.notes) === undefined ? {} : { notes: noteOf(input.notes) }),
      ...(origin.registeredDeal ? { registeredDeal: origin.registeredDeal } : {}),
      expiryDate: addDays(this.today(), QUOTE_VALID_DAYS),
      version: 1,
      renewalOfContractIds: [],
      createdBy: viewer.userId,
      createdAt: now,
      updatedAt: now,
      lines: input.lines.map((l) => this.newLine(l)),
      customerTotal: null,
      partnerTotal: null,
      netTotal: null,
      approvalRequired: false,
    };
    const priced = await priceStoredQuote(this.store, quote, 'input', this.today());
    // Numbered once it prices: a refused quote leaves no gap in the numbering.
    const stored = { ...this.withTotals(quote, priced), number: await this.store.nextNumber('quote') };
    await this.store.insertQuote(stored);
    return this.detail(viewer, stored, priced);
  }

  private newLine(input: LineInput, keep?: QuoteLineRecord): QuoteLineRecord {
    const line: QuoteLineRecord = {
      id: keep?.id ?? newId(),
      productId: input.productId,
      quantity: input.quantity,
      termMonths: input.termMonths,
      additionalDiscountPercent: input.additionalDiscountPercent,
      additionalDiscountAmount: input.additionalDiscountAmount,
      group: input.group,
      notes: noteOf(input.notes),
    };
    if (line.notes === undefined) delete line.notes;
    // Server-set fields survive an edit of the same line; a client can never set them.
    if (keep?.renewalCustomerUnit !== undefined && keep.productId === input.productId)
      line.renewalCustomerUnit = keep.renewalCustomerUnit;
    return line;
  }

  /**
   * Saves the whole quote as edited (lines added, edited, cloned, reordered or deleted in the editor),
   * prices it, and stores it only if nobody saved it since `version`. An edit after a submission or a
   * decision sends the quote back to Draft: what was approved is not what is now on the quote.
   */
  public async saveQuote(viewer: Viewer, rawInput: unknown): Promise<QuoteDetail> {
    return this.saveParsedQuote(viewer, parseInput(saveQuoteInputSchema, rawInput, 'the quote is not valid'));
  }

  /**
   * saveQuote for input already parsed with saveQuoteInputSchema (a 100-line quote is not parsed twice).
   * `answer: 'slim'` answers a SaveQuoteAnswer (QuoteController.saveQuote) instead of the whole QuoteDetail.
   */
  public async saveParsedQuote(viewer: Viewer, input: z.infer<typeof saveQuoteInputSchema>): Promise<QuoteDetail>;
  public async saveParsedQuote(
    viewer: Viewer,
    input: z.infer<typeof saveQuoteInputSchema>,
    answer: 'slim',
  ): Promise<SaveQuoteAnswer>;
  public async saveParsedQuote(
    viewer: Viewer,
    input: z.infer<typeof saveQuoteInputSchema>,
    answer: 'detail' | 'slim' = 'detail',
  ): Promise<QuoteDetail | SaveQuoteAnswer> {
    requireRole(viewer, ['resellerUser'], 'edit quotes');
    const quote = await this.load(viewer, input.quoteId);
    if (!EDITABLE.includes(quote.status)) {
      throw new StateError(`quote ${quote.number} is ${quote.status} and can no longer be edited`);
    }
    const existing = new Map(quote.lines.map((l) => [l.id, l]));
    const seen = new Set<string>();
    const lines = input.lines.map((l, i) => {
      if (l.id !== undefined && seen.has(l.id)) {
        throw new InvalidInputError(`lines.${i}.id: the line id "${l.id}" appears twice`, [
          { path: `lines.${i}.id`, message: 'appears twice' },
        ]);
      }
      if (l.id !== undefined) seen.add(l.id);
      return this.newLine(l, l.id === undefined ? undefined : existing.get(l.id));
    });
    const endCustomerId = input.endCustomerId ?? quote.endCustomerId;
    if (input.endCustomerId !== undefined) {
      const account = (await this.store.listAccounts()).find((a) => a.id === input.endCustomerId);
      if (account?.type !== 'endCustomer') {
        throw new InvalidInputError(`endCustomerId: "${input.endCustomerId}" is not an end customer`, [
          { path: 'endCustomerId', message: 'must be an end customer account' },
        ]);
      }
    }
    const { additionalDiscountPercent: keptDiscount, ...unchanged } = quote;
    const discount =
      input.additionalDiscountPercent === undefined ? keptDiscount : (input.additionalDiscountPercent ?? undefined);
    const edited: QuoteRecord = {
      ...unchanged,
      ...(discount === undefined ? {} : { additionalDiscountPercent: discount }),
      name: input.name ?? quote.name,
      endCustomerId,
      startDate: input.startDate ?? quote.startDate,
      termMonths: input.termMonths === null ? undefined : (input.termMonths ?? quote.termMonths),
      notes: input.notes === undefined ? quote.notes : noteOf(input.notes),
      lines,
      status: 'Draft',
      updatedAt: this.now(),
    };
    const raw = await priceStoredQuoteRaw(this.store, edited, 'input', this.today());
    // The slim answer serialises only the lines it answers: the ones changed since the version edited.
    const answered = answer === 'slim' ? this.answered.changedSince(quote.id, input.version, raw.lines) : raw.lines;
    const priced = serializePricedQuote(raw, answered);
    const stored = this.withTotals(edited, priced);
    const pending = quote.status === 'NeedsApproval' ? await this.pendingApproval(quote.id) : undefined;
    await this.store.updateQuote(
      stored,
      input.version,
      pending
        ? {
            updateApproval: {
              ...pending,
              status: 'Withdrawn',
              decidedBy: viewer.userId,
              decidedAt: this.now(),
              decisionComment: 'Withdrawn: the quote was edited',
            },
          }
        : undefined,
    );
    if (answer === 'slim') return this.slimAnswer(viewer, stored, raw.lines, priced, pending !== undefined);
    return this.detail(viewer, stored, priced);
  }

  /**
   * The slim save answer: no line list in the head, only the changed priced lines (the reseller's view of
   * those alone), no approval history unless the save withdrew one. Nothing is read back from the store.
   */
  private async slimAnswer(
    viewer: Viewer,
    stored: QuoteRecord,
    pricedLines: readonly PricedLine[],
    changed: PricedQuoteJson,
    withdrew: boolean,
  ): Promise<SaveQuoteAnswer> {
    this.answered.record(stored.id, stored.version, pricedLines);
    // Blockers and flags read every line (errors, warnings): the engine's lines carry them as the JSON does.
    const everyLine = { ...changed, lines: pricedLines };
    const approvals = withdrew ? await this.approvalHistory(stored.id) : undefined;
    const accounts = await this.names();
    const { netTotal, lines, ...head } = stored;
    const visible: SaveQuoteAnswer['quote'] = {
      ...head,
      resellerName: accounts.get(stored.resellerId)?.name ?? stored.resellerId,
      distributorName: accounts.get(stored.distributorId)?.name ?? stored.distributorId,
      endCustomerName: accounts.get(stored.endCustomerId)?.name ?? stored.endCustomerId,
      lineIds: lines.map((l) => l.id),
    };
    if (viewer.role !== 'resellerUser') visible.netTotal = netTotal;
    const result: SaveQuoteAnswer = {
      quote: visible,
      pricing: viewFor(changed, pricingRole(viewer)),
      // A save leaves the quote Draft with no pending request (an edit withdraws it), and only resellers save.
      actions: this.actions(viewer, stored, everyLine, []),
    };
    if (approvals) result.approvals = approvals;
    return result;
  }

  /**
   * The reseller withdraws its pending approval request (CHANNEL.md): the request is Withdrawn (never
   * "Rejected"), the quote is a Draft again that it may edit and submit anew.
   */
  public async withdrawApproval(viewer: Viewer, quoteId: string, version: number, comment = ''): Promise<QuoteDetail> {
    requireRole(viewer, ['resellerUser'], 'withdraw approval requests');
    const quote = await this.load(viewer, quoteId);
    if (quote.status !== 'NeedsApproval') {
      throw new StateError(`quote ${quote.number} is ${quote.status}: there is no approval request to withdraw`);
    }
    const pending = await this.pendingApproval(quoteId);
    const now = this.now();
    const next: QuoteRecord = { ...quote, status: 'Draft', updatedAt: now };
    await this.store.updateQuote(
      next,
      version,
      pending
        ? {
            updateApproval: {
              ...pending,
              status: 'Withdrawn',
              decidedBy: viewer.userId,
              decidedAt: now,
              decisionComment: comment.trim() === '' ? 'Withdrawn by the reseller' : `Withdrawn: ${comment.trim()}`,
            },
          }
        : undefined,
    );
    return this.detail(viewer, next, await priceStoredQuote(this.store, next, 'state', this.today()));
  }

  private async pendingApproval(quoteId: string): Promise<ApprovalRecord | undefined> {
    return (await this.store.listApprovals([quoteId])).find((a) => a.status === 'Pending');
  }

  public async deleteQuote(viewer: Viewer, quoteId: string, version: number): Promise<void> {
    requireRole(viewer, ['resellerUser'], 'delete quotes');
    const quote = await this.load(viewer, quoteId);
    if (quote.status !== 'Draft' && quote.status !== 'Rejected') {
      throw new StateError(`quote ${quote.number} is ${quote.status}: only draft or rejected quotes can be deleted`);
    }
    await this.store.deleteQuote(quoteId, version);
  }

  /** Copies a quote into a new Draft (same lines, fresh ids and expiry). */
  public async cloneQuote(viewer: Viewer, quoteId: string): Promise<QuoteDetail> {
    requireRole(viewer, ['resellerUser'], 'clone quotes');
    const source = await this.load(viewer, quoteId);
    return this.createQuote(viewer, {
      // The copy's name is made here, so it is cut to fit (as the Apex QuoteService does), never refused.
      name: `${source.name} (copy)`.slice(0, QUOTE_NAME_MAX),
      distributorId: source.distributorId,
      endCustomerId: source.endCustomerId,
      currency: source.currency,
      startDate: source.startDate > this.today() ? source.startDate : this.today(),
      termMonths: source.termMonths,
      // A copy is the same offer: its notes come along (docs/DOCUMENT.md).
      ...(source.notes === undefined ? {} : { notes: source.notes }),
      ...(source.additionalDiscountPercent === undefined ? {} : { additionalDiscountPercent: source.additionalDiscountPercent }),
      // The vendor's channel-mode override was for that quote only: the copy takes its agreement's mode.
      lines: source.lines.map(({ id: _id, renewalCustomerUnit: _unit, ...line }) => line),
    });
  }

  /**
   * The vendor admin's override of one quote's channel mode (PRICING.md: the mode belongs to the reseller's
   * agreement; only the vendor admin may override it on one quote, and the override is recorded): `null`
   * gives the quote back its agreement's mode. Recorded on the quote (who, when) and repriced at once. Only
   * on a Draft or Rejected quote: a price under approval, approved or accepted does not move under the
   * partners' feet.
   */
  public async setChannelMode(
    viewer: Viewer,
    quoteId: string,
    version: number,
    channelMode: ChannelMode | null,
  ): Promise<QuoteDetail> {
    requireRole(viewer, ['vendorAdmin'], 'override the channel mode of a quote');
    const quote = await this.load(viewer, quoteId);
    if (quote.status !== 'Draft' && quote.status !== 'Rejected') {
      throw new StateError(
        `quote ${quote.number} is ${quote.status}: the channel mode can only be changed on a Draft or Rejected quote`,
      );
    }
    const now = this.now();
    const { channelMode: _old, channelModeSetBy: _by, channelModeSetAt: _at, ...rest } = quote;
    const next: QuoteRecord = {
      ...rest,
      ...(channelMode === null ? {} : { channelMode, channelModeSetBy: viewer.userId, channelModeSetAt: now }),
      updatedAt: now,
    };
    const priced = await priceStoredQuote(this.store, next, 'input', this.today());
    const stored = this.withTotals(next, priced);
    await this.store.updateQuote(stored, version);
    return this.detail(viewer, stored, priced);
  }

  public async submitForApproval(viewer: Viewer, quoteId: string, version: number, comment: string): Promise<QuoteDetail> {
    requireRole(viewer, ['resellerUser'], 'submit quotes for approval');
    const quote = await this.load(viewer, quoteId);
    if (quote.status !== 'Draft' && quote.status !== 'Rejected') {
      throw new StateError(`quote ${quote.number} is ${quote.status}: only a draft or rejected quote can be submitted`);
    }
    if (comment.trim() === '') {
      throw new InvalidInputError('comment: tell your distributor why the discount is needed', [
        { path: 'comment', message: 'is required' },
      ]);
    }
    const priced = await priceStoredQuote(this.store, quote, 'state', this.today());
    const levels = approvalLevelsNeeded(priced);
    if (levels.length === 0) {
      throw new StateError(`quote ${quote.number} needs no approval: accept it directly`);
    }
    const now = this.now();
    const next: QuoteRecord = { ...this.withTotals(quote, priced), status: 'NeedsApproval', updatedAt: now };
    await this.store.updateQuote(next, version, {
      // The first level that applies decides first: the distributor, then the vendor.
      insertApproval: {
        id: newId(),
        quoteId,
        level: levels[0]!,
        status: 'Pending',
        requestedBy: viewer.userId,
        requestedAt: now,
        comment: comment.trim(),
        decidedBy: null,
        decidedAt: null,
        decisionComment: null,
      },
    });
    await notify(this.store, { kind: 'approvalRequested', quote: next, actorId: viewer.userId, comment });
    return this.detail(viewer, next, priced);
  }

  /**
   * Decides the pending level of a quote's approval chain: the distributor its level, the vendor admin the
   * vendor's. A distributor's approval of a quote that also needs the vendor passes it on (a new Pending
   * request at the Vendor level, in the same write); the quote is Approved only when every level it needs
   * has approved. A rejection at any level rejects the quote. Every decision carries a comment (CHANNEL.md):
   * a blank one is refused, and nothing is written.
   */
  public async decideApproval(
    viewer: Viewer,
    quoteId: string,
    version: number,
    decision: 'approve' | 'reject',
    comment: string,
  ): Promise<QuoteDetail> {
    requireRole(viewer, ['distributorUser', 'vendorAdmin'], 'approve quotes');
    const quote = await this.load(viewer, quoteId);
    if (quote.status !== 'NeedsApproval')
      throw new StateError(`quote ${quote.number} is ${quote.status}: there is nothing to decide`);
    const pending = await this.pendingApproval(quoteId);
    const level: ApprovalLevel = pending?.level ?? 'Distributor';
    if (DECIDER[level] !== viewer.role) {
      throw new ForbiddenError(
        level === 'Vendor'
          ? `quote ${quote.number} waits for the vendor's approval: only the vendor admin decides it`
          : `quote ${quote.number} waits for its distributor's approval: the vendor decides after the distributor`,
      );
    }
    if (comment.trim() === '') {
      const message =
        decision === 'reject'
          ? 'tell the reseller why the quote is rejected'
          : level === 'Vendor'
            ? 'say why the vendor approves this price'
            : APPROVAL_COMMENT_REQUIRED;
      throw new InvalidInputError(`comment: ${message}`, [{ path: 'comment', message: 'is required' }]);
    }
    const now = this.now();
    const priced = await priceStoredQuote(this.store, quote, 'state', this.today());
    const levels = approvalLevelsNeeded(priced);
    const nextLevel = decision === 'approve' ? levels[levels.indexOf(level) + 1] : undefined;
    const status: QuoteStatus = decision === 'reject' ? 'Rejected' : nextLevel === undefined ? 'Approved' : 'NeedsApproval';
    const next: QuoteRecord = { ...quote, status, updatedAt: now };
    await this.store.updateQuote(next, version, {
      ...(pending
        ? {
            updateApproval: {
              ...pending,
              level,
              status: decision === 'approve' ? 'Approved' : 'Rejected',
              decidedBy: viewer.userId,
              decidedAt: now,
              decisionComment: comment.trim(),
            },
          }
        : {}),
      ...(nextLevel === undefined
        ? {}
        : {
            insertApproval: {
              id: newId(),
              quoteId,
              level: nextLevel,
              status: 'Pending' as const,
              requestedBy: pending?.requestedBy ?? quote.createdBy,
              requestedAt: now,
              comment: pending?.comment ?? '',
              decidedBy: null,
              decidedAt: null,
              decisionComment: null,
            },
          }),
    });
    // The reseller learns a decision once it is final (a distributor's approval passed on to the vendor is not).
    if (nextLevel === undefined) {
      await notify(this.store, { kind: 'approvalDecided', quote: next, actorId: viewer.userId, decision, comment });
    }
    return this.detail(viewer, next, priced);
  }

  /** Why a quote cannot be accepted (or ordered): line errors, missing agreements, a missing approval. */
  public acceptBlockers(quote: QuoteRecord, priced: PricedFlags, approved: boolean): string[] {
    const blockers: string[] = [];
    if (priced.lines.length === 0) blockers.push('the quote has no lines');
    for (const line of priced.lines) {
      for (const e of line.errors) blockers.push(`line ${line.lineId}: ${e.message}`);
      if (line.warnings.some((w) => w.code === 'NO_AGREEMENT')) blockers.push(`line ${line.lineId}: no agreement covers it`);
    }
    if (priced.approvalRequired && !approved) blockers.push('a discount above your cap needs your distributor’s approval');
    // CHANNEL.md, channel conflict: said per line, without naming the partner that registered the customer.
    const conflicts = priced.lines.filter((l) => l.warnings.some((w) => w.code === 'CHANNEL_CONFLICT'));
    if (conflicts.length > 0 && !approved) {
      for (const line of conflicts) {
        blockers.push(
          `line ${line.lineId}: another partner has registered this end customer for this product family, and the vendor must approve first`,
        );
      }
    }
    // Said without the floor or the Net (a reseller reads it): only that the vendor must approve.
    const priceApproval = priced.lines.some((l) =>
      l.warnings.some((w) => w.code === 'BELOW_PRICE_FLOOR' || w.code === 'ABOVE_VENDOR_APPROVAL_PERCENT'),
    );
    if (priced.vendorApprovalRequired && !approved && (priceApproval || conflicts.length === 0))
      blockers.push('a line’s price needs the vendor’s approval');
    if (quote.expiryDate < this.today()) blockers.push(`the quote expired on ${quote.expiryDate}`);
    return blockers;
  }

  /**
   * A reseller submits its accepted quote to its distributor: the quote is flagged for the distributor's
   * order list, and the distributor places the order (prices, stock and contract stay the distributor's
   * step). Submitting again changes nothing.
   */
  public async requestOrder(viewer: Viewer, quoteId: string, version: number, comment = ''): Promise<QuoteDetail> {
    requireRole(viewer, ['resellerUser'], 'submit orders to a distributor');
    const quote = await this.load(viewer, quoteId);
    if (quote.status !== 'Accepted' || quote.orderRequest !== undefined) {
      if (quote.orderRequest !== undefined || quote.status === 'Ordered') return this.getQuote(viewer, quoteId);
      throw new StateError(
        `quote ${quote.number} is ${quote.status}: only an accepted quote can be submitted as an order`,
        'NOT_ORDERABLE',
      );
    }
    const now = this.now();
    const next: QuoteRecord = {
      ...quote,
      orderRequest: { requestedBy: viewer.userId, requestedAt: now, comment: comment.trim() },
      updatedAt: now,
    };
    await this.store.updateQuote(next, version);
    await notify(this.store, { kind: 'orderRequested', quote: next, actorId: viewer.userId, comment });
    return this.detail(viewer, next, await priceStoredQuote(this.store, next, 'state', this.today()));
  }

  public async acceptQuote(
    viewer: Viewer,
    quoteId: string,
    version: number,
    rawConfirmation: AcceptConfirmation = {},
  ): Promise<QuoteDetail> {
    requireRole(viewer, ['resellerUser'], 'accept quotes');
    const confirmation = parseInput(acceptConfirmationSchema, rawConfirmation, 'the acceptance is not valid');
    const quote = await this.load(viewer, quoteId);
    if (confirmation.documentVersion !== undefined && confirmation.documentVersion > quote.version) {
      const message = `is ${confirmation.documentVersion}, but the quote is at version ${quote.version}: no such document was made`;
      throw new InvalidInputError(`documentVersion: ${message}`, [{ path: 'documentVersion', message }]);
    }
    if (quote.status !== 'Draft' && quote.status !== 'Approved') {
      throw new StateError(`quote ${quote.number} is ${quote.status}: only a draft or approved quote can be accepted`);
    }
    const priced = await priceStoredQuote(this.store, quote, 'state', this.today());
    const blockers = this.acceptBlockers(quote, priced, quote.status === 'Approved');
    if (blockers.length > 0) {
      throw new StateError(`quote ${quote.number} cannot be accepted: ${blockers.join('; ')}`, 'NOT_ACCEPTABLE');
    }
    const next: QuoteRecord = { ...this.withTotals(quote, priced), status: 'Accepted', updatedAt: this.now() };
    if (confirmation.purchaseOrderNumber) next.purchaseOrderNumber = confirmation.purchaseOrderNumber;
    if (confirmation.documentVersion !== undefined) next.acceptedDocumentVersion = confirmation.documentVersion;
    await this.store.updateQuote(next, version);
    return this.detail(viewer, next, priced);
  }
}

/** Statuses in which a quote still waits for someone and can therefore expire. */
const OPEN: readonly QuoteStatus[] = ['Draft', 'NeedsApproval', 'Approved', 'Rejected'];

/**
 * Marks open quotes past their expiry date as Expired (the daily job). A quote saved meanwhile keeps
 * its new version and is left for the next run: an expiry never overwrites an edit.
 */
export async function expireQuotes(store: CpqStore, today: string): Promise<{ expired: string[] }> {
  const due = (await store.listQuotes({ statuses: [...OPEN], limit: 1_000_000 })).filter((q) => q.expiryDate < today);
  const expired: string[] = [];
  for (const quote of due) {
    try {
      await store.updateQuote({ ...quote, status: 'Expired', updatedAt: new Date().toISOString() }, quote.version);
      expired.push(quote.number);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return { expired };
}
