import { createElement } from 'lwc';
import QuoteLineGrid from 'c/quoteLineGrid';
import { formatMoney } from 'c/cpqUtils';
import QUOTE_DISTRIBUTOR from '../../quoteLineEditor/__tests__/data/quote-distributor.json';

// Lines of quote Q-00005 as the server priced them for the distributor (with Net).
const PRICED = QUOTE_DISTRIBUTOR.pricing.lines;
const PRODUCT = { name: 'Northwind Analytics Standard licence', sku: 'LIC-ANALYTICS-STD', type: 'oneTime' };

function entries(n) {
  return Array.from({ length: n }, (_, i) => ({
    key: `L${i + 1}`,
    input: { id: `L${i + 1}`, productId: 'lic-analytics-std', quantity: '12', additionalDiscountPercent: '5' },
    view: { ...PRICED[0], lineId: `L${i + 1}` },
    product: PRODUCT,
    errors: null,
  }));
}

function mount(props) {
  const element = createElement('c-quote-line-grid', { is: QuoteLineGrid });
  Object.assign(element, { currency: 'SEK', ...props });
  document.body.appendChild(element);
  return element;
}

const rows = (element) => [...element.shadowRoot.querySelectorAll('tbody tr[data-id]')];

describe('c-quote-line-grid', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('renders a window of rows with spacers for the rest', () => {
    const element = mount({ entries: entries(10000) });
    expect(rows(element)).toHaveLength(22); // 12 in view + 10 below (none above the first)
    const spacer = element.shadowRoot.querySelector('tr.spacer');
    expect(spacer.style.height).toBe(`${(10000 - 22) * 40}px`);
    expect(element.shadowRoot.querySelector('table').getAttribute('aria-rowcount')).toBe('10001');
  });

  it('moves the window on scroll', async () => {
    const element = mount({ entries: entries(10000) });
    const viewport = element.shadowRoot.querySelector('[data-id="grid-viewport"]');
    Object.defineProperty(viewport, 'scrollTop', { value: 4000 * 40, configurable: true });
    viewport.dispatchEvent(new CustomEvent('scroll'));
    await Promise.resolve();
    const numbers = rows(element).map((tr) => Number(tr.dataset.lineNumber));
    expect(numbers[0]).toBe(3991);
    expect(numbers.at(-1)).toBe(4022);
    expect(numbers).toHaveLength(32);
  });

  it('sends an edit when Enter commits a cell, and the old value when Escape cancels', async () => {
    const element = mount({ entries: entries(3) });
    const edits = [];
    element.addEventListener('lineinput', (e) => edits.push(e.detail));
    const qty = element.shadowRoot.querySelector('tr[data-line-number="2"] input[data-field="quantity"]');
    qty.dispatchEvent(new CustomEvent('focus'));
    qty.value = '15';
    qty.dispatchEvent(new CustomEvent('input'));
    qty.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    qty.value = '16';
    qty.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(edits).toEqual([
      { key: 'L2', field: 'quantity', value: '15', commit: false },
      { key: 'L2', field: 'quantity', value: '15', commit: true },
      { key: 'L2', field: 'quantity', value: '15', commit: true },
    ]);
    expect(qty.value).toBe('15');
  });

  it('shows the quote discount greyed in the discount cell of a line that takes it, and not on one with its own', () => {
    const fromQuote = { ...PRICED[0], additionalDiscount: { ...PRICED[0].additionalDiscount, percent: '4', fromQuote: true } };
    const [own, other] = entries(2);
    const takesIt = {
      ...own,
      input: { ...own.input, additionalDiscountPercent: undefined },
      view: { ...fromQuote, lineId: own.key },
    };
    const list = [takesIt, other];
    const editable = mount({ entries: list });
    const cell = (el, n) =>
      el.shadowRoot.querySelector(`tr[data-line-number="${n}"] input[data-field="additionalDiscountPercent"]`);
    expect([cell(editable, 1).value, cell(editable, 1).placeholder]).toEqual(['', '4']);
    expect([cell(editable, 2).value, cell(editable, 2).placeholder]).toEqual(['5', '']);
    document.body.removeChild(editable);
    const readOnly = mount({ entries: list, readOnly: true });
    const texts = [1, 2].map((n) => readOnly.shadowRoot.querySelector(`tr[data-line-number="${n}"] span[title]`));
    expect(texts[0].textContent).toBe('4 (quote)');
    expect(texts[0].title).toBe('Line 1 takes the quote discount of 4 %');
    expect(texts[1].textContent).toBe('5');
  });

  it('shows Net only when asked, and text instead of inputs when read only', async () => {
    const element = mount({ entries: entries(3), readOnly: true, showNet: true });
    expect(element.shadowRoot.querySelector('input')).toBeNull();
    expect(element.shadowRoot.querySelector('tr[data-line-number="1"] [data-col="netTotal"]').textContent).toBe('72,265.32');
    expect(element.shadowRoot.querySelector('[data-action="delete"]')).toBeNull();
    element.showNet = false;
    await Promise.resolve();
    expect(element.shadowRoot.querySelector('[data-col="netTotal"]')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('labels every input with its line and is accessible', async () => {
    const element = mount({ entries: entries(3) });
    const labels = [...element.shadowRoot.querySelectorAll('tr[data-line-number="3"] input')].map((i) =>
      i.getAttribute('aria-label'),
    );
    expect(labels).toEqual([
      'Select line 3',
      'Group for line 3',
      'Quantity for line 3',
      'Additional discount % for line 3',
      'Additional discount amount per unit for line 3',
    ]);
    await expect(element).toBeAccessible();
  });
});

/**
 * A phone's layout (quoteLineGrid.css, max-width 48em) is a card per line made of the same cells: jsdom lays
 * nothing out, so the cards' geometry is given to the rows here (a card 325 px tall, as Chromium draws it at
 * 390 px for a reseller; test/browser/editorStory.test.ts checks the real layout).
 */
describe('c-quote-line-grid: a card per line on a phone', () => {
  const CARD = 325;
  let layout;

  beforeEach(() => {
    layout = jest.spyOn(window.HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function rect() {
      const n = Number(this.dataset?.lineNumber);
      if (!this.classList.contains('grid-row') || !n) return { top: 0, height: 0, left: 0, width: 0, right: 0, bottom: 0 };
      return { top: (n - 1) * CARD, height: CARD - 1, left: 0, width: 358, right: 358, bottom: n * CARD - 1 };
    });
  });

  afterEach(() => {
    layout.mockRestore();
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  // eslint-disable-next-line @lwc/lwc/no-async-operation
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('names every figure and input of a card with its column, with the figures the table shows', async () => {
    const element = mount({ entries: entries(2), showNet: true });
    await tick();
    const card = element.shadowRoot.querySelector('tr[data-line-number="2"]');
    const figures = Object.fromEntries(
      [...card.querySelectorAll('td.col-money')].map((td) => [td.dataset.label, [td.dataset.col, td.textContent]]),
    );
    const line = PRICED[0];
    expect(figures).toEqual({
      'List unit': ['listUnit', formatMoney(line.list.unit)],
      'Customer unit': ['customerUnit', formatMoney(line.customer.unit)],
      'Customer total': ['customerTotal', formatMoney(line.customer.total)],
      'Partner total': ['partnerTotal', formatMoney(line.partner.total)],
      'Reseller margin': ['resellerMargin', formatMoney(line.resellerMargin)],
      'Net total': ['netTotal', formatMoney(line.net.total)],
      'Distr. margin': ['distributorMargin', formatMoney(line.distributorMargin)],
    });
    const inputs = [...card.querySelectorAll('td.col-input')].map((td) => [
      td.dataset.label,
      td.querySelector('input')?.getAttribute('aria-label') ?? td.textContent.trim(),
    ]);
    expect(inputs).toEqual([
      ['Group', 'Group for line 2'],
      ['Qty', 'Quantity for line 2'],
      ['Term (months)', '—'],
      ['Add. %', 'Additional discount % for line 2'],
      ['Add. amount', 'Additional discount amount per unit for line 2'],
    ]);
    // A reseller's cards: no Net figure, not even a name for one.
    element.showNet = false;
    await tick();
    expect(element.shadowRoot.querySelectorAll('[data-label="Net total"], [data-label="Distr. margin"]')).toHaveLength(0);
    await expect(element).toBeAccessible();
  });

  it('takes the card height from the layout for its window, and a card’s inputs send the same edits', async () => {
    const element = mount({ entries: entries(10000) });
    await tick();
    const spacer = () => element.shadowRoot.querySelector('tr.spacer');
    expect(spacer().style.height).toBe(`${(10000 - 22) * CARD}px`);
    const viewport = element.shadowRoot.querySelector('[data-id="grid-viewport"]');
    Object.defineProperty(viewport, 'scrollTop', { value: 4000 * CARD, configurable: true, writable: true });
    viewport.dispatchEvent(new CustomEvent('scroll'));
    await tick();
    const numbers = rows(element).map((tr) => Number(tr.dataset.lineNumber));
    expect([numbers[0], numbers.at(-1), numbers.length]).toEqual([3991, 4022, 32]);
    expect(element.shadowRoot.querySelector('tr.spacer').style.height).toBe(`${3990 * CARD}px`);

    const edits = [];
    element.addEventListener('lineinput', (e) => edits.push(e.detail));
    const selections = [];
    element.addEventListener('lineselect', (e) => selections.push(e.detail));
    const card = element.shadowRoot.querySelector('tr[data-line-number="4001"]');
    const qty = card.querySelector('input[data-field="quantity"]');
    qty.dispatchEvent(new CustomEvent('focus'));
    qty.value = '15';
    qty.dispatchEvent(new CustomEvent('input'));
    qty.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    const box = card.querySelector('input[data-action="select"]');
    box.checked = true;
    box.dispatchEvent(new CustomEvent('change'));
    expect(edits).toEqual([
      { key: 'L4001', field: 'quantity', value: '15', commit: false },
      { key: 'L4001', field: 'quantity', value: '15', commit: true },
    ]);
    expect(selections).toEqual([{ key: 'L4001', selected: true }]);
  });

  it('lets a short quote’s cards scroll with the page, and keeps a long one in its scroll box', async () => {
    const viewport = (el) => el.shadowRoot.querySelector('[data-id="grid-viewport"]');
    const short = mount({ entries: entries(22) });
    expect(viewport(short).classList.contains('grid-viewport_all')).toBe(true);
    short.entries = entries(23);
    await tick();
    expect(viewport(short).classList.contains('grid-viewport_all')).toBe(false);
    expect(rows(short)).toHaveLength(22);
  });

  it('measures again when the window is resized (a phone turned, a window narrowed)', async () => {
    layout.mockRestore();
    const element = mount({ entries: entries(100) });
    await tick();
    expect(element.shadowRoot.querySelector('tr.spacer').style.height).toBe(`${(100 - 22) * 40}px`);
    layout = jest.spyOn(window.HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function rect() {
      const n = Number(this.dataset?.lineNumber);
      return { top: n ? (n - 1) * CARD : 0, height: n ? CARD : 0, left: 0, width: 0, right: 0, bottom: 0 };
    });
    window.dispatchEvent(new CustomEvent('resize'));
    await tick();
    expect(element.shadowRoot.querySelector('tr.spacer').style.height).toBe(`${(100 - 22) * CARD}px`);
  });
});

describe('c-quote-line-grid: channel conflict', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('flags a line in CHANNEL_CONFLICT with a badge of its own that names no one', async () => {
    const conflict = {
      code: 'CHANNEL_CONFLICT',
      message: 'another partner has registered this end customer for Licenses: the vendor must approve',
    };
    const list = entries(2);
    list[1] = { ...list[1], view: { ...list[1].view, vendorApprovalRequired: true, warnings: [conflict] } };
    const element = mount({ entries: list });
    const badge = (n) => element.shadowRoot.querySelector(`tr[data-line-number="${n}"] [data-flag="channelConflict"]`);
    expect(badge(1)).toBeNull();
    expect(badge(2).textContent).toContain('Channel conflict');
    expect(badge(2).getAttribute('title')).toBe(
      'Line 2: Another partner has registered this customer for this product family. The vendor must approve before this quote can be accepted.',
    );
    // Not counted again among the line's other warnings.
    expect(element.shadowRoot.querySelector('tr[data-line-number="2"] [data-flag="warning"]')).toBeNull();
    await expect(element).toBeAccessible();
  });
});
