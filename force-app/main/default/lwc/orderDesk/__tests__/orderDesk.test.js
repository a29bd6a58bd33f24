import { createElement } from 'lwc';
import OrderDesk from 'c/orderDesk';
import listQuotes from '@salesforce/apex/QuoteController.listQuotes';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import listOrders from '@salesforce/apex/OrderController.listOrders';
import placeOrder from '@salesforce/apex/OrderController.placeOrder';
import activateOrder from '@salesforce/apex/OrderController.activateOrder';
import listInventory from '@salesforce/apex/OrderController.listInventory';
import replenish from '@salesforce/apex/OrderController.replenish';
import previewReplenishment from '@salesforce/apex/OrderController.previewReplenishment';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import QUOTES from './data/listQuotes.json';
import ORDERS from './data/listOrders.json';
import INVENTORY from './data/listInventory.json';
import CATALOG from './data/getCatalog.json';
import PLACED from './data/placeOrder.json';
import ACTIVATED from './data/activateOrder.json';
import REPLENISHED from './data/replenish.json';
import INSUFFICIENT_STOCK from './data/insufficientStock.json';
import USER_DISTRIBUTOR from './data/userDistributor.json';

jest.mock('@salesforce/apex/QuoteController.listQuotes', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getCatalog', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/OrderController.listOrders', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/OrderController.placeOrder', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/OrderController.activateOrder', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/OrderController.listInventory', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/OrderController.replenish', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/OrderController.previewReplenishment', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SessionController.getCurrentUser', () => ({ default: jest.fn() }), { virtual: true });

jest.mock('lightning/navigation', () => {
  const Navigate = Symbol('Navigate');
  const GenerateUrl = Symbol('GenerateUrl');
  const Mixin = (Base) =>
    class extends Base {
      [Navigate]() {}
      [GenerateUrl](ref) {
        return Promise.resolve(`/page/${ref.attributes.recordId ?? ref.attributes.name}`);
      }
    };
  Mixin.Navigate = Navigate;
  Mixin.GenerateUrl = GenerateUrl;
  return { NavigationMixin: Mixin, CurrentPageReference: jest.fn() };
});

// eslint-disable-next-line @lwc/lwc/no-async-operation
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const ACCEPTED = QUOTES.filter((q) => q.status === 'Accepted');
const REQUESTED = ACCEPTED.find((q) => q.orderRequested);
const SHORT_QUOTE = ACCEPTED.find((q) => q.name.startsWith('Bayview'));
const PLACED_ORDER = ORDERS.find((o) => o.status === 'Placed');

async function mount(user = USER_DISTRIBUTOR) {
  getCurrentUser.mockResolvedValue(user);
  listQuotes.mockResolvedValue(QUOTES);
  listOrders.mockResolvedValue(ORDERS);
  listInventory.mockResolvedValue(INVENTORY);
  getCatalog.mockResolvedValue(CATALOG);
  const element = createElement('c-order-desk', { is: OrderDesk });
  document.body.appendChild(element);
  await settle();
  return element;
}

/** The preview the server answers for the purchase an order records. */
const previewOf = (order) => ({
  currency: order.currency,
  netTotal: order.netTotal,
  lines: order.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, net: l.net, netTotal: l.netTotal })),
});

const quoteRows = (element) => [...element.shadowRoot.querySelectorAll('.quotes-table tbody tr')];

