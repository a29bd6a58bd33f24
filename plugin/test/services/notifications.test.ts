import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { notificationsFor, type NotificationEvent } from '../../src/core/notifications.js';
import { NotificationService } from '../../src/services/notifications.js';
import { OrderService } from '../../src/services/orders.js';
import { QuoteService } from '../../src/services/quotes.js';
import { generateRenewals } from '../../src/services/renewals.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { REFERENCE, TODAY, USERS, buildWorld, viewer, type World } from '../preview/fixtures.js';

const ids = (): (() => string) => {
  let n = 0;
  return () => `N${++n}`;
};

describe('notifications: who is told what', () => {
  const quote = {
    id: 'Q1',
    number: 'Q-00042',
    name: 'Big deal',
    resellerId: 'R1',
    distributorId: 'D1',
    endCustomerId: 'E1',
    customerTotal: '51000.00',
    currency: 'USD',
  };
  const parties = { accounts: REFERENCE.accounts, users: REFERENCE.users };
  const told = (event: NotificationEvent): string[] =>
    notificationsFor(event, parties, '2026-03-01T10:00:00.000Z', ids()).map((n) => n.recipientId);

  it("tells the distributor's users of a reseller's request, and the reseller's users of a decision", () => {
    expect(told({ kind: 'approvalRequested', quote, actorId: USERS.r1.id, comment: 'please' })).to.deep.equal([USERS.d1.id]);
    expect(told({ kind: 'orderRequested', quote, actorId: USERS.r1.id, comment: '' })).to.deep.equal([USERS.d1.id]);
    for (const decision of ['approve', 'reject'] as const) {
      expect(told({ kind: 'approvalDecided', quote, actorId: USERS.d1.id, decision, comment: 'ok' })).to.deep.equal([
        USERS.r1.id,
      ]);
    }
    expect(told({ kind: 'orderPlaced', quote, order: { id: 'O1', number: 'O-00007' }, actorId: USERS.d1.id })).to.deep.equal([
      USERS.r1.id,
    ]);
    expect(told({ kind: 'renewalCreated', quote })).to.deep.equal([USERS.r1.id]);
    // A reseller's auto-fulfilled order: placed by the reseller itself, it tells the distributor whose stock it drew.
    expect(told({ kind: 'orderPlaced', quote, order: { id: 'O2', number: 'O-00008' }, actorId: USERS.r1.id })).to.deep.equal([
      USERS.d1.id,
    ]);
  });

  it('never tells the one who acted', () => {
    // Dana approving her own account's request (were she both) is not told: here the actor is the only user.
    expect(told({ kind: 'approvalRequested', quote, actorId: USERS.d1.id, comment: 'x' })).to.deep.equal([]);
  });

  it('names parties and the quote number, never ids, and gives a reseller no amount', () => {
    const [toReseller] = notificationsFor(
      { kind: 'approvalDecided', quote, actorId: USERS.d1.id, decision: 'reject', comment: 'Too deep  a\ndiscount' },
      parties,
      '2026-03-01T10:00:00.000Z',
      ids(),
    );
    expect(toReseller!.title).to.equal('Distri One rejected quote Q-00042 “Big deal”');
    expect(toReseller!.body).to.equal(
      'Dana One of Distri One rejected quote Q-00042 “Big deal” for Acme & Sons. “Too deep a discount”',
    );
    expect(toReseller!.emailTo).to.equal(USERS.r1.email);
    expect(toReseller!.emailBody).to.contain('Hello Rita One');
    for (const text of [toReseller!.title, toReseller!.body, toReseller!.emailSubject, toReseller!.emailBody]) {
      expect(text).not.to.match(/\bQ1\b|\bD1\b|\bR1\b|\bE1\b|u-d1/);
      expect(text).not.to.match(/\d+\.\d\d/);
    }
    const [toDistributor] = notificationsFor(
      { kind: 'approvalRequested', quote, actorId: USERS.r1.id, comment: 'Strategic' },
      parties,
      '2026-03-01T10:00:00.000Z',
      ids(),
    );
    expect(toDistributor!.body).to.equal(
      'Rita One of Reseller One submitted quote Q-00042 “Big deal” for Acme & Sons (Customer total 51000.00 USD) for approval. “Strategic”',
    );
  });
});

