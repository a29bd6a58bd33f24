import type { DealRegistrationStore } from './dealPort.js';
import type { LogoStore } from './logoPort.js';
import type { NotificationStore } from './notificationPort.js';
import type {
  AccountRecord,
  ApprovalRecord,
  ContractRecord,
  DefaultDistributorRule,
  InventoryRecord,
  OrderRecord,
  ProductRecord,
  QuoteRecord,
  QuoteStatus,
  User,
} from '../core/records.js';
import type {
  Agreement,
  Booking,
  DiscountSchedule,
  ExchangeRate,
  PriceBookEntry,
  ProductFamily,
  Settings,
} from '../core/scenario.js';

/**
 * The one store port (ARCHITECTURE.md). Services talk only to this; the SQLite adapter serves the local
 * portal and --local CLI runs, the org adapter a Salesforce org. Every write method is atomic on its own
 * (one SQLite transaction, one allOrNone composite request), so a service never leaves half a change:
 * operations that touch several records (placing an order, generating a renewal) are one method each.
 */

export type ReferenceData = {
  settings: Settings;
  accounts: AccountRecord[];
  users: User[];
  products: ProductRecord[];
  /** Product families' settings (the price floor); a family no record names has none. */
  productFamilies?: ProductFamily[];
  priceBook: PriceBookEntry[];
  discountSchedules: DiscountSchedule[];
  agreements: Agreement[];
  defaultDistributorRules: DefaultDistributorRule[];
  inventory: InventoryRecord[];
  /**
   * Resellers' order terms written with the agreements they belong to (`sf cpq agreements import`): each
   * names an agreement of `agreements` or one already stored (else NotFoundError, and nothing is written
   * locally). Only the three order-terms fields of the agreement change.
   */
  orderTerms?: OrderTerms[];
};

/** Which quotes a list may return: the service derives the party filter from the viewer. */
export type QuoteFilter = {
  resellerId?: string;
  distributorId?: string;
  statuses?: QuoteStatus[];
  /** Matches quote number, name or end customer name. */
  search?: string;
  /** true: renewal quotes only; false: no renewal quotes. */
  renewal?: boolean;
  limit?: number;
};

export type OrderFilter = { resellerId?: string; distributorId?: string; limit?: number };
export type ContractFilter = { resellerId?: string; distributorId?: string; endingBy?: string; limit?: number };

/** A buyer and the seller it bought from: bookings are always read per pair (PRICING.md, Dynamic tiers). */
export type BookingParty = { partnerId: string; sellerId: string };

/** An order to place: its number is given by the store when it is placed, unless set (imports, tests). */
export type NewOrder = Omit<OrderRecord, 'number'> & { number?: string };

export type InventoryDelta = { distributorId: string; productId: string; delta: string };

/**
 * A reseller's order terms with one distributor, held on their agreement (Partner_Agreement__c
 * Auto_Fulfil__c, Credit_Limit__c, Credit_Limit_Currency__c; SQLite: columns of the agreements row, beside
 * the pricing JSON). Not pricing input: the engine's agreement never carries them. CHANNEL.md, Orders placed
 * by resellers; docs/ORDERS.md.
 */
export type OrderTerms = {
  agreementId: string;
  autoFulfil: boolean;
  /** Exact decimal string in `creditLimitCurrency`; null: none set. */
  creditLimit: string | null;
  creditLimitCurrency: string | null;
};

export type QuoteSideEffects = {
  insertApproval?: ApprovalRecord;
  updateApproval?: ApprovalRecord;
};

export interface CpqStore {
  readonly kind: 'sqlite' | 'org';
  close(): Promise<void>;

  // Reference data (catalog, parties, agreements)
  getSettings(): Promise<Settings>;
  listAccounts(): Promise<AccountRecord[]>;
  listUsers(): Promise<User[]>;
  getUser(id: string): Promise<User | undefined>;
  listProducts(): Promise<ProductRecord[]>;
  listPriceBook(): Promise<PriceBookEntry[]>;
  listDiscountSchedules(): Promise<DiscountSchedule[]>;
  listProductFamilies(): Promise<ProductFamily[]>;
  listAgreements(partnerIds?: readonly string[]): Promise<Agreement[]>;
  listDefaultDistributorRules(): Promise<DefaultDistributorRule[]>;
  /** The order terms of these agreements (an agreement never set reads autoFulfil false, no limit). */
  listOrderTerms(agreementIds: readonly string[]): Promise<OrderTerms[]>;
  /** Writes an agreement's order terms and nothing else of it; NotFoundError when there is no such agreement. */
  setOrderTerms(terms: OrderTerms): Promise<void>;
  /** Upserts by id; all or nothing. */
  upsertReferenceData(data: Partial<ReferenceData>): Promise<void>;
  /**
   * Adds an end customer unless the same company is already an account (core/endCustomers.ts
   * sameEndCustomer), and lets `partnerId` see whichever account it returns. Atomic: two partners adding the
   * same company at once get the same account.
   */
  addEndCustomer(candidate: AccountRecord, partnerId?: string): Promise<{ account: AccountRecord; created: boolean }>;
  /**
   * Changes whenever reference data may have changed (here or, for SQLite, from another process): what
   * lets the services keep validated, compiled reference data in memory between saves.
   */
  referenceRevision(): Promise<string>;
  /**
   * The bookings ledger: entries of exactly these (partner, seller) pairs dated in [from, to), each in its
   * order's currency (written when the order was activated: a reseller's Partner total bought from its
   * distributor, a distributor's Net total bought from the vendor). Never a purchase from another seller.
   */
  listBookings(parties: readonly BookingParty[], from: string, to: string): Promise<Booking[]>;
  /** Dated exchange rates per unit of the corporate currency (settings.bookingsCurrency). */
  listExchangeRates(): Promise<ExchangeRate[]>;
  /** Upserts rates by (currency, startDate); all or nothing. */
  importExchangeRates(rates: readonly ExchangeRate[]): Promise<void>;

