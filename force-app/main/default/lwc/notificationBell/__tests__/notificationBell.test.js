import { createElement } from 'lwc';
import NotificationBell from 'c/notificationBell';
import listNotifications from '@salesforce/apex/NotificationController.listNotifications';
import markRead from '@salesforce/apex/NotificationController.markRead';

jest.mock('@salesforce/apex/NotificationController.listNotifications', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/NotificationController.markRead', () => ({ default: jest.fn() }), { virtual: true });

// eslint-disable-next-line @lwc/lwc/no-async-operation
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const LIST = {
  unread: 2,
  notifications: [
    {
      id: 'n2',
      kind: 'approvalDecided',
      recordType: 'Quote',
      recordId: 'q1',
      title: 'Distri One approved quote Q-00003 “Big deal”',
      body: 'Dana One of Distri One approved quote Q-00003 “Big deal” for Acme & Sons.',
      createdAt: '2026-03-01T10:05:00.000Z',
      readAt: null,
    },
    {
      id: 'n1',
      kind: 'orderPlaced',
      recordType: 'Order',
      recordId: 'o1',
      title: 'Distri One placed order O-00001',
      body: 'Placed.',
      createdAt: '2026-03-01T09:00:00.000Z',
      readAt: null,
    },
  ],
};

async function mount(list = LIST) {
  listNotifications.mockResolvedValue(list);
  const element = createElement('c-notification-bell', { is: NotificationBell });
  document.body.appendChild(element);
  await settle();
  return element;
}

describe('c-notification-bell', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows the unread count and no badge when nothing is unread', async () => {
    const element = await mount();
    expect(element.shadowRoot.querySelector('[data-id="unread-count"]').textContent).toBe('2');
    expect(element.shadowRoot.querySelector('[data-id="bell"]').title).toBe('Notifications: 2 unread');
    const quiet = await mount({ unread: 0, notifications: [] });
    expect(quiet.shadowRoot.querySelector('[data-id="unread-count"]')).toBeNull();
  });

  it('lists the notifications with links to the quote or the order desk', async () => {
    const element = await mount();
    element.shadowRoot.querySelector('[data-id="bell"]').click();
    await settle();
    expect(element.shadowRoot.querySelector('[data-id="panel"]').className).not.toContain('slds-hide');
    const items = [...element.shadowRoot.querySelectorAll('[data-id="notification"]')];
    expect(items.map((li) => li.querySelector('.notification-title').textContent)).toEqual([
      'Distri One approved quote Q-00003 “Big deal”',
      'Distri One placed order O-00001',
    ]);
    expect(items.map((li) => li.querySelector('a').getAttribute('href'))).toEqual(['/quotes/q1', '/orders']);
    expect(items[0].className).toContain('notification-unread');
  });

  it('marks all read and the count follows the server', async () => {
    markRead.mockResolvedValue({ marked: 2, unread: 0 });
    const element = await mount();
    element.shadowRoot.querySelector('[data-id="mark-all"]').click();
    await settle();
    expect(markRead).toHaveBeenCalledWith({ ids: ['n2', 'n1'] });
    expect(element.shadowRoot.querySelector('[data-id="unread-count"]')).toBeNull();
    expect(element.shadowRoot.querySelector('[data-id="notification"]').className).not.toContain('notification-unread');
  });

  it('says what went wrong when the list cannot be read', async () => {
    listNotifications.mockRejectedValue({ status: 500, body: { message: 'Server down' } });
    const element = createElement('c-notification-bell', { is: NotificationBell });
    document.body.appendChild(element);
    await settle();
    element.shadowRoot.querySelector('[data-id="bell"]').click();
    await settle();
    expect(element.shadowRoot.querySelector('[role="alert"]').textContent).toContain('Server down');
  });
});
