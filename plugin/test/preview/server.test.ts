import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { controllerMethodNames } from '../../src/preview/contracts.js';
import { startPortalServer } from '../../src/preview/server.js';
import type { QuoteSummary } from '../../src/services/quotes.js';
import { PortalClient, TODAY, buildWorld, keyPaths } from './fixtures.js';

const root = path.resolve(import.meta.dirname, '../../..');

describe('preview server: start, seed and stop', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-preview-start-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('seeds an empty database with the demo story once, and serves it with the same visibility', async () => {
    const dbFile = path.join(dir, 'demo.db');
    const logs: string[] = [];
    const first = await startPortalServer({ dbFile, port: 0, today: () => TODAY, log: (l) => logs.push(l) });
    let users;
    try {
      expect(logs.some((l) => l.startsWith('Seeded the demo data'))).to.equal(true);
      users = await first.store.listUsers();
      expect(users.map((u) => u.role)).to.include.members(['vendorAdmin', 'distributorUser', 'resellerUser']);
      const login = await new PortalClient(first.url).request('GET', '/login');
      for (const u of users) expect(login.text).to.contain(`value="${u.id}"`);

      for (const reseller of users.filter((u) => u.role === 'resellerUser')) {
        const client = new PortalClient(first.url);
        await client.login(reseller.id);
        const quotes = await client.ok<QuoteSummary[]>('QuoteController.listQuotes', {});
        expect(quotes.every((q) => q.resellerId === reseller.accountId)).to.equal(true);
        const responses: unknown[] = [
          quotes,
          await client.ok('OrderController.listOrders'),
          await client.ok('RenewalController.listContracts'),
        ];
        for (const q of quotes) responses.push(await client.ok('QuoteController.getQuote', { quoteId: q.id }));
        expect(
          keyPaths(responses, ['net', 'netTotal', 'netUnit', 'distributorMargin', 'distributorDiscount']),
          reseller.id,
        ).to.deep.equal([]);
      }
    } finally {
      await first.close();
    }

    const again: string[] = [];
    const second = await startPortalServer({ dbFile, port: 0, today: () => TODAY, log: (l) => again.push(l) });
    try {
      expect(again.some((l) => l.startsWith('Seeded'))).to.equal(false);
      expect(again.join('\n')).to.match(/0 renewal quote\(s\) created/);
      expect((await second.store.listUsers()).length).to.equal(users.length);
    } finally {
      await second.close();
    }
  });

  it('never seeds demo data into a database with users of its own', async () => {
    const dbFile = path.join(dir, 'own.db');
    await buildWorld(dbFile);
    const logs: string[] = [];
    const server = await startPortalServer({ dbFile, port: 0, today: () => TODAY, log: (l) => logs.push(l) });
    try {
      expect(logs.some((l) => l.startsWith('Seeded'))).to.equal(false);
      expect(logs.join('\n')).to.contain('users of its own');
      expect((await server.store.listUsers()).map((u) => u.id)).to.not.include('u-vendor');
    } finally {
      await server.close();
    }
  });

  it('stops listening and closes the database on close (twice is fine)', async () => {
    const dbFile = path.join(dir, 'own.db');
    await buildWorld(dbFile);
    const server = await startPortalServer({ dbFile, port: 0, today: () => TODAY });
    expect((await fetch(`${server.url}/login`)).status).to.equal(200);
    await server.close();
    await server.close();
    let refused = false;
    try {
      await fetch(`${server.url}/login`);
    } catch {
      refused = true;
    }
    expect(refused).to.equal(true);
  });

  it('docs/CONTROLLERS.md documents every controller method', async () => {
    const doc = await readFile(path.join(root, 'docs/CONTROLLERS.md'), 'utf8');
    for (const name of controllerMethodNames()) expect(doc, name).to.contain(`### ${name}(`);
  });
});
