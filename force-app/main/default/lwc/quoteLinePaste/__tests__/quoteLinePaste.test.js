/* eslint-disable @lwc/lwc/no-async-operation -- the test waits for the component to re-render */
import { createElement } from 'lwc';
import QuoteLinePaste from 'c/quoteLinePaste';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('c-quote-line-paste', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('opens a text area, sends the pasted rows, shows their problems, and closes', async () => {
    const element = createElement('c-quote-line-paste', { is: QuoteLinePaste });
    document.body.appendChild(element);
    const sent = jest.fn();
    element.addEventListener('pastelines', (event) => sent(event.detail));
    element.shadowRoot.querySelector('lightning-button.paste-open').click();
    await flush();
    const textarea = element.shadowRoot.querySelector('lightning-textarea.paste-text');
    expect(element.shadowRoot.querySelector('lightning-button.paste-add').disabled).toBe(true);
    textarea.value = 'LIC-DESIGNER\t2';
    textarea.dispatchEvent(new CustomEvent('change'));
    await flush();
    element.shadowRoot.querySelector('lightning-button.paste-add').click();
    expect(sent).toHaveBeenCalledWith({ text: 'LIC-DESIGNER\t2' });
    element.errors = ['Row 1: no product with SKU X is sold in this quote’s currency.'];
    await flush();
    expect(element.shadowRoot.querySelector('.paste-errors').textContent).toContain('Row 1');
    await expect(element).toBeAccessible();
    element.reset();
    await flush();
    expect(element.shadowRoot.querySelector('lightning-textarea')).toBeNull();
    expect(element.shadowRoot.querySelector('lightning-button.paste-open')).not.toBeNull();
  });
});
