import { newId } from '../core/ids.js';
import { z } from 'zod';
import { compileCatalog } from '../core/catalog.js';
import { InvalidInputError, StateError, listIssues } from '../core/errors.js';
import { QUANTITY_DECIMALS, formatScaled, formatScaledShort, parseScaled } from '../core/exact.js';
import { MAX_ORDER_LINES, tooManyLines } from '../core/limits.js';
import { priceDistributorPurchase } from '../core/pricing.js';
import {
  quoteLineRecordSchema,
  type ContractRecord,
  type InventoryRecord,
  type OrderLineRecord,
  type OrderRecord,
  type Viewer,
} from '../core/records.js';
import { addDays, addMonths } from '../core/renewals.js';
import { currencyDecimals } from '../core/scenario.js';
import type { CpqStore, InventoryDelta, NewOrder } from '../store/port.js';
import { partyScope, reachable, requireRole } from './access.js';
import { parseInput } from './input.js';
import { currentReference, loadBookings, loadReference, priceStoredQuote, vendorIdOf } from './pricingContext.js';
import { QuoteService } from './quotes.js';
import { notify } from './notifications.js';

/**
 * Orders: a distributor places the order of an accepted quote of one of its resellers, with every waterfall
 * price frozen; licences draw on the distributor's stock; distributors replenish stock from the vendor;
 * activating an order creates the contract and moves the partners' bookings (and so their tiers).
 */

export const replenishInputSchema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 currency code like "USD"' }),
  lines: z
    .array(z.unknown())
    .min(1, { error: 'order at least one product' })
    .max(MAX_ORDER_LINES, { error: (issue) => tooManyLines('order', (issue.input as unknown[]).length) })
    .pipe(z.array(z.strictObject({ productId: z.string().min(1), quantity: quoteLineRecordSchema.shape.quantity }))),
});

/** What a reseller may see of an order: no Net prices. */
export type OrderView = Omit<OrderRecord, 'netTotal' | 'lines'> & {
  netTotal?: string;
  lines: (Omit<OrderLineRecord, 'net' | 'netTotal'> & { net?: string; netTotal?: string })[];
};

export function orderView(viewer: Viewer, order: OrderRecord): OrderView {
  if (viewer.role !== 'resellerUser') return order;
  const { netTotal: _net, lines, ...rest } = order;
  return { ...rest, lines: lines.map(({ net: _n, netTotal: _t, ...line }) => line) };
}

const qty = (text: string): number => parseScaled(text, QUANTITY_DECIMALS) ?? 0;

export class OrderService {
  private readonly quotes: QuoteService;

