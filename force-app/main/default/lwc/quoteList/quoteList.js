import { LightningElement } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import listQuotes from '@salesforce/apex/QuoteController.listQuotes';
import createQuote from '@salesforce/apex/QuoteController.createQuote';
import listEndCustomers from '@salesforce/apex/QuoteController.listEndCustomers';
import createEndCustomer from '@salesforce/apex/QuoteController.createEndCustomer';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import listMyAgreements from '@salesforce/apex/AgreementController.listMyAgreements';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import { QUOTE_STATUS_LABELS, errorMessages, formatDate, formatMoney, quoteBadges, quotePage } from 'c/cpqUtils';

/** Waits this long after the last keystroke before searching (one server call per pause, not per key). */
export const SEARCH_DELAY_MS = 300;

/** Rows shown at a time; "Show more" adds as many. */
export const PAGE_SIZE = 50;

/** An exact comparison of two decimal strings (never through floats). */
function compareDecimals(a, b) {
  const [aw, af = ''] = String(a ?? '0').split('.');
  const [bw, bf = ''] = String(b ?? '0').split('.');
  const digits = Math.max(af.length, bf.length);
  const scaled = (w, f) => BigInt(w + f.padEnd(digits, '0'));
  const x = scaled(aw, af);
  const y = scaled(bw, bf);
  return x < y ? -1 : x > y ? 1 : 0;
}

const byText = (field) => (a, b) => String(a[field] ?? '').localeCompare(String(b[field] ?? ''), undefined, { numeric: true });
// Amounts in different currencies are not comparable: the currency first, then the amount.
const byAmount = (field) => (a, b) => String(a.currency).localeCompare(String(b.currency)) || compareDecimals(a[field], b[field]);

const SORTS = {
  number: byText('number'),
  name: byText('name'),
  endCustomerName: byText('endCustomerName'),
  resellerName: byText('resellerName'),
  distributorName: byText('distributorName'),
  statusLabel: byText('statusLabel'),
  // ISO dates sort as text.
  startDate: byText('startDate'),
  expiryDate: byText('expiryDate'),
  customerTotal: byAmount('customerTotal'),
  partnerTotal: byAmount('partnerTotal'),
  netTotal: byAmount('netTotal'),
};

const SORT_LABELS = {
  number: 'quote number',
  name: 'name',
  endCustomerName: 'end customer',
  resellerName: 'reseller',
  distributorName: 'distributor',
  statusLabel: 'status',
  startDate: 'start date',
  expiryDate: 'expiry date',
  customerTotal: 'customer total',
  partnerTotal: 'partner total',
  netTotal: 'net total',
};

