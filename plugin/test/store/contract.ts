import type { CpqError } from '../../src/core/errors.js';
import { expect } from 'chai';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, StateError } from '../../src/core/errors.js';
import type { ApprovalRecord, ContractRecord, OrderRecord, QuoteRecord, Viewer } from '../../src/core/records.js';
import type { Agreement, DiscountSchedule } from '../../src/core/scenario.js';
import type { CpqStore, QuoteFilter, ReferenceData } from '../../src/store/port.js';
import { DEFAULT_DEAL_RULES, decideRegistration, newRegistration } from '../../src/core/deals.js';
import { DealService, registerDealInputSchema } from '../../src/services/deals.js';
import { OrderService } from '../../src/services/orders.js';
import { QuoteService, expireQuotes, type QuoteDetail } from '../../src/services/quotes.js';
import { generateRenewals } from '../../src/services/renewals.js';
import { listVisibleContracts } from '../../src/services/visibleReads.js';
import { addDays, addMonths } from '../../src/core/renewals.js';
import { DEMO_LOGO_PNG_BASE64 } from '../../src/store/demoLogo.js';
import { TODAY, USER_IDS, viewers, worldReference } from '../fixtures/world.js';

/**
 * The shared store contract: what every CpqStore adapter must do, run for SQLite (sqlite.test.ts) and for
 * the org adapter over the fake org (org/orgStore.test.ts). `open` gives a fresh store holding `reference`.
 *
 * Part one is the whole partner flow through the services: reseller quote -> approval -> accept ->
 * distributor order -> contract -> renewal -> accept -> order. Every figure is worked out by hand from
 * PRICING.md and the fixture's agreements (test/fixtures/world.ts), never copied from the code. Part two
 * calls the port directly: round trips, exact decimals, filters, versions, numbers, idempotency.
 */

export type OpenStore = (reference: ReferenceData) => Promise<CpqStore>;

type Line = QuoteDetail['pricing']['lines'][number];
const unit = (line: Line | undefined, stage: 'list' | 'customer' | 'partner'): string | null => line?.[stage].unit ?? null;
const net = (line: Line | undefined): string | null => (line && 'net' in line ? line.net.unit : 'hidden');

export function storeContract(name: string, open: OpenStore): void {
  describe(`store contract: ${name}`, () => {
    storyContract(open);
    portContract(open);
  });
}