  public constructor(
    private readonly store: CpqStore,
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10),
  ) {
    this.quotes = new QuoteService(store, today);
  }

  public async listOrders(viewer: Viewer): Promise<OrderView[]> {
    return (await this.store.listOrders(partyScope(viewer))).map((o) => orderView(viewer, o));
  }

  public async getOrder(viewer: Viewer, orderId: string): Promise<OrderView> {
    return orderView(viewer, reachable(viewer, await this.store.getOrder(orderId), 'Order', orderId));
  }

  public async listInventory(viewer: Viewer): Promise<InventoryRecord[]> {
    requireRole(viewer, ['distributorUser', 'vendorAdmin'], 'see stock');
    return this.store.listInventory(viewer.role === 'distributorUser' ? viewer.accountId : undefined);
  }

  /**
   * Places the order of an accepted quote. Idempotent: placing it again returns the same order. Prices are
   * computed once more by the server and frozen on the order lines.
   */
  public async placeOrder(viewer: Viewer, quoteId: string): Promise<OrderView> {
    requireRole(viewer, ['distributorUser'], 'place orders');
    const quote = await this.quotes.load(viewer, quoteId);
    const existing = await this.store.getOrderByQuote(quoteId);
    if (existing) return orderView(viewer, existing);
    if (quote.status !== 'Accepted') {
      throw new StateError(`quote ${quote.number} is ${quote.status}: only an accepted quote can be ordered`, 'NOT_ORDERABLE');
    }
    const reference = (await currentReference(this.store)).snapshot;
    const priced = await priceStoredQuote(this.store, quote, 'state');
    // Accepted means any required approval was given; everything else must still hold.
    const blockers = this.quotes.acceptBlockers({ ...quote, expiryDate: '9999-12-31' }, priced, true);
    if (blockers.length > 0 || !priced.totals) {
      throw new StateError(`quote ${quote.number} cannot be ordered: ${blockers.join('; ')}`, 'NOT_ORDERABLE');
    }
    const products = new Map(reference.products.map((p) => [p.id, p]));
    const lines: OrderLineRecord[] = priced.lines.map((l) => ({
      id: newId(),
      productId: l.productId,
      quantity: l.quantity,
      termMonths: l.termMonths,
      list: l.list.unit!,
      regular: l.regular.unit!,
      customer: l.customer.unit!,
      partner: l.partner.unit!,
      net: l.net.unit!,
      customerTotal: l.customer.total!,
      partnerTotal: l.partner.total!,
      netTotal: l.net.total!,
    }));
    const draw = new Map<string, number>();
    for (const l of lines) {
      if (products.get(l.productId)?.tracksInventory) draw.set(l.productId, (draw.get(l.productId) ?? 0) + qty(l.quantity));
    }
    const inventory: InventoryDelta[] = [...draw].map(([productId, units]) => ({
      distributorId: quote.distributorId,
      productId,
      delta: formatScaledShort(-units, QUANTITY_DECIMALS),
    }));
    const order: NewOrder = {
      id: newId(),
      kind: 'resale',
      quoteId: quote.id,
      distributorId: quote.distributorId,
      resellerId: quote.resellerId,
      endCustomerId: quote.endCustomerId,
      currency: quote.currency,
      status: 'Placed',
      placedBy: viewer.userId,
      placedAt: new Date().toISOString(),
      orderDate: this.today(),
      customerTotal: priced.totals.customer,
      partnerTotal: priced.totals.partner,
      netTotal: priced.totals.net,
      lines,
    };
    const placed = await this.store.placeOrder(order, inventory, {
      record: { ...quote, status: 'Ordered', updatedAt: new Date().toISOString() },
      expectedVersion: quote.version,
    });
    // A concurrent duplicate gets the first order back: only the request that placed it tells the reseller.
    if (placed.id === order.id) await notify(this.store, { kind: 'orderPlaced', quote, order: placed, actorId: viewer.userId });
    return orderView(viewer, placed);
  }

  /** A distributor buys licences from the vendor at its Net prices; the stock grows at once. */
  public async replenish(viewer: Viewer, rawInput: unknown): Promise<OrderView> {
    requireRole(viewer, ['distributorUser'], 'order stock from the vendor');
    const input = parseInput(replenishInputSchema, rawInput, 'the stock order is not valid');
    const distributorId = viewer.accountId;
    const today = this.today();
    const reference = await loadReference(this.store, [distributorId]);
    const vendorId = vendorIdOf(reference.accounts);
    const bookings = vendorId ? await loadBookings(this.store, [{ partnerId: distributorId, sellerId: vendorId }], today) : [];
    const products = new Map(reference.products.map((p) => [p.id, p]));
    input.lines.forEach((l, i) => {
      const product = products.get(l.productId);
      if (!product?.tracksInventory) {
        throw new InvalidInputError(`lines.${i}.productId: ${l.productId} is not a licence held in stock`, [
          { path: `lines.${i}.productId`, message: 'is not a licence held in stock' },
        ]);
      }
    });
    const catalog = compileCatalog({ ...reference, bookings });
    const priced = priceDistributorPurchase(catalog, {
      distributorId,
      currency: input.currency,
      pricingDate: today,
      lines: input.lines.map((l) => ({ productId: l.productId, quantity: qty(l.quantity) })),
    });
    const problems = priced.flatMap((l, i) =>
      [...l.errors, ...l.warnings].map((e) => ({ path: `lines.${i}`, message: e.message })),
    );
    if (problems.length > 0)
      throw new StateError(
        `the stock order cannot be priced: ${listIssues(problems.map((p) => p.message))}`,
        'NOT_ORDERABLE',
        problems,
      );
    const d = currencyDecimals(input.currency);
    const money = (n: number | undefined): string => formatScaled(n ?? 0, d);
    const lines: OrderLineRecord[] = priced.map((l) => ({
      id: newId(),
      productId: l.productId,
      quantity: formatScaledShort(l.quantity, QUANTITY_DECIMALS),
      termMonths: null,
      list: money(l.list),
      regular: money(l.regular),
      customer: money(l.net),
      partner: money(l.net),
      net: money(l.net),
      customerTotal: money(l.netTotal),
      partnerTotal: money(l.netTotal),
      netTotal: money(l.netTotal),
    }));
    const netTotal = priced.reduce((sum, l) => sum + (l.netTotal ?? 0), 0);
    const order: NewOrder = {
      id: newId(),
      kind: 'replenishment',
      quoteId: null,
      distributorId,
      resellerId: null,
      endCustomerId: null,
      currency: input.currency,
      status: 'Activated',
      placedBy: viewer.userId,
      placedAt: new Date().toISOString(),
      orderDate: today,
      customerTotal: null,
      partnerTotal: null,
      netTotal: money(netTotal),
      lines,
    };
    const deltas: InventoryDelta[] = input.lines.map((l) => ({ distributorId, productId: l.productId, delta: l.quantity }));
    return orderView(viewer, await this.store.placeOrder(order, deltas));
  }

  /**
   * Activates a resale order: the contract with one subscription per subscription line (start = the
   * quote's start date, end = start + term - 1 day), and the order counts in the partners' bookings from
   * then on. Activating twice changes nothing.
   */
  public async activateOrder(viewer: Viewer, orderId: string): Promise<OrderView> {
    requireRole(viewer, ['distributorUser', 'vendorAdmin'], 'activate orders');
    const order = reachable(viewer, await this.store.getOrder(orderId), 'Order', orderId);
    if (order.status === 'Activated') return orderView(viewer, order);
    const quote = order.quoteId ? await this.store.getQuote(order.quoteId) : undefined;
    if (!quote) throw new StateError(`order ${order.number} has no quote to build a contract from`);
    const products = new Map((await this.store.listProducts()).map((p) => [p.id, p]));
    const subscriptionLines = order.lines.filter((l) => products.get(l.productId)?.type === 'subscription');
    const contracts: ContractRecord[] = [];
    if (subscriptionLines.length > 0) {
      // A contract runs whole months: a line of 9.61 months (co-terminated renewal) counts as 10 here.
      const termMonths = quote.termMonths ?? Math.ceil(Math.max(...subscriptionLines.map((l) => l.termMonths ?? 12)));
      const id = newId();
      contracts.push({
        id,
        number: await this.store.nextNumber('contract'),
        orderId: order.id,
        resellerId: quote.resellerId,
        distributorId: quote.distributorId,
        endCustomerId: quote.endCustomerId,
        currency: quote.currency,
        startDate: quote.startDate,
        endDate: addDays(addMonths(quote.startDate, termMonths), -1),
        termMonths,
        contractGroup: quote.contractGroup,
        renewalQuoteId: null,
        status: 'Active',
        subscriptions: subscriptionLines.map((l) => ({
          id: newId(),
          contractId: id,
          productId: l.productId,
          quantity: l.quantity,
          termMonths: l.termMonths ?? termMonths,
          customerUnit: l.customer,
          partnerUnit: l.partner,
          netUnit: l.net,
          renewalPricingMethod: products.get(l.productId)?.renewalPricingMethod,
        })),
      });
    }
    return orderView(viewer, await this.store.activateOrder(order.id, contracts));
  }
}
