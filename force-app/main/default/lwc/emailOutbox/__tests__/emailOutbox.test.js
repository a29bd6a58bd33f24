import { createElement } from 'lwc';
import EmailOutbox from 'c/emailOutbox';
import listOutbox from '@salesforce/apex/NotificationController.listOutbox';

jest.mock('@salesforce/apex/NotificationController.listOutbox', () => ({ default: jest.fn() }), { virtual: true });

// eslint-disable-next-line @lwc/lwc/no-async-operation
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount() {
  const element = createElement('c-email-outbox', { is: EmailOutbox });
  document.body.appendChild(element);
  await settle();
  return element;
}

describe('c-email-outbox', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('lists each email with its recipient, subject and kind', async () => {
    listOutbox.mockResolvedValue([
      {
        id: 'n1',
        kind: 'approvalRequested',
        createdAt: '2026-03-01T10:00:00.000Z',
        emailTo: 'dana@d1.example',
        emailSubject: 'Channel CPQ: Reseller One asks you to approve quote Q-00003',
        emailBody: 'Hello Dana One,\n\nPlease look.',
      },
    ]);
    const element = await mount();
    const rows = element.shadowRoot.querySelectorAll('[data-id="email"]');
    expect(rows).toHaveLength(1);
    expect(rows[0].querySelector('[data-id="to"]').textContent).toBe('dana@d1.example');
    expect(rows[0].textContent).toContain('Approval requested');
    expect(rows[0].textContent).toContain('Channel CPQ: Reseller One asks you to approve quote Q-00003');
    expect(element.shadowRoot.querySelector('[data-id="empty"]')).toBeNull();
  });

  it('says when nothing was sent, and shows a refusal', async () => {
    listOutbox.mockResolvedValue([]);
    expect((await mount()).shadowRoot.querySelector('[data-id="empty"]')).not.toBeNull();
    listOutbox.mockRejectedValue({ status: 403, body: { message: 'a resellerUser cannot read the email outbox' } });
    const refused = await mount();
    expect(refused.shadowRoot.querySelector('[role="alert"]').textContent).toContain('cannot read the email outbox');
  });
});
