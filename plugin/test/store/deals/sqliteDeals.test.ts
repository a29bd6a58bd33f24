import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import {
  DEFAULT_DEAL_RULES,
  decideRegistration,
  newRegistration,
  withdrawRegistration,
  type DealActor,
  type DealRegistration,
  type DealRegistrationInput,
} from '../../../src/core/deals.js';
import { CpqError } from '../../../src/core/errors.js';
import { SqliteStore } from '../../../src/store/sqlite/sqliteStore.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const distributor: DealActor = { userId: 'uD', role: 'distributorUser', accountId: 'D1' };
const TODAY = '2026-07-01';

function deal(over: Partial<DealRegistrationInput> = {}, today = TODAY): DealRegistration {
  return newRegistration(
    {
      id: 'DR1',
      number: 'DR-00001',
      resellerId: 'RA',
      distributorId: 'D1',
      endCustomer: { id: 'E1', name: 'Skärgård Logistics AB', country: 'SE' },
      families: [{ family: 'Security', estimatedQuantity: 50 }],
      estimatedValue: '12000.00',
      currency: 'EUR',
      expectedCloseDate: '2026-12-31',
      ...over,
    },
    'u',
    today,
    DEFAULT_DEAL_RULES,
  );
}

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (e) {
    return e instanceof CpqError ? e.code : String(e);
  }
  return undefined;
}

const freshFile = (): string => path.join(mkdtempSync(path.join(tmpdir(), 'cpq-deals-')), 'cpq.db');

