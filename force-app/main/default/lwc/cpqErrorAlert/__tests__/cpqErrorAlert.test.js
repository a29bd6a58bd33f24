import { createElement } from 'lwc';
import CpqErrorAlert from 'c/cpqErrorAlert';

function mount(messages) {
  const element = createElement('c-cpq-error-alert', { is: CpqErrorAlert });
  if (messages !== undefined) element.messages = messages;
  document.body.appendChild(element);
  return element;
}

describe('c-cpq-error-alert', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('lists each message in an error alert, in light DOM', async () => {
    const element = mount(['Sign in again.', 'Row 2: the quantity must be a whole number.']);
    await Promise.resolve();
    const alert = element.querySelector('[role="alert"]');
    expect(alert).not.toBeNull();
    expect(alert.className).toBe('slds-notify slds-notify_alert slds-alert_error');
    expect([...element.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Sign in again.',
      'Row 2: the quantity must be a whole number.',
    ]);
    expect(element.textContent).toBe('Sign in again.Row 2: the quantity must be a whole number.');
    await expect(element).toBeAccessible();
  });

  it('follows its messages', async () => {
    const element = mount(['First.']);
    element.messages = ['Second.', 'Third.'];
    await Promise.resolve();
    expect([...element.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Second.', 'Third.']);
  });

  it('renders an empty list when it has no messages', async () => {
    const element = mount(null);
    await Promise.resolve();
    expect(element.querySelectorAll('li')).toHaveLength(0);
  });
});
