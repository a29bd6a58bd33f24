import { contractRenewalStatus, type ContractRenewalStatus } from '../core/renewals.js';
import { z } from 'zod';
import type {
  AccountRecord,
  ApprovalRecord,
  ContractRecord,
  ProductRecord,
  Role,
  SubscriptionRecord,
  User,
  Viewer,
} from '../core/records.js';
import { protectingRegistrations } from '../core/deals.js';
import { DEFAULT_LOCALE } from '../core/records.js';
import { accountSchema, productSchema, type Agreement, type Scenario } from '../core/scenario.js';
import type { ViewerRole } from '../core/visibility.js';
import { partyScope, pricingRole, reachable } from './access.js';
import { loadBookings, pricingDateOf, quoteInput, quoteParties, vendorIdOf } from './pricingContext.js';
import type { QuoteService, QuoteSummary } from './quotes.js';
import type { CpqStore } from '../store/port.js';

/**
 * Viewer-scoped reads (contracts, agreements, the catalog, pending
 * approvals, the pricing context of the editor). Each one filters with services/access.ts exactly as the
 * services do: a reseller reaches its own account's records, a distributor its own and its resellers', the
 * vendor everything, and a reseller never receives a Net price or the distributor's terms.
 */

export type CurrentUser = {
  id: string;
  name: string;
  email: string;
  role: Role;
  accountId: string;
  accountName: string;
  accountType: AccountRecord['type'] | null;
  /** How the user's dates and amounts are written (BCP 47). */
  locale: string;
};

export async function currentUser(store: CpqStore, user: User): Promise<CurrentUser> {
  const account = (await store.listAccounts()).find((a) => a.id === user.accountId);
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    accountId: user.accountId,
    accountName: account?.name ?? user.accountId,
    accountType: account?.type ?? null,
    locale: user.locale ?? DEFAULT_LOCALE,
  };
}

export type CatalogProduct = {
  id: string;
  name: string | null;
  sku: string | null;
  family: string | null;
  type: ProductRecord['type'];
  termMonths: number | null;
  discountScheduleId: string | null;
  nonDiscountable: boolean;
  nonPartnerDiscountable: boolean;
  tracksInventory: boolean;
  /** The list price in the requested currency (null when no currency was asked for). */
  listPrice: string | null;
  /** Every list price of the product (only the requested currency's when one was asked for). */
  prices: { currency: string; listPrice: string }[];
};

export type CatalogResult = { currency: string | null; products: CatalogProduct[] };

/** The products with their list prices: what the editor's product search needs. Public to signed-in users. */
export async function catalogFor(store: CpqStore, currency?: string): Promise<CatalogResult> {
  const [products, priceBook] = await Promise.all([store.listProducts(), store.listPriceBook()]);
  const prices = new Map<string, { currency: string; listPrice: string }[]>();
  for (const e of priceBook) {
    if (currency !== undefined && e.currency !== currency) continue;
    const list = prices.get(e.productId) ?? [];
    list.push({ currency: e.currency, listPrice: e.listPrice });
    prices.set(e.productId, list);
  }
  const listed = products
    // With a currency, only what can be quoted in it.
    .filter((p) => currency === undefined || prices.has(p.id))
    .map((p): CatalogProduct => ({
      id: p.id,
      name: p.name ?? null,
      sku: p.sku ?? null,
      family: p.family ?? null,
      type: p.type,
      termMonths: p.termMonths ?? null,
      discountScheduleId: p.discountScheduleId ?? null,
      nonDiscountable: p.nonDiscountable,
      nonPartnerDiscountable: p.nonPartnerDiscountable,
      tracksInventory: p.tracksInventory,
      listPrice: currency === undefined ? null : (prices.get(p.id)?.[0]?.listPrice ?? null),
      prices: prices.get(p.id) ?? [],
    }));
  return { currency: currency ?? null, products: listed };
}

/** A contract as the viewer may see it: a reseller gets no Net unit prices. */
export type ContractView = Omit<ContractRecord, 'subscriptions'> & {
  /** Where its renewal stands (core/renewals.ts contractRenewalStatus): Accepted or Renewed is no longer due. */
  renewalStatus: ContractRenewalStatus;
  resellerName: string;
  distributorName: string;
  endCustomerName: string;
  subscriptions: (Omit<SubscriptionRecord, 'netUnit'> & { netUnit?: string })[];
};

