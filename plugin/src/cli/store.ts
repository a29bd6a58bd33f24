import { Messages, SfError, type Connection, type Org } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { openOrgStore, type OrgProgressEvent } from '../store/org/index.js';
import type { CpqStore } from '../store/port.js';
import { SqliteStore, defaultDatabasePath } from '../store/sqlite/sqliteStore.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@channel-cpq/plugin-cpq', 'cpq.store');

/**
 * Where a command reads and writes: an org (`-o/--target-org`, the sf convention, defaulting to the
 * configured target org) or the embedded SQLite database (`--local`, with `--db`). Every data command
 * spreads these flags and opens its store with `openCommandStore`.
 */
export const storeFlags = {
  'target-org': Flags.optionalOrg({
    char: 'o',
    summary: messages.getMessage('flags.target-org.summary'),
    exclusive: ['local'],
  }),
  'api-version': Flags.orgApiVersion({ summary: messages.getMessage('flags.api-version.summary') }),
  local: Flags.boolean({ summary: messages.getMessage('flags.local.summary'), exclusive: ['target-org'] }),
  db: Flags.string({ summary: messages.getMessage('flags.db.summary'), dependsOn: ['local'] }),
};

export type StoreFlagValues = {
  'target-org'?: Org;
  'api-version'?: string;
  local: boolean;
  db?: string;
};

/** The store a command works on, with what to tell the user about it. */
export type CommandStore = {
  store: CpqStore;
  /** "org admin@acme.com" or "local database /path/cpq.db". */
  target: string;
  kind: 'org' | 'sqlite';
  /** HTTP requests made so far (org only; 0 for SQLite). */
  apiCalls: () => number;
  /** The org connection, for commands that need more than the store (org only). */
  connection?: Connection;
};

export async function openCommandStore(
  flags: StoreFlagValues,
  options: { onProgress?(event: OrgProgressEvent): void } = {},
): Promise<CommandStore> {
  if (flags.local) {
    const file = flags.db ?? defaultDatabasePath();
    return { store: SqliteStore.open(file), target: `local database ${file}`, kind: 'sqlite', apiCalls: () => 0 };
  }
  const org = flags['target-org'];
  if (!org) {
    throw new SfError(messages.getMessage('error.NoStore'), 'NoStore', messages.getMessages('error.NoStore.actions'), 1);
  }
  const connection = org.getConnection(flags['api-version']);
  const store = await openOrgStore(connection, options);
  return {
    store,
    target: `org ${org.getUsername() ?? connection.instanceUrl}`,
    kind: 'org',
    apiCalls: () => store.apiCalls(),
    connection,
  };
}
