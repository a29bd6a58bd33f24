import { LightningElement } from 'lwc';
import getQuote from '@salesforce/apex/QuoteController.getQuote';

/**
 * Bench only (not deployed): the same quote lines as the quote line editor shows, in a plain
 * lightning-datatable with as many columns, so the bench can put the editor's first render next to it.
 * Sets window.__benchDatatable = { rows, renderedAt } once the table's rows are in the DOM.
 */
export default class Datatable extends LightningElement {
  rows;
  columns = [
    { label: '#', fieldName: 'number', type: 'number', initialWidth: 60 },
    { label: 'Product', fieldName: 'product' },
    { label: 'Qty', fieldName: 'quantity', editable: true },
    { label: 'Add. %', fieldName: 'percent', editable: true },
    { label: 'List unit', fieldName: 'listUnit' },
    { label: 'Customer unit', fieldName: 'customerUnit' },
    { label: 'Customer total', fieldName: 'customerTotal' },
    { label: 'Partner total', fieldName: 'partnerTotal' },
    { label: 'Reseller margin', fieldName: 'resellerMargin' },
  ];

  async connectedCallback() {
    const quoteId = new URLSearchParams(window.location.search).get('quoteId');
    const detail = await getQuote({ quoteId });
    const lines = new Map(detail.quote.lines.map((l) => [l.id, l]));
    this.rows = detail.pricing.lines.map((p, index) => {
      const line = lines.get(p.lineId) || {};
      return {
        id: p.lineId,
        number: index + 1,
        product: line.productId,
        quantity: String(line.quantity),
        percent: line.additionalDiscountPercent || '',
        listUnit: p.listUnit,
        customerUnit: p.customerUnit,
        customerTotal: p.customerTotal,
        partnerTotal: p.partnerTotal,
        resellerMargin: p.resellerMargin,
      };
    });
    this.waitForRows();
  }

  waitForRows() {
    const check = () => {
      const table = this.template.querySelector('lightning-datatable');
      const root = table && table.shadowRoot;
      const count = root ? root.querySelectorAll('tbody tr').length : 0;
      if (count > 0) {
        window.__benchDatatable = { rows: count, renderedAt: performance.now() };
        return;
      }
      // eslint-disable-next-line @lwc/lwc/no-async-operation
      requestAnimationFrame(check);
    };
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    requestAnimationFrame(check);
  }
}
