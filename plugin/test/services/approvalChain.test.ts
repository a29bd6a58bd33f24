import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ForbiddenError, InvalidInputError, StateError } from '../../src/core/errors.js';
import { QuoteService, type QuoteDetail } from '../../src/services/quotes.js';
import { listPendingApprovals } from '../../src/services/visibleReads.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { TODAY, viewers, worldReference } from '../fixtures/world.js';

/**
 * The approval chain (CHANNEL.md): the distributor decides a discount above the reseller's cap, then the
 * vendor admin a line below its price floor; the quote is Approved only when every level it needs approved.
 * World: LIC 1000.00, reseller cap 15 %, partner 20 % (Licenses), distributor 30 %; here LIC gets a price
 * floor of 55 % (minNetPercentOfList). 20 % off: Customer 800.00, Partner 640.00, Net 448.00 = 44.8 % (below
 * the floor, above the cap: both levels). 10 % off: Net 504.00 = 50.4 % (below the floor only: the vendor).
 * No discount: Net 560.00 = 56 % (nothing).
 */
describe('approval chain: distributor, then vendor', () => {
  let store: SqliteStore;
  let quotes: QuoteService;

  beforeEach(async () => {
    store = SqliteStore.open(path.join(mkdtempSync(path.join(tmpdir(), 'cpq-chain-')), 'cpq.db'));
    const reference = worldReference();
    reference.products = reference.products.map((p) => (p.id === 'LIC' ? { ...p, minNetPercentOfList: '55' } : p));
    await store.upsertReferenceData(reference);
    quotes = new QuoteService(store, () => TODAY);
  });
  afterEach(async () => store.close());

  const create = (additionalDiscountPercent: string): Promise<QuoteDetail> =>
    quotes.createQuote(viewers.r1, {
      distributorId: 'D1',
      endCustomerId: 'C1',
      currency: 'USD',
      startDate: TODAY,
      lines: [{ productId: 'LIC', quantity: '10', additionalDiscountPercent }],
    });
  const levels = (d: QuoteDetail): string[][] => d.approvals.map((a) => [a.level, a.status, a.decisionComment ?? '']);

  it('while a request is pending, the reseller may only withdraw it: Withdrawn, never Rejected, Draft again', async () => {
    const created = await create('20');
    const id = created.quote.id;
    const submitted = await quotes.submitForApproval(viewers.r1, id, 1, 'Fleet deal');
    expect(submitted.actions).to.deep.include({ canEdit: false, canWithdraw: true });
    await expectRejection(quotes.withdrawApproval(viewers.d1, id, 2), ForbiddenError, /cannot withdraw/);
    const withdrawn = await quotes.withdrawApproval(viewers.r1, id, 2, 'new figures coming');
    expect(withdrawn.quote.status).to.equal('Draft');
    expect(levels(withdrawn)).to.deep.equal([['Distributor', 'Withdrawn', 'Withdrawn: new figures coming']]);
    expect(withdrawn.actions).to.deep.include({ canEdit: true, canWithdraw: false, canSubmitForApproval: true });
    await expectRejection(quotes.withdrawApproval(viewers.r1, id, 3), StateError, /no approval request/);
    // An edit of a submitted quote withdraws its request the same way.
    const again = await quotes.submitForApproval(viewers.r1, id, 3, 'Fleet deal, again');
    const edited = await quotes.saveQuote(viewers.r1, {
      quoteId: id,
      version: again.quote.version,
      lines: [{ productId: 'LIC', quantity: '12', additionalDiscountPercent: '20' }],
    });
    expect(edited.quote.status).to.equal('Draft');
    expect(levels(edited).map((l) => l[1])).to.deep.equal(['Withdrawn', 'Withdrawn']);
  });

  it('goes to the distributor first, then the vendor; accepted only when both approved', async () => {
    const created = await create('20');
    const id = created.quote.id;
    expect(created.pricing.approvalRequired).to.equal(true);
    expect(created.pricing.vendorApprovalRequired).to.equal(true);
    await expectRejection(quotes.acceptQuote(viewers.r1, id, 1), StateError, /vendor’s approval/);

    const submitted = await quotes.submitForApproval(viewers.r1, id, 1, 'Fleet deal');
    expect(levels(submitted)).to.deep.equal([['Distributor', 'Pending', '']]);
    // The vendor waits for the distributor: it cannot decide the distributor's level.
    expect((await quotes.getQuote(viewers.vendor, id)).actions.canDecideApproval).to.equal(false);
    await expectRejection(quotes.decideApproval(viewers.vendor, id, 2, 'approve', 'fine'), ForbiddenError, /distributor/);
    expect((await quotes.getQuote(viewers.d1, id)).actions.canDecideApproval).to.equal(true);

    const passedOn = await quotes.decideApproval(viewers.d1, id, 2, 'approve', 'OK from us');
    expect(passedOn.quote.status).to.equal('NeedsApproval');
    expect(levels(passedOn)).to.deep.equal([
      ['Distributor', 'Approved', 'OK from us'],
      ['Vendor', 'Pending', ''],
    ]);
    // A distributor never decides the vendor's level, and its inbox no longer lists the quote.
    expect(passedOn.actions.canDecideApproval).to.equal(false);
    await expectRejection(quotes.decideApproval(viewers.d1, id, 3, 'approve', 'again'), ForbiddenError, /vendor admin/);
    expect(await listPendingApprovals(store, quotes, viewers.d1)).to.deep.equal([]);
    const inbox = await listPendingApprovals(store, quotes, viewers.vendor);
    expect(inbox.map((p) => [p.quote.id, p.approval?.level])).to.deep.equal([[id, 'Vendor']]);
    await expectRejection(quotes.acceptQuote(viewers.r1, id, 3), StateError, /only a draft or approved/);

    // Every vendor decision carries a comment.
    await expectRejection(quotes.decideApproval(viewers.vendor, id, 3, 'approve', ' '), InvalidInputError, /comment/);
    const approved = await quotes.decideApproval(viewers.vendor, id, 3, 'approve', 'Strategic account');
    expect(approved.quote.status).to.equal('Approved');
    expect(levels(approved)).to.deep.equal([
      ['Distributor', 'Approved', 'OK from us'],
      ['Vendor', 'Approved', 'Strategic account'],
    ]);
    expect((await quotes.acceptQuote(viewers.r1, id, 4)).quote.status).to.equal('Accepted');
  });

  it('a quote below the floor only goes straight to the vendor; the vendor rejects it with a comment', async () => {
    const created = await create('10');
    expect([created.pricing.approvalRequired, created.pricing.vendorApprovalRequired]).to.deep.equal([false, true]);
    expect(created.actions.canSubmitForApproval).to.equal(true);
    const submitted = await quotes.submitForApproval(viewers.r1, created.quote.id, 1, 'Competitor is cheaper');
    expect(levels(submitted)).to.deep.equal([['Vendor', 'Pending', '']]);
    expect(await listPendingApprovals(store, quotes, viewers.d1)).to.deep.equal([]);
    await expectRejection(quotes.decideApproval(viewers.d1, created.quote.id, 2, 'approve', 'ok'), ForbiddenError);
    const rejected = await quotes.decideApproval(viewers.vendor, created.quote.id, 2, 'reject', 'Below our floor');
    expect(rejected.quote.status).to.equal('Rejected');
    expect(levels(rejected)).to.deep.equal([['Vendor', 'Rejected', 'Below our floor']]);
  });

  it('a rejection by the distributor ends the chain: the vendor is never asked', async () => {
    const created = await create('20');
    await quotes.submitForApproval(viewers.r1, created.quote.id, 1, 'Fleet deal');
    const rejected = await quotes.decideApproval(viewers.d1, created.quote.id, 2, 'reject', 'Too deep');
    expect(rejected.quote.status).to.equal('Rejected');
    expect(levels(rejected)).to.deep.equal([['Distributor', 'Rejected', 'Too deep']]);
  });

  it('the reseller reads that the vendor must approve, never the floor or the Net', async () => {
    const created = await create('20');
    const submitted = await quotes.submitForApproval(viewers.r1, created.quote.id, 1, 'Fleet deal');
    await quotes.decideApproval(viewers.d1, created.quote.id, 2, 'approve', 'OK from us');
    const seen = await quotes.getQuote(viewers.r1, created.quote.id);
    expect(seen.pricing.lines[0]!.warnings.map((w) => w.code).sort()).to.deep.equal([
      'APPROVAL_REQUIRED',
      'VENDOR_APPROVAL_REQUIRED',
    ]);
    const text = JSON.stringify([seen, submitted, await listPendingApprovals(store, quotes, viewers.r1)]);
    for (const secret of [
      '"net"',
      'netTotal',
      '448.00',
      '4480.00',
      'priceFloor',
      'BELOW_PRICE_FLOOR',
      'minNetPercentOfList',
      '"55"',
    ]) {
      expect(text, secret).not.to.include(secret);
    }
    // The distributor and the vendor do read the floor.
    const forVendor = await quotes.getQuote(viewers.vendor, created.quote.id);
    expect(JSON.stringify(forVendor.pricing)).to.include('BELOW_PRICE_FLOOR');
  });
});

async function expectRejection(
  p: Promise<unknown>,
  type: abstract new (...args: never[]) => Error,
  message?: RegExp,
): Promise<void> {
  try {
    await p;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    if (message) expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail('expected a rejection');
}
