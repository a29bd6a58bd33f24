import { LightningElement } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import listQuotes from '@salesforce/apex/QuoteController.listQuotes';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import listOrders from '@salesforce/apex/OrderController.listOrders';
import placeOrder from '@salesforce/apex/OrderController.placeOrder';
import activateOrder from '@salesforce/apex/OrderController.activateOrder';
import listInventory from '@salesforce/apex/OrderController.listInventory';
import replenish from '@salesforce/apex/OrderController.replenish';
import previewReplenishment from '@salesforce/apex/OrderController.previewReplenishment';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import { errorMessages, formatDate, formatMoney, orderPage, parseError, quotePage } from 'c/cpqUtils';

/** "lic-designer: 800 missing (in stock 100)" in the server's INSUFFICIENT_STOCK message. */
const SHORTFALL = /([^\s:;]+): (\d+(?:\.\d+)?) missing \(in stock (\d+(?:\.\d+)?)\)/g;

/**
 * The distributor's order desk: accepted quotes of its resellers to order (those the reseller asked to
 * order first), the orders with their activation, and the licence stock with replenishment from the
 * vendor. An order short of stock is refused by the server (INSUFFICIENT_STOCK): the desk says which
 * licences are missing and prepares the replenishment. The vendor sees every distributor's desk and can
 * activate orders, but only a distributor places orders and buys stock.
 */
export default class OrderDesk extends NavigationMixin(LightningElement) {
  user;
  quotes = [];
  orders = [];
  inventory = [];
  productNames = new Map();
  allQuotes = new Map();
  quoteUrls = new Map();
  orderUrls = new Map();
  trackedProducts = [];
  loading = true;
  errors = [];
  shortfall;
  busy = false;

  restock = { productId: '', quantity: '', currency: '' };
  restockErrors = [];
  /** The priced purchase waiting for the distributor's confirmation (OrderController.previewReplenishment). */
  restockPreview;

  async connectedCallback() {
    try {
      this.user = await getCurrentUser();
      if (this.isReseller) return;
      await this.load();
    } catch (error) {
      this.errors = errorMessages(error);
    } finally {
      this.loading = false;
    }
  }

  async load() {
    const [quotes, orders, inventory, catalog] = await Promise.all([
      listQuotes({}),
      listOrders({}),
      listInventory({}),
      getCatalog({}),
    ]);
    this.productNames = new Map(catalog.products.map((p) => [p.id, p.name ?? p.id]));
    this.trackedProducts = catalog.products.filter((p) => p.tracksInventory);
    this.allQuotes = new Map(quotes.map((q) => [q.id, q]));
    const urls = new Map(
      await Promise.all(quotes.map(async (q) => [q.id, await this[NavigationMixin.GenerateUrl](quotePage(q.id))])),
    );
    this.quoteUrls = urls;
    this.orderUrls = new Map(
      await Promise.all(orders.map(async (o) => [o.id, await this[NavigationMixin.GenerateUrl](orderPage(o.id))])),
    );
    const accepted = quotes.filter((q) => q.status === 'Accepted');
    // The reseller's order requests head the list.
    accepted.sort((a, b) => Number(b.orderRequested) - Number(a.orderRequested));
    this.quotes = accepted.map((q) => this.quoteRow(q));
    this.orders = orders.map((o) => this.orderRow(o));
    this.inventory = inventory;
    if (!this.restock.currency) this.restock = { ...this.restock, currency: this.currencyOptions[0]?.value ?? '' };
  }

  quoteRow(q) {
    return {
      ...q,
      url: this.quoteUrls.get(q.id),
      linkTitle: `Open quote ${q.number}`,
      startDateText: formatDate(q.startDate),
      placeTitle: `Place the order of ${q.number} for ${q.resellerName}`,
      rowClass: q.orderRequested ? 'quote-row slds-theme_shade' : 'quote-row',
      customerTotalText: formatMoney(q.customerTotal, q.currency),
      partnerTotalText: formatMoney(q.partnerTotal, q.currency),
      netTotalText: formatMoney(q.netTotal, q.currency),
    };
  }

