import { expect } from 'chai';
import type { QuoteDetail, QuoteSummary } from '../../src/services/quotes.js';
import type { OrderView } from '../../src/services/orders.js';
import type {
  AgreementView,
  CatalogResult,
  ContractView,
  PendingApproval,
  PricingContext,
} from '../../src/services/visibleReads.js';
import {
  keyPaths,
  signedIn,
  startTestPortal,
  type ErrorReply,
  type PortalClient,
  type TestPortal,
  type UserKey,
} from './fixtures.js';

/** What a reseller must never receive, wherever it would sit in a response. */
const DISTRIBUTOR_ONLY = ['net', 'netTotal', 'netUnit', 'distributorMargin', 'distributorDiscount'];

describe('preview server: visibility through every controller', () => {
  let portal: TestPortal;
  const as = {} as Record<UserKey, PortalClient>;

  before(async () => {
    portal = await startTestPortal();
    for (const key of ['vendor', 'd1', 'd2', 'r1', 'r2', 'r3'] as const) as[key] = await signedIn(portal.server, key);
  });
  after(async () => {
    await portal.stop();
  });

  async function expectStatus(
    client: PortalClient,
    target: string,
    params: unknown,
    status: number,
    code: string,
  ): Promise<void> {
    const reply = await client.apex<ErrorReply>(target, params);
    expect(reply.status, `${target} ${JSON.stringify(params)}: ${reply.text}`).to.equal(status);
    expect(reply.body.error.code).to.equal(code);
  }

  async function versionOf(quoteId: string): Promise<number> {
    return (await as.vendor.ok<QuoteDetail>('QuoteController.getQuote', { quoteId })).quote.version;
  }

  it('lists only the quotes a user may see', async () => {
    const parties = async (key: UserKey): Promise<string[]> =>
      [
        ...new Set(
          (await as[key].ok<QuoteSummary[]>('QuoteController.listQuotes', {})).map((q) => `${q.resellerId}/${q.distributorId}`),
        ),
      ].sort();
    expect(await parties('r1')).to.deep.equal(['R1/D1']);
    expect(await parties('r2')).to.deep.equal(['R2/D1']);
    expect(await parties('r3')).to.deep.equal(['R3/D2']);
    expect(await parties('d1')).to.deep.equal(['R1/D1', 'R2/D1']);
    expect(await parties('d2')).to.deep.equal(['R3/D2']);
    expect(await parties('vendor')).to.deep.equal(['R1/D1', 'R2/D1', 'R3/D2']);
  });

  it('answers 404 when a reseller reaches for another reseller’s quote, and changes nothing', async () => {
    const { r1Draft } = portal.world;
    const before = await versionOf(r1Draft);
    const v = before;
    const line = [{ productId: 'LIC', quantity: '1' }];
    await expectStatus(as.r2, 'QuoteController.getQuote', { quoteId: r1Draft }, 404, 'NOT_FOUND');
    await expectStatus(
      as.r2,
      'QuoteController.saveQuote',
      { quoteId: r1Draft, version: v, name: 'hijacked', lines: line },
      404,
      'NOT_FOUND',
    );
    await expectStatus(as.r2, 'QuoteController.cloneQuote', { quoteId: r1Draft }, 404, 'NOT_FOUND');
    await expectStatus(as.r2, 'QuoteController.deleteQuote', { quoteId: r1Draft, version: v }, 404, 'NOT_FOUND');
    await expectStatus(
      as.r2,
      'QuoteController.submitForApproval',
      { quoteId: r1Draft, version: v, comment: 'please' },
      404,
      'NOT_FOUND',
    );
    await expectStatus(as.r2, 'QuoteController.acceptQuote', { quoteId: r1Draft, version: v }, 404, 'NOT_FOUND');
    await expectStatus(as.r2, 'QuoteController.getPricingContext', { quoteId: r1Draft }, 404, 'NOT_FOUND');
    // A reseller of another distributor, and a quote id that does not exist: the same answer.
    await expectStatus(as.r3, 'QuoteController.getQuote', { quoteId: r1Draft }, 404, 'NOT_FOUND');
    await expectStatus(as.r1, 'QuoteController.getQuote', { quoteId: 'no-such-quote' }, 404, 'NOT_FOUND');
    const after = await as.vendor.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: r1Draft });
    expect(after.quote.version).to.equal(before);
    expect(after.quote.name).to.equal('R1 draft');
    expect((await as.r2.ok<QuoteSummary[]>('QuoteController.listQuotes', {})).map((q) => q.name)).to.not.include(
      'R1 draft (copy)',
    );
  });

  it('answers 404 when a distributor reaches for another distributor’s quote or order', async () => {
    const { r1Pending, r2Ordered } = portal.world;
    const v = await versionOf(r1Pending);
    await expectStatus(as.d2, 'QuoteController.getQuote', { quoteId: r1Pending }, 404, 'NOT_FOUND');
    await expectStatus(as.d2, 'QuoteController.getPricingContext', { quoteId: r1Pending }, 404, 'NOT_FOUND');
    await expectStatus(
      as.d2,
      'ApprovalController.decide',
      { quoteId: r1Pending, version: v, decision: 'approve', comment: 'not my reseller' },
      404,
      'NOT_FOUND',
    );
    await expectStatus(as.d2, 'OrderController.placeOrder', { quoteId: r2Ordered.quoteId }, 404, 'NOT_FOUND');
    await expectStatus(as.d2, 'OrderController.getOrder', { orderId: r2Ordered.orderId }, 404, 'NOT_FOUND');
    await expectStatus(as.d2, 'OrderController.activateOrder', { orderId: r2Ordered.orderId }, 404, 'NOT_FOUND');
    expect(await versionOf(r1Pending)).to.equal(v);
    expect((await as.d1.ok<OrderView>('OrderController.getOrder', { orderId: r2Ordered.orderId })).status).to.equal('Placed');
  });

  it('answers 404 when a reseller reaches for another reseller’s order', async () => {
    await expectStatus(as.r1, 'OrderController.getOrder', { orderId: portal.world.r2Ordered.orderId }, 404, 'NOT_FOUND');
    await expectStatus(as.r2, 'OrderController.getOrder', { orderId: portal.world.r1Activated.orderId }, 404, 'NOT_FOUND');
    await expectStatus(as.r3, 'OrderController.getOrder', { orderId: portal.world.r1Activated.orderId }, 404, 'NOT_FOUND');
    const own = await as.r2.ok<OrderView[]>('OrderController.listOrders');
    expect(own.map((o) => o.id)).to.deep.equal([portal.world.r2Ordered.orderId]);
  });

  it('answers 403 to an action the role may not take', async () => {
    const { r1Pending, r2Ordered, r1Draft } = portal.world;
    const v = await versionOf(r1Pending);
    await expectStatus(
      as.r1,
      'ApprovalController.decide',
      { quoteId: r1Pending, version: v, decision: 'approve', comment: 'self-service' },
      403,
      'FORBIDDEN',
    );
    await expectStatus(as.r2, 'OrderController.placeOrder', { quoteId: r2Ordered.quoteId }, 403, 'FORBIDDEN');
    await expectStatus(as.r1, 'OrderController.placeOrder', { quoteId: r1Draft }, 403, 'FORBIDDEN');
    await expectStatus(as.r2, 'OrderController.activateOrder', { orderId: r2Ordered.orderId }, 403, 'FORBIDDEN');
    await expectStatus(as.r1, 'OrderController.listInventory', {}, 403, 'FORBIDDEN');
    await expectStatus(
      as.r1,
      'OrderController.replenish',
      { currencyCode: 'USD', lines: [{ productId: 'LIC', quantity: '1' }] },
      403,
      'FORBIDDEN',
    );
    await expectStatus(
      as.vendor,
      'ApprovalController.decide',
      { quoteId: r1Pending, version: v, decision: 'approve', comment: 'the vendor decides after the distributor' },
      403,
      'FORBIDDEN',
    );
    await expectStatus(as.vendor, 'OrderController.placeOrder', { quoteId: r2Ordered.quoteId }, 403, 'FORBIDDEN');
    await expectStatus(
      as.d1,
      'QuoteController.createQuote',
      { quote: { endCustomerId: 'E1', currency: 'USD', startDate: '2026-04-01' } },
      403,
      'FORBIDDEN',
    );
    await expectStatus(as.d1, 'QuoteController.saveQuote', { quoteId: r1Draft, version: 1, lines: [] }, 403, 'FORBIDDEN');
    await expectStatus(as.d1, 'QuoteController.acceptQuote', { quoteId: r1Draft, version: 1 }, 403, 'FORBIDDEN');
    await expectStatus(as.d1, 'QuoteController.deleteQuote', { quoteId: r1Draft, version: 1 }, 403, 'FORBIDDEN');
    expect(await versionOf(r1Pending)).to.equal(v);
  });

  it('never sends a reseller Net prices, distributor discounts or distributor margins', async () => {
    const r1 = as.r1;
    const responses: Record<string, unknown> = {
      listQuotes: await r1.ok('QuoteController.listQuotes', {}),
      listOrders: await r1.ok('OrderController.listOrders'),
      getOrder: await r1.ok('OrderController.getOrder', { orderId: portal.world.r1Activated.orderId }),
      listContracts: await r1.ok('RenewalController.listContracts'),
      listRenewalQuotes: await r1.ok('RenewalController.listRenewalQuotes'),
      listPendingApprovals: await r1.ok('ApprovalController.listPendingApprovals'),
      listMyAgreements: await r1.ok('AgreementController.listMyAgreements'),
      getCatalog: await r1.ok('QuoteController.getCatalog', { currencyCode: 'USD' }),
      getCurrentUser: await r1.ok('SessionController.getCurrentUser'),
    };
    for (const q of await r1.ok<QuoteSummary[]>('QuoteController.listQuotes', {})) {
      const detail = await r1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: q.id });
      expect(detail.pricing.lines.length, q.name).to.be.greaterThan(0);
      expect(detail.pricing).to.not.have.property('distributor');
      responses[`getQuote ${q.name}`] = detail;
      responses[`getPricingContext ${q.name}`] = await r1.ok('QuoteController.getPricingContext', { quoteId: q.id });
    }
    for (const [what, body] of Object.entries(responses)) {
      expect(keyPaths(body, DISTRIBUTOR_ONLY), what).to.deep.equal([]);
    }
    // The check does find them where they belong: the distributor's view of the same records.
    const d1Quote = await as.d1.ok('QuoteController.getQuote', { quoteId: portal.world.r1Activated.quoteId });
    expect(keyPaths(d1Quote, DISTRIBUTOR_ONLY)).to.include.members([
      '$.quote.netTotal',
      '$.pricing.lines[0].net',
      '$.pricing.totals.net',
    ]);
    expect(keyPaths(await as.d1.ok('RenewalController.listContracts'), DISTRIBUTOR_ONLY)).to.include(
      '$[0].subscriptions[0].netUnit',
    );
    expect(keyPaths(await as.d1.ok('OrderController.listOrders'), DISTRIBUTOR_ONLY)).to.include('$[0].netTotal');
  });

  it('gives a reseller a pricing context without its distributor’s agreement or bookings', async () => {
    const r1 = await as.r1.ok<PricingContext>('QuoteController.getPricingContext', { quoteId: portal.world.r1Draft });
    expect(r1.view).to.equal('reseller');
    expect(r1.scenario.agreements.map((a) => a.id)).to.deep.equal(['A-R1-D1']);
    expect(r1.scenario.bookings.every((b) => b.partnerId === 'R1')).to.equal(true);
    expect(r1.scenario.bookings).to.have.length(1);
    expect(r1.scenario.accounts.map((a) => a.id).sort()).to.deep.equal(['D1', 'E2', 'R1', 'V']);
    expect(r1.scenario.priceBook.every((e) => e.currency === 'USD')).to.equal(true);
    const d1 = await as.d1.ok<PricingContext>('QuoteController.getPricingContext', { quoteId: portal.world.r1Draft });
    expect(d1.view).to.equal('distributor');
    expect(d1.scenario.agreements.map((a) => a.id).sort()).to.deep.equal(['A-D1-V', 'A-R1-D1']);
    expect(d1.scenario.bookings.map((b) => b.partnerId).sort()).to.deep.equal(['D1', 'R1']);
  });

  it('lists agreements by party: a reseller never receives its distributor’s agreement with the vendor', async () => {
    const ids = async (key: UserKey): Promise<string[]> =>
      (await as[key].ok<AgreementView[]>('AgreementController.listMyAgreements')).map((a) => a.id).sort();
    expect(await ids('r1')).to.deep.equal(['A-R1-D1']);
    expect(await ids('r2')).to.deep.equal(['A-R2-D1']);
    expect(await ids('r3')).to.deep.equal(['A-R3-D2']);
    expect(await ids('d1')).to.deep.equal(['A-D1-V', 'A-R1-D1', 'A-R2-D1']);
    expect(await ids('d2')).to.deep.equal(['A-D2-V', 'A-R3-D2']);
    expect(await ids('vendor')).to.deep.equal(['A-D1-V', 'A-D2-V', 'A-R1-D1', 'A-R2-D1', 'A-R3-D2']);
    const [mine] = await as.r1.ok<AgreementView[]>('AgreementController.listMyAgreements');
    expect(mine).to.include({ partnerName: 'Reseller One', sellerName: 'Distri One' });
  });

  it('lists contracts and renewal quotes by party', async () => {
    const contracts = async (key: UserKey): Promise<ContractView[]> =>
      as[key].ok<ContractView[]>('RenewalController.listContracts');
    const r1Contracts = await contracts('r1');
    expect(r1Contracts).to.have.length(1);
    expect(r1Contracts[0]).to.include({
      resellerId: 'R1',
      distributorId: 'D1',
      endDate: '2026-03-31',
      endCustomerName: 'Acme & Sons',
    });
    expect(r1Contracts[0]!.subscriptions[0]).to.include({
      productId: 'LIC',
      quantity: '30',
      customerUnit: '855.00',
      partnerUnit: '684.00',
    });
    expect(r1Contracts[0]!.subscriptions[0]).to.not.have.property('netUnit');
    expect((await contracts('d1'))[0]!.subscriptions[0]).to.include({ netUnit: '478.80' });
    expect(await contracts('r2')).to.deep.equal([]);
    expect(await contracts('d2')).to.deep.equal([]);
    expect(await contracts('vendor')).to.have.length(1);

    const renewals = async (key: UserKey): Promise<QuoteSummary[]> =>
      as[key].ok<QuoteSummary[]>('RenewalController.listRenewalQuotes');
    const r1Renewals = await renewals('r1');
    expect(r1Renewals).to.have.length(1);
    expect(r1Renewals[0]).to.include({ isRenewal: true, startDate: '2026-04-01', resellerId: 'R1', status: 'Draft' });
    expect((await renewals('d1')).map((q) => q.id)).to.deep.equal(r1Renewals.map((q) => q.id));
    expect(await renewals('r2')).to.deep.equal([]);
    expect(await renewals('d2')).to.deep.equal([]);
  });

  it('lists pending approvals by party', async () => {
    const pending = async (key: UserKey): Promise<PendingApproval[]> =>
      as[key].ok<PendingApproval[]>('ApprovalController.listPendingApprovals');
    const d1 = await pending('d1');
    expect(d1.map((p) => p.quote.id)).to.deep.equal([portal.world.r1Pending]);
    expect(d1[0]!.approval).to.include({ status: 'Pending', comment: 'Strategic customer' });
    expect(await pending('d2')).to.deep.equal([]);
    expect(await pending('r2')).to.deep.equal([]);
    expect((await pending('r1')).map((p) => p.quote.id)).to.deep.equal([portal.world.r1Pending]);
  });

  it('shows a distributor only its own stock', async () => {
    expect(await as.d1.ok('OrderController.listInventory')).to.deep.equal([
      { distributorId: 'D1', productId: 'LIC', quantity: '470' },
    ]);
    expect(
      (await as.vendor.ok<{ distributorId: string }[]>('OrderController.listInventory')).map((i) => i.distributorId),
    ).to.deep.equal(['D1', 'D2']);
  });

  it('serves the catalog to every signed-in user, with list prices in the asked currency', async () => {
    for (const key of ['r3', 'd2', 'vendor'] as const) {
      const usd = await as[key].ok<CatalogResult>('QuoteController.getCatalog', { currencyCode: 'USD' });
      expect(usd.products.map((p) => [p.id, p.listPrice])).to.deep.equal([
        ['LIC', '1000.00'],
        ['SVC', '1500.00'],
      ]);
    }
    const eur = await as.r1.ok<CatalogResult>('QuoteController.getCatalog', { currencyCode: 'EUR' });
    expect(eur.products).to.have.length(1);
    expect(eur.products[0]).to.include({
      id: 'LIC',
      sku: 'LIC-12',
      family: 'Licenses',
      type: 'subscription',
      termMonths: 12,
      listPrice: '900.00',
    });
    const all = await as.r1.ok<CatalogResult>('QuoteController.getCatalog', {});
    expect(all.products.find((p) => p.id === 'LIC')!.prices).to.have.length(2);
  });

  it('serves the catalog of a quote in its currency to those who can read the quote, and 404 to others', async () => {
    const quote = await as.r1.ok<{ quote: { currency: string } }>('QuoteController.getQuote', { quoteId: portal.world.r1Draft });
    const ofQuote = await as.r1.ok<CatalogResult>('QuoteController.getCatalog', { quoteId: portal.world.r1Draft });
    expect(ofQuote.currency).to.equal(quote.quote.currency);
    expect(ofQuote).to.deep.equal(
      await as.r1.ok<CatalogResult>('QuoteController.getCatalog', { currencyCode: quote.quote.currency }),
    );
    await expectStatus(as.r2, 'QuoteController.getCatalog', { quoteId: portal.world.r1Draft }, 404, 'NOT_FOUND');
    const both = await as.r1.apex<ErrorReply>('QuoteController.getCatalog', {
      quoteId: portal.world.r1Draft,
      currencyCode: 'USD',
    });
    expect(both.status).to.equal(400);
    expect(both.text).to.contain('currencyCode').and.to.contain('not both');
  });
});
