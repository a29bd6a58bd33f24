import { LightningElement } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import listDeals from '@salesforce/apex/DealRegistrationController.listDeals';
import registerDeal from '@salesforce/apex/DealRegistrationController.registerDeal';
import decideDeal from '@salesforce/apex/DealRegistrationController.decideDeal';
import extendDeal from '@salesforce/apex/DealRegistrationController.extendDeal';
import withdrawDeal from '@salesforce/apex/DealRegistrationController.withdrawDeal';
import convertToQuote from '@salesforce/apex/DealRegistrationController.convertToQuote';
import listEndCustomers from '@salesforce/apex/QuoteController.listEndCustomers';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import listMyAgreements from '@salesforce/apex/AgreementController.listMyAgreements';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import { formatDate, formatMoney, parseError, quotePage } from 'c/cpqUtils';
import { matchingEndCustomer } from './endCustomerMatch';

export const STATUS_LABELS = Object.freeze({
  Submitted: 'Waiting for decision',
  Approved: 'Approved',
  Rejected: 'Rejected',
  Converted: 'Converted to quote',
  Expired: 'Expired',
  Withdrawn: 'Withdrawn',
});

const STATUS_THEMES = {
  Submitted: 'slds-badge slds-theme_warning',
  Approved: 'slds-badge slds-theme_success',
  Converted: 'slds-badge slds-badge_inverse',
  Rejected: 'slds-badge slds-theme_error',
};

/** The fields of a registration as a partner names them (the server's issue paths are `registration.<field>`). */
const FIELD_LABELS = {
  distributorId: 'Distributor',
  endCustomerId: 'End customer',
  'endCustomer.name': 'Company name',
  'endCustomer.country': 'Country',
  'endCustomer.region': 'Region',
  'endCustomer.registrationNumber': 'Registration number',
  estimatedValue: 'Expected value',
  currencyCode: 'Currency',
  expectedCloseDate: 'Expected close date',
  note: 'Comment',
  families: 'Product families',
  comment: 'Comment',
};

function todayIso() {
  return new Date().toISOString().slice(0, 10);
}

/**
 * What to tell a partner when the server refuses: in words, without field paths or codes. A conflict with
 * another partner's claim keeps the server's message, which never names the holder.
 */
export function dealErrorMessages(error, families = []) {
  const { code, message, issues } = parseError(error);
  if (code === 'DEAL_CONFLICT') {
    return [`${message}. While it is protected you cannot register it; ask your distributor if you think this is wrong.`];
  }
  if (code === 'DEAL_ALREADY_REGISTERED') return [`${message}.`];
  if (code === 'CONFLICT')
    return ['Someone changed this registration while you were looking at it. The list was reloaded: try again.'];
  if (code === 'NOT_FOUND') return ['This registration no longer exists, or it is not one you may see.'];
  if (code === 'ALREADY_EXTENDED') return ['This registration was already extended once: it cannot be extended again.'];
  if (code === 'NETWORK') return ['The server could not be reached. Check your connection and try again.'];
  if (!issues || issues.length === 0) return [message];
  return issues.map((issue) => {
    const path = String(issue.path ?? '').replace(/^registration\./, '');
    const family = /^families\.(\d+)\.(family|estimatedQuantity)$/.exec(path);
    if (family) {
      const name = families[Number(family[1])] ?? 'A product family';
      return family[2] === 'family' ? `${name}: ${issue.message}` : `${name}, estimated quantity: ${issue.message}`;
    }
    const label = FIELD_LABELS[path];
    return label ? `${label}: ${issue.message}` : issue.message;
  });
}

/**
 * Deal registrations (DealRegistrationController, docs/DEALS.md). A reseller registers an opportunity
 * (distributor, end customer — the existing account offered first when the company typed is one —, product
 * families with quantities, expected value, close date, comment), follows its registrations with their days
 * of protection, withdraws them and converts an approved one into a quote (opened in the editor). A
 * distributor decides its resellers' registrations with a comment and extends a protected one once; the
 * vendor admin sees and may decide all.
 */
export default class DealRegistrations extends NavigationMixin(LightningElement) {
  user;
  deals = [];
  loading = true;
  errors = [];
  /** Per registration: the comment typed, busy flag and its own errors. */
  itemState = {};

