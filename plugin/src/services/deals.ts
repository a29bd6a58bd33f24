import { z } from 'zod';
import { holdsActiveAgreement } from '../core/defaultDistributor.js';
import {
  DEFAULT_DEAL_RULES,
  assertNoConflict,
  claimKey,
  convertRegistration,
  dailyDealRun,
  dealFamilySchema,
  decideRegistration,
  extendRegistration,
  findConflicts,
  newRegistration,
  protectionDaysLeft,
  withdrawRegistration,
  type DealRegistration,
  type DealRules,
  type DealStatus,
} from '../core/deals.js';
import { sameEndCustomer } from '../core/endCustomers.js';
import { ConflictError, InvalidInputError, NotFoundError, StateError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { AccountRecord, Viewer } from '../core/records.js';
import { moneySchema } from '../core/scenario.js';
import type { DealRegistrationStore } from '../store/dealPort.js';
import type { CpqStore } from '../store/port.js';
import { partyScope, requireRole } from './access.js';
import { endCustomerInputSchema, listEndCustomers } from './endCustomers.js';
import type { QuoteService } from './quotes.js';

/**
 * DealRegistrationController's service (docs/DEALS.md, CHANNEL.md "Deal registration and rules of
 * engagement"): the rules are core/deals.ts; this layer checks who may act, resolves the end customer and
 * the distributor, and keeps each write whole.
 */

const isoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD, like "2026-07-01"' });

export const registerDealInputSchema = z
  .strictObject({
    distributorId: z
      .string({ error: 'choose the distributor you buy from' })
      .min(1, { error: 'choose the distributor you buy from' }),
    endCustomerId: z.string().min(1).optional(),
    endCustomer: endCustomerInputSchema.optional(),
    families: z.array(dealFamilySchema).min(1, { error: 'name at least one product family' }).max(20),
    estimatedValue: moneySchema,
    currencyCode: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 currency code like "USD"' }),
    expectedCloseDate: isoDate,
    note: z.string().max(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.endCustomerId === undefined) === (v.endCustomer === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['endCustomerId'],
        message: 'choose an existing end customer or enter a new one (not both)',
      });
    }
  });
export type RegisterDealInput = z.input<typeof registerDealInputSchema>;

/** A registration as its viewers see it, with the days of protection left today. */
export type DealView = DealRegistration & { protectionDaysLeft: number };

export class DealService {
  public constructor(
    private readonly store: CpqStore,
    private readonly quotes: QuoteService,
    private readonly today: () => string,
    private readonly rules: DealRules = DEFAULT_DEAL_RULES,
  ) {}

  private get deals(): DealRegistrationStore {
    if (!this.store.deals) throw new StateError('Deal registration is not available on this store yet', 'NOT_AVAILABLE');
    return this.store.deals;
  }

  private view(deal: DealRegistration): DealView {
    return { ...deal, protectionDaysLeft: protectionDaysLeft(deal, this.today()) };
  }

  /** The registration if the viewer may see it (its reseller, its distributor, the vendor), else 404. */
  private async load(viewer: Viewer, id: string): Promise<DealRegistration> {
    const deal = await this.deals.getDeal(id);
    const scope = partyScope(viewer);
    if (
      !deal ||
      (scope.resellerId !== undefined && deal.resellerId !== scope.resellerId) ||
      (scope.distributorId !== undefined && deal.distributorId !== scope.distributorId)
    ) {
      throw new NotFoundError('Deal registration', id);
    }
    return deal;
  }

  private static checkVersion(deal: DealRegistration, version: number): void {
    if (deal.version !== version) {
      throw new ConflictError(
        `Registration ${deal.number} was changed by someone else (version ${deal.version}, you sent ${version}): reload it`,
      );
    }
  }

  public async listDeals(viewer: Viewer, filter: { status?: DealStatus } = {}): Promise<DealView[]> {
    const deals = await this.deals.listDeals({ ...partyScope(viewer), ...(filter.status ? { statuses: [filter.status] } : {}) });
    return deals.map((d) => this.view(d));
  }

