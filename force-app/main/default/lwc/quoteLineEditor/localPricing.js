/**
 * Live re-pricing in the browser with the one pricing engine (c/cpqEngine), for display while the user
 * types. The server prices every save itself and its figures replace these.
 *
 * Large quotes: the catalog is compiled once, each line is compiled once and again only when it is edited,
 * and after a re-price only the lines whose figures moved are serialised again (a quote-aggregated
 * discount schedule can move other lines than the edited one), so an edit on a 10,000-line quote costs
 * one engine pass plus a handful of lines.
 */
import { compileCatalog, compileQuote, minorUnits, parseScenario, priceQuote, serializeLine, viewFor } from 'c/cpqEngine';

/** An integer of minor units as a decimal string with exactly `decimals` decimals (exact, no floats). */
export function formatMinor(value, decimals) {
  const negative = value < 0;
  const digits = String(negative ? -value : value);
  if (decimals === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(decimals + 1, '0');
  const cut = padded.length - decimals;
  return `${negative ? '-' : ''}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}

/** A decimal string with exactly `decimals` decimals (as the server and serializeLine write them) to minor units. */
export function toMinor(text) {
  if (text === null || text === undefined) return 0;
  return parseInt(String(text).replace('.', ''), 10);
}

/** The fields of an engine line a client may set (never prices; renewalCustomerUnit is the server's). */
export function engineLine(input) {
  const line = { id: input.id, productId: input.productId, quantity: input.quantity };
  if (input.termMonths !== undefined && input.termMonths !== null && input.termMonths !== '')
    line.termMonths = Number(input.termMonths);
  if (input.additionalDiscountPercent) line.additionalDiscountPercent = input.additionalDiscountPercent;
  if (input.additionalDiscountAmount) line.additionalDiscountAmount = input.additionalDiscountAmount;
  if (input.group) line.group = input.group;
  if (input.renewalCustomerUnit) line.renewalCustomerUnit = input.renewalCustomerUnit;
  return line;
}

function sameTrace(a, b) {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.percent === b.percent && a.rule === b.rule && a.tier === b.tier && a.agreementId === b.agreementId;
}

function sameMessages(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].code !== b[i].code || a[i].message !== b[i].message) return false;
  return true;
}

/** True when two priced lines would serialise the same (the fields a partner sees). */
function samePricedLine(a, b) {
  return (
    a.lineId === b.lineId &&
    a.quantity === b.quantity &&
    a.termMonths === b.termMonths &&
    a.list === b.list &&
    a.regular === b.regular &&
    a.customer === b.customer &&
    a.partner === b.partner &&
    a.net === b.net &&
    a.customerTotal === b.customerTotal &&
    a.partnerTotal === b.partnerTotal &&
    a.netTotal === b.netTotal &&
    a.listTotal === b.listTotal &&
    a.regularTotal === b.regularTotal &&
    a.group === b.group &&
    a.additionalPercent === b.additionalPercent &&
    a.additionalAmount === b.additionalAmount &&
    a.additionalFromQuote === b.additionalFromQuote &&
    a.capPercent === b.capPercent &&
    a.approvalRequired === b.approvalRequired &&
    (a.volume?.tierIndex ?? -1) === (b.volume?.tierIndex ?? -1) &&
    (a.volume?.countedQuantity ?? -1) === (b.volume?.countedQuantity ?? -1) &&
    sameTrace(a.partnerDiscount, b.partnerDiscount) &&
    sameTrace(a.distributorDiscount, b.distributorDiscount) &&
    sameMessages(a.warnings, b.warnings) &&
    sameMessages(a.errors, b.errors)
  );
}

export class LocalPricer {
  /**
   * @param context QuoteController.getPricingContext's result: { view, pricingDate, scenario }.
   * @param inputs the quote's lines as entered (ids, products, quantities, discounts).
   */
  constructor(context, inputs) {
    this.view = context.view;
    // Validate the reference part once; the lines are validated field by field as the user edits them.
    const parsed = parseScenario({ ...context.scenario, quote: { ...context.scenario.quote, lines: [] } });
    if (!parsed.ok) throw new Error(`the pricing context is invalid: ${parsed.issues.map((i) => i.message).join('; ')}`);
    this.catalog = compileCatalog(parsed.value);
    this.header = parsed.value.quote;
    this.decimals = minorUnits(this.header.currency);
    this.setLines(inputs);
  }

  /** Replaces all lines (first load, after a save). */
  setLines(inputs) {
    this.compiled = compileQuote({ ...this.header, lines: inputs.map(engineLine) });
    this.previous = undefined;
  }

  /**
   * Header fields that change prices: the quote term (prorates subscriptions), the start date and the quote
   * discount (the additional discount of every line with none of its own).
   */
  setHeader({ startDate, termMonths, additionalDiscountPercent }) {
    const header = { ...this.header, startDate };
    if (termMonths) header.termMonths = Number(termMonths);
    else delete header.termMonths;
    if (additionalDiscountPercent) header.additionalDiscountPercent = additionalDiscountPercent;
    else delete header.additionalDiscountPercent;
    this.header = header;
    const lines = this.compiled.lines;
    this.compiled = { ...compileQuote({ ...header, lines: [] }), lines };
  }

  compileLine(input) {
    return compileQuote({ ...this.header, lines: [engineLine(input)] }).lines[0];
  }

  updateLine(index, input) {
    this.compiled.lines[index] = this.compileLine(input);
  }

  insertLine(index, input) {
    this.compiled.lines.splice(index, 0, this.compileLine(input));
    this.previous?.lines.splice(index, 0, undefined);
  }

  removeLine(index) {
    this.compiled.lines.splice(index, 1);
    this.previous?.lines.splice(index, 1);
  }

  moveLine(from, to) {
    const [line] = this.compiled.lines.splice(from, 1);
    this.compiled.lines.splice(to, 0, line);
    if (this.previous) {
      const [priced] = this.previous.lines.splice(from, 1);
      this.previous.lines.splice(to, 0, priced);
    }
  }

  /** Prices once to know the figures the server already showed, so the first edit serialises one line. */
  seed() {
    try {
      this.previous = priceQuote(this.catalog, this.compiled);
    } catch {
      this.previous = undefined;
    }
  }

  /**
   * Prices every line with the engine and returns what changed since the last call:
   * `changed` = [{ index, line }] with `line` serialised and cut to the viewer's view; `totals` (decimal
   * strings, viewer's view, null when too large); `approvalRequired`; `ok` false with `error` when the
   * quote cannot be priced at all (amounts past exact range).
   */
  price() {
    let priced;
    try {
      priced = priceQuote(this.catalog, this.compiled);
    } catch (error) {
      return { ok: false, error: error?.message ?? String(error), changed: [], totals: null, approvalRequired: false };
    }
    const previous = this.previous?.lines;
    const changed = [];
    for (let i = 0; i < priced.lines.length; i++) {
      const line = priced.lines[i];
      const before = previous?.[i];
      if (before && samePricedLine(before, line)) continue;
      changed.push({ index: i, line: this.viewLine(serializeLine(line, this.decimals)) });
    }
    this.previous = priced;
    return { ok: true, changed, totals: this.totals(priced), approvalRequired: priced.approvalRequired };
  }

  viewLine(json) {
    return viewFor({ distributor: null, totals: null, lines: [json] }, this.view).lines[0];
  }

  totals(priced) {
    if (priced.totalsTooLarge) return null;
    const d = this.decimals;
    const t = priced.totals;
    const totals = {
      list: formatMinor(t.list, d),
      regular: formatMinor(t.regular, d),
      customer: formatMinor(t.customer, d),
      partner: formatMinor(t.partner, d),
      resellerMargin: formatMinor(t.resellerMargin, d),
    };
    if (this.view !== 'reseller') {
      totals.net = formatMinor(t.net, d);
      totals.distributorMargin = formatMinor(t.distributorMargin, d);
    }
    return totals;
  }
}