  showForm = false;
  formLoaded = false;
  formErrors = [];
  saving = false;
  agreements = [];
  endCustomers = [];
  families = [];
  currencies = [];
  form = this.emptyForm();
  /** 'existing' (choose an account) or 'new' (type the company). */
  customerMode = 'existing';
  newCustomer = { name: '', country: '', region: '', registrationNumber: '' };
  /** The existing account the typed company already is (offered before a new one is made). */
  match;

  emptyForm() {
    return {
      distributorId: '',
      endCustomerId: '',
      currencyCode: '',
      estimatedValue: '',
      expectedCloseDate: '',
      note: '',
      quantities: {},
    };
  }

  async connectedCallback() {
    try {
      this.user = await getCurrentUser();
      await this.load();
    } catch (error) {
      this.errors = dealErrorMessages(error);
      this.loading = false;
    }
  }

  async load() {
    this.loading = true;
    try {
      const deals = await listDeals({});
      const urls = await Promise.all(
        deals.map((d) => (d.quoteId ? this[NavigationMixin.GenerateUrl](quotePage(d.quoteId)) : Promise.resolve(undefined))),
      );
      this.deals = deals.map((d, i) => ({ ...d, quoteUrl: urls[i] }));
      this.errors = [];
    } catch (error) {
      this.errors = dealErrorMessages(error);
    } finally {
      this.loading = false;
    }
  }

  // ---------------------------------------------------------------- who sees what

  get isReseller() {
    return this.user?.role === 'resellerUser';
  }

  get canDecide() {
    return this.user?.role === 'distributorUser' || this.user?.role === 'vendorAdmin';
  }

  get heading() {
    return 'Deal registrations';
  }

  get introText() {
    if (!this.user) return '';
    if (this.isReseller) {
      return 'Register an opportunity before you quote it: once your distributor approves it, the end customer and product families are yours for the protection period.';
    }
    if (this.user.role === 'distributorUser') {
      return "Your resellers' registrations: approve or reject each with a comment, and extend a protected one once.";
    }
    return 'Every registration of the channel. Registrations not decided in time are escalated to you.';
  }

  get hasErrors() {
    return this.errors.length > 0;
  }

  // ---------------------------------------------------------------- the list

  card(d) {
    const state = this.itemState[d.id] ?? { comment: '', busy: false, errors: [] };
    const protectedNow = (d.status === 'Approved' || d.status === 'Converted') && d.protectionDaysLeft > 0;
    const decided = [...(d.history ?? [])].reverse().find((h) => h.action === 'Approved' || h.action === 'Rejected');
    const lastComment = [...(d.history ?? [])].reverse().find((h) => h.comment);
    let protection = '';
    if (protectedNow) {
      protection = `${d.protectionDaysLeft === 1 ? '1 day' : `${d.protectionDaysLeft} days`} of protection left, until ${formatDate(d.protectedUntil)}`;
    } else if (d.status === 'Submitted') {
      protection = d.escalated
        ? `Not decided in time: escalated to the vendor (was due ${formatDate(d.decisionDueDate)})`
        : `Decision due by ${formatDate(d.decisionDueDate)}`;
    } else if (d.protectedUntil && (d.status === 'Converted' || d.status === 'Expired')) {
      protection = `Protection ended on ${formatDate(d.protectedUntil)}`;
    }
    const isOwn = this.isReseller;
    return {
      ...d,
      key: d.id,
      statusLabel: STATUS_LABELS[d.status] ?? d.status,
      statusClass: STATUS_THEMES[d.status] ?? 'slds-badge',
      customerText: d.endCustomer.country ? `${d.endCustomer.name} (${d.endCustomer.country})` : d.endCustomer.name,
      familiesText: d.families.map((f) => `${f.family} × ${f.estimatedQuantity}`).join(', '),
      valueText: formatMoney(d.estimatedValue, d.currency),
      closeText: formatDate(d.expectedCloseDate),
      submittedText: formatDate(d.submittedDate),
      partyLabel: isOwn ? 'Distributor' : 'Reseller',
      partyName: isOwn ? d.distributorName : d.resellerName,
      showDistributor: this.user?.role === 'vendorAdmin',
      protection,
      decisionText: decided
        ? `${decided.action} on ${formatDate(decided.date)}${decided.byUserName ? ` by ${decided.byUserName}` : ''}`
        : '',
      lastComment: lastComment ? lastComment.comment : '',
      hasNote: Boolean(d.note),
      canWithdraw: isOwn && (d.status === 'Submitted' || d.status === 'Approved'),
      canConvert: isOwn && d.status === 'Approved' && d.protectionDaysLeft > 0,
      canDecideThis: this.canDecide && d.status === 'Submitted',
      canExtend: this.canDecide && protectedNow && !d.extended,
      showQuoteLink: Boolean(d.quoteUrl),
      commentLabel: `Your comment on ${d.number}`,
      comment: state.comment,
      busy: state.busy,
      errors: state.errors,
      hasItemErrors: state.errors.length > 0,
      approveTitle: `Approve ${d.number} for ${d.resellerName}`,
      rejectTitle: `Reject ${d.number}: tell ${d.resellerName} why in the comment`,
      extendTitle: `Extend the protection of ${d.number} once`,
      withdrawTitle: `Withdraw ${d.number}: the end customer is released`,
      convertTitle: `Create a quote from ${d.number} and open it`,
    };
  }

