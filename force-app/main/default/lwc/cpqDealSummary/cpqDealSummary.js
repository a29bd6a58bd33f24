import { LightningElement, api } from 'lwc';

/**
 * What a deal registration's item on /deals shows above its actions: number and customer, status, the facts
 * (party, distributor, families, expected value and close), the protection line and the item's errors.
 * A registration to decide adds when it was registered and the reseller's comment; any other adds the decision
 * and its comment. Light DOM, so the page's queries (`.deal-heading`, `.protection`, `.item-errors`) reach it.
 *
 * `deal`: one item of c/dealRegistrations (toDecide / others), already formatted.
 */
export default class CpqDealSummary extends LightningElement {
  static renderMode = 'light';

  @api deal;
  /** The item waits for the viewer's decision (the "to decide" list). */
  @api toDecide = false;

  get item() {
    return this.deal ?? {};
  }
}
