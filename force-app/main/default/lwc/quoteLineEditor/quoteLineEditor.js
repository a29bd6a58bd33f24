import { LightningElement, api } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import getQuote from '@salesforce/apex/QuoteController.getQuote';
import getPricingContext from '@salesforce/apex/QuoteController.getPricingContext';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import saveQuote from '@salesforce/apex/QuoteController.saveQuote';
import submitForApproval from '@salesforce/apex/QuoteController.submitForApproval';
import withdrawApproval from '@salesforce/apex/QuoteController.withdrawApproval';
import acceptQuote from '@salesforce/apex/QuoteController.acceptQuote';
import cloneQuote from '@salesforce/apex/QuoteController.cloneQuote';
import requestOrder from '@salesforce/apex/OrderController.requestOrder';
import submitOrder from '@salesforce/apex/OrderController.submitOrder';
import listOrderTerms from '@salesforce/apex/AgreementController.listOrderTerms';
import saveDocument from '@salesforce/apex/QuoteDocumentController.saveDocument';
import {
  QUOTE_STATUS_LABELS,
  approvalStillNeeded,
  errorMessages,
  formatDate,
  formatMoney,
  isConflict,
  parseError,
  quotePage,
} from 'c/cpqUtils';
import { MAX_QUOTE_LINES, minorUnits } from 'c/cpqEngine';
import { parsePastedLines } from './pastedLines';
import { mergeSaved } from './savedAnswer';
import { LocalPricer, formatMinor, toMinor } from './localPricing';
import { LINE_NOTES_MAX, QUOTE_NOTES_MAX, fieldError, noteError, noteOf, normalise, saveLine } from './lineInput';

/** Typing re-prices after this pause; Enter or leaving the cell re-prices at once. */
const TYPING_DEBOUNCE_MS = 60;

const FIELD_NAMES = {
  group: 'Group',
  quantity: 'Quantity',
  termMonths: 'Term',
  additionalDiscountPercent: 'Additional discount %',
  additionalDiscountAmount: 'Additional discount amount',
};

