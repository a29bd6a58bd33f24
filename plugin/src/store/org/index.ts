import type { Connection } from '@salesforce/core';
import type { CpqStore } from '../port.js';

/** Progress of a long org operation (bulk loads, renewal batches): `done` of `total` records in `phase`. */
export type OrgProgressEvent = { phase: string; done: number; total: number };

export type OrgStoreOptions = { onProgress?(event: OrgProgressEvent): void };

/** The CpqStore port over a Salesforce org (docs/ORG-SCHEMA.md), plus the number of HTTP requests made. */
export type OrgStore = CpqStore & { apiCalls(): number };

/** Opens the org store adapter on an authenticated connection. Skeleton: the adapter lands next. */
export function openOrgStore(connection: Connection, options: OrgStoreOptions = {}): Promise<OrgStore> {
  void connection;
  void options;
  return Promise.reject(new Error('The org store adapter is not implemented yet.'));
}
