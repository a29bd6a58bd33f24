import path from 'node:path';
import { expect } from 'chai';
import type { QuoteDetail, QuoteSummary } from '../../src/services/quotes.js';
import type { OrderView } from '../../src/services/orders.js';
import type { AgreementStanding } from '../../src/services/agreementStanding.js';
import type { ContractView, PricingContext } from '../../src/services/visibleReads.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { REFERENCE, signedIn, startTestPortal, type PortalClient, type TestPortal } from './fixtures.js';

/**
 * Issue 11: a reseller buying through two distributors. Its purchases through D2 must never reach D1 (nor
 * move D1's tiers for it): not in getPricingContext, not in getQuote's pricing.reseller.bookings, not in
 * the agreement standing, not anywhere in any answer a D1 user can get. Before the ledger, D1's quote of R1
 * showed the D2 order's Partner total in pricing.reseller.bookings (0.00 -> 5320.00 in the report).
 */
describe('bookings: a purchase through another distributor never reaches this one (every controller answer)', () => {
  let portal: TestPortal;
  let d1: PortalClient;
  let d2: PortalClient;
  let r1: PortalClient;
  let vendor: PortalClient;
  let through: { quoteId: string; orderId: string; orderNumber: string; partnerTotal: string };

  const standingOf = async (client: PortalClient, agreementId: string): Promise<AgreementStanding> =>
    (await client.ok<AgreementStanding[]>('AgreementController.getAgreementStanding')).find(
      (s) => s.agreementId === agreementId,
    )!;

  before(async () => {
    portal = await startTestPortal();
    // R1 also buys from D2 (its own agreement, with tiers that its D2 purchases move).
    const store = SqliteStore.open(path.join(portal.dir, 'cpq.db'));
    try {
      await store.upsertReferenceData({
        agreements: [
          {
            id: 'A-R1-D2',
            partnerId: 'R1',
            sellerId: 'D2',
            validFrom: '2025-01-01',
            status: 'Active',
            rules: [{ scope: 'all', discountPercent: '12', maxAdditionalDiscountPercent: '10' }],
            tiers: [
              { name: 'Silver', minBookings: '0.00', bonusPercent: '0' },
              { name: 'Gold', minBookings: '1000.00', bonusPercent: '1' },
            ],
          },
        ],
        priceBook: REFERENCE.priceBook,
      });
    } finally {
      await store.close();
    }
    [d1, d2, r1, vendor] = await Promise.all([
      signedIn(portal.server, 'd1'),
      signedIn(portal.server, 'd2'),
      signedIn(portal.server, 'r1'),
      signedIn(portal.server, 'vendor'),
    ]);
  });
  after(async () => {
    await portal.stop();
  });

  it('keeps D1’s figures for R1 unchanged when R1 buys through D2, and D2 counts it', async () => {
    const quoteId = portal.world.r1Draft;
    const beforeContext = await d1.ok<PricingContext>('QuoteController.getPricingContext', { quoteId });
    const beforeQuote = await d1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId });
    const beforeStanding = await standingOf(d1, 'A-R1-D1');
    // R1's only purchase from D1 in [2025-04-01, 2026-04-01): the activated world order (30 x LIC), by hand:
    // List 1000.00, 10 % volume = 900.00, 5 % additional = 855.00, 20 % partner = 684.00; x 30 = 20520.00.
    expect(beforeQuote.pricing.reseller.bookings).to.equal('20520.00');
    expect((await standingOf(vendor, 'A-R1-D2')).bookings12m).to.equal('0.00');
    const nextQuote = {
      name: 'R1 next through D2',
      distributorId: 'D2',
      endCustomerId: 'E1',
      currency: 'USD',
      startDate: '2026-04-01',
      lines: [{ productId: 'SVC', quantity: '1' }],
    };
    const beforeD2 = await r1.ok<QuoteDetail>('QuoteController.createQuote', { quote: nextQuote });
    expect(beforeD2.pricing.reseller).to.include({ bookings: '0.00', tier: 'Silver' });

    // R1 buys 4 Onboarding days through D2 (EMEA order through the AMER distributor in the terms):
    // 1500.00 less 12 % = 1320.00 a unit, Partner total 5280.00.
    const created = await r1.ok<QuoteDetail>('QuoteController.createQuote', {
      quote: {
        name: 'R1 through D2',
        distributorId: 'D2',
        endCustomerId: 'E1',
        currency: 'USD',
        startDate: '2026-03-01',
        lines: [{ productId: 'SVC', quantity: '4' }],
      },
    });
    await r1.ok('QuoteController.acceptQuote', { quoteId: created.quote.id, version: created.quote.version });
    const placed = await d2.ok<OrderView>('OrderController.placeOrder', { quoteId: created.quote.id });
    await d2.ok('OrderController.activateOrder', { orderId: placed.id });
    expect(placed.partnerTotal).to.equal('5280.00');
    through = { quoteId: created.quote.id, orderId: placed.id, orderNumber: placed.number, partnerTotal: placed.partnerTotal! };

    // D1: every figure as before (a leak would show 20520.00 + 5280.00 = 25800.00).
    const afterContext = await d1.ok<PricingContext>('QuoteController.getPricingContext', { quoteId });
    const afterQuote = await d1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId });
    expect(afterQuote.pricing.reseller.bookings).to.equal('20520.00');
    expect(afterContext.scenario.bookings).to.deep.equal(beforeContext.scenario.bookings);
    expect(afterContext.scenario.bookings.every((b) => b.sellerId === 'D1' || b.sellerId === 'V')).to.equal(true);
    expect(afterContext.scenario.bookings.filter((b) => b.partnerId === 'R1').map((b) => b.sellerId)).to.deep.equal(['D1']);
    expect(await standingOf(d1, 'A-R1-D1')).to.deep.equal(beforeStanding);
    // The reseller's own view of its D1 quote does not move either.
    const r1View = await r1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId });
    expect(r1View.pricing.reseller.bookings).to.equal('20520.00');

    // D2 counts it, under its own agreement with R1: 5280.00 reaches Gold (1000.00, +1): 12 + 1 = 13 %,
    // Onboarding 1500.00 x 0.87 = 1305.00.
    const afterD2 = await d2.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: beforeD2.quote.id });
    expect(afterD2.pricing.reseller).to.include({ bookings: '5280.00', tier: 'Gold' });
    expect(afterD2.pricing.lines[0]?.partner.unit).to.equal('1305.00');
  });

  it('gives D1 no trace of the D2 order in any controller answer', async () => {
    const answers: [string, unknown][] = [];
    const call = async (target: string, params: unknown = {}): Promise<unknown> => {
      const reply = await d1.apex(target, params);
      answers.push([`${target} ${JSON.stringify(params)}`, reply.body]);
      return reply.body;
    };
    const quotes = (await call('QuoteController.listQuotes')) as QuoteSummary[];
    for (const q of quotes) {
      await call('QuoteController.getQuote', { quoteId: q.id });
      await call('QuoteController.getPricingContext', { quoteId: q.id });
    }
    await call('QuoteController.getCatalog', { currencyCode: 'USD' });
    await call('QuoteController.listEndCustomers');
    await call('ApprovalController.listPendingApprovals');
    const orders = (await call('OrderController.listOrders')) as OrderView[];
    for (const o of orders) await call('OrderController.getOrder', { orderId: o.id });
    await call('OrderController.listInventory');
    const contracts = (await call('RenewalController.listContracts')) as ContractView[];
    expect(contracts.every((c) => c.distributorId === 'D1')).to.equal(true);
    await call('RenewalController.listRenewalQuotes');
    await call('AgreementController.listMyAgreements');
    await call('AgreementController.getAgreementStanding');
    await call('DashboardController.getChannelDashboard', {});
    await call('SessionController.getCurrentUser');
    // Reaching for the D2 order or its quote directly is a 404.
    await call('OrderController.getOrder', { orderId: through.orderId });
    await call('QuoteController.getQuote', { quoteId: through.quoteId });
    await call('QuoteController.getPricingContext', { quoteId: through.quoteId });
    expect(answers.length).to.be.greaterThan(15);
    for (const [what, body] of answers) {
      if (what.includes('"quoteId":"' + through.quoteId + '"') || what.includes(through.orderId)) {
        expect((body as { error?: { code?: string } }).error?.code, what).to.equal('NOT_FOUND');
        continue;
      }
      const text = JSON.stringify(body);
      expect(text, what).to.not.include(through.orderId);
      expect(text, what).to.not.include(through.quoteId);
      expect(text, what).to.not.include(through.orderNumber);
      expect(text, what).to.not.include(through.partnerTotal);
      expect(text, what).to.not.include('A-R1-D2');
      expect(text, what).to.not.include('"sellerId":"D2"');
    }
  });
});
