import { findAgreement, reachedTier, resolveCapRule, resolveRule, trailingBookings, type ReachedTier } from './agreements.js';
import type { CompiledAgreement, CompiledProduct, CompiledRule, CompiledSchedule, PricingCatalog } from './catalog.js';
import { percentOf, quantityOf, scaled } from './catalog.js';
import {
  AmountTooLargeError,
  HUNDRED_PERCENT,
  PERCENT_DECIMALS,
  formatScaledShort,
  QUANTITY_SCALE,
  bigMulDivRound,
  compareProducts,
  mulDivRound,
  mulSubMulDivRound,
  numberFraction,
  type RoundingMode,
} from './exact.js';
import { type ChannelMode, type Quote, currencyDecimals } from './scenario.js';

/**
 * The waterfall of PRICING.md: List -> Regular -> Customer -> Partner -> Net for every line, with the
 * trace of what gave each discount. Works on integers only (see exact.ts); `serialize.ts` turns the
 * result into the decimal strings partners see.
 */

export type LineErrorCode =
  'NO_PRICE' | 'DISCOUNT_PERCENT_AND_AMOUNT' | 'NON_DISCOUNTABLE' | 'NEGATIVE_PRICE' | 'AMOUNT_TOO_LARGE';
export type LineWarningCode =
  | 'NO_AGREEMENT'
  | 'NON_PARTNER_DISCOUNTABLE'
  | 'APPROVAL_REQUIRED'
  | 'BELOW_PRICE_FLOOR'
  | 'ABOVE_VENDOR_APPROVAL_PERCENT'
  | 'CHANNEL_CONFLICT';
/** `stage` says which channel discount a NO_AGREEMENT warning is about (the reseller never sees the distributor's). */
export type LineMessage<C extends string> = { code: C; message: string; stage?: 'partner' | 'distributor' };

/** A quote ready to price: every decimal already an integer. */
export type CompiledQuote = {
  id: string | undefined;
  resellerId: string;
  distributorId: string;
  endCustomerId: string;
  currency: string;
  pricingDate: string;
  termMonths: number | undefined;
  channelMode: ChannelMode | undefined;
  /** The quote's additional discount: the default percent of the discountable lines with no discount of their own. */
  additionalPercent: number | undefined;
  /** The registration the quote was converted from, and the families it protects. */
  registeredDeal: { id: string; families: ReadonlySet<string> } | undefined;
  /** Families protected for this end customer by another reseller's registration (CHANNEL_CONFLICT). */
  channelConflictFamilies: ReadonlySet<string>;
  lines: CompiledLine[];
};

export type CompiledLine = {
  id: string;
  productId: string;
  quantity: number;
  termMonths: number | undefined;
  additionalPercent: number | undefined;
  additionalAmount: number | undefined;
  /** Renewal methods same and uplift: the Customer unit is carried from the contract. */
  renewalCustomerUnit: number | undefined;
  group: string | undefined;
};

export type VolumeTrace = {
  scheduleId: string;
  type: CompiledSchedule['type'];
  aggregation: CompiledSchedule['aggregation'];
  countedQuantity: number;
  /** Range: the tier that held the quantity. Slab: the highest tier reached. Undefined below the first tier. */
  tierIndex: number | undefined;
  /**
   * Effective percent = percentNumerator / percentDenominator scaled percent units: exact for slabs, except past
   * 2^53 where the fraction cannot be reduced into range and is rounded halfUp to 1e-6 percent (as it is shown).
   */
  percentNumerator: number;
  percentDenominator: number;
};

/**
 * Always present: with no agreement or no matching rule, rule is undefined and percent 0. Frozen and
 * shared by the lines of a quote that resolve to the same rule.
 */
export type ChannelTrace = {
  agreementId: string | undefined;
  rule: CompiledRule | undefined;
  tier: string | undefined;
  rulePercent: number;
  bonusPercent: number;
  /** The registration whose protected family earned registeredDealBonusPercent (partner stage only). */
  registeredDealId: string | undefined;
  registeredDealBonusPercent: number;
  /** The discount applied: rule + tier bonus + deal bonus, at most 100 %; 0 for nonPartnerDiscountable products. */
  percent: number;
};

