import { LightningElement } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import listContracts from '@salesforce/apex/RenewalController.listContracts';
import listRenewalQuotes from '@salesforce/apex/RenewalController.listRenewalQuotes';
import acceptQuote from '@salesforce/apex/QuoteController.acceptQuote';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import { contractPage, errorMessages, formatDate, formatMoney, quotePage } from 'c/cpqUtils';

/** Contracts ending within this many days are flagged: renewal quotes are generated 90 days ahead. */
export const SOON_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The contract's renewal status (core/renewals.ts contractRenewalStatus, RenewalService.renewalStatus): once
 * the renewal quote is accepted or ordered, the contract is no longer "Renewal due".
 */
const RENEWAL_BADGES = {
  Accepted: { label: 'Renewal accepted', className: 'slds-badge slds-theme_success slds-m-left_x-small renewal-status' },
  Renewed: { label: 'Renewed', className: 'slds-badge slds-theme_success slds-m-left_x-small renewal-status' },
  Lapsed: { label: 'Renewal lapsed', className: 'slds-badge slds-theme_error slds-m-left_x-small renewal-status' },
};

/** Whole days from today (the browser's UTC date) to a YYYY-MM-DD date. */
function daysUntil(date, today) {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/**
 * Renewals: the contracts in reach by end date with the days left, and the renewal quotes the server
 * generated from them (90 days ahead), each with a link to open it; a reseller accepts one here when the
 * end customer agreed (QuoteController.acceptQuote), or opens it to change it first.
 */
export default class RenewalList extends NavigationMixin(LightningElement) {
  user;
  contracts = [];
  quotes = [];
  loading = true;
  errors = [];
  quoteErrors = [];
  urls = new Map();
  contractUrls = new Map();

  async connectedCallback() {
    try {
      const [user, contracts, quotes] = await Promise.all([getCurrentUser(), listContracts({}), listRenewalQuotes({})]);
      this.user = user;
      const ids = [...new Set([...quotes.map((q) => q.id), ...contracts.map((c) => c.renewalQuoteId).filter(Boolean)])];
      const urls = await Promise.all(ids.map((id) => this[NavigationMixin.GenerateUrl](quotePage(id))));
      this.urls = new Map(ids.map((id, i) => [id, urls[i]]));
      const contractUrls = await Promise.all(contracts.map((c) => this[NavigationMixin.GenerateUrl](contractPage(c.id))));
      this.contractUrls = new Map(contracts.map((c, i) => [c.id, contractUrls[i]]));
      const today = new Date().toISOString().slice(0, 10);
      const numbers = new Map(quotes.map((q) => [q.id, q.number]));
      this.today = today;
      this.numbers = numbers;
      this.contracts = contracts.map((c) => this.contractRow(c, today, numbers));
      this.quotes = quotes.map((q) => this.quoteRow(q));
    } catch (error) {
      this.errors = errorMessages(error);
    } finally {
      this.loading = false;
    }
  }

  contractRow(c, today, numbers) {
    const days = daysUntil(c.endDate, today);
    const badge = RENEWAL_BADGES[c.renewalStatus];
    // Due while nothing settled the renewal: no quote yet, or one still waiting for the end customer.
    const soon = c.status === 'Active' && days >= 0 && days <= SOON_DAYS && !badge;
    let daysText;
    if (c.status !== 'Active') daysText = c.status;
    else if (days < 0) daysText = `ended ${-days} days ago`;
    else daysText = days === 1 ? '1 day' : `${days} days`;
    return {
      ...c,
      daysLeft: days,
      daysText,
      endDateText: formatDate(c.endDate),
      url: this.contractUrls.get(c.id),
      linkTitle: `Open contract ${c.number}`,
      rowClass: soon ? 'contract-row slds-theme_shade' : 'contract-row',
      soon,
      renewalBadge: badge?.label ?? '',
      renewalBadgeClass: badge?.className ?? '',
      products: c.subscriptions.length === 1 ? '1 subscription' : `${c.subscriptions.length} subscriptions`,
      renewalUrl: c.renewalQuoteId ? this.urls.get(c.renewalQuoteId) : undefined,
      renewalLabel: c.renewalQuoteId ? (numbers.get(c.renewalQuoteId) ?? 'Open renewal') : '',
    };
  }

  quoteRow(q) {
    const acceptable = q.status === 'Approved' || (q.status === 'Draft' && !q.approvalRequired);
    return {
      ...q,
      url: this.urls.get(q.id),
      linkTitle: `Open renewal quote ${q.number}`,
      startDateText: formatDate(q.startDate),
      expiryDateText: formatDate(q.expiryDate),
      customerTotalText: formatMoney(q.customerTotal, q.currency),
      partnerTotalText: formatMoney(q.partnerTotal, q.currency),
      canAccept: this.isReseller && acceptable,
      acceptTitle: `Record that ${q.endCustomerName} accepted renewal ${q.number}`,
    };
  }

  get isReseller() {
    return this.user?.role === 'resellerUser';
  }

  get showReseller() {
    return Boolean(this.user) && !this.isReseller;
  }

  get hasErrors() {
    return this.errors.length > 0;
  }

  get hasQuoteErrors() {
    return this.quoteErrors.length > 0;
  }

  get hasContracts() {
    return this.contracts.length > 0;
  }

  get hasQuotes() {
    return this.quotes.length > 0;
  }

  async handleAccept(event) {
    const quoteId = event.target.dataset.id;
    const quote = this.quotes.find((q) => q.id === quoteId);
    this.quoteErrors = [];
    try {
      const detail = await acceptQuote({ quoteId, version: quote.version });
      const accepted = { status: detail.quote.status, version: detail.quote.version };
      this.quotes = this.quotes.map((q) => {
        return q.id === quoteId ? this.quoteRow({ ...q, ...accepted }) : q;
      });
      // Its contracts are no longer due: the server derives the same from the quote's status on the next read.
      this.contracts = this.contracts.map((c) => {
        const settled = c.renewalQuoteId === quoteId && accepted.status === 'Accepted';
        return settled ? this.contractRow({ ...c, renewalStatus: 'Accepted' }, this.today, this.numbers) : c;
      });
      this.dispatchEvent(
        new ShowToastEvent({
          title: `Renewal ${quote.number} accepted`,
          message: 'Ask your distributor to order it from the quote.',
          variant: 'success',
        }),
      );
    } catch (error) {
      this.quoteErrors = errorMessages(error).map((m) => `${quote.number}: ${m}`);
    }
  }
}
