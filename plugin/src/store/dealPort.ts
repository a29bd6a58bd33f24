import type { DealRegistration, DealStatus } from '../core/deals.js';

export type DealFilter = {
  resellerId?: string;
  distributorId?: string;
  /** The end customer's registrations (the channel-conflict check of a quote). */
  endCustomerId?: string;
  statuses?: readonly DealStatus[];
  /** Only registrations still holding their claim (the daily job's input). */
  claimActive?: boolean;
  limit?: number;
};

/**
 * Deal registrations (docs/DEALS.md). The claim — (end customer, family) while a registration holds it — is
 * kept unique by the store itself (a unique key, not only a query before the insert), so of two concurrent
 * registrations of one claim exactly one is written.
 */
export interface DealRegistrationStore {
  getDeal(id: string): Promise<DealRegistration | undefined>;
  /** Newest first. */
  listDeals(filter: DealFilter): Promise<DealRegistration[]>;
  /**
   * Writes a new Submitted registration and its claims atomically. First releases the lapsed claims of the
   * same end customer (core dailyDealRun), then refuses a held claim with DEAL_CONFLICT (another partner's,
   * never named) or DEAL_ALREADY_REGISTERED (the reseller's own). Nothing is written on refusal.
   */
  registerDeal(deal: DealRegistration, today: string): Promise<DealRegistration>;
  /**
   * Saves when the stored version is `expectedVersion` (the record carries the next version), else
   * ConflictError; a registration whose claimActive turned false releases its claims in the same write.
   */
  updateDeal(deal: DealRegistration, expectedVersion: number): Promise<void>;
  /** DR-00001, DR-00002, ... */
  nextDealNumber(): Promise<string>;
  /**
   * `sf cpq deals import`: writes every registration (each numbered by the store, the given `number` replaced)
   * with its claims, all or nothing: lapsed claims are released first, and one held claim (DEAL_CONFLICT or
   * DEAL_ALREADY_REGISTERED) refuses the whole import. Returns the registrations as written.
   */
  importDeals(deals: readonly DealRegistration[], today: string): Promise<DealRegistration[]>;
}