export type PricedLine = {
  lineId: string;
  productId: string;
  group: string | undefined;
  quantity: number;
  termMonths: number | undefined;
  list: number | undefined;
  regular: number | undefined;
  customer: number | undefined;
  partner: number | undefined;
  net: number | undefined;
  listTotal: number | undefined;
  regularTotal: number | undefined;
  customerTotal: number | undefined;
  partnerTotal: number | undefined;
  netTotal: number | undefined;
  resellerMargin: number | undefined;
  distributorMargin: number | undefined;
  /** True when Customer was carried from a contract by a renewal (methods same and uplift). */
  renewalCustomerUnit: boolean;
  volume: VolumeTrace | undefined;
  /** The additional discount applied: the line's own, or the quote's (additionalFromQuote). */
  additionalPercent: number | undefined;
  additionalAmount: number | undefined;
  /** True when additionalPercent is the quote's additional discount, the line having none of its own. */
  additionalFromQuote: boolean;
  capPercent: number | undefined;
  capRule: CompiledRule | undefined;
  partnerDiscount: ChannelTrace | undefined;
  distributorDiscount: ChannelTrace | undefined;
  approvalRequired: boolean;
  /** The vendor must approve (CHANNEL.md): below the price floor, or an additional discount above the vendor's limit. */
  vendorApprovalRequired: boolean;
  /** The price floor that applied (scaled percent) and where it came from; undefined when none is set. */
  floorPercent: number | undefined;
  floorSource: 'product' | 'family' | undefined;
  warnings: LineMessage<LineWarningCode>[];
  errors: LineMessage<LineErrorCode>[];
};

export type QuoteTotals = {
  list: number;
  regular: number;
  customer: number;
  partner: number;
  net: number;
  resellerMargin: number;
  distributorMargin: number;
};

export type PartyTrace = {
  agreementId: string | undefined;
  bookings: bigint;
  tier: string | undefined;
};

export type PricedQuote = {
  quoteId: string | undefined;
  currency: string;
  currencyDecimals: number;
  roundingMode: RoundingMode;
  channelMode: ChannelMode;
  pricingDate: string;
  bookingsCurrency: string;
  bookingsDecimals: number;
  reseller: PartyTrace;
  distributor: PartyTrace;
  lines: PricedLine[];
  totals: QuoteTotals;
  /** Totals exceeded exact range: the quote carries no totals. */
  totalsTooLarge: boolean;
  approvalRequired: boolean;
  vendorApprovalRequired: boolean;
  orderable: boolean;
};

/** Parses a validated quote's decimals once. */
export function compileQuote(q: Quote): CompiledQuote {
  const decimals = currencyDecimals(q.currency);
  return {
    id: q.id,
    resellerId: q.resellerId,
    distributorId: q.distributorId,
    endCustomerId: q.endCustomerId,
    currency: q.currency,
    pricingDate: q.pricingDate ?? q.startDate,
    termMonths: q.termMonths,
    channelMode: q.channelMode,
    additionalPercent: q.additionalDiscountPercent === undefined ? undefined : percentOf(q.additionalDiscountPercent),
    registeredDeal: q.registeredDeal && { id: q.registeredDeal.id, families: new Set(q.registeredDeal.families) },
    channelConflictFamilies: new Set(q.channelConflictFamilies),
    lines: q.lines.map((l, i) => ({
      id: l.id ?? `L${i + 1}`,
      productId: l.productId,
      quantity: quantityOf(l.quantity),
      termMonths: l.termMonths,
      additionalPercent: l.additionalDiscountPercent === undefined ? undefined : percentOf(l.additionalDiscountPercent),
      additionalAmount: l.additionalDiscountAmount === undefined ? undefined : scaled(l.additionalDiscountAmount, decimals),
      renewalCustomerUnit: l.renewalCustomerUnit === undefined ? undefined : scaled(l.renewalCustomerUnit, decimals),
      group: l.group,
    })),
  };
}

/** What every line of one quote shares: resolved agreements, tiers, modes. */
type QuoteFrame = {
  mode: RoundingMode;
  offList: boolean;
  prices: Map<string, number> | undefined;
  resellerAgreement: CompiledAgreement | undefined;
  resellerTier: string | undefined;
  resellerBookings: bigint;
  distributorAgreement: CompiledAgreement | undefined;
  distributorTier: string | undefined;
  distributorBookings: bigint;
  partnerStage: ChannelStage;
  distributorStage: ChannelStage;
  quoteTermMonths: number | undefined;
  /** schedule id -> quantity counted over the quote (quote aggregation), or NaN past exact range */
  aggregated: Map<string, number>;
};