/** As the server checks it (services/quotes.ts acceptConfirmationSchema, QuoteService.purchaseOrderNumberOf). */
const PURCHASE_ORDER_NUMBER = /^[A-Za-z0-9][A-Za-z0-9 ._/#-]*$/;
const PURCHASE_ORDER_NUMBER_MAX = 40;

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * The quote line editor: the quote's header and lines, live re-pricing in the browser with c/cpqEngine as
 * the partner types, server pricing on save (authoritative, replaces the local figures), approval, accept
 * and order actions per the server's `actions`, and an unsaved-changes guard. docs/EDITOR.md describes
 * its events and test hooks.
 */
export default class QuoteLineEditor extends NavigationMixin(LightningElement) {
  /** The Channel_Quote__c id. */
  @api recordId;

  loading = true;
  loadError;
  user;
  detail;
  context;
  /** [{ key, input, view, product, errors }] in line order; replaced (never mutated) on every change. */
  entries = [];
  catalogProducts = [];
  /** The problems of the rows last pasted (none added). */
  pasteErrors = [];
  /** Lines ticked for a mass edit (keys), the values to set on them, and why they could not be set. */
  checkedKeys = [];
  /** Words the lines shown must all contain (product name, SKU, group); empty: every line. */
  lineFilter = '';
  /** The grid's sort: a view of the lines, never their saved order ({ field, direction } or none). */
  lineSort = { field: undefined, direction: undefined };
  massEdit = { quantity: '', termMonths: '', additionalDiscountPercent: '' };
  massErrors = [];
  header = { name: '', startDate: '', termMonths: '' };
  headerErrors = {};
  totals;
  approvalRequired = false;
  pricingSource = 'server';
  pricingSeq = 0;
  pricingError;
  dirty = false;
  invalidCount = 0;
  busy = false;
  conflict;
  actionErrors = [];
  selectedKey;
  submitOpen = false;
  /** The line note dialog: { key, lineNumber, text, error }, or undefined when closed. */
  lineNote;
  comment = '';
  commentError;
  acceptOpen = false;
  purchaseOrderNumber = '';
  purchaseOrderError;
  /** The reseller's order terms with the quote's distributor: undefined until read, null for none. */
  orderTerms;

  // Not rendered: the browser pricer and bookkeeping.
  pricer;
  productIndex = new Map();
  invalidKeys = new Set();
  newLineCount = 0;
  typingTimer;
  seedTimer;
  editStartedAt;
  pendingPricingEvent;
  focusCommentOnRender = false;
  focusPurchaseOrderOnRender = false;

  /** True while the partner has changes the server has not saved: the shell asks before leaving. */
  @api
  get hasUnsavedChanges() {
    return this.dirty;
  }

  connectedCallback() {
    window.addEventListener('beforeunload', this.handleBeforeUnload);
    this.load();
  }

  disconnectedCallback() {
    window.removeEventListener('beforeunload', this.handleBeforeUnload);
    clearTimeout(this.typingTimer);
    clearTimeout(this.seedTimer);
  }

  renderedCallback() {
    if (this.pendingPricingEvent) {
      const { source, startedAt, sequence } = this.pendingPricingEvent;
      this.pendingPricingEvent = undefined;
      this.dispatchEvent(
        new CustomEvent('pricingcomplete', {
          bubbles: true,
          composed: true,
          detail: {
            source,
            sequence,
            lineCount: this.entries.length,
            durationMs: startedAt === undefined ? null : Math.round((now() - startedAt) * 10) / 10,
          },
        }),
      );
    }
    if (this.focusPurchaseOrderOnRender) {
      const field = this.template.querySelector('[data-id="purchase-order-number"]');
      if (field) {
        this.focusPurchaseOrderOnRender = false;
        field.focus();
      }
    }
    // A textarea's text is its value property, which a template does not set: set here.
    const quoteNotes = this.template.querySelector('[data-id="quote-notes"]');
    if (quoteNotes && quoteNotes.value !== this.header.notes) quoteNotes.value = this.header.notes;
    if (this.lineNote && !this.lineNote.focused) {
      const area = this.template.querySelector('[data-id="line-note-text"]');
      if (area) {
        this.lineNote.focused = true;
        area.value = this.lineNote.text;
        area.focus();
      }
    }
    if (this.focusCommentOnRender) {
      const comment = this.template.querySelector('[data-id="approval-comment"]');
      if (comment) {
        this.focusCommentOnRender = false;
        comment.focus();
      }
    }
  }

  handleBeforeUnload = (event) => {
    if (!this.dirty) return undefined;
    event.preventDefault();
    // Older browsers show the prompt only when returnValue is set.
    event.returnValue = '';
    return '';
  };

  // ---------------------------------------------------------------- loading

  async load() {
    this.loading = true;
    this.loadError = undefined;
    try {
      const quoteId = this.recordId;
      // The catalog (for the product search) comes in parallel, off the first render's path; settled here so
      // that a failed load does not leave its rejection unhandled.
      const catalog = getCatalog({ quoteId }).then(
        (result) => ({ result }),
        (error) => ({ error }),
      );
      const [user, detail, context] = await Promise.all([
        getCurrentUser(),
        getQuote({ quoteId }),
        getPricingContext({ quoteId }),
      ]);
      this.user = user;
      this.context = context;
      this.productIndex = new Map((context.scenario.products || []).map((p) => [p.id, p]));
      this.applyDetail(detail);
      this.loadCatalog(catalog);
    } catch (error) {
      this.loadError = errorMessages(error).join(' ');
    } finally {
      this.loading = false;
    }
  }

  async loadCatalog(loading) {
    const { result, error } = await loading;
    if (error) {
      this.actionErrors = [`The product catalog could not be loaded: ${errorMessages(error).join(' ')}`];
      return;
    }
    this.catalogProducts = result.products;
    for (const p of result.products) if (!this.productIndex.has(p.id)) this.productIndex.set(p.id, p);
  }

  /** Shows a QuoteDetail from the server: its figures are authoritative and replace the local ones. */
  applyDetail(detail) {
    this.detail = detail;
    // The server's lines replace the local ones (new lines get their record ids): nothing stays ticked.
    this.checkedKeys = [];
    this.massErrors = [];
    const q = detail.quote;
    this.header = {
      name: q.name || '',
      startDate: q.startDate || '',
      termMonths: q.termMonths ? String(q.termMonths) : '',
      notes: q.notes || '',
      additionalDiscountPercent: q.additionalDiscountPercent || '',
    };
    this.headerErrors = {};
    const priced = new Map(detail.pricing.lines.map((l) => [l.lineId, l]));
    this.entries = q.lines.map((line) => this.newEntry(line.id, this.inputOf(line), priced.get(line.id) || null));
    this.totals = detail.pricing.totals;
    this.approvalRequired = detail.pricing.approvalRequired;
    this.invalidKeys = new Set();
    this.invalidCount = 0;
    this.conflict = undefined;
    this.setDirty(false);
    this.notePriced('server', undefined);
    this.preparePricer();
    if (detail.actions?.canRequestOrder && this.orderTerms === undefined) this.loadOrderTerms(q.distributorId);
  }

  /**
   * The reseller's order terms with the quote's distributor (docs/ORDERS.md): with auto-fulfil the order
   * button places the order at once ("Place order"), else it asks the distributor ("Request order").
   */
  async loadOrderTerms(distributorId) {
    this.orderTerms = null;
    try {
      const terms = (await listOrderTerms({})) ?? [];
      this.orderTerms = terms.find((t) => t.distributorId === distributorId) ?? null;
    } catch {
      this.orderTerms = null; // the order is then requested, as without auto-fulfil
    }
  }

  inputOf(line) {
    const input = { id: line.id, productId: line.productId, quantity: String(line.quantity) };
    if (line.termMonths !== undefined && line.termMonths !== null) input.termMonths = String(line.termMonths);
    if (line.additionalDiscountPercent) input.additionalDiscountPercent = line.additionalDiscountPercent;
    if (line.additionalDiscountAmount) input.additionalDiscountAmount = line.additionalDiscountAmount;
    if (line.group) input.group = line.group;
    if (line.notes) input.notes = line.notes;
    if (line.renewalCustomerUnit) input.renewalCustomerUnit = line.renewalCustomerUnit;
    return input;
  }

  newEntry(key, input, view) {
    const p = this.productIndex.get(input.productId);
    const product = p ? { name: p.name || p.id, sku: p.sku || '', type: p.type, family: p.family } : { name: input.productId };
    // validInput: the last input without field errors, which the browser pricer holds for this line.
    return { key, input, validInput: input, view, product, errors: null };
  }

  /** The engine's input for a line (its last valid one): new lines are priced under their local key. */
  pricerInput(entry) {
    return { ...entry.validInput, id: entry.key };
  }

  /**
   * Builds the browser pricer for the shown lines, after the first render (a 10,000-line quote opens
   * without waiting for it); edits before then build it on the spot.
   */
  preparePricer() {
    this.pricer = undefined;
    clearTimeout(this.seedTimer);
    if (!this.canEdit || !this.context) return;
    // After the next paint: a frame callback runs before the paint, a timeout queued from it after.
    const later = () => {
      // eslint-disable-next-line @lwc/lwc/no-async-operation
      this.seedTimer = setTimeout(() => this.ensurePricer(true), 0);
    };
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(later);
    else later();
  }

  /**
   * `seed`: the lines are still the server's, so their figures are known and the first edit serialises one
   * line. Built during an edit instead, the first pass serialises every line (the shown ones may be stale).
   */
  ensurePricer(seed = false) {
    if (this.pricer) return this.pricer;
    try {
      const pricer = new LocalPricer(
        this.context,
        this.entries.map((e) => this.pricerInput(e)),
      );
      pricer.setHeader(this.pricedHeader(this.header));
      if (seed && !this.dirty) pricer.seed();
      this.pricer = pricer;
      this.pricingError = undefined;
    } catch (error) {
      this.pricingError = `Live re-pricing is not available (${error.message}); prices update when you save.`;
    }
    return this.pricer;
  }

  // ---------------------------------------------------------------- state shown

  get ready() {
    return !this.loading && !this.loadError && Boolean(this.detail);
  }

  get quote() {
    return this.detail ? this.detail.quote : {};
  }

  get actions() {
    return this.detail ? this.detail.actions : {};
  }

  get canEdit() {
    return Boolean(this.actions.canEdit);
  }

  get readOnly() {
    return !this.canEdit;
  }

  get role() {
    return this.user ? this.user.role : undefined;
  }

  /** Net and distributor figures: never for a reseller, whatever the data holds. */
  get showNet() {
    return this.role !== 'resellerUser' && Boolean(this.context) && this.context.view !== 'reseller';
  }

  get currency() {
    return this.quote.currency;
  }

  get decimals() {
    const digits = this.currency ? minorUnits(this.currency) : undefined;
    return digits === undefined ? 2 : digits;
  }

  get title() {
    return `${this.quote.number || ''} ${this.header.name || ''}`.trim();
  }

  /** The header's approval badge: the same rule as the quote list (cpqUtils quoteBadges). */
  get approvalBadge() {
    return approvalStillNeeded(this.quote.status, this.approvalRequired);
  }

  /** The start date as the user reads dates (shown when the quote is read only). */
  get startDateText() {
    return formatDate(this.header.startDate);
  }

  get statusLabel() {
    return QUOTE_STATUS_LABELS[this.quote.status] ?? this.quote.status;
  }

  /** The names of what a line's price trace refers to by id (parties, agreements, schedules), for its breakdown. */
  get waterfallNames() {
    const scenario = this.context?.scenario || {};
    const named = (records) => Object.fromEntries((records || []).filter((r) => r.name).map((r) => [r.id, r.name]));
    return {
      reseller: this.quote.resellerName,
      distributor: this.quote.distributorName,
      agreements: named(scenario.agreements),
      schedules: named(scenario.discountSchedules),
    };
  }

  get partiesText() {
    const q = this.quote;
    return `${q.resellerName} · via ${q.distributorName} · for ${q.endCustomerName} · ${q.currency}`;
  }

  get readOnlyReason() {
    if (this.canEdit) return '';
    if (this.role !== 'resellerUser') return 'Read only: only the reseller changes its quotes.';
    const state = { NeedsApproval: 'waiting for approval' }[this.quote.status] ?? this.statusLabel.toLowerCase();
    return `Read only: the quote is ${state}, so it can no longer be changed.`;
  }

  get lineCount() {
    return this.entries.length;
  }

  get pricedAt() {
    return String(this.pricingSeq);
  }

  get isLocalPricing() {
    return this.pricingSource === 'local';
  }

  get pricingNote() {
    return this.isLocalPricing
      ? 'Re-priced in your browser as you edit; the server prices the quote again when you save.'
      : 'Prices from the server.';
  }

  get totalsList() {
    const t = this.totals;
    if (!t) return [];
    const rows = [
      { key: 'list', label: 'List total', value: t.list },
      { key: 'customer', label: 'Customer total', value: t.customer },
      { key: 'partner', label: 'Partner total', value: t.partner },
      { key: 'resellerMargin', label: 'Reseller margin', value: t.resellerMargin },
    ];
    if (this.showNet && t.net !== undefined) {
      rows.push({ key: 'net', label: 'Net total', value: t.net });
      rows.push({ key: 'distributorMargin', label: 'Distributor margin', value: t.distributorMargin });
    }
    return rows.map((r) => ({
      ...r,
      labelKey: `${r.key}-label`,
      valueKey: `${r.key}-value`,
      text: formatMoney(r.value, this.currency),
    }));
  }

  get totalsTooLarge() {
    return !this.totals && this.entries.length > 0;
  }

  /** Subtotals per line group, in the order groups first appear (only when some line has a group). */
  get groupSubtotals() {
    const groups = new Map();
    let any = false;
    for (const e of this.entries) {
      if (e.input.group) any = true;
    }
    if (!any) return [];
    const d = this.decimals;
    for (const e of this.entries) {
      const name = e.input.group || '(no group)';
      let g = groups.get(name);
      if (!g) {
        g = { name, lines: 0, customer: 0, partner: 0, net: 0 };
        groups.set(name, g);
      }
      g.lines++;
      const v = e.view;
      if (!v) continue;
      g.customer += toMinor(v.customer.total);
      g.partner += toMinor(v.partner.total);
      if (v.net) g.net += toMinor(v.net.total);
    }
    return [...groups.values()].map((g) => ({
      key: g.name,
      name: g.name,
      lines: g.lines,
      customer: formatMoney(formatMinor(g.customer, d)),
      partner: formatMoney(formatMinor(g.partner, d)),
      net: formatMoney(formatMinor(g.net, d)),
    }));
  }

  get hasGroups() {
    return this.groupSubtotals.length > 0;
  }

  get selectedEntry() {
    if (!this.selectedKey) return undefined;
    const index = this.indexOf(this.selectedKey);
    return index < 0 ? undefined : { entry: this.entries[index], number: index + 1 };
  }

  get showWaterfall() {
    const s = this.selectedEntry;
    return Boolean(s && s.entry.view);
  }

  get waterfallLine() {
    return this.selectedEntry?.entry.view;
  }

  get waterfallNumber() {
    return this.selectedEntry?.number;
  }

  get waterfallProduct() {
    return this.selectedEntry?.entry.product.name;
  }

  /** The first field errors, as "Line 3, Quantity: ...". */
  get invalidMessages() {
    const messages = [];
    for (const key of this.invalidKeys) {
      const index = this.indexOf(key);
      const errors = index >= 0 ? this.entries[index].errors : null;
      if (!errors) continue;
      for (const [field, message] of Object.entries(errors)) {
        messages.push({ key: `${key}-${field}`, text: `Line ${index + 1}, ${FIELD_NAMES[field]}: ${message}` });
      }
      if (messages.length >= 10) break;
    }
    return messages;
  }

  get hasInvalid() {
    return this.invalidCount > 0;
  }

  get hasActionErrors() {
    return this.actionErrors.length > 0;
  }

  get actionErrorItems() {
    return this.actionErrors.map((text, i) => ({ key: `a${i}`, text }));
  }

  get approvals() {
    // A comment goes in quotes after its line, only when there is one (never an empty “”).
    const withComment = (text, comment) => (comment ? `${text}: “${comment}”` : text);
    return (this.detail ? this.detail.approvals : []).map((a) => {
      const requested = `Requested ${formatDate(a.requestedAt)} by ${this.who(a.requestedBy, a.requestedByName)}`;
      const decided = a.decidedAt ? `${a.status} ${formatDate(a.decidedAt)} by ${this.who(a.decidedBy, a.decidedByName)}` : '';
      return {
        ...a,
        key: a.id,
        requested,
        decided,
        // The approval chain (CHANNEL.md): whose approval each entry is, so a pending one says who decides next.
        levelText: a.level === 'Vendor' ? 'Vendor’s approval' : 'Distributor’s approval',
        requestedText: withComment(requested, a.comment),
        decidedText: decided ? withComment(decided, a.decisionComment) : '',
        badgeClass:
          a.status === 'Approved'
            ? 'slds-badge slds-theme_success'
            : a.status === 'Rejected'
              ? 'slds-badge slds-theme_error'
              : 'slds-badge', // Pending, and Withdrawn (never shown as a rejection)
      };
    });
  }

  /** "you", or the person's name; never a record id (an unknown person is "another user"). */
  who(userId, name) {
    if (this.user && userId === this.user.id) return 'you';
    return name || 'another user';
  }

  get hasApprovals() {
    return this.approvals.length > 0;
  }

  get saveDisabled() {
    return !this.dirty || this.invalidCount > 0 || this.busy || Boolean(this.headerInvalid);
  }

  get headerInvalid() {
    return Object.keys(this.headerErrors).length > 0;
  }

  /** Server actions are for the saved quote: with unsaved changes, save first. */
  get stateActionsDisabled() {
    return this.dirty || this.busy;
  }

  get showSubmit() {
    return Boolean(this.actions.canSubmitForApproval);
  }

  get showAccept() {
    return Boolean(this.actions.canAccept);
  }

  /** While a request is pending the quote is read-only; the reseller may withdraw the request (CHANNEL.md). */
  get showWithdraw() {
    return Boolean(this.actions.canWithdraw);
  }

  get showRequestOrder() {
    return Boolean(this.actions.canRequestOrder);
  }

  get autoFulfil() {
    return Boolean(this.orderTerms?.autoFulfil);
  }

  get orderButtonLabel() {
    return this.autoFulfil ? 'Place order' : 'Request order';
  }

  get orderButtonTitle() {
    return this.autoFulfil
      ? 'Place the order at once from the distributor’s stock (within your credit limit)'
      : 'Ask the distributor to place the order';
  }

  get showClone() {
    return this.role === 'resellerUser';
  }

  get saveFirstHint() {
    if (!this.dirty) return '';
    if (this.approvalRequired && !this.actions.canSubmitForApproval) {
      return 'A line needs approval: save, then submit the quote for approval.';
    }
    return 'Save your changes before you submit, accept or order.';
  }

  get nameError() {
    return this.headerErrors.name || '';
  }

  get startDateError() {
    return this.headerErrors.startDate || '';
  }

  get termError() {
    return this.headerErrors.termMonths || '';
  }

  get nameClass() {
    return this.headerErrors.name ? 'slds-form-element slds-has-error' : 'slds-form-element';
  }

  get startDateClass() {
    return this.headerErrors.startDate ? 'slds-form-element slds-has-error' : 'slds-form-element';
  }

  get termClass() {
    return this.headerErrors.termMonths ? 'slds-form-element slds-has-error' : 'slds-form-element';
  }

  get commentClass() {
    return this.commentError ? 'slds-form-element slds-has-error' : 'slds-form-element';
  }

  get grid() {
    return this.template.querySelector('c-quote-line-grid');
  }

  // ---------------------------------------------------------------- editing

  indexOf(key) {
    return this.entries.findIndex((e) => e.key === key);
  }

  setDirty(dirty) {
    if (this.dirty === dirty) return;
    this.dirty = dirty;
    this.dispatchEvent(new CustomEvent('unsavedchange', { bubbles: true, composed: true, detail: { hasUnsavedChanges: dirty } }));
  }

  notePriced(source, startedAt) {
    this.pricingSource = source;
    this.pricingSeq += 1;
    this.pendingPricingEvent = { source, startedAt, sequence: this.pricingSeq };
  }

  replaceEntries(mutate) {
    const entries = this.entries.slice();
    mutate(entries);
    this.entries = entries;
  }

  trackValidity(entry) {
    if (entry.errors) this.invalidKeys.add(entry.key);
    else this.invalidKeys.delete(entry.key);
    this.invalidCount = this.invalidKeys.size;
  }

  handleLineInput(event) {
    if (this.readOnly) return;
    const { key, field, value, commit } = event.detail;
    const index = this.indexOf(key);
    if (index < 0) return;
    if (this.editStartedAt === undefined) this.editStartedAt = now();
    // Before the change: a pricer built now starts from the lines the server priced.
    const pricer = this.ensurePricer(true);
    const entry = this.entries[index];
    const error = fieldError(field, value, this.decimals);
    const input = { ...entry.input, [field]: normalise(field, value) };
    // Percent or amount, never both: a value in one clears the other.
    if (!error && field === 'additionalDiscountPercent' && input.additionalDiscountPercent) delete input.additionalDiscountAmount;
    if (!error && field === 'additionalDiscountAmount' && input.additionalDiscountAmount) delete input.additionalDiscountPercent;
    const errors = { ...(entry.errors || {}) };
    if (error) errors[field] = error;
    else delete errors[field];
    const invalid = Object.keys(errors).length > 0;
    const next = { ...entry, input, validInput: invalid ? entry.validInput : input, errors: invalid ? errors : null };
    this.replaceEntries((entries) => {
      entries[index] = next;
    });
    this.trackValidity(next);
    this.setDirty(true);
    if (next.errors || !pricer) return;
    pricer.updateLine(index, this.pricerInput(next));
    this.schedulePricing(commit);
  }

  schedulePricing(immediate) {
    clearTimeout(this.typingTimer);
    if (immediate) {
      this.reprice();
      return;
    }
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.typingTimer = setTimeout(() => this.reprice(), TYPING_DEBOUNCE_MS);
  }

  /** Re-prices in the browser; only lines whose figures moved get a new entry (and re-render). */
  reprice() {
    clearTimeout(this.typingTimer);
    const pricer = this.ensurePricer();
    if (!pricer) return;
    const startedAt = this.editStartedAt;
    this.editStartedAt = undefined;
    const result = pricer.price();
    if (!result.ok) {
      this.pricingError = `The quote cannot be priced: ${result.error}`;
      return;
    }
    this.pricingError = undefined;
    if (result.changed.length) {
      this.replaceEntries((entries) => {
        for (const { index, line } of result.changed) entries[index] = { ...entries[index], view: line };
      });
    }
    this.totals = result.totals;
    this.approvalRequired = result.approvalRequired;
    this.notePriced('local', startedAt);
  }

  handleLineAction(event) {
    const { key, action } = event.detail;
    const index = this.indexOf(key);
    if (index < 0) return;
    if (action === 'notes') {
      this.openLineNote(key, index);
      return;
    }
    if (action === 'breakdown') {
      this.selectedKey = this.selectedKey === key ? undefined : key;
      // Into the docked panel once it is drawn: Esc there closes it and gives focus back to the line.
      if (this.selectedKey) Promise.resolve().then(() => this.template.querySelector('c-quote-line-waterfall')?.focus());
      return;
    }
    if (this.readOnly) return;
    this.editStartedAt = now();
    const pricer = this.ensurePricer(true);
    if (action === 'up' || action === 'down') {
      const to = action === 'up' ? index - 1 : index + 1;
      if (to < 0 || to >= this.entries.length) return;
      this.replaceEntries((entries) => {
        const [moved] = entries.splice(index, 1);
        entries.splice(to, 0, moved);
      });
      if (pricer) pricer.moveLine(index, to);
      this.setDirty(true);
      this.editStartedAt = undefined;
      this.focusLater(key, action);
    } else if (action === 'clone') {
      if (this.refuseAtLineLimit()) return;
      const source = this.entries[index];
      // A clone is a new line: no id, and no renewal price carried from a contract.
      const fresh = (input) => {
        const copy = { ...input };
        delete copy.id;
        delete copy.renewalCustomerUnit;
        return copy;
      };
      const copy = {
        ...this.newEntry(this.nextKey(), fresh(source.input), null),
        validInput: fresh(source.validInput),
        errors: source.errors,
      };
      this.replaceEntries((entries) => entries.splice(index + 1, 0, copy));
      this.trackValidity(copy);
      this.setDirty(true);
      if (pricer) {
        pricer.insertLine(index + 1, this.pricerInput(copy));
        this.reprice();
      }
      this.focusLater(copy.key, 'quantity');
    } else if (action === 'delete') {
      this.replaceEntries((entries) => entries.splice(index, 1));
      this.invalidKeys.delete(key);
      this.invalidCount = this.invalidKeys.size;
      if (this.selectedKey === key) this.selectedKey = undefined;
      if (this.checkedKeys.includes(key)) this.checkedKeys = this.checkedKeys.filter((k) => k !== key);
      this.setDirty(true);
      if (pricer) {
        pricer.removeLine(index);
        this.reprice();
      }
      const neighbour = this.entries[Math.min(index, this.entries.length - 1)];
      if (neighbour) this.focusLater(neighbour.key, 'delete');
    }
  }

  nextKey() {
    this.newLineCount += 1;
    return `new-${this.newLineCount}`;
  }

  /**
   * A quote holds at most MAX_QUOTE_LINES lines (core/limits.ts, the largest save an org's governor limits
   * allow with room to spare; the server refuses more): say so instead of adding a line the save would refuse.
   */
  refuseAtLineLimit() {
    if (this.entries.length < MAX_QUOTE_LINES) return false;
    this.toast(
      'This quote is full',
      `A quote may hold at most ${MAX_QUOTE_LINES} lines. Split it into several quotes.`,
      'warning',
    );
    return true;
  }

  handleAddProduct(event) {
    if (this.readOnly) return;
    if (this.refuseAtLineLimit()) return;
    const { productId } = event.detail;
    this.editStartedAt = now();
    // Before the new line exists, or the pricer would hold it twice.
    const pricer = this.ensurePricer(true);
    const entry = this.newEntry(this.nextKey(), { productId, quantity: '1' }, null);
    const index = this.entries.length;
    this.replaceEntries((entries) => entries.push(entry));
    this.setDirty(true);
    if (pricer) {
      pricer.insertLine(index, this.pricerInput(entry));
      this.reprice();
    }
    this.focusLater(entry.key, 'quantity');
  }

  /** Rows pasted from a spreadsheet: every row checked, then all the lines added at once (or none). */
  handlePasteLines(event) {
    if (this.readOnly) return;
    const { lines, errors } = parsePastedLines(event.detail.text, this.catalogProducts, {
      room: MAX_QUOTE_LINES - this.entries.length,
    });
    this.pasteErrors = errors;
    if (errors.length) return;
    this.editStartedAt = now();
    const pricer = this.ensurePricer(true);
    const first = this.entries.length;
    const added = lines.map((input) => this.newEntry(this.nextKey(), input, null));
    this.replaceEntries((entries) => entries.push(...added));
    this.setDirty(true);
    if (pricer) {
      added.forEach((entry, i) => pricer.insertLine(first + i, this.pricerInput(entry)));
      this.reprice();
    }
    this.refs.paste?.reset();
    this.toast(`${added.length} ${added.length === 1 ? 'line' : 'lines'} added`, 'Save the quote to keep them.', 'success');
    this.focusLater(added[0].key, 'quantity');
  }

  handlePasteCancel() {
    this.pasteErrors = [];
  }

  // ---------------------------------------------------------------- select lines and change them together

  // ---------------------------------------------------------------- filter the lines shown

  /** A filter helps once a quote has more lines than fit on the screen. */
  get showLineFilter() {
    return this.entries.length > 10 || Boolean(this.lineFilter);
  }

  get isFiltered() {
    return this.lineFilter.trim() !== '';
  }

  get isSorted() {
    return Boolean(this.lineSort.field);
  }

  /** Filtered or sorted: the grid shows the lines' own numbers and does not move lines. */
  get isReordered() {
    return this.isFiltered || this.isSorted;
  }

  /**
   * The lines the grid shows: filtered, then sorted when a header asked for it (each keeps its number in
   * the quote). Only a view: `entries`, and so the order saved, stay as they are.
   */
  get shownEntries() {
    const filtered = this.filteredEntries;
    if (!this.isSorted) return filtered;
    const numbered = filtered === this.entries ? this.entries.map((e, i) => ({ ...e, number: i + 1 })) : filtered;
    return sortEntries(numbered, this.lineSort.field, this.lineSort.direction);
  }

  handleLineSort(event) {
    const { field, direction } = event.detail || {};
    this.lineSort = field ? { field, direction } : { field: undefined, direction: undefined };
  }

  /** The lines matching every word of the filter, with their own numbers (all of them without a filter). */
  get filteredEntries() {
    if (!this.isFiltered) return this.entries;
    const words = this.lineFilter.trim().toLowerCase().split(/\s+/);
    const shown = [];
    this.entries.forEach((entry, index) => {
      const text =
        `${entry.product.name || ''} ${entry.product.sku || ''} ${entry.input.productId} ${entry.input.group || ''}`.toLowerCase();
      if (words.every((w) => text.includes(w))) shown.push({ ...entry, number: index + 1 });
    });
    return shown;
  }

  get filterText() {
    if (!this.isFiltered) return '';
    const shown = this.shownEntries.length;
    return `${shown} of ${this.entries.length} lines`;
  }

  handleLineFilter(event) {
    this.lineFilter = event.target.value ?? '';
  }

  get hasChecked() {
    return !this.readOnly && this.checkedKeys.length > 0;
  }

  get checkedText() {
    return this.checkedKeys.length === 1 ? '1 line selected' : `${this.checkedKeys.length} lines selected`;
  }

  handleLineSelect(event) {
    const { key, selected, all } = event.detail;
    if (all !== undefined) {
      // "All" is all the lines shown: a filter narrows what a mass edit changes.
      this.checkedKeys = all ? this.shownEntries.map((e) => e.key) : [];
    } else {
      const keys = new Set(this.checkedKeys);
      if (selected) keys.add(key);
      else keys.delete(key);
      // In the lines' order, whatever the order they were ticked in.
      this.checkedKeys = this.entries.filter((e) => keys.has(e.key)).map((e) => e.key);
    }
    this.massErrors = [];
  }

  handleMassField(event) {
    this.massEdit = { ...this.massEdit, [event.target.dataset.field]: event.target.value ?? '' };
  }

  handleMassClear() {
    this.checkedKeys = [];
    this.massErrors = [];
  }

  /** Sets the filled-in values on every selected line at once (checked first: one bad value, nothing set). */
  handleMassApply() {
    if (this.readOnly) return;
    const labels = { quantity: 'Quantity', termMonths: 'Term', additionalDiscountPercent: 'Additional discount %' };
    const values = Object.entries(this.massEdit).filter(([, value]) => String(value).trim() !== '');
    const errors = values
      .map(([field, value]) => [field, fieldError(field, value, this.decimals)])
      .filter(([, error]) => error)
      .map(([field, error]) => `${labels[field]}: ${error}`);
    if (!values.length) errors.push('Fill in the quantity, term or discount to set on the selected lines.');
    this.massErrors = errors;
    if (errors.length) return;
    this.editStartedAt = now();
    const pricer = this.ensurePricer(true);
    const keys = new Set(this.checkedKeys);
    const changed = [];
    this.replaceEntries((entries) => {
      entries.forEach((entry, index) => {
        if (!keys.has(entry.key)) return;
        const input = { ...entry.input };
        const lineErrors = { ...(entry.errors || {}) };
        for (const [field, value] of values) {
          // A one-time product has no term to set.
          if (field === 'termMonths' && entry.product.type !== 'subscription') continue;
          input[field] = normalise(field, value);
          delete lineErrors[field];
          if (field === 'additionalDiscountPercent') {
            delete input.additionalDiscountAmount;
            delete lineErrors.additionalDiscountAmount;
          }
        }
        // Another field of the line still wrong: the browser pricer keeps its last valid input.
        const invalid = Object.keys(lineErrors).length > 0;
        const next = { ...entry, input, validInput: invalid ? entry.validInput : input, errors: invalid ? lineErrors : null };
        entries[index] = next;
        changed.push([index, next]);
      });
    });
    for (const [, next] of changed) this.trackValidity(next);
    this.setDirty(true);
    if (pricer) {
      for (const [index, next] of changed) if (!next.errors) pricer.updateLine(index, this.pricerInput(next));
      this.reprice();
    }
    this.toast(
      `${changed.length} ${changed.length === 1 ? 'line' : 'lines'} changed`,
      'Save the quote to keep the changes.',
      'success',
    );
  }

  /** Focus a cell of a line once the grid has rendered the change. */
  focusLater(key, name) {
    Promise.resolve().then(() => {
      const grid = this.grid;
      if (grid) grid.focusCell(key, name);
    });
  }

  handleHeaderInput(event) {
    if (this.readOnly) return;
    const field = event.target.dataset.field;
    const value = event.target.value;
    const pricer = this.ensurePricer(true);
    const header = { ...this.header, [field]: value };
    const errors = { ...this.headerErrors };
    const error = this.headerError(field, value);
    if (error) errors[field] = error;
    else delete errors[field];
    this.header = header;
    this.headerErrors = errors;
    this.setDirty(true);
    // Name and notes price nothing.
    if (error || field === 'name' || field === 'notes' || !pricer) return;
    this.editStartedAt = now();
    pricer.setHeader(this.pricedHeader(header));
    this.schedulePricing(event.type === 'change');
  }

  /** The header fields the browser pricer takes (a quote discount being typed wrong keeps the last valid one). */
  pricedHeader(header) {
    const priced = { startDate: header.startDate, termMonths: header.termMonths };
    const discount = this.headerErrors.additionalDiscountPercent
      ? this.pricer?.header.additionalDiscountPercent
      : header.additionalDiscountPercent;
    if (discount) priced.additionalDiscountPercent = String(discount).trim();
    return priced;
  }

  get quoteDiscountError() {
    return this.headerErrors.additionalDiscountPercent || '';
  }

  get quoteDiscountClass() {
    return this.headerErrors.additionalDiscountPercent ? 'slds-form-element slds-has-error' : 'slds-form-element';
  }

  headerError(field, value) {
    const text = String(value || '').trim();
    if (field === 'name') return text.length > 80 ? 'The name can be at most 80 characters.' : null;
    if (field === 'startDate') {
      return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)) ? null : 'Enter the start date.';
    }
    if (field === 'termMonths') return fieldError('termMonths', text, 0);
    if (field === 'notes') return noteError(value, QUOTE_NOTES_MAX);
    if (field === 'additionalDiscountPercent') return fieldError('additionalDiscountPercent', text, 0);
    return null;
  }

  // ---------------------------------------------------------------- server actions

  get versionParams() {
    return { quoteId: this.recordId, version: this.quote.version };
  }

  async run(label, call) {
    this.busy = true;
    this.actionErrors = [];
    this.conflict = undefined;
    try {
      await call();
    } catch (error) {
      if (isConflict(error)) {
        this.conflict = parseError(error).message;
      } else {
        this.actionErrors = [`${label} failed:`, ...errorMessages(error)];
      }
    } finally {
      this.busy = false;
    }
  }

  /** Sends the lines' inputs only (never a price): the server prices the quote and its figures replace ours. */
  handleSave() {
    if (this.saveDisabled) return undefined;
    clearTimeout(this.typingTimer);
    return this.run('Saving', async () => {
      const params = { ...this.versionParams, lines: this.entries.map((e) => saveLine(e.input)) };
      if (this.header.name.trim()) params.name = this.header.name.trim();
      if (this.header.startDate) params.startDate = this.header.startDate;
      if (this.header.termMonths) params.termMonths = Number(this.header.termMonths);
      else if (this.quote.termMonths) params.termMonths = null;
      // Sent when there is one, or was one: a blank note removes the quote's (docs/DOCUMENT.md).
      if (this.header.notes || this.quote.notes) params.notes = noteOf(this.header.notes);
      // The quote discount: '' clears it (docs/CONTROLLERS.md).
      const discount = this.header.additionalDiscountPercent.trim();
      if (discount || this.quote.additionalDiscountPercent) params.additionalDiscountPercent = discount;
      // A slim answer (changed lines only): merged into the quote the editor holds.
      const detail = mergeSaved(this.detail, await saveQuote(params), params.lines);
      if (detail.pricing.pricingDate !== this.context.pricingDate) {
        // Agreements and bookings count on the pricing date: a new start date needs a fresh context.
        this.context = await getPricingContext({ quoteId: this.recordId });
      }
      this.applyDetail(detail);
      this.toast('Quote saved', `Version ${detail.quote.version}, priced by the server.`, 'success');
    });
  }

  /** The mode the quote is priced in (from its agreement, or the vendor's override of it). */
  get pricedChannelMode() {
    return this.detail ? this.detail.pricing.channelMode : undefined;
  }

  /** The vendor changed the channel mode: the server repriced the quote; reload its pricing context too. */
  handleChannelModeChange() {
    return this.handleReload();
  }

  handleReload() {
    this.conflict = undefined;
    this.selectedKey = undefined;
    this.setDirty(false);
    return this.load();
  }

  /** A line's note for the customer, in a small dialog (read only when the quote is). */
  openLineNote(key, index) {
    const text = this.entries[index].input.notes || '';
    this.lineNote = { key, lineNumber: index + 1, text, error: null };
  }

  get lineNoteHeading() {
    return this.lineNote ? `Note for the customer on line ${this.lineNote.lineNumber}` : '';
  }

  get lineNoteLength() {
    return this.lineNote
      ? `${this.lineNote.text.length.toLocaleString('en-US')} / ${LINE_NOTES_MAX.toLocaleString('en-US')}`
      : '';
  }

  get quoteNotesLength() {
    return `${(this.header.notes || '').length.toLocaleString('en-US')} / ${QUOTE_NOTES_MAX.toLocaleString('en-US')}`;
  }

  get quoteNotesClass() {
    return this.headerErrors.notes ? 'slds-form-element slds-has-error' : 'slds-form-element';
  }

  get quoteNotesError() {
    return this.headerErrors.notes;
  }

  get hasQuoteNotes() {
    return Boolean(this.header.notes);
  }

  get lineNoteClass() {
    return this.lineNote && this.lineNote.error ? 'slds-form-element slds-has-error' : 'slds-form-element';
  }

  handleLineNoteInput(event) {
    const text = event.target.value;
    this.lineNote = { ...this.lineNote, text, error: noteError(text, LINE_NOTES_MAX) };
  }

  handleLineNoteKeyDown(event) {
    if (event.key === 'Escape') this.closeLineNote();
  }

  closeLineNote() {
    const key = this.lineNote && this.lineNote.key;
    this.lineNote = undefined;
    if (key) this.focusLater(key, 'notes');
  }

  saveLineNote() {
    const note = this.lineNote;
    if (!note || this.readOnly) return;
    const error = noteError(note.text, LINE_NOTES_MAX);
    if (error) {
      this.lineNote = { ...note, error };
      return;
    }
    const index = this.indexOf(note.key);
    if (index >= 0) {
      const text = noteOf(note.text);
      const entry = this.entries[index];
      if ((entry.input.notes || '') !== text) {
        const input = { ...entry.input };
        if (text) input.notes = text;
        else delete input.notes;
        // Not a priced input: the line keeps its figures and the pricer its state.
        this.replaceEntries((entries) => {
          entries[index] = { ...entry, input, validInput: { ...entry.validInput, notes: input.notes } };
        });
        this.setDirty(true);
      }
    }
    this.closeLineNote();
  }

  openSubmit() {
    this.comment = '';
    this.commentError = undefined;
    this.submitOpen = true;
    this.focusCommentOnRender = true;
  }

  closeSubmit() {
    this.submitOpen = false;
  }

  handleCommentInput(event) {
    this.comment = event.target.value;
    if (this.comment.trim()) this.commentError = undefined;
  }

  handleModalKeyDown(event) {
    if (event.key === 'Escape') this.closeSubmit();
  }

  confirmSubmit() {
    if (!this.comment.trim()) {
      this.commentError = 'Tell the distributor why this quote needs its approval.';
      return undefined;
    }
    return this.run('Submitting for approval', async () => {
      const detail = await submitForApproval({ ...this.versionParams, comment: this.comment.trim() });
      this.submitOpen = false;
      this.applyDetail(detail);
      this.toast('Submitted for approval', 'The distributor has been asked to approve the quote.', 'success');
    });
  }

  handleWithdraw() {
    return this.run('Withdrawing the request', async () => {
      const detail = await withdrawApproval({ ...this.versionParams });
      this.applyDetail(detail);
      this.toast('Request withdrawn', 'The quote is a Draft again: change it and submit it anew.', 'success');
    });
  }

  /** The quote document (docs/DOCUMENT.md): saved as a File on the quote in an org, rendered on request locally. */
  handleDocument() {
    return this.run('Opening the document', async () => {
      const file = await saveDocument({ quoteId: this.recordId });
      window.open(file.url, '_blank', 'noopener');
    });
  }

  /** Accept asks first: the customer total, the document version and the customer's purchase order number. */
  handleAccept() {
    this.purchaseOrderNumber = '';
    this.purchaseOrderError = undefined;
    this.acceptOpen = true;
    this.focusPurchaseOrderOnRender = true;
  }

  closeAccept() {
    this.acceptOpen = false;
  }

  handleAcceptKeyDown(event) {
    if (event.key === 'Escape') this.closeAccept();
  }

  handlePurchaseOrderInput(event) {
    this.purchaseOrderNumber = event.target.value;
    this.purchaseOrderError = undefined;
  }

  get acceptTotal() {
    return formatMoney(this.quote.customerTotal, this.quote.currency);
  }

  get purchaseOrderClass() {
    return this.purchaseOrderError ? 'slds-form-element slds-has-error' : 'slds-form-element';
  }

  confirmAccept() {
    const po = this.purchaseOrderNumber.trim();
    if (po.length > PURCHASE_ORDER_NUMBER_MAX) {
      this.purchaseOrderError = `A purchase order number has at most ${PURCHASE_ORDER_NUMBER_MAX} characters.`;
      return undefined;
    }
    if (po && !PURCHASE_ORDER_NUMBER.test(po)) {
      this.purchaseOrderError = 'Use letters A-Z, digits, spaces and . _ / # - (starting with a letter or digit).';
      return undefined;
    }
    const params = { ...this.versionParams, documentVersion: this.quote.version };
    if (po) params.purchaseOrderNumber = po;
    this.acceptOpen = false;
    return this.run('Accepting', async () => {
      const detail = await acceptQuote(params);
      this.applyDetail(detail);
      this.toast('Quote accepted', 'The end customer accepted the quote.', 'success');
    });
  }

  handleRequestOrder() {
    if (this.autoFulfil) return this.placeOrder();
    return this.run('Requesting the order', async () => {
      const detail = await requestOrder(this.versionParams);
      this.applyDetail(detail);
      this.toast('Order requested', `${this.quote.distributorName} has been asked to place the order.`, 'success');
    });
  }

  /** Under auto-fulfil: placed at once, or an order request whose toast says why it was not placed. */
  placeOrder() {
    return this.run('Placing the order', async () => {
      const result = await submitOrder(this.versionParams);
      this.applyDetail(result.quote);
      const distributor = this.quote.distributorName;
      if (result.outcome === 'placed') {
        this.toast('Order placed', `Order ${result.order.number} was placed from ${distributor}’s stock.`, 'success');
      } else {
        const why = result.reasons.length ? result.reasons.join('; ') : 'it could not be placed at once';
        this.toast(
          'Order requested instead',
          `Not placed at once: ${why}. ${distributor} has been asked to place it.`,
          'warning',
        );
      }
    });
  }

  handleCloneQuote() {
    return this.run('Cloning', async () => {
      const detail = await cloneQuote({ quoteId: this.recordId });
      this.toast('Quote cloned', `${detail.quote.number} is a new draft.`, 'success');
      this[NavigationMixin.Navigate](quotePage(detail.quote.id));
    });
  }

  handleCloseWaterfall() {
    const key = this.selectedKey;
    this.selectedKey = undefined;
    if (key) this.focusLater(key, 'breakdown');
  }

  toast(title, message, variant) {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}

