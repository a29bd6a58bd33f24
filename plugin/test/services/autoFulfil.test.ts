import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../src/core/errors.js';
import type { Viewer } from '../../src/core/records.js';
import { OrderService } from '../../src/services/orders.js';
import { QuoteService } from '../../src/services/quotes.js';
import type { CpqStore, ReferenceData } from '../../src/store/port.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { TODAY, viewers, worldReference } from '../fixtures/world.js';
import { useFakeOrg } from '../store/org/fakeOrgStore.js';
import { expectRejection } from '../store/contract.js';

/**
 * Reseller orders with auto-fulfil and a credit limit (CHANNEL.md, Orders placed by resellers; docs/ORDERS.md),
 * on SQLite and on the org store over the fake org. Figures from test/fixtures/world.ts, by hand:
 * LIC lists at 1000.00 USD; R1 buys Licenses from D1 at 20 % off, so one LIC costs R1 800.00 (Partner).
 * D1 holds 100 LIC. No order exists at the start, so the first order placed is O-00001.
 */
type Open = (reference: ReferenceData) => Promise<CpqStore>;

function autoFulfilSuite(name: string, open: Open): void {
  describe(`auto-fulfilled reseller orders: ${name}`, () => {
    let store: CpqStore;
    let quotes: QuoteService;
    let orders: OrderService;
    const today = (): string => TODAY;

    beforeEach(async () => {
      store = await open(worldReference());
      quotes = new QuoteService(store, today);
      orders = new OrderService(store, today);
    });
    afterEach(async () => store.close());

    /** An accepted quote of R1 through D1 for `licences` LIC (Partner total 800.00 each); returns its id. */
    const acceptedQuote = async (licences: number, viewer: Viewer = viewers.r1): Promise<string> => {
      const created = await quotes.createQuote(viewer, {
        endCustomerId: 'C1',
        currency: 'USD',
        startDate: '2026-06-01',
        lines: [{ productId: 'LIC', quantity: licences }],
      });
      const accepted = await quotes.acceptQuote(viewer, created.quote.id, created.quote.version);
      expect(accepted.quote.status).to.equal('Accepted');
      return created.quote.id;
    };
    const licStock = async (): Promise<string | undefined> =>
      (await store.listInventory('D1')).find((i) => i.productId === 'LIC')?.quantity;

    it('places at once within the limit, with the next number; over the limit it requests and takes no number', async () => {
      const terms = await orders.setOrderTerms(viewers.d1, { resellerId: 'R1', autoFulfil: true, creditLimit: '10000' });
      expect(terms).to.include({
        agreementId: 'A-R1-D1',
        autoFulfil: true,
        creditLimit: '10000.00',
        creditLimitCurrency: 'USD',
        openOrderValue: '0.00',
      });

      // 10 LIC: 10 x 800.00 = 8000.00 <= 10000.00, and 10 <= 100 in stock.
      const first = await orders.submitOrder(viewers.r1, await acceptedQuote(10), 2);
      expect(first.outcome).to.equal('placed');
      expect(first.reasons).to.deep.equal([]);
      expect(first.order).to.include({ number: 'O-00001', status: 'Placed', partnerTotal: '8000.00', resellerId: 'R1' });
      expect(first.order?.netTotal, 'a reseller never sees Net').to.equal(undefined);
      expect(first.quote.quote.status).to.equal('Ordered');
      expect(await licStock()).to.equal('90');

      // 3 LIC more: 8000.00 open + 2400.00 = 10400.00, 400.00 over the limit: an order request.
      const secondId = await acceptedQuote(3);
      const second = await orders.submitOrder(viewers.r1, secondId, 2, 'urgent');
      expect(second.outcome).to.equal('requested');
      expect(second.order).to.equal(null);
      expect(second.reasons).to.deep.equal([
        'credit limit 10000.00 USD exceeded by 400.00 USD (open orders 8000.00 USD + this order 2400.00 USD)',
      ]);
      expect(second.quote.quote.status).to.equal('Accepted');
      expect(second.quote.quote.orderRequest?.comment).to.equal('urgent');
      expect(await licStock()).to.equal('90');
      expect(await store.getOrderByQuote(secondId)).to.equal(undefined);
      // Asking again answers the same request (no second request, no order).
      expect((await orders.submitOrder(viewers.r1, secondId, 3)).outcome).to.equal('requested');

      // The refused order took no number: the distributor's placing of the request gets O-00002.
      const placedByDistributor = await orders.placeOrder(viewers.d1, secondId);
      expect(placedByDistributor.number).to.equal('O-00002');
      expect((await orders.listOrderTerms(viewers.d1)).find((t) => t.resellerId === 'R1')?.openOrderValue).to.equal('10400.00');
    });

    it('falls back to a request naming the product when the stock is short, leaving stock and numbers alone', async () => {
      await orders.setOrderTerms(viewers.d1, { resellerId: 'R1', autoFulfil: true, creditLimit: '1000000.00' });
      // 120 LIC against 100 held by D1.
      const id = await acceptedQuote(120);
      const result = await orders.submitOrder(viewers.r1, id, 2);
      expect(result.outcome).to.equal('requested');
      expect(result.reasons).to.deep.equal(['stock short on Licence: 120 needed, 100 in stock']);
      expect(await licStock()).to.equal('100');
      expect(await store.listOrders({ resellerId: 'R1' })).to.deep.equal([]);
      // 100 LIC fit: placed, and it is the first number.
      const fits = await orders.submitOrder(viewers.r1, await acceptedQuote(100), 2);
      expect([fits.outcome, fits.order?.number, await licStock()]).to.deep.equal(['placed', 'O-00001', '0']);
    });

    it('requests without a reason when auto-fulfil is off; activated orders no longer count against the limit', async () => {
      const plain = await orders.submitOrder(viewers.r1, await acceptedQuote(1), 2);
      expect([plain.outcome, plain.reasons, plain.order]).to.deep.equal(['requested', [], null]);

      await orders.setOrderTerms(viewers.d1, { resellerId: 'R1', autoFulfil: true, creditLimit: '8000.00' });
      // 10 LIC = 8000.00: exactly the limit is within it.
      const first = await orders.submitOrder(viewers.r1, await acceptedQuote(10), 2);
      expect(first.outcome).to.equal('placed');
      // 1 LIC more is 800.00 over.
      const overId = await acceptedQuote(1);
      const over = await orders.submitOrder(viewers.r1, overId, 2);
      expect(over.reasons).to.deep.equal([
        'credit limit 8000.00 USD exceeded by 800.00 USD (open orders 8000.00 USD + this order 800.00 USD)',
      ]);
      // Once the first order is activated (fulfilled) it is no longer open.
      await orders.activateOrder(viewers.d1, first.order!.id);
      const next = await orders.submitOrder(viewers.r1, await acceptedQuote(1), 2);
      expect([next.outcome, next.order?.number]).to.deep.equal(['placed', 'O-00002']);
    });

    it('converts open orders and the new order into the limit currency at today’s rate', async () => {
      // 0.9 EUR per USD: 8000.00 USD = 7200.00 EUR, 2400.00 USD = 2160.00 EUR.
      await store.importExchangeRates([{ currency: 'EUR', startDate: '2026-01-01', rate: '0.9' }]);
      await orders.setOrderTerms(viewers.d1, {
        resellerId: 'R1',
        autoFulfil: true,
        creditLimit: '9000',
        creditLimitCurrency: 'EUR',
      });
      expect((await orders.submitOrder(viewers.r1, await acceptedQuote(10), 2)).outcome).to.equal('placed');
      const over = await orders.submitOrder(viewers.r1, await acceptedQuote(3), 2);
      // 7200.00 + 2160.00 = 9360.00 EUR, 360.00 over 9000.00.
      expect(over.reasons).to.deep.equal([
        'credit limit 9000.00 EUR exceeded by 360.00 EUR (open orders 7200.00 EUR + this order 2160.00 EUR)',
      ]);
    });

    it('lets a distributor set terms only for its own resellers, and names a bad field', async () => {
      // R2 holds no agreement with D2: not D2's reseller.
      await expectRejection(
        orders.setOrderTerms(viewers.d2, { resellerId: 'R2', autoFulfil: true, creditLimit: '1.00' }),
        NotFoundError,
      );
      await expectRejection(
        orders.setOrderTerms(viewers.r1, { resellerId: 'R1', autoFulfil: true, creditLimit: '1.00' }),
        ForbiddenError,
      );
      const bad = async (input: Record<string, unknown>, field: string, message: RegExp): Promise<void> => {
        try {
          await orders.setOrderTerms(viewers.d1, { resellerId: 'R1', ...input });
          expect.fail(`expected ${field} to be refused`);
        } catch (error) {
          expect(error).to.be.instanceOf(InvalidInputError);
          const issues = (error as InvalidInputError).issues;
          expect(issues.map((i) => i.path)).to.deep.equal([field]);
          expect(issues[0]?.message).to.match(message);
        }
      };
      await bad({ autoFulfil: true, creditLimit: '-5.00' }, 'creditLimit', /negative/);
      await bad({ autoFulfil: true, creditLimit: 'lots' }, 'creditLimit', /decimal/);
      await bad({ autoFulfil: true, creditLimit: '10.005' }, 'creditLimit', /at most 2 decimals/);
      await bad({ autoFulfil: true }, 'creditLimit', /required when autoFulfil/);
      await bad({ autoFulfil: true, creditLimit: '5', creditLimitCurrency: 'usd' }, 'creditLimitCurrency', /ISO 4217/);
      await bad({ autoFulfil: 'yes', creditLimit: '5' }, 'autoFulfil', /boolean/);

      // D2 may set R1's terms with D2; that leaves R1's terms with D1 alone. R1 reads both, changes none.
      await orders.setOrderTerms(viewers.d2, { resellerId: 'R1', autoFulfil: false, creditLimit: '500.50' });
      const seen = await orders.listOrderTerms(viewers.r1);
      expect(seen.map((t) => [t.distributorId, t.autoFulfil, t.creditLimit])).to.deep.equal([
        ['D2', false, '500.50'],
        ['D1', false, null],
      ]);
      expect((await orders.listOrderTerms(viewers.r2)).map((t) => t.distributorId)).to.deep.equal(['D1']);
      expect((await orders.listOrderTerms(viewers.d2)).map((t) => t.resellerId)).to.deep.equal(['R1']);
      // Switching off keeps the limit for later.
      const off = await orders.setOrderTerms(viewers.d1, { resellerId: 'R1', autoFulfil: false, creditLimit: '7.5' });
      expect([off.autoFulfil, off.creditLimit]).to.deep.equal([false, '7.50']);
    });

    it('keeps the terms when the agreement is imported again', async () => {
      await orders.setOrderTerms(viewers.d1, { resellerId: 'R1', autoFulfil: true, creditLimit: '100.00' });
      await store.upsertReferenceData({ agreements: worldReference().agreements });
      expect(await store.listOrderTerms(['A-R1-D1'])).to.deep.equal([
        { agreementId: 'A-R1-D1', autoFulfil: true, creditLimit: '100.00', creditLimitCurrency: 'USD' },
      ]);
      await expectRejection(
        store.setOrderTerms({ agreementId: 'nope', autoFulfil: true, creditLimit: null, creditLimitCurrency: null }),
        NotFoundError,
      );
    });
  });
}

autoFulfilSuite('SQLite', async (reference) => {
  const store = SqliteStore.open(path.join(mkdtempSync(path.join(tmpdir(), 'cpq-autofulfil-')), 'cpq.db'));
  await store.upsertReferenceData(reference);
  return store;
});

describe('org store', () => {
  const open = useFakeOrg();
  autoFulfilSuite('org (fake org)', async (reference) => (await open(reference)).store);
});
