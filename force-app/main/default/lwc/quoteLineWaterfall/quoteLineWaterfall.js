import { LightningElement, api } from 'lwc';
import { approvalSentence, approvalStillNeeded, channelConflictSentence, formatMoney } from 'c/cpqUtils';

/**
 * The price waterfall of one line: List → Regular → Customer → Partner → Net (Net only where the viewer
 * may see it), as bars scaled to List, with what gave each step: the volume schedule and tier, the
 * reseller's additional discount and cap, the agreement, rule and tier of each channel discount. Reads the
 * line's trace as priced (PricedLineJson, or its reseller view without Net).
 */

// People read names, not record ids: rules by their number in the agreement and what they cover, agreements by
// their parties (and their name where they have one), schedules by name. An id shows only when no name is known.
function ruleText(rule) {
  if (!rule) return 'no matching rule';
  const scope = rule.scope === 'all' ? 'all products' : `${rule.scope} ${rule.value}`;
  const min = rule.minQuantity ? `, from quantity ${rule.minQuantity}` : '';
  return `rule ${rule.index + 1} (${scope}${min})`;
}

function agreementText(discount, who, names) {
  const named = names.agreements?.[discount.agreementId];
  const parties =
    who === 'partner'
      ? names.reseller && names.distributor && `${names.reseller}'s agreement with ${names.distributor}`
      : names.distributor && `${names.distributor}'s agreement with the vendor`;
  if (parties) return named ? `${parties} (“${named}”)` : parties;
  return named ? `agreement “${named}”` : `agreement ${discount.agreementId}`;
}

function channelText(discount, who, names) {
  if (!discount) return `No ${who} discount.`;
  if (!discount.agreementId) return `No ${who} agreement: discount 0 %.`;
  const bonus = discount.bonusPercent && discount.bonusPercent !== '0' ? ` + ${discount.bonusPercent} % tier bonus` : '';
  const tier = discount.tier ? ` Tier ${discount.tier}.` : '';
  return `${discount.percent} % ${who} discount from ${agreementText(discount, who, names)}: ${ruleText(discount.rule)} gives ${discount.rulePercent} %${bonus}.${tier}`;
}

function volumeText(volume, names) {
  if (!volume) return 'No volume discount schedule.';
  const tier = volume.tier === null ? 'below the first tier' : `tier ${volume.tier + 1}`;
  const schedule = names.schedules?.[volume.scheduleId] ?? volume.scheduleId;
  return `${volume.percent} % volume discount: schedule “${schedule}” (${volume.type}, ${volume.aggregation}), ${tier}, quantity counted ${volume.countedQuantity}.`;
}

function additionalText(line) {
  if (line.renewalCustomerUnit) return 'Customer price carried from the contract being renewed.';
  const a = line.additionalDiscount || {};
  const cap = a.capPercent ? ` (cap ${a.capPercent} %${line.approvalRequired ? ': above it, needs approval' : ''})` : '';
  if (a.percent && a.fromQuote) return `${a.percent} % additional discount from the quote discount${cap}.`;
  if (a.percent) return `${a.percent} % additional discount${cap}.`;
  if (a.amount) return `${formatMoney(a.amount)} additional discount per unit${cap}.`;
  return 'No additional discount.';
}

export default class QuoteLineWaterfall extends LightningElement {
  @api line;
  @api lineNumber;
  @api productName;
  @api currency;
  @api showNet = false;
  /** The quote's status: whether a line above the cap still needs approval. */
  @api quoteStatus;
  /** `{ reseller, distributor, agreements: {id: name}, schedules: {id: name} }`: what the trace's ids are called. */
  @api names = {};

  get heading() {
    return `Price breakdown of line ${this.lineNumber}: ${this.productName}`;
  }

