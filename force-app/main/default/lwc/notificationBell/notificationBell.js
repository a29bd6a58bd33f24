import { LightningElement } from 'lwc';
import listNotifications from '@salesforce/apex/NotificationController.listNotifications';
import markRead from '@salesforce/apex/NotificationController.markRead';
import { errorMessages } from 'c/cpqUtils';

/** Where a notification leads: the quote editor (an order opens the order desk). */
function hrefOf(n) {
  return n.recordType === 'Order' ? '/orders' : `/quotes/${encodeURIComponent(n.recordId)}`;
}

/**
 * The bell in the portal header (docs/CONTROLLERS.md, NotificationController): the count of the caller's
 * unread notifications, a list of the newest, and "Mark all read". Only the caller's own notifications ever
 * reach it (the server filters by recipient).
 */
export default class NotificationBell extends LightningElement {
  unread = 0;
  notifications = [];
  open = false;
  errors = [];

  async connectedCallback() {
    await this.load();
  }

  async load() {
    try {
      const result = await listNotifications({});
      this.unread = result.unread;
      this.notifications = result.notifications;
      this.errors = [];
    } catch (error) {
      this.errors = errorMessages(error);
    }
  }

  get hasUnread() {
    return this.unread > 0;
  }

  get badge() {
    return this.unread > 99 ? '99+' : String(this.unread);
  }

  get buttonLabel() {
    return this.unread === 1 ? 'Notifications: 1 unread' : `Notifications: ${this.unread} unread`;
  }

  get isEmpty() {
    return this.notifications.length === 0;
  }

  get items() {
    return this.notifications.map((n) => ({
      ...n,
      href: hrefOf(n),
      className: `slds-dropdown__item notification-item${n.readAt ? '' : ' notification-unread'}`,
      when: n.createdAt ? String(n.createdAt).slice(0, 16).replace('T', ' ') : '',
    }));
  }

  get panelClass() {
    return `slds-dropdown slds-dropdown_right notification-panel${this.open ? '' : ' slds-hide'}`;
  }

  async toggle() {
    this.open = !this.open;
    if (this.open) await this.load();
  }

  async markAllRead() {
    const ids = this.notifications.filter((n) => !n.readAt).map((n) => n.id);
    if (ids.length === 0) return;
    try {
      const result = await markRead({ ids });
      this.unread = result.unread;
      const now = new Date().toISOString();
      this.notifications = this.notifications.map((n) => (ids.includes(n.id) ? { ...n, readAt: now } : n));
    } catch (error) {
      this.errors = errorMessages(error);
    }
  }

  async openItem(event) {
    const id = event.currentTarget.dataset.id;
    const item = this.notifications.find((n) => n.id === id);
    if (item && !item.readAt) {
      try {
        const result = await markRead({ ids: [id] });
        this.unread = result.unread;
      } catch {
        // Opening the record matters more than the read mark: the link still leads there.
      }
    }
  }
}