describe('c-order-desk', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('links every order to its own page', async () => {
    const element = await mount();
    const rows = [...element.shadowRoot.querySelectorAll('tr.order-row')];
    expect(rows.map((r) => r.querySelector('a.order-link')?.getAttribute('href'))).toEqual(
      rows.map((r) => `/page/${r.dataset.id}`),
    );
  });

  it('lists the accepted quotes, the reseller’s order requests first and marked, with orders and stock', async () => {
    const element = await mount();
    const rows = quoteRows(element);
    expect(rows.map((r) => r.dataset.id)).toEqual([REQUESTED.id, ...ACCEPTED.filter((q) => q !== REQUESTED).map((q) => q.id)]);
    expect(rows[0].querySelector('.requested')).not.toBeNull();
    expect(rows[1].querySelector('.requested')).toBeNull();
    expect(element.shadowRoot.querySelectorAll('tr.order-row')).toHaveLength(ORDERS.length);
    const activates = element.shadowRoot.querySelectorAll('lightning-button.activate');
    expect([...activates].map((b) => b.dataset.id)).toEqual([PLACED_ORDER.id]);
    const stock = element.shadowRoot.querySelector('.stock-table').textContent;
    expect(stock).toContain('Report Designer licence');
    await expect(element).toBeAccessible();
  });

  it('places an order: the quote leaves the list, the order heads the orders, the stock is read again', async () => {
    const element = await mount();
    placeOrder.mockResolvedValue(PLACED);
    const button = element.shadowRoot.querySelector(`lightning-button.place-order[data-id="${REQUESTED.id}"]`);
    button.click();
    await settle();
    expect(placeOrder).toHaveBeenCalledWith({ quoteId: REQUESTED.id });
    expect(quoteRows(element).map((r) => r.dataset.id)).not.toContain(REQUESTED.id);
    expect(element.shadowRoot.querySelector('tr.order-row').dataset.id).toBe(PLACED.id);
    expect(listInventory).toHaveBeenCalledTimes(2);
  });

  it('names the missing licences when stock is short and prepares the replenishment', async () => {
    const element = await mount();
    placeOrder.mockRejectedValue(INSUFFICIENT_STOCK);
    element.shadowRoot.querySelector(`lightning-button.place-order[data-id="${SHORT_QUOTE.id}"]`).click();
    await settle();
    const alert = element.shadowRoot.querySelector('.shortfall');
    expect(alert.textContent).toContain(`Not enough stock to order ${SHORT_QUOTE.number}`);
    expect(alert.textContent).toContain('Report Designer licence: 800 missing (100 in stock)');
    expect(quoteRows(element).map((r) => r.dataset.id)).toContain(SHORT_QUOTE.id);
    const [product, quantity, currency] = element.shadowRoot.querySelectorAll('.restock-field');
    expect([product.value, quantity.value, currency.value]).toEqual(['lic-designer', '800', 'USD']);
    await expect(element).toBeAccessible();

    replenish.mockResolvedValue(REPLENISHED);
    previewReplenishment.mockResolvedValue(previewOf(REPLENISHED));
    element.shadowRoot.querySelector('lightning-button.replenish-button').click();
    await settle();
    expect(previewReplenishment).toHaveBeenCalledWith({
      currencyCode: 'USD',
      lines: [{ productId: 'lic-designer', quantity: '800' }],
    });
    // Nothing is bought before the distributor confirms the price.
    expect(replenish).not.toHaveBeenCalled();
    element.shadowRoot.querySelector('lightning-button.confirm-replenish').click();
    await settle();
    expect(replenish).toHaveBeenCalledWith({ currencyCode: 'USD', lines: [{ productId: 'lic-designer', quantity: '800' }] });
    expect(element.shadowRoot.querySelector('.shortfall')).toBeNull();
    expect(element.shadowRoot.querySelector('tr.order-row').dataset.id).toBe(REPLENISHED.id);
  });

  it('shows the price of a stock purchase and buys nothing until confirmed; Cancel buys nothing', async () => {
    const element = await mount();
    const [product, quantity, currency] = element.shadowRoot.querySelectorAll('.restock-field');
    product.value = 'lic-designer';
    product.dispatchEvent(new CustomEvent('change'));
    quantity.value = '900';
    quantity.dispatchEvent(new CustomEvent('input'));
    quantity.dispatchEvent(new CustomEvent('change'));
    currency.value = 'USD';
    currency.dispatchEvent(new CustomEvent('change'));
    await settle();
    previewReplenishment.mockResolvedValue(previewOf(REPLENISHED));
    element.shadowRoot.querySelector('lightning-button.replenish-button').click();
    await settle();
    const preview = element.shadowRoot.querySelector('.restock-preview');
    expect(preview.querySelector('.preview-row').textContent).toContain('Report Designer licence');
    expect(preview.querySelector('.preview-row').textContent).toContain('900');
    expect(preview.querySelector('.preview-row').textContent).toContain('USD 442.00');
    expect(preview.querySelector('.preview-total').textContent).toBe('Total: USD 397,800.00');
    await expect(element).toBeAccessible();
    element.shadowRoot.querySelector('lightning-button.cancel-replenish').click();
    await settle();
    expect(element.shadowRoot.querySelector('.restock-preview')).toBeNull();
    expect(replenish).not.toHaveBeenCalled();
  });

  it('keeps every licence still short in the banner, with its Short tag, after one is replenished', async () => {
    const element = await mount();
    const short = INVENTORY.filter((i) => i.distributorId === USER_DISTRIBUTOR.accountId).slice(0, 2);
    const [first, second] = short.map((i) => i.productId);
    placeOrder.mockRejectedValue({
      ...INSUFFICIENT_STOCK,
      body: {
        ...INSUFFICIENT_STOCK.body,
        message: `not enough licences in stock: ${first}: 800 missing (in stock ${short[0].quantity}); ${second}: 5 missing (in stock ${short[1].quantity})`,
      },
    });
    element.shadowRoot.querySelector(`lightning-button.place-order[data-id="${SHORT_QUOTE.id}"]`).click();
    await settle();
    const shortTags = () => [...element.shadowRoot.querySelectorAll('tr.stock-row .slds-badge')].length;
    expect(element.shadowRoot.querySelectorAll('.shortfall li')).toHaveLength(2);
    expect(shortTags()).toBe(2);
    const boughtFirst = { ...REPLENISHED, lines: [{ ...REPLENISHED.lines[0], productId: first, quantity: '800' }] };
    previewReplenishment.mockResolvedValue(previewOf(boughtFirst));
    replenish.mockResolvedValue(boughtFirst);
    element.shadowRoot.querySelector('lightning-button.replenish-button').click();
    await settle();
    element.shadowRoot.querySelector('lightning-button.confirm-replenish').click();
    await settle();
    expect(replenish).toHaveBeenCalledWith({ currencyCode: 'USD', lines: [{ productId: first, quantity: '800' }] });
    // The second licence is still short: the banner names it, its tag stays, and its purchase is prepared.
    const items = [...element.shadowRoot.querySelectorAll('.shortfall li')].map((li) => li.textContent);
    expect(items).toHaveLength(1);
    expect(items[0]).toContain('5 missing');
    expect(shortTags()).toBe(1);
    const [product, quantity] = element.shadowRoot.querySelectorAll('.restock-field');
    expect([product.value, quantity.value]).toEqual([second, '5']);
  });

  it('activates a placed order', async () => {
    const element = await mount();
    activateOrder.mockResolvedValue(ACTIVATED);
    element.shadowRoot.querySelector('lightning-button.activate').click();
    await settle();
    expect(activateOrder).toHaveBeenCalledWith({ orderId: PLACED_ORDER.id });
    const row = element.shadowRoot.querySelector(`tr.order-row[data-id="${PLACED_ORDER.id}"]`);
    expect(row.querySelector('.status').textContent).toBe('Activated');
    expect(element.shadowRoot.querySelector('lightning-button.activate')).toBeNull();
  });

  it('shows a reseller a pointer instead of the desk and asks the server for nothing else', async () => {
    const element = await mount({ ...USER_DISTRIBUTOR, role: 'resellerUser' });
    expect(element.shadowRoot.querySelector('.reseller-note')).not.toBeNull();
    expect(listInventory).not.toHaveBeenCalled();
    expect(element.shadowRoot.querySelector('lightning-button.place-order')).toBeNull();
  });
});
