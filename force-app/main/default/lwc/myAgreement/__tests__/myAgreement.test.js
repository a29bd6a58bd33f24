import { createElement } from 'lwc';
import MyAgreement, { addPercent } from 'c/myAgreement';
import getAgreementStanding from '@salesforce/apex/AgreementController.getAgreementStanding';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import STANDING_RESELLER from './data/standingReseller.json';
import STANDING_DISTRIBUTOR from './data/standingDistributor.json';
import CATALOG from './data/getCatalog.json';
import USER_RESELLER from './data/userReseller.json';
import USER_DISTRIBUTOR from './data/userDistributor.json';

jest.mock('@salesforce/apex/AgreementController.getAgreementStanding', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getCatalog', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SessionController.getCurrentUser', () => ({ default: jest.fn() }), { virtual: true });

// eslint-disable-next-line @lwc/lwc/no-async-operation
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount(user, standing) {
  getCurrentUser.mockResolvedValue(user);
  getAgreementStanding.mockResolvedValue(standing);
  getCatalog.mockResolvedValue(CATALOG);
  const element = createElement('c-my-agreement', { is: MyAgreement });
  document.body.appendChild(element);
  await settle();
  return element;
}

const cells = (row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent.trim());

describe('c-my-agreement', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows a reseller its tier, its bookings and how far the next tier is', async () => {
    const element = await mount(USER_RESELLER, STANDING_RESELLER);
    expect(getAgreementStanding).toHaveBeenCalledWith({});
    const card = element.shadowRoot.querySelector('article.agreement');
    expect(card.querySelector('h1').textContent).toBe('Agreement with Pacific Channel Distribution Inc.');
    expect(card.querySelector('.current-tier').textContent).toBe('Gold (+2 points)');
    expect(card.querySelector('.bookings').textContent).toBe('USD 55,474.20');
    expect(card.querySelector('.next-tier').textContent).toBe('USD 4,525.80 more bookings to reach Platinum (+4 points).');
    // 55474.20 of 60000.00
    expect(card.querySelector('[role="progressbar"]').getAttribute('aria-valuenow')).toBe('92');
    const current = card.querySelector('.tier-row.slds-theme_shade');
    expect(current.textContent).toContain('Gold');
    await expect(element).toBeAccessible();
  });

  it('lists the discounts by family and product with the tier bonus added', async () => {
    const element = await mount(USER_RESELLER, STANDING_RESELLER);
    const rows = [...element.shadowRoot.querySelectorAll('tr.rule-row')].map(cells);
    expect(rows).toEqual([
      ['All products', '—', '10 %', '12 %', '15 %'],
      ['Licenses (family)', '—', '18 %', '20 %', '—'],
      ['Subscriptions (family)', '—', '15 %', '17 %', '—'],
      ['Services (family)', '—', '8 %', '10 %', '—'],
      ['Northwind Analytics Enterprise licence', '25', '24 %', '26 %', '—'],
    ]);
  });

  it('shows a distributor its own agreement and where each of its resellers stands', async () => {
    const element = await mount(USER_DISTRIBUTOR, STANDING_DISTRIBUTOR);
    const cards = element.shadowRoot.querySelectorAll('article.agreement');
    expect(cards).toHaveLength(1);
    expect(cards[0].querySelector('.next-tier').textContent).toBe('USD 5,620.70 more bookings to reach Gold (+2 points).');
    const others = [...element.shadowRoot.querySelectorAll('tr.other-row')].map(cells);
    expect(others).toHaveLength(3);
    expect(others).toContainEqual([
      'Golden Gate Tech Solutions LLC',
      'Pacific Channel Distribution Inc.',
      'USD 55,474.20',
      'Gold',
      'USD 4,525.80 to Platinum',
    ]);
    await expect(element).toBeAccessible();
  });

  it('adds percentages exactly and caps them at 100', () => {
    expect(addPercent('18', '2')).toBe('20');
    expect(addPercent('12.5', '0.25')).toBe('12.75');
    expect(addPercent('0.1', '0.2')).toBe('0.3');
    expect(addPercent('99', '4')).toBe('100');
  });

  it('says why the agreements could not be read', async () => {
    getCurrentUser.mockResolvedValue(USER_RESELLER);
    getAgreementStanding.mockRejectedValue({ status: 401, body: { code: 'UNAUTHENTICATED', message: 'Sign in again.' } });
    getCatalog.mockResolvedValue(CATALOG);
    const element = createElement('c-my-agreement', { is: MyAgreement });
    document.body.appendChild(element);
    await settle();
    expect(element.shadowRoot.querySelector('.list-errors').textContent).toBe('Sign in again.');
  });
});