/**
 * The quote's additional discount reaches a line that has no additional discount of its own (neither percent
 * nor amount, not even 0), whose product is discountable, and whose Customer price is not carried from a
 * contract (renewal methods same and uplift). Such a line is priced exactly as if the percent were its own.
 */
function quoteDiscountReaches(
  line: CompiledLine,
  product: CompiledProduct | undefined,
  quotePercent: number | undefined,
): boolean {
  return (
    quotePercent !== undefined &&
    line.additionalPercent === undefined &&
    line.additionalAmount === undefined &&
    line.renewalCustomerUnit === undefined &&
    product !== undefined &&
    !product.nonDiscountable
  );
}

function newLine(line: CompiledLine, product: CompiledProduct | undefined, quotePercent: number | undefined): PricedLine {
  const fromQuote = quoteDiscountReaches(line, product, quotePercent);
  return {
    lineId: line.id,
    productId: line.productId,
    group: line.group,
    quantity: line.quantity,
    termMonths: product?.type === 'subscription' ? line.termMonths : undefined,
    list: undefined,
    regular: undefined,
    customer: undefined,
    partner: undefined,
    net: undefined,
    listTotal: undefined,
    regularTotal: undefined,
    customerTotal: undefined,
    partnerTotal: undefined,
    netTotal: undefined,
    resellerMargin: undefined,
    distributorMargin: undefined,
    renewalCustomerUnit: line.renewalCustomerUnit !== undefined,
    volume: undefined,
    additionalPercent: fromQuote ? quotePercent : line.additionalPercent,
    additionalAmount: line.additionalAmount,
    additionalFromQuote: fromQuote,
    capPercent: undefined,
    capRule: undefined,
    partnerDiscount: undefined,
    distributorDiscount: undefined,
    approvalRequired: false,
    vendorApprovalRequired: false,
    floorPercent: undefined,
    floorSource: undefined,
    warnings: [],
    errors: [],
  };
}

function volumeDiscount(
  list: number,
  schedule: CompiledSchedule,
  counted: number,
  mode: RoundingMode,
): { regular: number; trace: VolumeTrace } {
  const tiers = schedule.tiers;
  if (schedule.type === 'range') {
    let tierIndex: number | undefined;
    let percent = 0;
    for (const t of tiers) {
      if (counted >= t.from && counted < t.to) {
        tierIndex = t.index;
        percent = t.percent;
        break;
      }
    }
    return {
      regular: mulDivRound(list, HUNDRED_PERCENT - percent, HUNDRED_PERCENT, mode),
      trace: volumeTrace(schedule, counted, tierIndex, percent, 1),
    };
  }
  // Slab: each unit takes its own tier's percent. Units are numbered from 1, and a tier [from, to) holds
  // the units numbered max(from, 1) .. to - 1, so clamp(quantity - (lower - 1), 0, to - lower) of them.
  // The weighted sum never exceeds quantity x 100 % (the denominator), as no tier gives more than 100 %.
  const one = QUANTITY_SCALE;
  const denominator = counted * HUNDRED_PERCENT;
  if (!Number.isSafeInteger(denominator)) return bigSlabDiscount(list, schedule, counted, mode);
  let weighted = 0;
  let tierIndex: number | undefined;
  for (const t of tiers) {
    const lower = t.from > one ? t.from : one;
    const units = Math.min(Math.max(counted - (lower - one), 0), t.to - lower);
    if (units > 0) {
      tierIndex = t.index;
      weighted += units * t.percent;
    }
  }
  // Unreachable with contiguous tiers of at most 100 %; kept so that no input can make the sum inexact.
  if (!Number.isSafeInteger(weighted)) return bigSlabDiscount(list, schedule, counted, mode);
  // Regular = List x (1 - weighted / (quantity x 100%)), rounded once.
  return {
    regular: mulDivRound(list, denominator - weighted, denominator, mode),
    trace: volumeTrace(schedule, counted, tierIndex, weighted, counted),
  };
}

/**
 * The slab rule of `volumeDiscount` for quantities whose denominator (quantity x 100 % in scaled units) is
 * beyond 2^53 (quantity >= 900,719.93): the same sums in BigInt. Regular is at most List, so it is exact.
 */
