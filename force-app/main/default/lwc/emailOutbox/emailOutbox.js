import { LightningElement } from 'lwc';
import listOutbox from '@salesforce/apex/NotificationController.listOutbox';
import { errorMessages } from 'c/cpqUtils';

const KIND_LABELS = {
  approvalRequested: 'Approval requested',
  approvalDecided: 'Approval decided',
  orderRequested: 'Order requested',
  orderPlaced: 'Order placed',
  renewalCreated: 'Renewal created',
};

/**
 * The vendor admin's email outbox (NotificationController.listOutbox): every email sent with a notification,
 * newest first. Locally the emails are only kept, not sent; in an org they go out as the recipient user's email.
 */
export default class EmailOutbox extends LightningElement {
  emails = [];
  loading = true;
  errors = [];

  async connectedCallback() {
    try {
      this.emails = await listOutbox({});
      this.errors = [];
    } catch (error) {
      this.errors = errorMessages(error);
    } finally {
      this.loading = false;
    }
  }

  get isEmpty() {
    return !this.loading && this.errors.length === 0 && this.emails.length === 0;
  }

  get rows() {
    return this.emails.map((e) => ({
      ...e,
      kindLabel: KIND_LABELS[e.kind] ?? e.kind,
      when: e.createdAt ? String(e.createdAt).slice(0, 16).replace('T', ' ') : '',
    }));
  }
}
