import type { CompiledRule } from './catalog.js';
import { PERCENT_DECIMALS, QUANTITY_DECIMALS, formatScaled, formatScaledShort, divRound } from './exact.js';
import type { ChannelTrace, PricedLine, PricedQuote, VolumeTrace } from './pricing.js';

/**
 * The priced quote as JSON: every amount a decimal string with the currency's minor unit ("855.00",
 * JPY "1849"), percentages and quantities in their shortest exact form ("12.5"). This is the shape
 * of `sf cpq price --json`, of the portal's controllers, and of what the editor shows.
 */

export type StagePriceJson = { unit: string | null; total: string | null };

export type RuleJson = {
  index: number;
  id: string | null;
  scope: CompiledRule['scope'];
  value: string | null;
  minQuantity: string | null;
};

export type ChannelDiscountJson = {
  agreementId: string | null;
  rule: RuleJson | null;
  tier: string | null;
  rulePercent: string;
  bonusPercent: string;
  /** Only on a line a registered deal's bonus applies to (CHANNEL.md): the registration and its points. */
  registeredDealId?: string;
  registeredDealBonusPercent?: string;
  percent: string;
};

export type VolumeDiscountJson = {
  scheduleId: string;
  type: VolumeTrace['type'];
  aggregation: VolumeTrace['aggregation'];
  countedQuantity: string;
  tier: number | null;
  /** Exact when it fits 6 decimals; a slab's weighted average is shown rounded to 6 decimals otherwise. */
  percent: string;
};

export type PricedLineJson = {
  lineId: string;
  productId: string;
  group: string | null;
  quantity: string;
  termMonths: number | null;
  list: StagePriceJson;
  regular: StagePriceJson;
  customer: StagePriceJson;
  partner: StagePriceJson;
  net: StagePriceJson;
  resellerMargin: string | null;
  distributorMargin: string | null;
  /** Customer carried from the contract being renewed (renewal methods same and uplift). */
  renewalCustomerUnit: boolean;
  volumeDiscount: VolumeDiscountJson | null;
  /** `fromQuote` only when the percent is the quote's additional discount (the line has none of its own). */
  additionalDiscount: {
    percent: string | null;
    amount: string | null;
    capPercent: string | null;
    capRuleIndex: number | null;
    fromQuote?: true;
  };
  partnerDiscount: ChannelDiscountJson | null;
  distributorDiscount: ChannelDiscountJson | null;
  approvalRequired: boolean;
  /** The vendor must approve: BELOW_PRICE_FLOOR, ABOVE_VENDOR_APPROVAL_PERCENT or CHANNEL_CONFLICT among the warnings. */
  vendorApprovalRequired: boolean;
  /** The price floor in force on the line (minNetPercentOfList) and whose it is; null when none. */
  priceFloor: { percent: string; source: 'product' | 'family' } | null;
  warnings: { code: string; message: string; stage?: 'partner' | 'distributor' }[];
  errors: { code: string; message: string }[];
};

export type PricedQuoteJson = {
  quoteId: string | null;
  currency: string;
  roundingMode: PricedQuote['roundingMode'];
  channelMode: PricedQuote['channelMode'];
  pricingDate: string;
  reseller: { agreementId: string | null; bookings: string; tier: string | null };
  distributor: { agreementId: string | null; bookings: string; tier: string | null };
  lines: PricedLineJson[];
  totals: {
    list: string;
    regular: string;
    customer: string;
    partner: string;
    net: string;
    resellerMargin: string;
    distributorMargin: string;
  } | null;
  approvalRequired: boolean;
  vendorApprovalRequired: boolean;
  orderable: boolean;
};

const pct = (value: number): string => formatScaledShort(value, PERCENT_DECIMALS);
const qty = (value: number): string => formatScaledShort(value, QUANTITY_DECIMALS);

function ruleJson(rule: CompiledRule): RuleJson {
  return {
    index: rule.index,
    id: rule.id ?? null,
    scope: rule.scope,
    value: rule.value ?? null,
    minQuantity: rule.minQuantity > 0 ? qty(rule.minQuantity) : null,
  };
}

function channelJson(
  trace: ChannelTrace | undefined,
  cache?: Map<ChannelTrace, ChannelDiscountJson>,
): ChannelDiscountJson | null {
  if (!trace) return null;
  // Lines that resolve to the same rule share one trace, and so one (frozen) JSON object.
  const cached = cache?.get(trace);
  if (cached) return cached;
  const json: ChannelDiscountJson = Object.freeze({
    agreementId: trace.agreementId ?? null,
    rule: trace.rule ? ruleJson(trace.rule) : null,
    tier: trace.tier ?? null,
    rulePercent: pct(trace.rulePercent),
    bonusPercent: pct(trace.bonusPercent),
    ...(trace.registeredDealId === undefined
      ? {}
      : { registeredDealId: trace.registeredDealId, registeredDealBonusPercent: pct(trace.registeredDealBonusPercent) }),
    percent: pct(trace.percent),
  });
  cache?.set(trace, json);
  return json;
}

