import { createElement } from 'lwc';
import CpqDealSummary from 'c/cpqDealSummary';

const DEAL = {
  number: 'DR-0007',
  customerText: 'Nordlys AB',
  statusClass: 'slds-badge status',
  statusLabel: 'Submitted',
  partyLabel: 'Reseller',
  partyName: 'Fjord Reseller',
  showDistributor: true,
  distributorName: 'Nordic Distribution',
  familiesText: 'Cloud, Services',
  valueText: 'SEK 120,000.00',
  closeText: '31 Jan 2027',
  submittedText: '5 Dec 2026',
  hasNote: true,
  note: 'Tender closes in January.',
  decisionText: 'Approved on 6 Dec 2026',
  lastComment: 'Go ahead.',
  protection: 'Protected until 4 Mar 2027',
  hasItemErrors: false,
  errors: [],
};

function mount(props) {
  const element = createElement('c-cpq-deal-summary', { is: CpqDealSummary });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

const facts = (element) =>
  [...element.querySelectorAll('.deal-facts dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent]);

describe('c-cpq-deal-summary', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('shows a registration to decide with when it was registered and the reseller comment', async () => {
    const element = mount({ deal: DEAL, toDecide: true });
    await Promise.resolve();
    expect(element.querySelector('.deal-heading').textContent).toBe('DR-0007 · Nordlys AB');
    expect(element.querySelector('[data-id="status"]').textContent).toBe('Submitted');
    expect(facts(element)).toEqual([
      ['Reseller', 'Fjord Reseller'],
      ['Distributor', 'Nordic Distribution'],
      ['Product families', 'Cloud, Services'],
      ['Expected value', 'SEK 120,000.00'],
      ['Expected close', '31 Jan 2027'],
      ['Registered', '5 Dec 2026'],
      ["Reseller's comment", 'Tender closes in January.'],
    ]);
    expect(element.querySelector('.protection').textContent).toBe('Protected until 4 Mar 2027');
    expect(element.querySelector('.item-errors')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows any other registration with its decision and comment, and its errors', async () => {
    const element = mount({
      deal: { ...DEAL, showDistributor: false, hasItemErrors: true, errors: ['Somebody changed this registration.'] },
    });
    await Promise.resolve();
    expect(facts(element)).toEqual([
      ['Reseller', 'Fjord Reseller'],
      ['Product families', 'Cloud, Services'],
      ['Expected value', 'SEK 120,000.00'],
      ['Expected close', '31 Jan 2027'],
      ['Decision', 'Approved on 6 Dec 2026'],
      ['Comment', 'Go ahead.'],
    ]);
    expect(element.querySelector('.item-errors [role="alert"]').textContent).toBe('Somebody changed this registration.');
    await expect(element).toBeAccessible();
  });

  it('leaves out the decision and comment a registration does not have', async () => {
    const element = mount({ deal: { ...DEAL, decisionText: '', lastComment: '' } });
    await Promise.resolve();
    expect(facts(element).map(([label]) => label)).toEqual([
      'Reseller',
      'Distributor',
      'Product families',
      'Expected value',
      'Expected close',
    ]);
  });
});