function bigSlabDiscount(
  list: number,
  schedule: CompiledSchedule,
  counted: number,
  mode: RoundingMode,
): { regular: number; trace: VolumeTrace } {
  const one = QUANTITY_SCALE;
  let weighted = 0n;
  let tierIndex: number | undefined;
  for (const t of schedule.tiers) {
    const lower = t.from > one ? t.from : one;
    const units = Math.min(Math.max(counted - (lower - one), 0), t.to - lower);
    if (units > 0) {
      tierIndex = t.index;
      weighted += BigInt(units) * BigInt(t.percent);
    }
  }
  const denominator = BigInt(counted) * BigInt(HUNDRED_PERCENT);
  const [numerator, over] = numberFraction(weighted, BigInt(counted));
  return {
    regular: bigMulDivRound(BigInt(list), denominator - weighted, denominator, mode),
    trace: volumeTrace(schedule, counted, tierIndex, numerator, over),
  };
}

function volumeTrace(
  schedule: CompiledSchedule,
  countedQuantity: number,
  tierIndex: number | undefined,
  percentNumerator: number,
  percentDenominator: number,
): VolumeTrace {
  // One plain literal, never a spread: spreading a trace cost half of all pricing time on Node 20.
  return {
    scheduleId: schedule.id,
    type: schedule.type,
    aggregation: schedule.aggregation,
    countedQuantity,
    tierIndex,
    percentNumerator,
    percentDenominator,
  };
}

/** One channel stage of a quote: its agreement and tier, and the traces its lines share. */
type ChannelStage = {
  agreement: CompiledAgreement | undefined;
  bonus: number;
  tier: string | undefined;
  /** 0 %: no agreement, no rule, or a nonPartnerDiscountable product. */
  none: ChannelTrace;
  /** A trace depends only on the rule once agreement and tier are fixed: one per rule, shared by lines. */
  byRule: Map<CompiledRule, ChannelTrace>;
  /** The same for the lines of a registered deal's protected families (partner stage only). */
  byRuleDeal: Map<CompiledRule, ChannelTrace>;
  deal: { id: string; families: ReadonlySet<string>; bonus: number } | undefined;
};

function channelStage(
  agreement: CompiledAgreement | undefined,
  tier: ReachedTier | undefined,
  registeredDeal?: CompiledQuote['registeredDeal'],
): ChannelStage {
  return {
    agreement,
    bonus: tier?.bonus ?? 0,
    tier: tier?.name,
    none: Object.freeze({
      agreementId: agreement?.id,
      rule: undefined,
      tier: undefined,
      rulePercent: 0,
      bonusPercent: 0,
      registeredDealId: undefined,
      registeredDealBonusPercent: 0,
      percent: 0,
    }),
    byRule: new Map(),
    byRuleDeal: new Map(),
    deal:
      registeredDeal && agreement && agreement.dealBonus > 0
        ? { id: registeredDeal.id, families: registeredDeal.families, bonus: agreement.dealBonus }
        : undefined,
  };
}

/** The channel discount of one stage for a line, or undefined when no agreement rule covers it. */
function channelDiscount(stage: ChannelStage, product: CompiledProduct, quantity: number): ChannelTrace | undefined {
  if (!stage.agreement) return undefined;
  // nonPartnerDiscountable: no rule is looked up, so no rule can be missing.
  if (product.nonPartnerDiscountable) return stage.none;
  const rule = resolveRule(stage.agreement, product, quantity);
  if (!rule) return undefined;
  // A registered deal adds its points on the lines of the families it protects (after tiers, capped at 100).
  const deal = stage.deal && product.family !== undefined && stage.deal.families.has(product.family) ? stage.deal : undefined;
  const cache = deal ? stage.byRuleDeal : stage.byRule;
  let trace = cache.get(rule);
  if (!trace) {
    const sum = rule.discount + stage.bonus + (deal?.bonus ?? 0);
    trace = Object.freeze({
      agreementId: stage.agreement.id,
      rule,
      tier: stage.tier,
      rulePercent: rule.discount,
      bonusPercent: stage.bonus,
      registeredDealId: deal?.id,
      registeredDealBonusPercent: deal?.bonus ?? 0,
      percent: sum > HUNDRED_PERCENT ? HUNDRED_PERCENT : sum,
    });
    cache.set(rule, trace);
  }
  return trace;
}

