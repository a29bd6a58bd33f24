/**
 * Helpers shared by the Channel CPQ components (a template-less module, as in the Salesforce samples).
 * Errors: the Apex controllers in an org throw AuraHandledException whose message is the JSON of
 * `{ code, message, issues }`; the local portal's apex shim throws `{ status, body: { code, message, issues } }`.
 * parseError reads both, so components handle one shape.
 */

import LOCALE from '@salesforce/i18n/locale';

/** Page references the components navigate with (NavigationMixin). The local portal shell maps them to URLs. */
export const QUOTE_OBJECT = 'Channel_Quote__c';
export const PAGES = Object.freeze({
  quotes: 'Quotes__c',
  approvals: 'Approvals__c',
  orders: 'Orders__c',
  renewals: 'Renewals__c',
  myAgreement: 'My_Agreement__c',
  dashboard: 'Dashboard__c',
  deals: 'Deal_Registrations__c',
});

export function namedPage(name, state) {
  return state ? { type: 'comm__namedPage', attributes: { name }, state } : { type: 'comm__namedPage', attributes: { name } };
}

export function quotePage(quoteId) {
  return { type: 'standard__recordPage', attributes: { recordId: quoteId, objectApiName: QUOTE_OBJECT, actionName: 'view' } };
}

export const ORDER_OBJECT = 'Channel_Order__c';
export const CONTRACT_OBJECT = 'Channel_Contract__c';

/** The order's record page (its detail page in the portal, /order/<id>). */
export function orderPage(orderId) {
  return { type: 'standard__recordPage', attributes: { recordId: orderId, objectApiName: ORDER_OBJECT, actionName: 'view' } };
}

/** The contract's record page (its detail page in the portal, /contract/<id>). */
export function contractPage(contractId) {
  return {
    type: 'standard__recordPage',
    attributes: { recordId: contractId, objectApiName: CONTRACT_OBJECT, actionName: 'view' },
  };
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

/** The user's locale (in an org, the user's locale setting; locally, the signed-in user's). */
export const USER_LOCALE = LOCALE;

function separators(locale) {
  const parts = new Intl.NumberFormat(locale).formatToParts(-1234.5);
  const part = (type, fallback) => parts.find((p) => p.type === type)?.value ?? fallback;
  return { decimal: part('decimal', '.'), minus: part('minusSign', '-') };
}

/**
 * Writes a decimal string amount in the user's locale, exactly: the whole part is grouped by Intl from a
 * BigInt (never a float), the fraction keeps the digits the server sent (1234.50 -> "1,234.50" in en-US,
 * "1.234,50" in de-DE, "1 234,50" in sv-SE). The currency code, when given, goes first.
 */
export function formatMoney(amount, currency, locale = USER_LOCALE) {
  if (amount === null || amount === undefined || amount === '') return '';
  const text = String(amount);
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  const negative = text.startsWith('-');
  const [whole, fraction] = (negative ? text.slice(1) : text).split('.');
  const { decimal, minus } = separators(locale);
  const grouped = new Intl.NumberFormat(locale, { useGrouping: true }).format(BigInt(whole));
  const digits = fraction ? `${grouped}${decimal}${fraction}` : grouped;
  return `${negative ? minus : ''}${currency ? `${currency} ` : ''}${digits}`;
}

/**
 * Writes a date (an ISO date, or the date part of a timestamp) in the user's locale, the same way on every
 * page: "Dec 5, 2026" in en-US, "5 Dec 2026" in en-GB, "05.12.2026" in de-DE. A calendar date has no time
 * zone: it is read and written in UTC so that it never moves a day.
 */
export function formatDate(iso, locale = USER_LOCALE) {
  if (!iso) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso));
  if (!match) return String(iso);
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
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

/** Statuses in which a line above the cap still needs a decision: before one was asked for, or after a refusal. */
const APPROVAL_OPEN = new Set(['Draft', 'Rejected']);
const APPROVED = new Set(['Approved', 'Accepted', 'Ordered']);

/** A flagged quote still needs the distributor's approval (Approved, Accepted, Ordered and Expired need none). */
export function approvalStillNeeded(status, approvalRequired) {
  return Boolean(approvalRequired) && APPROVAL_OPEN.has(status);
}

/**
 * What a line above the cap means for its quote now, in a partner's words: one sentence for the breakdown.
 */
export function approvalSentence(status) {
  if (APPROVAL_OPEN.has(status))
    return "The additional discount is above the agreement's cap: the distributor must approve this quote.";
  if (status === 'NeedsApproval')
    return "The additional discount is above the agreement's cap: the quote waits for the distributor's approval.";
  // Accepting or ordering such a quote needed the approval: it was given.
  if (APPROVED.has(status)) return "The additional discount is above the agreement's cap: the distributor approved it.";
  return "The additional discount is above the agreement's cap.";
}

/**
 * Every badge a quote shows, derived in one place from its status and flags (the quote list, the editor's
 * header): the status; "Renewal" for a renewal quote; "Approval needed" only while an approval is still to
 * be asked for (a Draft or Rejected quote with a line above the cap; NeedsApproval says it already); "Order
 * requested" only until the order is placed (an Ordered quote says it already).
 * @returns {{ key: string, label: string, variant: 'status' | 'info' }[]}
 */
export function quoteBadges({ status, approvalRequired, orderRequested, isRenewal }) {
  const badges = [{ key: 'status', label: QUOTE_STATUS_LABELS[status] ?? status, variant: 'status' }];
  if (isRenewal) badges.push({ key: 'renewal', label: 'Renewal', variant: 'info' });
  if (approvalStillNeeded(status, approvalRequired)) badges.push({ key: 'approval', label: 'Approval needed', variant: 'info' });
  if (orderRequested && status !== 'Ordered') badges.push({ key: 'order', label: 'Order requested', variant: 'info' });
  return badges.map((b) => ({
    ...b,
    className: b.variant === 'status' ? 'slds-badge' : 'slds-badge slds-badge_lightest slds-m-left_xx-small',
  }));
}

export const ROLE_LABELS = Object.freeze({
  vendorAdmin: 'Vendor admin',
  distributorUser: 'Distributor',
  resellerUser: 'Reseller',
});

/**
 * CHANNEL.md, channel conflict: what a line flagged CHANNEL_CONFLICT means, never naming the partner that
 * registered the customer (the server never tells the portal who it is).
 */
export const CHANNEL_CONFLICT_TEXT =
  'Another partner has registered this customer for this product family. The vendor must approve before this quote can be accepted.';

/** The conflict's sentence for the quote in its status: to approve, waiting for the vendor, approved. */
export function channelConflictSentence(status) {
  if (status === 'NeedsApproval')
    return 'Another partner has registered this customer for this product family. The quote waits for the vendor’s approval.';
  if (APPROVED.has(status))
    return 'Another partner has registered this customer for this product family. The vendor approved this quote.';
  return CHANNEL_CONFLICT_TEXT;
}
