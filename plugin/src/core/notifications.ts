import { z } from 'zod';
import type { AccountRecord, OrderRecord, QuoteRecord, User } from './records.js';

/**
 * Who is told what (CHANNEL.md, "The approval chain", last bullet). Pure: the services hand in the event,
 * the parties and the users; the store writes the result (an in-portal notification per recipient, each
 * with the email the outbox sends).
 *
 * - A reseller's request (approval, order) reaches the users of the quote's distributor.
 * - A decision, a placed order and a renewal quote reach the users of the quote's reseller.
 * - Nobody else: never a user of another partner, never the one who acted, never the vendor (who sees the
 *   outbox). The text names parties and the quote number, never record ids, and never a Net price or
 *   distributor margin (a reseller's text shows no amount at all; a distributor's the Customer total).
 */

export const notificationKindSchema = z.enum([
  'approvalRequested',
  'approvalDecided',
  'orderRequested',
  'orderPlaced',
  'renewalCreated',
]);
export type NotificationKind = z.infer<typeof notificationKindSchema>;

export const notificationRecordSchema = z.strictObject({
  id: z.string().min(1),
  kind: notificationKindSchema,
  /** The user told. */
  recipientId: z.string().min(1),
  /** The recipient's account (what sharing keys on in an org). */
  accountId: z.string().min(1),
  /** The quote (or order) the notification opens. */
  recordType: z.enum(['Quote', 'Order']),
  recordId: z.string().min(1),
  title: z.string().min(1).max(250),
  body: z.string().max(750),
  createdAt: z.string().min(1),
  readAt: z.string().nullable(),
  /** The email sent with it (the outbox). */
  emailTo: z.string().min(3),
  emailSubject: z.string().min(1).max(250),
  emailBody: z.string().max(4000),
});
export type NotificationRecord = z.infer<typeof notificationRecordSchema>;

type QuoteFacts = Pick<
  QuoteRecord,
  'id' | 'number' | 'name' | 'resellerId' | 'distributorId' | 'endCustomerId' | 'customerTotal' | 'currency'
>;

export type NotificationEvent =
  | { kind: 'approvalRequested'; quote: QuoteFacts; actorId: string; comment: string }
  | { kind: 'approvalDecided'; quote: QuoteFacts; actorId: string; decision: 'approve' | 'reject'; comment: string }
  | { kind: 'orderRequested'; quote: QuoteFacts; actorId: string; comment: string }
  | { kind: 'orderPlaced'; quote: QuoteFacts; order: Pick<OrderRecord, 'id' | 'number'>; actorId: string }
  | { kind: 'renewalCreated'; quote: QuoteFacts };

export type NotificationParties = { accounts: readonly AccountRecord[]; users: readonly User[] };

/** The account whose users an event reaches. */
export function audienceAccountOf(event: NotificationEvent): string {
  return event.kind === 'approvalRequested' || event.kind === 'orderRequested'
    ? event.quote.distributorId
    : event.quote.resellerId;
}

const MAX_COMMENT = 300;

function quoted(comment: string): string {
  const text = comment.trim().replace(/\s+/g, ' ');
  if (text === '') return '';
  return `“${text.length > MAX_COMMENT ? `${text.slice(0, MAX_COMMENT - 1)}…` : text}”`;
}

/** The notifications (with their emails) an event makes; empty when its account has no other user. */
export function notificationsFor(
  event: NotificationEvent,
  parties: NotificationParties,
  createdAt: string,
  newId: () => string,
): NotificationRecord[] {
  const accounts = new Map(parties.accounts.map((a) => [a.id, a]));
  const nameOf = (id: string): string => accounts.get(id)?.name ?? 'an unknown account';
  const actorName = (id: string): string => parties.users.find((u) => u.id === id)?.name ?? 'someone';
  const q = event.quote;
  const label = `quote ${q.number} “${q.name}”`;
  const customer = nameOf(q.endCustomerId);
  const reseller = nameOf(q.resellerId);
  let title: string;
  let body: string;
  let recordType: NotificationRecord['recordType'] = 'Quote';
  let recordId = q.id;
  switch (event.kind) {
    case 'approvalRequested':
      title = `${reseller} asks you to approve ${label}`;
      body = `${actorName(event.actorId)} of ${reseller} submitted ${label} for ${customer}${
        q.customerTotal ? ` (Customer total ${q.customerTotal} ${q.currency})` : ''
      } for approval. ${quoted(event.comment)}`;
      break;
    case 'approvalDecided': {
      const verb = event.decision === 'approve' ? 'approved' : 'rejected';
      title = `${nameOf(q.distributorId)} ${verb} ${label}`;
      body = `${actorName(event.actorId)} of ${nameOf(q.distributorId)} ${verb} ${label} for ${customer}. ${quoted(event.comment)}`;
      break;
    }
    case 'orderRequested':
      title = `${reseller} asks you to order ${label}`;
      body = `${actorName(event.actorId)} of ${reseller} submitted the accepted ${label} for ${customer}${
        q.customerTotal ? ` (Customer total ${q.customerTotal} ${q.currency})` : ''
      } as an order. ${quoted(event.comment)}`;
      break;
    case 'orderPlaced':
      title = `${nameOf(q.distributorId)} placed order ${event.order.number} for ${label}`;
      body = `${actorName(event.actorId)} of ${nameOf(q.distributorId)} placed order ${event.order.number} for ${label} for ${customer}.`;
      recordType = 'Order';
      recordId = event.order.id;
      break;
    case 'renewalCreated':
      title = `Renewal ${label} is ready`;
      body = `A renewal quote for ${customer} was created from the contracts that end soon: check it and send it to your customer.`;
      break;
  }
  body = body.trim();
  // A reseller's order placed at once (auto-fulfil) draws the distributor's stock: its users are told.
  const actorAccount = 'actorId' in event ? parties.users.find((u) => u.id === event.actorId)?.accountId : undefined;
  const audience = event.kind === 'orderPlaced' && actorAccount === q.resellerId ? q.distributorId : audienceAccountOf(event);
  const actor = 'actorId' in event ? event.actorId : undefined;
  return parties.users
    .filter((u) => u.accountId === audience && u.id !== actor)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((u) =>
      notificationRecordSchema.parse({
        id: newId(),
        kind: event.kind,
        recipientId: u.id,
        accountId: u.accountId,
        recordType,
        recordId,
        title: title.slice(0, 250),
        body: body.slice(0, 750),
        createdAt,
        readAt: null,
        emailTo: u.email,
        emailSubject: `Channel CPQ: ${title}`.slice(0, 250),
        emailBody: `Hello ${u.name},\n\n${body}\n\nOpen Channel CPQ to see it.`.slice(0, 4000),
      }),
    );
}