export async function listVisibleContracts(store: CpqStore, viewer: Viewer): Promise<ContractView[]> {
  const [contracts, accounts] = await Promise.all([store.listContracts(partyScope(viewer)), store.listAccounts()]);
  const names = new Map(accounts.map((a) => [a.id, a.name ?? a.id]));
  return contracts.map((c) => contractView(viewer, c, names));
}

/** One contract within the viewer's reach (RenewalController.getContract); NotFoundError otherwise, as for none. */
export async function getVisibleContract(store: CpqStore, viewer: Viewer, contractId: string): Promise<ContractView> {
  const contract = reachable(viewer, await store.getContract(contractId), 'Contract', contractId);
  const names = new Map((await store.listAccounts()).map((a) => [a.id, a.name ?? a.id]));
  return contractView(viewer, contract, names);
}

function contractView(viewer: Viewer, c: ContractRecord, names: ReadonlyMap<string, string>): ContractView {
  const { subscriptions, ...head } = c;
  return {
    ...head,
    renewalStatus: contractRenewalStatus(c),
    resellerName: names.get(c.resellerId) ?? c.resellerId,
    distributorName: names.get(c.distributorId) ?? c.distributorId,
    endCustomerName: names.get(c.endCustomerId) ?? c.endCustomerId,
    subscriptions: viewer.role === 'resellerUser' ? subscriptions.map(({ netUnit: _net, ...visible }) => visible) : subscriptions,
  };
}

export type AgreementView = Agreement & { partnerName: string; sellerName: string };

/**
 * Agreements the viewer may read: a reseller its own (partner = its account); a distributor its own with
 * the vendor and those its resellers hold with it (seller = its account), never a reseller's agreement with
 * another distributor; the vendor all. A reseller never receives its distributor's agreement.
 */
export function agreementVisible(viewer: Viewer, a: Pick<Agreement, 'partnerId' | 'sellerId'>): boolean {
  if (viewer.role === 'vendorAdmin') return true;
  if (viewer.role === 'distributorUser') return a.partnerId === viewer.accountId || a.sellerId === viewer.accountId;
  return a.partnerId === viewer.accountId;
}

export async function listVisibleAgreements(store: CpqStore, viewer: Viewer): Promise<AgreementView[]> {
  const [agreements, accounts] = await Promise.all([
    store.listAgreements(viewer.role === 'resellerUser' ? [viewer.accountId] : undefined),
    store.listAccounts(),
  ]);
  const names = new Map(accounts.map((a) => [a.id, a.name ?? a.id]));
  return agreements
    .filter((a) => agreementVisible(viewer, a))
    .map((a) => ({ ...a, partnerName: names.get(a.partnerId) ?? a.partnerId, sellerName: names.get(a.sellerId) ?? a.sellerId }));
}

export type PendingApproval = {
  quote: QuoteSummary;
  approval: ApprovalRecord | null;
  /**
   * The vendor admin's inbox only (CHANNEL.md, channel conflict): the registrations of another reseller that
   * protect the quote's end customer today, for the families they protect. Never sent to a partner.
   */
  channelConflicts?: ChannelConflictView[];
};

export type ChannelConflictView = {
  registrationNumber: string;
  resellerName: string;
  families: string[];
  protectedUntil: string;
};

/**
 * Quotes waiting for a decision, within the viewer's reach: for a distributor those of its resellers at the
 * Distributor level (what it has to decide; a quote it passed on to the vendor waits no longer for it), for a
 * reseller its own (what it waits for), for the vendor all (its inbox decides the Vendor level; `approval.level`
 * says whose turn it is).
 */
