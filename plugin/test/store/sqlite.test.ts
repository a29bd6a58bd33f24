import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { OrderRecord } from '../../src/core/records.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { USER_IDS, worldReference } from '../fixtures/world.js';
import { storeContract } from './contract.js';

/** The shared store contract on a real SQLite file per test. */
storeContract('SQLite', async (reference) => {
  const store = SqliteStore.open(path.join(mkdtempSync(path.join(tmpdir(), 'cpq-contract-')), 'cpq.db'));
  await store.upsertReferenceData(reference);
  return store;
});

describe('SQLite migration 2: the bookings ledger', () => {
  it('books the orders a database activated before the ledger existed, from their stored totals', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cpq-migrate-')), 'cpq.db');
    const store = SqliteStore.open(file);
    await store.upsertReferenceData(worldReference());
    const order = (id: string, status: 'Placed' | 'Activated', resellerId: string | null): OrderRecord => ({
      id,
      number: id,
      kind: resellerId ? 'resale' : 'replenishment',
      quoteId: null,
      distributorId: 'D1',
      resellerId,
      endCustomerId: null,
      currency: 'EUR',
      status,
      placedBy: USER_IDS.d1,
      placedAt: '2026-02-01T00:00:00Z',
      orderDate: '2026-02-01',
      customerTotal: resellerId ? '1000.00' : null,
      partnerTotal: resellerId ? '800.00' : null,
      netTotal: '560.00',
      lines: [],
    });
    await store.placeOrder(order('O-RESALE', 'Activated', 'R1'), []);
    await store.placeOrder(order('O-STOCK', 'Activated', null), []);
    await store.placeOrder(order('O-PLACED', 'Placed', 'R1'), []);
    // Back to a database of migration 1: no ledger, no rates.
    const db = (store as unknown as { db: { exec(sql: string): void; pragma(sql: string): unknown } }).db;
    db.exec('DROP TABLE bookings; DROP TABLE exchange_rates;');
    // ... nor what later migrations added (3: deal registrations).
    db.exec('DROP TABLE deal_claims; DROP TABLE deal_registrations;');
    // ... (4: order terms on agreements).
    db.exec(
      'ALTER TABLE agreements DROP COLUMN auto_fulfil; ALTER TABLE agreements DROP COLUMN credit_limit; ALTER TABLE agreements DROP COLUMN credit_limit_currency;',
    );
    // ... (5: product families and their price floors).
    db.exec('DROP TABLE product_families;');
    // (6: notifications.)
    db.exec('DROP TABLE notifications;');
    // (7: resellers' logos.)
    db.exec('DROP TABLE account_logos;');
    // (8: the shared reference revision.)
    db.exec('DROP TABLE store_revisions;');
    db.pragma('user_version = 1');
    await store.close();

    const migrated = SqliteStore.open(file);
    try {
      const entries = await migrated.listBookings(
        [
          { partnerId: 'R1', sellerId: 'D1' },
          { partnerId: 'D1', sellerId: 'V' },
        ],
        '2026-01-01',
        '2027-01-01',
      );
      expect(entries.map((b) => [b.partnerId, b.sellerId, b.date, b.amount, b.currency])).to.have.deep.members([
        ['R1', 'D1', '2026-02-01', '800.00', 'EUR'],
        ['D1', 'V', '2026-02-01', '560.00', 'EUR'],
        ['D1', 'V', '2026-02-01', '560.00', 'EUR'],
      ]);
      expect(await migrated.listExchangeRates()).to.deep.equal([]);
    } finally {
      await migrated.close();
    }
  });
});

describe('SQLite migration 4: order terms on agreements', () => {
  it('gives every existing agreement auto-fulfil off and no credit limit, and keeps its pricing data', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cpq-migrate4-')), 'cpq.db');
    const store = SqliteStore.open(file);
    await store.upsertReferenceData(worldReference());
    const db = (store as unknown as { db: { exec(sql: string): void; pragma(sql: string): unknown } }).db;
    db.exec(
      'ALTER TABLE agreements DROP COLUMN auto_fulfil; ALTER TABLE agreements DROP COLUMN credit_limit; ALTER TABLE agreements DROP COLUMN credit_limit_currency;',
    );
    // ... nor what later migrations added (5: product families).
    db.exec('DROP TABLE product_families;');
    // ... nor what a later migration added (6: notifications).
    db.exec('DROP TABLE notifications;');
    // ... (7: resellers' logos).
    db.exec('DROP TABLE account_logos;');
    // (8: the shared reference revision.)
    db.exec('DROP TABLE store_revisions;');
    db.pragma('user_version = 3');
    await store.close();

    const migrated = SqliteStore.open(file);
    try {
      expect(await migrated.listOrderTerms(['A-R1-D1', 'A-R2-D1'])).to.deep.equal([
        { agreementId: 'A-R1-D1', autoFulfil: false, creditLimit: null, creditLimitCurrency: null },
        { agreementId: 'A-R2-D1', autoFulfil: false, creditLimit: null, creditLimitCurrency: null },
      ]);
      expect(await migrated.listAgreements(['R1'])).to.deep.equal(
        worldReference()
          .agreements.filter((a) => a.partnerId === 'R1')
          .sort((a, b) => a.id.localeCompare(b.id)),
      );
    } finally {
      await migrated.close();
    }
  });
});

describe('SQLite migration 8: one reference revision for every connection', () => {
  it('moves for every connection when one writes reference data, and not on other writes', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cpq-revision-')), 'cpq.db');
    const writer = SqliteStore.open(file);
    const reader = SqliteStore.open(file);
    try {
      await writer.upsertReferenceData(worldReference());
      const start = await reader.referenceRevision();
      expect(await writer.referenceRevision()).to.equal(start);
      // A price change through one connection: the other sees the new revision (the portal's pricing workers).
      await writer.upsertReferenceData({ priceBook: [{ productId: 'LIC', currency: 'USD', listPrice: '1234.00' }] });
      const afterPrice = await reader.referenceRevision();
      expect(afterPrice).to.not.equal(start);
      await reader.importExchangeRates([{ currency: 'EUR', startDate: '2026-01-01', rate: '0.9' }]);
      expect(await writer.referenceRevision()).to.not.equal(afterPrice);
      // A write that is not reference data (a quote number here) leaves every connection's cached reference valid.
      const settled = await writer.referenceRevision();
      await reader.reserveNumbers('quote', 3);
      expect(await writer.referenceRevision()).to.equal(settled);
      // A write that fails changes neither the data nor the revision.
      await writer
        .upsertReferenceData({
          orderTerms: [{ agreementId: 'no-such', autoFulfil: true, creditLimit: null, creditLimitCurrency: null }],
        })
        .then(
          () => expect.fail('an unknown agreement must refuse the write'),
          () => undefined,
        );
      expect(await reader.referenceRevision()).to.equal(settled);
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});