  get cards() {
    return this.deals.map((d) => this.card(d));
  }

  /** For a distributor or the vendor: what waits for a decision comes first, as an inbox. */
  get toDecide() {
    return this.canDecide ? this.cards.filter((c) => c.status === 'Submitted') : [];
  }

  get others() {
    return this.canDecide ? this.cards.filter((c) => c.status !== 'Submitted') : this.cards;
  }

  get hasToDecide() {
    return this.toDecide.length > 0;
  }

  get hasOthers() {
    return this.others.length > 0;
  }

  get othersHeading() {
    if (this.isReseller) return 'Your registrations';
    return 'Decided registrations';
  }

  get toDecideHeading() {
    const n = this.toDecide.length;
    return n === 1 ? '1 registration waits for your decision' : `${n} registrations wait for your decision`;
  }

  get isEmpty() {
    return !this.loading && this.errors.length === 0 && this.deals.length === 0;
  }

  get emptyText() {
    return this.isReseller ? 'You have not registered any deals yet.' : 'No deal registrations yet.';
  }

  setItem(id, change) {
    const current = this.itemState[id] ?? { comment: '', busy: false, errors: [] };
    this.itemState = { ...this.itemState, [id]: { ...current, ...change } };
  }

  handleItemComment(event) {
    this.setItem(event.target.dataset.id, { comment: event.target.value ?? '' });
  }

  async act(id, run, success) {
    const deal = this.deals.find((d) => d.id === id);
    if (!deal) return undefined;
    this.setItem(id, { busy: true, errors: [] });
    try {
      const result = await run(deal, (this.itemState[id]?.comment ?? '').trim());
      this.setItem(id, { busy: false, comment: '' });
      this.dispatchEvent(new ShowToastEvent({ title: success(deal), variant: 'success' }));
      await this.load();
      return result;
    } catch (error) {
      const messages = dealErrorMessages(error);
      if (['CONFLICT', 'NOT_FOUND', 'INVALID_STATE'].includes(parseError(error).code)) await this.load();
      this.setItem(id, { busy: false, errors: messages });
      return undefined;
    }
  }

  withComment(params, comment) {
    return comment ? { ...params, comment } : params;
  }

  handleApprove(event) {
    const id = event.target.dataset.id;
    this.act(
      id,
      (d, comment) => decideDeal(this.withComment({ dealId: d.id, version: d.version, decision: 'Approved' }, comment)),
      (d) => `Registration ${d.number} approved`,
    );
  }

  handleReject(event) {
    const id = event.target.dataset.id;
    const comment = (this.itemState[id]?.comment ?? '').trim();
    if (!comment) {
      this.setItem(id, { errors: ['Write a comment before rejecting: the reseller needs to know why.'] });
      return;
    }
    this.act(
      id,
      (d, text) => decideDeal({ dealId: d.id, version: d.version, decision: 'Rejected', comment: text }),
      (d) => `Registration ${d.number} rejected`,
    );
  }

  handleExtend(event) {
    this.act(
      event.target.dataset.id,
      (d, comment) => extendDeal(this.withComment({ dealId: d.id, version: d.version }, comment)),
      (d) => `Protection of ${d.number} extended`,
    );
  }

  handleWithdraw(event) {
    this.act(
      event.target.dataset.id,
      (d) => withdrawDeal({ dealId: d.id, version: d.version }),
      (d) => `Registration ${d.number} withdrawn`,
    );
  }

