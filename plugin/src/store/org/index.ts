import type { Connection } from '@salesforce/core';
import type { CpqStore } from '../port.js';
import { OrgApi } from './api.js';
import { OrgStore } from './orgStore.js';

/** Progress of a long org operation (bulk loads, renewal batches): `done` of `total` records in `phase`. */
export type OrgProgressEvent = { phase: string; done: number; total: number };

export type OrgStoreOptions = { onProgress?(event: OrgProgressEvent): void };

/** The CpqStore port over a Salesforce org (docs/ORG-SCHEMA.md), plus the number of HTTP requests made. */
export type { OrgStore };

/** Opens the org store adapter on an authenticated connection (no request is made until the first call). */
export function openOrgStore(connection: Connection, options: OrgStoreOptions = {}): Promise<CpqStore & { apiCalls(): number }> {
  const api = new OrgApi(connection, options.onProgress ? (event) => options.onProgress?.(event) : undefined);
  return Promise.resolve(new OrgStore(connection, api));
}
