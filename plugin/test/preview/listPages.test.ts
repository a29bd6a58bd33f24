import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPortalServer, type PortalServer } from '../../src/preview/server.js';
import type { AgreementStanding } from '../../src/services/agreementStanding.js';
import type { ChannelDashboard } from '../../src/services/dashboard.js';
import type { EndCustomerOption } from '../../src/services/endCustomers.js';
import { OrderService } from '../../src/services/orders.js';
import { QuoteService } from '../../src/services/quotes.js';
import type { QuoteDetail } from '../../src/services/quotes.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import {
  REFERENCE,
  TODAY,
  buildWorld,
  keyPaths,
  signedIn,
  viewer,
  type ErrorReply,
  type PortalClient,
  type UserKey,
  type World,
} from './fixtures.js';

/**
 * The controller methods added for the portal's list pages (QuoteController.listEndCustomers,
 * AgreementController.getAgreementStanding, DashboardController.getChannelDashboard), through the real
 * server on a real SQLite file. The world of fixtures.ts, plus one order R1 placed through D1 on
 * 2026-01-15 and activated (worked example 1 of PRICING.md: customer 25650.00, partner 20520.00, net
 * 14364.00), and tiers on R1's and D1's agreements added afterwards (so no price of the world moves).
 */

const DISTRIBUTOR_ONLY = ['net', 'netTotal', 'netUnit', 'distributorMargin', 'distributorDiscount'];

async function buildListWorld(dbFile: string): Promise<World & { januaryQuoteId: string }> {
  const world = await buildWorld(dbFile);
  const store = SqliteStore.open(dbFile);
  try {
    const january = (): string => '2026-01-15';
    const quotes = new QuoteService(store, january);
    const orders = new OrderService(store, january);
    const q = await quotes.createQuote(viewer('r1'), {
      name: 'R1 January licences',
      distributorId: 'D1',
      endCustomerId: 'E2',
      currency: 'USD',
      startDate: '2026-02-01',
      lines: [{ productId: 'LIC', quantity: '30', additionalDiscountPercent: '5' }],
    });
    await quotes.acceptQuote(viewer('r1'), q.quote.id, q.quote.version);
    const order = await orders.placeOrder(viewer('d1'), q.quote.id);
    await orders.activateOrder(viewer('d1'), order.id);
    const withTiers = (id: string, tiers: { name: string; minBookings: string; bonusPercent: string }[]) => ({
      ...REFERENCE.agreements.find((a) => a.id === id)!,
      tiers,
    });
    await store.upsertReferenceData({
      agreements: [
        withTiers('A-R1-D1', [
          { name: 'Platinum', minBookings: '50000.00', bonusPercent: '4' },
          { name: 'Silver', minBookings: '0', bonusPercent: '0' },
          { name: 'Gold', minBookings: '20000.00', bonusPercent: '2' },
        ]),
        withTiers('A-D1-V', [
          { name: 'Base', minBookings: '0', bonusPercent: '0' },
          { name: 'Plus', minBookings: '30000.00', bonusPercent: '1' },
        ]),
      ],
    });
    return { ...world, januaryQuoteId: q.quote.id };
  } finally {
    await store.close();
  }
}