  async handleConvert(event) {
    const id = event.target.dataset.id;
    const deal = this.deals.find((d) => d.id === id);
    if (!deal) return;
    this.setItem(id, { busy: true, errors: [] });
    try {
      const result = await convertToQuote({ dealId: deal.id, version: deal.version });
      this.setItem(id, { busy: false });
      this.dispatchEvent(
        new ShowToastEvent({
          title: `Quote created from ${deal.number}`,
          message: 'Add the products to quote.',
          variant: 'success',
        }),
      );
      this[NavigationMixin.Navigate](quotePage(result.quoteId));
    } catch (error) {
      const messages = dealErrorMessages(error);
      if (['CONFLICT', 'NOT_FOUND', 'INVALID_STATE'].includes(parseError(error).code)) await this.load();
      this.setItem(id, { busy: false, errors: messages });
    }
  }

  // ---------------------------------------------------------------- registering (resellers)

  async handleOpenForm() {
    this.showForm = true;
    this.formErrors = [];
    if (this.formLoaded) return;
    try {
      const [customers, catalog, agreements] = await Promise.all([listEndCustomers({}), getCatalog({}), listMyAgreements({})]);
      this.endCustomers = [...(customers ?? [])].sort((a, b) => a.name.localeCompare(b.name));
      const today = todayIso();
      this.agreements = (agreements ?? []).filter(
        (a) => a.status === 'Active' && a.validFrom <= today && (!a.validTo || a.validTo >= today),
      );
      const families = new Set();
      const codes = new Set();
      for (const p of catalog?.products ?? []) {
        if (p.family) families.add(p.family);
        for (const price of p.prices ?? []) codes.add(price.currency);
      }
      this.families = [...families].sort();
      this.currencies = [...codes].sort();
      const sellers = this.distributorOptions;
      this.form = {
        ...this.form,
        distributorId: this.form.distributorId || (sellers.length === 1 ? sellers[0].value : ''),
        currencyCode: this.form.currencyCode || this.currencies[0] || '',
      };
      if (this.endCustomers.length === 0) this.customerMode = 'new';
      this.formLoaded = true;
    } catch (error) {
      this.formErrors = dealErrorMessages(error);
    }
  }

  handleCloseForm() {
    this.showForm = false;
  }

  handleFormKeydown(event) {
    if (event.key === 'Escape') this.showForm = false;
  }

  get distributorOptions() {
    const options = new Map();
    for (const a of this.agreements) options.set(a.sellerId, a.sellerName);
    return [...options]
      .sort((x, y) => x[1].localeCompare(y[1]))
      .map(([value, label]) => ({ value, label, selected: value === this.form.distributorId }));
  }

  get endCustomerOptions() {
    return this.endCustomers.map((c) => ({
      value: c.id,
      label: c.country ? `${c.name} (${c.country})` : c.name,
      selected: c.id === this.form.endCustomerId,
    }));
  }

  get currencyOptions() {
    return this.currencies.map((c) => ({ value: c, label: c, selected: c === this.form.currencyCode }));
  }

  get familyRows() {
    return this.families.map((family) => {
      const quantity = this.form.quantities[family];
      return {
        family,
        checked: quantity !== undefined,
        quantity: quantity ?? '',
        quantityDisabled: quantity === undefined,
        checkboxLabel: family,
        quantityLabel: `Estimated quantity of ${family}`,
      };
    });
  }

  /** The close date can be today at the earliest (the server refuses an earlier one). */
  get minCloseDate() {
    return todayIso();
  }

  get isExistingCustomer() {
    return this.customerMode === 'existing';
  }

  get isNewCustomer() {
    return this.customerMode === 'new';
  }

  get hasFormErrors() {
    return this.formErrors.length > 0;
  }

  get matchText() {
    if (!this.match) return '';
    const name = this.match.country ? `${this.match.name} (${this.match.country})` : this.match.name;
    return `${name} is already an end customer of yours. Register the deal for that account rather than a new one.`;
  }

  handleField(event) {
    this.form = { ...this.form, [event.target.dataset.field]: event.target.value ?? '' };
  }

  handleChooseExisting() {
    this.customerMode = 'existing';
    this.match = undefined;
  }

