import { expect } from 'chai';
import http from 'node:http';
import zlib from 'node:zlib';
import type { ContractView, PendingApproval, PricingContext } from '../../src/services/visibleReads.js';
import type { OrderView } from '../../src/services/orders.js';
import type { QuoteDetail, QuoteSummary, SaveQuoteAnswer } from '../../src/services/quotes.js';
import { keyPaths, signedIn, startTestPortal, type ErrorReply, type PortalClient, type TestPortal } from './fixtures.js';

describe('preview server: quotes, approvals and orders through the controllers', () => {
  let portal: TestPortal;
  let r1: PortalClient;
  let d1: PortalClient;

  before(async () => {
    portal = await startTestPortal();
    r1 = await signedIn(portal.server, 'r1');
    d1 = await signedIn(portal.server, 'd1');
  });
  after(async () => {
    await portal.stop();
  });

  const getQuote = (quoteId: string): Promise<QuoteDetail> => r1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId });

  async function expectInvalid(
    client: PortalClient,
    target: string,
    params: unknown,
    field: string,
    message?: RegExp,
  ): Promise<void> {
    const reply = await client.apex<ErrorReply>(target, params);
    expect(reply.status, reply.text).to.equal(400);
    expect(reply.body.error.code).to.equal('INVALID_INPUT');
    expect(
      reply.body.error.issues.map((i) => i.path),
      reply.text,
    ).to.include(field);
    expect(reply.body.error.message).to.contain(field);
    if (message) expect(reply.body.error.issues.find((i) => i.path === field)!.message).to.match(message);
  }

  describe('bad input', () => {
    it('answers 400 naming the field, and writes nothing', async () => {
      const quoteId = portal.world.r1Draft;
      const before = await getQuote(quoteId);
      const save = (lines: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
        quoteId,
        version: before.quote.version,
        lines,
        ...extra,
      });
      await expectInvalid(
        r1,
        'QuoteController.saveQuote',
        save([{ productId: 'LIC', quantity: '-1' }]),
        'lines.0.quantity',
        /greater than zero/,
      );
      await expectInvalid(
        r1,
        'QuoteController.saveQuote',
        save([{ productId: 'LIC', quantity: -1 }]),
        'lines.0.quantity',
        /greater than zero/,
      );
      await expectInvalid(
        r1,
        'QuoteController.saveQuote',
        save([
          { productId: 'LIC', quantity: '2' },
          { productId: 'LIC', quantity: '1', additionalDiscountPercent: '120' },
        ]),
        'lines.1.additionalDiscountPercent',
        /between 0 and 100/,
      );
      // Money of 15 digits but beyond 2^53 cents: refused naming the field, not an internal error.
      await expectInvalid(
        r1,
        'QuoteController.saveQuote',
        save([{ productId: 'LIC', quantity: '1', additionalDiscountAmount: '90071992547410' }]),
        'lines.0.additionalDiscountAmount',
        /^90071992547410 USD is too large: amounts are computed exactly up to 90071992547409\.91 USD/,
      );
      await expectInvalid(r1, 'QuoteController.saveQuote', save([], { discount: '50' }), 'discount', /not a known field/);
      // The quote discount (PRICING-NOTES.md, Quote discount): a percentage, named when wrong, on save and create.
      await expectInvalid(
        r1,
        'QuoteController.saveQuote',
        save([], { additionalDiscountPercent: '101' }),
        'additionalDiscountPercent',
        /between 0 and 100/,
      );
      await expectInvalid(
        r1,
        'QuoteController.createQuote',
        { quote: { endCustomerId: 'E1', currency: 'USD', startDate: '2026-04-01', additionalDiscountPercent: 'abc' } },
        'quote.additionalDiscountPercent',
        /decimal number/,
      );
      await expectInvalid(r1, 'QuoteController.saveQuote', save([], { version: '2' }), 'version');
      await expectInvalid(r1, 'QuoteController.saveQuote', save([], { startDate: '2026-02-30' }), 'startDate');
      await expectInvalid(r1, 'QuoteController.saveQuote', { quoteId, lines: [] }, 'version', /required/);
      await expectInvalid(r1, 'QuoteController.getQuote', {}, 'quoteId', /required/);
      await expectInvalid(r1, 'QuoteController.getQuote', { quoteId: 42 }, 'quoteId');
      await expectInvalid(r1, 'QuoteController.listQuotes', { status: 'Whatever' }, 'status');
      await expectInvalid(r1, 'QuoteController.listQuotes', { status: 'Draft', limit: 5 }, 'limit', /not a known field/);
      await expectInvalid(r1, 'QuoteController.getCatalog', { currencyCode: 'usd' }, 'currencyCode');
      await expectInvalid(
        r1,
        'QuoteController.createQuote',
        { quote: { endCustomerId: 'E1', currency: 'USD', startDate: '2026-04-01', netTotal: '1.00' } },
        'quote.netTotal',
        /not a known field/,
      );
      await expectInvalid(
        r1,
        'QuoteController.createQuote',
        {
          quote: {
            endCustomerId: 'E1',
            currency: 'USD',
            startDate: '2026-04-01',
            lines: [{ productId: 'LIC', quantity: '1.234' }],
          },
        },
        'quote.lines.0.quantity',
      );
      // The channel mode is the agreement's; a distributor must be one the reseller buys from (D2 sells to R3).
      const newQuote = { endCustomerId: 'E1', currency: 'USD', startDate: '2026-04-01' };
      await expectInvalid(
        r1,
        'QuoteController.createQuote',
        { quote: { ...newQuote, channelMode: 'offList' } },
        'quote.channelMode',
        /comes from your agreement/,
      );
      await expectInvalid(
        r1,
        'QuoteController.createQuote',
        { quote: { ...newQuote, distributorId: 'D2' } },
        'quote.distributorId',
        /^you hold no active agreement with this distributor on 2026-04-01/,
      );
      await expectInvalid(d1, 'ApprovalController.decide', { quoteId, version: 1, decision: 'maybe' }, 'decision');
      await expectInvalid(
        d1,
        'OrderController.replenish',
        { currencyCode: 'USD', lines: [{ productId: 'LIC', quantity: '0' }] },
        'lines.0.quantity',
      );
      await expectInvalid(d1, 'OrderController.listOrders', { distributorId: 'D2' }, 'distributorId', /not a known field/);
      // The size limits of core/limits.ts, the same as in Apex: nothing of an oversized request is read.
      const many = (n: number): unknown[] => Array.from({ length: n }, () => ({ productId: 'LIC', quantity: '1' }));
      await expectInvalid(
        r1,
        'QuoteController.saveQuote',
        save(many(2001)),
        'lines',
        /^holds 2001 lines: a quote may hold at most 2000 lines; split it into several quotes$/,
      );
      await expectInvalid(
        r1,
        'QuoteController.createQuote',
        { quote: { endCustomerId: 'E1', currency: 'USD', startDate: '2026-04-01', lines: many(2001) } },
        'quote.lines',
        /at most 2000 lines/,
      );
      // Hundreds of bad lines: the first 100 issues are named, the rest counted, in the message and the answer.
      const bad = await r1.apex<ErrorReply>(
        'QuoteController.saveQuote',
        save(Array.from({ length: 300 }, () => ({ productId: 'LIC', quantity: '-1' }))),
      );
      expect(bad.status).to.equal(400);
      expect(bad.body.error.issues).to.have.length(100);
      expect(bad.body.error.issueCount).to.equal(300);
      expect(bad.body.error.message).to.match(/lines\.99\.quantity: must be greater than zero \(got "-1"\); and 200 more$/);
      expect(bad.text.length).to.be.below(20_000);
      await expectInvalid(
        d1,
        'OrderController.replenish',
        { currencyCode: 'USD', lines: many(100_000) },
        'lines',
        /^holds 100000 lines: an order may hold at most 2000 lines; split it into several orders$/,
      );

      const after = await getQuote(quoteId);
      expect(after.quote.version).to.equal(before.quote.version);
      expect(after.quote.lines).to.deep.equal(before.quote.lines);
    });

    it('reports what the services refuse as 400 with the field (an end customer that is not one)', async () => {
      const before = await getQuote(portal.world.r1Draft);
      await expectInvalid(
        r1,
        'QuoteController.saveQuote',
        { quoteId: portal.world.r1Draft, version: before.quote.version, endCustomerId: 'R2', lines: [] },
        'endCustomerId',
      );
      await expectInvalid(
        r1,
        'QuoteController.submitForApproval',
        { quoteId: portal.world.r1Draft, version: before.quote.version, comment: ' ' },
        'comment',
      );
      expect((await getQuote(portal.world.r1Draft)).quote.version).to.equal(before.quote.version);
    });

    it('names the fields of a new quote as sent, inside `quote`', async () => {
      const count = (await r1.ok<QuoteSummary[]>('QuoteController.listQuotes', {})).length;
      const quote = { endCustomerId: 'E1', currency: 'USD', startDate: '2026-04-01' };
      await expectInvalid(
        r1,
        'QuoteController.createQuote',
        { quote: { ...quote, endCustomerId: 'R2' } },
        'quote.endCustomerId',
        /end customer/,
      );
      await expectInvalid(
        r1,
        'QuoteController.createQuote',
        { quote: { ...quote, resellerId: 'R2' } },
        'quote.resellerId',
        /your own account/,
      );
      await expectInvalid(
        r1,
        'QuoteController.createQuote',
        { quote: { ...quote, lines: [{ productId: 'NOPE', quantity: '1' }] } },
        'quote.lines.0.productId',
      );
      expect(await r1.ok<QuoteSummary[]>('QuoteController.listQuotes', {})).to.have.length(count);
    });
  });

  describe('prices come from the server only', () => {
    const clientPrices = {
      list: { unit: '1.00', total: '1.00' },
      regular: { unit: '1.00', total: '1.00' },
      customer: { unit: '0.01', total: '0.10' },
      partner: { unit: '0.01', total: '0.10' },
      net: { unit: '0.01', total: '0.10' },
      customerTotal: '0.10',
      renewalCustomerUnit: '0.01',
    };

    it('ignores prices and a renewal unit sent with the lines of a save', async () => {
      const before = await getQuote(portal.world.r1Draft);
      const lineId = before.quote.lines[0]!.id;
      const saved = await r1.ok<SaveQuoteAnswer>('QuoteController.saveQuote', {
        quoteId: portal.world.r1Draft,
        version: before.quote.version,
        lines: [{ id: lineId, productId: 'LIC', quantity: '10', ...clientPrices }],
      });
      // The slim answer holds only lines whose figures changed: read the server's figures back whole.
      expect(saved.quote.lineIds).to.deep.equal([lineId]);
      const after = await getQuote(portal.world.r1Draft);
      // LIC 1000.00, 10 units: range tier 10 % -> 900.00; R1's Licenses rule 20 % -> 720.00.
      expect(after.pricing.lines[0]).to.deep.include({ lineId, renewalCustomerUnit: false });
      expect(after.pricing.lines[0]!.customer).to.deep.equal({ unit: '900.00', total: '9000.00' });
      expect(after.pricing.lines[0]!.partner).to.deep.equal({ unit: '720.00', total: '7200.00' });
      for (const line of saved.pricing.lines) expect(line).to.deep.equal(after.pricing.lines[0]);
      expect(saved.quote).to.include({ customerTotal: '9000.00', partnerTotal: '7200.00' });
      const stored = (await portal.server.store.getQuote(portal.world.r1Draft))!;
      expect(stored.lines).to.deep.equal([{ id: lineId, productId: 'LIC', quantity: '10' }]);
      expect(stored).to.include({ customerTotal: '9000.00', partnerTotal: '7200.00', netTotal: '5040.00' });
    });

    it('ignores prices sent with the lines of a new quote', async () => {
      const created = await r1.ok<QuoteDetail>('QuoteController.createQuote', {
        quote: {
          name: 'priced by the client?',
          endCustomerId: 'E1',
          currency: 'USD',
          startDate: '2026-04-01',
          lines: [{ productId: 'SVC', quantity: '1', ...clientPrices }],
        },
      });
      // SVC 1500.00, no schedule; R1's "all" rule 10 % -> 1350.00.
      expect(created.pricing.lines[0]!.customer.unit).to.equal('1500.00');
      expect(created.pricing.lines[0]!.partner.unit).to.equal('1350.00');
      const stored = (await portal.server.store.getQuote(created.quote.id))!;
      expect(stored.lines[0]).to.not.have.property('renewalCustomerUnit');
      expect(stored.distributorId).to.equal('D1'); // the default distributor for EMEA
    });

    it('keeps the server’s renewal unit on a renewal line whatever the client sends', async () => {
      const [renewal] = await r1.ok<QuoteSummary[]>('RenewalController.listRenewalQuotes');
      const before = await getQuote(renewal!.id);
      const line = before.quote.lines[0]!;
      expect(line.renewalCustomerUnit).to.equal('855.00');
      const saved = await r1.ok<SaveQuoteAnswer>('QuoteController.saveQuote', {
        quoteId: renewal!.id,
        version: before.quote.version,
        lines: [{ id: line.id, productId: line.productId, quantity: '31', termMonths: line.termMonths, ...clientPrices }],
      });
      expect(saved.pricing.lines[0]).to.deep.include({ renewalCustomerUnit: true, quantity: '31' });
      expect(saved.pricing.lines[0]!.customer).to.deep.equal({ unit: '855.00', total: '26505.00' });
      expect((await portal.server.store.getQuote(renewal!.id))!.lines[0]!.renewalCustomerUnit).to.equal('855.00');
    });
  });

  describe('concurrency and state', () => {
    it('answers 409 to a stale save and keeps the first save whole', async () => {
      const before = await getQuote(portal.world.r1Draft);
      const v = before.quote.version;
      const first = await r1.ok<SaveQuoteAnswer>('QuoteController.saveQuote', {
        quoteId: portal.world.r1Draft,
        version: v,
        name: 'first save',
        lines: [{ productId: 'LIC', quantity: '12' }],
      });
      expect(first.quote.version).to.equal(v + 1);
      const stale = await r1.apex<ErrorReply>('QuoteController.saveQuote', {
        quoteId: portal.world.r1Draft,
        version: v,
        name: 'second save',
        lines: [
          { productId: 'SVC', quantity: '3' },
          { productId: 'LIC', quantity: '99' },
        ],
      });
      expect(stale.status).to.equal(409);
      expect(stale.body.error.code).to.equal('CONFLICT');
      expect(stale.body.error.message).to.match(/reload/);
      const after = await getQuote(portal.world.r1Draft);
      expect(after.quote).to.include({ version: v + 1, name: 'first save', customerTotal: '10800.00' });
      expect(after.quote.lines.map((l) => [l.productId, l.quantity])).to.deep.equal([['LIC', '12']]);
      expect(after.quote.lines.map((l) => l.id)).to.deep.equal(first.quote.lineIds);

      const staleDelete = await r1.apex<ErrorReply>('QuoteController.deleteQuote', { quoteId: portal.world.r1Draft, version: v });
      expect(staleDelete.status).to.equal(409);
      expect((await getQuote(portal.world.r1Draft)).quote.version).to.equal(v + 1);
    });

    it('lets exactly one of two simultaneous saves of the same version win', async () => {
      const { quote } = await getQuote(portal.world.r1Draft);
      const save = (name: string): Promise<{ status: number }> =>
        r1.apex('QuoteController.saveQuote', {
          quoteId: quote.id,
          version: quote.version,
          name,
          lines: [{ productId: 'LIC', quantity: '2' }],
        });
      const statuses = (await Promise.all([save('A'), save('B')])).map((r) => r.status).sort();
      expect(statuses).to.deep.equal([200, 409]);
      expect((await getQuote(quote.id)).quote.version).to.equal(quote.version + 1);
    });

    it('answers 422 when the quote’s state forbids the action', async () => {
      const pending = await getQuote(portal.world.r1Pending);
      const accept = await r1.apex<ErrorReply>('QuoteController.acceptQuote', {
        quoteId: pending.quote.id,
        version: pending.quote.version,
      });
      expect(accept.status).to.equal(422);
      expect(accept.body.error.code).to.equal('INVALID_STATE');
      const draft = await getQuote(portal.world.r1Draft);
      const order = await d1.apex<ErrorReply>('OrderController.placeOrder', { quoteId: draft.quote.id });
      expect(order.status).to.equal(422);
      expect(order.body.error.code).to.equal('NOT_ORDERABLE');
      const submit = await r1.apex<ErrorReply>('QuoteController.submitForApproval', {
        quoteId: draft.quote.id,
        version: draft.quote.version,
        comment: 'why not',
      });
      expect(submit.status).to.equal(422);
      expect((await getQuote(draft.quote.id)).quote).to.include({ status: 'Draft', version: draft.quote.version });
    });
  });

  describe('the wire', () => {
    /** One raw POST (fetch would decompress): the bytes as sent, and their encoding. */
    function raw(target: string, params: unknown, acceptEncoding: string): Promise<{ encoding: string; bytes: Buffer }> {
      const [cls, method] = target.split('.');
      const url = new URL(`/apex/${cls}/${method}`, portal.server.url);
      return new Promise((resolve, reject) => {
        const req = http.request(
          url,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: r1.cookie!, 'accept-encoding': acceptEncoding },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ encoding: String(res.headers['content-encoding'] ?? ''), bytes: Buffer.concat(chunks) }),
            );
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(params));
      });
    }

    it('sends a 1,000-line quote compressed: br under 100 KB, gzip for clients without br, plain on request', async () => {
      const lines = Array.from({ length: 1000 }, (_, i) => ({ productId: i % 2 ? 'LIC' : 'SVC', quantity: String(1 + (i % 7)) }));
      const created = await r1.ok<QuoteDetail>('QuoteController.createQuote', {
        quote: { endCustomerId: 'E1', currency: 'USD', startDate: '2026-04-01', lines },
      });
      const params = { quoteId: created.quote.id };
      const plain = await raw('QuoteController.getQuote', params, 'identity');
      const br = await raw('QuoteController.getQuote', params, 'br, gzip');
      const gzip = await raw('QuoteController.getQuote', params, 'gzip');
      expect([plain.encoding, br.encoding, gzip.encoding]).to.deep.equal(['', 'br', 'gzip']);
      expect(zlib.brotliDecompressSync(br.bytes).equals(plain.bytes)).to.equal(true);
      expect(zlib.gunzipSync(gzip.bytes).equals(plain.bytes)).to.equal(true);
      expect(plain.bytes.length).to.be.above(500_000);
      expect(br.bytes.length).to.be.below(100_000);
      expect(gzip.bytes.length).to.be.below(100_000);
    });

    it('sends the lines once per load: the pricing context of a 1,000-line quote carries none of them', async () => {
      const lines = Array.from({ length: 1000 }, (_, i) => ({ productId: i % 2 ? 'LIC' : 'SVC', quantity: String(1 + (i % 7)) }));
      const created = await r1.ok<QuoteDetail>('QuoteController.createQuote', {
        quote: { endCustomerId: 'E1', currency: 'USD', startDate: '2026-04-01', lines },
      });
      const context = await r1.ok<PricingContext>('QuoteController.getPricingContext', { quoteId: created.quote.id });
      expect(context.scenario.quote.id).to.equal(created.quote.id);
      expect(context.scenario.quote.lines).to.deep.equal([]);
      expect(context.scenario.products.map((p) => p.id)).to.include.members(['LIC', 'SVC']);
      const plain = await raw('QuoteController.getPricingContext', { quoteId: created.quote.id }, 'identity');
      expect(plain.bytes.length).to.be.below(20_000);
    });
  });

  describe('the whole flow', () => {
    it('clones and deletes a quote', async () => {
      const copy = await r1.ok<QuoteDetail>('QuoteController.cloneQuote', { quoteId: portal.world.r1Draft });
      expect(copy.quote.status).to.equal('Draft');
      expect(copy.quote.name).to.match(/\(copy\)$/);
      const deleted = await r1.ok('QuoteController.deleteQuote', { quoteId: copy.quote.id, version: copy.quote.version });
      expect(deleted).to.deep.equal({ quoteId: copy.quote.id, deleted: true });
      expect((await r1.apex('QuoteController.getQuote', { quoteId: copy.quote.id })).status).to.equal(404);
    });

    it('submits, approves, accepts, orders and activates a quote, each as the right user', async () => {
      const created = await r1.ok<QuoteDetail>('QuoteController.createQuote', {
        quote: {
          name: 'Flow deal',
          endCustomerId: 'E2',
          currency: 'USD',
          startDate: '2026-04-01',
          termMonths: 12,
          lines: [{ productId: 'LIC', quantity: 60, additionalDiscountPercent: '20' }],
        },
      });
      expect(created.pricing.approvalRequired).to.equal(true);
      expect(created.actions).to.include({ canEdit: true, canSubmitForApproval: true, canAccept: false });
      const submitted = await r1.ok<QuoteDetail>('QuoteController.submitForApproval', {
        quoteId: created.quote.id,
        version: created.quote.version,
        comment: 'Competitive deal',
      });
      expect(submitted.quote.status).to.equal('NeedsApproval');

      const waiting = await d1.ok<PendingApproval[]>('ApprovalController.listPendingApprovals');
      expect(waiting.map((p) => p.quote.id)).to.include(created.quote.id);
      const rejectWithoutReason = await d1.apex<ErrorReply>('ApprovalController.decide', {
        quoteId: created.quote.id,
        version: submitted.quote.version,
        decision: 'reject',
      });
      expect(rejectWithoutReason.status).to.equal(400);
      expect(rejectWithoutReason.body.error.issues[0]!.path).to.equal('comment');
      // Each decision carries a comment (CHANNEL.md): an approval without one, or with a blank one, is refused.
      for (const comment of [undefined, '', '   ', '\n\t ']) {
        const approveWithoutComment = await d1.apex<ErrorReply>('ApprovalController.decide', {
          quoteId: created.quote.id,
          version: submitted.quote.version,
          decision: 'approve',
          ...(comment === undefined ? {} : { comment }),
        });
        expect(approveWithoutComment.status, JSON.stringify(comment)).to.equal(400);
        expect(approveWithoutComment.body.error.issues.map((i) => [i.path, i.message])).to.deep.equal([
          ['comment', 'write a comment for the reseller: every decision carries one'],
        ]);
        expect(approveWithoutComment.body.error.message).to.contain(
          'comment: write a comment for the reseller: every decision carries one',
        );
      }
      const stillWaiting = await d1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: created.quote.id });
      expect(stillWaiting.quote).to.include({ status: 'NeedsApproval', version: submitted.quote.version });
      expect(stillWaiting.approvals.map((a) => [a.status, a.decisionComment])).to.deep.equal([['Pending', null]]);
      const approved = await d1.ok<QuoteDetail>('ApprovalController.decide', {
        quoteId: created.quote.id,
        version: submitted.quote.version,
        decision: 'approve',
        comment: 'OK this once',
      });
      expect(approved.quote.status).to.equal('Approved');
      expect(approved.approvals.at(-1)).to.include({ status: 'Approved', decisionComment: 'OK this once' });
      // Who asked and who decided, by name (the ids stay for the code).
      expect(approved.approvals.at(-1)).to.include({ requestedByName: 'Rita One', decidedByName: 'Dana One' });
      // The reseller is offered Accept on the approved quote (the editor shows the button from `actions`).
      const approvedForReseller = await r1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: created.quote.id });
      expect(approvedForReseller.actions).to.include({ canAccept: true, canSubmitForApproval: false });

      const accepted = await r1.ok<QuoteDetail>('QuoteController.acceptQuote', {
        quoteId: created.quote.id,
        version: approved.quote.version,
      });
      expect(accepted.quote.status).to.equal('Accepted');

      const stockBefore = await d1.ok<{ productId: string; quantity: string }[]>('OrderController.listInventory');
      const order = await d1.ok<OrderView>('OrderController.placeOrder', { quoteId: created.quote.id });
      expect(order).to.include({ status: 'Placed', resellerId: 'R1', distributorId: 'D1', quoteId: created.quote.id });
      // Placing it again answers the same order.
      expect((await d1.ok<OrderView>('OrderController.placeOrder', { quoteId: created.quote.id })).id).to.equal(order.id);
      const stockAfter = await d1.ok<{ productId: string; quantity: string }[]>('OrderController.listInventory');
      expect(Number(stockAfter[0]!.quantity)).to.equal(Number(stockBefore[0]!.quantity) - 60);

      const seenByReseller = await r1.ok<OrderView>('OrderController.getOrder', { orderId: order.id });
      expect(keyPaths(seenByReseller, ['net', 'netTotal'])).to.deep.equal([]);
      expect(seenByReseller.customerTotal).to.equal(order.customerTotal);

      const activated = await d1.ok<OrderView>('OrderController.activateOrder', { orderId: order.id });
      expect(activated.status).to.equal('Activated');
      const contracts = await r1.ok<ContractView[]>('RenewalController.listContracts');
      expect(contracts.map((c) => c.orderId)).to.include(order.id);
      expect((await r1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: created.quote.id })).quote.status).to.equal(
        'Ordered',
      );
    });
  });
});
