import { LightningElement, api } from 'lwc';
import { CHANNEL_CONFLICT_TEXT, formatMoney } from 'c/cpqUtils';

/**
 * The quote lines as a virtualised table: only the rows in view plus a buffer are rendered (fixed row
 * height, spacer rows above and below in a scroll container), so 10,000 lines scroll and edit like 30.
 * Rows are built for the window only. Edits go up as `lineinput` events; the editor re-prices and hands
 * back new entries.
 *
 * Keyboard: Tab moves through the cells' inputs and buttons; Enter commits the cell (re-prices at once);
 * Escape puts back the value the cell had when it got focus; ArrowUp / ArrowDown move to the same cell of
 * the line above / below (scrolling it into view), and the focus stays on the cell as the window moves.
 *
 * Phones and narrow windows (quoteLineGrid.css, max-width 48em): the same rows, cells and inputs laid out as
 * a card per line (each cell with its column's name), so nothing scrolls sideways. A card is taller than a
 * row, and of one fixed height too: the window's arithmetic takes the row height from the layout (the
 * distance between two rendered rows), measured after each render and when the window is resized.
 */

export const ROW_HEIGHT = 40;
const VIEWPORT_ROWS = 12;
const BUFFER = 10;

const FIELD_LABELS = {
  group: 'Group',
  quantity: 'Quantity',
  termMonths: 'Term (months)',
  additionalDiscountPercent: 'Additional discount %',
  additionalDiscountAmount: 'Additional discount amount per unit',
};

/** The columns a click on the header sorts the lines by (a view: the saved order does not change). */
export const SORT_LABELS = {
  product: 'product',
  group: 'group',
  quantity: 'quantity',
  customerTotal: 'customer total',
  partnerTotal: 'partner total',
  netTotal: 'net total',
};

const money = (value) => (value === null || value === undefined ? '—' : formatMoney(value));
const text = (value) => (value === null || value === undefined ? '' : String(value));

export default class QuoteLineGrid extends LightningElement {
  /** [{ key, input, view, product: { name, sku, type }, errors: { field: message } | null }] */
  @api entries = [];
  /** Net and distributor margin columns: never for a reseller. */
  @api showNet = false;
  @api readOnly = false;
  @api currency = '';
  @api selectedKey;
  /** The keys of the lines ticked for a mass edit. */
  @api checkedKeys = [];
  /** The entries are a filtered part of the quote's lines (numbers come with them; no moving). */
  @api filtered = false;
  /** The column the lines are sorted by (SORT_LABELS key) and 'ascending' | 'descending'; none: the quote's order. */
  @api sortField;
  @api sortDirection;

  firstRow = 0;
  /** The height of a rendered line in px: ROW_HEIGHT as a table row, a card's on a phone (measured). */
  rowHeight = ROW_HEIGHT;
  focusValue;
  pendingFocus;
  keepFocus;

  /** Per sortable column: aria-sort, the arrow and what a click does. */
  get sort() {
    const result = {};
    for (const [field, label] of Object.entries(SORT_LABELS)) {
      const current = field === this.sortField ? this.sortDirection : undefined;
      const next = current === 'ascending' ? 'descending' : current === 'descending' ? undefined : 'ascending';
      result[field] = {
        ariaSort: current ?? 'none',
        arrow: current === 'ascending' ? ' ▲' : current === 'descending' ? ' ▼' : '',
        title: next ? `Sort the lines by ${label}, ${next}` : 'Show the lines in the quote’s order',
      };
    }
    return result;
  }

  /** A click on a sortable header: ascending, then descending, then the quote's own order again. */
  handleSort(event) {
    const field = event.currentTarget.dataset.sort;
    const current = field === this.sortField ? this.sortDirection : undefined;
    const direction = current === 'ascending' ? 'descending' : current === 'descending' ? undefined : 'ascending';
    this.fire('linesort', { field: direction ? field : undefined, direction });
  }

  get lineCount() {
    return this.entries ? this.entries.length : 0;
  }

  get ariaRowCount() {
    return this.lineCount + 1;
  }

  get editable() {
    return !this.readOnly;
  }

  get tableClass() {
    const base = 'slds-table slds-table_bordered slds-table_cell-buffer slds-table_fixed-layout slds-no-row-hover grid-table';
    return this.readOnly ? `${base} grid-table_readonly` : base;
  }

  /** Every line rendered (a short quote): on a phone the cards then take the page's scroll, not a box's. */
  get viewportClass() {
    return this.lineCount <= VIEWPORT_ROWS + BUFFER
      ? 'grid-viewport slds-scrollable grid-viewport_all'
      : 'grid-viewport slds-scrollable';
  }

  get isEmpty() {
    return this.lineCount === 0;
  }

  get columnCount() {
    return this.showNet ? 16 : 14;
  }

  get window() {
    const first = Math.max(0, this.firstRow - BUFFER);
    const last = Math.min(this.lineCount, this.firstRow + VIEWPORT_ROWS + BUFFER);
    return { first, last };
  }

  get topSpacerStyle() {
    return `height: ${this.window.first * this.rowHeight}px`;
  }