  orderRow(o) {
    const quote = o.quoteId ? this.allQuotes.get(o.quoteId) : undefined;
    return {
      ...o,
      kindLabel: o.kind === 'resale' ? 'Resale' : 'Stock',
      url: this.orderUrls.get(o.id),
      linkTitle: `Open order ${o.number}`,
      orderDateText: formatDate(o.orderDate),
      quoteNumber: quote?.number ?? '',
      quoteUrl: o.quoteId ? this.quoteUrls.get(o.quoteId) : undefined,
      party:
        o.kind === 'resale' ? `${quote?.resellerName ?? o.resellerId} for ${quote?.endCustomerName ?? o.endCustomerId}` : 'Stock',
      canActivate: o.status === 'Placed' && o.kind === 'resale' && !this.isReseller,
      activateTitle: `Activate order ${o.number}: creates its contract and counts it in bookings`,
      customerTotalText: formatMoney(o.customerTotal, o.currency),
      partnerTotalText: formatMoney(o.partnerTotal, o.currency),
      netTotalText: formatMoney(o.netTotal, o.currency),
    };
  }

  /** A new order's page link (/order/<id>). */
  async rememberOrderUrl(order) {
    if (this.orderUrls.has(order.id)) return;
    const url = await this[NavigationMixin.GenerateUrl](orderPage(order.id));
    this.orderUrls = new Map([...this.orderUrls, [order.id, url]]);
  }

  get isReseller() {
    return this.user?.role === 'resellerUser';
  }

  get isDistributor() {
    return this.user?.role === 'distributorUser';
  }

  get isVendor() {
    return this.user?.role === 'vendorAdmin';
  }

  get hasErrors() {
    return this.errors.length > 0;
  }

  get hasQuotes() {
    return this.quotes.length > 0;
  }

  get hasOrders() {
    return this.orders.length > 0;
  }

  get stockRows() {
    return this.inventory.map((i) => ({
      key: `${i.distributorId}/${i.productId}`,
      distributorId: i.distributorId,
      product: this.productNames.get(i.productId) ?? i.productId,
      quantity: i.quantity,
      short: this.shortfall?.products.some((s) => s.productId === i.productId) ?? false,
    }));
  }

  get hasStock() {
    return this.inventory.length > 0;
  }

  get productOptions() {
    return this.trackedProducts.map((p) => ({ label: p.name ?? p.id, value: p.id, selected: p.id === this.restock.productId }));
  }

  get currencyOptions() {
    const product = this.trackedProducts.find((p) => p.id === this.restock.productId);
    const codes = new Set();
    for (const p of product ? [product] : this.trackedProducts) for (const price of p.prices) codes.add(price.currency);
    return [...codes].sort().map((c) => ({ label: c, value: c, selected: c === this.restock.currency }));
  }

  get hasRestockErrors() {
    return this.restockErrors.length > 0;
  }

  toast(title, message, variant = 'success') {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }

  async handlePlaceOrder(event) {
    const quoteId = event.target.dataset.id;
    const quote = this.quotes.find((q) => q.id === quoteId);
    this.busy = true;
    this.shortfall = undefined;
    this.errors = [];
    try {
      const order = await placeOrder({ quoteId });
      this.quotes = this.quotes.filter((q) => q.id !== quoteId);
      await this.rememberOrderUrl(order);
      this.orders = [this.orderRow(order), ...this.orders.filter((o) => o.id !== order.id)];
      this.inventory = await listInventory({});
      this.toast(
        `Order ${order.number} placed`,
        `${quote.number} for ${quote.resellerName} is ordered. Activate it when delivered.`,
      );
    } catch (error) {
      const { code, message } = parseError(error);
      if (code === 'INSUFFICIENT_STOCK') this.showShortfall(quote, message);
      else this.errors = errorMessages(error);
    } finally {
      this.busy = false;
    }
  }

