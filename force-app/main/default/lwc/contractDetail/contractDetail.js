import { LightningElement, api } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getContract from '@salesforce/apex/RenewalController.getContract';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import { errorMessages, formatDate, formatMoney, namedPage, orderPage, PAGES, parseError, quotePage } from 'c/cpqUtils';

const RENEWAL_LABELS = {
  None: 'No renewal quote yet',
  Quoted: 'Renewal quoted',
  Accepted: 'Renewal accepted',
  Renewed: 'Renewed',
  Lapsed: 'Renewal lapsed',
};

/** A decimal string as [digits, scale]: "855.50" -> [85550n, 2]. */
function scaled(text) {
  const [whole, fraction = ''] = String(text).split('.');
  return [BigInt(`${whole}${fraction}`), fraction.length];
}

/**
 * unit × quantity, exactly, written with the unit's decimals (half away from zero when a fractional quantity
 * leaves more): the value of a subscription at its contract prices.
 */
export function lineValue(unit, quantity) {
  if (unit === undefined || unit === null || quantity === undefined || quantity === null) return undefined;
  const [u, du] = scaled(unit);
  const [q, dq] = scaled(quantity);
  let product = u * q;
  if (dq > 0) {
    const div = 10n ** BigInt(dq);
    const negative = product < 0n;
    const abs = negative ? -product : product;
    const rounded = (abs + div / 2n) / div;
    product = negative ? -rounded : rounded;
  }
  return writeScaled(product, du);
}

function writeScaled(value, decimals) {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0');
  const text = decimals > 0 ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}` : digits;
  return negative ? `-${text}` : text;
}

/** The sum of decimal strings of one scale (the contract's currency). */
export function sumOf(values) {
  const present = values.filter((v) => v !== undefined);
  if (present.length === 0) return undefined;
  const decimals = Math.max(...present.map((v) => scaled(v)[1]));
  const total = present.reduce((sum, v) => {
    const [digits, d] = scaled(v);
    return sum + digits * 10n ** BigInt(decimals - d);
  }, 0n);
  return writeScaled(total, decimals);
}

/**
 * One contract's page (/contract/<id>): number, status and renewal, the parties by name, dates in the user's
 * locale, and the subscriptions with the unit prices and values the viewer may see: Customer and Partner for
 * everyone who may read the contract, Net only when the server sent it (never to a reseller,
 * RenewalController.getContract). Links to the renewal quote and, for those who see orders, to the order.
 */
export default class ContractDetail extends NavigationMixin(LightningElement) {
  @api recordId;
  contract;
  user;
  subscriptions = [];
  loading = true;
  errors = [];
  notFound = false;
  renewalUrl;
  orderUrl;
  renewalsUrl;

  async connectedCallback() {
    try {
      const [contract, catalog, user] = await Promise.all([
        getContract({ contractId: this.recordId }),
        getCatalog({}),
        getCurrentUser(),
      ]);
      this.user = user;
      const names = new Map(catalog.products.map((p) => [p.id, p.name ?? p.sku ?? p.id]));
      const [renewalUrl, orderUrl, renewalsUrl] = await Promise.all([
        contract.renewalQuoteId ? this[NavigationMixin.GenerateUrl](quotePage(contract.renewalQuoteId)) : undefined,
        // The order's page is the Orders page's: not a reseller's.
        contract.orderId && user.role !== 'resellerUser'
          ? this[NavigationMixin.GenerateUrl](orderPage(contract.orderId))
          : undefined,
        this[NavigationMixin.GenerateUrl](namedPage(PAGES.renewals)),
      ]);
      this.renewalUrl = renewalUrl;
      this.orderUrl = orderUrl;
      this.renewalsUrl = renewalsUrl;
      const cur = contract.currency;
      this.subscriptions = contract.subscriptions.map((s) => {
        const customerValue = lineValue(s.customerUnit, s.quantity);
        const partnerValue = lineValue(s.partnerUnit, s.quantity);
        const netValue = lineValue(s.netUnit, s.quantity);
        return {
          key: s.id,
          product: names.get(s.productId) ?? s.productId,
          quantity: s.quantity,
          termText: `${s.termMonths} mo`,
          customerValue,
          partnerValue,
          netValue,
          customerUnitText: formatMoney(s.customerUnit, cur),
          customerAmountText: formatMoney(customerValue, cur),
          partnerUnitText: formatMoney(s.partnerUnit, cur),
          partnerAmountText: formatMoney(partnerValue, cur),
          netUnitText: formatMoney(s.netUnit, cur),
          netAmountText: formatMoney(netValue, cur),
        };
      });
      this.contract = contract;
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

  get showReseller() {
    return Boolean(this.user) && this.user.role !== 'resellerUser';
  }

  /** Net only when the server sent it: never to a reseller. */
  get showNet() {
    return this.contract?.subscriptions.some((s) => s.netUnit !== undefined && s.netUnit !== null) ?? false;
  }

  get title() {
    return this.contract ? `Contract ${this.contract.number}` : '';
  }

  get statusClass() {
    return this.contract?.status === 'Active' ? 'slds-badge slds-theme_success status' : 'slds-badge status';
  }

  get renewalLabel() {
    return RENEWAL_LABELS[this.contract?.renewalStatus] ?? this.contract?.renewalStatus ?? '';
  }

  get startDateText() {
    return formatDate(this.contract?.startDate);
  }

  get endDateText() {
    return formatDate(this.contract?.endDate);
  }

  get termText() {
    return this.contract ? `${this.contract.termMonths} months` : '';
  }

  get customerTotalText() {
    return formatMoney(sumOf(this.subscriptions.map((s) => s.customerValue)), this.contract?.currency);
  }

  get partnerTotalText() {
    return formatMoney(sumOf(this.subscriptions.map((s) => s.partnerValue)), this.contract?.currency);
  }

  get netTotalText() {
    return formatMoney(sumOf(this.subscriptions.map((s) => s.netValue)), this.contract?.currency);
  }

  get subscriptionCountText() {
    return this.subscriptions.length === 1 ? '1 subscription' : `${this.subscriptions.length} subscriptions`;
  }

  get subscriptionsHeading() {
    return `Subscriptions (${this.subscriptionCountText})`;
  }
}