function noAgreementMessage(
  stage: 'partner' | 'distributor',
  agreement: CompiledAgreement | undefined,
  q: CompiledQuote | undefined,
): string {
  const who = !q
    ? 'this distributor buying from the vendor'
    : stage === 'partner'
      ? `reseller ${q.resellerId} buying from ${q.distributorId}`
      : `distributor ${q.distributorId} buying from the vendor`;
  if (!agreement) return `no Active agreement for ${who}${q ? ` on ${q.pricingDate}` : ''}: ${stage} discount 0`;
  return `no rule of agreement ${agreement.id} covers this product at this quantity: ${stage} discount 0`;
}

/**
 * The errors of what the line asks for, whatever its amounts: reported even when an amount of an earlier
 * stage is beyond exact range (AMOUNT_TOO_LARGE), so that one error never hides the other.
 */
function inputErrors(line: CompiledLine, product: CompiledProduct, out: PricedLine): void {
  const percent = line.additionalPercent;
  const amount = line.additionalAmount;
  if (percent !== undefined && amount !== undefined) {
    out.errors.push({
      code: 'DISCOUNT_PERCENT_AND_AMOUNT',
      message: 'an additional discount is a percent or an amount per unit, not both',
    });
  }
  if (product.nonDiscountable && ((percent ?? 0) > 0 || (amount ?? 0) > 0)) {
    out.errors.push({ code: 'NON_DISCOUNTABLE', message: `product ${product.id} takes no additional discount` });
  }
}

/**
 * CHANNEL.md, channel conflict: a line whose family another reseller's registration protects for this end
 * customer needs the vendor's approval. Said without naming the holder (the engine is never told it).
 */
function channelConflict(product: CompiledProduct, q: CompiledQuote, out: PricedLine): void {
  if (product.family === undefined || !q.channelConflictFamilies.has(product.family)) return;
  out.vendorApprovalRequired = true;
  out.warnings.push({
    code: 'CHANNEL_CONFLICT',
    message: `another partner has registered this end customer for ${product.family}: the vendor must approve`,
  });
}

