import { createElement } from 'lwc';
import ContractDetail, { lineValue, sumOf } from 'c/contractDetail';
import getContract from '@salesforce/apex/RenewalController.getContract';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import RESELLER_VIEW from './data/getContractReseller.json';
import DISTRIBUTOR_VIEW from './data/getContractDistributor.json';
import CATALOG from './data/getCatalog.json';
import USER_RESELLER from './data/userReseller.json';
import USER_DISTRIBUTOR from './data/userDistributor.json';

// The local service's answers to the demo story: Fjord IT's contract C-00001 (60 Cloud Standard, 60 Premium
// Support), as the reseller and as its distributor Nordlys see it.
jest.mock('@salesforce/apex/RenewalController.getContract', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getCatalog', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SessionController.getCurrentUser', () => ({ default: jest.fn() }), { virtual: true });

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

async function mount(answer, user) {
  if (answer instanceof Error) getContract.mockRejectedValue(answer);
  else getContract.mockResolvedValue(answer);
  getCatalog.mockResolvedValue(CATALOG);
  getCurrentUser.mockResolvedValue(user);
  const element = createElement('c-contract-detail', { is: ContractDetail });
  element.recordId = answer.id ?? 'k-1';
  document.body.appendChild(element);
  await settle();
  await settle();
  return element;
}

const text = (element, selector) => element.shadowRoot.querySelector(selector)?.textContent.trim();
const headers = (element) =>
  [...element.shadowRoot.querySelectorAll('.subscriptions-table thead th')].map((th) => th.textContent.trim());

describe('c-contract-detail', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('computes unit × quantity exactly, and sums exactly', () => {
    expect(lineValue('171.38', '60')).toBe('10282.80');
    expect(lineValue('0.10', '3')).toBe('0.30');
    expect(lineValue('10.01', '2.5')).toBe('25.03');
    expect(lineValue('-1.00', '2')).toBe('-2.00');
    expect(lineValue(undefined, '2')).toBeUndefined();
    expect(sumOf(['0.10', '0.20'])).toBe('0.30');
    expect(sumOf([undefined])).toBeUndefined();
  });

  it('shows the reseller its contract with names, dates in its locale, Customer and Partner values and no Net', async () => {
    const element = await mount(RESELLER_VIEW, USER_RESELLER);
    expect(getContract).toHaveBeenCalledWith({ contractId: RESELLER_VIEW.id });
    expect(text(element, '.contract-title')).toBe('Contract C-00001');
    expect(text(element, '.end-customer')).toBe('Skärgård Logistics AB');
    expect(text(element, '.distributor')).toBe('Nordlys Distribution AB');
    // A reseller is not told its own name again.
    expect(element.shadowRoot.querySelector('.reseller')).toBeNull();
    expect(text(element, '.dates')).toBe('Dec 26, 2025 – Dec 25, 2026');
    expect(text(element, '.renewal-status')).toBe('Renewal quoted');
    // 60 × 171.38 + 60 × 275.00 = 10,282.80 + 16,500.00
    expect(text(element, '.customer-total')).toBe('EUR 26,782.80');
    // 60 × 145.67 + 60 × 233.75 = 8,740.20 + 14,025.00
    expect(text(element, '.partner-total')).toBe('EUR 22,765.20');
    expect(element.shadowRoot.querySelector('.net-total')).toBeNull();
    expect(headers(element).some((h) => h.startsWith('Net'))).toBe(false);
    expect(element.shadowRoot.querySelector('a.renewal-link').getAttribute('href')).toBe(
      `/Channel_Quote__c/${RESELLER_VIEW.renewalQuoteId}`,
    );
    // The order's page is the Orders page's, not a reseller's.
    expect(element.shadowRoot.querySelector('a.order-link')).toBeNull();
    const rows = [...element.shadowRoot.querySelectorAll('tr.subscription-row')];
    expect(rows).toHaveLength(2);
    expect(rows[0].querySelector('.product').textContent).toBe(
      CATALOG.products.find((p) => p.id === RESELLER_VIEW.subscriptions[0].productId).name,
    );
  });

  it('shows the distributor the reseller, the Net values and a link to the order', async () => {
    const element = await mount(DISTRIBUTOR_VIEW, USER_DISTRIBUTOR);
    expect(text(element, '.reseller')).toBe('Fjord IT Partners AB');
    expect(headers(element)).toContain('Net unit');
    const net = DISTRIBUTOR_VIEW.subscriptions.map((s) => lineValue(s.netUnit, s.quantity));
    expect(text(element, '.net-total')).toBe(`EUR ${Number(sumOf(net)).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
    expect(element.shadowRoot.querySelector('a.order-link').getAttribute('href')).toBe(
      `/Channel_Order__c/${DISTRIBUTOR_VIEW.orderId}`,
    );
  });

  it('says the contract is not found when the server answers NOT_FOUND', async () => {
    const error = new Error('not found');
    error.body = { code: 'NOT_FOUND', message: 'Contract k-x not found' };
    const element = await mount(error, USER_RESELLER);
    expect(element.shadowRoot.querySelector('.not-found')).not.toBeNull();
    expect(element.shadowRoot.querySelector('.contract-header')).toBeNull();
  });

  it('is accessible', async () => {
    const element = await mount(DISTRIBUTOR_VIEW, USER_DISTRIBUTOR);
    await expect(element).toBeAccessible();
  });
});
