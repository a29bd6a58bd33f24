import type { CompiledRule } from './catalog.js';
import type { ChannelTrace, LineMessage, PricedLine, VolumeTrace } from './pricing.js';

/**
 * Equality of two priced lines of the engine (issue 14): a save answers only the lines whose figures changed
 * since the version the client edited (services/answeredFigures.ts), and compares the 100 lines of a quote on
 * every save. A comparison written for `PricedLine` replaces a generic recursive JSON comparison.
 *
 * Sound: two lines it calls equal serialise to the same JSON (core/serialize.ts serializeLine, in one
 * currency), because it compares every field serializeLine reads, and more: every exact decimal is a scaled
 * integer compared by value (`===`), a volume percent by its numerator and denominator, a rule, a channel
 * trace and a message field by field, warnings and errors element by element. (Strictly more than the JSON
 * shows: a slab percent kept as another fraction of the same value, or a rule's cap that a channel discount
 * does not show, counts as a change; then an unchanged line is answered, which is still correct.)
 *
 * Complete by construction: each record type has a table with one check per field, checked by the compiler
 * against the type (`satisfies Checks<T>`): a field added to `PricedLine` (or to a trace it holds) without a
 * check fails the TypeScript build, and each check can read its own field only (`FieldCheck`).
 */

export type Same<T> = (a: T, b: T) => boolean;

/**
 * The check of field K of T: it sees the two records as `Pick<T, K>`, so it can read field K and no other
 * (reading another field is a type error): a table's entry for `list` cannot compare `listTotal` instead.
 */
export type FieldCheck<T, K extends keyof T> = (a: Pick<T, K>, b: Pick<T, K>) => boolean;

/** One check per field of T, no field left out (`-?`: optional fields too), none that T lacks. */
export type Checks<T> = { readonly [K in keyof T]-?: FieldCheck<T, K> };

/**
 * The comparator of a record type from its table of field checks, run in the table's order (the cheap and
 * most often different first); identical objects are equal at once.
 */
export function recordOf<T extends object>(checks: Checks<T>): Same<T> {
  const list = Object.values<Same<T>>(checks);
  return (a, b) => {
    if (a === b) return true;
    for (let i = 0; i < list.length; i++) if (!list[i]!(a, b)) return false;
    return true;
  };
}

/** A field that may be undefined: both undefined, or both present and equal by `same`. */
function optional<T extends object>(same: Same<T>): Same<T | undefined> {
  return (a, b) => a === b || (a !== undefined && b !== undefined && same(a, b));
}

/** Arrays element by element. */
function arrayOf<T>(same: Same<T>): Same<readonly T[]> {
  return (a, b) => {
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
    return true;
  };
}

/*
 * In every table, a primitive field (a string, a boolean, an exact decimal: a scaled integer, core/exact.ts)
 * is compared with `===`: its JSON is a function of its value. `===` holds for 0 and -0, which format alike
 * ("0"), and fails for NaN (then the line counts as changed).
 */

export const COMPILED_RULE_CHECKS = {
  index: (a, b) => a.index === b.index,
  id: (a, b) => a.id === b.id,
  scope: (a, b) => a.scope === b.scope,
  value: (a, b) => a.value === b.value,
  minQuantity: (a, b) => a.minQuantity === b.minQuantity,
  discount: (a, b) => a.discount === b.discount,
  cap: (a, b) => a.cap === b.cap,
} as const satisfies Checks<CompiledRule>;

const sameRule = optional(recordOf<CompiledRule>(COMPILED_RULE_CHECKS));

export const CHANNEL_TRACE_CHECKS = {
  percent: (a, b) => a.percent === b.percent,
  rulePercent: (a, b) => a.rulePercent === b.rulePercent,
  bonusPercent: (a, b) => a.bonusPercent === b.bonusPercent,
  agreementId: (a, b) => a.agreementId === b.agreementId,
  tier: (a, b) => a.tier === b.tier,
  registeredDealId: (a, b) => a.registeredDealId === b.registeredDealId,
  registeredDealBonusPercent: (a, b) => a.registeredDealBonusPercent === b.registeredDealBonusPercent,
  rule: (a, b) => sameRule(a.rule, b.rule),
} as const satisfies Checks<ChannelTrace>;