function priceLine(line: CompiledLine, catalog: PricingCatalog, q: CompiledQuote, f: QuoteFrame): PricedLine {
  const product = catalog.products.get(line.productId);
  const out = newLine(line, product, q.additionalPercent);
  const listPrice = f.prices?.get(line.productId);
  if (!product || listPrice === undefined) {
    out.errors.push({ code: 'NO_PRICE', message: `product ${line.productId} has no ${q.currency} price in the price book` });
    return out;
  }
  const mode = f.mode;
  channelConflict(product, q, out);

  // 1. List, prorated for subscriptions.
  let list = listPrice;
  if (product.type === 'subscription' && product.termMonths !== undefined) {
    const term = line.termMonths ?? f.quoteTermMonths ?? product.termMonths;
    out.termMonths = term;
    // Terms in hundredths of a month: a co-terminated renewal line runs 9.61 months (PRICING.md).
    list = mulDivRound(listPrice, Math.round(term * 100), product.termMonths * 100, mode);
  }
  out.list = list;

  // 2. Regular: volume discount.
  let regular = list;
  if (product.schedule) {
    const counted =
      product.schedule.aggregation === 'quote' ? (f.aggregated.get(product.schedule.id) ?? line.quantity) : line.quantity;
    if (Number.isNaN(counted)) throw new AmountTooLargeError();
    const v = volumeDiscount(list, product.schedule, counted, mode);
    regular = v.regular;
    out.volume = v.trace;
  }
  out.regular = regular;

  // 3. Customer: the reseller's additional discount, the line's own or the quote's (newLine decided which).
  const percent = out.additionalPercent;
  const amount = line.additionalAmount;
  inputErrors(line, product, out);
  if (out.errors.length > 0) return out;
  let customer = regular;
  if (line.renewalCustomerUnit !== undefined) customer = line.renewalCustomerUnit;
  else if (percent !== undefined && percent > 0)
    customer = mulDivRound(regular, HUNDRED_PERCENT - percent, HUNDRED_PERCENT, mode);
  else if (amount !== undefined && amount > 0) customer = regular - amount;
  if (customer < 0) {
    out.errors.push({
      code: 'NEGATIVE_PRICE',
      message: 'the additional discount is larger than the price: customer price below zero',
    });
    return out;
  }
  out.customer = customer;
  if (f.resellerAgreement && ((percent ?? 0) > 0 || (amount ?? 0) > 0)) {
    const capRule = resolveCapRule(f.resellerAgreement, product, line.quantity);
    if (capRule?.cap !== undefined) {
      out.capRule = capRule;
      out.capPercent = capRule.cap;
      // Above the cap: percent > cap, or amount / regular x 100% > cap.
      const above =
        percent !== undefined ? percent > capRule.cap : compareProducts(amount ?? 0, HUNDRED_PERCENT, capRule.cap, regular) > 0;
      if (above) {
        out.approvalRequired = true;
        out.warnings.push({
          code: 'APPROVAL_REQUIRED',
          message: `the additional discount is above the cap of agreement ${f.resellerAgreement.id}: the distributor must approve`,
        });
      }
    }
  }
  const vendorLimit = catalog.vendorApprovalAbove;
  if (vendorLimit !== undefined && ((percent ?? 0) > 0 || (amount ?? 0) > 0)) {
    // As for the cap: percent > limit, or amount / regular x 100% > limit (exact); at the limit, no approval.
    const above =
      percent !== undefined ? percent > vendorLimit : compareProducts(amount ?? 0, HUNDRED_PERCENT, vendorLimit, regular) > 0;
    if (above) {
      out.vendorApprovalRequired = true;
      out.warnings.push({
        code: 'ABOVE_VENDOR_APPROVAL_PERCENT',
        message: `the additional discount is above ${formatScaledShort(vendorLimit, PERCENT_DECIMALS)} %: the vendor must approve`,
      });
    }
  }

  // 4 and 5. Partner and Net: the channel discounts.
  const partnerDiscount = channelDiscount(f.partnerStage, product, line.quantity);
  const distributorDiscount = channelDiscount(f.distributorStage, product, line.quantity);
  out.partnerDiscount = partnerDiscount ?? f.partnerStage.none;
  out.distributorDiscount = distributorDiscount ?? f.distributorStage.none;
  if (product.nonPartnerDiscountable) {
    out.warnings.push({
      code: 'NON_PARTNER_DISCOUNTABLE',
      message: `product ${product.id} gets no partner or distributor discount`,
    });
  }
  if (!partnerDiscount) {
    out.warnings.push({ code: 'NO_AGREEMENT', stage: 'partner', message: noAgreementMessage('partner', f.resellerAgreement, q) });
  }
  if (!distributorDiscount) {
    out.warnings.push({
      code: 'NO_AGREEMENT',
      stage: 'distributor',
      message: noAgreementMessage('distributor', f.distributorAgreement, q),
    });
  }
  const p = out.partnerDiscount.percent;
  const d = out.distributorDiscount.percent;
  const partner = f.offList
    ? mulSubMulDivRound(customer, HUNDRED_PERCENT, list, p, HUNDRED_PERCENT, mode)
    : mulDivRound(customer, HUNDRED_PERCENT - p, HUNDRED_PERCENT, mode);
  if (partner < 0) {
    out.errors.push({ code: 'NEGATIVE_PRICE', message: 'the partner discount takes the partner price below zero' });
    return out;
  }
  out.partner = partner;
  const net = f.offList
    ? mulSubMulDivRound(partner, HUNDRED_PERCENT, list, d, HUNDRED_PERCENT, mode)
    : mulDivRound(partner, HUNDRED_PERCENT - d, HUNDRED_PERCENT, mode);
  if (net < 0) {
    out.errors.push({ code: 'NEGATIVE_PRICE', message: 'the distributor discount takes the net price below zero' });
    return out;
  }
  out.net = net;

  // Totals: rounded unit price x quantity, rounded.
  const qty = line.quantity;
  out.listTotal = mulDivRound(list, qty, QUANTITY_SCALE, mode);
  out.regularTotal = mulDivRound(regular, qty, QUANTITY_SCALE, mode);
  out.customerTotal = mulDivRound(customer, qty, QUANTITY_SCALE, mode);
  out.partnerTotal = mulDivRound(partner, qty, QUANTITY_SCALE, mode);
  out.netTotal = mulDivRound(net, qty, QUANTITY_SCALE, mode);
  out.resellerMargin = out.customerTotal - out.partnerTotal;
  out.distributorMargin = out.partnerTotal - out.netTotal;

  // Price floor: the rounded Net total against List total x floor %, exactly (Net total x 100 % < List total x floor).
  if (product.floor !== undefined) {
    out.floorPercent = product.floor;
    out.floorSource = product.floorSource;
    if (compareProducts(out.netTotal, HUNDRED_PERCENT, out.listTotal, product.floor) < 0) {
      out.vendorApprovalRequired = true;
      out.warnings.push({
        code: 'BELOW_PRICE_FLOOR',
        message: `the net price is below the ${product.floorSource} price floor of ${formatScaledShort(product.floor, PERCENT_DECIMALS)} % of list: the vendor must approve`,
      });
    }
  }
  return out;
}

