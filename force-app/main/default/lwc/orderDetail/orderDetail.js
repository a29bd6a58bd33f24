import { LightningElement, api } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getOrder from '@salesforce/apex/OrderController.getOrder';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import { errorMessages, formatDate, formatMoney, namedPage, PAGES, parseError, quotePage } from 'c/cpqUtils';

/**
 * One order's page (/order/<id>): number, kind, status, the parties by name, the order date in the user's
 * locale, the totals and the frozen line prices the viewer may see. The server leaves Net out of a reseller's
 * answer (OrderController.getOrder), so the Net columns show only when the answer has them; a stock order
 * (a distributor buying from the vendor) has Net prices only.
 */
export default class OrderDetail extends NavigationMixin(LightningElement) {
  @api recordId;
  order;
  lines = [];
  loading = true;
  errors = [];
  notFound = false;
  quoteUrl;
  ordersUrl;

  async connectedCallback() {
    try {
      const [order, catalog] = await Promise.all([getOrder({ orderId: this.recordId }), getCatalog({})]);
      const names = new Map(catalog.products.map((p) => [p.id, p.name ?? p.sku ?? p.id]));
      const [quoteUrl, ordersUrl] = await Promise.all([
        order.quoteId ? this[NavigationMixin.GenerateUrl](quotePage(order.quoteId)) : undefined,
        this[NavigationMixin.GenerateUrl](namedPage(PAGES.orders)),
      ]);
      this.quoteUrl = quoteUrl;
      this.ordersUrl = ordersUrl;
      this.order = order;
      this.lines = order.lines.map((l) => ({
        key: l.id,
        product: names.get(l.productId) ?? l.productId,
        quantity: l.quantity,
        termText: l.termMonths === null || l.termMonths === undefined ? '' : `${l.termMonths} mo`,
        customerUnitText: formatMoney(l.customer, order.currency),
        customerAmountText: formatMoney(l.customerTotal, order.currency),
        partnerUnitText: formatMoney(l.partner, order.currency),
        partnerAmountText: formatMoney(l.partnerTotal, order.currency),
        netUnitText: formatMoney(l.net, order.currency),
        netAmountText: formatMoney(l.netTotal, order.currency),
      }));
    } catch (error) {
      if (parseError(error).code === 'NOT_FOUND') this.notFound = true;
      else this.errors = errorMessages(error);
    } finally {
      this.loading = false;
    }
  }

  get hasErrors() {
    return this.errors.length > 0;
  }

  get isStock() {
    return this.order?.kind === 'replenishment';
  }

  /** Customer and Partner prices: a resale order's (a stock order has only the vendor's Net price). */
  get showResale() {
    return Boolean(this.order) && !this.isStock;
  }

  /** Net: only when the server sent it (never to a reseller). */
  get showNet() {
    return this.order?.netTotal !== undefined && this.order?.netTotal !== null;
  }

  get title() {
    return this.order ? `${this.isStock ? 'Stock order' : 'Order'} ${this.order.number}` : '';
  }

  get kindLabel() {
    return this.isStock ? 'Stock from the vendor' : 'Resale';
  }

  get statusClass() {
    return this.order?.status === 'Activated' ? 'slds-badge slds-theme_success status' : 'slds-badge status';
  }

  get orderDateText() {
    return formatDate(this.order?.orderDate);
  }

  get customerTotalText() {
    return formatMoney(this.order?.customerTotal, this.order?.currency);
  }

  get partnerTotalText() {
    return formatMoney(this.order?.partnerTotal, this.order?.currency);
  }

  get netTotalText() {
    return formatMoney(this.order?.netTotal, this.order?.currency);
  }

  get lineCountText() {
    return this.lines.length === 1 ? '1 line' : `${this.lines.length} lines`;
  }

  get linesHeading() {
    return `Lines (${this.lineCountText})`;
  }
}