  get bottomSpacerStyle() {
    return `height: ${(this.lineCount - this.window.last) * this.rowHeight}px`;
  }

  get hasTopSpacer() {
    return this.window.first > 0;
  }

  get hasBottomSpacer() {
    return this.window.last < this.lineCount;
  }

  get caption() {
    return `Quote lines (${this.lineCount}), prices in ${this.currency}`;
  }

  /** The rendered rows: the window only. */
  get rows() {
    const { first, last } = this.window;
    const checked = new Set(this.checkedKeys || []);
    const rows = [];
    for (let i = first; i < last; i++) rows.push({ ...this.row(this.entries[i], i), selected: checked.has(this.entries[i].key) });
    return rows;
  }

  get allSelected() {
    const checked = new Set(this.checkedKeys || []);
    return this.lineCount > 0 && this.entries.every((e) => checked.has(e.key));
  }

  handleSelect(event) {
    this.fire('lineselect', { key: event.target.dataset.key, selected: event.target.checked });
  }

  handleSelectAll(event) {
    this.fire('lineselect', { all: event.target.checked });
  }

  row(entry, index) {
    // A filtered list carries each line's number in the quote (`entry.number`); the full list counts.
    const n = entry.number ?? index + 1;
    const view = entry.view;
    const input = entry.input;
    const errors = entry.errors || {};
    const product = entry.product || {};
    // APPROVAL_REQUIRED has its own badge; the warning badge counts the others.
    const allWarnings = view ? view.warnings : [];
    const approvalWarning = allWarnings.find((w) => w.code === 'APPROVAL_REQUIRED');
    // CHANNEL_CONFLICT has its own badge too (CHANNEL.md): explained without naming the partner that registered.
    const channelConflict = allWarnings.some((w) => w.code === 'CHANNEL_CONFLICT');
    const warnings = allWarnings.filter((w) => w.code !== 'APPROVAL_REQUIRED' && w.code !== 'CHANNEL_CONFLICT');
    const lineErrors = view ? view.errors : [];
    const fromQuote = view && view.additionalDiscount && view.additionalDiscount.fromQuote;
    const quotePercent = fromQuote ? view.additionalDiscount.percent || '' : '';
    const field = (name) => ({
      value: text(input[name]),
      label: `${FIELD_LABELS[name]} for line ${n}`,
      error: errors[name] || '',
      invalid: errors[name] ? 'true' : 'false',
      className: errors[name] ? 'slds-input cell-input cell-input_invalid' : 'slds-input cell-input',
    });
    return {
      key: entry.key,
      number: n,
      index,
      ariaRowIndex: n + 1,
      rowClass: entry.key === this.selectedKey ? 'grid-row slds-is-selected' : 'grid-row',
      productName: product.name || input.productId,
      productTitle: `${product.name || input.productId}${product.sku ? ` (${product.sku})` : ''}`,
      sku: product.sku || '',
      group: field('group'),
      quantity: field('quantity'),
      termMonths: field('termMonths'),
      termEditable: product.type === 'subscription',
      termText: view && view.termMonths ? String(view.termMonths) : '—',
      // The term the line is priced for when it has none of its own (the quote's, else the product's).
      termPlaceholder: view && view.termMonths ? String(view.termMonths) : '',
      percent: field('additionalDiscountPercent'),
      // A line without a discount of its own takes the quote discount (PRICING-NOTES.md): the cell shows it greyed.
      percentPlaceholder: quotePercent,
      percentText: text(input.additionalDiscountPercent) || (quotePercent ? `${quotePercent} (quote)` : ''),
      percentTitle: quotePercent ? `Line ${n} takes the quote discount of ${quotePercent} %` : '',
      amount: field('additionalDiscountAmount'),
      listUnit: money(view && view.list.unit),
      customerUnit: money(view && view.customer.unit),
      customerTotal: money(view && view.customer.total),
      partnerTotal: money(view && view.partner.total),
      resellerMargin: money(view && view.resellerMargin),
      netTotal: money(view && view.net && view.net.total),
      distributorMargin: money(view && view.distributorMargin),
      approvalRequired: Boolean(view && view.approvalRequired),
      approvalTitle: `Line ${n} needs the distributor's approval: ${
        approvalWarning ? approvalWarning.message : "its additional discount is above the agreement's cap"
      }`,
      channelConflict,
      channelConflictTitle: `Line ${n}: ${CHANNEL_CONFLICT_TEXT}`,
      hasWarnings: warnings.length > 0,
      warningText: warnings.map((w) => w.message).join('\n'),
      warningLabel: warnings.length === 1 ? 'Warning' : `${warnings.length} warnings`,
      hasErrors: lineErrors.length > 0,
      errorText: lineErrors.map((e) => e.message).join('\n'),
      errorLabel: lineErrors.length === 1 ? 'Error' : `${lineErrors.length} errors`,
      breakdownLabel: `Price breakdown of line ${n}`,
      // The line's note for the customer (docs/DOCUMENT.md): a filled icon when it has one.
      hasNote: Boolean(input.notes),
      noteLabel: input.notes ? `Note for the customer on line ${n} (has a note)` : `Add a note for the customer on line ${n}`,
      noteVariant: input.notes ? 'brand' : 'border-filled',
      showNoteButton: !this.readOnly || Boolean(input.notes),
      upLabel: `Move line ${n} up`,
      downLabel: `Move line ${n} down`,
      cloneLabel: `Clone line ${n}`,
      deleteLabel: `Delete line ${n}`,
      selectLabel: `Select line ${n}`,
      // Moving a line among filtered ones would be guesswork: only in the full list.
      isFirst: index === 0 || this.filtered,
      isLast: index === this.lineCount - 1 || this.filtered,
    };
  }