function clearPrices(line: PricedLine): void {
  line.list = line.regular = line.customer = line.partner = line.net = undefined;
  line.listTotal = line.regularTotal = line.customerTotal = line.partnerTotal = line.netTotal = undefined;
  line.resellerMargin = line.distributorMargin = undefined;
}

function buildFrame(catalog: PricingCatalog, q: CompiledQuote): QuoteFrame {
  const date = q.pricingDate;
  const resellerAgreement = findAgreement(catalog, q.resellerId, q.distributorId, date);
  const distributorAgreement = findAgreement(catalog, q.distributorId, catalog.vendorId, date);
  const resellerBookings = trailingBookings(catalog, q.resellerId, q.distributorId, date);
  const distributorBookings = trailingBookings(catalog, q.distributorId, catalog.vendorId, date);
  const resellerTier = resellerAgreement ? reachedTier(resellerAgreement, resellerBookings) : undefined;
  const distributorTier = distributorAgreement ? reachedTier(distributorAgreement, distributorBookings) : undefined;

  const aggregated = new Map<string, number>();
  for (const line of q.lines) {
    const schedule = catalog.products.get(line.productId)?.schedule;
    if (schedule?.aggregation !== 'quote') continue;
    const sum = (aggregated.get(schedule.id) ?? 0) + line.quantity;
    aggregated.set(schedule.id, Number.isSafeInteger(sum) ? sum : NaN);
  }
  return {
    mode: catalog.settings.roundingMode,
    offList: (q.channelMode ?? resellerAgreement?.channelMode ?? catalog.settings.channelMode) === 'offList',
    prices: catalog.prices.get(q.currency),
    resellerAgreement,
    resellerTier: resellerTier?.name,
    resellerBookings,
    distributorAgreement,
    distributorTier: distributorTier?.name,
    distributorBookings,
    partnerStage: channelStage(resellerAgreement, resellerTier, q.registeredDeal),
    distributorStage: channelStage(distributorAgreement, distributorTier),
    quoteTermMonths: q.termMonths,
    aggregated,
  };
}

