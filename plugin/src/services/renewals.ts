import { newId } from '../core/ids.js';
import { oneYearBefore } from '../core/agreements.js';
import { compileQuote, priceQuote } from '../core/pricing.js';
import type { QuoteRecord } from '../core/records.js';
import { addDays, planRenewals, type RenewalPlan } from '../core/renewals.js';
import { formatScaled } from '../core/exact.js';
import type { CpqStore } from '../store/port.js';
import { compileStoreCatalog, quoteInput, quoteParties, vendorIdOf } from './pricingContext.js';
import { QUOTE_VALID_DAYS } from './quotes.js';
import { notify } from './notifications.js';

/**
 * Renewal generation (PRICING.md, Renewals): every Active contract within `leadDays` of its end (or past
 * it) without a renewal quote gets one, co-terminated by contract group (one quote from the day after the
 * group's earliest end to one term later, each line from the day after its own contract ends, its term
 * prorated monthly + daily: core/renewals.ts), priced afresh from the agreements valid on the renewal start
 * date. Idempotent: the store links contracts to their renewal quote in the
 * same atomic write that creates the quote, so reruns, concurrent runs and runs killed halfway never make
 * a second renewal quote for a contract, and a rerun picks up whatever was not written.
 */

export type RenewalRunOptions = {
  asOf: string;
  leadDays?: number;
  dryRun?: boolean;
  /** Renewals written per transaction. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
};

export type RenewalRunResult = {
  asOf: string;
  leadDays: number;
  dryRun: boolean;
  contractsDue: number;
  planned: number;
  created: number;
  /** Renewals another run created first. */
  skipped: number;
  quotes: {
    quoteId: string | null;
    number: string | null;
    contractIds: string[];
    startDate: string;
    /** The common end date every line of the quote runs to (co-termination). */
    endDate: string;
    customerTotal: string | null;
  }[];
};

export async function generateRenewals(store: CpqStore, options: RenewalRunOptions): Promise<RenewalRunResult> {
  return store.withBulkWrites(() => generate(store, options));
}

async function generate(store: CpqStore, options: RenewalRunOptions): Promise<RenewalRunResult> {
  const leadDays = options.leadDays ?? 90;
  const dryRun = options.dryRun ?? false;
  const batchSize = options.batchSize ?? 500;
  const due = await store.listRenewableContracts(addDays(options.asOf, leadDays));
  // A co-termination group renews on one quote holding every renewable member, whatever its end date: the
  // members ending after the horizon are loaded by group (the planner keeps out those ending on or after the
  // common end date).
  const groups = [...new Set(due.map((c) => c.contractGroup).filter((g): g is string => Boolean(g)))];
  const byId = new Map(due.map((c) => [c.id, c]));
  for (const c of await store.listRenewableContractsInGroups(groups)) if (!byId.has(c.id)) byId.set(c.id, c);
  const contracts = [...byId.values()];
  const accounts = new Map((await store.listAccounts()).map((a) => [a.id, a]));
  const settings = await store.getSettings();
  const plans = planRenewals({ contracts, accounts, asOf: options.asOf, leadDays, roundingMode: settings.roundingMode });
  const result: RenewalRunResult = {
    asOf: options.asOf,
    leadDays,
    dryRun,
    contractsDue: plans.reduce((n, p) => n + p.contractIds.length, 0),
    planned: plans.length,
    created: 0,
    skipped: 0,
    quotes: [],
  };
  if (plans.length === 0) return result;

  // One catalog for the whole run: bookings of every (partner, seller) pair involved, over every window any
  // plan needs (pricing then counts, for each quote, only its reseller-distributor and distributor-vendor pairs).
  const vendorId = vendorIdOf([...accounts.values()]);
  const partners = plans.flatMap((p) => quoteParties(p, vendorId));
  const starts = plans.map((p) => p.startDate).sort();
  const catalog = await compileStoreCatalog(store, partners, oneYearBefore(starts[0]!), starts[starts.length - 1]!);
  const numbers = dryRun ? [] : await store.reserveNumbers('quote', plans.length);
  const now = new Date().toISOString();
  const expiryFloor = addDays(options.asOf, QUOTE_VALID_DAYS);
  const groupOf = new Map(contracts.map((c) => [c.id, c.contractGroup]));

  for (let start = 0; start < plans.length; start += batchSize) {
    const batch = plans.slice(start, start + batchSize).map((plan, i) => {
      const quote = renewalQuote(plan, numbers[start + i] ?? '', now, expiryFloor, groupOf.get(plan.contractIds[0]!));
      const priced = priceQuote(catalog, compileQuote(quoteInput(quote)));
      const totals = priced.totalsTooLarge ? undefined : priced.totals;
      const money = (n: number | undefined): string | null => (n === undefined ? null : formatScaled(n, priced.currencyDecimals));
      quote.customerTotal = money(totals?.customer);
      quote.partnerTotal = money(totals?.partner);
      quote.netTotal = money(totals?.net);
      quote.approvalRequired = priced.approvalRequired;
      return { quote, contractIds: plan.contractIds, endDate: plan.endDate };
    });
    const created = dryRun ? batch.map(() => false) : await store.createRenewalQuotes(batch);
    batch.forEach((item, i) => {
      if (created[i]) result.created++;
      else if (!dryRun) result.skipped++;
      result.quotes.push({
        quoteId: created[i] ? item.quote.id : null,
        number: created[i] ? item.quote.number : null,
        contractIds: item.contractIds,
        startDate: item.quote.startDate,
        endDate: item.endDate,
        customerTotal: item.quote.customerTotal,
      });
    });
    await notify(
      store,
      ...batch.filter((_, i) => created[i]).map((item) => ({ kind: 'renewalCreated' as const, quote: item.quote })),
    );
    options.onProgress?.(Math.min(start + batchSize, plans.length), plans.length);
  }
  return result;
}

function renewalQuote(
  plan: RenewalPlan,
  number: string,
  now: string,
  expiryFloor: string,
  contractGroup: string | undefined,
): QuoteRecord {
  const expiry = addDays(plan.startDate, -1);
  return {
    id: newId(),
    number,
    name: `Renewal from ${plan.startDate}`,
    resellerId: plan.resellerId,
    distributorId: plan.distributorId,
    endCustomerId: plan.endCustomerId,
    currency: plan.currency,
    status: 'Draft',
    startDate: plan.startDate,
    termMonths: plan.termMonths,
    // A renewal waits for the reseller until the contract ends, and at least the usual validity.
    expiryDate: expiry > expiryFloor ? expiry : expiryFloor,
    version: 1,
    renewalOfContractIds: plan.contractIds,
    // The renewed contract stays in its co-termination group.
    contractGroup: contractGroup || undefined,
    createdBy: 'system',
    createdAt: now,
    updatedAt: now,
    lines: plan.lines.map((l) => ({
      id: newId(),
      productId: l.productId,
      quantity: l.quantity,
      termMonths: l.termMonths,
      // A line of a later-ending contract starts the day after it ends, its term prorated to the common end.
      ...(l.startDate === plan.startDate ? {} : { startDate: l.startDate }),
      ...(l.renewalCustomerUnit === null ? {} : { renewalCustomerUnit: l.renewalCustomerUnit }),
    })),
    customerTotal: null,
    partnerTotal: null,
    netTotal: null,
    approvalRequired: false,
  };
}
