import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CpqRenewalsGenerateResult } from '../../../src/commands/cpq/renewals/generate.js';
import { SqliteStore } from '../../../src/store/sqlite/sqliteStore.js';
import { cpq } from '../../helpers/cli.js';

describe('sf cpq renewals generate', () => {
  let dir: string;
  let db: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-renewals-'));
    db = path.join(dir, 'cpq.db');
    // The demo story seeded on 2026-03-15 has renewals for its 20/50/80-day contracts, and one
    // 24-month contract ending 390 days later (2027-04-09): due from 90 days before, 2027-01-09.
    const seed = await cpq('seed', '--local', '--db', db, '--today', '2026-03-15', '--json');
    expect(seed.code, seed.stderr).to.equal(0);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const generate = async (...args: string[]): Promise<CpqRenewalsGenerateResult> => {
    const out = await cpq('renewals', 'generate', '--local', '--db', db, '--json', ...args);
    expect(out.code, out.stderr).to.equal(0);
    return (JSON.parse(out.stdout) as { result: CpqRenewalsGenerateResult }).result;
  };

  const renewalQuotes = async (): Promise<number> => {
    const store = SqliteStore.open(db);
    try {
      return (await store.listQuotes({ limit: 1000 })).filter((q) => q.renewalOfContractIds.length > 0).length;
    } finally {
      await store.close();
    }
  };

  it('plans nothing before the lead time, plans without writing on a dry run, then creates once', async () => {
    expect(await renewalQuotes()).to.equal(3);
    expect(await generate('--as-of', '2027-01-08')).to.include({ planned: 0, created: 0 });
    const dry = await generate('--as-of', '2027-01-09', '--dry-run');
    expect(dry).to.include({ dryRun: true, planned: 1, created: 0 });
    // One term of the due contract (a 24-month one) from 2027-04-10: the quote ends 2029-04-09.
    expect(dry.quotes[0]).to.include({ quoteId: null, startDate: '2027-04-10', endDate: '2029-04-09' });
    expect(await renewalQuotes()).to.equal(3);
    const real = await generate('--as-of', '2027-01-09');
    expect(real).to.include({ planned: 1, created: 1, skipped: 0 });
    expect(await renewalQuotes()).to.equal(4);
    expect(await generate('--as-of', '2027-01-09')).to.include({ planned: 0, created: 0 });
  });

  it('prints a summary without --json, and refuses a bad date naming the flag', async () => {
    const out = await cpq('renewals', 'generate', '--local', '--db', db, '--as-of', '2027-02-01');
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stdout).to.match(/0 contract\(s\) due, 0 renewal quote\(s\) planned, 0 created/);
    const bad = await cpq('renewals', 'generate', '--local', '--db', db, '--as-of', '2027-13-45');
    expect(bad.code).to.not.equal(0);
    expect(bad.stderr).to.contain('--as-of must be a date written YYYY-MM-DD (got "2027-13-45")');
    const rolled = await cpq('renewals', 'generate', '--local', '--db', db, '--as-of', '2027-02-30');
    expect(rolled.stderr).to.contain('(got "2027-02-30")');
  });
});