  public async getDeal(viewer: Viewer, id: string): Promise<DealView> {
    return this.view(await this.load(viewer, id));
  }

  /**
   * A reseller registers through a distributor it holds an Active agreement with, for an end customer it can
   * see or a new one (de-duplicated). A held claim is refused (DEAL_CONFLICT, 409) before anything is written.
   */
  public async registerDeal(viewer: Viewer, input: z.output<typeof registerDealInputSchema>): Promise<DealView> {
    requireRole(viewer, ['resellerUser'], 'register deals');
    const today = this.today();
    const [agreements, products, accounts] = await Promise.all([
      this.store.listAgreements([viewer.accountId]),
      this.store.listProducts(),
      this.store.listAccounts(),
    ]);
    if (!holdsActiveAgreement(agreements, viewer.accountId, input.distributorId, today)) {
      throw new InvalidInputError(`distributorId: you hold no Active agreement with distributor ${input.distributorId}`, [
        { path: 'distributorId', message: 'you hold no Active agreement with this distributor' },
      ]);
    }
    const families = new Map(products.filter((p) => p.family).map((p) => [claimKey('', p.family!), p.family!]));
    const unknown = input.families.flatMap((f, i) =>
      families.has(claimKey('', f.family))
        ? []
        : [{ path: `families.${i}.family`, message: `is not a product family of the catalog (${f.family})` }],
    );
    if (unknown.length > 0) throw new InvalidInputError(unknown.map((u) => `${u.path}: ${u.message}`).join('; '), unknown);
    const lines = input.families.map((f) => ({ ...f, family: families.get(claimKey('', f.family))! }));

    // The end customer: one the reseller can see, or the existing account of the same company, or a new one
    // (written only once the claim is known to be free).
    let endCustomer: AccountRecord;
    let toCreate: AccountRecord | undefined;
    if (input.endCustomerId !== undefined) {
      const visible = new Set((await listEndCustomers(this.store, viewer)).map((e) => e.id));
      const found = accounts.find((a) => a.id === input.endCustomerId && a.type === 'endCustomer');
      if (!found || !visible.has(found.id)) {
        throw new InvalidInputError(`endCustomerId: ${input.endCustomerId} is not an end customer you can see`, [
          { path: 'endCustomerId', message: 'is not an end customer you can see' },
        ]);
      }
      endCustomer = found;
    } else {
      const e = input.endCustomer!;
      const candidate: AccountRecord = {
        id: newId(),
        type: 'endCustomer',
        name: e.name,
        country: e.country,
        ...(e.region ? { region: e.region } : {}),
        ...(e.registrationNumber ? { registrationNumber: e.registrationNumber } : {}),
      };
      const match = accounts.find((a) => a.type === 'endCustomer' && sameEndCustomer(candidate, a));
      endCustomer = match ?? candidate;
      toCreate = candidate;
    }
    const build = (customer: AccountRecord, number: string): DealRegistration =>
      newRegistration(
        {
          id: newId(),
          number,
          resellerId: viewer.accountId,
          distributorId: input.distributorId,
          endCustomer: {
            id: customer.id,
            name: customer.name ?? customer.id,
            country: customer.country ?? '',
            ...(customer.region ? { region: customer.region } : {}),
            ...(customer.registrationNumber ? { registrationNumber: customer.registrationNumber } : {}),
          },
          families: lines,
          estimatedValue: input.estimatedValue,
          currency: input.currencyCode,
          expectedCloseDate: input.expectedCloseDate,
          ...(input.note !== undefined ? { note: input.note } : {}),
        },
        viewer.userId,
        today,
        this.rules,
      );
    // Checked before any write (nothing is written on a conflict); the store checks again atomically.
    const probe = build(endCustomer, 'DR-PROBE');
    const holding = await this.deals.listDeals({ claimActive: true });
    assertNoConflict(findConflicts(probe, holding, today), holding);
    if (toCreate) endCustomer = (await this.store.addEndCustomer(toCreate, viewer.accountId)).account;
    const deal = build(endCustomer, await this.deals.nextDealNumber());
    return this.view(await this.deals.registerDeal(deal, today));
  }

