import { createElement } from 'lwc';
import CpqLineTable from 'c/cpqLineTable';

const LINES = [
  {
    key: 'l1',
    product: 'Cloud Standard',
    quantity: '10',
    termText: '12 mo',
    customerUnitText: 'SEK 100.00',
    customerAmountText: 'SEK 1,000.00',
    partnerUnitText: 'SEK 80.00',
    partnerAmountText: 'SEK 800.00',
    netUnitText: 'SEK 60.00',
    netAmountText: 'SEK 600.00',
  },
  {
    key: 'l2',
    product: 'Onboarding',
    quantity: '1',
    termText: '',
    customerUnitText: 'SEK 500.00',
    customerAmountText: 'SEK 500.00',
    partnerUnitText: 'SEK 400.00',
    partnerAmountText: 'SEK 400.00',
    netUnitText: 'SEK 300.00',
    netAmountText: 'SEK 300.00',
  },
];

function mount(props) {
  const element = createElement('c-cpq-line-table', { is: CpqLineTable });
  Object.assign(
    element,
    { heading: 'Lines (2 lines)', caption: 'The lines', tableName: 'lines-table', rowName: 'line-row', lines: LINES },
    props,
  );
  document.body.appendChild(element);
  return element;
}

const headers = (element) => [...element.querySelectorAll('.lines-table thead th')].map((th) => th.textContent);
const cells = (row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent);

describe('c-cpq-line-table', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('shows every price column to a viewer who may see resale and Net prices', async () => {
    const element = mount({ showResale: true, showNet: true, amountLabel: 'value' });
    await Promise.resolve();
    expect(element.querySelector('h2').textContent).toBe('Lines (2 lines)');
    expect(element.querySelector('table').className).toBe(
      'slds-table slds-table_bordered slds-table_cell-buffer slds-max-medium-table_stacked lines-table',
    );
    expect(element.querySelector('caption').textContent).toBe('The lines');
    expect(headers(element)).toEqual([
      'Product',
      'Quantity',
      'Term',
      'Customer unit',
      'Customer value',
      'Partner unit',
      'Partner value',
      'Net unit',
      'Net value',
    ]);
    const rows = [...element.querySelectorAll('tr.line-row')];
    expect(rows.map(cells)).toEqual([
      ['Cloud Standard', '10', '12 mo', 'SEK 100.00', 'SEK 1,000.00', 'SEK 80.00', 'SEK 800.00', 'SEK 60.00', 'SEK 600.00'],
      ['Onboarding', '1', '', 'SEK 500.00', 'SEK 500.00', 'SEK 400.00', 'SEK 400.00', 'SEK 300.00', 'SEK 300.00'],
    ]);
    expect(rows[0].querySelector('td[data-label="Customer value"]').textContent).toBe('SEK 1,000.00');
    await expect(element).toBeAccessible();
  });

  it('leaves the Net columns out when the viewer may not see Net prices', async () => {
    const element = mount({ showResale: true, showNet: false });
    await Promise.resolve();
    expect(headers(element)).toEqual([
      'Product',
      'Quantity',
      'Term',
      'Customer unit',
      'Customer total',
      'Partner unit',
      'Partner total',
    ]);
    expect(element.querySelector('.net-unit')).toBeNull();
    expect(element.textContent).not.toContain('SEK 60.00');
  });

  it('shows only Net prices for a stock order', async () => {
    const element = mount({ showResale: false, showNet: true });
    await Promise.resolve();
    expect(headers(element)).toEqual(['Product', 'Quantity', 'Net unit', 'Net total']);
    expect(cells(element.querySelector('tr.line-row'))).toEqual(['Cloud Standard', '10', 'SEK 60.00', 'SEK 600.00']);
    await expect(element).toBeAccessible();
  });
});