const sameChannel = optional(recordOf<ChannelTrace>(CHANNEL_TRACE_CHECKS));

/** The volume percent is an exact fraction: compared by numerator and denominator (the same value kept as another fraction counts as a change). */
export const VOLUME_TRACE_CHECKS = {
  countedQuantity: (a, b) => a.countedQuantity === b.countedQuantity,
  percentNumerator: (a, b) => a.percentNumerator === b.percentNumerator,
  percentDenominator: (a, b) => a.percentDenominator === b.percentDenominator,
  tierIndex: (a, b) => a.tierIndex === b.tierIndex,
  scheduleId: (a, b) => a.scheduleId === b.scheduleId,
  type: (a, b) => a.type === b.type,
  aggregation: (a, b) => a.aggregation === b.aggregation,
} as const satisfies Checks<VolumeTrace>;

const sameVolume = optional(recordOf<VolumeTrace>(VOLUME_TRACE_CHECKS));

/** A warning or error (`stage` is optional: absent and undefined are alike, in JSON too). */
export const LINE_MESSAGE_CHECKS = {
  code: (a, b) => a.code === b.code,
  message: (a, b) => a.message === b.message,
  stage: (a, b) => a.stage === b.stage,
} as const satisfies Checks<LineMessage<string>>;

const sameMessages = arrayOf(recordOf<LineMessage<string>>(LINE_MESSAGE_CHECKS));

/** The figures first: on a save, a line that changed most often differs in its quantity and amounts. */
export const PRICED_LINE_CHECKS = {
  quantity: (a, b) => a.quantity === b.quantity,
  list: (a, b) => a.list === b.list,
  regular: (a, b) => a.regular === b.regular,
  customer: (a, b) => a.customer === b.customer,
  partner: (a, b) => a.partner === b.partner,
  net: (a, b) => a.net === b.net,
  listTotal: (a, b) => a.listTotal === b.listTotal,
  regularTotal: (a, b) => a.regularTotal === b.regularTotal,
  customerTotal: (a, b) => a.customerTotal === b.customerTotal,
  partnerTotal: (a, b) => a.partnerTotal === b.partnerTotal,
  netTotal: (a, b) => a.netTotal === b.netTotal,
  resellerMargin: (a, b) => a.resellerMargin === b.resellerMargin,
  distributorMargin: (a, b) => a.distributorMargin === b.distributorMargin,
  lineId: (a, b) => a.lineId === b.lineId,
  productId: (a, b) => a.productId === b.productId,
  group: (a, b) => a.group === b.group,
  termMonths: (a, b) => a.termMonths === b.termMonths,
  renewalCustomerUnit: (a, b) => a.renewalCustomerUnit === b.renewalCustomerUnit,
  additionalPercent: (a, b) => a.additionalPercent === b.additionalPercent,
  additionalAmount: (a, b) => a.additionalAmount === b.additionalAmount,
  additionalFromQuote: (a, b) => a.additionalFromQuote === b.additionalFromQuote,
  capPercent: (a, b) => a.capPercent === b.capPercent,
  approvalRequired: (a, b) => a.approvalRequired === b.approvalRequired,
  vendorApprovalRequired: (a, b) => a.vendorApprovalRequired === b.vendorApprovalRequired,
  floorPercent: (a, b) => a.floorPercent === b.floorPercent,
  floorSource: (a, b) => a.floorSource === b.floorSource,
  volume: (a, b) => sameVolume(a.volume, b.volume),
  capRule: (a, b) => sameRule(a.capRule, b.capRule),
  partnerDiscount: (a, b) => sameChannel(a.partnerDiscount, b.partnerDiscount),
  distributorDiscount: (a, b) => sameChannel(a.distributorDiscount, b.distributorDiscount),
  warnings: (a, b) => sameMessages(a.warnings, b.warnings),
  errors: (a, b) => sameMessages(a.errors, b.errors),
} as const satisfies Checks<PricedLine>;

/** True when the two priced lines are equal field by field (then their JSON is the same). */
export const samePricedLine: Same<PricedLine> = recordOf<PricedLine>(PRICED_LINE_CHECKS);
