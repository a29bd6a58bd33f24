import { newId } from '../core/ids.js';
import { z } from 'zod';
import { compileCatalog } from '../core/catalog.js';
import { CpqError, InvalidInputError, NotFoundError, StateError, listIssues } from '../core/errors.js';
import { minorUnits } from '../core/currency.js';
import { compileRates, convertMinor } from '../core/rates.js';
import { QUANTITY_DECIMALS, formatScaled, formatScaledShort, parseScaled } from '../core/exact.js';
import { MAX_ORDER_LINES, tooManyLines } from '../core/limits.js';
import { priceDistributorPurchase } from '../core/pricing.js';
import {
  quoteLineRecordSchema,
  type ContractRecord,
  type InventoryRecord,
  type OrderLineRecord,
  type OrderRecord,
  type QuoteRecord,
  type Viewer,
} from '../core/records.js';
import { addDays, addMonths } from '../core/renewals.js';
import { currencyDecimals } from '../core/scenario.js';
import type { Agreement } from '../core/scenario.js';
import type { CpqStore, InventoryDelta, NewOrder, OrderTerms } from '../store/port.js';
import { partyScope, reachable, requireRole } from './access.js';
import { parseInput } from './input.js';
import { currentReference, loadBookings, loadReference, priceStoredQuote, vendorIdOf } from './pricingContext.js';
import { QuoteService, type QuoteDetail } from './quotes.js';
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

const CURRENCY = /^[A-Z]{3}$/;
const LIMIT = /^\d+(\.\d+)?$/;

/**
 * What a distributor sets for one of its resellers (docs/ORDERS.md): auto-fulfil and a credit limit, an exact
 * decimal string in `creditLimitCurrency` (default: the corporate currency, settings.bookingsCurrency).
 */
export const orderTermsInputSchema = z
  .strictObject({
    resellerId: z.string().min(1, { error: 'must not be empty' }),
    autoFulfil: z.boolean({ error: 'must be true or false' }),
    creditLimit: z
      .string({ error: 'must be a decimal number written as a string, like "25000.00", or null' })
      .refine((v) => !v.trim().startsWith('-'), { error: 'must not be negative' })
      .refine((v) => v.trim().startsWith('-') || LIMIT.test(v), {
        error: 'must be a decimal number written as a string, like "25000.00"',
      })
      .refine((v) => !LIMIT.test(v) || v.replace('.', '').replace(/^0+/, '').length <= 15, {
        error: 'has too many digits (at most 15 significant digits)',
      })
      .nullable()
      .optional(),
    creditLimitCurrency: z.string().regex(CURRENCY, { error: 'must be an ISO 4217 currency code like "USD"' }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.autoFulfil && (v.creditLimit === null || v.creditLimit === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['creditLimit'], message: 'is required when autoFulfil is on' });
    }
  });

/** A reseller's order terms with a distributor, as the portal shows them. */
export type ResellerOrderTerms = {
  agreementId: string;
  resellerId: string;
  resellerName: string;
  distributorId: string;
  distributorName: string;
  autoFulfil: boolean;
  creditLimit: string | null;
  creditLimitCurrency: string | null;
  /** Placed, not yet activated resale orders of the reseller through the distributor, in the limit's currency. */
  openOrderValue: string | null;
};

/** What a reseller's order of an accepted quote became: placed at once, or an order request, and why. */
export type SubmitOrderResult = {
  outcome: 'placed' | 'requested';
  /** Why it was not placed at once (empty when placed, or when the reseller has no auto-fulfil). */
  reasons: string[];
  order: OrderView | null;
  quote: QuoteDetail;
};

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

/**
 * One order as its detail page shows it (OrderController.getOrder): the viewer's OrderView with the parties
 * and the quote by name and number (people read names, not ids). Null where the order has none (a stock order
 * has no reseller, end customer or quote).
 */
export type OrderDetail = OrderView & {
  distributorName: string;
  resellerName: string | null;
  endCustomerName: string | null;
  quoteNumber: string | null;
};