  handleScroll(event) {
    const first = Math.floor(event.target.scrollTop / this.rowHeight);
    // Re-render only when the window moves by a row, not on every scrolled pixel.
    if (first === this.firstRow) return;
    // Moving the window can move the focused row's element in the DOM, and a moved element loses focus (after
    // row 18 of a long quote, ArrowDown left the focus on the page): the cell that had it gets it back.
    const cell = this.template.activeElement?.dataset;
    if (cell?.key && (cell.field || cell.action)) this.keepFocus = { key: cell.key, name: cell.field || cell.action };
    this.firstRow = first;
  }

  /** Brings line `index` (0-based) into view. */
  @api
  scrollToLine(index) {
    const viewport = this.refs.viewport;
    const top = Math.max(0, index - 2) * this.rowHeight;
    if (viewport) viewport.scrollTop = top;
    this.firstRow = Math.max(0, index - 2);
  }

  /** Scrolls to a line and focuses one of its cells (`field`) or buttons (`action`) once rendered. */
  @api
  focusCell(key, name) {
    const index = this.entries.findIndex((e) => e.key === key);
    if (index < 0) return;
    const { first, last } = this.window;
    if (index < first + 1 || index >= last - 1) this.scrollToLine(index);
    this.pendingFocus = { key, name };
    this.applyPendingFocus();
  }

  connectedCallback() {
    this.resizeListener = () => this.measureRows();
    window.addEventListener('resize', this.resizeListener);
  }

  disconnectedCallback() {
    window.removeEventListener('resize', this.resizeListener);
  }

  renderedCallback() {
    this.measureRows();
    this.applyPendingFocus();
    this.restoreFocus();
  }

  /**
   * The row height the layout gives (a table row, or a card on a phone): the distance between the tops of
   * two rendered rows (margins included), else one row's height. Nothing laid out (no rows, or jsdom): kept.
   * When it changes, the viewport scrolls to keep the same first line in view.
   */
  measureRows() {
    const rendered = this.template.querySelectorAll('tr.grid-row');
    if (rendered.length === 0) return;
    const first = rendered[0].getBoundingClientRect();
    const height = rendered.length > 1 ? rendered[1].getBoundingClientRect().top - first.top : first.height;
    if (!(height > 0) || Math.abs(height - this.rowHeight) < 0.5) return;
    this.rowHeight = height;
    const viewport = this.refs.viewport;
    if (viewport) viewport.scrollTop = this.firstRow * height;
  }

  restoreFocus() {
    if (!this.keepFocus) return;
    const target = this.cellElement(this.keepFocus.key, this.keepFocus.name);
    this.keepFocus = undefined;
    if (target && this.template.activeElement !== target) target.focus({ preventScroll: true });
  }

  cellElement(key, name) {
    const row = this.template.querySelector(`tr[data-id="${key}"]`);
    return row && (row.querySelector(`[data-field="${name}"]`) || row.querySelector(`[data-action="${name}"]`));
  }

  applyPendingFocus() {
    if (!this.pendingFocus) return;
    const { key, name } = this.pendingFocus;
    const target = this.cellElement(key, name);
    if (target) {
      this.pendingFocus = undefined;
      target.focus();
    }
  }

  fire(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }

  handleFocus(event) {
    this.focusValue = event.target.value;
  }

  handleInput(event) {
    const { key, field } = event.target.dataset;
    this.fire('lineinput', { key, field, value: event.target.value, commit: false });
  }

  handleChange(event) {
    const { key, field } = event.target.dataset;
    this.fire('lineinput', { key, field, value: event.target.value, commit: true });
  }

  handleKeyDown(event) {
    const target = event.target;
    const { key, field } = target.dataset;
    if (event.key === 'Enter') {
      event.preventDefault();
      this.focusValue = target.value;
      this.fire('lineinput', { key, field, value: target.value, commit: true });
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (this.focusValue !== undefined && target.value !== this.focusValue) {
        target.value = this.focusValue;
        this.fire('lineinput', { key, field, value: this.focusValue, commit: true });
      }
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      const index = this.entries.findIndex((e) => e.key === key);
      const next = this.entries[index + (event.key === 'ArrowUp' ? -1 : 1)];
      if (next) this.focusCell(next.key, field);
    }
  }

  handleAction(event) {
    const { key, action } = event.currentTarget.dataset;
    this.fire('lineaction', { key, action });
  }
}
