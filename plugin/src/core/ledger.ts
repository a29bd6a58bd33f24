import type { OrderRecord } from './records.js';
import type { Booking } from './scenario.js';

/**
 * The bookings-ledger entries of one activated order (PRICING.md, Dynamic tiers): the reseller bought
 * from the distributor at the order's Partner total, and the distributor bought from the vendor at its
 * Net total (a stock order has only the second). Amounts stay in the order's currency: they are converted
 * at the order date's rate when they count.
 */
export function ledgerEntriesOf(order: OrderRecord, vendorId: string): Booking[] {
  const entries: Booking[] = [];
  if (order.resellerId && order.partnerTotal !== null) {
    entries.push({
      partnerId: order.resellerId,
      sellerId: order.distributorId,
      date: order.orderDate,
      amount: order.partnerTotal,
      currency: order.currency,
    });
  }
  entries.push({
    partnerId: order.distributorId,
    sellerId: vendorId,
    date: order.orderDate,
    amount: order.netTotal,
    currency: order.currency,
  });
  return entries;
}