  // Quotes and approvals
  getQuote(id: string): Promise<QuoteRecord | undefined>;
  listQuotes(filter: QuoteFilter): Promise<QuoteRecord[]>;
  insertQuote(quote: QuoteRecord, effects?: QuoteSideEffects): Promise<void>;
  /** Saves when the stored version is `expectedVersion` (and stores version + 1), else ConflictError. */
  updateQuote(quote: QuoteRecord, expectedVersion: number, effects?: QuoteSideEffects): Promise<void>;
  deleteQuote(id: string, expectedVersion: number): Promise<void>;
  listApprovals(quoteIds: readonly string[]): Promise<ApprovalRecord[]>;

  // Orders, inventory, contracts
  getOrder(id: string): Promise<OrderRecord | undefined>;
  getOrderByQuote(quoteId: string): Promise<OrderRecord | undefined>;
  listOrders(filter: OrderFilter): Promise<OrderRecord[]>;
  listInventory(distributorId?: string): Promise<InventoryRecord[]>;
  /**
   * Places an order atomically: the order, its inventory draw (refused with StateError if stock would go
   * below zero) and, for a resale order, the quote moved to Ordered at `expectedQuoteVersion`. A second
   * order for the same quote returns the first one unchanged. An order without a number gets the next one
   * only when it is placed: a refused or duplicate request leaves the sequence as it was.
   */
  placeOrder(
    order: NewOrder,
    inventory: readonly InventoryDelta[],
    quote?: { record: QuoteRecord; expectedVersion: number },
  ): Promise<OrderRecord>;
  /**
   * Marks the order Activated, creates its contracts and writes its bookings-ledger entries
   * (core/ledger.ts ledgerEntriesOf), atomically; activating twice changes nothing. placeOrder writes the
   * entries of an order placed already Activated (a distributor's stock order).
   */
  activateOrder(orderId: string, contracts: readonly ContractRecord[]): Promise<OrderRecord>;
  getContract(id: string): Promise<ContractRecord | undefined>;
  listContracts(filter: ContractFilter): Promise<ContractRecord[]>;
  /** Active contracts with no renewal quote yet, ending on or before `endingBy`. */
  listRenewableContracts(endingBy: string): Promise<ContractRecord[]>;
  /**
   * Active contracts with no renewal quote yet whose `contractGroup` is one of `groups`, whatever their end
   * dates: a co-termination group renews on one quote holding every such member (PRICING.md).
   */
  listRenewableContractsInGroups(groups: readonly string[]): Promise<ContractRecord[]>;
  /**
   * Inserts a renewal quote and links it to its contracts, atomically, only if none of them has a renewal
   * quote yet: at most one renewal quote per contract, whatever reruns or crashes happen.
   */
  createRenewalQuote(quote: QuoteRecord, contractIds: readonly string[]): Promise<boolean>;
  /**
   * The same for many renewals at once (bulk generation): each one atomic on its own (all or nothing per
   * renewal), the batch written together. Returns, per item, whether it was created.
   */
  createRenewalQuotes(items: readonly { quote: QuoteRecord; contractIds: readonly string[] }[]): Promise<boolean[]>;

  /**
   * Runs a bulk job (many write batches). A hint for the adapter: SQLite defers WAL checkpoints to the
   * end of the job; the org adapter has nothing to do. Atomicity of each write is unchanged.
   */
  withBulkWrites<T>(job: () => Promise<T>): Promise<T>;

  /** Human-readable sequence numbers: Q-00001, O-00001, C-00001. */
  nextNumber(kind: 'quote' | 'order' | 'contract'): Promise<string>;
  /** `count` consecutive numbers at once (bulk renewal generation). */
  reserveNumbers(kind: 'quote' | 'order' | 'contract', count: number): Promise<string[]>;

  /** Deal registrations (docs/DEALS.md); not yet in the org adapter, whose services then refuse them. */
  readonly deals?: DealRegistrationStore;

  /** Notifications and their emails (core/notifications.ts); absent: nobody is told (nothing else changes). */
  readonly notifications?: NotificationStore;

  /**
   * Reseller logos for the quote documents (core/logo.ts): a row per account in SQLite; in an org the File titled
   * "Quote logo" on the account (org/orgLogos.ts, docs/DOCUMENT.md), which the Visualforce page reads.
   */
  readonly logos?: LogoStore;
}
