import { createElement } from 'lwc';
import ResellerOrderTerms from 'c/resellerOrderTerms';
import listOrderTerms from '@salesforce/apex/AgreementController.listOrderTerms';
import setOrderTerms from '@salesforce/apex/AgreementController.setOrderTerms';

jest.mock('@salesforce/apex/AgreementController.listOrderTerms', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AgreementController.setOrderTerms', () => ({ default: jest.fn() }), { virtual: true });

jest.setTimeout(30000);

// eslint-disable-next-line @lwc/lwc/no-async-operation
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const TERMS = [
  {
    agreementId: 'a-r1',
    resellerId: 'r1',
    resellerName: 'Maple Leaf IT',
    distributorId: 'd1',
    distributorName: 'Pacific Channel',
    autoFulfil: false,
    creditLimit: null,
    creditLimitCurrency: null,
    openOrderValue: null,
  },
  {
    agreementId: 'a-r2',
    resellerId: 'r2',
    resellerName: 'Golden Gate Tech',
    distributorId: 'd1',
    distributorName: 'Pacific Channel',
    autoFulfil: true,
    creditLimit: '25000.00',
    creditLimitCurrency: 'USD',
    openOrderValue: '8000.00',
  },
];

async function mount(role, terms = TERMS) {
  listOrderTerms.mockResolvedValue(terms);
  const element = createElement('c-reseller-order-terms', { is: ResellerOrderTerms });
  element.role = role;
  const toasts = [];
  element.addEventListener('lightning__showtoast', (e) => toasts.push(e.detail));
  document.body.appendChild(element);
  await settle();
  return { element, toasts };
}

const row = (element, key) => element.shadowRoot.querySelector(`tr[data-key="${key}"]`);
const field = (element, key, id) => row(element, key).querySelector(`[data-id="${id}"]`);

function change(input, value, checked) {
  if (checked !== undefined) input.checked = checked;
  else input.value = value;
  input.dispatchEvent(new CustomEvent('change'));
}

describe('c-reseller-order-terms', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('lists a distributor’s resellers with auto-fulfil, limit and open orders', async () => {
    const { element } = await mount('distributorUser');
    const cells = [...element.shadowRoot.querySelectorAll('tr.terms-row')].map((r) => [
      r.querySelector('th').textContent,
      r.querySelector('[data-id="auto-fulfil"]').checked,
      r.querySelector('[data-id="credit-limit"]').value,
      r.querySelector('.open').textContent,
    ]);
    expect(cells).toEqual([
      ['Maple Leaf IT', false, '', '—'],
      ['Golden Gate Tech', true, '25000.00', 'USD 8,000.00'],
    ]);
    // Nothing changed yet: nothing to save.
    expect(field(element, 'a-r1', 'save-terms').disabled).toBe(true);
    await expect(element).toBeAccessible();
  });

  it('switches auto-fulfil on with a limit and saves it', async () => {
    const { element, toasts } = await mount('distributorUser');
    change(field(element, 'a-r1', 'auto-fulfil'), undefined, true);
    change(field(element, 'a-r1', 'credit-limit'), ' 10000 ');
    await settle();
    setOrderTerms.mockResolvedValue({
      ...TERMS[0],
      autoFulfil: true,
      creditLimit: '10000.00',
      creditLimitCurrency: 'USD',
      openOrderValue: '0.00',
    });
    field(element, 'a-r1', 'save-terms').click();
    await settle();
    expect(setOrderTerms).toHaveBeenCalledWith({
      resellerId: 'r1',
      autoFulfil: true,
      creditLimit: '10000',
      creditLimitCurrency: 'USD',
    });
    expect(field(element, 'a-r1', 'credit-limit').value).toBe('10000.00');
    expect(row(element, 'a-r1').querySelector('.open').textContent).toBe('USD 0.00');
    expect(toasts.map((t) => t.message)).toEqual(["Maple Leaf IT's orders are placed at once up to USD 10,000.00."]);
  });

  it('refuses a negative limit at once and shows the server’s word on the field', async () => {
    const { element } = await mount('distributorUser');
    change(field(element, 'a-r2', 'credit-limit'), '-5');
    await settle();
    field(element, 'a-r2', 'save-terms').click();
    await settle();
    expect(setOrderTerms).not.toHaveBeenCalled();
    expect(row(element, 'a-r2').querySelector('.limit-error').textContent).toBe('The credit limit must not be negative.');

    change(field(element, 'a-r2', 'credit-limit'), '10.005');
    await settle();
    setOrderTerms.mockRejectedValue({
      body: {
        message: JSON.stringify({
          code: 'INVALID_INPUT',
          message: 'creditLimit: must have at most 2 decimals in USD (got "10.005")',
          issues: [{ path: 'creditLimit', message: 'must have at most 2 decimals in USD (got "10.005")' }],
        }),
      },
    });
    field(element, 'a-r2', 'save-terms').click();
    await settle();
    expect(row(element, 'a-r2').querySelector('.limit-error').textContent).toBe(
      'Credit limit: must have at most 2 decimals in USD (got "10.005")',
    );
  });

  it('tells a reseller how its orders are handled, with nothing to change', async () => {
    const { element } = await mount('resellerUser');
    expect(element.shadowRoot.querySelector('table')).toBeNull();
    expect([...element.shadowRoot.querySelectorAll('.terms-sentence')].map((p) => p.textContent)).toEqual([
      'Your orders through Pacific Channel go to it as order requests; it places them.',
      'Your orders through Pacific Channel are placed at once from its stock while your open orders stay within USD 25,000.00 (open now: USD 8,000.00); otherwise they go to Pacific Channel as order requests.',
    ]);
  });
});
