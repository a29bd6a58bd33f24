import { LightningElement, api } from 'lwc';
import { formatMoney } from 'c/cpqUtils';

const MAX_RESULTS = 20;

/**
 * Product search for the quote line editor: matches name, SKU or family (all words, any order, case
 * insensitive) among the catalog's products priced in the quote's currency; "Add" sends `addproduct`.
 */
export default class QuoteLineSearch extends LightningElement {
  /** CatalogResult.products (getCatalog): { id, name, sku, family, type, termMonths, listPrice }. */
  @api products = [];
  @api currency;
  @api disabled = false;

  query = '';

  get priced() {
    return (this.products || []).filter((p) => p.listPrice !== null && p.listPrice !== undefined);
  }

  get results() {
    const words = this.query.trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    const results = [];
    for (const p of this.priced) {
      const haystack = `${p.name || ''} ${p.sku || ''} ${p.family || ''} ${p.id}`.toLowerCase();
      if (words.every((w) => haystack.includes(w))) {
        results.push({
          id: p.id,
          name: p.name || p.id,
          detail: [p.sku, p.family, p.type === 'subscription' && p.termMonths ? `${p.termMonths} months` : null]
            .filter(Boolean)
            .join(' · '),
          price: `${formatMoney(p.listPrice, this.currency)}`,
          addLabel: `Add ${p.name || p.id}`,
        });
        if (results.length === MAX_RESULTS) break;
      }
    }
    return results;
  }

  get hasResults() {
    return this.results.length > 0;
  }

  get noMatch() {
    return this.query.trim() !== '' && !this.hasResults;
  }

  get status() {
    if (!this.query.trim()) return '';
    const n = this.results.length;
    return n === 0 ? 'No product matches.' : `${n}${n === MAX_RESULTS ? '+' : ''} product${n === 1 ? '' : 's'} found.`;
  }

  handleQuery(event) {
    this.query = event.target.value;
  }

  handleKeyDown(event) {
    if (event.key === 'Enter' && this.hasResults) {
      event.preventDefault();
      this.add(this.results[0].id);
    } else if (event.key === 'Escape') {
      this.query = '';
      event.target.value = '';
    }
  }

  handleAdd(event) {
    this.add(event.currentTarget.dataset.productId);
  }

  add(productId) {
    this.dispatchEvent(new CustomEvent('addproduct', { detail: { productId } }));
  }
}
