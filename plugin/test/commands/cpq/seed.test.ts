import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CpqSeedResult } from '../../../src/commands/cpq/seed.js';
import { SqliteStore } from '../../../src/store/sqlite/sqliteStore.js';

import { cpq } from '../../helpers/cli.js';

describe('sf cpq seed', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-seed-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('seeds a local database once, then says it is already seeded', async () => {
    const db = path.join(dir, 'nested', 'cpq.db');
    const first = await cpq('seed', '--local', '--db', db, '--today', '2026-03-15', '--json');
    expect(first.code, first.stderr).to.equal(0);
    const json = JSON.parse(first.stdout) as { status: number; result: CpqSeedResult };
    expect(json.status).to.equal(0);
    expect(json.result).to.include({ database: db, today: '2026-03-15', seeded: true });
    expect(json.result.counts).to.include({ users: 8, products: 20, quotes: 13, renewalQuotes: 3, orders: 6, contracts: 4 });
    expect(json.result.users.map((u) => u.id)).to.include.members(['u-vendor', 'u-dist-emea', 'u-dist-amer', 'u-res-nordic']);

    const store = SqliteStore.open(db);
    try {
      expect((await store.listQuotes({ limit: 1000 })).length).to.equal(13);
    } finally {
      await store.close();
    }

    const again = await cpq('seed', '--local', '--db', db, '--today', '2026-03-15', '--json');
    expect(again.code, again.stderr).to.equal(0);
    const second = JSON.parse(again.stdout) as { result: CpqSeedResult };
    expect(second.result.seeded).to.equal(false);
    expect(second.result.counts).to.deep.equal(json.result.counts);

    const table = await cpq('seed', '--local', '--db', db);
    expect(table.code).to.equal(0);
    expect(table.stdout).to.contain('is already seeded (user u-vendor exists): nothing was changed');
  });

  it('prints what it created and the users to sign in as', async () => {
    const db = path.join(dir, 'table.db');
    const { code, stdout } = await cpq('seed', '--local', '--db', db, '--today', '2026-03-15');
    expect(code).to.equal(0);
    expect(stdout).to.contain(`Seeded the demo into ${db} as of 2026-03-15.`);
    for (const text of ['quotes.NeedsApproval', 'renewalQuotes', 'u-res-dach', 'Jonas Keller']) expect(stdout).to.contain(text);
  });

  it('requires --local and a calendar date', async () => {
    const missing = await cpq('seed', '--db', path.join(dir, 'x.db'));
    expect(missing.code).to.not.equal(0);
    expect(missing.stderr).to.contain('Missing required flag local');

    const bad = await cpq('seed', '--local', '--db', path.join(dir, 'y.db'), '--today', '2026-02-30', '--json');
    expect(bad.code).to.equal(1);
    const error = JSON.parse(bad.stdout) as { name: string; message: string };
    expect(error.name).to.equal('InvalidDate');
    expect(error.message).to.contain('"2026-02-30"');
  });
});
