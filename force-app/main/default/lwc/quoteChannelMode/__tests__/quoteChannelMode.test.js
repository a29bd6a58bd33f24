/* eslint-disable @lwc/lwc/no-async-operation -- the test waits for the component to re-render */
import { createElement } from 'lwc';
import QuoteChannelMode from 'c/quoteChannelMode';
import setChannelMode from '@salesforce/apex/QuoteController.setChannelMode';

jest.mock('@salesforce/apex/QuoteController.setChannelMode', () => ({ default: jest.fn() }), { virtual: true });

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const QUOTE = { id: 'q-1', version: 3, status: 'Draft' };

function mount(props) {
  const element = createElement('c-quote-channel-mode', { is: QuoteChannelMode });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-quote-channel-mode', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('tells a partner the mode and that it comes from the agreement, with nothing to change', async () => {
    const element = mount({ quote: QUOTE, pricedMode: 'sequential', role: 'resellerUser' });
    expect($(element, 'mode').textContent).toBe('Sequential');
    expect($(element, 'source').textContent).toBe('from the reseller’s agreement with the distributor');
    expect($(element, 'choice')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('names who overrode it for this quote', () => {
    const quote = {
      ...QUOTE,
      channelMode: 'offList',
      channelModeSetByName: 'Vera Lindqvist',
      channelModeSetAt: '2026-12-05T10:00:00.000Z',
    };
    const element = mount({ quote, pricedMode: 'offList', role: 'distributorUser' });
    expect($(element, 'mode').textContent).toBe('Off list');
    expect($(element, 'source').textContent).toContain('set for this quote by Vera Lindqvist on');
  });

  it('lets the vendor admin override it, sending the version read, and hands on the repriced quote', async () => {
    const repriced = { quote: { ...QUOTE, version: 4, channelMode: 'offList' }, pricing: { channelMode: 'offList' } };
    setChannelMode.mockResolvedValue(repriced);
    const element = mount({ quote: QUOTE, pricedMode: 'sequential', role: 'vendorAdmin' });
    const changed = jest.fn();
    element.addEventListener('channelmodechange', changed);
    expect($(element, 'apply').disabled).toBe(true);
    const select = $(element, 'choice');
    select.value = 'offList';
    select.dispatchEvent(new CustomEvent('change'));
    await flush();
    expect($(element, 'apply').disabled).toBe(false);
    $(element, 'apply').click();
    await flush();
    expect(setChannelMode).toHaveBeenCalledWith({ quoteId: 'q-1', version: 3, channelMode: 'offList' });
    expect(changed).toHaveBeenCalledTimes(1);
    expect(changed.mock.calls[0][0].detail).toBe(repriced);
    await expect(element).toBeAccessible();
  });

  it('gives the quote back its agreement’s mode with null, and shows a refusal in words', async () => {
    setChannelMode.mockRejectedValue({
      body: { message: 'quote Q-1 is Accepted: the channel mode can only be changed on a Draft or Rejected quote' },
    });
    const quote = { ...QUOTE, channelMode: 'offList' };
    const element = mount({ quote, pricedMode: 'offList', role: 'vendorAdmin' });
    const select = $(element, 'choice');
    select.value = 'agreement';
    select.dispatchEvent(new CustomEvent('change'));
    await flush();
    $(element, 'apply').click();
    await flush();
    expect(setChannelMode).toHaveBeenCalledWith({ quoteId: 'q-1', version: 3, channelMode: null });
    expect($(element, 'errors').textContent).toContain('can only be changed on a Draft or Rejected quote');
  });

  it('offers no change once the quote is past Draft', () => {
    const element = mount({ quote: { ...QUOTE, status: 'Accepted' }, pricedMode: 'sequential', role: 'vendorAdmin' });
    expect($(element, 'choice')).toBeNull();
  });
});
