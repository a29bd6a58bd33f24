import { LightningElement, api } from 'lwc';

/**
 * The error alert of the portal pages: an SLDS error alert (role="alert") listing one message a line.
 * Light DOM, so the page's own classes on <c-cpq-error-alert> (list-errors, item-errors, margins) and its
 * queries (`.item-errors li`) reach the list as they did when the markup stood in each page.
 */
export default class CpqErrorAlert extends LightningElement {
  static renderMode = 'light';

  /** The messages, one list item each (each message is its own key: pages never show one twice). */
  @api messages = [];

  get items() {
    return Array.isArray(this.messages) ? this.messages : [];
  }
}