/** What a line is sorted by in the grid: text for product and group, numbers for the rest. */
function sortValue(entry, field) {
  const view = entry.view;
  switch (field) {
    case 'product':
      return (entry.product && entry.product.name) || entry.input.productId || '';
    case 'group':
      return entry.input.group || '';
    case 'quantity':
      return Number(entry.input.quantity);
    case 'customerTotal':
      return view ? Number(view.customer.total) : NaN;
    case 'partnerTotal':
      return view ? Number(view.partner.total) : NaN;
    case 'netTotal':
      return view && view.net ? Number(view.net.total) : NaN;
    default:
      return 0;
  }
}

/**
 * The entries sorted by a grid column (stable: equal values keep the quote's order); lines without a value
 * (not priced yet, no quantity) go last whichever the direction.
 */
export function sortEntries(entries, field, direction) {
  const sign = direction === 'descending' ? -1 : 1;
  return entries
    .map((entry, index) => ({ entry, index, value: sortValue(entry, field) }))
    .sort((a, b) => {
      const aMissing = typeof a.value === 'number' ? Number.isNaN(a.value) : a.value === '';
      const bMissing = typeof b.value === 'number' ? Number.isNaN(b.value) : b.value === '';
      if (aMissing !== bMissing) return aMissing ? 1 : -1;
      let order = 0;
      if (!aMissing) {
        order =
          typeof a.value === 'number'
            ? a.value - b.value
            : String(a.value).localeCompare(String(b.value), undefined, { numeric: true, sensitivity: 'base' });
      }
      return order !== 0 ? sign * order : a.index - b.index;
    })
    .map((x) => x.entry);
}
