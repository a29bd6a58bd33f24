import type { NotificationRecord } from '../core/notifications.js';

export type NotificationFilter = { recipientId: string; unreadOnly?: boolean; limit?: number };

/**
 * In-portal notifications and their emails (core/notifications.ts). A user reads only the notifications
 * addressed to them; the outbox (every email, newest first) is the vendor admin's.
 */
export interface NotificationStore {
  /** Writes all of them or none. */
  addNotifications(records: readonly NotificationRecord[]): Promise<void>;
  /** Newest first. */
  listNotifications(filter: NotificationFilter): Promise<NotificationRecord[]>;
  countUnread(recipientId: string): Promise<number>;
  /** Marks the recipient's own notifications read (others' ids are ignored); returns how many changed. */
  markRead(recipientId: string, ids: readonly string[], at: string): Promise<number>;
  /** Every notification's email, newest first. */
  listOutbox(limit?: number): Promise<NotificationRecord[]>;
}