  /** Names the missing licences and prepares the replenishment of the first one. */
  showShortfall(quote, message) {
    const products = [...message.matchAll(SHORTFALL)].map(([, productId, missing, inStock]) => ({
      key: productId,
      productId,
      name: this.productNames.get(productId) ?? productId,
      missing,
      inStock,
    }));
    this.shortfall = {
      title: `Not enough stock to order ${quote.number}`,
      products,
      // The server's own words when the message is not the expected one.
      fallback: products.length === 0 ? message : '',
    };
    if (products.length > 0 && this.isDistributor) {
      const first = products[0];
      this.restock = { productId: first.productId, quantity: first.missing, currency: quote.currency };
    }
  }

  async handleActivate(event) {
    const orderId = event.target.dataset.id;
    this.busy = true;
    try {
      const order = await activateOrder({ orderId });
      this.orders = this.orders.map((o) => (o.id === orderId ? this.orderRow(order) : o));
      this.toast(`Order ${order.number} activated`, 'Its contract is created and it counts in the partners’ bookings.');
    } catch (error) {
      this.errors = errorMessages(error);
    } finally {
      this.busy = false;
    }
  }

  handleRestockField(event) {
    const field = event.target.dataset.field;
    this.restock = { ...this.restock, [field]: event.target.value };
    // A changed purchase needs a new price.
    this.restockPreview = undefined;
  }

  /** First the price: the purchase is previewed, and made only once confirmed. */
  async handleReplenish() {
    const { productId, quantity, currency } = this.restock;
    if (!productId || !quantity || !currency) {
      this.restockErrors = ['Choose a product, a quantity and a currency.'];
      return;
    }
    this.busy = true;
    this.restockPreview = undefined;
    try {
      const request = { currencyCode: currency, lines: [{ productId, quantity }] };
      const preview = await previewReplenishment(request);
      const totalText = formatMoney(preview.netTotal, preview.currency);
      this.restockPreview = {
        request,
        totalText,
        confirmTitle: `Buy these licences from the vendor for ${totalText}`,
        lines: preview.lines.map((l, i) => ({
          key: `${l.productId}/${i}`,
          product: this.productNames.get(l.productId) ?? l.productId,
          quantity: l.quantity,
          netText: formatMoney(l.net, preview.currency),
          netTotalText: formatMoney(l.netTotal, preview.currency),
        })),
      };
      this.restockErrors = [];
    } catch (error) {
      this.restockErrors = errorMessages(error);
    } finally {
      this.busy = false;
    }
  }

  handleCancelReplenish() {
    this.restockPreview = undefined;
  }

  async handleConfirmReplenish() {
    const { request } = this.restockPreview;
    this.busy = true;
    try {
      const order = await replenish(request);
      await this.rememberOrderUrl(order);
      this.orders = [this.orderRow(order), ...this.orders];
      this.inventory = await listInventory({});
      this.restockErrors = [];
      this.restockPreview = undefined;
      this.resolveShortfall(request.lines, request.currencyCode);
      const [{ productId, quantity }] = request.lines;
      this.toast(
        `Stock order ${order.number} placed`,
        `${quantity} × ${this.productNames.get(productId) ?? productId} added to your stock.`,
      );
    } catch (error) {
      this.restockErrors = errorMessages(error);
    } finally {
      this.busy = false;
    }
  }

  /**
   * What the purchase settled of the shortfall: each bought licence counts against what was missing; a licence
   * still short stays in the banner (and keeps its Short tag), and the next one is prepared. The banner goes
   * only when nothing is missing any more.
   */
  resolveShortfall(bought, currency) {
    if (!this.shortfall) {
      this.restock = { ...this.restock, quantity: '' };
      return;
    }
    const added = new Map();
    for (const l of bought) added.set(l.productId, (added.get(l.productId) ?? 0) + Number(l.quantity));
    const products = this.shortfall.products
      .map((p) => {
        const got = added.get(p.productId) ?? 0;
        return { ...p, missing: String(Number(p.missing) - got), inStock: String(Number(p.inStock) + got) };
      })
      .filter((p) => Number(p.missing) > 0);
    if (products.length === 0) {
      this.shortfall = undefined;
      this.restock = { ...this.restock, quantity: '' };
      return;
    }
    this.shortfall = { ...this.shortfall, products };
    this.restock = { productId: products[0].productId, quantity: products[0].missing, currency };
  }
}
