import { LightningElement, api } from 'lwc';

/**
 * One group of KPI boxes (c/cpqKpis groups) as the dashboard and a partner's scorecard show them: each box
 * with its label, figure and definition. Light DOM, so the page's queries (`.kpi[data-key="wonValue"] .value`)
 * reach the boxes.
 *
 * `items`: { key, label, value, definition, className } (className: `kpi`, or `kpi kpi_unavailable`).
 */
export default class CpqKpiList extends LightningElement {
  static renderMode = 'light';

  @api items = [];
  /** Each list item carries the KPI's key too (data-key), as the dashboard's groups do. */
  @api keyItems = false;

  get boxes() {
    const items = Array.isArray(this.items) ? this.items : [];
    return items.map((k) => ({ ...k, itemKey: this.keyItems ? k.key : undefined }));
  }
}
