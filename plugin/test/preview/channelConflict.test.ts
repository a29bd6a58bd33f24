import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startPortalServer, type PortalServer } from '../../src/preview/server.js';
import type { DealView } from '../../src/services/deals.js';
import type { QuoteDetail } from '../../src/services/quotes.js';
import type { PendingApproval, PricingContext } from '../../src/services/visibleReads.js';
import { TODAY, buildWorld, signedIn, type ErrorReply, type PortalClient, type UserKey } from './fixtures.js';

/**
 * CHANNEL.md, channel conflict (docs/DEALS.md): R1 (through D1) registers E1 for Licenses and D1 approves it.
 * R3 (through D2) already has a Draft quote for E1 with a Licenses line (fixtures.ts): that line carries
 * CHANNEL_CONFLICT, the quote cannot be accepted until the vendor approves, D2 cannot approve it away, and
 * neither R3 nor D2 ever learns who registered the customer. R1's own quotes never conflict.
 */
describe('preview server: channel conflict', () => {
  let dir: string;
  let server: PortalServer;
  let today = TODAY;
  let r3Draft: string;
  let deal: DealView;
  const as = {} as Record<UserKey, PortalClient>;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-conflict-'));
    const dbFile = path.join(dir, 'cpq.db');
    r3Draft = (await buildWorld(dbFile)).r3Draft;
    server = await startPortalServer({ dbFile, port: 0, today: () => today, log: () => undefined });
    for (const key of ['vendor', 'd1', 'd2', 'r1', 'r3'] as const) as[key] = await signedIn(server, key);
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Nothing in a partner's answer names the holder: not its registration, reseller, distributor or users. */
  const namesNoHolder = (answer: unknown): void => {
    const text = JSON.stringify(answer);
    for (const secret of [deal.id, deal.number, 'Reseller One', 'Distri One', 'Rita One', 'Dana One', '"R1"', '"D1"', 'u-r1']) {
      expect(text, `the answer names ${secret}`).not.to.contain(secret);
    }
  };

  const conflictCodes = (detail: Pick<QuoteDetail, 'pricing'>): string[][] =>
    detail.pricing.lines.map((l) => l.warnings.map((w) => w.code).filter((c) => c === 'CHANNEL_CONFLICT'));

  it('a Submitted registration protects nothing yet: no conflict before the distributor approves', async () => {
    deal = await as.r1.ok<DealView>('DealRegistrationController.registerDeal', {
      registration: {
        distributorId: 'D1',
        endCustomerId: 'E1',
        families: [{ family: 'Licenses', estimatedQuantity: 40 }],
        estimatedValue: '24000.00',
        currencyCode: 'USD',
        expectedCloseDate: '2026-06-30',
      },
    });
    const quote = await as.r3.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: r3Draft });
    expect(conflictCodes(quote)).to.deep.equal([[]]);
    deal = await as.d1.ok<DealView>('DealRegistrationController.decideDeal', {
      dealId: deal.id,
      version: deal.version,
      decision: 'Approved',
      comment: 'Go',
    });
    expect([deal.status, deal.protectedUntil]).to.deep.equal(['Approved', '2026-05-29']);
  });

  it("another reseller's quote for the protected customer and family: CHANNEL_CONFLICT on the line, holder unnamed", async () => {
    const quote = await as.r3.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: r3Draft });
    expect(conflictCodes(quote)).to.deep.equal([['CHANNEL_CONFLICT']]);
    const line = quote.pricing.lines[0]!;
    expect(line.vendorApprovalRequired).to.equal(true);
    expect(line.warnings.find((w) => w.code === 'CHANNEL_CONFLICT')!.message).to.equal(
      'another partner has registered this end customer for Licenses: the vendor must approve',
    );
    expect(quote.pricing.vendorApprovalRequired).to.equal(true);
    namesNoHolder(quote);
    // The editor's own engine is told the families only, so it flags the line as the server does.
    const context = await as.r3.ok<PricingContext>('QuoteController.getPricingContext', { quoteId: r3Draft });
    expect(context.scenario.quote.channelConflictFamilies).to.deep.equal(['Licenses']);
    namesNoHolder(context);
    // R3's distributor sees the flag, never the holder either.
    const d2 = await as.d2.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: r3Draft });
    expect(conflictCodes(d2)).to.deep.equal([['CHANNEL_CONFLICT']]);
    namesNoHolder(d2);
  });

  it('it can be saved and edited, not accepted: NOT_ACCEPTABLE says why without naming anyone', async () => {
    let quote = await as.r3.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: r3Draft });
    const saved = await as.r3.ok<QuoteDetail>('QuoteController.saveQuote', {
      quoteId: r3Draft,
      version: quote.quote.version,
      lines: [
        { productId: 'LIC', quantity: '6' },
        { productId: 'SVC', quantity: '1' },
      ],
    });
    expect(conflictCodes(saved)).to.deep.equal([['CHANNEL_CONFLICT'], []]);
    quote = await as.r3.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: r3Draft });
    const reply = await as.r3.apex<ErrorReply>('QuoteController.acceptQuote', { quoteId: r3Draft, version: quote.quote.version });
    expect(reply.status, reply.text).to.equal(422);
    expect(reply.body.error.code).to.equal('NOT_ACCEPTABLE');
    expect(reply.body.error.message).to.contain(
      'another partner has registered this end customer for this product family, and the vendor must approve first',
    );
    expect(reply.body.error.message).not.to.contain('price needs');
    namesNoHolder(reply.body);
  });

  it("the request goes to the vendor alone: the distributor cannot approve it away; the vendor's inbox names the registration", async () => {
    let quote = await as.r3.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: r3Draft });
    quote = await as.r3.ok<QuoteDetail>('QuoteController.submitForApproval', {
      quoteId: r3Draft,
      version: quote.quote.version,
      comment: 'The customer asked us',
    });
    expect(quote.quote.status).to.equal('NeedsApproval');
    const d2Inbox = await as.d2.ok<PendingApproval[]>('ApprovalController.listPendingApprovals');
    expect(d2Inbox.map((p) => p.quote.id)).not.to.include(r3Draft);
    const refused = await as.d2.apex<ErrorReply>('ApprovalController.decide', {
      quoteId: r3Draft,
      version: quote.quote.version,
      decision: 'approve',
      comment: 'fine by us',
    });
    expect(refused.status, refused.text).to.equal(403);
    // R3 waits for it and sees no registration in its list.
    const r3Waiting = await as.r3.ok<PendingApproval[]>('ApprovalController.listPendingApprovals');
    const mine = r3Waiting.find((p) => p.quote.id === r3Draft)!;
    expect(mine.approval!.level).to.equal('Vendor');
    expect(mine).not.to.have.property('channelConflicts');
    namesNoHolder(r3Waiting);
    const vendorInbox = await as.vendor.ok<PendingApproval[]>('ApprovalController.listPendingApprovals');
    const entry = vendorInbox.find((p) => p.quote.id === r3Draft)!;
    expect(entry.channelConflicts).to.deep.equal([
      { registrationNumber: deal.number, resellerName: 'Reseller One', families: ['Licenses'], protectedUntil: '2026-05-29' },
    ]);
  });

  it('the vendor approves: the quote is Approved and R3 accepts it', async () => {
    let quote = await as.r3.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: r3Draft });
    quote = await as.vendor.ok<QuoteDetail>('ApprovalController.decide', {
      quoteId: r3Draft,
      version: quote.quote.version,
      decision: 'approve',
      comment: 'R3 has served this customer for years',
    });
    expect(quote.quote.status).to.equal('Approved');
    const accepted = await as.r3.ok<QuoteDetail>('QuoteController.acceptQuote', {
      quoteId: r3Draft,
      version: quote.quote.version,
    });
    expect(accepted.quote.status).to.equal('Accepted');
  });

  it("the holder's own quote for the customer and family has no conflict", async () => {
    const own = await as.r1.ok<QuoteDetail>('QuoteController.createQuote', {
      quote: {
        distributorId: 'D1',
        endCustomerId: 'E1',
        currency: 'USD',
        startDate: today,
        lines: [{ productId: 'LIC', quantity: '3' }],
      },
    });
    expect(conflictCodes(own)).to.deep.equal([[]]);
    expect(own.pricing.vendorApprovalRequired).to.equal(false);
  });

  it('once the protection ends, the conflict is gone', async () => {
    const fresh = await as.r3.ok<QuoteDetail>('QuoteController.createQuote', {
      quote: { endCustomerId: 'E1', currency: 'USD', startDate: '2026-05-29', lines: [{ productId: 'LIC', quantity: '2' }] },
    });
    expect(conflictCodes(fresh)).to.deep.equal([['CHANNEL_CONFLICT']]);
    today = '2026-05-30';
    const later = await as.r3.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: fresh.quote.id });
    expect(conflictCodes(later)).to.deep.equal([[]]);
  });
});
