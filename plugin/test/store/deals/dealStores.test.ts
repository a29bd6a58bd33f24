import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
import type { AccountRecord } from '../../../src/core/records.js';
import type { DealRegistrationStore } from '../../../src/store/dealPort.js';
import type { CpqStore } from '../../../src/store/port.js';
import { SqliteStore } from '../../../src/store/sqlite/sqliteStore.js';
import type { FakeOrg } from '../org/fakeOrg.js';
import { useFakeOrg } from '../org/fakeOrgStore.js';

/**
 * The deal registration store (docs/DEALS.md) on both stores: SQLite and the org adapter over the fake org.
 * The same scenarios, the same answers; the concurrency test races registrations of one customer and family
 * through the store's own API and expects exactly one to be written. SQLite-only checks (its unique index on
 * its own, two processes on one file) are in sqliteDeals.test.ts; the org-only ones below.
 */

const distributor: DealActor = { userId: 'uD', role: 'distributorUser', accountId: 'D1' };
const TODAY = '2026-07-01';

const ACCOUNTS: AccountRecord[] = [
  { id: 'D1', type: 'distributor', name: 'Distributor One' },
  ...['RA', 'RB', 'RC', 'RD', 'RE'].map((id): AccountRecord => ({ id, type: 'reseller', name: `Reseller ${id}` })),
  { id: 'E1', type: 'endCustomer', name: 'Skärgård Logistics AB', country: 'SE' },
];

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

type Opened = { store: CpqStore; deals: DealRegistrationStore; org?: FakeOrg };