describe('notifications through the services (SQLite)', () => {
  let dir: string;
  let store: SqliteStore;
  let world: World;
  const today = (): string => TODAY;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-notify-'));
    const file = path.join(dir, 'cpq.db');
    world = await buildWorld(file);
    store = SqliteStore.open(file);
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const listOf = async (key: keyof typeof USERS) => new NotificationService(store).listNotifications(viewer(key));

  it('the world built through the services told D1 of the request and each reseller of its placed order', async () => {
    const d1 = await listOf('d1');
    expect(d1.notifications.map((n) => n.kind)).to.deep.equal(['approvalRequested']);
    expect(d1.notifications[0]!.recordId).to.equal(world.r1Pending);
    expect(d1.unread).to.equal(1);
    const r1 = await listOf('r1');
    expect(r1.notifications.map((n) => [n.kind, n.recordType, n.recordId])).to.deep.equal([
      ['orderPlaced', 'Order', world.r1Activated.orderId],
    ]);
    const r2 = await listOf('r2');
    expect(r2.notifications.map((n) => n.recordId)).to.deep.equal([world.r2Ordered.orderId]);
    // R3 and D2 had nothing happen to them; the vendor is told nothing (it reads the outbox).
    expect((await listOf('r3')).notifications).to.deep.equal([]);
    expect((await listOf('d2')).notifications).to.deep.equal([]);
    expect((await listOf('vendor')).notifications).to.deep.equal([]);
  });

  it('tells R1 of the decision, D1 of the order request, and marks only the reader’s own as read', async () => {
    const quotes = new QuoteService(store, today);
    const pending = await quotes.getQuote(viewer('d1'), world.r1Pending);
    await quotes.decideApproval(viewer('d1'), world.r1Pending, pending.quote.version, 'approve', 'Fine this once');
    const r1 = await listOf('r1');
    expect(r1.unread).to.equal(2);
    const decided = r1.notifications[0]!;
    expect(decided.kind).to.equal('approvalDecided');
    expect(decided.title).to.equal('Distri One approved quote ' + pending.quote.number + ' “R1 big discount”');
    expect(JSON.stringify(r1)).not.to.contain(pending.quote.netTotal ?? 'no net');

    const approved = await quotes.getQuote(viewer('r1'), world.r1Pending);
    const accepted = await quotes.acceptQuote(viewer('r1'), world.r1Pending, approved.quote.version);
    await quotes.requestOrder(viewer('r1'), world.r1Pending, accepted.quote.version, 'Ship it');
    expect((await listOf('d1')).notifications.map((n) => n.kind)).to.deep.equal(['orderRequested', 'approvalRequested']);
    // Requesting again changes nothing and tells nobody again.
    const again = await quotes.getQuote(viewer('r1'), world.r1Pending);
    await quotes.requestOrder(viewer('r1'), world.r1Pending, again.quote.version, 'Ship it');
    expect((await listOf('d1')).notifications).to.have.length(2);

    const service = new NotificationService(store, () => '2026-03-01T12:00:00.000Z');
    const d1Ids = (await listOf('d1')).notifications.map((n) => n.id);
    // R1 cannot mark D1's notifications read.
    expect(await service.markRead(viewer('r1'), { ids: d1Ids })).to.deep.equal({ marked: 0, unread: 2 });
    expect((await listOf('d1')).unread).to.equal(2);
    expect(await service.markRead(viewer('d1'), { ids: [d1Ids[0]!] })).to.deep.equal({ marked: 1, unread: 1 });
    const read = (await listOf('d1')).notifications[0]!;
    expect(read.readAt).to.equal('2026-03-01T12:00:00.000Z');
    expect((await service.listNotifications(viewer('d1'), { unreadOnly: true })).notifications.map((n) => n.kind)).to.deep.equal([
      'approvalRequested',
    ]);
  });

  it('a placed order tells the reseller once, even when placed twice', async () => {
    const orders = new OrderService(store, today);
    const before = (await listOf('r1')).notifications.length;
    const order = await orders.placeOrder(viewer('d1'), world.r1Pending);
    await orders.placeOrder(viewer('d1'), world.r1Pending);
    const after = (await listOf('r1')).notifications;
    expect(after).to.have.length(before + 1);
    expect(after[0]!.kind).to.equal('orderPlaced');
    expect(after[0]!.title).to.match(
      new RegExp(`^Distri One placed order ${order.number} for quote Q-\\d{5} “R1 big discount”$`),
    );
  });

  it('a renewal quote tells its reseller, and a rerun tells nobody again', async () => {
    const first = await generateRenewals(store, { asOf: TODAY });
    expect(first.created).to.equal(1);
    const r1 = await listOf('r1');
    expect(r1.notifications[0]!.kind).to.equal('renewalCreated');
    expect(r1.notifications[0]!.recordId).to.equal(first.quotes[0]!.quoteId);
    expect(r1.notifications[0]!.title).to.equal(`Renewal quote ${first.quotes[0]!.number} “Renewal from 2026-04-01” is ready`);
    const second = await generateRenewals(store, { asOf: TODAY });
    expect(second.created).to.equal(0);
    expect((await listOf('r1')).notifications).to.have.length(r1.notifications.length);
  });

  it('the outbox holds every email, for the vendor admin only', async () => {
    const service = new NotificationService(store);
    const outbox = await service.listOutbox(viewer('vendor'));
    expect(outbox.map((e) => e.emailTo).sort()).to.deep.equal(
      [USERS.d1.email, USERS.d1.email, USERS.r1.email, USERS.r1.email, USERS.r1.email, USERS.r1.email, USERS.r2.email].sort(),
    );
    expect(outbox[0]!.emailSubject).to.match(/^Channel CPQ: Renewal quote/);
    for (const key of ['d1', 'r1'] as const) {
      let error: unknown;
      await service.listOutbox(viewer(key)).catch((e: unknown) => (error = e));
      expect((error as Error).message).to.match(/cannot read the email outbox/);
    }
  });

  it('refuses bad input naming the field', async () => {
    const service = new NotificationService(store);
    let error: unknown;
    await service.markRead(viewer('r1'), { ids: [] }).catch((e: unknown) => (error = e));
    expect((error as Error).message).to.contain('ids');
    await service.listNotifications(viewer('r1'), { limit: 0 }).catch((e: unknown) => (error = e));
    expect((error as Error).message).to.contain('limit');
  });
});