  handleChooseNew() {
    this.customerMode = 'new';
    this.form = { ...this.form, endCustomerId: '' };
    this.updateMatch();
  }

  handleNewCustomerField(event) {
    this.newCustomer = { ...this.newCustomer, [event.target.dataset.field]: event.target.value ?? '' };
    this.updateMatch();
  }

  updateMatch() {
    this.match = matchingEndCustomer(this.newCustomer, this.endCustomers);
  }

  /** Takes the existing account the typed company already is. */
  handleUseMatch() {
    if (!this.match) return;
    this.form = { ...this.form, endCustomerId: this.match.id };
    this.customerMode = 'existing';
    this.newCustomer = { name: '', country: '', region: '', registrationNumber: '' };
    this.match = undefined;
  }

  handleFamilyToggle(event) {
    const family = event.target.dataset.family;
    const quantities = { ...this.form.quantities };
    const checked = event.detail && typeof event.detail.checked === 'boolean' ? event.detail.checked : event.target.checked;
    if (checked) quantities[family] = quantities[family] ?? '1';
    else delete quantities[family];
    this.form = { ...this.form, quantities };
  }

  handleQuantity(event) {
    const family = event.target.dataset.family;
    this.form = { ...this.form, quantities: { ...this.form.quantities, [family]: event.target.value ?? '' } };
  }

  /** The registration as the controller takes it, or the list of what is missing, in words. */
  registration() {
    const missing = [];
    const f = this.form;
    if (!f.distributorId) missing.push('Choose the distributor you buy from.');
    let customer;
    if (this.isNewCustomer) {
      const { name, country, region, registrationNumber } = this.newCustomer;
      if (!name.trim() || !/^[A-Za-z]{2}$/.test(country.trim())) {
        missing.push("Enter the end customer's company name and its country (two letters, such as SE).");
      }
      customer = { endCustomer: { name: name.trim(), country: country.trim().toUpperCase() } };
      if (region.trim()) customer.endCustomer.region = region.trim();
      if (registrationNumber.trim()) customer.endCustomer.registrationNumber = registrationNumber.trim();
    } else if (!f.endCustomerId) {
      missing.push('Choose the end customer, or enter a new one.');
    } else {
      customer = { endCustomerId: f.endCustomerId };
    }
    const families = Object.entries(f.quantities).map(([family, quantity]) => ({ family, quantity: String(quantity).trim() }));
    if (families.length === 0) missing.push('Choose at least one product family.');
    for (const { family, quantity } of families) {
      if (!/^[1-9]\d*$/.test(quantity)) missing.push(`${family}: the estimated quantity must be a whole number of at least 1.`);
    }
    const value = String(f.estimatedValue).trim();
    if (!/^\d+(\.\d{1,2})?$/.test(value)) missing.push('Expected value: enter an amount such as 24000 or 24000.50.');
    if (!f.currencyCode) missing.push('Choose the currency.');
    if (!f.expectedCloseDate) missing.push('Enter the expected close date.');
    if (missing.length > 0) return { missing };
    const registration = {
      distributorId: f.distributorId,
      ...customer,
      families: families.map(({ family, quantity }) => ({ family, estimatedQuantity: Number(quantity) })),
      estimatedValue: value,
      currencyCode: f.currencyCode,
      expectedCloseDate: f.expectedCloseDate,
    };
    if (f.note.trim()) registration.note = f.note.trim();
    return { registration };
  }

  async handleRegister() {
    const { missing, registration } = this.registration();
    if (missing) {
      this.formErrors = missing;
      return;
    }
    this.saving = true;
    try {
      const deal = await registerDeal({ registration });
      this.dispatchEvent(
        new ShowToastEvent({
          title: `Deal ${deal.number} registered`,
          message: `${deal.distributorName} decides by ${formatDate(deal.decisionDueDate)}.`,
          variant: 'success',
        }),
      );
      this.showForm = false;
      this.form = { ...this.emptyForm(), distributorId: this.form.distributorId, currencyCode: this.form.currencyCode };
      this.newCustomer = { name: '', country: '', region: '', registrationNumber: '' };
      this.match = undefined;
      this.formErrors = [];
      this.formLoaded = false;
      await this.load();
    } catch (error) {
      this.formErrors = dealErrorMessages(
        error,
        registration.families.map((x) => x.family),
      );
    } finally {
      this.saving = false;
    }
  }
}
