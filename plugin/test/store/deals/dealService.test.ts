import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { CpqError } from '../../../src/core/errors.js';
import { channelDashboard, partnerScorecard } from '../../../src/services/dashboard.js';
import { DealService, registerDealInputSchema, runDailyDeals, type RegisterDealInput } from '../../../src/services/deals.js';
import { QuoteService } from '../../../src/services/quotes.js';
import type { CpqStore, ReferenceData } from '../../../src/store/port.js';
import { SqliteStore } from '../../../src/store/sqlite/sqliteStore.js';
import { TODAY, viewers, worldReference } from '../../fixtures/world.js';
import { useFakeOrg } from '../org/fakeOrgStore.js';

/**
 * DealService (the local controllers' service, docs/DEALS.md) on both stores: the same registrations, decisions,
 * conversion, daily expiry and refusals, on SQLite and on the org adapter over the fake org. World: R1 and R2 buy
 * from D1, R1 also from D2 (test/fixtures/world.ts); TODAY 2026-06-01 is a Monday.
 */

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (e) {
    return e instanceof CpqError ? e.code : String(e);
  }
  return undefined;
}

const input = (over: Partial<RegisterDealInput> = {}) =>
  registerDealInputSchema.parse({
    distributorId: 'D1',
    endCustomer: { name: 'Nordic Freight AB', country: 'SE' },
    families: [{ family: 'Licenses', estimatedQuantity: 40 }],
    estimatedValue: '24000.00',
    currencyCode: 'USD',
    expectedCloseDate: '2026-09-30',
    ...over,
  });

function serviceContract(name: string, open: (reference: ReferenceData) => Promise<CpqStore>): void {
  describe(`DealService: ${name}`, () => {
    let store: CpqStore;
    let clock = TODAY;
    let deals: DealService;
    beforeEach(async () => {
      store = await open(worldReference());
      clock = TODAY;
      deals = new DealService(store, new QuoteService(store, () => clock), () => clock);
    });
    afterEach(() => store.close());

    it('counts the registered-deal KPIs of the period for each viewer (CHANNEL.md)', async () => {
      // R1: Nordic Freight (approved, converted), Baltic Tools (rejected); R2: Fjord Cargo (still Submitted).
      const a = await deals.registerDeal(viewers.r1, input());
      const b = await deals.registerDeal(viewers.r1, input({ endCustomer: { name: 'Baltic Tools Oy', country: 'FI' } }));
      await deals.registerDeal(viewers.r2, input({ endCustomer: { name: 'Fjord Cargo AS', country: 'NO' } }));
      const approved = await deals.decideDeal(viewers.d1, a.id, a.version, 'Approved', 'go');
      await deals.decideDeal(viewers.d1, b.id, b.version, 'Rejected', 'not yours');
      await deals.convertToQuote(viewers.r1, approved.id, approved.version);
      const d = await channelDashboard(store, viewers.vendor, clock);
      expect(d.kpis).to.deep.include({
        dealsSubmitted: '3',
        dealsApproved: '1',
        dealsAcceptedRate: '50.0', // 1 approved of 2 decided; the Submitted one is not decided
        dealsConverted: '1',
        dealsWon: '0', // its quote is a Draft
        dealsConversionRate: '0.0',
      });
      const r1Row = d.resellers.find((r) => r.partnerId === 'R1')!;
      expect(r1Row.kpis).to.deep.include({ dealsSubmitted: '2', dealsApproved: '1', dealsAcceptedRate: '50.0' });
      const card = await partnerScorecard(store, viewers.r2, clock, undefined);
      expect(card.kpis).to.deep.include({ dealsSubmitted: '1', dealsApproved: '0', dealsAcceptedRate: null });
      // D2 has no resellers' registrations.
      expect((await channelDashboard(store, viewers.d2, clock)).kpis).to.deep.include({ dealsSubmitted: '0' });
    });

    it('registers, refuses the same customer (de-duplicated) and family to another reseller, decides, converts and expires', async () => {
      const first = await deals.registerDeal(viewers.r1, input());
      expect([first.number, first.status, first.decisionDueDate]).to.deep.equal(['DR-00001', 'Submitted', '2026-06-03']);
      // "NORDIC FREIGHT" in SE is the same company: R2 is refused without learning who holds it.
      const refused = deals.registerDeal(viewers.r2, input({ endCustomer: { name: 'NORDIC  FREIGHT', country: 'SE' } }));
      expect(await code(refused)).to.equal('DEAL_CONFLICT');
      expect((await deals.listDeals(viewers.r2)).length).to.equal(0);
      expect((await deals.listDeals(viewers.d1)).map((d) => d.number)).to.deep.equal(['DR-00001']);
      // Another distributor's registration is not found.
      expect(await code(deals.decideDeal(viewers.d2, first.id, first.version, 'Approved'))).to.equal('NOT_FOUND');
      expect(await code(deals.getDeal(viewers.r2, first.id))).to.equal('NOT_FOUND');
      const approved = await deals.decideDeal(viewers.d1, first.id, first.version, 'Approved', 'go');
      expect([approved.status, approved.protectedUntil, approved.protectionDaysLeft]).to.deep.equal([
        'Approved',
        '2026-08-29',
        90,
      ]);
      const { deal: converted, quoteId } = await deals.convertToQuote(viewers.r1, approved.id, approved.version);
      expect(converted.status).to.equal('Converted');
      expect((await store.getQuote(quoteId))?.endCustomerId).to.equal(approved.endCustomer.id);
      // The day after protection: the daily run releases the converted claim, and R2 may register.
      clock = '2026-08-30';
      expect(await runDailyDeals(store, clock)).to.deep.equal({ escalated: [], expired: [], released: ['DR-00001'] });
      // The same company typed again by R2 (which cannot see R1's account) is de-duplicated to it.
      const second = await deals.registerDeal(viewers.r2, input({ expectedCloseDate: '2026-12-31' }));
      expect(second.endCustomer.id).to.equal(approved.endCustomer.id);
      expect([second.number, second.resellerId]).to.deep.equal(['DR-00002', 'R2']);
    });

    it('refuses a distributor the reseller holds no agreement with, and writes nothing', async () => {
      expect(await code(deals.registerDeal(viewers.r2, input({ distributorId: 'D2' })))).to.equal('INVALID_INPUT');
      expect(await deals.listDeals(viewers.vendor)).to.deep.equal([]);
    });

    it('two resellers registering the same new customer and family at once: exactly one wins', async () => {
      const outcomes = await Promise.all([
        code(deals.registerDeal(viewers.r1, input())),
        code(deals.registerDeal(viewers.r2, input())),
      ]);
      expect(outcomes.sort()).to.deep.equal(['DEAL_CONFLICT', undefined]);
      expect(await deals.listDeals(viewers.vendor)).to.have.length(1);
    });
  });
}

describe('deal registration service on both stores', () => {
  serviceContract('SQLite', async (reference) => {
    const store = SqliteStore.open(path.join(mkdtempSync(path.join(tmpdir(), 'cpq-deal-service-')), 'cpq.db'));
    await store.upsertReferenceData(reference);
    return store;
  });
  const open = useFakeOrg();
  serviceContract('org (fake org)', async (reference) => (await open(reference)).store);
});
