import { expect } from 'chai';
import type { NotificationList, OutboxEmail } from '../../src/services/notifications.js';
import { signedIn, startTestPortal, type ErrorReply, type PortalClient, type TestPortal } from './fixtures.js';

describe('preview server: NotificationController', () => {
  let portal: TestPortal;
  let r1: PortalClient;
  let r2: PortalClient;
  let r3: PortalClient;
  let d1: PortalClient;
  let d2: PortalClient;
  let vendor: PortalClient;

  before(async () => {
    portal = await startTestPortal();
    const clients = await Promise.all((['r1', 'r2', 'r3', 'd1', 'd2', 'vendor'] as const).map((k) => signedIn(portal.server, k)));
    [r1, r2, r3, d1, d2, vendor] = clients as [
      PortalClient,
      PortalClient,
      PortalClient,
      PortalClient,
      PortalClient,
      PortalClient,
    ];
  });
  after(async () => {
    await portal.stop();
  });

  const list = (c: PortalClient, params: unknown = {}): Promise<NotificationList> =>
    c.ok<NotificationList>('NotificationController.listNotifications', params);

  it('each user sees only their own: a reseller never sees another partner’s notification', async () => {
    const [mine, other, none, dist, otherDist] = await Promise.all([list(r1), list(r2), list(r3), list(d1), list(d2)]);
    // The server's renewal run at start made R1's renewal quote: R1 is told of it and of its placed order.
    expect(mine.notifications.map((n) => n.kind).sort()).to.deep.equal(['orderPlaced', 'renewalCreated']);
    expect(other.notifications.map((n) => [n.kind, n.recordId])).to.deep.equal([['orderPlaced', portal.world.r2Ordered.orderId]]);
    expect(none).to.deep.equal({ unread: 0, notifications: [] });
    expect(dist.notifications.map((n) => [n.kind, n.recordId])).to.deep.equal([['approvalRequested', portal.world.r1Pending]]);
    expect(otherDist.notifications).to.deep.equal([]);
    const r2Ids = new Set(other.notifications.map((n) => n.id));
    for (const n of [...mine.notifications, ...dist.notifications]) expect(r2Ids.has(n.id)).to.equal(false);
    // No email address or Net in what a reseller reads.
    expect(JSON.stringify(mine)).not.to.match(/emailTo|@|netTotal/);
  });

  it('markRead changes only the caller’s own, and the unread count follows', async () => {
    const other = await list(r2);
    const refused = await r1.ok<{ marked: number; unread: number }>('NotificationController.markRead', {
      ids: other.notifications.map((n) => n.id),
    });
    expect(refused).to.deep.equal({ marked: 0, unread: 2 });
    expect((await list(r2)).unread).to.equal(1);
    const mine = await list(r1);
    const result = await r1.ok<{ marked: number; unread: number }>('NotificationController.markRead', {
      ids: [mine.notifications[0]!.id],
    });
    expect(result).to.deep.equal({ marked: 1, unread: 1 });
    const unread = await list(r1, { unreadOnly: true });
    expect(unread.notifications.map((n) => n.id)).to.deep.equal([mine.notifications[1]!.id]);
  });

  it('tells the distributor when a reseller asks for approval, live', async () => {
    const draft = await r1.ok<{ quote: { version: number } }>('QuoteController.getQuote', { quoteId: portal.world.r1Draft });
    await r1.ok('QuoteController.saveQuote', {
      quoteId: portal.world.r1Draft,
      version: draft.quote.version,
      lines: [{ productId: 'LIC', quantity: '10', additionalDiscountPercent: '18' }],
    });
    const saved = await r1.ok<{ quote: { version: number; number: string } }>('QuoteController.getQuote', {
      quoteId: portal.world.r1Draft,
    });
    await r1.ok('QuoteController.submitForApproval', {
      quoteId: portal.world.r1Draft,
      version: saved.quote.version,
      comment: 'Big logo',
    });
    const dist = await list(d1);
    expect(dist.unread).to.equal(2);
    expect(dist.notifications[0]!.title).to.equal(`Reseller One asks you to approve quote ${saved.quote.number} “R1 draft”`);
    expect((await list(d2)).notifications).to.deep.equal([]);
  });

  it('the outbox is the vendor admin’s only', async () => {
    const outbox = await vendor.ok<OutboxEmail[]>('NotificationController.listOutbox');
    expect(outbox.length).to.equal(5);
    expect(outbox[0]!.emailTo).to.equal('dana@d1.example');
    for (const c of [r1, d1]) {
      const reply = await c.apex<ErrorReply>('NotificationController.listOutbox');
      expect(reply.status, reply.text).to.equal(403);
    }
  });

  it('bad input answers 400 naming the field', async () => {
    const empty = await r1.apex<ErrorReply>('NotificationController.markRead', { ids: [] });
    expect(empty.status).to.equal(400);
    expect(empty.body.error.issues.map((i) => i.path)).to.include('ids');
    const unknown = await r1.apex<ErrorReply>('NotificationController.listNotifications', { unread: true });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.issues.map((i) => i.path)).to.include('unread');
  });
});
