import type { Role } from '../core/records.js';

/**
 * The portal's page URLs and the roles that may open them: the server's copy of the shell's routes
 * (portal/modules/portal/routes/routes.js, checked equal by a test). A URL that names no page, or a page
 * the role may not use, is a 404.
 */
export const PORTAL_PAGES: readonly { path: string; roles: readonly Role[] }[] = [
  { path: '/quotes', roles: ['resellerUser', 'distributorUser', 'vendorAdmin'] },
  { path: '/approvals', roles: ['distributorUser', 'vendorAdmin'] },
  { path: '/orders', roles: ['distributorUser', 'vendorAdmin'] },
  { path: '/renewals', roles: ['resellerUser', 'distributorUser', 'vendorAdmin'] },
  { path: '/agreement', roles: ['resellerUser', 'distributorUser'] },
  { path: '/dashboard', roles: ['resellerUser', 'distributorUser', 'vendorAdmin'] },
  { path: '/deals', roles: ['resellerUser', 'distributorUser', 'vendorAdmin'] },
  { path: '/outbox', roles: ['vendorAdmin'] },
];

/**
 * The record pages besides the quote editor: `/order/<id>` (the roles of the Orders page) and `/contract/<id>`
 * (those of the Renewals page, where contracts are listed). Same visibility as the list: 404 otherwise.
 */
export const RECORD_PAGES = {
  order: { prefix: '/order/', roles: ['distributorUser', 'vendorAdmin'] },
  contract: { prefix: '/contract/', roles: ['resellerUser', 'distributorUser', 'vendorAdmin'] },
} as const satisfies Record<string, { prefix: string; roles: readonly Role[] }>;

export type PortalRoute =
  | { kind: 'page'; path: string; roles: readonly Role[] }
  | { kind: 'quote'; quoteId: string }
  | { kind: 'order'; orderId: string; roles: readonly Role[] }
  | { kind: 'contract'; contractId: string; roles: readonly Role[] };

/** What a portal URL path shows; undefined when it is not a portal page at all. `/` is the quotes page. */
export function portalRouteOf(pathname: string): PortalRoute | undefined {
  const clean = pathname.replace(/\/+$/, '') || '/';
  if (clean === '/') return { kind: 'page', ...PORTAL_PAGES[0]! };
  const quote = /^\/quotes\/([^/]+)$/.exec(clean);
  if (quote) {
    try {
      return { kind: 'quote', quoteId: decodeURIComponent(quote[1]!) };
    } catch {
      return undefined;
    }
  }
  const order = /^\/order\/([^/]+)$/.exec(clean);
  const contract = /^\/contract\/([^/]+)$/.exec(clean);
  try {
    if (order) return { kind: 'order', orderId: decodeURIComponent(order[1]!), roles: RECORD_PAGES.order.roles };
    if (contract) return { kind: 'contract', contractId: decodeURIComponent(contract[1]!), roles: RECORD_PAGES.contract.roles };
  } catch {
    return undefined;
  }
  const page = PORTAL_PAGES.find((p) => p.path === clean);
  return page ? { kind: 'page', ...page } : undefined;
}
