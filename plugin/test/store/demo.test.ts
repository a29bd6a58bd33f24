import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  accountRecordSchema,
  defaultDistributorRuleSchema,
  productRecordSchema,
  userSchema,
  type QuoteStatus,
  type Viewer,
} from '../../src/core/records.js';
import { addDays } from '../../src/core/renewals.js';
import { parseScenario } from '../../src/core/validation.js';
import { QuoteService } from '../../src/services/quotes.js';
import { agreementStandings } from '../../src/services/agreementStanding.js';
import { DEMO_MARKER_USER_ID, countRecords, demoReferenceData, demoViewer, seedDemoData } from '../../src/store/demo.js';
import type { CpqStore } from '../../src/store/port.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';

const TODAY = '2026-03-15';
const STATUSES: QuoteStatus[] = ['Draft', 'NeedsApproval', 'Approved', 'Rejected', 'Accepted', 'Ordered'];

/** A store whose `method` fails on its `nth` call (a crash halfway through the seed). */
function failingOn(store: SqliteStore, method: keyof CpqStore, nth: number): CpqStore {
  let calls = 0;
  return new Proxy(store, {
    get(target, prop, receiver): unknown {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (prop === method) {
        return (...args: unknown[]) => (++calls === nth ? Promise.reject(new Error('disk full')) : fn.apply(target, args));
      }
      return fn.bind(target);
    },
  });
}