export async function listPendingApprovals(store: CpqStore, quotes: QuoteService, viewer: Viewer): Promise<PendingApproval[]> {
  const waiting = await quotes.listQuotes(viewer, { statuses: ['NeedsApproval'] });
  const approvals = await store.listApprovals(waiting.map((q) => q.id));
  const pending: PendingApproval[] = waiting
    .map((quote) => ({
      quote,
      approval: approvals.filter((a) => a.quoteId === quote.id && a.status === 'Pending').at(-1) ?? null,
    }))
    .filter((p) => viewer.role !== 'distributorUser' || p.approval === null || p.approval.level === 'Distributor');
  if (viewer.role !== 'vendorAdmin' || !store.deals) return pending;
  const deals = store.deals;
  const accounts = new Map((await store.listAccounts()).map((a) => [a.id, a.name]));
  const today = quotes.currentDay();
  return Promise.all(
    pending.map(async (p) => {
      const holders = protectingRegistrations(
        await deals.listDeals({ endCustomerId: p.quote.endCustomerId, statuses: ['Approved', 'Converted'] }),
        p.quote,
        today,
      );
      return {
        ...p,
        channelConflicts: holders.map((d) => ({
          registrationNumber: d.number,
          resellerName: accounts.get(d.resellerId) ?? d.resellerId,
          families: d.families.map((f) => f.family),
          protectedUntil: d.protectedUntil!,
        })),
      };
    }),
  );
}

/**
 * What the editor needs to re-price a quote in the browser with the same engine (c/cpqEngine): a scenario
 * of the quote's parties only. For a reseller the distributor's agreement and bookings are left out (the
 * engine then reports the distributor stage as missing, which the reseller view removes); the prices the
 * server stores are always its own, computed on save.
 */
export type PricingContext = {
  quoteId: string;
  /** The view to apply to what the engine computes (core/visibility.ts viewFor). */
  view: ViewerRole;
  /** The date agreements and bookings were chosen for; a changed start date needs a fresh context. */
  pricingDate: string;
  scenario: Scenario;
};

const scenarioAccount = z.object(accountSchema.shape);
const scenarioProduct = z.object(productSchema.shape);

export async function pricingContextFor(
  store: CpqStore,
  quotes: QuoteService,
  viewer: Viewer,
  quoteId: string,
): Promise<PricingContext> {
  const quote = await quotes.load(viewer, quoteId);
  const view = pricingRole(viewer);
  // The editor flags CHANNEL_CONFLICT as the server does: family names only, never who registered them.
  const conflicts = await quotes.channelConflicts(quote);
  const pricingDate = pricingDateOf(quote);
  const partners = view === 'reseller' ? [quote.resellerId] : [quote.resellerId, quote.distributorId];
  const accounts = await store.listAccounts();
  const vendorId = vendorIdOf(accounts);
  // Only the quote's own pairs: the reseller buying from this distributor (never through another one) and,
  // outside the reseller view, this distributor buying from the vendor.
  const bookingParties = quoteParties(quote, view === 'reseller' ? undefined : vendorId);
  const [settings, products, productFamilies, priceBook, discountSchedules, agreements, bookings, exchangeRates] =
    await Promise.all([
      store.getSettings(),
      store.listProducts(),
      view === 'reseller' ? Promise.resolve([]) : store.listProductFamilies(),
      store.listPriceBook(),
      store.listDiscountSchedules(),
      store.listAgreements(partners),
      loadBookings(store, bookingParties, pricingDate),
      store.listExchangeRates(),
    ]);
  const parties = new Set([quote.resellerId, quote.distributorId, quote.endCustomerId, ...(vendorId ? [vendorId] : [])]);
  const pricingAgreements = agreements.filter(
    (a) =>
      (a.partnerId === quote.resellerId && a.sellerId === quote.distributorId) ||
      (view !== 'reseller' && a.partnerId === quote.distributorId && a.sellerId === vendorId),
  );
  return {
    quoteId: quote.id,
    view,
    pricingDate,
    scenario: {
      settings,
      accounts: accounts.filter((a) => parties.has(a.id)).map((a) => scenarioAccount.parse(a)),
      // The price floor compares the vendor's Net with List: a reseller is not told it (PRICING.md, Who sees
      // what). Its editor then cannot flag a line below the floor; the server's pricing on save does.
      products: products.map((p) => {
        const product = scenarioProduct.parse(p);
        if (view === 'reseller') delete product.minNetPercentOfList;
        return product;
      }),
      productFamilies,
      priceBook: priceBook.filter((e) => e.currency === quote.currency),
      discountSchedules,
      agreements: pricingAgreements,
      bookings: bookings.filter((b) => bookingParties.some((p) => p.partnerId === b.partnerId && p.sellerId === b.sellerId)),
      exchangeRates,
      // The quote's header only: its lines are in getQuote's answer already (sent once per load).
      quote: { ...quoteInput(quote, conflicts), lines: [] },
    },
  };
}
