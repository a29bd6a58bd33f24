import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { storeContract } from './contract.js';

/** The shared store contract on a real SQLite file per test. */
storeContract('SQLite', async (reference) => {
  const store = SqliteStore.open(path.join(mkdtempSync(path.join(tmpdir(), 'cpq-contract-')), 'cpq.db'));
  await store.upsertReferenceData(reference);
  return store;
});
