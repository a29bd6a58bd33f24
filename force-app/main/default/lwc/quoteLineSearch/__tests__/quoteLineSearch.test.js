import { createElement } from 'lwc';
import QuoteLineSearch from 'c/quoteLineSearch';
import CATALOG from '../../quoteLineEditor/__tests__/data/catalog-sek.json';

function mount() {
  const element = createElement('c-quote-line-search', { is: QuoteLineSearch });
  Object.assign(element, { products: CATALOG.products, currency: 'SEK' });
  document.body.appendChild(element);
  return element;
}

async function search(element, text) {
  const query = element.shadowRoot.querySelector('[data-id="product-query"]');
  query.value = text;
  query.dispatchEvent(new CustomEvent('input'));
  await Promise.resolve();
  return query;
}

const results = (element) => [...element.shadowRoot.querySelectorAll('li[data-product-id]')].map((li) => li.dataset.productId);

describe('c-quote-line-search', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('matches SKU, name words and family, case insensitive', async () => {
    const element = mount();
    await search(element, 'lic-designer');
    expect(results(element)).toEqual(['lic-designer']);
    await search(element, 'ANALYTICS licence');
    expect(results(element)).toEqual(['lic-analytics-std']);
    await search(element, 'subscriptions');
    expect(results(element).sort()).toEqual(['sub-cloud-pro', 'sub-cloud-std', 'sub-support-std']);
    await search(element, 'nothing like this');
    expect(element.shadowRoot.textContent).toContain('No product matches');
  });

  it('adds the first match on Enter and a chosen one on its button', async () => {
    const element = mount();
    const added = [];
    element.addEventListener('addproduct', (e) => added.push(e.detail.productId));
    const query = await search(element, 'onboarding');
    query.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await search(element, 'cloud');
    element.shadowRoot.querySelector('lightning-button[data-product-id="sub-cloud-std"]').click();
    expect(added).toEqual(['svc-onboarding', 'sub-cloud-std']);
    await expect(element).toBeAccessible();
  });
});
