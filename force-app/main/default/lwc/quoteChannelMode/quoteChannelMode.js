import { LightningElement, api } from 'lwc';
import setChannelMode from '@salesforce/apex/QuoteController.setChannelMode';
import { errorMessages, formatDate } from 'c/cpqUtils';

const MODE_LABELS = Object.freeze({ sequential: 'Sequential', offList: 'Off list' });
const AGREEMENT = 'agreement';

/**
 * The channel mode of one quote (PRICING.md): the mode of the reseller's agreement with the distributor, or
 * the vendor admin's override of this quote, recorded with who set it. Everybody reads it; only the vendor
 * admin changes it (QuoteController.setChannelMode, which refuses anyone else), and only on a Draft or
 * Rejected quote. Fires `channelmodechange` with the new QuoteDetail once the server has repriced the quote.
 */
export default class QuoteChannelMode extends LightningElement {
  /** QuoteDetail.quote */
  @api quote;
  /** The mode the quote is priced in (QuoteDetail.pricing.channelMode). */
  @api pricedMode;
  /** The signed-in user's role. */
  @api role;

  choice;
  saving = false;
  errors = [];

  get overridden() {
    return Boolean(this.quote && this.quote.channelMode);
  }

  get modeLabel() {
    return MODE_LABELS[this.pricedMode] ?? this.pricedMode ?? '';
  }

  get sourceText() {
    if (!this.overridden) return 'from the reseller’s agreement with the distributor';
    const who = this.quote.channelModeSetByName || 'the vendor';
    const when = this.quote.channelModeSetAt ? ` on ${formatDate(this.quote.channelModeSetAt.slice(0, 10))}` : '';
    return `set for this quote by ${who}${when}`;
  }

  get canChange() {
    return this.role === 'vendorAdmin' && this.quote && (this.quote.status === 'Draft' || this.quote.status === 'Rejected');
  }

  get currentChoice() {
    return this.choice ?? (this.overridden ? this.quote.channelMode : AGREEMENT);
  }

  get options() {
    return [
      { value: AGREEMENT, label: 'As the agreement says' },
      { value: 'sequential', label: 'Sequential (override)' },
      { value: 'offList', label: 'Off list (override)' },
    ].map((o) => ({ ...o, isSelected: o.value === this.currentChoice }));
  }

  get unchanged() {
    return this.saving || this.currentChoice === (this.overridden ? this.quote.channelMode : AGREEMENT);
  }

  get hasErrors() {
    return this.errors.length > 0;
  }

  handleChoice(event) {
    this.choice = event.target.value;
    this.errors = [];
  }

  async handleApply() {
    this.saving = true;
    this.errors = [];
    try {
      const detail = await setChannelMode({
        quoteId: this.quote.id,
        version: this.quote.version,
        channelMode: this.currentChoice === AGREEMENT ? null : this.currentChoice,
      });
      this.choice = undefined;
      this.dispatchEvent(new CustomEvent('channelmodechange', { detail }));
    } catch (error) {
      this.errors = errorMessages(error);
    } finally {
      this.saving = false;
    }
  }
}
