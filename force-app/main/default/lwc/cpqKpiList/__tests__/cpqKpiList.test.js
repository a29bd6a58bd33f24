import { createElement } from 'lwc';
import CpqKpiList from 'c/cpqKpiList';

const ITEMS = [
  {
    key: 'wonValue',
    label: 'Won value',
    value: 'USD 32,263.91',
    definition: 'Customer total of the resale orders dated in the period.',
    className: 'kpi',
  },
  {
    key: 'winRate',
    label: 'Win rate',
    value: 'Not available yet',
    definition: 'Won ÷ created.',
    className: 'kpi kpi_unavailable',
  },
];

function mount(props) {
  const element = createElement('c-cpq-kpi-list', { is: CpqKpiList });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

describe('c-cpq-kpi-list', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('shows one box per KPI with its label, figure and definition', async () => {
    const element = mount({ items: ITEMS });
    await Promise.resolve();
    const boxes = [...element.querySelectorAll('ul.kpis > li > .kpi')];
    expect(boxes.map((b) => b.dataset.key)).toEqual(['wonValue', 'winRate']);
    expect(boxes.map((b) => [...b.querySelectorAll('p')].map((p) => p.textContent))).toEqual([
      ['Won value', 'USD 32,263.91', 'Customer total of the resale orders dated in the period.'],
      ['Win rate', 'Not available yet', 'Won ÷ created.'],
    ]);
    expect(element.querySelector('.kpi[data-key="winRate"]').className).toBe('kpi kpi_unavailable');
    expect(element.querySelector('li[data-key]')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('keys the list items too when asked', async () => {
    const element = mount({ items: ITEMS, keyItems: true });
    await Promise.resolve();
    expect([...element.querySelectorAll('li')].map((li) => li.dataset.key)).toEqual(['wonValue', 'winRate']);
  });
});
