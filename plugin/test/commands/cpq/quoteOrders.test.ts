import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CpqOrdersPlaceResult } from '../../../src/commands/cpq/orders/place.js';
import type { CpqQuotePriceResult } from '../../../src/commands/cpq/quote/price.js';
import { SqliteStore } from '../../../src/store/sqlite/sqliteStore.js';
import { cpq } from '../../helpers/cli.js';

describe('sf cpq quote price and sf cpq orders place (local database)', () => {
  let dir: string;
  let db: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-quote-orders-'));
    db = path.join(dir, 'cpq.db');
    const seed = await cpq('seed', '--local', '--db', db, '--today', '2026-03-15');
    expect(seed.code, seed.stderr).to.equal(0);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const withStore = async <T>(fn: (store: SqliteStore) => Promise<T>): Promise<T> => {
    const store = SqliteStore.open(db);
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  };
  const quoteNumbered = (status: string): Promise<string> =>
    withStore(async (s) => (await s.listQuotes({ statuses: [status as 'Accepted'], renewal: false, limit: 1 }))[0]!.number);

  it('re-prices a stored quote: the seeded totals match the engine (exit 0)', async () => {
    const number = await quoteNumbered('Draft');
    const out = await cpq('quote', 'price', '--local', '--db', db, '--quote-id', number, '--json');
    expect(out.code, out.stderr).to.equal(0);
    const result = (JSON.parse(out.stdout) as { status: number; result: CpqQuotePriceResult }).result;
    expect(result).to.include({ quoteNumber: number, matches: true, comparedLines: false });
    expect(result.differences).to.deep.equal([]);
    const stored = await withStore(async (s) => (await s.listQuotes({ search: number, limit: 1 }))[0]!);
    expect(result.computed.totals!.customer).to.equal(stored.customerTotal);
  });

  it('says when the quote does not exist', async () => {
    const out = await cpq('quote', 'price', '--local', '--db', db, '--quote-id', 'Q-99999');
    expect(out.code).to.equal(1);
    expect(out.stderr).to.contain('There is no quote Q-99999 in local database');
  });

  it('places the order of an accepted quote as its distributor, drawing licences from stock, once', async () => {
    const number = await quoteNumbered('Accepted');
    const quote = await withStore(async (s) => (await s.listQuotes({ search: number, limit: 1 }))[0]!);
    const stockBefore = await withStore((s) => s.listInventory(quote.distributorId));
    const out = await cpq('orders', 'place', '--local', '--db', db, '--quote-id', number, '--json');
    expect(out.code, out.stderr).to.equal(0);
    const result = (JSON.parse(out.stdout) as { result: CpqOrdersPlaceResult }).result;
    expect(result.alreadyPlaced).to.equal(false);
    expect(result.placedAs.accountId).to.equal(quote.distributorId);
    expect(result.order).to.include({ quoteId: quote.id, status: 'Placed', customerTotal: quote.customerTotal });
    const after = await withStore(async (s) => ({
      quote: await s.getQuote(quote.id),
      stock: await s.listInventory(quote.distributorId),
    }));
    expect(after.quote!.status).to.equal('Ordered');
    // Every stock change reported is the real one, and equals minus the ordered quantity of that licence.
    expect(result.stock.length).to.be.greaterThan(0);
    for (const effect of result.stock) {
      expect(stockBefore.find((i) => i.productId === effect.productId)!.quantity).to.equal(effect.before);
      expect(after.stock.find((i) => i.productId === effect.productId)!.quantity).to.equal(effect.after);
      const ordered = result.order.lines
        .filter((l) => l.productId === effect.productId)
        .reduce((n, l) => n + Number(l.quantity), 0);
      expect(effect.change).to.equal(String(-ordered));
    }

    const again = await cpq('orders', 'place', '--local', '--db', db, '--quote-id', number, '--json');
    expect(again.code, again.stderr).to.equal(0);
    const second = (JSON.parse(again.stdout) as { result: CpqOrdersPlaceResult }).result;
    expect(second).to.include({ alreadyPlaced: true });
    expect(second.order.id).to.equal(result.order.id);
    expect(second.stock).to.deep.equal([]);
  });

  it('refuses a draft quote and a reseller user, naming why', async () => {
    const number = await quoteNumbered('Draft');
    const draft = await cpq('orders', 'place', '--local', '--db', db, '--quote-id', number, '--json');
    expect(draft.code).to.equal(1);
    expect(JSON.parse(draft.stdout)).to.include({ name: 'NOT_ORDERABLE' });
    const reseller = await cpq('orders', 'place', '--local', '--db', db, '--quote-id', number, '--as', 'u-res-nordic');
    expect(reseller.code).to.equal(1);
    expect(reseller.stderr).to.contain('a reseller user cannot place orders');
    const nobody = await cpq('orders', 'place', '--local', '--db', db, '--quote-id', number, '--as', 'nobody@example.com');
    expect(nobody.stderr).to.contain('There is no user nobody@example.com');
  });
  // Last: it changes the price book.
  it('reports each total that differs after a list price change, and exits 1', async () => {
    const number = await quoteNumbered('Draft');
    const quote = await withStore(async (s) => (await s.listQuotes({ search: number, limit: 1 }))[0]!);
    const productId = quote.lines[0]!.productId;
    // Raise that product's list price in the quote's currency by 10.00: the stored totals are now stale.
    await withStore(async (s) => {
      const entry = (await s.listPriceBook()).find((e) => e.productId === productId && e.currency === quote.currency)!;
      const raised = (BigInt(entry.listPrice.replace('.', '')) + 1000n).toString();
      await s.upsertReferenceData({ priceBook: [{ ...entry, listPrice: `${raised.slice(0, -2)}.${raised.slice(-2)}` }] });
    });
    const out = await cpq('quote', 'price', '--local', '--db', db, '--quote-id', quote.id, '--json');
    expect(out.code).to.equal(1);
    const json = JSON.parse(out.stdout) as { status: number; result: CpqQuotePriceResult };
    expect(json.status).to.equal(1);
    expect(json.result.matches).to.equal(false);
    const customer = json.result.differences.find((d) => d.field === 'customer')!;
    expect(customer).to.include({ line: 'totals', stored: quote.customerTotal });
    expect(customer.computed).to.equal(json.result.computed.totals!.customer);
    expect(customer.computed).to.not.equal(quote.customerTotal);

    const table = await cpq('quote', 'price', '--local', '--db', db, '--quote-id', number);
    expect(table.code).to.equal(1);
    expect(table.stdout).to.match(/Differences/);
    expect(table.stdout).to.match(/stored price\(s\) differ from what the engine computes now/);
  });
});
