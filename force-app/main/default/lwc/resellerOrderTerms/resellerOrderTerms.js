import { LightningElement, api } from 'lwc';
import listOrderTerms from '@salesforce/apex/AgreementController.listOrderTerms';
import setOrderTerms from '@salesforce/apex/AgreementController.setOrderTerms';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { errorMessages, formatMoney, parseError } from 'c/cpqUtils';

const LIMIT = /^\d+(\.\d+)?$/;

/**
 * Orders from resellers (docs/ORDERS.md): a distributor switches auto-fulfil on for a reseller with a credit
 * limit (AgreementController.setOrderTerms): the reseller's orders of accepted quotes are then placed at once
 * from the distributor's stock while stock suffices and its open orders stay within the limit, else they
 * come as order requests. A reseller reads its own terms here and cannot change them.
 */
export default class ResellerOrderTerms extends LightningElement {
  /** The viewer's role (distributorUser edits, resellerUser reads). */
  @api role;
  rows = [];
  loading = true;
  errors = [];

  async connectedCallback() {
    try {
      const terms = (await listOrderTerms({})) ?? [];
      this.rows = terms.map((t) => this.row(t));
    } catch (error) {
      this.errors = errorMessages(error);
    } finally {
      this.loading = false;
    }
  }

  row(t, draft = {}) {
    const currency = t.creditLimitCurrency ?? 'USD';
    const autoFulfil = draft.autoFulfil ?? t.autoFulfil;
    const creditLimit = draft.creditLimit ?? t.creditLimit ?? '';
    return {
      key: t.agreementId,
      terms: t,
      resellerId: t.resellerId,
      resellerName: t.resellerName,
      distributorName: t.distributorName,
      autoFulfil,
      creditLimit,
      currency,
      limitLabel: `Credit limit for ${t.resellerName} (${currency})`,
      toggleLabel: `Auto-fulfil orders of ${t.resellerName}`,
      open: t.openOrderValue === null ? '—' : formatMoney(t.openOrderValue, currency),
      limitText: t.creditLimit === null ? '—' : formatMoney(t.creditLimit, currency),
      limitError: draft.limitError ?? '',
      limitClass: draft.limitError ? 'slds-form-element slds-has-error' : 'slds-form-element',
      limitErrorId: `limit-error-${t.agreementId}`,
      saving: Boolean(draft.saving),
      dirty: autoFulfil !== t.autoFulfil || creditLimit !== (t.creditLimit ?? ''),
      saveDisabled: Boolean(draft.saving) || (autoFulfil === t.autoFulfil && creditLimit === (t.creditLimit ?? '')),
      sentence: t.autoFulfil
        ? `Your orders through ${t.distributorName} are placed at once from its stock while your open orders stay within ${formatMoney(t.creditLimit, currency)} (open now: ${t.openOrderValue === null ? 'unknown' : formatMoney(t.openOrderValue, currency)}); otherwise they go to ${t.distributorName} as order requests.`
        : `Your orders through ${t.distributorName} go to it as order requests; it places them.`,
    };
  }

  get isDistributor() {
    return this.role === 'distributorUser';
  }

  get isReseller() {
    return this.role === 'resellerUser';
  }

  get hasRows() {
    return this.rows.length > 0;
  }

  get hasErrors() {
    return this.errors.length > 0;
  }

  get showEmpty() {
    return !this.loading && !this.hasErrors && !this.hasRows && this.isDistributor;
  }

  update(key, change) {
    this.rows = this.rows.map((r) => {
      if (r.key !== key) return r;
      return this.row(r.terms, { autoFulfil: r.autoFulfil, creditLimit: r.creditLimit, ...change });
    });
  }

  handleToggle(event) {
    this.update(event.target.dataset.key, { autoFulfil: event.target.checked });
  }

  handleLimit(event) {
    this.update(event.target.dataset.key, { creditLimit: (event.target.value ?? '').trim() });
  }

  async handleSave(event) {
    const key = event.target.dataset.key;
    const r = this.rows.find((x) => x.key === key);
    if (!r) return;
    const text = r.creditLimit;
    // The same rules as the server's (it checks them again): shown at once, next to the field.
    if (text && text.startsWith('-')) {
      this.update(key, { limitError: 'The credit limit must not be negative.' });
      return;
    }
    if (text && !LIMIT.test(text)) {
      this.update(key, { limitError: 'Write the credit limit as a number like 25000.00.' });
      return;
    }
    if (r.autoFulfil && !text) {
      this.update(key, { limitError: 'Set a credit limit to switch auto-fulfil on.' });
      return;
    }
    this.update(key, { saving: true, limitError: '' });
    try {
      const saved = await setOrderTerms({
        resellerId: r.resellerId,
        autoFulfil: r.autoFulfil,
        creditLimit: text || null,
        creditLimitCurrency: r.currency,
      });
      this.rows = this.rows.map((x) => (x.key === key ? this.row(saved) : x));
      this.dispatchEvent(
        new ShowToastEvent({
          title: 'Order terms saved',
          message: saved.autoFulfil
            ? `${saved.resellerName}'s orders are placed at once up to ${formatMoney(saved.creditLimit, saved.creditLimitCurrency)}.`
            : `${saved.resellerName}'s orders come to you as order requests.`,
          variant: 'success',
        }),
      );
    } catch (error) {
      const { issues } = parseError(error);
      const onLimit = issues.find((i) => i.path === 'creditLimit');
      if (onLimit) {
        this.update(key, { saving: false, limitError: `Credit limit: ${onLimit.message}` });
      } else {
        this.update(key, { saving: false });
        this.errors = errorMessages(error);
      }
    }
  }
}
