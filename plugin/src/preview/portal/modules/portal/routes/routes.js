/**
 * The portal's pages: URL <-> component <-> Experience Cloud page reference, and which roles see them.
 * The shell (portal/app) routes by these; the lightning/navigation shim turns the page references of
 * c/cpqUtils into these URLs and back.
 */

export const QUOTE_OBJECT = 'Channel_Quote__c';

/** In navigation order. `page` is the comm__namedPage name (c/cpqUtils PAGES). */
export const PAGES = Object.freeze([
  {
    key: 'quotes',
    label: 'Quotes',
    path: '/quotes',
    page: 'Quotes__c',
    component: 'c/quoteList',
    roles: ['resellerUser', 'distributorUser', 'vendorAdmin'],
  },
  {
    key: 'approvals',
    label: 'Approvals',
    path: '/approvals',
    page: 'Approvals__c',
    component: 'c/approvalInbox',
    roles: ['distributorUser', 'vendorAdmin'],
  },
  {
    key: 'orders',
    label: 'Orders',
    path: '/orders',
    page: 'Orders__c',
    component: 'c/orderDesk',
    roles: ['distributorUser', 'vendorAdmin'],
  },
  {
    key: 'renewals',
    label: 'Renewals',
    path: '/renewals',
    page: 'Renewals__c',
    component: 'c/renewalList',
    roles: ['resellerUser', 'distributorUser', 'vendorAdmin'],
  },
  {
    key: 'agreement',
    label: 'My agreement',
    path: '/agreement',
    page: 'My_Agreement__c',
    component: 'c/myAgreement',
    roles: ['resellerUser', 'distributorUser'],
  },
  {
    key: 'dashboard',
    label: 'Dashboard',
    path: '/dashboard',
    page: 'Dashboard__c',
    component: 'c/channelDashboard',
    // A reseller sees its own scorecard there (CHANNEL.md, per-partner scorecard), never the channel's figures.
    roles: ['resellerUser', 'distributorUser', 'vendorAdmin'],
  },
  {
    key: 'deals',
    label: 'Deal registrations',
    path: '/deals',
    page: 'Deal_Registrations__c',
    component: 'c/dealRegistrations',
    // Resellers register and convert; distributors decide their resellers' (an inbox); the vendor sees all.
    roles: ['resellerUser', 'distributorUser', 'vendorAdmin'],
  },
  {
    key: 'outbox',
    label: 'Outbox',
    path: '/outbox',
    page: 'Outbox__c',
    component: 'c/emailOutbox',
    roles: ['vendorAdmin'],
  },
]);

export const QUOTE_EDITOR = 'c/quoteLineEditor';

/**
 * The record pages besides the quote editor (plugin/src/preview/portalRoutes.ts RECORD_PAGES): each belongs to
 * the list page it is opened from (`key`), so it has that page's roles and its tab is the current one.
 */
export const RECORD_PAGES = Object.freeze([
  { object: 'Channel_Order__c', prefix: '/order/', key: 'orders', component: 'c/orderDetail', label: 'Order' },
  { object: 'Channel_Contract__c', prefix: '/contract/', key: 'renewals', component: 'c/contractDetail', label: 'Contract' },
]);

export function pagesFor(role) {
  return PAGES.filter((p) => p.roles.includes(role));
}

function query(state) {
  if (!state) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The local URL of a page reference, or undefined when the portal has no such page. */
export function urlOf(pageReference) {
  if (!pageReference || typeof pageReference !== 'object') return undefined;
  const { type, attributes = {}, state } = pageReference;
  if (type === 'standard__recordPage' && attributes.recordId) {
    const record = RECORD_PAGES.find((r) => r.object === attributes.objectApiName);
    if (record) return `${record.prefix}${encodeURIComponent(attributes.recordId)}${query(state)}`;
    return `/quotes/${encodeURIComponent(attributes.recordId)}${query(state)}`;
  }
  if (type === 'comm__namedPage' || type === 'standard__namedPage') {
    const page = PAGES.find((p) => p.page === attributes.name || p.key === attributes.name);
    if (page) return `${page.path}${query(state)}`;
    if (attributes.name === 'Home' || attributes.name === 'home') return `/quotes${query(state)}`;
    return undefined;
  }
  if (type === 'standard__objectPage' && attributes.objectApiName === QUOTE_OBJECT) return `/quotes${query(state)}`;
  if (type === 'standard__webPage' && attributes.url) return attributes.url;
  return undefined;
}

/**
 * What a local URL shows: { page, pageReference, component, recordId } with page undefined for the quote
 * editor; undefined when no page answers the path.
 */
export function routeOf(pathname, search = '') {
  const state = Object.fromEntries(new URLSearchParams(search));
  const clean = pathname.replace(/\/+$/, '') || '/';
  if (clean === '/') return routeOf('/quotes', search);
  const record = /^\/quotes\/([^/]+)$/.exec(clean);
  if (record) {
    const recordId = decodeURIComponent(record[1]);
    return {
      key: 'quotes',
      component: QUOTE_EDITOR,
      recordId,
      pageReference: {
        type: 'standard__recordPage',
        attributes: { recordId, objectApiName: QUOTE_OBJECT, actionName: 'view' },
        state,
      },
    };
  }
  for (const r of RECORD_PAGES) {
    const match = new RegExp(`^${r.prefix}([^/]+)$`).exec(clean);
    if (!match) continue;
    let recordId;
    try {
      recordId = decodeURIComponent(match[1]);
    } catch {
      return undefined;
    }
    return {
      key: r.key,
      component: r.component,
      recordId,
      recordLabel: r.label,
      pageReference: {
        type: 'standard__recordPage',
        attributes: { recordId, objectApiName: r.object, actionName: 'view' },
        state,
      },
    };
  }
  const page = PAGES.find((p) => p.path === clean);
  if (!page) return undefined;
  return {
    key: page.key,
    page,
    component: page.component,
    pageReference: { type: 'comm__namedPage', attributes: { name: page.page }, state },
  };
}
