import { LightningElement, api } from 'lwc';

/**
 * "Paste lines": a text area for rows copied from a spreadsheet (SKU, quantity, term, discount %). Sends the
 * text up as `pastelines`; the editor checks every row and either adds the lines or hands back `errors`.
 */
export default class QuoteLinePaste extends LightningElement {
  @api disabled = false;
  /** The rows' problems, from the editor (nothing was added). */
  @api errors = [];

  open = false;
  text = '';

  get hasErrors() {
    return (this.errors || []).length > 0;
  }

  get errorItems() {
    return (this.errors || []).map((message, index) => ({ key: `e${index}`, message }));
  }

  get addDisabled() {
    return this.disabled || !this.text.trim();
  }

  /** After the lines were added: closed and empty. */
  @api
  reset() {
    this.text = '';
    this.open = false;
  }

  handleOpen() {
    this.open = true;
  }

  handleCancel() {
    this.reset();
    this.dispatchEvent(new CustomEvent('pastecancel'));
  }

  handleText(event) {
    this.text = event.target.value ?? '';
  }

  handleKeydown(event) {
    if (event.key === 'Escape') this.handleCancel();
  }

  handleAdd() {
    this.dispatchEvent(new CustomEvent('pastelines', { detail: { text: this.text } }));
  }
}
