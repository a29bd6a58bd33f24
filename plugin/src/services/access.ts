import { ForbiddenError, NotFoundError } from '../core/errors.js';
import type { ContractRecord, OrderRecord, QuoteRecord, Role, Viewer } from '../core/records.js';
import type { ViewerRole } from '../core/visibility.js';

/**
 * Visibility below the UI, as org sharing would do it: a reseller reaches its own account's records, a
 * distributor its own and its resellers' (the records that name it), the vendor everything. A record the
 * viewer may not reach is reported as not found (404), so its existence does not leak; an action the
 * viewer's role may not take is forbidden (403).
 */

type PartyRecord = Pick<QuoteRecord, 'resellerId' | 'distributorId'> | Pick<OrderRecord, 'resellerId' | 'distributorId'>;

export function canReach(viewer: Viewer, record: PartyRecord): boolean {
  if (viewer.role === 'vendorAdmin') return true;
  if (viewer.role === 'distributorUser') return record.distributorId === viewer.accountId;
  return record.resellerId === viewer.accountId;
}

export function reachable<T extends PartyRecord>(viewer: Viewer, record: T | undefined, what: string, id: string): T {
  if (!record || !canReach(viewer, record)) throw new NotFoundError(what, id);
  return record;
}

/** The list filter that keeps a viewer to its own records. */
export function partyScope(viewer: Viewer): { resellerId?: string; distributorId?: string } {
  if (viewer.role === 'resellerUser') return { resellerId: viewer.accountId };
  if (viewer.role === 'distributorUser') return { distributorId: viewer.accountId };
  return {};
}

export function requireRole(viewer: Viewer, roles: readonly Role[], action: string): void {
  if (!roles.includes(viewer.role)) throw new ForbiddenError(`a ${roleName(viewer.role)} cannot ${action}`);
}

export function roleName(role: Role): string {
  return role === 'vendorAdmin' ? 'vendor admin' : role === 'distributorUser' ? 'distributor user' : 'reseller user';
}

/** Which pricing view (core/visibility.ts) a viewer gets. */
export function pricingRole(viewer: Viewer): ViewerRole {
  return viewer.role === 'resellerUser' ? 'reseller' : viewer.role === 'distributorUser' ? 'distributor' : 'vendor';
}

export function canReachContract(viewer: Viewer, contract: ContractRecord): boolean {
  return canReach(viewer, contract);
}
