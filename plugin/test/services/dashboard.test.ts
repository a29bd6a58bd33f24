import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CpqError } from '../../src/core/errors.js';
import { KPI_DEFINITIONS, KPI_KEYS } from '../../src/core/kpis.js';
import type { Viewer } from '../../src/core/records.js';
import { addDays } from '../../src/core/renewals.js';
import { channelDashboard, dashboardPeriod, partnerScorecard } from '../../src/services/dashboard.js';
import { seedDemoData } from '../../src/store/demo.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';

/**
 * The channel KPIs of the demo data, worked out by hand (CHANNEL.md, "Channel KPIs"; core/kpis.ts).
 *
 * The demo is seeded as of 2026-12-05. Quotes and approval requests carry the wall clock's time (as
 * CreatedDate in an org); the dashboard reads a timestamp after its today as today. The four history orders are dated 285 to 345 days back (inside the
 * default period, the 12 whole months before this one plus this month), before the rate change of 180 days
 * back, so they convert at EUR 0.92 and SEK 10.8 per USD; open quotes convert at the period's last day
 * (today: EUR 0.90, SEK 10.40).
 *
 * Orders (Customer total): O1 Fjord/Nordlys EUR 29682.80, O2 Thames/Nordlys EUR 109980.00, O3 Alpenblick/
 * Nordlys EUR 94300.00, O4 Golden Gate/Pacific USD 65263.20 (all activated, history), O5 Golden Gate/Pacific
 * USD 30436.00 (placed today). Open quotes: Fjord SEK Draft 192954.00, Thames EUR Approved 58138.00,
 * Alpenblick/Pacific EUR NeedsApproval 80181.00, Maple USD Accepted 24057.00, and the renewal Drafts:
 * Fjord EUR 27297.00, Alpenblick/Nordlys EUR 41729.60, Golden Gate USD 66733.80.
 */
