import path from 'node:path';
import { expect } from 'chai';
import type { ControllerPool } from '../../src/preview/controllerPool.js';
import type { QuoteDetail, SaveQuoteAnswer } from '../../src/services/quotes.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { createTwoLineQuote, lineInputs, signedIn, startTestPortal, type PortalClient, type TestPortal } from './fixtures.js';

/**
 * The portal server with pricing workers (controllerPool.ts, docs/PERFORMANCE.md "More than one thread"). The
 * whole portal suite also runs with CPQ_TEST_WORKERS=2 (npm test); these are the things only workers have.
 */
describe('preview server: pricing workers', () => {
  let portal: TestPortal;
  let inThread: TestPortal;
  let pool: ControllerPool;
  let r1: PortalClient;
  before(async () => {
    [portal, inThread] = await Promise.all([startTestPortal({ workers: 2 }), startTestPortal({ workers: 0 })]);
    pool = portal.server.pool!;
    r1 = await signedIn(portal.server, 'r1');
  });
  after(async () => {
    await Promise.all([portal?.stop(), inThread?.stop()]);
  });

  const answeredBy = async (call: () => Promise<unknown>): Promise<number[]> => {
    const before = [...pool.stats.answered];
    await call();
    return pool.stats.answered.map((n, i) => n - (before[i] ?? 0)).flatMap((n, i) => (n > 0 ? [i] : []));
  };
  const createQuote = (): Promise<QuoteDetail> => createTwoLineQuote(r1);

  it('starts the workers it was asked for, and the server thread answers no controller call itself', async () => {
    expect(pool.size).to.equal(2);
    const workers = await answeredBy(() => r1.ok('QuoteController.listQuotes', {}));
    expect(workers).to.have.length(1);
  });

  it('keeps a new quote in the worker that created it, and sends every later call about it there', async () => {
    const homes = new Set<number>();
    for (let i = 0; i < 8; i++) {
      let created: QuoteDetail | undefined;
      const [creator] = await answeredBy(async () => (created = await createQuote()));
      const id = created!.quote.id;
      expect(pool.workerOf(id)).to.equal(creator);
      homes.add(creator!);
      expect(await answeredBy(() => r1.ok('QuoteController.getQuote', { quoteId: id }))).to.deep.equal([creator]);
      const lines = lineInputs(created!);
      const save = { quoteId: id, version: created!.quote.version, lines };
      expect(await answeredBy(() => r1.ok('QuoteController.saveQuote', save))).to.deep.equal([creator]);
    }
    // Calls without a quote go to the least busy worker: one after another, both get quotes to keep.
    expect([...homes].sort()).to.deep.equal([0, 1]);
  });

  it('routes by the parameters, not by how the text looks: an escaped or nested quoteId is sent back and routed again', async () => {
    const created = await createQuote();
    const id = created.quote.id;
    const home = pool.workerOf(id);
    const escaped = JSON.stringify({ quoteId: id }).replace('quoteId', 'quote\\u0049d');
    const rerouted = pool.stats.rerouted;
    const workers = await answeredBy(async () => {
      const reply = await r1.request('POST', '/apex/QuoteController/getQuote', {
        body: escaped,
        headers: { 'content-type': 'application/json' },
      });
      expect(reply.status).to.equal(200);
      expect((reply.body as QuoteDetail).quote.id).to.equal(id);
    });
    expect(pool.stats.rerouted).to.equal(rerouted + 1);
    expect(workers.at(-1)).to.equal(home);
    // A quoteId inside a line comes first in the text: the call still goes to the top-level quote's home.
    const nested = `{"lines":[{"quoteId":"someone-else","productId":"LIC","quantity":"1"}],"quoteId":"${id}","version":1}`;
    const saved = await answeredBy(async () => {
      const reply = await r1.request('POST', '/apex/QuoteController/saveQuote', {
        body: nested,
        headers: { 'content-type': 'application/json' },
      });
      // A line's unknown keys are ignored (a client may send lines back as it read them).
      expect(reply.status, reply.text).to.equal(200);
      expect((reply.body as SaveQuoteAnswer).quote.version).to.equal(2);
    });
    expect(pool.stats.rerouted).to.equal(rerouted + 2);
    expect(saved.at(-1)).to.equal(home);
  });

  it('answers a save with every line the client may hold stale after two answers of one version differed', async () => {
    // Two readers of one version, a price change between their reads: only a worker that gave both answers
    // knows the version's figures are ambiguous. Routed elsewhere, the save would answer only the edited line.
    const created = await createQuote();
    const id = created.quote.id;
    const first = await r1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: id });
    const other = SqliteStore.open(path.join(portal.dir, 'cpq.db'));
    try {
      await other.upsertReferenceData({ priceBook: [{ productId: 'LIC', currency: 'USD', listPrice: '1300.00' }] });
    } finally {
      await other.close();
    }
    // The second reader reads twice (a reload): under any routing but the quote's home, some worker now holds
    // only the new figures for this version, and the first reader's save below would land there in turn.
    const reader = await signedIn(portal.server, 'r1');
    const second = await reader.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: id });
    expect(second.pricing.lines[0]!.list.unit).to.not.equal(first.pricing.lines[0]!.list.unit);
    await reader.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: id });
    const [lic, svc] = lineInputs(first);
    const saved = await r1.ok<SaveQuoteAnswer>('QuoteController.saveQuote', {
      quoteId: id,
      version: first.quote.version,
      lines: [lic, { ...svc!, quantity: '2' }],
    });
    // What the first reader holds after merging the answer equals a fresh read.
    const held = new Map<string, unknown>(first.pricing.lines.map((l) => [l.lineId, l]));
    for (const line of saved.pricing.lines) held.set(line.lineId, line);
    const fresh = await r1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: id });
    expect(saved.quote.lineIds.map((lineId) => held.get(lineId))).to.deep.equal(fresh.pricing.lines);
  });

  it('refuses bad calls exactly as the server thread does', async () => {
    const inThreadR1 = await signedIn(inThread.server, 'r1');
    const raw = (client: PortalClient, target: string, body: string) =>
      client.request('POST', `/apex/${target}`, { body, headers: { 'content-type': 'application/json' } });
    const cases: [string, string][] = [
      ['QuoteController/getQuote', '{"quoteId": '],
      ['QuoteController/getQuote', '{"__proto__": {"polluted": true}, "quoteId": "x"}'],
      ['QuoteController/getQuote', '{"constructor": {"prototype": {"polluted": true}}}'],
      ['QuoteController/getQuote', '[]'],
      ['QuoteController/getQuote', ''],
      ['QuoteController/noSuchMethod', '{}'],
      ['QuoteController/getQuote', '{"quoteId": "a-quote-that-does-not-exist"}'],
      ['QuoteController/createQuote', '{"quote": {"currency": "usd", "lines": [{"productId": "LIC", "quantity": "-1"}]}}'],
      ['QuoteController/saveQuote', '{"quoteId": "nope", "version": 0, "lines": []}'],
    ];
    for (const [target, body] of cases) {
      const [withWorkers, without] = await Promise.all([raw(r1, target, body), raw(inThreadR1, target, body)]);
      expect({ target, body, status: withWorkers.status, answer: withWorkers.body }).to.deep.equal({
        target,
        body,
        status: without.status,
        answer: without.body,
      });
      expect(withWorkers.status).to.be.within(400, 499);
    }
  });

  it('starts another worker in place of one that stopped, and the quotes homed there are answered again', async () => {
    const created = await createQuote();
    const id = created.quote.id;
    const home = pool.workerOf(id);
    await pool.crash(home);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await r1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: id });
    expect(again.quote.id).to.equal(id);
    expect(portal.logs.some((l) => l.includes(`pricing worker ${home + 1} stopped`))).to.equal(true);
  });
});