function dealStoreContract(name: string, open: () => Promise<Opened>): void {
  describe(`deal registrations: ${name}`, () => {
    let store: CpqStore;
    let deals: DealRegistrationStore;
    beforeEach(async () => {
      ({ store, deals } = await open());
    });
    afterEach(() => store.close());

    it('registers, reads back, lists by partner and numbers DR-00001, DR-00002', async () => {
      expect([await deals.nextDealNumber(), await deals.nextDealNumber()]).to.deep.equal(['DR-00001', 'DR-00002']);
      const d = await deals.registerDeal(deal({ note: 'Fleet renewal' }), TODAY);
      expect(await deals.getDeal('DR1')).to.deep.equal(d);
      expect((await deals.listDeals({ resellerId: 'RA' })).map((x) => x.id)).to.deep.equal(['DR1']);
      expect(await deals.listDeals({ resellerId: 'RB' })).to.deep.equal([]);
      expect((await deals.listDeals({ distributorId: 'D1', statuses: ['Submitted'] })).length).to.equal(1);
      expect(await deals.listDeals({ distributorId: 'D1', statuses: ['Approved'] })).to.deep.equal([]);
      expect((await deals.listDeals({ claimActive: true })).map((x) => x.id)).to.deep.equal(['DR1']);
      expect(await deals.getDeal('nope')).to.equal(undefined);
    });

    it("lists one end customer's registrations (the channel-conflict check of a quote)", async () => {
      await deals.registerDeal(deal(), TODAY);
      expect((await deals.listDeals({ endCustomerId: 'E1' })).map((x) => x.id)).to.deep.equal(['DR1']);
      expect(await deals.listDeals({ endCustomerId: 'E9' })).to.deep.equal([]);
      expect(await deals.listDeals({ endCustomerId: 'E1', statuses: ['Approved', 'Converted'] })).to.deep.equal([]);
    });

    it('keeps every family in order, and the history of every step', async () => {
      const d = await deals.registerDeal(
        deal({
          families: [
            { family: 'Security', estimatedQuantity: 50 },
            { family: 'Backup', estimatedQuantity: 3 },
          ],
        }),
        TODAY,
      );
      const approved = decideRegistration(d, 'Approved', 'fine', distributor, TODAY, DEFAULT_DEAL_RULES);
      await deals.updateDeal(approved, d.version);
      expect(await deals.getDeal('DR1')).to.deep.equal(approved);
      expect(approved.families.map((f) => f.family)).to.deep.equal(['Security', 'Backup']);
      expect(approved.history.map((h) => h.action)).to.deep.equal(['Submitted', 'Approved']);
    });

    it("refuses another reseller's claim with DEAL_CONFLICT and writes nothing", async () => {
      await deals.registerDeal(deal(), TODAY);
      const other = deal({
        id: 'DR2',
        number: 'DR-00002',
        resellerId: 'RB',
        families: [
          { family: 'Backup', estimatedQuantity: 1 },
          { family: 'security', estimatedQuantity: 2 },
        ],
      });
      let message = '';
      try {
        await deals.registerDeal(other, TODAY);
      } catch (e) {
        expect((e as CpqError).code).to.equal('DEAL_CONFLICT');
        message = JSON.stringify(e) + (e as Error).message;
      }
      expect(message).not.to.match(/RA|DR1|DR-00001|Reseller/);
      expect((await deals.listDeals({})).map((d) => d.id)).to.deep.equal(['DR1']);
      expect(await code(deals.registerDeal(deal({ id: 'DR3', number: 'DR-00003' }), TODAY))).to.equal('DEAL_ALREADY_REGISTERED');
      // A family nobody claims is free.
      await deals.registerDeal(
        deal({ id: 'DR4', number: 'DR-00004', resellerId: 'RB', families: [{ family: 'Backup', estimatedQuantity: 1 }] }),
        TODAY,
      );
      expect((await deals.listDeals({})).map((d) => d.id)).to.deep.equal(['DR4', 'DR1']);
    });

    it('releases the claim when withdrawn, and a lapsed protection at the next registration', async () => {
      const first = await deals.registerDeal(deal(), TODAY);
      const withdrawn = withdrawRegistration(first, { userId: 'u', role: 'resellerUser', accountId: 'RA' }, TODAY);
      await deals.updateDeal(withdrawn, first.version);
      const second = await deals.registerDeal(deal({ id: 'DR2', number: 'DR-00002', resellerId: 'RB' }), TODAY);
      const approved = decideRegistration(second, 'Approved', undefined, distributor, TODAY, DEFAULT_DEAL_RULES); // to 2026-09-28
      await deals.updateDeal(approved, second.version);
      const third = deal({ id: 'DR3', number: 'DR-00003', resellerId: 'RC' }, '2026-09-28');
      expect(await code(deals.registerDeal(third, '2026-09-28'))).to.equal('DEAL_CONFLICT');
      await deals.registerDeal(deal({ id: 'DR3', number: 'DR-00003', resellerId: 'RC' }, '2026-09-29'), '2026-09-29');
      expect((await deals.getDeal('DR2'))?.status).to.equal('Expired');
      expect((await deals.listDeals({ claimActive: true })).map((d) => d.id)).to.deep.equal(['DR3']);
    });

    it('refuses a stale update (version) with CONFLICT and keeps the record', async () => {
      const first = await deals.registerDeal(deal(), TODAY);
      const approved = decideRegistration(first, 'Approved', undefined, distributor, TODAY, DEFAULT_DEAL_RULES);
      await deals.updateDeal(approved, first.version);
      const rejected = decideRegistration(first, 'Rejected', 'late', distributor, TODAY, DEFAULT_DEAL_RULES);
      expect(await code(deals.updateDeal(rejected, first.version))).to.equal('CONFLICT');
      expect(await deals.getDeal('DR1')).to.deep.equal(approved);
    });

    it('imports all or nothing: numbered by the store; one held claim refuses the whole import', async () => {
      const written = await deals.importDeals(
        [
          deal({ id: 'I1', number: 'x' }),
          deal({ id: 'I2', number: 'y', resellerId: 'RB', families: [{ family: 'Backup', estimatedQuantity: 1 }] }),
        ],
        TODAY,
      );
      expect(written.map((d) => d.number)).to.deep.equal(['DR-00001', 'DR-00002']);
      expect(await deals.getDeal('I2')).to.deep.equal(written[1]);
      const refused = await code(
        deals.importDeals(
          [
            deal({ id: 'I3', number: 'x', resellerId: 'RC', families: [{ family: 'Storage', estimatedQuantity: 1 }] }),
            deal({ id: 'I4', number: 'y', resellerId: 'RC' }),
          ],
          TODAY,
        ),
      );
      expect(refused).to.equal('DEAL_CONFLICT');
      expect((await deals.listDeals({})).map((d) => d.id)).to.deep.equal(['I2', 'I1']);
    });

    it('five resellers registering the same customer and family at once: exactly one wins', async () => {
      const contenders = ['RA', 'RB', 'RC', 'RD', 'RE'].map((r, i) =>
        deal({ id: `DR${i + 1}`, number: `DR-0000${i + 1}`, resellerId: r }),
      );
      const outcomes = await Promise.all(contenders.map((d) => code(deals.registerDeal(d, TODAY))));
      expect(outcomes.filter((o) => o === undefined)).to.have.length(1);
      expect(outcomes.filter((o) => o === 'DEAL_CONFLICT')).to.have.length(4);
      expect(await deals.listDeals({})).to.have.length(1);
      expect(await deals.listDeals({ claimActive: true })).to.have.length(1);
    });
  });
}

