import type Database from 'better-sqlite3';
import { notificationRecordSchema, type NotificationRecord } from '../../core/notifications.js';
import type { NotificationFilter, NotificationStore } from '../notificationPort.js';

type JsonRow = { json: string; read_at: string | null };

const limitOf = (limit: number | undefined): string => (limit === undefined ? '' : `LIMIT ${Math.max(0, Math.floor(limit))}`);

/** Notifications and their emails in the SQLite file (the notifications table: the local outbox). */
export class SqliteNotificationStore implements NotificationStore {
  public constructor(
    private readonly db: Database.Database,
    private readonly transaction: <T>(fn: () => T) => T,
  ) {}

  private parse(row: JsonRow): NotificationRecord {
    return notificationRecordSchema.parse({ ...(JSON.parse(row.json) as object), readAt: row.read_at });
  }

  public addNotifications(records: readonly NotificationRecord[]): Promise<void> {
    const valid = records.map((r) => notificationRecordSchema.parse(r));
    const insert = this.db.prepare(
      `INSERT INTO notifications (id, recipient_id, account_id, created_at, read_at, json) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.transaction(() => {
      for (const r of valid) insert.run(r.id, r.recipientId, r.accountId, r.createdAt, r.readAt, JSON.stringify(r));
    });
    return Promise.resolve();
  }

  public listNotifications(filter: NotificationFilter): Promise<NotificationRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT json, read_at FROM notifications WHERE recipient_id = ? ${filter.unreadOnly ? 'AND read_at IS NULL' : ''}
          ORDER BY created_at DESC, rowid DESC ${limitOf(filter.limit)}`,
      )
      .all(filter.recipientId) as JsonRow[];
    return Promise.resolve(rows.map((r) => this.parse(r)));
  }

  public countUnread(recipientId: string): Promise<number> {
    const row = this.db
      .prepare('SELECT COUNT(*) AS n FROM notifications WHERE recipient_id = ? AND read_at IS NULL')
      .get(recipientId) as { n: number };
    return Promise.resolve(row.n);
  }

  public markRead(recipientId: string, ids: readonly string[], at: string): Promise<number> {
    if (ids.length === 0) return Promise.resolve(0);
    const update = this.db.prepare('UPDATE notifications SET read_at = ? WHERE id = ? AND recipient_id = ? AND read_at IS NULL');
    const changed = this.transaction(() => ids.reduce((n, id) => n + update.run(at, id, recipientId).changes, 0));
    return Promise.resolve(changed);
  }

  public listOutbox(limit?: number): Promise<NotificationRecord[]> {
    const rows = this.db
      .prepare(`SELECT json, read_at FROM notifications ORDER BY created_at DESC, rowid DESC ${limitOf(limit)}`)
      .all() as JsonRow[];
    return Promise.resolve(rows.map((r) => this.parse(r)));
  }
}
