import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import type { User } from '../../core/records.js';
import { addDays } from '../../core/renewals.js';
import { DEMO_MARKER_USER_ID, demoReferenceData, seedDemoData, type SeedResult } from '../../store/demo.js';
import { SqliteStore, defaultDatabasePath } from '../../store/sqlite/sqliteStore.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@channel-cpq/plugin-cpq', 'cpq.seed');

export type CpqSeedResult = {
  /** The SQLite file seeded. */
  database: string;
  /** The day the story is told from (agreements, contract ends, renewals). */
  today: string;
  /** False when the database was already seeded: nothing was changed. */
  seeded: boolean;
  /** Records in the database after the command, by kind (quotes also by status, e.g. `quotes.Draft`). */
  counts: Record<string, number>;
  /** The demo users to sign in as. */
  users: User[];
};

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  try {
    addDays(text, 0);
    return true;
  } catch {
    return false;
  }
}

export default class CpqSeed extends SfCommand<CpqSeedResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    local: Flags.boolean({
      summary: messages.getMessage('flags.local.summary'),
      required: true,
    }),
    db: Flags.file({
      summary: messages.getMessage('flags.db.summary'),
      default: defaultDatabasePath(),
    }),
    today: Flags.string({
      summary: messages.getMessage('flags.today.summary'),
    }),
  };

  public async run(): Promise<CpqSeedResult> {
    const { flags } = await this.parse(CpqSeed);
    const today = flags.today ?? new Date().toISOString().slice(0, 10);
    if (!isCalendarDate(today)) {
      throw new SfError(messages.getMessage('error.InvalidDate', [today]), 'InvalidDate', [], 1);
    }
    const store = SqliteStore.open(flags.db);
    let outcome: SeedResult;
    try {
      outcome = await seedDemoData(store, { today });
    } catch (error) {
      throw new SfError(
        messages.getMessage('error.SeedFailed', [flags.db, (error as Error).message]),
        'SeedFailed',
        messages.getMessages('error.SeedFailed.actions'),
        1,
        error,
      );
    } finally {
      await store.close();
    }
    const users = demoReferenceData(today).users;
    if (outcome.seeded) {
      this.log(messages.getMessage('info.Seeded', [flags.db, today]));
    } else {
      this.log(messages.getMessage('info.AlreadySeeded', [flags.db, DEMO_MARKER_USER_ID]));
    }
    this.table({
      title: 'Records in the database',
      data: Object.entries(outcome.counts).map(([records, count]) => ({ records, count })),
    });
    if (outcome.seeded) {
      this.table({
        title: 'Demo users',
        data: users.map((u) => ({ user: u.id, name: u.name, role: u.role, account: u.accountId, email: u.email })),
      });
    }
    return { database: flags.db, today, seeded: outcome.seeded, counts: outcome.counts, users };
  }
}
