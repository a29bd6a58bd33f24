/**
 * Helpers shared by the Channel CPQ components (a template-less module, as in the Salesforce samples).
 * Errors: the Apex controllers in an org throw AuraHandledException whose message is the JSON of
 * `{ code, message, issues }`; the local portal's apex shim throws `{ status, body: { code, message, issues } }`.
 * parseError reads both, so components handle one shape.
 */

/** Page references the components navigate with (NavigationMixin). The local portal shell maps them to URLs. */
export const QUOTE_OBJECT = 'Channel_Quote__c';
export const PAGES = Object.freeze({
  quotes: 'Quotes__c',
  approvals: 'Approvals__c',
  orders: 'Orders__c',
  renewals: 'Renewals__c',
  myAgreement: 'My_Agreement__c',
  dashboard: 'Dashboard__c',
});

export function namedPage(name, state) {
  return state ? { type: 'comm__namedPage', attributes: { name }, state } : { type: 'comm__namedPage', attributes: { name } };
}

export function quotePage(quoteId) {
  return { type: 'standard__recordPage', attributes: { recordId: quoteId, objectApiName: QUOTE_OBJECT, actionName: 'view' } };
}

/** { code, message, issues: [{ path, message }] } from whatever an Apex call rejected with. */
export function parseError(error) {
  const fallback = { code: 'UNKNOWN', message: 'Something went wrong. Try again.', issues: [] };
  if (!error) return fallback;
  if (typeof error === 'string') return { ...fallback, message: error };
  const body = Array.isArray(error.body) ? error.body[0] : error.body;
  if (body && typeof body.message === 'string') {
    if (body.code) return { code: body.code, message: body.message, issues: body.issues ?? [], issueCount: body.issueCount };
    try {
      const parsed = JSON.parse(body.message);
      if (parsed && typeof parsed.message === 'string') {
        return {
          code: parsed.code ?? 'UNKNOWN',
          message: parsed.message,
          issues: parsed.issues ?? [],
          issueCount: parsed.issueCount,
        };
      }
    } catch {
      // a plain message, not our JSON
    }
    return { ...fallback, message: body.message };
  }
  if (typeof error.message === 'string') return { ...fallback, message: error.message };
  return fallback;
}

/**
 * The messages of an error, one per issue when there are any: what to show the user. The server names at
 * most 100 issues and counts the rest (`issueCount`): say how many more there are.
 */
export function errorMessages(error) {
  const { message, issues, issueCount } = parseError(error);
  if (!issues.length) return [message];
  const shown = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  return issueCount > issues.length ? [...shown, `and ${issueCount - issues.length} more problems`] : shown;
}

export function isConflict(error) {
  return parseError(error).code === 'CONFLICT';
}

/** Formats a decimal string amount for display without floats (grouping + fixed decimals). */
export function formatMoney(amount, currency) {
  if (amount === null || amount === undefined || amount === '') return '';
  const text = String(amount);
  const negative = text.startsWith('-');
  const [whole, fraction] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const digits = fraction ? `${grouped}.${fraction}` : grouped;
  return `${negative ? '-' : ''}${currency ? `${currency} ` : ''}${digits}`;
}

/** Quote statuses as people read them (the stored values are the store's picklist values). */
export const QUOTE_STATUS_LABELS = Object.freeze({
  Draft: 'Draft',
  NeedsApproval: 'Needs approval',
  Approved: 'Approved',
  Rejected: 'Rejected',
  Accepted: 'Accepted',
  Ordered: 'Ordered',
  Expired: 'Expired',
});

export const ROLE_LABELS = Object.freeze({
  vendorAdmin: 'Vendor admin',
  distributorUser: 'Distributor',
  resellerUser: 'Reseller',
});
