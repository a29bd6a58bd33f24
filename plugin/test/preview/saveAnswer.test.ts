import { expect } from 'chai';
import type { QuoteDetail, SaveQuoteAnswer } from '../../src/services/quotes.js';
import { hiddenKeyPaths, saveQuoteAnswerSchema } from '../../src/preview/saveQuoteAnswer.js';
import { AnsweredFigures } from '../../src/services/answeredFigures.js';
import type { PricedLineJson } from '../../src/core/serialize.js';
import path from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { createTwoLineQuote, lineInputs, signedIn, startTestPortal, type PortalClient, type TestPortal } from './fixtures.js';

/** QuoteController.saveQuote's slim answer (issue 14): head, totals, flags, actions, only the changed lines. */
describe('preview server: the slim save answer', () => {
  let portal: TestPortal;
  let r1: PortalClient;
  before(async () => {
    portal = await startTestPortal();
    r1 = await signedIn(portal.server, 'r1');
  });
  after(async () => {
    await portal.stop();
  });

  const getQuote = (quoteId: string): Promise<QuoteDetail> => r1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId });

  it('answers only the lines whose figures changed, in the contract, and they match a fresh read', async () => {
    const created = await createTwoLineQuote(r1);
    const [lic, svc] = lineInputs(created);
    const saved = await r1.ok<SaveQuoteAnswer>('QuoteController.saveQuote', {
      quoteId: created.quote.id,
      version: created.quote.version,
      lines: [lic, { ...svc!, quantity: '2' }, { productId: 'LIC', quantity: '1' }],
    });
    expect(saveQuoteAnswerSchema.safeParse(saved).error?.issues ?? []).to.deep.equal([]);
    expect(saved.quote).to.not.have.property('lines');
    expect(saved.quote.version).to.equal(created.quote.version + 1);
    expect(saved).to.not.have.property('approvals');
    const after = await getQuote(created.quote.id);
    expect(saved.quote.lineIds).to.deep.equal(after.quote.lines.map((l) => l.id));
    expect(saved.quote.lineIds.slice(0, 2)).to.deep.equal([lic!.id, svc!.id]);
    // The LIC line is as it was: absent. The SVC line (quantity 2) and the new line: present, as read back.
    const answered = new Map(saved.pricing.lines.map((l) => [l.lineId, l]));
    expect([...answered.keys()].sort()).to.deep.equal([svc!.id, saved.quote.lineIds[2]!].sort());
    for (const line of after.pricing.lines.filter((l) => answered.has(l.lineId)))
      expect(answered.get(line.lineId)).to.deep.equal(line);
    // The unchanged line's figures as the client holds them still equal the server's.
    expect(after.pricing.lines[0]).to.deep.equal(created.pricing.lines[0]);
    expect(saved.pricing.totals).to.deep.equal(after.pricing.totals);
    expect(saved.quote).to.include({ customerTotal: after.quote.customerTotal, partnerTotal: after.quote.partnerTotal });
  });

  it('a save that changes nothing answers no line; the next save still compares with the version saved', async () => {
    const created = await createTwoLineQuote(r1);
    const first = await r1.ok<SaveQuoteAnswer>('QuoteController.saveQuote', {
      quoteId: created.quote.id,
      version: created.quote.version,
      lines: lineInputs(created),
    });
    expect(first.pricing.lines).to.deep.equal([]);
    const [lic, svc] = lineInputs(created);
    const second = await r1.ok<SaveQuoteAnswer>('QuoteController.saveQuote', {
      quoteId: created.quote.id,
      version: first.quote.version,
      lines: [{ ...lic!, quantity: '4' }, svc],
    });
    expect(second.pricing.lines.map((l) => l.lineId)).to.deep.equal([lic!.id]);
    expect(second.pricing.lines[0]!.quantity).to.equal('4');
  });

  it('answers a line whose inputs are unchanged when the price book moved its figures since the version edited', async () => {
    const created = await createTwoLineQuote(r1);
    // The vendor changes LIC's USD list price through another connection to the same database.
    const other = SqliteStore.open(path.join(portal.dir, 'cpq.db'));
    try {
      await other.upsertReferenceData({ priceBook: [{ productId: 'LIC', currency: 'USD', listPrice: '1100.00' }] });
    } finally {
      await other.close();
    }
    const [lic, svc] = lineInputs(created);
    const saved = await r1.ok<SaveQuoteAnswer>('QuoteController.saveQuote', {
      quoteId: created.quote.id,
      version: created.quote.version,
      lines: [lic, svc],
    });
    expect(saved.pricing.lines.map((l) => l.lineId)).to.deep.equal([lic!.id]);
    expect(saved.pricing.lines[0]!.list.unit).to.equal('1100.00');
    expect(saved.pricing.lines[0]).to.deep.equal((await getQuote(created.quote.id)).pricing.lines[0]);
  });

  it('never carries Net prices or distributor terms to the reseller, even on every line', async () => {
    const created = await createTwoLineQuote(r1);
    const saved = await r1.apex<SaveQuoteAnswer>('QuoteController.saveQuote', {
      quoteId: created.quote.id,
      version: created.quote.version,
      lines: lineInputs(created).map((l) => ({ ...l, quantity: '7' })),
    });
    expect(saved.status).to.equal(200);
    expect(saved.body.pricing.lines).to.have.length(2);
    expect(hiddenKeyPaths(saved.body)).to.deep.equal([]);
    expect(saved.text).to.not.match(/"(net|netTotal|distributorMargin|distributorDiscount|distributor)":/);
  });

  it('carries the approval history when the save withdrew a pending approval', async () => {
    const before = await getQuote(portal.world.r1Pending);
    expect(before.quote.status).to.equal('NeedsApproval');
    const saved = await r1.ok<SaveQuoteAnswer>('QuoteController.saveQuote', {
      quoteId: before.quote.id,
      version: before.quote.version,
      lines: lineInputs(before),
    });
    expect(saveQuoteAnswerSchema.safeParse(saved).error?.issues ?? []).to.deep.equal([]);
    expect(saved.quote.status).to.equal('Draft');
    expect(saved.approvals!.at(-1)).to.include({ status: 'Withdrawn', decisionComment: 'Withdrawn: the quote was edited' });
    expect(saved.approvals).to.deep.equal((await getQuote(before.quote.id)).approvals);
  });
});