  public async decideDeal(
    viewer: Viewer,
    id: string,
    version: number,
    decision: 'Approved' | 'Rejected',
    comment?: string,
  ): Promise<DealView> {
    requireRole(viewer, ['distributorUser', 'vendorAdmin'], 'decide deal registrations');
    const deal = await this.load(viewer, id);
    DealService.checkVersion(deal, version);
    const next = decideRegistration(deal, decision, comment, viewer, this.today(), this.rules);
    await this.deals.updateDeal(next, version);
    return this.view(next);
  }

  public async extendDeal(viewer: Viewer, id: string, version: number, comment?: string): Promise<DealView> {
    requireRole(viewer, ['distributorUser', 'vendorAdmin'], 'extend deal registrations');
    const deal = await this.load(viewer, id);
    DealService.checkVersion(deal, version);
    const next = extendRegistration(deal, viewer, this.today(), this.rules, comment);
    await this.deals.updateDeal(next, version);
    return this.view(next);
  }

  public async withdrawDeal(viewer: Viewer, id: string, version: number, comment?: string): Promise<DealView> {
    requireRole(viewer, ['resellerUser'], 'withdraw deal registrations');
    const deal = await this.load(viewer, id);
    DealService.checkVersion(deal, version);
    const next = withdrawRegistration(deal, viewer, this.today(), comment);
    await this.deals.updateDeal(next, version);
    return this.view(next);
  }

  /**
   * The reseller turns its protected Approved registration into a Draft quote for the same end customer,
   * distributor and currency (no lines yet). If the registration changed meanwhile, the quote is deleted
   * again: a registration converts to one quote.
   */
  public async convertToQuote(viewer: Viewer, id: string, version: number): Promise<{ deal: DealView; quoteId: string }> {
    requireRole(viewer, ['resellerUser'], 'convert deal registrations');
    const deal = await this.load(viewer, id);
    DealService.checkVersion(deal, version);
    const today = this.today();
    convertRegistration(deal, 'pending', viewer, today); // refuses before a quote is made
    const quote = await this.quotes.createParsedQuote(
      viewer,
      {
        name: `Registration ${deal.number}`,
        distributorId: deal.distributorId,
        endCustomerId: deal.endCustomer.id,
        currency: deal.currency,
        startDate: today,
        lines: [],
      },
      {
        registeredDeal: {
          id: deal.id,
          number: deal.number,
          families: deal.families.map((f) => f.family),
          protectedUntil: deal.protectedUntil ?? today,
        },
      },
    );
    const next = convertRegistration(deal, quote.quote.id, viewer, today);
    try {
      await this.deals.updateDeal(next, version);
    } catch (error) {
      await this.quotes.deleteQuote(viewer, quote.quote.id, quote.quote.version);
      throw error;
    }
    return { deal: this.view(next), quoteId: quote.quote.id };
  }
}

/**
 * The daily job's part (preview server at start, the Apex scheduled job in an org): late decisions escalate,
 * lapsed protection expires, converted claims are released. Returns the numbers of what changed.
 */
export async function runDailyDeals(
  store: CpqStore,
  asOf: string,
): Promise<{ escalated: string[]; expired: string[]; released: string[] }> {
  const result = { escalated: [] as string[], expired: [] as string[], released: [] as string[] };
  if (!store.deals) return result;
  const holding = await store.deals.listDeals({ claimActive: true });
  for (const next of dailyDealRun(holding, asOf)) {
    try {
      await store.deals.updateDeal(next, next.version - 1);
    } catch (error) {
      if (error instanceof ConflictError) continue; // changed meanwhile: the next run sees it again
      throw error;
    }
    if (next.status === 'Expired') result.expired.push(next.number);
    else if (next.status === 'Converted') result.released.push(next.number);
    else result.escalated.push(next.number);
  }
  return result;
}
