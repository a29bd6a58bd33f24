import { LightningElement, api } from 'lwc';

/**
 * The card of priced lines that an order (/order/<id>) and a contract (/contract/<id>) show: product, quantity,
 * then, as the viewer may see them, Term with the Customer and Partner unit prices and amounts, and the Net
 * unit price and amount. Light DOM, so the page's queries (`.lines-table thead th`, `tr.line-row`) reach it.
 *
 * `lines`: { key, product, quantity, termText, customerUnitText, customerAmountText, partnerUnitText,
 * partnerAmountText, netUnitText, netAmountText }, formatted by the page.
 */
export default class CpqLineTable extends LightningElement {
  static renderMode = 'light';

  /** The card's heading, e.g. "Lines (3 lines)". */
  @api heading = '';
  /** The table's caption, for assistive technology. */
  @api caption = '';
  /** The class that names the table (lines-table, subscriptions-table). */
  @api tableName = '';
  /** The class of each row (line-row, subscription-row). */
  @api rowName = '';
  /** What an amount is called in the headers: "total" (an order) or "value" (a contract). */
  @api amountLabel = 'total';
  /** Term, Customer and Partner columns (a stock order has only Net prices). */
  @api showResale = false;
  /** Net columns: only when the server sent Net prices (never to a reseller). */
  @api showNet = false;
  @api lines = [];

  get rows() {
    return Array.isArray(this.lines) ? this.lines : [];
  }

  get tableClass() {
    return `slds-table slds-table_bordered slds-table_cell-buffer slds-max-medium-table_stacked ${this.tableName}`.trim();
  }

  get customerAmountHeader() {
    return `Customer ${this.amountLabel}`;
  }

  get partnerAmountHeader() {
    return `Partner ${this.amountLabel}`;
  }

  get netAmountHeader() {
    return `Net ${this.amountLabel}`;
  }
}