const freshFile = (): string => path.join(mkdtempSync(path.join(tmpdir(), 'cpq-deals-')), 'cpq.db');

describe('deal registration stores', () => {
  dealStoreContract('SQLite', async () => {
    const store = SqliteStore.open(freshFile());
    await store.upsertReferenceData({ accounts: ACCOUNTS });
    return { store, deals: store.deals };
  });

  const openOrg = useFakeOrg();
  const org = async (): Promise<Opened & { org: FakeOrg }> => {
    const opened = await openOrg({ accounts: ACCOUNTS });
    return { store: opened.store, deals: opened.store.deals!, org: opened.org };
  };
  dealStoreContract('org (fake org)', org);

  describe('in the org: the unique claim key is the guarantee', () => {
    it('the concurrent registrations all passed the check: the unique Claim_Key__c refused the losers', async () => {
      const { deals, org: fake } = await org();
      const contenders = ['RA', 'RB', 'RC'].map((r, i) => deal({ id: `DR${i + 1}`, number: `DR-0000${i + 1}`, resellerId: r }));
      const outcomes = await Promise.all(contenders.map((d) => code(deals.registerDeal(d, TODAY))));
      expect(outcomes.sort()).to.deep.equal(['DEAL_CONFLICT', 'DEAL_CONFLICT', undefined]);
      // Every contender sent its insert (none was stopped by the query before it): the database decided.
      const inserts = fake.requests.filter(
        (r) => r.url.endsWith('/composite') && (r.body ?? '').includes('Deal_Registration__c'),
      );
      expect(inserts).to.have.length(3);
      expect(fake.records('Deal_Registration__c')).to.have.length(1);
      expect(fake.records('Deal_Claim__c').map((c) => c.Claim_Key__c)).to.deep.equal(['E1|SECURITY']);
    });

    it('a second held key is refused by the org itself (DUPLICATE_VALUE, case-insensitive); released keys never clash', async () => {
      const { deals, org: fake } = await org();
      const first = await deals.registerDeal(deal(), TODAY);
      const parent = fake.records('Deal_Registration__c')[0]!.Id as string;
      expect(() =>
        fake.insert('Deal_Claim__c', { Deal_Registration__c: parent, External_Id__c: 'x#00', Claim_Key__c: 'e1|security' }),
      ).to.throw(/DUPLICATE_VALUE|duplicate value/);
      const withdrawn = withdrawRegistration(first, { userId: 'u', role: 'resellerUser', accountId: 'RA' }, TODAY);
      await deals.updateDeal(withdrawn, first.version);
      expect(fake.records('Deal_Claim__c').map((c) => c.Claim_Key__c)).to.deep.equal(['RELEASED|DR1#00']);
      await deals.registerDeal(deal({ id: 'DR2', number: 'DR-00002', resellerId: 'RB' }), TODAY);
      expect(
        fake
          .records('Deal_Claim__c')
          .map((c) => c.Claim_Key__c)
          .sort(),
      ).to.deep.equal(['E1|SECURITY', 'RELEASED|DR1#00']);
    });
  });
});