/** A stock purchase priced and not placed (OrderController.previewReplenishment). */
export type ReplenishmentPreview = {
  currency: string;
  netTotal: string;
  lines: { productId: string; quantity: string; net: string; netTotal: string }[];
};

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

  public async getOrder(viewer: Viewer, orderId: string): Promise<OrderDetail> {
    const order = orderView(viewer, reachable(viewer, await this.store.getOrder(orderId), 'Order', orderId));
    const [accounts, quote] = await Promise.all([
      this.store.listAccounts(),
      order.quoteId ? this.store.getQuote(order.quoteId) : Promise.resolve(undefined),
    ]);
    const names = new Map(accounts.map((a) => [a.id, a.name ?? a.id]));
    const nameOf = (id: string | null): string | null => (id === null ? null : (names.get(id) ?? id));
    return {
      ...order,
      distributorName: nameOf(order.distributorId) ?? order.distributorId,
      resellerName: nameOf(order.resellerId),
      endCustomerName: nameOf(order.endCustomerId),
      quoteNumber: quote?.number ?? null,
    };
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
    const { order, inventory } = await this.resaleOrder(viewer, quote);
    const placed = await this.store.placeOrder(order, inventory, {
      record: { ...quote, status: 'Ordered', updatedAt: new Date().toISOString() },
      expectedVersion: quote.version,
    });
    // A concurrent duplicate gets the first order back: only the request that placed it tells the reseller.
    if (placed.id === order.id) await notify(this.store, { kind: 'orderPlaced', quote, order: placed, actorId: viewer.userId });
    return orderView(viewer, placed);
  }

  /**
   * The order of an accepted quote, priced once more by the server with every price frozen, and the stock
   * it draws from the quote's distributor. StateError NOT_ORDERABLE when it cannot be ordered.
   */
  private async resaleOrder(viewer: Viewer, quote: QuoteRecord): Promise<{ order: NewOrder; inventory: InventoryDelta[] }> {
    const reference = (await currentReference(this.store)).snapshot;
    const priced = await priceStoredQuote(this.store, quote, 'state', this.today());
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
    return { order, inventory };
  }

  /**
   * What a stock purchase would cost, priced exactly as `replenish` prices it, and nothing written: the
   * confirmation the order desk shows first (lines, quantities, Net unit and total, the total).
   */
  public async previewReplenishment(viewer: Viewer, rawInput: unknown): Promise<ReplenishmentPreview> {
    const { input, lines, netTotal } = await this.priceReplenishment(viewer, rawInput);
    return {
      currency: input.currency,
      netTotal,
      lines: lines.map((l) => ({ productId: l.productId, quantity: l.quantity, net: l.net, netTotal: l.netTotal })),
    };
  }

  /** A distributor buys licences from the vendor at its Net prices; the stock grows at once. */
  public async replenish(viewer: Viewer, rawInput: unknown): Promise<OrderView> {
    const { input, lines, netTotal, today } = await this.priceReplenishment(viewer, rawInput);
    const distributorId = viewer.accountId;
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
      netTotal,
      lines,
    };
    const deltas: InventoryDelta[] = input.lines.map((l) => ({ distributorId, productId: l.productId, delta: l.quantity }));
    return orderView(viewer, await this.store.placeOrder(order, deltas));
  }

  private async priceReplenishment(
    viewer: Viewer,
    rawInput: unknown,
  ): Promise<{ input: z.infer<typeof replenishInputSchema>; lines: OrderLineRecord[]; netTotal: string; today: string }> {
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
    return { input, lines, netTotal: money(netTotal), today };
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

  // Reseller orders with auto-fulfil and a credit limit (CHANNEL.md, Orders placed by resellers; docs/ORDERS.md)

  /**
   * A reseller orders its accepted quote. With auto-fulfil on its agreement with the quote's distributor the
   * order is placed at once from the distributor's stock, provided the stock suffices and its open orders
   * plus this one stay within the credit limit; otherwise (or without auto-fulfil) it becomes an order
   * request for the distributor, and `reasons` says why it was not placed. Only a placed order takes a
   * number. Ordering again returns what the first call made.
   */
  public async submitOrder(viewer: Viewer, quoteId: string, version: number, comment = ''): Promise<SubmitOrderResult> {
    requireRole(viewer, ['resellerUser'], 'order from a distributor');
    const quote = await this.quotes.load(viewer, quoteId);
    const existing = await this.store.getOrderByQuote(quoteId);
    if (existing) {
      return {
        outcome: 'placed',
        reasons: [],
        order: orderView(viewer, existing),
        quote: await this.quotes.getQuote(viewer, quoteId),
      };
    }
    const reasons: string[] = [];
    if (quote.status === 'Accepted' && quote.orderRequest === undefined) {
      const terms = await this.termsOf(quote.resellerId, quote.distributorId);
      if (terms?.autoFulfil) {
        try {
          const { order, inventory } = await this.resaleOrder(viewer, quote);
          reasons.push(...(await this.stockShortfalls(quote.distributorId, inventory)));
          reasons.push(...(await this.creditExcess(terms, order)));
          if (reasons.length === 0) {
            const placed = await this.store.placeOrder(order, inventory, {
              record: { ...quote, status: 'Ordered', updatedAt: new Date().toISOString() },
              expectedVersion: version,
            });
            if (placed.id === order.id)
              await notify(this.store, { kind: 'orderPlaced', quote, order: placed, actorId: viewer.userId });
            return {
              outcome: 'placed',
              reasons: [],
              order: orderView(viewer, placed),
              quote: await this.quotes.getQuote(viewer, quoteId),
            };
          }
        } catch (error) {
          // The stock moved since it was read, the quote no longer prices, a rate is missing: a request then.
          if (!(error instanceof CpqError) || !FALLBACK_CODES.includes(error.code)) throw error;
          reasons.push(error.message);
        }
      }
    }
    const requested = await this.quotes.requestOrder(viewer, quoteId, version, comment);
    return { outcome: 'requested', reasons, order: null, quote: requested };
  }

  /** The order terms the viewer may see: a distributor those of its resellers, a reseller its own, the vendor all. */
  public async listOrderTerms(viewer: Viewer): Promise<ResellerOrderTerms[]> {
    const { snapshot } = await currentReference(this.store);
    const accounts = new Map(snapshot.accounts.map((a) => [a.id, a]));
    const agreements = snapshot.agreements.filter(
      (a) =>
        accounts.get(a.partnerId)?.type === 'reseller' &&
        accounts.get(a.sellerId)?.type === 'distributor' &&
        (viewer.role === 'vendorAdmin' ||
          (viewer.role === 'distributorUser' && a.sellerId === viewer.accountId) ||
          (viewer.role === 'resellerUser' && a.partnerId === viewer.accountId)) &&
        this.current(a),
    );
    const terms = new Map((await this.store.listOrderTerms(agreements.map((a) => a.id))).map((t) => [t.agreementId, t]));
    const rows: ResellerOrderTerms[] = [];
    for (const a of agreements) {
      const t = terms.get(a.id) ?? { agreementId: a.id, autoFulfil: false, creditLimit: null, creditLimitCurrency: null };
      let openOrderValue: string | null = null;
      if (t.creditLimitCurrency) {
        try {
          openOrderValue = await this.openOrderValue(a.partnerId, a.sellerId, t.creditLimitCurrency);
        } catch (error) {
          if (!(error instanceof CpqError) || error.code !== 'NO_EXCHANGE_RATE') throw error;
        }
      }
      rows.push({
        agreementId: a.id,
        resellerId: a.partnerId,
        resellerName: accounts.get(a.partnerId)?.name ?? a.partnerId,
        distributorId: a.sellerId,
        distributorName: accounts.get(a.sellerId)?.name ?? a.sellerId,
        autoFulfil: t.autoFulfil,
        creditLimit: t.creditLimit,
        creditLimitCurrency: t.creditLimitCurrency,
        openOrderValue,
      });
    }
    return rows.sort(
      (x, y) => x.resellerName.localeCompare(y.resellerName) || x.distributorName.localeCompare(y.distributorName),
    );
  }

  /**
   * A distributor switches auto-fulfil on or off for one of its resellers and sets its credit limit, on
   * their agreement. Another distributor's reseller is not found (404); a bad limit names the field (400).
   */
  public async setOrderTerms(viewer: Viewer, rawInput: unknown): Promise<ResellerOrderTerms> {
    requireRole(viewer, ['distributorUser'], 'set order terms for resellers');
    const input = parseInput(orderTermsInputSchema, rawInput, 'the order terms are not valid');
    const { snapshot } = await currentReference(this.store);
    const reseller = snapshot.accounts.find((a) => a.id === input.resellerId && a.type === 'reseller');
    const agreement = reseller
      ? snapshot.agreements.find((a) => a.partnerId === reseller.id && a.sellerId === viewer.accountId && this.current(a))
      : undefined;
    if (!agreement) throw new NotFoundError('Reseller', input.resellerId);
    const currency = input.creditLimitCurrency ?? snapshot.settings.bookingsCurrency;
    const digits = minorUnits(currency);
    if (digits === undefined) {
      const message = `${currency} is not an ISO 4217 currency`;
      throw new InvalidInputError(`creditLimitCurrency: ${message}`, [{ path: 'creditLimitCurrency', message }]);
    }
    const limit = input.creditLimit ?? null;
    let creditLimit: string | null = null;
    if (limit !== null) {
      const scaled = parseScaled(limit, digits);
      if (scaled === undefined) {
        const message = `must have at most ${digits} decimals in ${currency} (got "${limit}")`;
        throw new InvalidInputError(`creditLimit: ${message}`, [{ path: 'creditLimit', message }]);
      }
      creditLimit = formatScaled(scaled, digits);
    }
    await this.store.setOrderTerms({
      agreementId: agreement.id,
      autoFulfil: input.autoFulfil,
      creditLimit,
      creditLimitCurrency: creditLimit === null ? null : currency,
    });
    const row = (await this.listOrderTerms(viewer)).find((t) => t.agreementId === agreement.id);
    if (!row) throw new NotFoundError('Reseller', input.resellerId);
    return row;
  }

  /** The agreement of a reseller with a distributor that counts today: Active and valid, else none. */
  private current(a: Agreement): boolean {
    const today = this.today();
    return a.status === 'Active' && a.validFrom <= today && (a.validTo === undefined || a.validTo >= today);
  }

  private async termsOf(resellerId: string, distributorId: string): Promise<OrderTerms | undefined> {
    const { snapshot } = await currentReference(this.store);
    const agreement = snapshot.agreements.find(
      (a) => a.partnerId === resellerId && a.sellerId === distributorId && this.current(a),
    );
    return agreement ? (await this.store.listOrderTerms([agreement.id]))[0] : undefined;
  }

  /** Which licences the distributor holds too few of for this draw, each with what is needed and held. */
  private async stockShortfalls(distributorId: string, inventory: readonly InventoryDelta[]): Promise<string[]> {
    if (inventory.length === 0) return [];
    const { snapshot } = await currentReference(this.store);
    const held = new Map((await this.store.listInventory(distributorId)).map((i) => [i.productId, qty(i.quantity)]));
    const reasons: string[] = [];
    for (const d of inventory) {
      const need = -qty(d.delta);
      const have = held.get(d.productId) ?? 0;
      if (have < need) {
        const name = snapshot.products.find((p) => p.id === d.productId)?.name ?? d.productId;
        reasons.push(
          `stock short on ${name}: ${formatScaledShort(need, QUANTITY_DECIMALS)} needed, ${formatScaledShort(have, QUANTITY_DECIMALS)} in stock`,
        );
      }
    }
    return reasons;
  }

  /** The credit limit exceeded, by how much, or nothing. No limit set: nothing can be placed at once. */
  private async creditExcess(terms: OrderTerms, order: NewOrder): Promise<string[]> {
    const currency = terms.creditLimitCurrency;
    if (terms.creditLimit === null || !currency) return ['no credit limit is set'];
    const digits = minorUnits(currency) ?? 2;
    const limit = BigInt(parseScaled(terms.creditLimit, digits) ?? 0);
    const open = BigInt(parseScaled(await this.openOrderValue(order.resellerId!, order.distributorId, currency), digits) ?? 0);
    const own = await this.converter(currency);
    const total = open + own(order.partnerTotal ?? '0', order.currency);
    if (total <= limit) return [];
    const text = (n: bigint): string => `${formatScaled(Number(n), digits)} ${currency}`;
    return [
      `credit limit ${text(limit)} exceeded by ${text(total - limit)} (open orders ${text(open)} + this order ${text(total - open)})`,
    ];
  }

  /**
   * The reseller's placed, not yet activated resale orders through the distributor at their Partner totals
   * (what the reseller owes the distributor), each converted into `currency` at today's rate.
   */
  private async openOrderValue(resellerId: string, distributorId: string, currency: string): Promise<string> {
    const orders = await this.store.listOrders({ resellerId, distributorId, limit: OPEN_ORDERS_READ });
    const convert = await this.converter(currency);
    let sum = 0n;
    for (const o of orders) {
      if (o.kind === 'resale' && o.status === 'Placed') sum += convert(o.partnerTotal ?? '0', o.currency);
    }
    return formatScaled(Number(sum), minorUnits(currency) ?? 2);
  }

  /** Amounts into minor units of `currency` at today's dated rates (MissingRateError without one). */
  private async converter(currency: string): Promise<(amount: string, from: string) => bigint> {
    const { snapshot } = await currentReference(this.store);
    const rates = compileRates(await this.store.listExchangeRates(), snapshot.settings.bookingsCurrency);
    const today = this.today();
    return (amount, from) =>
      convertMinor(
        BigInt(parseScaled(amount, minorUnits(from) ?? 2) ?? 0),
        from,
        currency,
        today,
        rates,
        snapshot.settings.roundingMode,
      );
  }
}

/** Refusals that turn an auto-fulfilled order into an order request rather than an error. */
const FALLBACK_CODES = ['INSUFFICIENT_STOCK', 'NOT_ORDERABLE', 'NO_EXCHANGE_RATE'];
/** Open orders read per reseller and distributor: placed orders are activated within days. */
const OPEN_ORDERS_READ = 2000;
