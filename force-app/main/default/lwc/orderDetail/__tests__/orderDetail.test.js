import { createElement } from 'lwc';
import OrderDetail from 'c/orderDetail';
import getOrder from '@salesforce/apex/OrderController.getOrder';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import DISTRIBUTOR_VIEW from './data/getOrderDistributor.json';
import RESELLER_VIEW from './data/getOrderReseller.json';
import STOCK_ORDER from './data/getOrderStock.json';
import CATALOG from './data/getCatalog.json';

// The answers are the local service's to the demo story (Nordlys Distribution and Fjord IT's first order, and
// Nordlys's stock order), as the distributor and as the reseller see them.
jest.mock('@salesforce/apex/OrderController.getOrder', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getCatalog', () => ({ default: jest.fn() }), { virtual: true });

jest.mock('lightning/navigation', () => {
  const Navigate = Symbol('Navigate');
  const GenerateUrl = Symbol('GenerateUrl');
  const Mixin = (Base) =>
    class extends Base {
      [Navigate]() {}
      [GenerateUrl](ref) {
        const a = ref.attributes;
        return Promise.resolve(a.recordId ? `/${a.objectApiName}/${a.recordId}` : `/page/${a.name}`);
      }
    };
  Mixin.Navigate = Navigate;
  Mixin.GenerateUrl = GenerateUrl;
  return { NavigationMixin: Mixin, CurrentPageReference: jest.fn() };
});

// eslint-disable-next-line @lwc/lwc/no-async-operation
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount(answer) {
  if (answer instanceof Error) getOrder.mockRejectedValue(answer);
  else getOrder.mockResolvedValue(answer);
  getCatalog.mockResolvedValue(CATALOG);
  const element = createElement('c-order-detail', { is: OrderDetail });
  element.recordId = answer.id ?? 'o-1';
  document.body.appendChild(element);
  await settle();
  await settle();
  return element;
}

const text = (element, selector) => element.shadowRoot.querySelector(selector)?.textContent.trim();
const headers = (element) => [...element.shadowRoot.querySelectorAll('.lines-table thead th')].map((th) => th.textContent.trim());

describe('c-order-detail', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows the distributor the order with the parties by name, the date in the locale, every total and the lines', async () => {
    const element = await mount(DISTRIBUTOR_VIEW);
    expect(getOrder).toHaveBeenCalledWith({ orderId: DISTRIBUTOR_VIEW.id });
    expect(text(element, '.order-title')).toBe('Order O-00001');
    expect(text(element, '.status')).toBe('Activated');
    expect(text(element, '.distributor')).toBe('Nordlys Distribution AB');
    expect(text(element, '.reseller')).toBe('Fjord IT Partners AB');
    expect(text(element, '.end-customer')).toBe('Skärgård Logistics AB');
    expect(text(element, '.order-date')).toBe('Dec 26, 2025');
    expect(text(element, '.customer-total')).toBe('EUR 29,682.80');
    expect(text(element, '.partner-total')).toBe('EUR 25,433.20');
    expect(text(element, '.net-total')).toBe('EUR 19,758.00');
    const link = element.shadowRoot.querySelector('a.quote-link');
    expect(link.textContent.trim()).toBe('Q-00001');
    expect(link.getAttribute('href')).toBe(`/Channel_Quote__c/${DISTRIBUTOR_VIEW.quoteId}`);
    expect(element.shadowRoot.querySelector('a.back-link').getAttribute('href')).toBe('/page/Orders__c');
    const rows = [...element.shadowRoot.querySelectorAll('tr.line-row')];
    expect(rows).toHaveLength(DISTRIBUTOR_VIEW.lines.length);
    const first = CATALOG.products.find((p) => p.id === DISTRIBUTOR_VIEW.lines[0].productId);
    expect(rows[0].querySelector('.product').textContent).toBe(first.name);
    expect(rows[0].textContent).toContain('EUR 6,817.20');
    expect(headers(element)).toContain('Net unit');
  });

  it('never shows a reseller a Net price or total (the server sent none: nothing says Net)', async () => {
    const element = await mount(RESELLER_VIEW);
    expect(text(element, '.customer-total')).toBe('EUR 29,682.80');
    expect(text(element, '.partner-total')).toBe('EUR 25,433.20');
    expect(element.shadowRoot.querySelector('.net-total')).toBeNull();
    expect(element.shadowRoot.querySelector('.net-unit')).toBeNull();
    expect(headers(element).some((h) => h.startsWith('Net'))).toBe(false);
    expect(element.shadowRoot.textContent).not.toContain('19,758.00');
  });

  it('shows a stock order with its Net prices only, and no reseller or end customer', async () => {
    const element = await mount(STOCK_ORDER);
    expect(text(element, '.order-title')).toBe(`Stock order ${STOCK_ORDER.number}`);
    expect(text(element, '.kind')).toBe('Stock from the vendor');
    expect(element.shadowRoot.querySelector('.reseller')).toBeNull();
    expect(element.shadowRoot.querySelector('.customer-total')).toBeNull();
    expect(element.shadowRoot.querySelector('a.quote-link')).toBeNull();
    expect(text(element, '.net-total')).toBe('EUR 53,064.00');
    expect(headers(element)).toEqual(['Product', 'Quantity', 'Net unit', 'Net total']);
  });

  it('says the order is not found when the server answers NOT_FOUND (another partner’s order, or none)', async () => {
    const error = new Error('not found');
    error.body = { code: 'NOT_FOUND', message: 'Order o-x not found' };
    const element = await mount(error);
    expect(element.shadowRoot.querySelector('.not-found')).not.toBeNull();
    expect(element.shadowRoot.querySelector('.order-header')).toBeNull();
  });

  it('is accessible', async () => {
    const element = await mount(DISTRIBUTOR_VIEW);
    await expect(element).toBeAccessible();
  });
});