describe('SQLite deal registrations', () => {
  let store: SqliteStore;
  let file: string;
  beforeEach(() => {
    file = freshFile();
    store = SqliteStore.open(file);
  });
  afterEach(() => store.close());

  const count = (sql: string): number => {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare(sql).get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('registers, reads back, lists by partner and numbers DR-00001, DR-00002', async () => {
    expect([await store.deals.nextDealNumber(), await store.deals.nextDealNumber()]).to.deep.equal(['DR-00001', 'DR-00002']);
    const d = await store.deals.registerDeal(deal(), TODAY);
    expect(await store.deals.getDeal('DR1')).to.deep.equal(d);
    expect((await store.deals.listDeals({ resellerId: 'RA' })).map((x) => x.id)).to.deep.equal(['DR1']);
    expect(await store.deals.listDeals({ resellerId: 'RB' })).to.deep.equal([]);
    expect((await store.deals.listDeals({ distributorId: 'D1', statuses: ['Submitted'] })).length).to.equal(1);
    expect(await store.deals.listDeals({ distributorId: 'D1', statuses: ['Approved'] })).to.deep.equal([]);
  });

  it("refuses another reseller's claim with DEAL_CONFLICT and writes nothing", async () => {
    await store.deals.registerDeal(deal(), TODAY);
    const other = deal({
      id: 'DR2',
      number: 'DR-00002',
      resellerId: 'RB',
      families: [
        { family: 'Backup', estimatedQuantity: 1 },
        { family: 'security', estimatedQuantity: 2 },
      ],
    });
    expect(await code(store.deals.registerDeal(other, TODAY))).to.equal('DEAL_CONFLICT');
    expect(count('SELECT COUNT(*) AS n FROM deal_registrations')).to.equal(1);
    expect(count('SELECT COUNT(*) AS n FROM deal_claims')).to.equal(1);
    expect(await code(store.deals.registerDeal(deal({ id: 'DR3', number: 'DR-00003' }), TODAY))).to.equal(
      'DEAL_ALREADY_REGISTERED',
    );
    // A family nobody claims is free.
    await store.deals.registerDeal(
      deal({ id: 'DR4', number: 'DR-00004', resellerId: 'RB', families: [{ family: 'Backup', estimatedQuantity: 1 }] }),
      TODAY,
    );
  });

  it('releases the claim when withdrawn, and a lapsed protection at the next registration', async () => {
    const first = await store.deals.registerDeal(deal(), TODAY);
    const withdrawn = withdrawRegistration(first, { userId: 'u', role: 'resellerUser', accountId: 'RA' }, TODAY);
    await store.deals.updateDeal(withdrawn, first.version);
    const second = await store.deals.registerDeal(deal({ id: 'DR2', number: 'DR-00002', resellerId: 'RB' }), TODAY);
    const approved = decideRegistration(second, 'Approved', undefined, distributor, TODAY, DEFAULT_DEAL_RULES); // protected to 2026-09-28
    await store.deals.updateDeal(approved, second.version);
    const third = deal({ id: 'DR3', number: 'DR-00003', resellerId: 'RC' }, '2026-09-28');
    expect(await code(store.deals.registerDeal(third, '2026-09-28'))).to.equal('DEAL_CONFLICT');
    await store.deals.registerDeal(deal({ id: 'DR3', number: 'DR-00003', resellerId: 'RC' }, '2026-09-29'), '2026-09-29');
    expect((await store.deals.getDeal('DR2'))?.status).to.equal('Expired');
    expect(count('SELECT COUNT(*) AS n FROM deal_claims WHERE active = 1')).to.equal(1);
  });

  it('refuses a stale update (version) with CONFLICT', async () => {
    const first = await store.deals.registerDeal(deal(), TODAY);
    const approved = decideRegistration(first, 'Approved', undefined, distributor, TODAY, DEFAULT_DEAL_RULES);
    await store.deals.updateDeal(approved, first.version);
    expect(await code(store.deals.updateDeal(approved, first.version))).to.equal('CONFLICT');
  });

  it('the unique index alone refuses a second active claim (a writer whose check missed the holder)', async () => {
    await store.deals.registerDeal(deal(), TODAY);
    // Hide the holder from the check (its row says the claim is released) while its claim row stays active.
    const db = new Database(file);
    db.prepare("UPDATE deal_registrations SET claim_active = 0 WHERE id = 'DR1'").run();
    expect(() =>
      db.prepare("INSERT INTO deal_claims (deal_id, claim_key, active) VALUES ('DR1', 'E1|X', 1)").run(),
    ).not.to.throw();
    expect(() =>
      db
        .prepare(
          "INSERT INTO deal_registrations (id, number, reseller_id, distributor_id, end_customer_id, status, claim_active, version, json) VALUES ('Z', 'Z', 'R', 'D', 'E1', 'Submitted', 1, 1, '{}')",
        )
        .run(),
    ).not.to.throw();
    expect(() =>
      db.prepare("INSERT INTO deal_claims (deal_id, claim_key, active) VALUES ('Z', 'E1|SECURITY', 1)").run(),
    ).to.throw(/UNIQUE/);
    db.prepare("DELETE FROM deal_registrations WHERE id = 'Z'").run();
    db.close();
    expect(await code(store.deals.registerDeal(deal({ id: 'DR2', number: 'DR-00002', resellerId: 'RB' }), TODAY))).to.equal(
      'DEAL_CONFLICT',
    );
    expect(count("SELECT COUNT(*) AS n FROM deal_registrations WHERE id = 'DR2'")).to.equal(0);
  });

  it('two processes registering the same customer and family at once: exactly one wins, each round', async function () {
    this.timeout(120_000);
    for (let round = 0; round < 3; round++) {
      const roundFile = freshFile();
      await SqliteStore.open(roundFile).close(); // migrated before the race
      const startAt = String(Date.now() + 2500);
      const contender = (reseller: string, id: string) =>
        run(process.execPath, ['--import', 'tsx', path.join(here, 'raceRegister.ts'), roundFile, reseller, id, startAt]);
      const results = await Promise.all([contender('RA', 'A'), contender('RB', 'B')]);
      const outcomes = results.map((r) => (JSON.parse(r.stdout.trim()) as { outcome: string }).outcome).sort();
      expect(outcomes).to.deep.equal(['DEAL_CONFLICT', 'registered']);
      const db = new Database(roundFile, { readonly: true });
      expect((db.prepare('SELECT COUNT(*) AS n FROM deal_registrations').get() as { n: number }).n).to.equal(1);
      expect((db.prepare('SELECT COUNT(*) AS n FROM deal_claims WHERE active = 1').get() as { n: number }).n).to.equal(1);
      db.close();
    }
  });

  it('prepares each statement once: a save reads the registrations without compiling SQL again', async () => {
    await store.deals.registerDeal(deal(), TODAY);
    await store.deals.registerDeal(
      deal({ id: 'DR2', number: 'DR-00002', endCustomer: { id: 'E2', name: 'Other AB', country: 'SE' } }),
      TODAY,
    );
    const db = (store as unknown as { db: Database.Database }).db;
    const prepare = db.prepare.bind(db);
    const prepared: string[] = [];
    db.prepare = (sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    };
    const filter = { endCustomerId: 'E1', statuses: ['Approved', 'Converted', 'Submitted'] } as const;
    const first = await store.deals.listDeals(filter);
    const again = await store.deals.listDeals(filter);
    expect(again).to.deep.equal(first);
    expect(first.map((d) => d.id)).to.deep.equal(['DR1']);
    expect((await store.deals.getDeal('DR2'))?.number).to.equal('DR-00002');
    expect((await store.deals.getDeal('DR2'))?.number).to.equal('DR-00002');
    // Registering and its reads reuse theirs as well.
    await store.deals.registerDeal(
      deal({ id: 'DR3', number: 'DR-00003', endCustomer: { id: 'E3', name: 'Third AB', country: 'SE' } }),
      TODAY,
    );
    const count = prepared.length;
    await store.deals.registerDeal(
      deal({ id: 'DR4', number: 'DR-00004', endCustomer: { id: 'E4', name: 'Fourth AB', country: 'SE' } }),
      TODAY,
    );
    expect(prepared.length).to.equal(count);
    expect(prepared.length).to.equal(new Set(prepared).size); // no SQL text prepared twice
  });
});