function todayIso() {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The caller's quotes (QuoteController.listQuotes): a status filter, a debounced search, a link to each
 * quote, and for resellers a "New quote" form (end customer, currency, start date) that opens the new quote.
 * Resellers never see a Net column (the server sends no netTotal to them either).
 */
export default class QuoteList extends NavigationMixin(LightningElement) {
  user;
  quotes = [];
  status = '';
  search = '';
  loading = true;
  errors = [];

  /** The column the list is sorted by (undefined: the server's order) and the direction. */
  sortBy;
  sortDirection = 'ascending';
  /** How many rows are shown: a page at a time. */
  shown = PAGE_SIZE;

  showNewQuote = false;
  endCustomers = [];
  /** The reseller's agreements (listMyAgreements), for the distributors it may quote through. */
  agreements = [];
  currencies = [];
  newQuote = { endCustomerId: '', currency: '', startDate: todayIso() };
  newQuoteErrors = [];
  showNewCustomer = false;
  newCustomer = { name: '', country: '', registrationNumber: '' };
  newCustomerNote;
  addingCustomer = false;
  creating = false;

  searchTimer;
  requestSeq = 0;

  async connectedCallback() {
    try {
      this.user = await getCurrentUser();
      await this.load();
    } catch (error) {
      this.errors = errorMessages(error);
      this.loading = false;
    }
  }

  disconnectedCallback() {
    clearTimeout(this.searchTimer);
  }

  async load() {
    const seq = ++this.requestSeq;
    this.loading = true;
    const params = {};
    if (this.status) params.status = this.status;
    if (this.search.trim()) params.search = this.search.trim();
    try {
      const quotes = await listQuotes(params);
      const urls = await Promise.all(quotes.map((q) => this[NavigationMixin.GenerateUrl](quotePage(q.id))));
      // A slower answer to an older filter must not overwrite a newer one.
      if (seq !== this.requestSeq) return;
      this.quotes = quotes.map((q, i) => this.row(q, urls[i]));
      this.shown = PAGE_SIZE;
      this.errors = [];
    } catch (error) {
      if (seq === this.requestSeq) this.errors = errorMessages(error);
    } finally {
      if (seq === this.requestSeq) this.loading = false;
    }
  }

  row(q, url) {
    return {
      ...q,
      url,
      statusLabel: QUOTE_STATUS_LABELS[q.status] ?? q.status,
      customerTotalText: formatMoney(q.customerTotal, q.currency),
      partnerTotalText: formatMoney(q.partnerTotal, q.currency),
      netTotalText: formatMoney(q.netTotal, q.currency),
      startDateText: formatDate(q.startDate),
      expiryDateText: formatDate(q.expiryDate),
      linkTitle: `Open quote ${q.number}`,
      badges: quoteBadges(q),
    };
  }

  get isReseller() {
    return this.user?.role === 'resellerUser';
  }

  get showNet() {
    return Boolean(this.user) && !this.isReseller;
  }

  /** A distributor's quotes are all its own: the column would repeat its name. */
  get showDistributor() {
    return Boolean(this.user) && this.user.role !== 'distributorUser';
  }

  get showReseller() {
    return Boolean(this.user) && !this.isReseller;
  }

  get hasQuotes() {
    return this.quotes.length > 0;
  }

  get isEmpty() {
    return !this.loading && this.errors.length === 0 && this.quotes.length === 0;
  }

  get hasErrors() {
    return this.errors.length > 0;
  }

  get statusOptions() {
    return [
      { label: 'All statuses', value: '' },
      ...Object.entries(QUOTE_STATUS_LABELS).map(([value, label]) => ({ label, value })),
    ].map((o) => ({ ...o, selected: o.value === this.status }));
  }

  get countText() {
    const total = this.quotes.length;
    if (total > this.shown) return `Showing ${this.shown} of ${total} quotes`;
    return total === 1 ? '1 quote' : `${total} quotes`;
  }

  // ---------------------------------------------------------------- sorting and paging

  /** The list in the chosen order (the server's, most recently changed first, until a column is chosen). */
  get sortedQuotes() {
    if (!this.sortBy) return this.quotes;
    const compare = SORTS[this.sortBy];
    const direction = this.sortDirection === 'descending' ? -1 : 1;
    return [...this.quotes].sort((a, b) => direction * compare(a, b));
  }

  get shownQuotes() {
    return this.sortedQuotes.slice(0, this.shown);
  }

  get hasMore() {
    return this.quotes.length > this.shown;
  }

  get showMoreLabel() {
    return `Show ${Math.min(PAGE_SIZE, this.quotes.length - this.shown)} more`;
  }

  get caption() {
    if (!this.sortBy) return 'Your quotes, most recently changed first';
    return `Your quotes, by ${SORT_LABELS[this.sortBy]}, ${this.sortDirection}`;
  }

  /** Per column: aria-sort, the arrow shown and the button's title. */
  get sort() {
    const state = {};
    for (const key of Object.keys(SORTS)) {
      const active = key === this.sortBy;
      const next = active && this.sortDirection === 'ascending' ? 'descending' : 'ascending';
      state[key] = {
        aria: active ? this.sortDirection : 'none',
        icon: active ? (this.sortDirection === 'ascending' ? 'utility:arrowup' : 'utility:arrowdown') : '',
        title: `Sort by ${SORT_LABELS[key]}, ${next}`,
      };
    }
    return state;
  }

  handleSort(event) {
    const key = event.currentTarget.dataset.sort;
    this.sortDirection = key === this.sortBy && this.sortDirection === 'ascending' ? 'descending' : 'ascending';
    this.sortBy = key;
  }

  handleShowMore() {
    this.shown += PAGE_SIZE;
  }

  handleStatusChange(event) {
    this.status = event.target.value;
    this.load();
  }

  handleSearchChange(event) {
    this.search = event.target.value ?? '';
    clearTimeout(this.searchTimer);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.searchTimer = setTimeout(() => this.load(), SEARCH_DELAY_MS);
  }

  // New quote (resellers)

  async handleNewQuote() {
    this.showNewQuote = true;
    this.newQuoteErrors = [];
    if (this.endCustomers.length > 0) return;
    try {
      const [customers, catalog, agreements] = await Promise.all([listEndCustomers({}), getCatalog({}), listMyAgreements({})]);
      this.endCustomers = customers.map(customerOption);
      this.agreements = agreements || [];
      const codes = new Set();
      for (const p of catalog.products) for (const price of p.prices) codes.add(price.currency);
      this.currencies = [...codes].sort().map((c) => ({ label: c, value: c }));
      if (!this.newQuote.currency && this.currencies.length > 0) {
        this.newQuote = { ...this.newQuote, currency: this.currencies[0].value };
      }
    } catch (error) {
      this.newQuoteErrors = errorMessages(error);
    }
  }

  handleShowNewCustomer() {
    this.showNewCustomer = true;
    this.newCustomerNote = undefined;
  }

  handleCancelNewCustomer() {
    this.showNewCustomer = false;
  }

  handleNewCustomerField(event) {
    this.newCustomer = { ...this.newCustomer, [event.target.dataset.field]: event.target.value ?? '' };
  }

  /** Adds the company, or gets the account it already is (the server de-duplicates), and chooses it. */
  async handleAddCustomer() {
    const { name, country, registrationNumber } = this.newCustomer;
    if (!name.trim() || !country.trim()) {
      this.newQuoteErrors = ['Enter the company name and its country (two letters, such as SE).'];
      return;
    }
    this.addingCustomer = true;
    try {
      const endCustomer = { name, country };
      if (registrationNumber.trim()) endCustomer.registrationNumber = registrationNumber;
      const result = await createEndCustomer({ endCustomer });
      const added = result.endCustomer;
      if (!this.endCustomers.some((o) => o.value === added.id)) {
        this.endCustomers = [...this.endCustomers, customerOption(added)].sort((a, b) => a.label.localeCompare(b.label));
      }
      this.newQuote = { ...this.newQuote, endCustomerId: added.id };
      this.newCustomerNote = result.created
        ? `${added.name} was added and is chosen.`
        : `${added.name} already has an account: it is chosen, and no duplicate was made.`;
      this.showNewCustomer = false;
      this.newCustomer = { name: '', country: '', registrationNumber: '' };
      this.newQuoteErrors = [];
    } catch (error) {
      this.newQuoteErrors = errorMessages(error);
    } finally {
      this.addingCustomer = false;
    }
  }

  get endCustomerOptions() {
    return this.endCustomers.map((o) => ({ ...o, selected: o.value === this.newQuote.endCustomerId }));
  }

  get currencyOptions() {
    return this.currencies.map((o) => ({ ...o, selected: o.value === this.newQuote.currency }));
  }

  get hasNewQuoteErrors() {
    return this.newQuoteErrors.length > 0;
  }

  handleNewQuoteField(event) {
    const field = event.target.dataset.field;
    this.newQuote = { ...this.newQuote, [field]: event.target.value };
  }

  handleCancelNewQuote() {
    this.showNewQuote = false;
  }

  handleNewQuoteKeydown(event) {
    if (event.key === 'Escape') this.showNewQuote = false;
  }

  /** The sellers of the reseller's Active agreements valid on the chosen start date (createQuote refuses others). */
  get distributorOptions() {
    const start = this.newQuote.startDate;
    const options = new Map();
    for (const a of this.agreements) {
      const valid = a.status === 'Active' && (!start || (a.validFrom <= start && (!a.validTo || a.validTo >= start)));
      if (valid) options.set(a.sellerId, a.sellerName);
    }
    return [...options]
      .sort((x, y) => x[1].localeCompare(y[1]))
      .map(([value, label]) => ({ value, label, selected: value === this.newQuote.distributorId }));
  }

  get noDistributorChosen() {
    return !this.newQuote.distributorId;
  }

  async handleCreateQuote() {
    // Shows each field's own message; the values decide.
    this.template.querySelectorAll('.new-quote-field').forEach((input) => input.reportValidity());
    const { endCustomerId, currency, startDate, distributorId } = this.newQuote;
    if (!endCustomerId || !currency || !startDate) {
      this.newQuoteErrors = ['Choose an end customer, a currency and a start date.'];
      return;
    }
    this.creating = true;
    try {
      const quote = { endCustomerId, currency, startDate };
      // Only a distributor still offered on the start date (the start date may have changed since it was chosen).
      if (distributorId && this.distributorOptions.some((o) => o.value === distributorId)) quote.distributorId = distributorId;
      const detail = await createQuote({ quote });
      this.showNewQuote = false;
      this.dispatchEvent(
        new ShowToastEvent({ title: `Quote ${detail.quote.number} created`, message: 'Add products to it.', variant: 'success' }),
      );
      this[NavigationMixin.Navigate](quotePage(detail.quote.id));
    } catch (error) {
      this.newQuoteErrors = errorMessages(error);
    } finally {
      this.creating = false;
    }
  }
}

function customerOption(c) {
  return { label: c.country ? `${c.name} (${c.country})` : c.name, value: c.id };
}