describe('channel dashboard KPIs (demo data)', function () {
  this.timeout(120_000);
  const today = '2026-12-05';
  const vendor: Viewer = { userId: 'u-vendor', role: 'vendorAdmin', accountId: 'v-northwind' };
  const nordlys: Viewer = { userId: 'u-dist-emea', role: 'distributorUser', accountId: 'd-emea' };
  const pacific: Viewer = { userId: 'u-dist-amer', role: 'distributorUser', accountId: 'd-amer' };
  const fjord: Viewer = { userId: 'u-res-nordic', role: 'resellerUser', accountId: 'r-nordic' };
  let dir: string;
  let store: SqliteStore;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-kpis-'));
    store = SqliteStore.open(path.join(dir, 'cpq.db'));
    await seedDemoData(store, { today });
  });

  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('defaults to the 12 whole months before this one plus this month, the previous December included', () => {
    expect(dashboardPeriod('2026-12-05', {})).to.deep.equal({
      from: '2025-12-01',
      to: '2026-12-05',
      // 370 days, just before.
      previousFrom: '2024-11-26',
      previousTo: '2025-11-30',
    });
    expect(dashboardPeriod('2026-03-01', { months: 1 }).from).to.equal('2026-02-01');
    expect(() => dashboardPeriod('2026-03-01', { from: '2026-04-01' })).to.throw('after to');
  });

  it('gives the vendor every KPI in USD, each order converted at its order date’s rate', async () => {
    const d = await channelDashboard(store, vendor, today);
    expect(d.currency).to.equal('USD');
    expect(Object.keys(d.kpis)).to.deep.equal([...KPI_KEYS]);
    expect(d.kpis).to.deep.equal({
      // Fjord, Alpenblick, Thames, Golden Gate, Maple all quoted in the period; none before; none churned.
      partnersActive: '5',
      partnersNew: '5',
      partnersChurned: '0',
      churnRate: null, // nobody active in the previous period: no denominator
      // 66733.80 + 41729.60/0.9 = 46366.22 + 27297.00/0.9 = 30330.00 + 24057.00 + 58138.00/0.9 = 64597.78
      // + 80181.00/0.9 = 89090.00 + 192954.00/10.4 = 18553.27 → 339728.07
      openQuoteValue: '339728.07',
      // 29682.80/0.92 = 32263.91 + 109980.00/0.92 = 119543.48 + 94300.00/0.92 = 102500.00 + 65263.20 + 30436.00
      wonValue: '350006.59',
      ordersWon: '5',
      // 10 quotes created (renewals are the system's): 5 Ordered + 1 Accepted won → 6/10
      winRate: '60.0',
      averageDealValue: '70001.32', // 350006.59 / 5 = 70001.318
      // Only O5's quote was created on or before its order date (0 days); the history orders are back-dated.
      averageSalesCycleDays: '0.0',
      // Skärgård approved, Redwood rejected, Thames approved, Bergmann pending.
      approvalRequests: '4',
      approvalsApproved: '2',
      approvalsRejected: '1',
      approvalsWithdrawn: '0',
      approvalRate: '66.7', // 2 / (2 + 1)
      medianDaysToDecide: '0.0', // decided within the same seed run
      // The contracts end 20, 50, 80 and 390 days after today: none in the period.
      renewalsDue: '0',
      renewalsRenewed: '0',
      renewalRate: null,
      renewalValue: '0.00',
      // The demo holds no deal registrations (plugin/test/store/deals/dealService.test.ts counts some).
      dealsSubmitted: '0',
      dealsApproved: '0',
      dealsAcceptedRate: null,
      dealsConverted: '0',
      dealsWon: '0',
      dealsConversionRate: null,
    });
    expect(d.totals).to.deep.include({ orders: 5, orderValue: '350006.59', approvalsDecided: 3, approvalAcceptanceRate: '66.7' });
    // The bookings of the months add up to the activated orders: 350006.59 less O5 (placed, not activated).
    const sum = d.bookingsByMonth.reduce((s, m) => s + Math.round(Number(m.customerTotal) * 100), 0);
    expect(sum).to.equal(35000659 - 3043600);
  });

  it('gives the SEK view of the Nordic distributor converted, non-zero figures of its resellers only', async () => {
    const d = await channelDashboard(store, nordlys, today, { currency: 'SEK' });
    expect(d.scope).to.equal('distributor');
    expect(d.resellers.map((r) => r.partnerId)).to.deep.equal(['r-dach', 'r-nordic', 'r-uk']);
    expect(d.kpis).to.deep.include({
      partnersActive: '3',
      partnersNew: '3',
      // 192954.00 SEK + 58138.00 × 10.4/0.9 = 671816.89 + 27297.00 × 10.4/0.9 = 315432.00
      // + 41729.60 × 10.4/0.9 = 482208.71 (Alpenblick's Pacific quote is not Nordlys's) → 1662411.60
      openQuoteValue: '1662411.60',
      // × 10.8/0.92: 29682.80 → 348450.26, 109980.00 → 1291069.57, 94300.00 → 1107000.00
      wonValue: '2746519.83',
      ordersWon: '3',
      averageDealValue: '915506.61', // 2746519.83 / 3
      winRate: '60.0', // 5 quotes created, 3 Ordered
      approvalRequests: '2',
      approvalsApproved: '2',
      approvalRate: '100.0',
    });
    const fjordRow = d.resellers.find((r) => r.partnerId === 'r-nordic')!;
    expect(fjordRow).to.deep.include({ orders: 1, orderValue: '348450.26' });
  });

  it('counts a withdrawal apart, not as a rejection', async () => {
    const { QuoteService } = await import('../../src/services/quotes.js');
    const quotes = new QuoteService(store, () => today);
    const dach: Viewer = { userId: 'u-res-dach', role: 'resellerUser', accountId: 'r-dach' };
    const pending = (await store.listQuotes({ resellerId: 'r-dach', statuses: ['NeedsApproval'], limit: 10 }))[0]!;
    const detail = await quotes.getQuote(dach, pending.id);
    await quotes.saveQuote(dach, {
      quoteId: pending.id,
      version: pending.version,
      lines: detail.quote.lines.map((l) => ({ productId: l.productId, quantity: '1', additionalDiscountPercent: '0' })),
    });
    const d = await channelDashboard(store, pacific, today);
    expect(d.kpis).to.deep.include({
      approvalRequests: '2', // Redwood rejected, Bergmann withdrawn by the edit
      approvalsRejected: '1',
      approvalsWithdrawn: '1',
      approvalRate: '0.0', // 0 approved / (0 + 1 rejected): the withdrawal does not count
    });
    expect(d.totals).to.deep.include({ approvalsDecided: 1, approvalAcceptanceRate: '0.0' });
  });

  it('counts the renewals due when the period reaches their end dates', async () => {
    const d = await channelDashboard(store, vendor, today, { from: today, to: addDays(today, 90) });
    // Fjord (+20), Alpenblick (+50), Golden Gate (+80) end within 90 days; none renewed yet.
    expect(d.kpis).to.deep.include({ renewalsDue: '3', renewalsRenewed: '0', renewalRate: '0.0', renewalValue: '0.00' });
  });

  it('names the currency and the date when a rate is missing, never counting it as 0', async () => {
    try {
      await channelDashboard(store, vendor, today, { currency: 'GBP' });
      expect.fail('GBP has no rate');
    } catch (error) {
      expect(error).to.be.instanceOf(CpqError);
      expect((error as CpqError).code).to.equal('NO_EXCHANGE_RATE');
      expect((error as Error).message).to.match(/no exchange rate for GBP on \d{4}-\d{2}-\d{2}/);
    }
  });

  it('gives a reseller its own scorecard with its tier and distance to the next, never Net or distributor margins', async () => {
    const card = await partnerScorecard(store, fjord, today, undefined, { currency: 'SEK' });
    expect(card).to.deep.include({ partnerId: 'r-nordic', currency: 'SEK' });
    expect(card.kpis).to.deep.include({ wonValue: '348450.26', ordersWon: '1', openQuoteValue: '508386.00' });
    // Reseller margin: (29682.80 - 25433.20) × 10.8/0.92 = 348450.26 - 298563.65
    expect(card.resellerMargin).to.equal('49886.61');
    // Bookings in USD at 0.92: 25433.20 / 0.92 = 27644.78 → Gold (25000), 60000 - 27644.78 to Platinum.
    expect(card.tiers).to.have.length(1);
    expect(card.tiers[0]).to.deep.include({ sellerId: 'd-emea', bookings12m: '27644.78', toNextTier: '32355.22' });
    expect(card.tiers[0]!.currentTier?.name).to.equal('Gold');
    const text = JSON.stringify(card);
    expect(text).not.to.match(/netTotal|distributorMargin|distributorBookings|"net"/);
    await expectCode(partnerScorecard(store, fjord, today, 'r-uk'), 'NOT_FOUND');
    await expectCode(channelDashboard(store, fjord, today), 'FORBIDDEN');
  });

  it('keeps a distributor to its own resellers and its own business with a shared reseller', async () => {
    const amer = await channelDashboard(store, pacific, today);
    expect(amer.resellers.map((r) => r.partnerId)).to.deep.equal(['r-dach', 'r-west', 'r-maple']);
    const text = JSON.stringify(amer);
    for (const other of ['r-nordic', 'r-uk', 'Fjord', 'Thames', 'Nordlys']) expect(text).not.to.include(other);
    // Alpenblick bought 94300.00 EUR through Nordlys: Pacific sees none of it.
    const dach = amer.resellers.find((r) => r.partnerId === 'r-dach')!;
    expect(dach).to.deep.include({ orders: 0, orderValue: '0.00' });
    const card = await partnerScorecard(store, pacific, today, 'r-dach');
    expect(card.kpis).to.deep.include({ wonValue: '0.00', ordersWon: '0' });
    expect(card.tiers.map((t) => t.sellerId)).to.deep.equal(['d-amer']);
    await expectCode(partnerScorecard(store, pacific, today, 'r-nordic'), 'NOT_FOUND');
    // The vendor's scorecard of Alpenblick has both agreements.
    const all = await partnerScorecard(store, vendor, today, 'r-dach');
    expect(all.tiers.map((t) => t.sellerId).sort()).to.deep.equal(['d-amer', 'd-emea']);
    expect(all.kpis).to.deep.include({ wonValue: '102500.00' }); // 94300.00 / 0.92
  });

  it('defines every KPI once, the unavailable ones saying so', () => {
    expect(new Set(KPI_KEYS).size).to.equal(KPI_KEYS.length);
    for (const k of KPI_DEFINITIONS) {
      expect(k.definition.length, k.key).to.be.greaterThan(10);
      if (!k.available) expect(k.definition, k.key).to.include('Not available yet');
    }
  });
});

async function expectCode(call: Promise<unknown>, code: string): Promise<void> {
  try {
    await call;
  } catch (error) {
    expect((error as CpqError).code).to.equal(code);
    return;
  }
  expect.fail(`expected ${code}`);
}