describe('AnsweredFigures: which lines a save answers', () => {
  const line = (lineId: string, total: string): PricedLineJson =>
    ({ lineId, productId: 'P', quantity: '1', customer: { unit: total, total }, warnings: [] }) as unknown as PricedLineJson;

  it('answers every line for a version it did not answer, and only changed ones for one it did', () => {
    const figures = new AnsweredFigures();
    const v1 = [line('a', '1.00'), line('b', '2.00')];
    expect(figures.changedSince('q', 1, v1)).to.deep.equal(v1);
    figures.record('q', 1, v1);
    expect(
      figures.changedSince('q', 1, [line('a', '1.00'), line('b', '3.00'), line('c', '1.00')]).map((l) => l.lineId),
    ).to.deep.equal(['b', 'c']);
    expect(figures.changedSince('q', 2, v1)).to.have.length(2);
  });

  it('answers every line when two answers for one version differed (the client may hold either)', () => {
    const figures = new AnsweredFigures();
    figures.record('q', 1, [line('a', '1.00'), line('b', '2.00')]);
    figures.record('q', 1, [line('a', '1.00'), line('b', '2.50')]); // e.g. a getQuote after a price change
    expect(figures.changedSince('q', 1, [line('a', '1.00'), line('b', '2.50')])).to.have.length(2);
  });

  it('forgets the oldest quote beyond its size, and then answers every line', () => {
    const figures = new AnsweredFigures(2);
    for (const id of ['q1', 'q2', 'q3']) figures.record(id, 1, [line('a', '1.00')]);
    expect(figures.changedSince('q1', 1, [line('a', '1.00')])).to.have.length(1);
    expect(figures.changedSince('q3', 1, [line('a', '1.00')])).to.have.length(0);
  });
});
