import { createElement } from 'lwc';
import QuoteLineWaterfall from 'c/quoteLineWaterfall';
import QUOTE_RESELLER from '../../quoteLineEditor/__tests__/data/quote-reseller.json';
import QUOTE_DISTRIBUTOR from '../../quoteLineEditor/__tests__/data/quote-distributor.json';

function mount(line, showNet) {
  const element = createElement('c-quote-line-waterfall', { is: QuoteLineWaterfall });
  Object.assign(element, { line, showNet, lineNumber: 1, productName: 'Northwind Analytics Standard licence', currency: 'SEK' });
  document.body.appendChild(element);
  return element;
}

const stage = (element, name, col) =>
  element.shadowRoot.querySelector(`tr[data-stage="${name}"] [data-col="${col}"]`).textContent;

describe('c-quote-line-waterfall', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('shows List to Partner for a reseller, with the volume tier and the partner agreement', async () => {
    const element = mount(QUOTE_RESELLER.pricing.lines[0], false);
    const names = [...element.shadowRoot.querySelectorAll('tr[data-stage]')].map((tr) => tr.dataset.stage);
    expect(names).toEqual(['List', 'Regular', 'Customer', 'Partner']);
    expect(stage(element, 'Regular', 'unit')).toBe('11,610.00');
    expect(stage(element, 'Regular', 'why')).toContain('tier 2, quantity counted 12');
    // Without names (none passed), the id is the last resort.
    expect(stage(element, 'Partner', 'why')).toContain('agreement ag-r-nordic-d-emea');
    expect(element.shadowRoot.textContent).not.toContain('Distributor margin');
    await expect(element).toBeAccessible();
  });

  it('names the agreements by their parties and name, the schedule by its name and the rule by its number', () => {
    const element = mount(QUOTE_RESELLER.pricing.lines[0], false);
    element.names = {
      reseller: 'Fjord IT Partners AB',
      distributor: 'Nordlys Distribution AB',
      agreements: { 'ag-r-nordic-d-emea': 'Nordic 2026' },
      schedules: { 'ds-licence-volume': 'Licence volume (per line)' },
    };
    return Promise.resolve().then(() => {
      expect(stage(element, 'Regular', 'why')).toContain('schedule “Licence volume (per line)”');
      expect(stage(element, 'Partner', 'why')).toContain(
        "from Fjord IT Partners AB's agreement with Nordlys Distribution AB (“Nordic 2026”): rule 2 (family Licenses)",
      );
      expect(element.shadowRoot.textContent).not.toMatch(/ag-r-nordic|ds-licence/);
    });
  });

  it('says what a line above the cap means for the quote in its status', async () => {
    const line = { ...QUOTE_RESELLER.pricing.lines[0], approvalRequired: true };
    const element = mount(line, false);
    const sentence = () => element.shadowRoot.querySelector('[data-id="waterfall-approval"]').textContent;
    expect(sentence()).toContain('the distributor must approve this quote');
    element.quoteStatus = 'NeedsApproval';
    await Promise.resolve();
    expect(sentence()).toContain("waits for the distributor's approval");
    element.quoteStatus = 'Accepted';
    await Promise.resolve();
    expect(sentence()).toContain('the distributor approved it');
  });

  it('adds Net and the distributor margin for a distributor', () => {
    const element = mount(QUOTE_DISTRIBUTOR.pricing.lines[0], true);
    expect(stage(element, 'Net', 'total')).toBe('72,265.32');
    expect(element.shadowRoot.textContent).toContain('Distributor margin: 30,970.80');
  });

  it('never shows Net when not allowed, even if the line carried it', () => {
    const element = mount(QUOTE_DISTRIBUTOR.pricing.lines[0], false);
    expect(element.shadowRoot.querySelector('tr[data-stage="Net"]')).toBeNull();
  });

  it('scales the bars to List', () => {
    const element = mount(QUOTE_RESELLER.pricing.lines[0], false);
    const bar = element.shadowRoot.querySelector('tr[data-stage="Regular"] rect.bar');
    expect(bar.getAttribute('width')).toBe('90.00%'); // 11610.00 / 12900.00
  });
});

describe('c-quote-line-waterfall: channel conflict', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('explains a line in CHANNEL_CONFLICT without naming anyone, for the quote in its status', async () => {
    const line = {
      ...QUOTE_RESELLER.pricing.lines[0],
      vendorApprovalRequired: true,
      warnings: [
        {
          code: 'CHANNEL_CONFLICT',
          message: 'another partner has registered this end customer for Licenses: the vendor must approve',
        },
      ],
    };
    const element = mount(line, false);
    const sentence = () => element.shadowRoot.querySelector('[data-id="waterfall-channel-conflict"]').textContent;
    expect(sentence()).toBe(
      'Another partner has registered this customer for this product family. The vendor must approve before this quote can be accepted.',
    );
    // Said once, in these words: not again in the warning list.
    expect(element.shadowRoot.textContent).not.toContain('Warning CHANNEL_CONFLICT');
    element.quoteStatus = 'NeedsApproval';
    await Promise.resolve();
    expect(sentence()).toContain('waits for the vendor’s approval');
    element.quoteStatus = 'Accepted';
    await Promise.resolve();
    expect(sentence()).toContain('The vendor approved this quote');
    await expect(element).toBeAccessible();
  });

  it('says nothing of a conflict on a line without one', () => {
    const element = mount(QUOTE_RESELLER.pricing.lines[0], false);
    expect(element.shadowRoot.querySelector('[data-id="waterfall-channel-conflict"]')).toBeNull();
  });
});