function storyContract(open: OpenStore): void {
  describe('services: the partner story', () => {
    let store: CpqStore;
    let clock = TODAY;
    let quotes: QuoteService;
    let orders: OrderService;
    const today = (): string => clock;

    beforeEach(async () => {
      store = await open(worldReference());
      clock = TODAY;
      quotes = new QuoteService(store, today);
      orders = new OrderService(store, today);
    });
    afterEach(async () => store.close());

    const createStoryQuote = (): Promise<QuoteDetail> =>
      quotes.createQuote(viewers.r1, {
        endCustomerId: 'C1',
        currency: 'USD',
        startDate: '2026-06-01',
        termMonths: 12,
        lines: [
          { productId: 'LIC', quantity: '30', additionalDiscountPercent: '20' },
          { productId: 'SUB', quantity: 10 },
        ],
      });

    it('runs quote -> approval -> accept -> order -> contract -> renewal -> accept -> order', async () => {
      const created = await createStoryQuote();
      // Default distributor: R1 is in EMEA, rule DR-EMEA names D1, and R1 holds an agreement with D1.
      expect(created.quote.distributorId).to.equal('D1');
      expect(created.quote.status).to.equal('Draft');
      const [lic, sub] = created.pricing.lines;
      // LIC: 1000.00, 20 % additional -> 800.00, Licenses 20 % -> 640.00 (net hidden from the reseller).
      expect([unit(lic, 'list'), unit(lic, 'customer'), unit(lic, 'partner'), net(lic)]).to.deep.equal([
        '1000.00',
        '800.00',
        '640.00',
        'hidden',
      ]);
      // 20 % is above the 15 % cap of rule R1-ALL (the family rule sets no cap).
      expect(lic?.approvalRequired).to.equal(true);
      // SUB: 1200.00 for 12 months, all-rule 10 % -> 1080.00.
      expect([unit(sub, 'customer'), unit(sub, 'partner')]).to.deep.equal(['1200.00', '1080.00']);
      expect(created.pricing.totals).to.deep.equal({
        list: '42000.00',
        regular: '42000.00',
        customer: '36000.00',
        partner: '30000.00',
        resellerMargin: '6000.00',
      });

      const id = created.quote.id;
      await expectRejection(quotes.acceptQuote(viewers.r1, id, 1), StateError, /approval/);
      const submitted = await quotes.submitForApproval(viewers.r1, id, 1, 'Large fleet deal, competitor at -18 %');
      expect(submitted.quote.status).to.equal('NeedsApproval');

      // The distributor sees Net: 640.00 less 30 % = 448.00, 1080.00 less 30 % = 756.00.
      const forDistributor = await quotes.getQuote(viewers.d1, id);
      expect(forDistributor.pricing.lines.map(net)).to.deep.equal(['448.00', '756.00']);
      expect(forDistributor.pricing.totals).to.include({ net: '21000.00', distributorMargin: '9000.00' });
      expect(forDistributor.actions.canDecideApproval).to.equal(true);

      const approved = await quotes.decideApproval(viewers.d1, id, 2, 'approve', 'OK for this fleet');
      expect(approved.quote.status).to.equal('Approved');
      const seenByReseller = await quotes.getQuote(viewers.r1, id);
      expect(seenByReseller.approvals.map((a) => [a.status, a.comment, a.decisionComment])).to.deep.equal([
        ['Approved', 'Large fleet deal, competitor at -18 %', 'OK for this fleet'],
      ]);

      const accepted = await quotes.acceptQuote(viewers.r1, id, 3);
      expect(accepted.quote.status).to.equal('Accepted');

      const order = await orders.placeOrder(viewers.d1, id);
      expect(order.status).to.equal('Placed');
      expect(order.lines.map((l) => [l.productId, l.customer, l.partner, l.net])).to.deep.equal([
        ['LIC', '800.00', '640.00', '448.00'],
        ['SUB', '1200.00', '1080.00', '756.00'],
      ]);
      expect(order.netTotal).to.equal('21000.00');
      expect((await store.listInventory('D1'))[0]?.quantity).to.equal('70');
      expect((await store.getQuote(id))?.status).to.equal('Ordered');

      const activated = await orders.activateOrder(viewers.d1, order.id);
      expect(activated.status).to.equal('Activated');
      const [contract] = await store.listContracts({ resellerId: 'R1' });
      expect(contract).to.include({ startDate: '2026-06-01', endDate: '2027-05-31', termMonths: 12, renewalQuoteId: null });
      expect(contract?.subscriptions.map((s) => [s.productId, s.quantity, s.customerUnit])).to.deep.equal([
        ['SUB', '10', '1200.00'],
      ]);
      // The order now counts in bookings: R1 bought from D1 at Partner, D1 from the vendor at Net.
      const bookings = await store.listBookings(
        [
          { partnerId: 'R1', sellerId: 'D1' },
          { partnerId: 'D1', sellerId: 'V' },
        ],
        '2026-01-01',
        '2026-12-31',
      );
      expect(bookings.map((b) => [b.partnerId, b.sellerId, b.amount, b.currency])).to.have.deep.members([
        ['R1', 'D1', '30000.00', 'USD'],
        ['D1', 'V', '21000.00', 'USD'],
      ]);
      // Never another pair: R1 bought nothing from D2.
      expect(await store.listBookings([{ partnerId: 'R1', sellerId: 'D2' }], '2026-01-01', '2026-12-31')).to.deep.equal([]);

      // 2027-05-31 less 90 days is 2027-03-02: nothing the day before, one renewal on that day.
      expect((await generateRenewals(store, { asOf: '2027-03-01' })).created).to.equal(0);
      const run = await generateRenewals(store, { asOf: '2027-03-02' });
      expect(run.created).to.equal(1);
      expect((await generateRenewals(store, { asOf: '2027-03-02' })).created).to.equal(0);

      clock = '2027-03-02';
      const [renewal] = await quotes.listQuotes(viewers.r1, { statuses: ['Draft'] });
      expect(renewal).to.include({
        isRenewal: true,
        startDate: '2027-06-01',
        customerTotal: '12000.00',
        partnerTotal: '10800.00',
      });
      const renewalDetail = await quotes.getQuote(viewers.r1, renewal!.id);
      // Method same: Customer carried (1200.00); partner discount resolved afresh: 10 % -> 1080.00.
      expect(
        renewalDetail.pricing.lines.map((l) => [l.productId, l.quantity, l.termMonths, l.customer.unit, l.partner.unit]),
      ).to.deep.equal([['SUB', '10', 12, '1200.00', '1080.00']]);
      await quotes.acceptQuote(viewers.r1, renewal!.id, 1);
      const renewalOrder = await orders.placeOrder(viewers.d1, renewal!.id);
      expect(renewalOrder.netTotal).to.equal('7560.00');
    });

    it('books every currency in the ledger, in the order currency, and converts it at the order date rate', async () => {
      await store.upsertReferenceData({ priceBook: [{ productId: 'SRV', currency: 'EUR', listPrice: '450.00' }] });
      for (const currency of ['EUR', 'USD']) {
        const q = await quotes.createQuote(viewers.r1, {
          distributorId: 'D1',
          endCustomerId: 'C1',
          currency,
          startDate: '2026-06-01',
          lines: [{ productId: 'SRV', quantity: '2' }],
        });
        await quotes.acceptQuote(viewers.r1, q.quote.id, 1);
        await orders.activateOrder(viewers.d1, (await orders.placeOrder(viewers.d1, q.quote.id)).id);
      }
      // USD: 2 x 500.00 less 10 % = 900.00 (reseller), less 30 % = 630.00 (distributor);
      // EUR: 2 x 450.00 less 10 % = 810.00, less 30 % = 567.00, kept in EUR (converted when counted).
      const bookings = await store.listBookings(
        [
          { partnerId: 'R1', sellerId: 'D1' },
          { partnerId: 'D1', sellerId: 'V' },
        ],
        '2026-01-01',
        '2026-12-31',
      );
      expect(bookings.map((b) => [b.partnerId, b.sellerId, b.amount, b.currency])).to.have.deep.members([
        ['R1', 'D1', '900.00', 'USD'],
        ['D1', 'V', '630.00', 'USD'],
        ['R1', 'D1', '810.00', 'EUR'],
        ['D1', 'V', '567.00', 'EUR'],
      ]);

      // Pricing on 2026-07-01 counts both orders of 2026-06-01: without a EUR rate that day, an error naming
      // the currency and the date (never a silent 0).
      const next = {
        distributorId: 'D1',
        endCustomerId: 'C1',
        currency: 'USD',
        startDate: '2026-07-01',
        lines: [{ productId: 'SRV', quantity: '1' }],
      };
      const refused = await quotes.createQuote(viewers.r1, next).then(
        () => undefined,
        (error: unknown) => error as CpqError,
      );
      expect(refused?.code).to.equal('NO_EXCHANGE_RATE');
      expect(refused?.message).to.include('EUR').and.to.include('2026-06-01');

      // EUR 0.900000 per USD from 2026-01-01: reseller 900.00 + 810.00 / 0.9 = 1800.00,
      // distributor 630.00 + 567.00 / 0.9 = 1260.00.
      await store.importExchangeRates([{ currency: 'EUR', startDate: '2026-01-01', rate: '0.900000' }]);
      expect(await store.listExchangeRates()).to.deep.equal([{ currency: 'EUR', startDate: '2026-01-01', rate: '0.9' }]);
      const priced = await quotes.createQuote(viewers.r1, next);
      const seen = await quotes.getQuote(viewers.d1, priced.quote.id);
      expect([
        seen.pricing.reseller.bookings,
        'distributor' in seen.pricing ? seen.pricing.distributor.bookings : null,
      ]).to.deep.equal(['1800.00', '1260.00']);

      // A new rate from the order date itself (0.810000) is the one valid on that day: 810.00 / 0.81 = 1000.00,
      // 567.00 / 0.81 = 700.00; reseller 1900.00, distributor 1330.00.
      await store.importExchangeRates([{ currency: 'EUR', startDate: '2026-06-01', rate: '0.810000' }]);
      const repriced = await quotes.createQuote(viewers.r1, next);
      const seenAgain = await quotes.getQuote(viewers.d1, repriced.quote.id);
      expect([
        seenAgain.pricing.reseller.bookings,
        'distributor' in seenAgain.pricing ? seenAgain.pricing.distributor.bookings : null,
      ]).to.deep.equal(['1900.00', '1330.00']);
    });

    it('uplifts a renewal by the end customer account default (5 %)', async () => {
      const quote = await quotes.createQuote(viewers.r1, {
        endCustomerId: 'C2',
        currency: 'USD',
        startDate: '2026-06-01',
        termMonths: 12,
        lines: [{ productId: 'SUB', quantity: '1' }],
      });
      await quotes.acceptQuote(viewers.r1, quote.quote.id, 1);
      const order = await orders.placeOrder(viewers.d1, quote.quote.id);
      await orders.activateOrder(viewers.d1, order.id);
      await generateRenewals(store, { asOf: '2027-05-01' });
      const [renewal] = (await quotes.listQuotes(viewers.d1)).filter((q) => q.isRenewal);
      const detail = await quotes.getQuote(viewers.d1, renewal!.id);
      // 1200.00 x 1.05 = 1260.00; less 10 % = 1134.00; less 30 % = 793.80.
      expect(detail.pricing.lines.map((l) => [l.customer.unit, l.partner.unit, net(l)])).to.deep.equal([
        ['1260.00', '1134.00', '793.80'],
      ]);
    });

    it('co-terminates a group on one renewal quote (issue 12: contracts ending 2027-03-19 and 2027-05-31)', async () => {
      // Group ACME (R1, D1, C1, USD): A 12 months ending 2027-03-19, 10 SUB at 1200.00 / 12 months; B 12 months
      // ending 2027-05-31, 5 SUB at 1200.00; C ending 2028-06-30, after the common end date; X in no group.
      await insertContracts(store, 4, 'G', 1, (c) => {
        const shape = {
          G1: { endDate: '2027-03-19', contractGroup: 'ACME', quantity: '10' },
          G2: { endDate: '2027-05-31', contractGroup: 'ACME', quantity: '5' },
          G3: { endDate: '2028-06-30', contractGroup: 'ACME', quantity: '1' },
          G4: { endDate: '2027-04-30', contractGroup: undefined, quantity: '1' },
        }[c.id]!;
        return {
          ...c,
          startDate: addDays(addMonths(shape.endDate, -12), 1),
          endDate: shape.endDate,
          contractGroup: shape.contractGroup,
          subscriptions: c.subscriptions.map((sub) => ({ ...sub, quantity: shape.quantity })),
        };
      });
      // Due on 2027-03-19 less 90 days = 2026-12-19 (19 + 28 + 31 + 12 days back): nothing the day before.
      expect((await generateRenewals(store, { asOf: '2026-12-18' })).created).to.equal(0);
      const run = await generateRenewals(store, { asOf: '2026-12-19' });
      expect([run.planned, run.created, run.contractsDue]).to.deep.equal([1, 1, 2]);
      expect(run.quotes.map((q) => [q.contractIds, q.startDate])).to.deep.equal([[['G1', 'G2'], '2027-03-20']]);
      // A rerun, even after every member is due, makes nothing more; G4 (no group) renews on its own later.
      expect((await generateRenewals(store, { asOf: '2026-12-19' })).created).to.equal(0);

      const quoteId = run.quotes[0]!.quoteId!;
      const stored = await store.getQuote(quoteId);
      // Quote: 2027-03-20 + 12 months - 1 day = common end 2028-03-19. G1's line: 12 months from the quote start.
      // G2's line: 2027-06-01..2028-03-19 = 9 whole months (to 2028-02-29) + 19 days of March (31) = 9.6129 → 9.61;
      // renewal unit 1200.00 × 9.61 / 12 = 961.00.
      expect(stored).to.include({ startDate: '2027-03-20', termMonths: 12, contractGroup: 'ACME' });
      expect(stored?.renewalOfContractIds).to.deep.equal(['G1', 'G2']);
      expect(stored?.lines.map((l) => [l.quantity, l.startDate ?? null, l.termMonths, l.renewalCustomerUnit])).to.deep.equal([
        ['10', null, 12, '1200.00'],
        ['5', '2027-06-01', 9.61, '961.00'],
      ]);
      expect((await store.getContract('G2'))?.renewalQuoteId).to.equal(quoteId);
      expect((await store.getContract('G3'))?.renewalQuoteId).to.equal(null);

      clock = '2026-12-19';
      const detail = await quotes.getQuote(viewers.d1, quoteId);
      // List 1200.00 × 9.61/12 = 961.00; partner resolved afresh: all-rule 10 % → 864.90; D1 30 % → 605.43 (605.43).
      expect(detail.pricing.lines.map((l) => [l.termMonths, l.list.unit, l.customer.unit, l.partner.unit, net(l)])).to.deep.equal(
        [
          [12, '1200.00', '1200.00', '1080.00', '756.00'],
          [9.61, '961.00', '961.00', '864.90', '605.43'],
        ],
      );
      // 10 × 1200.00 + 5 × 961.00 = 16805.00; 10 × 1080.00 + 5 × 864.90 = 15124.50; 10 × 756.00 + 5 × 605.43 = 10587.15
      expect(detail.pricing.totals).to.include({ customer: '16805.00', partner: '15124.50', net: '10587.15' });

      // Renewal status: quoted, then accepted (no longer due), then renewed once ordered.
      const status = async (id: string) =>
        (await listVisibleContracts(store, viewers.r1)).find((c) => c.id === id)?.renewalStatus;
      expect([await status('G1'), await status('G2'), await status('G3')]).to.deep.equal(['Quoted', 'Quoted', 'None']);
      await quotes.acceptQuote(viewers.r1, quoteId, detail.quote.version);
      expect([await status('G1'), await status('G2')]).to.deep.equal(['Accepted', 'Accepted']);
      await orders.placeOrder(viewers.d1, quoteId);
      expect([await status('G1'), await status('G2'), await status('G3')]).to.deep.equal(['Renewed', 'Renewed', 'None']);
    });

    it('prices a line term with decimals, and a contract of whole months from it', async () => {
      const quote = await quotes.createQuote(viewers.r1, {
        endCustomerId: 'C2',
        currency: 'USD',
        startDate: '2026-06-01',
        lines: [{ productId: 'SUB', quantity: '1', termMonths: 9.5 }],
      });
      // 1200.00 per 12 months × 9.5 = 950.00
      expect(quote.pricing.lines.map((l) => [l.termMonths, l.list.unit])).to.deep.equal([[9.5, '950.00']]);
      await expectRejection(
        quotes.createQuote(viewers.r1, {
          endCustomerId: 'C2',
          currency: 'USD',
          startDate: '2026-06-01',
          lines: [{ productId: 'SUB', quantity: '1', termMonths: 9.555 }],
        }),
        InvalidInputError,
      );
      await quotes.acceptQuote(viewers.r1, quote.quote.id, 1);
      const order = await orders.placeOrder(viewers.d1, quote.quote.id);
      await orders.activateOrder(viewers.d1, order.id);
      // No quote term: the contract runs the longest line rounded up to whole months, 10: to 2027-03-31.
      const [contract] = await store.listContracts({ resellerId: 'R1' });
      expect(contract).to.include({ termMonths: 10, endDate: '2027-03-31' });
      expect(contract?.subscriptions.map((s) => s.termMonths)).to.deep.equal([9.5]);
    });

    it('prices by the agreement’s channel mode; only the vendor overrides it on one quote, recorded', async () => {
      // A-R1-D1 in offList mode. LIC 30 at 5 % additional: Customer 950.00; offList Partner = 950.00 - 1000.00 x
      // 20 % = 750.00, Net = 750.00 - 1000.00 x 30 % = 450.00 (sequential: 760.00 and 532.00).
      const reference = worldReference();
      reference.agreements = reference.agreements.map((a) => (a.id === 'A-R1-D1' ? { ...a, channelMode: 'offList' } : a));
      await store.upsertReferenceData({ agreements: reference.agreements });
      const created = await quotes.createQuote(viewers.r1, {
        endCustomerId: 'C1',
        distributorId: 'D1',
        currency: 'USD',
        startDate: '2026-06-01',
        lines: [{ productId: 'LIC', quantity: '30', additionalDiscountPercent: '5' }],
      });
      const id = created.quote.id;
      expect(created.pricing.channelMode).to.equal('offList');
      expect([unit(created.pricing.lines[0], 'customer'), unit(created.pricing.lines[0], 'partner')]).to.deep.equal([
        '950.00',
        '750.00',
      ]);
      expect(created.quote.channelMode).to.equal(undefined);
      const asDistributor = await quotes.getQuote(viewers.d1, id);
      expect(net(asDistributor.pricing.lines[0])).to.equal('450.00');

      // Partners cannot choose the mode; the vendor admin sets this quote to sequential, recorded and repriced.
      await expectRejection(quotes.setChannelMode(viewers.d1, id, created.quote.version, 'sequential'), ForbiddenError);
      await expectRejection(quotes.setChannelMode(viewers.r1, id, created.quote.version, 'sequential'), ForbiddenError);
      const overridden = await quotes.setChannelMode(viewers.vendor, id, created.quote.version, 'sequential');
      expect(overridden.pricing.channelMode).to.equal('sequential');
      expect(overridden.quote).to.deep.include({
        channelMode: 'sequential',
        channelModeSetBy: USER_IDS.vendor,
        channelModeSetByName: 'Vera Vendor',
        partnerTotal: '22800.00',
        netTotal: '15960.00',
      });
      const seen = await quotes.getQuote(viewers.r1, id);
      expect(unit(seen.pricing.lines[0], 'partner')).to.equal('760.00');
      expect(seen.quote).to.deep.include({ channelMode: 'sequential', channelModeSetByName: 'Vera Vendor' });
      // A stale version is refused; null gives the quote back its agreement's mode.
      await expectRejection(quotes.setChannelMode(viewers.vendor, id, created.quote.version, null), ConflictError);
      const back = await quotes.setChannelMode(viewers.vendor, id, overridden.quote.version, null);
      expect(back.pricing.channelMode).to.equal('offList');
      expect(back.quote.channelMode).to.equal(undefined);
      expect(back.quote.channelModeSetBy).to.equal(undefined);
      // A copy never carries an override.
      const again = await quotes.setChannelMode(viewers.vendor, id, back.quote.version, 'sequential');
      const copy = await quotes.cloneQuote(viewers.r1, id);
      expect(copy.pricing.channelMode).to.equal('offList');
      // Once accepted, the price no longer moves.
      const accepted = await quotes.acceptQuote(viewers.r1, id, again.quote.version);
      await expectRejection(quotes.setChannelMode(viewers.vendor, id, accepted.quote.version, 'offList'), StateError);
    });

    it('keeps a quote name of 80 characters (the org record Name): longer is refused naming the field, a copy’s name fits', async () => {
      const created = await createStoryQuote();
      const id = created.quote.id;
      await expectRejection(
        quotes.saveQuote(viewers.r1, { quoteId: id, version: 1, name: 'N'.repeat(81), lines: [] }),
        InvalidInputError,
        /name: must be at most 80 characters/,
      );
      const saved = await quotes.saveQuote(viewers.r1, {
        quoteId: id,
        version: 1,
        name: 'N'.repeat(80),
        lines: created.quote.lines,
      });
      expect(saved.quote.name).to.equal('N'.repeat(80));
      expect((await store.getQuote(id))?.name).to.equal('N'.repeat(80));
      const copy = await quotes.cloneQuote(viewers.r1, id);
      expect(copy.quote.name).to.equal(`${'N'.repeat(80)} (copy)`.slice(0, 80));
    });

    it('refuses an approval without a comment (blank or whitespace), and writes nothing', async () => {
      const created = await createStoryQuote();
      const id = created.quote.id;
      await quotes.submitForApproval(viewers.r1, id, 1, 'Large fleet deal, competitor at -18 %');
      const before = { quote: await store.getQuote(id), approvals: await store.listApprovals([id]) };
      // CHANNEL.md: each decision carries a comment, an approval as much as a rejection.
      for (const blank of ['', '   ', '\n\t ']) {
        const refused = await quotes.decideApproval(viewers.d1, id, 2, 'approve', blank).catch((e: unknown) => e);
        expect(refused).to.be.instanceOf(InvalidInputError);
        expect((refused as InvalidInputError).message).to.equal(
          'comment: write a comment for the reseller: every decision carries one',
        );
        expect((refused as InvalidInputError).issues.map((i) => i.path)).to.deep.equal(['comment']);
      }
      expect({ quote: await store.getQuote(id), approvals: await store.listApprovals([id]) }).to.deep.equal(before);
      expect(before.quote?.status).to.equal('NeedsApproval');
      expect(before.approvals.map((a) => [a.status, a.decidedBy, a.decisionComment])).to.deep.equal([['Pending', null, null]]);
      // With a comment it is approved, the comment trimmed.
      const approved = await quotes.decideApproval(viewers.d1, id, 2, 'approve', '  OK for this fleet ');
      expect(approved.quote).to.include({ status: 'Approved', version: 3 });
      expect((await store.listApprovals([id])).map((a) => [a.status, a.decisionComment])).to.deep.equal([
        ['Approved', 'OK for this fleet'],
      ]);
    });

    it('keeps every partner to its own quotes and hides Net from resellers', async () => {
      const created = await createStoryQuote();
      const id = created.quote.id;
      await expectRejection(quotes.getQuote(viewers.r2, id), NotFoundError);
      await expectRejection(quotes.getQuote(viewers.d2, id), NotFoundError);
      expect(await quotes.listQuotes(viewers.r2)).to.deep.equal([]);
      expect(await quotes.listQuotes(viewers.d2)).to.deep.equal([]);
      expect((await quotes.listQuotes(viewers.vendor)).map((q) => q.id)).to.deep.equal([id]);
      await expectRejection(quotes.decideApproval(viewers.r1, id, 1, 'approve', 'self-service'), ForbiddenError);
      await expectRejection(orders.placeOrder(viewers.r1, id), ForbiddenError);
      await expectRejection(quotes.saveQuote(viewers.r2, { quoteId: id, version: 1, lines: [] }), NotFoundError);
      const forReseller = JSON.stringify([await quotes.getQuote(viewers.r1, id), await quotes.listQuotes(viewers.r1)]);
      expect(forReseller).not.to.match(/"net"|"netTotal"|"distributorMargin"|"distributorDiscount"|448\.00|21000\.00/);
    });

    it("flags a line below its product family's price floor for the vendor, and never tells the reseller the floor", async () => {
      // SRV (family Services) 500.00, all-rule 10 % -> Partner 450.00; Net 30 % off -> 315.00 = 63 % of List,
      // below the Services family floor of 70 % (SRV sets no floor of its own).
      await store.upsertReferenceData({ productFamilies: [{ family: 'Services', minNetPercentOfList: '70' }] });
      const created = await quotes.createQuote(viewers.r1, {
        endCustomerId: 'C1',
        currency: 'USD',
        startDate: '2026-06-01',
        lines: [{ productId: 'SRV', quantity: '2' }],
      });
      const forVendor = await quotes.getQuote(viewers.vendor, created.quote.id);
      expect(forVendor.pricing.lines.map(net)).to.deep.equal(['315.00']);
      const [vendorLine] = forVendor.pricing.lines;
      expect([vendorLine!.vendorApprovalRequired, 'priceFloor' in vendorLine! ? vendorLine.priceFloor : 'hidden']).to.deep.equal([
        true,
        { percent: '70', source: 'family' },
      ]);
      expect(vendorLine!.warnings.map((w) => w.code)).to.include('BELOW_PRICE_FLOOR');
      const forReseller = await quotes.getQuote(viewers.r1, created.quote.id);
      expect(forReseller.pricing.lines[0]!.warnings.map((w) => w.code)).to.include('VENDOR_APPROVAL_REQUIRED');
      expect(JSON.stringify(forReseller)).not.to.match(/"net"|BELOW_PRICE_FLOOR|minNetPercentOfList|315\.00|"70"/);
    });

    it('ignores prices a client sends and prices every save itself', async () => {
      const created = await createStoryQuote();
      const tampered = {
        quoteId: created.quote.id,
        version: 1,
        lines: [
          {
            productId: 'SRV',
            quantity: '2',
            customer: { unit: '1.00', total: '2.00' },
            partner: { unit: '0.50' },
            net: { unit: '0.01' },
            listPrice: '0.01',
            renewalCustomerUnit: '1.00',
          },
        ],
      };
      const saved = await quotes.saveQuote(viewers.r1, tampered);
      // SRV 500.00, no discount, all-rule 10 % -> 450.00; Net (distributor view) 30 % -> 315.00.
      expect(saved.pricing.lines.map((l) => [l.list.unit, l.customer.unit, l.partner.unit, l.renewalCustomerUnit])).to.deep.equal(
        [['500.00', '500.00', '450.00', false]],
      );
      expect((await store.getQuote(created.quote.id))?.lines[0]).not.to.have.property('renewalCustomerUnit');
      expect((await quotes.getQuote(viewers.d1, created.quote.id)).pricing.lines.map(net)).to.deep.equal(['315.00']);
    });

    it('saves the quote discount with the quote, prices every line without a discount of its own with it, and clears it', async () => {
      // World: LIC 1000.00 (Licenses 20 %, cap 15 % from R1-ALL), SRV 500.00 (all 10 %).
      const created = await quotes.createQuote(viewers.r1, {
        endCustomerId: 'C1',
        currency: 'USD',
        startDate: '2026-06-01',
        termMonths: 12,
        additionalDiscountPercent: '12.5',
        lines: [
          { productId: 'LIC', quantity: '2' },
          { productId: 'SRV', quantity: '1', additionalDiscountPercent: '0' },
        ],
      });
      const id = created.quote.id;
      const figures = (d: QuoteDetail): unknown[] =>
        d.pricing.lines.map((l) => [
          l.customer.unit,
          l.partner.unit,
          l.additionalDiscount.percent,
          l.additionalDiscount.fromQuote ?? false,
        ]);
      // LIC: 1000.00 less 12.5 % = 875.00, Partner 20 % = 700.00; SRV keeps its own 0 %: 500.00, 450.00.
      expect(figures(created)).to.deep.equal([
        ['875.00', '700.00', '12.5', true],
        ['500.00', '450.00', '0', false],
      ]);
      expect([created.quote.additionalDiscountPercent, created.quote.customerTotal]).to.deep.equal(['12.5', '2250.00']);
      expect((await store.getQuote(id))?.additionalDiscountPercent).to.equal('12.5');

      // 20 % is above R1's 15 % cap: the line needs the distributor's approval. Absent on a later save: kept.
      const raised = await quotes.saveQuote(viewers.r1, {
        quoteId: id,
        version: 1,
        additionalDiscountPercent: '20',
        lines: created.quote.lines,
      });
      expect(figures(raised)[0]).to.deep.equal(['800.00', '640.00', '20', true]);
      expect([raised.pricing.approvalRequired, raised.quote.approvalRequired]).to.deep.equal([true, true]);
      const kept = await quotes.saveQuote(viewers.r1, { quoteId: id, version: 2, lines: created.quote.lines });
      expect([kept.quote.additionalDiscountPercent, kept.pricing.lines[0]?.customer.unit]).to.deep.equal(['20', '800.00']);

      // null clears it: LIC back to its Regular price, no trace of a quote discount.
      const cleared = await quotes.saveQuote(viewers.r1, {
        quoteId: id,
        version: 3,
        additionalDiscountPercent: null,
        lines: created.quote.lines,
      });
      expect(figures(cleared)[0]).to.deep.equal(['1000.00', '800.00', null, false]);
      expect(await store.getQuote(id)).not.to.have.property('additionalDiscountPercent');

      await expectRejection(
        quotes.saveQuote(viewers.r1, { quoteId: id, version: 4, additionalDiscountPercent: '101', lines: [] }),
        InvalidInputError,
        /additionalDiscountPercent/,
      );
    });

    it('reports a stored quote that no longer prices as a state to fix (422), not as bad input', async () => {
      const created = await createStoryQuote();
      // An overlapping Active agreement written around validation: every quote of R1 with D1 stops pricing.
      const overlap = { ...worldReference().agreements[0]!, id: 'A-R1-D1-BIS' };
      await store.upsertReferenceData({ agreements: [overlap] });
      await expectRejection(
        quotes.getQuote(viewers.r1, created.quote.id),
        StateError,
        /cannot be priced: agreements\.\d+: .*overlap/,
      );
      try {
        await quotes.getQuote(viewers.r1, created.quote.id);
      } catch (error) {
        expect([(error as StateError).status, (error as StateError).code]).to.deep.equal([422, 'NOT_PRICEABLE']);
      }
    });

    it('refuses a stale save and keeps what the first save wrote', async () => {
      const created = await createStoryQuote();
      const id = created.quote.id;
      await quotes.saveQuote(viewers.r1, { quoteId: id, version: 1, lines: [{ productId: 'SRV', quantity: '1' }] });
      await expectRejection(
        quotes.saveQuote(viewers.r1, { quoteId: id, version: 1, lines: [{ productId: 'LIC', quantity: '5' }] }),
        ConflictError,
        /changed by someone else.*version 1.*version 2/,
      );
      const stored = await store.getQuote(id);
      expect([stored?.version, stored?.lines.map((l) => l.productId)]).to.deep.equal([2, ['SRV']]);
    });

    it('expires open quotes after their expiry date, and never an edit made meanwhile', async () => {
      const open = await createStoryQuote();
      const accepted = await quotes.createQuote(viewers.r1, {
        distributorId: 'D1',
        endCustomerId: 'C1',
        currency: 'USD',
        startDate: '2026-06-01',
        lines: [{ productId: 'SRV', quantity: '1' }],
      });
      await quotes.acceptQuote(viewers.r1, accepted.quote.id, 1);
      // Created on 2026-06-01 with 30 days of validity: still valid on 2026-07-01, expired on 2026-07-02.
      expect(open.quote.expiryDate).to.equal('2026-07-01');
      expect((await expireQuotes(store, '2026-07-01')).expired).to.deep.equal([]);
      expect((await expireQuotes(store, '2026-07-02')).expired).to.deep.equal([open.quote.number]);
      expect((await store.getQuote(open.quote.id))?.status).to.equal('Expired');
      expect((await store.getQuote(accepted.quote.id))?.status).to.equal('Accepted');
      clock = '2026-07-02';
      await expectRejection(
        quotes.saveQuote(viewers.r1, { quoteId: open.quote.id, version: 2, lines: [] }),
        StateError,
        /Expired/,
      );
    });

    it('lets a reseller submit its accepted quote to its distributor, who then places it', async () => {
      const created = await quotes.createQuote(viewers.r1, {
        distributorId: 'D1',
        endCustomerId: 'C1',
        currency: 'USD',
        startDate: '2026-06-01',
        lines: [{ productId: 'SRV', quantity: '1' }],
      });
      const id = created.quote.id;
      await expectRejection(quotes.requestOrder(viewers.r1, id, 1), StateError, /only an accepted quote/);
      await quotes.acceptQuote(viewers.r1, id, 1);
      await expectRejection(quotes.requestOrder(viewers.r2, id, 2), NotFoundError);
      await expectRejection(quotes.requestOrder(viewers.d1, id, 2), ForbiddenError);
      const requested = await quotes.requestOrder(viewers.r1, id, 2, 'PO 4711 attached');
      expect(requested.quote.orderRequest).to.include({ requestedBy: USER_IDS.r1, comment: 'PO 4711 attached' });
      expect(requested.actions.canRequestOrder).to.equal(false);
      expect((await quotes.requestOrder(viewers.r1, id, 3)).quote.version).to.equal(3);
      expect((await quotes.listQuotes(viewers.d1)).find((q) => q.id === id)).to.include({
        orderRequested: true,
        status: 'Accepted',
      });
      const order = await orders.placeOrder(viewers.d1, id);
      expect([order.status, order.partnerTotal]).to.deep.equal(['Placed', '450.00']);
    });

    it('records the purchase order number and the document version the end customer accepted', async () => {
      const created = await quotes.createQuote(viewers.r1, {
        distributorId: 'D1',
        endCustomerId: 'C1',
        currency: 'USD',
        startDate: '2026-06-01',
        lines: [{ productId: 'SRV', quantity: '1' }],
      });
      const id = created.quote.id;
      await expectRejection(
        quotes.acceptQuote(viewers.r1, id, 1, { purchaseOrderNumber: 'PO;DROP TABLE' }),
        InvalidInputError,
        /purchaseOrderNumber: may hold only/,
      );
      await expectRejection(
        quotes.acceptQuote(viewers.r1, id, 1, { purchaseOrderNumber: 'P'.repeat(41) }),
        InvalidInputError,
        /purchaseOrderNumber: must be at most 40/,
      );
      await expectRejection(
        quotes.acceptQuote(viewers.r1, id, 1, { documentVersion: 2 }),
        InvalidInputError,
        /documentVersion: is 2, but the quote is at version 1/,
      );
      const accepted = await quotes.acceptQuote(viewers.r1, id, 1, { purchaseOrderNumber: ' PO-2026/4711 ', documentVersion: 1 });
      expect(accepted.quote).to.include({ status: 'Accepted', purchaseOrderNumber: 'PO-2026/4711', acceptedDocumentVersion: 1 });
      expect(await store.getQuote(id)).to.include({ purchaseOrderNumber: 'PO-2026/4711', acceptedDocumentVersion: 1 });
      expect((await quotes.getQuote(viewers.d1, id)).quote).to.include({ purchaseOrderNumber: 'PO-2026/4711' });
      // Both are optional: a plain acceptance records neither.
      const plain = await quotes.createQuote(viewers.r1, {
        distributorId: 'D1',
        endCustomerId: 'C1',
        currency: 'USD',
        startDate: '2026-06-01',
        lines: [{ productId: 'SRV', quantity: '1' }],
      });
      const stored = (await quotes.acceptQuote(viewers.r1, plain.quote.id, 1, { purchaseOrderNumber: '' })).quote;
      expect(stored.purchaseOrderNumber).to.equal(undefined);
      expect(stored.acceptedDocumentVersion).to.equal(undefined);
    });

    it('keeps the quote note and the line notes the reseller writes for the end customer, unpriced', async () => {
      const created = await quotes.createQuote(viewers.r1, {
        distributorId: 'D1',
        endCustomerId: 'C1',
        currency: 'USD',
        startDate: '2026-06-01',
        notes: 'Valid for orders placed in June.\r\n\nInstallation on site included.  ',
        lines: [
          { productId: 'SRV', quantity: '1', notes: 'Delivered in week 23' },
          { productId: 'SRV', quantity: '2' },
        ],
      });
      const id = created.quote.id;
      // Line breaks stored as LF, trailing blanks cut.
      const note = 'Valid for orders placed in June.\n\nInstallation on site included.';
      expect(created.quote.notes).to.equal(note);
      expect(created.quote.lines.map((l) => l.notes)).to.deep.equal(['Delivered in week 23', undefined]);
      const stored = await store.getQuote(id);
      expect(stored?.notes).to.equal(note);
      expect(stored?.lines.map((l) => l.notes)).to.deep.equal(['Delivered in week 23', undefined]);
      // The distributor reads them on the quote it sees.
      const seen = (await quotes.getQuote(viewers.d1, id)).quote;
      expect([seen.notes, seen.lines[0]?.notes]).to.deep.equal([note, 'Delivered in week 23']);
      // Notes price nothing: the same totals as the same quote without them.
      expect(created.pricing.totals).to.deep.equal(
        (
          await quotes.createQuote(viewers.r1, {
            distributorId: 'D1',
            endCustomerId: 'C1',
            currency: 'USD',
            startDate: '2026-06-01',
            lines: [
              { productId: 'SRV', quantity: '1' },
              { productId: 'SRV', quantity: '2' },
            ],
          })
        ).pricing.totals,
      );
      // Refused with the line named; nothing is written.
      const [first, second] = created.quote.lines;
      await expectRejection(
        quotes.saveQuote(viewers.r1, {
          quoteId: id,
          version: 1,
          lines: [
            { id: first!.id, productId: 'SRV', quantity: '1' },
            { id: second!.id, productId: 'SRV', quantity: '2', notes: 'x'.repeat(1001) },
          ],
        }),
        InvalidInputError,
        /lines\.1\.notes: must be at most 1000 characters/,
      );
      await expectRejection(
        quotes.saveQuote(viewers.r1, { quoteId: id, version: 1, notes: 'bell\u0007', lines: [] }),
        InvalidInputError,
        /notes: may hold only plain text/,
      );
      await expectRejection(
        quotes.saveQuote(viewers.r1, { quoteId: id, version: 1, notes: 'n'.repeat(4001), lines: [] }),
        InvalidInputError,
        /notes: must be at most 4000 characters/,
      );
      expect((await store.getQuote(id))?.version).to.equal(1);
      // A save without `notes` keeps the quote's; a blank one removes it; line notes are as sent.
      const kept = await quotes.saveQuote(viewers.r1, {
        quoteId: id,
        version: 1,
        lines: [
          { id: first!.id, productId: 'SRV', quantity: '1' },
          { id: second!.id, productId: 'SRV', quantity: '2', notes: 'Second line\tnote' },
        ],
      });
      expect(kept.quote.notes).to.equal(note);
      expect(kept.quote.lines.map((l) => l.notes)).to.deep.equal([undefined, 'Second line\tnote']);
      const cleared = await quotes.saveQuote(viewers.r1, {
        quoteId: id,
        version: 2,
        notes: '  \n ',
        lines: kept.quote.lines.map((l) => ({ ...l, notes: l.notes ?? '   ' })),
      });
      expect(cleared.quote.notes).to.equal(undefined);
      const reread = await store.getQuote(id);
      expect(reread?.notes).to.equal(undefined);
      expect(reread?.lines.map((l) => l.notes)).to.deep.equal([undefined, 'Second line\tnote']);
      // A copy is the same offer: its notes come along.
      const copy = await quotes.cloneQuote(viewers.r1, created.quote.id);
      expect(copy.quote.lines.map((l) => l.notes)).to.deep.equal([undefined, 'Second line\tnote']);
    });

    it('keeps the registration of a quote converted from it: read back, the quote still earns the registered-deal bonus', async () => {
      // A-R1-D1 with a 5-point registered-deal bonus: LIC 30 on the converted quote, Licenses rule 20 % + 5 = 25 %.
      const reference = worldReference();
      reference.agreements = reference.agreements.map((a) =>
        a.id === 'A-R1-D1' ? { ...a, registeredDealBonusPercent: '5' } : a,
      );
      await store.upsertReferenceData({ agreements: reference.agreements });
      const deals = new DealService(store, quotes, today);
      const registered = await deals.registerDeal(
        viewers.r1,
        registerDealInputSchema.parse({
          distributorId: 'D1',
          endCustomer: { name: 'Initech AB', country: 'SE' },
          families: [
            { family: 'Licenses', estimatedQuantity: 30 },
            { family: 'Services', estimatedQuantity: 2 },
          ],
          estimatedValue: '30000.00',
          currencyCode: 'USD',
          expectedCloseDate: '2026-07-31',
        }),
      );
      const approved = await deals.decideDeal(viewers.d1, registered.id, registered.version, 'Approved');
      const { quoteId } = await deals.convertToQuote(viewers.r1, approved.id, approved.version);
      const link = {
        id: registered.id,
        number: registered.number,
        families: ['Licenses', 'Services'],
        protectedUntil: '2026-08-29',
      };
      expect((await store.getQuote(quoteId))?.registeredDeal).to.deep.equal(link);
      expect((await store.listQuotes({ resellerId: 'R1' })).find((q) => q.id === quoteId)?.registeredDeal).to.deep.equal(link);

      const opened = await quotes.getQuote(viewers.r1, quoteId);
      const saved = await quotes.saveQuote(viewers.r1, {
        quoteId,
        version: opened.quote.version,
        lines: [{ productId: 'LIC', quantity: '30' }],
      });
      expect(saved.pricing.lines[0]?.partnerDiscount).to.include({
        rulePercent: '20',
        registeredDealId: registered.number,
        registeredDealBonusPercent: '5',
        percent: '25',
      });
      expect(unit(saved.pricing.lines[0], 'partner')).to.equal('750.00');
      // Saved and read again: still linked, still the bonus.
      expect((await store.getQuote(quoteId))?.registeredDeal).to.deep.equal(link);
      expect(unit((await quotes.getQuote(viewers.r1, quoteId)).pricing.lines[0], 'partner')).to.equal('750.00');
      // A copy is a quote of its own: no registration, no bonus.
      const copy = await quotes.cloneQuote(viewers.r1, quoteId);
      expect((await store.getQuote(copy.quote.id))?.registeredDeal).to.equal(undefined);
      expect(unit(copy.pricing.lines[0], 'partner')).to.equal('800.00');
    });

    it('draws stock correctly for orders placed at the same time', async () => {
      const ids: string[] = [];
      for (const quantity of ['30', '25']) {
        const q = await quotes.createQuote(viewers.r1, {
          distributorId: 'D1',
          endCustomerId: 'C1',
          currency: 'USD',
          startDate: '2026-06-01',
          lines: [{ productId: 'LIC', quantity }],
        });
        await quotes.acceptQuote(viewers.r1, q.quote.id, 1);
        ids.push(q.quote.id);
      }
      // Both read 100 in stock; the second write must see the first one's draw (100 - 30 - 25 = 45).
      await Promise.all(ids.map((id) => orders.placeOrder(viewers.d1, id)));
      expect((await store.listInventory('D1'))[0]?.quantity).to.equal('45');
      expect(await store.listOrders({})).to.have.length(2);
    });

    it('places an order once, however often it is placed', async () => {
      const created = await createStoryQuote();
      const id = created.quote.id;
      await quotes.submitForApproval(viewers.r1, id, 1, 'needed');
      await quotes.decideApproval(viewers.d1, id, 2, 'approve', 'Fine for this fleet');
      await quotes.acceptQuote(viewers.r1, id, 3);
      const [first, second] = await Promise.all([orders.placeOrder(viewers.d1, id), orders.placeOrder(viewers.d1, id)]);
      const third = await orders.placeOrder(viewers.d1, id);
      expect(new Set([first.id, second.id, third.id]).size).to.equal(1);
      expect(await store.listOrders({})).to.have.length(1);
      expect((await store.listInventory('D1'))[0]?.quantity).to.equal('70');
      // The duplicates took no order number: the next order is the second.
      expect(first.number).to.equal('O-00001');
      const stock = await orders.replenish(viewers.d1, { currency: 'USD', lines: [{ productId: 'LIC', quantity: '1' }] });
      expect(stock.number).to.equal('O-00002');
    });

    it('places an order of four stocked licences in one all-or-nothing write (the org: 5 collections or queries per request)', async () => {
      const extra = ['LIC2', 'LIC3', 'LIC4'];
      const licence = worldReference().products.find((p) => p.id === 'LIC')!;
      await store.upsertReferenceData({
        products: extra.map((id) => ({ ...licence, id, name: `Licence ${id}` })),
        priceBook: extra.map((productId) => ({ productId, currency: 'USD', listPrice: '100.00' })),
        inventory: extra.map((productId) => ({ distributorId: 'D1', productId, quantity: '50' })),
      });
      const created = await quotes.createQuote(viewers.r1, {
        distributorId: 'D1',
        endCustomerId: 'C1',
        currency: 'USD',
        startDate: '2026-06-01',
        lines: ['LIC', ...extra].map((productId, i) => ({ productId, quantity: String(i + 1) })),
      });
      await quotes.acceptQuote(viewers.r1, created.quote.id, 1);
      const order = await orders.placeOrder(viewers.d1, created.quote.id);
      expect(order.lines).to.have.length(4);
      const stock = new Map((await store.listInventory('D1')).map((i) => [i.productId, i.quantity]));
      expect(Object.fromEntries(stock)).to.deep.equal({ LIC: '99', LIC2: '48', LIC3: '47', LIC4: '46' });
      expect((await store.getQuote(created.quote.id))?.status).to.equal('Ordered');
    });

    it('refuses an order beyond stock with what is missing, and writes nothing', async () => {
      const created = await quotes.createQuote(viewers.r1, {
        distributorId: 'D1',
        endCustomerId: 'C1',
        currency: 'USD',
        startDate: '2026-06-01',
        lines: [{ productId: 'LIC', quantity: '130' }],
      });
      await quotes.acceptQuote(viewers.r1, created.quote.id, 1);
      await expectRejection(orders.placeOrder(viewers.d1, created.quote.id), StateError, /LIC: 30 missing \(in stock 100\)/);
      expect(await store.listOrders({})).to.deep.equal([]);
      expect((await store.listInventory('D1'))[0]?.quantity).to.equal('100');
      expect((await store.getQuote(created.quote.id))?.status).to.equal('Accepted');
      // Replenish 40 at Net (1000.00 less 30 % = 700.00), then the order goes through.
      const stock = await orders.replenish(viewers.d1, { currency: 'USD', lines: [{ productId: 'LIC', quantity: '40' }] });
      expect([stock.kind, stock.netTotal]).to.deep.equal(['replenishment', '28000.00']);
      const placed = await orders.placeOrder(viewers.d1, created.quote.id);
      expect((await store.listInventory('D1'))[0]?.quantity).to.equal('10');
      // The refused attempt took no number: O-00001 is the stock purchase, O-00002 the order.
      expect([stock.number, placed.number]).to.deep.equal(['O-00001', 'O-00002']);
    });

    it('never creates two renewals for a contract: concurrent runs, and a run killed halfway then rerun', async () => {
      const contracts = await insertContracts(store, 5);
      const [a, b] = await Promise.all([
        generateRenewals(store, { asOf: '2026-12-01' }),
        generateRenewals(store, { asOf: '2026-12-01' }),
      ]);
      expect(a.created + b.created).to.equal(5);
      expect(a.skipped + b.skipped).to.equal(5);
      await expectOneRenewalEach(store, contracts);

      const more = await insertContracts(store, 5, 'K');
      const crashing = crashAfterFirstBatch(store);
      await expectRejection(generateRenewals(crashing, { asOf: '2026-12-01', batchSize: 2 }), Error, /killed/);
      expect((await store.listRenewableContracts('2027-12-31')).length).to.equal(3);
      const rerun = await generateRenewals(store, { asOf: '2026-12-01', batchSize: 2 });
      expect([rerun.created, rerun.skipped]).to.deep.equal([3, 0]);
      await expectOneRenewalEach(store, [...contracts, ...more]);
    });
  });
}

