import { expect } from 'chai';
import type { ResellerOrderTerms, SubmitOrderResult } from '../../src/services/orders.js';
import type { QuoteDetail } from '../../src/services/quotes.js';
import { keyPaths, signedIn, startTestPortal, type ErrorReply, type PortalClient, type TestPortal } from './fixtures.js';

/**
 * Auto-fulfil and credit limits through the controllers (docs/ORDERS.md). The fixture world: R2 buys from D1
 * at 15 % off; SVC lists at 1500.00 USD, so one SVC costs R2 1275.00; R2 already has an open (placed, not
 * activated) order of 2 SVC = 2550.00.
 */
describe('preview server: reseller order terms and auto-fulfilled orders', () => {
  let portal: TestPortal;
  let d1: PortalClient;
  let d2: PortalClient;
  let r2: PortalClient;

  before(async () => {
    portal = await startTestPortal();
    d1 = await signedIn(portal.server, 'd1');
    d2 = await signedIn(portal.server, 'd2');
    r2 = await signedIn(portal.server, 'r2');
  });
  after(async () => {
    await portal.stop();
  });

  const acceptedSvcQuote = async (quantity: string): Promise<QuoteDetail> => {
    const created = await r2.ok<QuoteDetail>('QuoteController.createQuote', {
      quote: { endCustomerId: 'E2', currency: 'USD', startDate: '2026-04-01', lines: [{ productId: 'SVC', quantity }] },
    });
    return r2.ok<QuoteDetail>('QuoteController.acceptQuote', { quoteId: created.quote.id, version: created.quote.version });
  };

  it('answers 400 naming the field, 404 for another distributor’s reseller, 403 for a reseller', async () => {
    const negative = await d1.apex<ErrorReply>('AgreementController.setOrderTerms', {
      resellerId: 'R2',
      autoFulfil: true,
      creditLimit: '-100.00',
    });
    expect(negative.status, negative.text).to.equal(400);
    expect(negative.body.error.issues.map((i) => [i.path, i.message])).to.deep.equal([['creditLimit', 'must not be negative']]);
    expect(negative.body.error.message).to.contain('creditLimit');
    const unknown = await d1.apex<ErrorReply>('AgreementController.setOrderTerms', {
      resellerId: 'R2',
      autoFulfil: false,
      creditLimit: '1.00',
      limit: 5,
    });
    expect([unknown.status, unknown.body.error.issues.map((i) => i.path)]).to.deep.equal([400, ['limit']]);
    // R2 buys from D1 only.
    expect((await d2.apex('AgreementController.setOrderTerms', { resellerId: 'R2', autoFulfil: false })).status).to.equal(404);
    expect((await r2.apex('AgreementController.setOrderTerms', { resellerId: 'R2', autoFulfil: false })).status).to.equal(403);
    expect(await r2.ok<ResellerOrderTerms[]>('AgreementController.listOrderTerms')).to.deep.equal([
      {
        agreementId: 'A-R2-D1',
        resellerId: 'R2',
        resellerName: 'Reseller Two',
        distributorId: 'D1',
        distributorName: 'Distri One',
        autoFulfil: false,
        creditLimit: null,
        creditLimitCurrency: null,
        openOrderValue: null,
      },
    ]);
  });

  it('places within the limit at once and requests over it, saying by how much', async () => {
    const set = await d1.ok<ResellerOrderTerms>('AgreementController.setOrderTerms', {
      resellerId: 'R2',
      autoFulfil: true,
      creditLimit: '5000',
    });
    expect(set).to.include({ autoFulfil: true, creditLimit: '5000.00', creditLimitCurrency: 'USD', openOrderValue: '2550.00' });
    expect((await d2.ok<ResellerOrderTerms[]>('AgreementController.listOrderTerms')).map((t) => t.resellerId)).to.deep.equal([
      'R3',
    ]);

    // 2550.00 open + 1275.00 = 3825.00 <= 5000.00.
    const small = await acceptedSvcQuote('1');
    const placed = await r2.ok<SubmitOrderResult>('OrderController.submitOrder', {
      quoteId: small.quote.id,
      version: small.quote.version,
    });
    expect([placed.outcome, placed.order?.status, placed.order?.partnerTotal, placed.quote.quote.status]).to.deep.equal([
      'placed',
      'Placed',
      '1275.00',
      'Ordered',
    ]);
    expect(keyPaths(placed, ['net', 'netTotal']), 'no Net for a reseller').to.deep.equal([]);

    // 3825.00 open + 2550.00 = 6375.00: 1375.00 over 5000.00.
    const big = await acceptedSvcQuote('2');
    const requested = await r2.ok<SubmitOrderResult>('OrderController.submitOrder', {
      quoteId: big.quote.id,
      version: big.quote.version,
      comment: 'please',
    });
    expect([requested.outcome, requested.order, requested.reasons]).to.deep.equal([
      'requested',
      null,
      ['credit limit 5000.00 USD exceeded by 1375.00 USD (open orders 3825.00 USD + this order 2550.00 USD)'],
    ]);
    expect(requested.quote.quote.orderRequest?.comment).to.equal('please');
    // A stale version is refused (409), not turned into a request: the accepted quote is at version 2.
    const third = await acceptedSvcQuote('1');
    const stale = await r2.apex<ErrorReply>('OrderController.submitOrder', { quoteId: third.quote.id, version: 1 });
    expect([third.quote.version, stale.status, stale.body.error.code]).to.deep.equal([2, 409, 'CONFLICT']);
  });
});