/** Prices every line of a compiled quote against a compiled catalog. Pure: same input, same output. */
export function priceQuote(catalog: PricingCatalog, q: CompiledQuote): PricedQuote {
  const f = buildFrame(catalog, q);
  const lines: PricedLine[] = new Array<PricedLine>(q.lines.length);
  const totals: QuoteTotals = { list: 0, regular: 0, customer: 0, partner: 0, net: 0, resellerMargin: 0, distributorMargin: 0 };
  let approvalRequired = false;
  let vendorApprovalRequired = false;
  let orderable = q.lines.length > 0;
  for (let i = 0; i < q.lines.length; i++) {
    const line = q.lines[i]!;
    let priced: PricedLine;
    try {
      priced = priceLine(line, catalog, q, f);
    } catch (error) {
      if (!(error instanceof AmountTooLargeError)) throw error;
      const product = catalog.products.get(line.productId);
      priced = newLine(line, product, q.additionalPercent);
      clearPrices(priced);
      // Only a priced product's line can overflow (NO_PRICE returns first).
      if (product) {
        channelConflict(product, q, priced);
        inputErrors(line, product, priced);
      }
      priced.errors.push({ code: 'AMOUNT_TOO_LARGE', message: 'the amounts of this line are too large to compute exactly' });
    }
    lines[i] = priced;
    if (priced.approvalRequired) approvalRequired = true;
    if (priced.vendorApprovalRequired) vendorApprovalRequired = true;
    if (priced.errors.length > 0) {
      orderable = false;
      continue;
    }
    if (priced.warnings.some((w) => w.code === 'NO_AGREEMENT')) orderable = false;
    // Totals only grow (every amount is >= 0), so one check after the loop covers every partial sum.
    totals.list += priced.listTotal!;
    totals.regular += priced.regularTotal!;
    totals.customer += priced.customerTotal!;
    totals.partner += priced.partnerTotal!;
    totals.net += priced.netTotal!;
  }
  const totalsTooLarge = !Number.isSafeInteger(totals.list);
  totals.resellerMargin = totals.customer - totals.partner;
  totals.distributorMargin = totals.partner - totals.net;
  if (approvalRequired || vendorApprovalRequired) orderable = false;
  return {
    quoteId: q.id,
    currency: q.currency,
    currencyDecimals: currencyDecimals(q.currency),
    roundingMode: f.mode,
    channelMode: f.offList ? 'offList' : 'sequential',
    pricingDate: q.pricingDate,
    bookingsCurrency: catalog.settings.bookingsCurrency,
    bookingsDecimals: currencyDecimals(catalog.settings.bookingsCurrency),
    reseller: {
      agreementId: f.resellerAgreement?.id,
      bookings: f.resellerBookings,
      tier: f.resellerTier,
    },
    distributor: {
      agreementId: f.distributorAgreement?.id,
      bookings: f.distributorBookings,
      tier: f.distributorTier,
    },
    lines,
    totals,
    totalsTooLarge,
    approvalRequired,
    vendorApprovalRequired,
    orderable: orderable && !totalsTooLarge,
  };
}

export type PurchaseLine = { productId: string; quantity: number };

export type PricedPurchaseLine = {
  productId: string;
  quantity: number;
  list: number | undefined;
  regular: number | undefined;
  net: number | undefined;
  listTotal: number | undefined;
  netTotal: number | undefined;
  distributorDiscount: ChannelTrace | undefined;
  errors: LineMessage<LineErrorCode>[];
  warnings: LineMessage<LineWarningCode>[];
};

/**
 * A distributor buying stock from the vendor (replenishment): List, less the volume discount, less the
 * distributor discount of its agreement with the vendor (with its tier) = Net. No reseller, no
 * additional discount; one-time products only (stock is licences).
 */
export function priceDistributorPurchase(
  catalog: PricingCatalog,
  input: { distributorId: string; currency: string; pricingDate: string; lines: readonly PurchaseLine[] },
): PricedPurchaseLine[] {
  const mode = catalog.settings.roundingMode;
  const prices = catalog.prices.get(input.currency);
  const agreement = findAgreement(catalog, input.distributorId, catalog.vendorId, input.pricingDate);
  const tier = agreement
    ? reachedTier(agreement, trailingBookings(catalog, input.distributorId, catalog.vendorId, input.pricingDate))
    : undefined;
  const stage = channelStage(agreement, tier);
  return input.lines.map((line) => {
    const out: PricedPurchaseLine = {
      productId: line.productId,
      quantity: line.quantity,
      list: undefined,
      regular: undefined,
      net: undefined,
      listTotal: undefined,
      netTotal: undefined,
      distributorDiscount: undefined,
      errors: [],
      warnings: [],
    };
    const product = catalog.products.get(line.productId);
    const list = prices?.get(line.productId);
    if (!product || list === undefined) {
      out.errors.push({
        code: 'NO_PRICE',
        message: `product ${line.productId} has no ${input.currency} price in the price book`,
      });
      return out;
    }
    const regular = product.schedule ? volumeDiscount(list, product.schedule, line.quantity, mode).regular : list;
    const discount = channelDiscount(stage, product, line.quantity);
    if (!discount) {
      out.warnings.push({
        code: 'NO_AGREEMENT',
        stage: 'distributor',
        message: noAgreementMessage('distributor', agreement, undefined),
      });
    }
    const trace = discount ?? stage.none;
    const net = mulDivRound(regular, HUNDRED_PERCENT - trace.percent, HUNDRED_PERCENT, mode);
    out.list = list;
    out.regular = regular;
    out.net = net;
    out.distributorDiscount = trace;
    out.listTotal = mulDivRound(list, line.quantity, QUANTITY_SCALE, mode);
    out.netTotal = mulDivRound(net, line.quantity, QUANTITY_SCALE, mode);
    return out;
  });
}