  get stages() {
    const line = this.line;
    if (!line || !line.list || line.list.unit === null) return [];
    const list = Number(line.list.unit) || 0;
    const stages = [
      { name: 'List', price: line.list, why: line.termMonths ? `List price for ${line.termMonths} months.` : 'List price.' },
      { name: 'Regular', price: line.regular, why: volumeText(line.volumeDiscount, this.names || {}) },
      { name: 'Customer', price: line.customer, why: additionalText(line) },
      { name: 'Partner', price: line.partner, why: channelText(line.partnerDiscount, 'partner', this.names || {}) },
    ];
    if (this.showNet && line.net)
      stages.push({ name: 'Net', price: line.net, why: channelText(line.distributorDiscount, 'distributor', this.names || {}) });
    return stages.map((s) => {
      // Bar widths are display geometry only; the figures shown are the exact decimal strings.
      const ratio = list > 0 && s.price.unit !== null ? Math.max(0, Math.min(1, Number(s.price.unit) / list)) : 0;
      return {
        key: s.name,
        name: s.name,
        unit: s.price.unit === null ? '—' : formatMoney(s.price.unit),
        total: s.price.total === null ? '—' : formatMoney(s.price.total),
        why: s.why,
        barWidth: `${(ratio * 100).toFixed(2)}%`,
        barClass: `bar bar_${s.name.toLowerCase()}`,
      };
    });
  }

  get hasStages() {
    return this.stages.length > 0;
  }

  get chartLabel() {
    return this.stages.map((s) => `${s.name} ${s.unit}`).join(', ');
  }

  get warnings() {
    // CHANNEL_CONFLICT is explained in words of its own below (channelConflictText).
    return (this.line?.warnings || [])
      .filter((w) => w.code !== 'CHANNEL_CONFLICT')
      .map((w, i) => ({ key: `w${i}`, code: w.code, message: w.message }));
  }

  /** CHANNEL.md: another reseller's registration protects this customer and family; the vendor must approve. */
  get channelConflict() {
    return (this.line?.warnings || []).some((w) => w.code === 'CHANNEL_CONFLICT');
  }

  get channelConflictText() {
    return channelConflictSentence(this.quoteStatus ?? 'Draft');
  }

  get channelConflictClass() {
    const open = this.quoteStatus === undefined || ['Draft', 'Rejected', 'NeedsApproval'].includes(this.quoteStatus);
    return open ? 'slds-text-color_error slds-m-top_x-small' : 'slds-text-color_weak slds-m-top_x-small';
  }

  get errors() {
    return (this.line?.errors || []).map((e, i) => ({ key: `e${i}`, code: e.code, message: e.message }));
  }

  get hasWarnings() {
    return this.warnings.length > 0;
  }

  get hasErrors() {
    return this.errors.length > 0;
  }

  get approvalRequired() {
    return Boolean(this.line?.approvalRequired);
  }

  /** What the cap means for the quote in its status (cpqUtils approvalSentence): to approve, waiting, approved. */
  get approvalText() {
    return approvalSentence(this.quoteStatus ?? 'Draft');
  }

  get approvalClass() {
    const open = approvalStillNeeded(this.quoteStatus ?? 'Draft', true);
    return open ? 'slds-text-color_error slds-m-top_x-small' : 'slds-text-color_weak slds-m-top_x-small';
  }

  get margins() {
    const line = this.line || {};
    const margins = [{ key: 'reseller', label: 'Reseller margin', value: formatMoney(line.resellerMargin) }];
    if (this.showNet && line.distributorMargin !== undefined) {
      margins.push({ key: 'distributor', label: 'Distributor margin', value: formatMoney(line.distributorMargin) });
    }
    return margins;
  }

  handleClose() {
    this.dispatchEvent(new CustomEvent('close'));
  }

  handleKeydown(event) {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this.handleClose();
  }

  /** Opened from a line's button: focus moves to the panel (its Close button), so that Esc and Tab work in it. */
  @api
  focus() {
    this.template.querySelector('[data-id="close-waterfall"]')?.focus();
  }
}