const money = (value: number | undefined, decimals: number): string | null =>
  value === undefined ? null : formatScaled(value, decimals);

function volumeJson(v: VolumeTrace | undefined): VolumeDiscountJson | null {
  if (!v) return null;
  return {
    scheduleId: v.scheduleId,
    type: v.type,
    aggregation: v.aggregation,
    countedQuantity: qty(v.countedQuantity),
    tier: v.tierIndex ?? null,
    percent: pct(divRound(v.percentNumerator, v.percentDenominator, 'halfUp')),
  };
}

export function serializeLine(
  line: PricedLine,
  decimals: number,
  cache?: Map<ChannelTrace, ChannelDiscountJson>,
): PricedLineJson {
  const d = decimals;
  return {
    lineId: line.lineId,
    productId: line.productId,
    group: line.group ?? null,
    quantity: qty(line.quantity),
    termMonths: line.termMonths ?? null,
    list: { unit: money(line.list, d), total: money(line.listTotal, d) },
    regular: { unit: money(line.regular, d), total: money(line.regularTotal, d) },
    customer: { unit: money(line.customer, d), total: money(line.customerTotal, d) },
    partner: { unit: money(line.partner, d), total: money(line.partnerTotal, d) },
    net: { unit: money(line.net, d), total: money(line.netTotal, d) },
    resellerMargin: money(line.resellerMargin, d),
    distributorMargin: money(line.distributorMargin, d),
    renewalCustomerUnit: line.renewalCustomerUnit,
    volumeDiscount: volumeJson(line.volume),
    additionalDiscount: {
      percent: line.additionalPercent === undefined ? null : pct(line.additionalPercent),
      amount: money(line.additionalAmount, d),
      capPercent: line.capPercent === undefined ? null : pct(line.capPercent),
      capRuleIndex: line.capRule?.index ?? null,
      ...(line.additionalFromQuote ? { fromQuote: true as const } : {}),
    },
    partnerDiscount: channelJson(line.partnerDiscount, cache),
    distributorDiscount: channelJson(line.distributorDiscount, cache),
    approvalRequired: line.approvalRequired,
    vendorApprovalRequired: line.vendorApprovalRequired,
    priceFloor:
      line.floorPercent === undefined || line.floorSource === undefined
        ? null
        : { percent: pct(line.floorPercent), source: line.floorSource },
    warnings: line.warnings,
    errors: line.errors,
  };
}

/** The engine's result each PricedQuoteJson was made from (a save compares raw lines: see AnsweredFigures). */
const pricedFrom = new WeakMap<PricedQuoteJson, PricedQuote>();

/** The engine's result `json` was serialised from, when serializePricedQuote made it. */
export function pricedQuoteOf(json: PricedQuoteJson): PricedQuote | undefined {
  return pricedFrom.get(json);
}

/**
 * `lines` (default: every line of the quote) say which priced lines to serialise: a save answers only the
 * lines whose figures changed, and turning the other 100 lines' figures into strings was a sixth of its time.
 */
export function serializePricedQuote(q: PricedQuote, lines: readonly PricedLine[] = q.lines): PricedQuoteJson {
  const json = serializeQuote(q, lines);
  if (lines === q.lines) pricedFrom.set(json, q);
  return json;
}

function serializeQuote(q: PricedQuote, lines: readonly PricedLine[]): PricedQuoteJson {
  const d = q.currencyDecimals;
  const total = (value: number): string => formatScaled(value, d);
  const cache = new Map<ChannelTrace, ChannelDiscountJson>();
  const bookings = (value: bigint): string => formatBig(value, q.bookingsDecimals);
  return {
    quoteId: q.quoteId ?? null,
    currency: q.currency,
    roundingMode: q.roundingMode,
    channelMode: q.channelMode,
    pricingDate: q.pricingDate,
    reseller: {
      agreementId: q.reseller.agreementId ?? null,
      bookings: bookings(q.reseller.bookings),
      tier: q.reseller.tier ?? null,
    },
    distributor: {
      agreementId: q.distributor.agreementId ?? null,
      bookings: bookings(q.distributor.bookings),
      tier: q.distributor.tier ?? null,
    },
    lines: lines.map((l) => serializeLine(l, d, cache)),
    totals: q.totalsTooLarge
      ? null
      : {
          list: total(q.totals.list),
          regular: total(q.totals.regular),
          customer: total(q.totals.customer),
          partner: total(q.totals.partner),
          net: total(q.totals.net),
          resellerMargin: total(q.totals.resellerMargin),
          distributorMargin: total(q.totals.distributorMargin),
        },
    approvalRequired: q.approvalRequired,
    vendorApprovalRequired: q.vendorApprovalRequired,
    orderable: q.orderable,
  };
}

function formatBig(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString();
  if (decimals === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(decimals + 1, '0');
  return (negative ? '-' : '') + padded.slice(0, -decimals) + '.' + padded.slice(-decimals);
}
