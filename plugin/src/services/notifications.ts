import { z } from 'zod';
import { newId } from '../core/ids.js';
import { notificationsFor, type NotificationEvent, type NotificationRecord } from '../core/notifications.js';
import type { Viewer } from '../core/records.js';
import type { CpqStore } from '../store/port.js';
import { canReach, requireRole } from './access.js';
import { parseInput } from './input.js';

/**
 * Tells the people concerned (core/notifications.ts) after a service wrote a change. Called at the end of
 * the service method, once its own write has succeeded: a notification never announces a change that was
 * not written. The change stands even if telling fails (it is reported on stderr, the action is not
 * failed after the fact). Several events share one look-up of the parties and one write.
 */
export async function notify(store: CpqStore, ...events: NotificationEvent[]): Promise<void> {
  const target = store.notifications;
  if (!target || events.length === 0) return;
  try {
    const [accounts, users] = await Promise.all([store.listAccounts(), store.listUsers()]);
    const now = new Date().toISOString();
    const records = events.flatMap((event) =>
      notificationsFor(event, { accounts, users }, now, newId).filter((n) => {
        // Belt and braces: a recipient must be able to open the record as a viewer of its account.
        const user = users.find((u) => u.id === n.recipientId)!;
        return canReach({ userId: user.id, role: user.role, accountId: user.accountId }, event.quote);
      }),
    );
    if (records.length > 0) await target.addNotifications(records);
  } catch (error) {
    process.stderr.write(`notifications not written: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

/** What a user sees: their own notifications, never another user's (the email is the outbox's). */
export type NotificationView = Pick<
  NotificationRecord,
  'id' | 'kind' | 'recordType' | 'recordId' | 'title' | 'body' | 'createdAt' | 'readAt'
>;
export type NotificationList = { unread: number; notifications: NotificationView[] };
export type OutboxEmail = Pick<NotificationRecord, 'id' | 'kind' | 'createdAt' | 'emailTo' | 'emailSubject' | 'emailBody'>;

export const listNotificationsInputSchema = z.strictObject({
  unreadOnly: z.boolean().optional(),
  limit: z.number().int().min(1).max(200).optional(),
});
export const markReadInputSchema = z.strictObject({
  ids: z.array(z.string().min(1).max(40)).min(1).max(200),
});

const view = (n: NotificationRecord): NotificationView => ({
  id: n.id,
  kind: n.kind,
  recordType: n.recordType,
  recordId: n.recordId,
  title: n.title,
  body: n.body,
  createdAt: n.createdAt,
  readAt: n.readAt,
});

export class NotificationService {
  public constructor(
    private readonly store: CpqStore,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  public async listNotifications(viewer: Viewer, rawInput: unknown = {}): Promise<NotificationList> {
    const input = parseInput(listNotificationsInputSchema, rawInput, 'the notification list request is not valid');
    const target = this.store.notifications;
    if (!target) return { unread: 0, notifications: [] };
    const [unread, list] = await Promise.all([
      target.countUnread(viewer.userId),
      target.listNotifications({ recipientId: viewer.userId, unreadOnly: input.unreadOnly, limit: input.limit ?? 50 }),
    ]);
    return { unread, notifications: list.map(view) };
  }

  /** Marks the viewer's own notifications read; ids of others' notifications change nothing. */
  public async markRead(viewer: Viewer, rawInput: unknown): Promise<{ marked: number; unread: number }> {
    const input = parseInput(markReadInputSchema, rawInput, 'the mark-read request is not valid');
    const target = this.store.notifications;
    if (!target) return { marked: 0, unread: 0 };
    const marked = await target.markRead(viewer.userId, input.ids, this.now());
    return { marked, unread: await target.countUnread(viewer.userId) };
  }

  /** Every email sent, newest first: the vendor admin's outbox. */
  public async listOutbox(viewer: Viewer, rawInput: unknown = {}): Promise<OutboxEmail[]> {
    requireRole(viewer, ['vendorAdmin'], 'read the email outbox');
    const input = parseInput(listNotificationsInputSchema.pick({ limit: true }), rawInput, 'the outbox request is not valid');
    const target = this.store.notifications;
    if (!target) return [];
    return (await target.listOutbox(input.limit ?? 100)).map((n) => ({
      id: n.id,
      kind: n.kind,
      createdAt: n.createdAt,
      emailTo: n.emailTo,
      emailSubject: n.emailSubject,
      emailBody: n.emailBody,
    }));
  }
}