describe('demo data', () => {
  let dir: string;
  let store: SqliteStore;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-demo-'));
    store = SqliteStore.open(path.join(dir, 'cpq.db'));
  });

  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('demoReferenceData', () => {
    const data = demoReferenceData(TODAY);

    it('has the parties, users and catalog of the story', () => {
      const byType = (type: string): number => data.accounts.filter((a) => a.type === type).length;
      expect([byType('vendor'), byType('distributor'), byType('reseller'), byType('endCustomer')]).to.deep.equal([1, 2, 5, 6]);
      const distributors = data.accounts.filter((a) => a.type === 'distributor');
      expect(distributors.map((d) => [d.region, d.country])).to.have.deep.members([
        ['EMEA', 'SE'],
        ['AMER', 'US'],
      ]);
      const roles = data.users.map((u) => u.role);
      expect(roles.filter((r) => r === 'vendorAdmin')).to.have.length(1);
      expect(roles.filter((r) => r === 'distributorUser')).to.have.length(2);
      expect(roles.filter((r) => r === 'resellerUser')).to.have.length(5);
      expect(data.users.map((u) => u.id)).to.include.members(['u-vendor', 'u-dist-emea', 'u-res-nordic']);

      expect(data.products.length).to.be.within(18, 22);
      const families = new Set(data.products.map((p) => p.family));
      expect([...families].sort()).to.deep.equal(['Licenses', 'Services', 'Subscriptions']);
      for (const p of data.products) {
        expect(p.tracksInventory, p.id).to.equal(p.family === 'Licenses');
        expect(p.type, p.id).to.equal(p.family === 'Subscriptions' ? 'subscription' : 'oneTime');
        for (const currency of ['USD', 'EUR']) {
          expect(
            data.priceBook.some((e) => e.productId === p.id && e.currency === currency),
            `${p.id} ${currency}`,
          ).to.equal(true);
        }
      }
      expect(data.priceBook.filter((e) => e.currency === 'SEK').length).to.be.greaterThan(0);
      expect(data.products.filter((p) => p.nonDiscountable)).to.have.length(1);
      expect(data.products.filter((p) => p.nonPartnerDiscountable)).to.have.length(1);
      expect(new Set(data.products.map((p) => p.renewalPricingMethod).filter(Boolean))).to.deep.equal(
        new Set(['uplift', 'list', 'same']),
      );
      expect(data.products.filter((p) => p.termMonths === 24).length).to.be.greaterThan(0);
    });

    it('has a reseller with agreements with both distributors, and stock of every licence at each distributor', () => {
      const sellers = new Map<string, Set<string>>();
      for (const a of data.agreements) sellers.set(a.partnerId, (sellers.get(a.partnerId) ?? new Set()).add(a.sellerId));
      expect([...sellers.values()].some((s) => s.has('d-emea') && s.has('d-amer'))).to.equal(true);
      for (const a of data.agreements) {
        expect(a.validFrom, a.id).to.equal('2025-03-15');
        expect(a.validTo, a.id).to.equal('2027-03-15');
        expect(a.tiers.length, a.id).to.be.greaterThan(1);
      }
      const licences = data.products.filter((p) => p.tracksInventory).map((p) => p.id);
      for (const distributor of ['d-emea', 'd-amer']) {
        const held = data.inventory.filter((i) => i.distributorId === distributor).map((i) => i.productId);
        expect(held, distributor).to.have.members(licences);
      }
      expect(data.discountSchedules.map((d) => `${d.type}/${d.aggregation}`)).to.have.members([
        'range/line',
        'range/quote',
        'slab/line',
      ]);
    });

    it('passes the record schemas and the scenario validation', () => {
      for (const a of data.accounts) expect(accountRecordSchema.safeParse(a).success, a.id).to.equal(true);
      for (const p of data.products) expect(productRecordSchema.safeParse(p).success, p.id).to.equal(true);
      for (const u of data.users) expect(userSchema.safeParse(u).success, u.id).to.equal(true);
      for (const r of data.defaultDistributorRules)
        expect(defaultDistributorRuleSchema.safeParse(r).success, r.id).to.equal(true);

      // The strict scenario schemas do not know the stored-only fields: strip them.
      const scenario = {
        settings: data.settings,
        accounts: data.accounts.map(({ renewalPricingMethod: _m, renewalUpliftPercent: _u, ...a }) => a),
        products: data.products.map(({ renewalPricingMethod: _m, tracksInventory: _t, ...p }) => p),
        priceBook: data.priceBook,
        discountSchedules: data.discountSchedules,
        agreements: data.agreements,
        bookings: [],
        quote: {
          resellerId: 'r-dach',
          distributorId: 'd-amer',
          endCustomerId: 'c-bergmann',
          currency: 'EUR',
          startDate: TODAY,
          lines: [
            { productId: 'sub-cloud-pro', quantity: '30' },
            { productId: 'lic-analytics-ent', quantity: '25', additionalDiscountPercent: '10' },
          ],
        },
      };
      const parsed = parseScenario(scenario);
      expect(parsed.ok ? [] : parsed.issues).to.deep.equal([]);
    });

    it('computes its dates from today', () => {
      const later = demoReferenceData('2028-02-29');
      expect(later.agreements[0]!.validFrom).to.equal('2027-02-28');
      expect(later.agreements[0]!.validTo).to.equal('2029-02-28');
    });
  });

  describe('seedDemoData', () => {
    let first: Awaited<ReturnType<typeof seedDemoData>>;

    before(async () => {
      first = await seedDemoData(store, { today: TODAY });
    });

    it('converts each EUR order at its order-date rate in the agreement standings (worked out by hand)', async () => {
      const vendor = (await store.listUsers()).find((u) => u.role === 'vendorAdmin')!;
      const standings = await agreementStandings(store, demoViewer(vendor), TODAY);
      const booked = Object.fromEntries(standings.map((s) => [s.agreementId, [s.bookings12m, s.currentTier?.name ?? null]]));
      // Rates per USD: EUR 0.92 from 2024-03-15 (0.90 from 2025-09-16); every resale order is older than that.
      expect(booked).to.deep.include({
        // Fjord IT Partners (the Nordic reseller) bought EUR 25433.20 on 2025-04-05: / 0.92 = 27644.7826 -> 27644.78.
        'ag-r-nordic-d-emea': ['27644.78', 'Gold'],
        // Thames Cloud: EUR 93647.00 / 0.92 = 101790.2174 -> 101790.22.
        'ag-r-uk-d-emea': ['101790.22', 'Platinum'],
        // Alpenblick through Nordlys: EUR 74809.40 / 0.92 = 81314.5652 -> 81314.57; nothing through Pacific.
        'ag-r-dach-d-emea': ['81314.57', 'Platinum'],
        'ag-r-dach-d-amer': ['0.00', 'Silver'],
        // Nordlys from the vendor, Net: 19758.00 / 0.92 = 21476.09, 72956.00 / 0.92 = 79300.00,
        // 53647.80 / 0.92 = 58312.83; together 159088.92 (today's stock order counts from tomorrow on).
        'ag-d-emea-v-northwind': ['159088.92', 'Platinum'],
        // USD orders need no rate: Golden Gate 55474.20, Pacific Net 44379.30.
        'ag-r-west-d-amer': ['55474.20', 'Gold'],
        'ag-d-amer-v-northwind': ['44379.30', 'Silver'],
      });
    });

    it('seeds once and reports the records', async () => {
      expect(first.seeded).to.equal(true);
      expect(first.counts).to.deep.equal(await countRecords(store));
      expect(first.counts).to.include({
        accounts: 14,
        users: 8,
        products: 20,
        discountSchedules: 3,
        agreements: 8,
        defaultDistributorRules: 5,
        inventoryRows: 12,
        quotes: 13,
        renewalQuotes: 3,
        approvals: 4,
        orders: 6,
        contracts: 4,
      });
    });

    it('has quotes in every status, each priced without errors or missing agreements', async () => {
      const quotes = await store.listQuotes({ limit: 1000 });
      const statuses = new Set(quotes.map((q) => q.status));
      for (const status of STATUSES) expect(statuses.has(status), status).to.equal(true);

      const vendor = demoViewer((await store.getUser('u-vendor'))!);
      const service = new QuoteService(store, () => TODAY);
      for (const q of quotes) {
        const detail = await service.getQuote(vendor, q.id);
        for (const line of detail.pricing.lines) {
          expect(line.errors, `${q.name} ${line.productId}`).to.deep.equal([]);
          expect(
            line.warnings.filter((w) => w.code === 'NO_AGREEMENT'),
            `${q.name} ${line.productId}`,
          ).to.deep.equal([]);
        }
      }
      // Some quotes went above the 15 % cap: the one waiting, the approved, the rejected.
      for (const status of ['NeedsApproval', 'Approved', 'Rejected'] as const) {
        expect(quotes.find((q) => q.status === status)!.approvalRequired, status).to.equal(true);
      }
      const approvals = await store.listApprovals(quotes.map((q) => q.id));
      const pending = approvals.find((a) => a.status === 'Pending')!;
      expect(pending.comment).to.not.equal('');
      const rejected = approvals.find((a) => a.status === 'Rejected')!;
      expect(rejected.decisionComment).to.match(/\w/);
      expect(quotes.find((q) => q.id === rejected.quoteId)!.status).to.equal('Rejected');
    });

    it('picks default distributors by country and by family', async () => {
      const quotes = await store.listQuotes({ limit: 1000 });
      const byName = (name: string): string => quotes.find((q) => q.name === name)!.distributorId;
      expect(byName('Skärgård Logistics: analytics expansion')).to.equal('d-emea');
      expect(byName('Bergmann Maschinenbau: Cloud Professional for engineering')).to.equal('d-amer');
    });

    it('has contracts ending within 30, 60, 90 and 400 days, and renewal quotes for those within 90 days only', async () => {
      const contracts = await store.listContracts({});
      const ends = contracts.map((c) => c.endDate).sort();
      const within = (from: number, to: number): boolean => ends.some((e) => e > addDays(TODAY, from) && e <= addDays(TODAY, to));
      expect(within(0, 30), '30').to.equal(true);
      expect(within(30, 60), '60').to.equal(true);
      expect(within(60, 90), '90').to.equal(true);
      expect(within(365, 400), '400').to.equal(true);

      const quotes = await store.listQuotes({ limit: 1000 });
      for (const c of contracts) {
        const soon = c.endDate <= addDays(TODAY, 90);
        expect(c.renewalQuoteId !== null, `${c.number} ends ${c.endDate}`).to.equal(soon);
        if (soon) {
          const renewal = quotes.find((q) => q.id === c.renewalQuoteId)!;
          expect(renewal.status).to.equal('Draft');
          expect(renewal.renewalOfContractIds).to.deep.equal([c.id]);
          expect(renewal.startDate).to.equal(addDays(c.endDate, 1));
          expect(renewal.customerTotal).to.not.equal(null);
        }
      }
    });

    it('shows each reseller user only its own quotes', async () => {
      const service = new QuoteService(store, () => TODAY);
      const users = (await store.listUsers()).filter((u) => u.role === 'resellerUser');
      expect(users).to.have.length(5);
      const all = await store.listQuotes({ limit: 1000 });
      for (const u of users) {
        const viewer: Viewer = demoViewer(u);
        const seen = await service.listQuotes(viewer);
        expect(seen.length, u.id).to.be.greaterThan(0);
        expect(seen.length, u.id).to.equal(all.filter((q) => q.resellerId === u.accountId).length);
        for (const q of seen) {
          expect(q.resellerId, u.id).to.equal(u.accountId);
          expect(q, u.id).to.not.have.property('netTotal');
        }
      }
    });

    it('changes nothing when run again', async () => {
      const before = await countRecords(store);
      const again = await seedDemoData(store, { today: TODAY });
      expect(again.seeded).to.equal(false);
      expect(await countRecords(store)).to.deep.equal(before);
      expect(again.counts).to.deep.equal(before);
    });

    it('finishes a seed that stopped halfway, without duplicates', async () => {
      const file = path.join(dir, 'crash.db');
      const crashed = SqliteStore.open(file);
      try {
        let failure: unknown;
        try {
          await seedDemoData(failingOn(crashed, 'activateOrder', 3), { today: TODAY });
        } catch (error) {
          failure = error;
        }
        expect((failure as Error).message).to.match(/demo seed stopped at .*activate the order.*disk full.*run the seed again/);
        expect(await crashed.getUser(DEMO_MARKER_USER_ID)).to.equal(undefined);

        const resumed = await seedDemoData(crashed, { today: TODAY });
        expect(resumed.seeded).to.equal(true);
        expect(resumed.counts).to.deep.equal(first.counts);
        const names = (await crashed.listQuotes({ limit: 1000 })).map((q) => q.name).filter((n) => !n.startsWith('Renewal'));
        expect(new Set(names).size).to.equal(names.length);
        // Stock drawn by the orders of the first attempt was not reset.
        expect(await crashed.listInventory()).to.deep.equal(await store.listInventory());
      } finally {
        await crashed.close();
      }
    });

    it('refuses a day that is not a calendar date', async () => {
      let failure: unknown;
      try {
        await seedDemoData(store, { today: '2026-02-30' });
      } catch (error) {
        failure = error;
      }
      expect(failure).to.be.instanceOf(RangeError);
    });
  });
});