export async function expectRejection(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => Error,
  message?: RegExp,
): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    if (message) expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected a ${type.name}`);
}

/** Contracts ending 2027-01-31 (due from 2026-11-02), straight into the store through an order's activation. */
export async function insertContracts(
  store: CpqStore,
  count: number,
  prefix = 'X',
  subscriptions = 1,
  shape: (c: ContractRecord) => ContractRecord = (c) => c,
): Promise<string[]> {
  const order: OrderRecord = {
    id: `O-${prefix}`,
    number: `O-${prefix}`,
    kind: 'replenishment',
    quoteId: null,
    distributorId: 'D1',
    resellerId: null,
    endCustomerId: null,
    currency: 'USD',
    status: 'Placed',
    placedBy: USER_IDS.d1,
    placedAt: '2026-02-01T00:00:00Z',
    orderDate: '2026-02-01',
    customerTotal: null,
    partnerTotal: null,
    netTotal: '0.00',
    lines: [],
  };
  await store.placeOrder(order, []);
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
  const contracts = ids.map((id): ContractRecord => ({
    id,
    number: `C-${id}`,
    orderId: order.id,
    resellerId: 'R1',
    distributorId: 'D1',
    endCustomerId: 'C1',
    currency: 'USD',
    startDate: '2026-02-01',
    endDate: '2027-01-31',
    termMonths: 12,
    renewalQuoteId: null,
    status: 'Active',
    subscriptions: Array.from({ length: subscriptions }, (_, s) => ({
      id: `${id}-s${s || ''}`,
      contractId: id,
      productId: 'SUB',
      quantity: String(s + 1),
      termMonths: 12,
      customerUnit: '1200.00',
      partnerUnit: '1080.00',
      netUnit: '756.00',
    })),
  }));
  await store.activateOrder(order.id, contracts.map(shape));
  return ids;
}

/** A store whose second renewal batch dies: as if the process were killed after the first commit. */
function crashAfterFirstBatch(store: CpqStore): CpqStore {
  let batches = 0;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'createRenewalQuotes') {
        return async (items: Parameters<CpqStore['createRenewalQuotes']>[0]) => {
          if (++batches > 1) throw new Error('killed');
          return target.createRenewalQuotes(items);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function expectOneRenewalEach(store: CpqStore, contractIds: string[]): Promise<void> {
  const renewals = (await store.listQuotes({ limit: 10000 })).filter((q) => q.renewalOfContractIds.length > 0);
  const covered = renewals.flatMap((q) => q.renewalOfContractIds);
  expect(covered.sort()).to.deep.equal([...contractIds].sort());
  for (const id of contractIds) {
    const contract = await store.getContract(id);
    expect(renewals.filter((q) => q.id === contract?.renewalQuoteId)).to.have.length(1);
  }
}

export type { Viewer };

const byId = <T extends { id: string }>(items: T[]): T[] => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
/** Creation and save times are the store's own (an org stamps them itself). */
const content = (q: QuoteRecord | undefined): Partial<QuoteRecord> | undefined => {
  if (!q) return undefined;
  const { createdAt: _c, updatedAt: _u, ...rest } = q;
  return rest;
};

function draftQuote(id: string, number: string, overrides: Partial<QuoteRecord> = {}): QuoteRecord {
  return {
    id,
    number,
    name: `Quote ${id}`,
    resellerId: 'R1',
    distributorId: 'D1',
    endCustomerId: 'C1',
    currency: 'USD',
    status: 'Draft',
    startDate: '2026-06-01',
    termMonths: 12,
    expiryDate: '2026-07-01',
    version: 1,
    renewalOfContractIds: [],
    createdBy: USER_IDS.r1,
    createdAt: '2026-06-01T09:00:00.000Z',
    updatedAt: '2026-06-01T09:00:00.000Z',
    lines: [
      { id: `${id}-l1`, productId: 'LIC', quantity: '30', additionalDiscountPercent: '12.5' },
      { id: `${id}-l2`, productId: 'SUB', quantity: '2.5', termMonths: 24, group: 'Year 1' },
    ],
    customerTotal: '36000.00',
    partnerTotal: '30000.00',
    netTotal: '21000.00',
    approvalRequired: false,
    ...overrides,
  };
}

/** Calls `fn` on the next tick: a store method that throws instead of rejecting still ends up a rejection. */
const later = <T>(fn: () => Promise<T>): Promise<T> => Promise.resolve().then(fn);

function portContract(open: OpenStore): void {
  describe('the port', () => {
    let store: CpqStore;
    beforeEach(async () => {
      store = await open(worldReference());
    });
    afterEach(async () => store.close());

    it('keeps one logo per reseller account: set, replaced, read back byte for byte, removed', async () => {
      const logos = store.logos;
      expect(logos, 'the store keeps logos').to.not.equal(undefined);
      const png = Buffer.from(DEMO_LOGO_PNG_BASE64, 'base64');
      // A JPEG's first bytes and bytes that are no UTF-8 text: they must survive the round trip.
      const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x80, 0xfe, 0xff, 0xd9]);
      const at = '2026-03-15T10:00:00.000Z';
      expect(await logos!.getLogo('R1')).to.equal(undefined);
      await logos!.setLogo({ accountId: 'R1', contentType: 'image/png', data: png, updatedBy: USER_IDS.r1, updatedAt: at });
      const first = await logos!.getLogo('R1');
      expect(first).to.include({ accountId: 'R1', contentType: 'image/png' });
      expect(first!.data.equals(png)).to.equal(true);
      expect(Number.isNaN(Date.parse(first!.updatedAt))).to.equal(false);

      await logos!.setLogo({ accountId: 'R1', contentType: 'image/jpeg', data: jpeg, updatedBy: USER_IDS.r1, updatedAt: at });
      const replaced = await logos!.getLogo('R1');
      expect(replaced).to.include({ accountId: 'R1', contentType: 'image/jpeg' });
      expect(replaced!.data.equals(jpeg)).to.equal(true);
      expect(await logos!.getLogo('R2'), "another reseller's logo is untouched").to.equal(undefined);

      expect(await logos!.removeLogo('R1')).to.equal(true);
      expect(await logos!.getLogo('R1')).to.equal(undefined);
      expect(await logos!.removeLogo('R1')).to.equal(false);
    });

    it('keeps the price floor of a product and the vendor approval percent of the settings', async () => {
      const world = worldReference();
      const licence = { ...world.products.find((p) => p.id === 'LIC')!, minNetPercentOfList: '55.5' };
      await store.upsertReferenceData({
        settings: { ...world.settings, vendorApprovalAbovePercent: '25' },
        products: [licence],
      });
      expect(await store.getSettings()).to.deep.equal({ ...world.settings, vendorApprovalAbovePercent: '25' });
      expect((await store.listProducts()).find((p) => p.id === 'LIC')).to.deep.equal(licence);
    });

    it('keeps the price floors of product families, replaced by family on a second upsert', async () => {
      expect(await store.listProductFamilies()).to.deep.equal([]);
      await store.upsertReferenceData({
        productFamilies: [
          { family: 'Services', minNetPercentOfList: '62.125' },
          { family: 'Licenses', minNetPercentOfList: '50' },
          { family: 'Hardware' },
        ],
      });
      expect(await store.listProductFamilies()).to.deep.equal([
        { family: 'Hardware' },
        { family: 'Licenses', minNetPercentOfList: '50' },
        { family: 'Services', minNetPercentOfList: '62.125' },
      ]);
      await store.upsertReferenceData({ productFamilies: [{ family: 'Services', minNetPercentOfList: '70' }] });
      expect((await store.listProductFamilies()).find((f) => f.family === 'Services')).to.deep.equal({
        family: 'Services',
        minNetPercentOfList: '70',
      });
    });

    it('writes order terms with their agreements, and nothing when one names no agreement', async () => {
      const world = worldReference();
      const fresh: Agreement = { ...world.agreements.find((a) => a.id === 'A-R2-D1')!, id: 'A-R2-D1-NEXT', status: 'Draft' };
      const terms = { agreementId: 'A-R2-D1-NEXT', autoFulfil: true, creditLimit: '12000.50', creditLimitCurrency: 'USD' };
      const unknown = { agreementId: 'NO-SUCH', autoFulfil: false, creditLimit: null, creditLimitCurrency: null };
      await expectRejection(store.upsertReferenceData({ agreements: [fresh], orderTerms: [terms, unknown] }), NotFoundError);
      expect((await store.listAgreements()).map((a) => a.id)).to.not.include('A-R2-D1-NEXT');
      await store.upsertReferenceData({
        agreements: [fresh],
        orderTerms: [terms, { agreementId: 'A-R1-D1', autoFulfil: false, creditLimit: '0.00', creditLimitCurrency: 'USD' }],
      });
      expect(await store.listOrderTerms(['A-R1-D1', 'A-R2-D1', 'A-R2-D1-NEXT'])).to.deep.equal([
        { agreementId: 'A-R1-D1', autoFulfil: false, creditLimit: '0.00', creditLimitCurrency: 'USD' },
        { agreementId: 'A-R2-D1', autoFulfil: false, creditLimit: null, creditLimitCurrency: null },
        terms,
      ]);
      // An agreement upserted again without terms keeps them.
      await store.upsertReferenceData({ agreements: [{ ...fresh, name: 'renamed' }] });
      expect(await store.listOrderTerms(['A-R2-D1-NEXT'])).to.deep.equal([terms]);
    });

    it('reads back the reference data it was given', async () => {
      const world = worldReference();
      expect(await store.getSettings()).to.deep.equal(world.settings);
      expect(await store.listAccounts()).to.deep.equal(byId(world.accounts));
      expect(await store.listUsers()).to.deep.equal(byId(world.users));
      expect(await store.getUser(USER_IDS.d1)).to.deep.equal(world.users.find((u) => u.id === USER_IDS.d1));
      expect(await store.getUser('nobody')).to.equal(undefined);
      expect(await store.listProducts()).to.deep.equal(byId(world.products));
      expect(await store.listPriceBook()).to.deep.equal(
        [...world.priceBook].sort((a, b) => (a.productId + a.currency < b.productId + b.currency ? -1 : 1)),
      );
      expect(await store.listAgreements()).to.deep.equal(byId(world.agreements));
      expect((await store.listAgreements(['R1'])).map((a) => a.id)).to.deep.equal(['A-R1-D1', 'A-R1-D2']);
      expect(await store.listAgreements([])).to.deep.equal([]);
      expect(await store.listDefaultDistributorRules()).to.deep.equal(byId(world.defaultDistributorRules));
      expect(await store.listInventory()).to.deep.equal(world.inventory);
      expect(await store.listInventory('D2')).to.deep.equal([]);
    });

    it('replaces rules and tiers on a second upsert, and keeps decimals exact', async () => {
      const before = await store.referenceRevision();
      const agreement: Agreement = {
        ...worldReference().agreements[0]!,
        rules: [{ scope: 'product', value: 'LIC', minQuantity: '10.5', discountPercent: '12.345678' }],
        tiers: [{ name: 'Gold', minBookings: '12345678901.23', bonusPercent: '0.000001' }],
      };
      const schedule: DiscountSchedule = {
        id: 'DS1',
        name: 'Volume',
        type: 'slab',
        aggregation: 'quote',
        tiers: [
          { from: '0', to: '10.5', discountPercent: '0' },
          { from: '10.5', discountPercent: '99.999999' },
        ],
      };
      await store.upsertReferenceData({
        agreements: [agreement],
        discountSchedules: [schedule],
        priceBook: [{ productId: 'LIC', currency: 'USD', listPrice: '99999999999.99' }],
        inventory: [{ distributorId: 'D1', productId: 'LIC', quantity: '1000000000' }],
      });
      expect(await store.referenceRevision()).to.not.equal(before);
      expect((await store.listAgreements(['R1']))[0]).to.deep.equal(agreement);
      expect(await store.listDiscountSchedules()).to.deep.equal([schedule]);
      expect((await store.listPriceBook()).find((e) => e.productId === 'LIC')?.listPrice).to.equal('99999999999.99');
      expect(await store.listInventory('D1')).to.deep.equal([{ distributorId: 'D1', productId: 'LIC', quantity: '1000000000' }]);
      // Fewer tiers on the next load: the extra one is gone.
      await store.upsertReferenceData({ discountSchedules: [{ ...schedule, tiers: [schedule.tiers[0]!] }] });
      expect((await store.listDiscountSchedules())[0]!.tiers).to.deep.equal([schedule.tiers[0]]);
    });

    it('keeps quote.registeredDeal with the quote it inserts, before the registration itself is updated', async () => {
      const submitted = await store.deals!.registerDeal(
        newRegistration(
          {
            id: 'DR-C1',
            number: 'DR-00001',
            resellerId: 'R1',
            distributorId: 'D1',
            endCustomer: { id: 'C1', name: 'Customer One', country: '' },
            families: [{ family: 'Licenses', estimatedQuantity: 30 }],
            estimatedValue: '30000.00',
            currency: 'USD',
            expectedCloseDate: '2026-07-31',
          },
          USER_IDS.r1,
          TODAY,
          DEFAULT_DEAL_RULES,
        ),
        TODAY,
      );
      const approved = decideRegistration(submitted, 'Approved', undefined, viewers.d1, TODAY, DEFAULT_DEAL_RULES);
      await store.deals!.updateDeal(approved, submitted.version);
      const registeredDeal = { id: 'DR-C1', number: 'DR-00001', families: ['Licenses'], protectedUntil: '2026-08-29' };
      await store.insertQuote(draftQuote('QRD', 'Q-00901', { registeredDeal }));
      await store.insertQuote(draftQuote('QPLAIN', 'Q-00902'));
      expect((await store.getQuote('QRD'))?.registeredDeal).to.deep.equal(registeredDeal);
      expect((await store.getQuote('QPLAIN'))?.registeredDeal).to.equal(undefined);
    });

    it('saves a quote at its version, with its lines and approvals, and refuses stale writes', async () => {
      const quote = draftQuote('Q1', 'Q-00001');
      const approval: ApprovalRecord = {
        id: 'AP1',
        quoteId: 'Q1',
        level: 'Vendor',
        status: 'Pending',
        requestedBy: USER_IDS.r1,
        requestedAt: '2026-06-01T10:00:00.000Z',
        comment: "Big deal, don't lose it",
        decidedBy: null,
        decidedAt: null,
        decisionComment: null,
      };
      await store.insertQuote(quote, { insertApproval: approval });
      expect(content(await store.getQuote('Q1'))).to.deep.equal(content(quote));
      expect(await store.listApprovals(['Q1'])).to.deep.equal([approval]);

      const next: QuoteRecord = {
        ...quote,
        status: 'Approved',
        lines: [
          { ...quote.lines[1]!, quantity: '3' },
          { id: 'Q1-l3', productId: 'SRV', quantity: '1', additionalDiscountAmount: '50.00' },
        ],
      };
      const decided = {
        ...approval,
        status: 'Approved' as const,
        decidedBy: USER_IDS.d1,
        decidedAt: '2026-06-02T08:00:00.000Z',
        decisionComment: 'OK',
      };
      await store.updateQuote(next, 1, { updateApproval: decided });
      expect(next.version).to.equal(2);
      expect(content(await store.getQuote('Q1'))).to.deep.equal(content({ ...next, version: 2 }));
      expect(await store.listApprovals(['Q1'])).to.deep.equal([decided]);

      await expectRejection(
        later(() => store.updateQuote({ ...quote, name: 'stale' }, 1)),
        ConflictError,
        /version 1.*version 2/,
      );
      await expectRejection(
        later(() => store.deleteQuote('Q1', 1)),
        ConflictError,
      );
      expect((await store.getQuote('Q1'))?.name).to.equal(quote.name);
      await store.deleteQuote('Q1', 2);
      expect(await store.getQuote('Q1')).to.equal(undefined);
      expect(await store.listApprovals(['Q1'])).to.deep.equal([]);
      await expectRejection(
        later(() => store.deleteQuote('Q1', 2)),
        NotFoundError,
      );
      await expectRejection(
        later(() => store.updateQuote(quote, 2)),
        NotFoundError,
      );
    });

    it('lists quotes by party, status, renewal flag and search, taking hostile text literally', async () => {
      const hostile = "O'Brien \\ 100% _done";
      await store.insertQuote(draftQuote('QA', 'Q-00001', { name: hostile }));
      await store.insertQuote(draftQuote('QB', 'Q-00002', { name: 'Plain', status: 'Approved', resellerId: 'R2' }));
      await store.insertQuote(draftQuote('QC', 'Q-00003', { name: 'Other 100 done', distributorId: 'D2' }));
      const ids = async (filter: QuoteFilter): Promise<string[]> => (await store.listQuotes(filter)).map((q) => q.id).sort();
      expect(await ids({})).to.deep.equal(['QA', 'QB', 'QC']);
      expect(await ids({ resellerId: 'R1' })).to.deep.equal(['QA', 'QC']);
      expect(await ids({ distributorId: 'D1', statuses: ['Approved'] })).to.deep.equal(['QB']);
      expect(await ids({ renewal: true })).to.deep.equal([]);
      expect(await ids({ renewal: false })).to.deep.equal(['QA', 'QB', 'QC']);
      expect(await ids({ search: '100%' })).to.deep.equal(['QA']);
      expect(await ids({ search: '_done' })).to.deep.equal(['QA']);
      expect(await ids({ search: "o'brien" })).to.deep.equal(['QA']);
      expect(await ids({ search: '\\' })).to.deep.equal(['QA']);
      expect(await ids({ search: 'customer one' })).to.deep.equal(['QA', 'QB', 'QC']);
      expect(await ids({ search: 'Q-00002' })).to.deep.equal(['QB']);
      // The names of the parties: a distributor or the vendor looks for a reseller's quotes by its name.
      expect(await ids({ search: 'reseller two' })).to.deep.equal(['QB']);
      expect(await ids({ search: 'Distri AMER' })).to.deep.equal(['QC']);
      expect(await ids({ limit: 2 })).to.have.length(2);
      expect(await ids({ resellerId: "R1' OR Name != 'x" })).to.deep.equal([]);
      expect(await store.getQuote("QA' OR External_Id__c != '")).to.equal(undefined);
      expect((await store.getQuote('QA'))?.name).to.equal(hostile);
    });

    it('hands out consecutive numbers', async () => {
      expect(await store.nextNumber('quote')).to.equal('Q-00001');
      expect(await store.reserveNumbers('quote', 3)).to.deep.equal(['Q-00002', 'Q-00003', 'Q-00004']);
      expect(await store.nextNumber('order')).to.equal('O-00001');
      expect(await store.nextNumber('contract')).to.equal('C-00001');
    });

    it('creates at most one renewal quote per contract, and lists only contracts still to renew', async () => {
      const ids = await insertContracts(store, 3);
      expect((await store.listRenewableContracts('2027-01-30')).map((c) => c.id)).to.deep.equal([]);
      const renewable = await store.listRenewableContracts('2027-01-31');
      expect(renewable.map((c) => c.id)).to.deep.equal(ids);
      expect(renewable[0]!.subscriptions.map((s) => [s.productId, s.quantity, s.customerUnit])).to.deep.equal([
        ['SUB', '1', '1200.00'],
      ]);

      const renewal = (): QuoteRecord =>
        draftQuote(`R-${Math.random()}`, 'Q-00010', { renewalOfContractIds: ['X1'], createdBy: 'system' });
      const first = renewal();
      expect(await store.createRenewalQuote(first, ['X1'])).to.equal(true);
      expect(await store.createRenewalQuote(renewal(), ['X1'])).to.equal(false);
      const linked = await store.getContract('X1');
      expect(linked?.renewalQuoteId).to.equal(first.id);
      expect(content(await store.getQuote(first.id))).to.deep.equal(content(first));
      expect((await store.listQuotes({ renewal: true })).map((q) => q.id)).to.deep.equal([first.id]);
      expect((await store.listRenewableContracts('2027-12-31')).map((c) => c.id)).to.deep.equal(['X2', 'X3']);

      const batch = [
        { quote: renewal(), contractIds: ['X1'] },
        { quote: { ...renewal(), number: 'Q-00011', renewalOfContractIds: ['X2', 'X3'] }, contractIds: ['X2', 'X3'] },
      ];
      expect(await store.createRenewalQuotes(batch)).to.deep.equal([false, true]);
      expect((await store.getContract('X3'))?.renewalQuoteId).to.equal(batch[1]!.quote.id);
      expect((await store.getQuote(batch[1]!.quote.id))?.renewalOfContractIds).to.deep.equal(['X2', 'X3']);
      expect(await store.listRenewableContracts('2027-12-31')).to.deep.equal([]);
      expect((await store.listContracts({ resellerId: 'R1', endingBy: '2027-01-31' })).map((c) => c.id)).to.deep.equal(ids);
      expect(await store.listContracts({ distributorId: 'D2' })).to.deep.equal([]);
    });
  });
}