describe('preview server: the list pages’ controller methods', () => {
  let dir: string;
  let server: PortalServer;
  let world: World & { januaryQuoteId: string };
  const as = {} as Record<UserKey, PortalClient>;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-pages-'));
    const dbFile = path.join(dir, 'cpq.db');
    world = await buildListWorld(dbFile);
    server = await startPortalServer({ dbFile, port: 0, today: () => TODAY });
    for (const key of ['vendor', 'd1', 'd2', 'r1', 'r2', 'r3'] as const) as[key] = await signedIn(server, key);
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function expectError(client: PortalClient, target: string, params: unknown, status: number, code: string) {
    const reply = await client.apex<ErrorReply>(target, params);
    expect(reply.status, reply.text).to.equal(status);
    expect(reply.body.error.code).to.equal(code);
    return reply.body.error;
  }

  describe('QuoteController.listEndCustomers', () => {
    it('lists the end customers by name with only what the New quote form shows', async () => {
      const list = await as.r1.ok<EndCustomerOption[]>('QuoteController.listEndCustomers', {});
      expect(list).to.deep.equal([
        { id: 'E1', name: 'Acme & Sons', country: null, region: null },
        { id: 'E2', name: 'Globex', country: null, region: null },
      ]);
    });

    it('lists to each partner only the end customers its own records name; the vendor sees all', async () => {
      const names = async (key: UserKey): Promise<string[]> =>
        (await as[key].ok<EndCustomerOption[]>('QuoteController.listEndCustomers', {})).map((c) => c.name);
      // R2 quotes only Globex: Acme & Sons, a customer of R1 and R3, stays unknown to it.
      expect(await names('r2')).to.deep.equal(['Globex']);
      expect(await names('r3')).to.deep.equal(['Acme & Sons']);
      // A distributor: the customers of its resellers' quotes (D2 sells to R3 only).
      expect(await names('d2')).to.deep.equal(['Acme & Sons']);
      expect(await names('vendor')).to.deep.equal(['Acme & Sons', 'Globex']);
    });

    it('lets a reseller create a quote for a listed end customer', async () => {
      const [first] = await as.r3.ok<EndCustomerOption[]>('QuoteController.listEndCustomers', {});
      const created = await as.r3.ok<QuoteDetail>('QuoteController.createQuote', {
        quote: { endCustomerId: first!.id, currency: 'USD', startDate: '2026-04-01' },
      });
      expect(created.quote.endCustomerName).to.equal('Acme & Sons');
    });

    it('refuses parameters it does not take', async () => {
      const error = await expectError(as.r1, 'QuoteController.listEndCustomers', { resellerId: 'R2' }, 400, 'INVALID_INPUT');
      expect(error.message).to.contain('resellerId');
    });
  });

  describe('QuoteController.createEndCustomer', () => {
    type Added = { endCustomer: EndCustomerOption; created: boolean };
    const add = (key: UserKey, endCustomer: Record<string, unknown>): Promise<Added> =>
      as[key].ok<Added>('QuoteController.createEndCustomer', { endCustomer });
    const listed = async (key: UserKey): Promise<string[]> =>
      (await as[key].ok<EndCustomerOption[]>('QuoteController.listEndCustomers', {})).map((c) => c.name);

    it('adds a company once: the same name in the same country, or the same registration number, is the same account', async () => {
      const first = await add('r2', {
        name: 'Initech Svenska AB',
        country: 'se',
        region: 'EMEA',
        registrationNumber: '556012-5790',
      });
      expect(first.created).to.equal(true);
      expect(first.endCustomer).to.include({ name: 'Initech Svenska AB', country: 'SE', region: 'EMEA' });
      // Case, accents, spacing, punctuation and the legal form do not make another company.
      const again = await add('r3', { name: '  INITECH svenska, ab. ', country: 'SE' });
      expect(again).to.deep.equal({ endCustomer: first.endCustomer, created: false });
      const byNumber = await add('r1', { name: 'Initech (Norway)', country: 'NO', registrationNumber: '5560125790' });
      expect(byNumber).to.deep.equal({ endCustomer: first.endCustomer, created: false });
      // Another country is another company.
      const elsewhere = await add('r2', { name: 'Initech Svenska', country: 'FI' });
      expect(elsewhere.created).to.equal(true);
      expect(elsewhere.endCustomer.id).to.not.equal(first.endCustomer.id);
      // Each reseller that added or found it now sees it; one that did not does not.
      expect(await listed('r3')).to.include('Initech Svenska AB');
      expect(await listed('r1')).to.include('Initech Svenska AB');
      const created = await as.r3.ok<QuoteDetail>('QuoteController.createQuote', {
        quote: { endCustomerId: first.endCustomer.id, currency: 'USD', startDate: '2026-04-01' },
      });
      expect(created.quote.endCustomerName).to.equal('Initech Svenska AB');
    });

    it('gives two resellers adding the same company at once one account', async () => {
      const both = await Promise.all([
        add('r1', { name: 'Hooli Oy', country: 'FI' }),
        add('r2', { name: 'HOOLI', country: 'fi' }),
      ]);
      expect(both[0].endCustomer.id).to.equal(both[1].endCustomer.id);
      expect(both.map((b) => b.created).sort()).to.deep.equal([false, true]);
    });

    it('names the bad field, refuses distributors, and writes nothing', async () => {
      const before = await listed('vendor');
      const bad = await expectError(
        as.r1,
        'QuoteController.createEndCustomer',
        { endCustomer: { name: 'Umbrella', country: 'Sweden' } },
        400,
        'INVALID_INPUT',
      );
      expect(bad.issues.map((i) => i.path)).to.deep.equal(['endCustomer.country']);
      expect(bad.issues[0]!.message).to.equal('must be a two-letter ISO country code such as "SE"');
      const blank = await expectError(
        as.r1,
        'QuoteController.createEndCustomer',
        { endCustomer: { name: '  ', country: 'SE' } },
        400,
        'INVALID_INPUT',
      );
      expect(blank.issues.map((i) => `${i.path}: ${i.message}`)).to.deep.equal(["endCustomer.name: enter the company's name"]);
      await expectError(
        as.d1,
        'QuoteController.createEndCustomer',
        { endCustomer: { name: 'Umbrella', country: 'SE' } },
        403,
        'FORBIDDEN',
      );
      expect(await listed('vendor')).to.deep.equal(before);
    });
  });

  describe('AgreementController.getAgreementStanding', () => {
    const standing = (key: UserKey) => as[key].ok<AgreementStanding[]>('AgreementController.getAgreementStanding', {});

    it('gives a reseller its tier from the bookings of the trailing 12 months and the distance to the next', async () => {
      const list = await standing('r1');
      expect(list.map((s) => s.agreementId)).to.deep.equal(['A-R1-D1']);
      const [s] = list;
      // Only the January order counts: the world's order of TODAY is outside [TODAY - 1 year, TODAY).
      expect(s).to.deep.include({
        partnerName: 'Reseller One',
        sellerName: 'Distri One',
        currency: 'USD',
        asOf: TODAY,
        bookings12m: '20520.00',
        currentTier: { name: 'Gold', minBookings: '20000.00', bonusPercent: '2' },
        nextTier: { name: 'Platinum', minBookings: '50000.00', bonusPercent: '4' },
        toNextTier: '29480.00',
      });
      expect(s!.tiers.map((t) => t.name)).to.deep.equal(['Silver', 'Gold', 'Platinum']);
      expect(s!.rules).to.have.length(2);
      expect(keyPaths(list, DISTRIBUTOR_ONLY)).to.deep.equal([]);
    });

    it('agrees with the engine: the draft priced for 2026-04-01 (both orders, 41040.00) is Gold too', async () => {
      const detail = await as.r1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: world.r1Draft });
      // The draft starts 2026-04-01: its pricing date sees both orders (40 000+), still Gold.
      expect((detail.pricing as { reseller: { tier: string } }).reseller.tier).to.equal('Gold');
    });

    it('reports no current tier without tiers, and no next tier at the top', async () => {
      const [r2] = await standing('r2');
      expect(r2).to.deep.include({
        agreementId: 'A-R2-D1',
        bookings12m: '0.00',
        currentTier: null,
        nextTier: null,
        toNextTier: null,
      });
    });

    it('shows a distributor its own standing with the vendor and its resellers’, never another distributor’s', async () => {
      const d1 = await standing('d1');
      expect(d1.map((s) => s.agreementId).sort()).to.deep.equal(['A-D1-V', 'A-R1-D1', 'A-R2-D1']);
      expect(d1.find((s) => s.agreementId === 'A-D1-V')).to.deep.include({
        bookings12m: '14364.00',
        currentTier: { name: 'Base', minBookings: '0', bonusPercent: '0' },
        toNextTier: '15636.00',
      });
      expect((await standing('d2')).map((s) => s.agreementId).sort()).to.deep.equal(['A-D2-V', 'A-R3-D2']);
      expect((await standing('vendor')).map((s) => s.agreementId).sort()).to.deep.equal([
        'A-D1-V',
        'A-D2-V',
        'A-R1-D1',
        'A-R2-D1',
        'A-R3-D2',
      ]);
    });

    it('never gives a reseller its distributor’s agreement or bookings', async () => {
      for (const key of ['r1', 'r2', 'r3'] as const) {
        const list = await standing(key);
        expect(
          list.every((s) => s.partnerId === key.toUpperCase()),
          key,
        ).to.equal(true);
      }
    });
  });

  describe('DashboardController.getChannelDashboard', () => {
    const dashboard = (key: UserKey, params: Record<string, unknown> = {}) =>
      as[key].ok<ChannelDashboard>('DashboardController.getChannelDashboard', params);

    it('sums a distributor’s orders, margins and bookings by month in exact decimals', async () => {
      const d = await dashboard('d1');
      // The 12 whole months before this one, plus this month to date (13 months of bookings).
      expect(d).to.deep.include({
        scope: 'distributor',
        currency: 'USD',
        asOf: TODAY,
        from: '2025-03-01',
        to: TODAY,
        months: 13,
      });
      expect(d.currencies).to.deep.equal(['USD']);
      // R1 January (25650.00 / 20520.00 / 14364.00), R1 world order (the same), R2 services: 2 x 1500.00,
      // partner 2 x 1275.00, net 2 x 892.50.
      expect(d.totals).to.deep.include({
        partners: 2,
        orders: 3,
        orderValue: '54300.00',
        averageDealValue: '18100.00',
        resellerMargin: '10710.00',
        distributorMargin: '13077.00',
      });
      expect(d.totals.quotesByStatus).to.deep.include({ Ordered: 3, NeedsApproval: 1 });
      expect(d.resellers.map((r) => r.partnerId)).to.deep.equal(['R1', 'R2']);
      expect(d.resellers[1]).to.deep.include({
        orders: 1,
        orderValue: '3000.00',
        resellerMargin: '450.00',
        distributorMargin: '765.00',
      });
      expect(d.distributors).to.deep.equal([]);
      expect(d.bookingsByMonth).to.have.length(13);
      expect(d.bookingsByMonth[0]!.month).to.equal('2025-03');
      expect(d.bookingsByMonth.find((m) => m.month === '2026-01')).to.deep.equal({
        month: '2026-01',
        orders: 1,
        customerTotal: '25650.00',
        resellerBookings: '20520.00',
        distributorBookings: '14364.00',
      });
      // March: two orders placed, only R1's activated (bookings count from activation).
      expect(d.bookingsByMonth.at(-1)).to.deep.equal({
        month: '2026-03',
        orders: 2,
        customerTotal: '25650.00',
        resellerBookings: '20520.00',
        distributorBookings: '14364.00',
      });
    });

    it('counts the distributor’s approval decisions into the acceptance rate', async () => {
      expect((await dashboard('d1')).totals.approvalAcceptanceRate).to.equal(null);
      const pending = await as.d1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: world.r1Pending });
      await as.d1.ok('ApprovalController.decide', {
        quoteId: world.r1Pending,
        version: pending.quote.version,
        decision: 'approve',
        comment: 'Fine this once',
      });
      const d = await dashboard('d1');
      expect(d.totals).to.deep.include({ approvalsDecided: 1, approvalsApproved: 1, approvalAcceptanceRate: '100.0' });
      expect(d.resellers.find((r) => r.partnerId === 'R1')).to.deep.include({ approvalAcceptanceRate: '100.0' });
    });

    it('keeps a distributor to its own resellers and margins', async () => {
      const d = await dashboard('d2');
      expect(d.resellers.map((r) => r.partnerId)).to.deep.equal(['R3']);
      expect(d.totals).to.deep.include({ orders: 0, orderValue: '0.00', distributorMargin: '0.00', averageDealValue: null });
      expect(JSON.stringify(d)).not.to.contain('R1').and.not.to.contain('Distri One');
    });

    it('gives the vendor every partner and a row per distributor', async () => {
      const d = await dashboard('vendor');
      expect(d.scope).to.equal('vendor');
      // By name: Reseller One, Reseller Three, Reseller Two.
      expect(d.resellers.map((r) => r.partnerId)).to.deep.equal(['R1', 'R3', 'R2']);
      expect(d.distributors.map((r) => r.partnerId)).to.deep.equal(['D1', 'D2']);
      expect(d.distributors[0]).to.deep.include({ orders: 3, orderValue: '54300.00', distributorMargin: '13077.00' });
      expect(d.totals.partners).to.equal(5);
    });

    it('narrows the window and converts other currencies instead of dropping them', async () => {
      const d = await dashboard('d1', { months: 1 });
      expect(d.from).to.equal('2026-02-01');
      expect(d.bookingsByMonth.map((m) => m.month)).to.deep.equal(['2026-02', '2026-03']);
      expect(d.totals.orders).to.equal(2);
      const dates = await dashboard('d1', { fromDate: '2026-01-01', toDate: '2026-01-31' });
      expect(dates.totals).to.deep.include({ orders: 1, orderValue: '25650.00' });
      // This world has no EUR rate: the USD orders cannot be shown in EUR, and the error says why.
      const eur = await expectError(
        as.d1,
        'DashboardController.getChannelDashboard',
        { currencyCode: 'EUR' },
        422,
        'NO_EXCHANGE_RATE',
      );
      expect(eur.message).to.match(/no exchange rate for EUR on 2026-\d\d-\d\d/);
    });

    it('refuses resellers (403) and bad parameters (400 naming them)', async () => {
      await expectError(as.r1, 'DashboardController.getChannelDashboard', {}, 403, 'FORBIDDEN');
      const months = await expectError(as.d1, 'DashboardController.getChannelDashboard', { months: 0 }, 400, 'INVALID_INPUT');
      expect(months.issues.map((i) => i.path)).to.deep.equal(['months']);
      const currency = await expectError(
        as.d1,
        'DashboardController.getChannelDashboard',
        { currencyCode: 'usd' },
        400,
        'INVALID_INPUT',
      );
      expect(currency.issues.map((i) => i.path)).to.deep.equal(['currencyCode']);
    });
  });
});
