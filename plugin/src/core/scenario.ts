import { z } from 'zod';
import { minorUnits } from './currency.js';
import { PERCENT_DECIMALS, QUANTITY_DECIMALS, decimalPlaces, parseScaled } from './exact.js';

/**
 * The scenario: every input of the pricing engine in one JSON document (docs/SCENARIO-FORMAT.md).
 * Shapes are checked here with zod; what needs more than one field (references, currency precision,
 * schedules, agreement overlaps) is checked by `validateScenario` in validation.ts.
 */

const DECIMAL = /^-?\d+(\.\d+)?$/;
const decimalMessage = 'must be a decimal number written as a string, like "1234.50"';

const decimalString = z.string({ error: decimalMessage }).regex(DECIMAL, { error: decimalMessage });

/** A money amount; its precision against the currency is checked in validation.ts. */
export const moneySchema = decimalString
  .refine((s) => !s.startsWith('-'), { error: 'must not be negative' })
  .refine((s) => s.replace('.', '').replace(/^0+/, '').length <= 15, {
    error: 'has too many digits (at most 15 significant digits)',
  });

export const percentSchema = decimalString.superRefine((s, ctx) => {
  const scaled = parseScaled(s, PERCENT_DECIMALS);
  if (scaled === undefined) {
    ctx.addIssue({ code: 'custom', message: `must have at most ${PERCENT_DECIMALS} decimals (got "${s}")` });
  } else if (scaled < 0 || scaled > 100 * 10 ** PERCENT_DECIMALS) {
    ctx.addIssue({ code: 'custom', message: `must be a percentage between 0 and 100 (got "${s}")` });
  }
});

/** Quantities as strings ("2.5") or JSON integers (30); normalised to strings. */
export const quantitySchema = z.preprocess(
  (v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v),
  z
    .string({ error: 'must be a quantity like 30 or "2.5"' })
    .regex(DECIMAL, { error: 'must be a quantity like 30 or "2.5"' })
    .superRefine((s, ctx) => {
      if (decimalPlaces(s) > QUANTITY_DECIMALS) {
        ctx.addIssue({ code: 'custom', message: `must have at most ${QUANTITY_DECIMALS} decimals (got "${s}")` });
        return;
      }
      const scaled = parseScaled(s, QUANTITY_DECIMALS);
      if (scaled === undefined || scaled <= 0) {
        ctx.addIssue({ code: 'custom', message: `must be greater than zero (got "${s}")` });
      } else if (scaled > 1_000_000_000 * 10 ** QUANTITY_DECIMALS) {
        ctx.addIssue({ code: 'custom', message: `must be at most 1000000000 (got "${s}")` });
      }
    }),
);

const id = z.string({ error: 'must be an id (a non-empty string)' }).min(1, { error: 'must not be empty' });
const isoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD, like "2026-07-01"' });
const months = z
  .int({ error: 'must be a whole number of months' })
  .min(1, { error: 'must be at least 1 month' })
  .max(1200, { error: 'must be at most 1200 months' });
/**
 * A line's term: months with at most 2 decimals (9.61), as co-terminated renewal lines carry a term prorated
 * monthly + daily (PRICING.md, Co-termination; core/renewals.ts prorateMonthsDaily). The engine prorates the
 * list price by it exactly, in hundredths of a month.
 */
export const lineTermMonthsSchema = z
  .number({ error: 'must be a number of months' })
  .min(0.01, { error: 'must be at least 0.01 month' })
  .max(1200, { error: 'must be at most 1200 months' })
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, { error: 'must have at most 2 decimals' });
const currencyCode = z
  .string({ error: 'must be an ISO 4217 currency code like "USD"' })
  .regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 currency code like "USD"' });

export const roundingModeSchema = z.enum(['halfUp', 'halfEven'], { error: 'must be "halfUp" or "halfEven"' });
export const channelModeSchema = z.enum(['sequential', 'offList'], { error: 'must be "sequential" or "offList"' });

export const settingsSchema = z.strictObject({
  roundingMode: roundingModeSchema.default('halfUp'),
  channelMode: channelModeSchema.default('sequential'),
  bookingsCurrency: currencyCode.default('USD'),
  /**
   * Vendor control (CHANNEL.md, approval chain): a line whose additional discount exceeds this percent needs
   * the vendor's approval (vendorApprovalRequired). Absent: no such limit.
   */
  vendorApprovalAbovePercent: percentSchema.optional(),
});

export const accountTypeSchema = z.enum(['vendor', 'distributor', 'reseller', 'endCustomer'], {
  error: 'must be one of vendor, distributor, reseller, endCustomer',
});

export const accountSchema = z.strictObject({
  id,
  name: z.string().optional(),
  type: accountTypeSchema,
  country: z.string().optional(),
  region: z.string().optional(),
});

export const productSchema = z.strictObject({
  id,
  name: z.string().optional(),
  sku: z.string().optional(),
  family: z.string().optional(),
  type: z.enum(['oneTime', 'subscription'], { error: 'must be "oneTime" or "subscription"' }).default('oneTime'),
  termMonths: months.optional(),
  discountScheduleId: id.optional(),
  nonDiscountable: z.boolean().default(false),
  nonPartnerDiscountable: z.boolean().default(false),
  /** Price floor (PRICING.md): a line whose Net total is below this share of its List total needs the vendor's approval. */
  minNetPercentOfList: percentSchema.optional(),
});

/** A product family's settings: its price floor, for products of the family that set none of their own. */
export const productFamilySchema = z.strictObject({
  family: z.string({ error: 'must be a product family name' }).min(1, { error: 'must not be empty' }),
  minNetPercentOfList: percentSchema.optional(),
});

export const priceBookEntrySchema = z.strictObject({
  productId: id,
  currency: currencyCode,
  listPrice: moneySchema,
});

/** A schedule tier bound: like a quantity, but a tier may start at 0. */
const tierBoundSchema = z
  .string({ error: 'must be a quantity like "10"' })
  .regex(DECIMAL, { error: 'must be a quantity like "10"' })
  .refine((s) => !s.startsWith('-'), { error: 'must not be negative' })
  .refine((s) => parseScaled(s, QUANTITY_DECIMALS) !== undefined, {
    error: `must have at most ${QUANTITY_DECIMALS} decimals`,
  });

export const scheduleTierSchema = z.strictObject({
  from: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), tierBoundSchema),
  to: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), tierBoundSchema).optional(),
  discountPercent: percentSchema,
});

export const discountScheduleSchema = z.strictObject({
  id,
  name: z.string().optional(),
  type: z.enum(['range', 'slab'], { error: 'must be "range" or "slab"' }),
  aggregation: z.enum(['line', 'quote'], { error: 'must be "line" or "quote"' }).default('line'),
  tiers: z.array(scheduleTierSchema).min(1, { error: 'must have at least one tier' }),
});

export const agreementRuleSchema = z.strictObject({
  id: id.optional(),
  scope: z.enum(['all', 'family', 'product'], { error: 'must be "all", "family" or "product"' }),
  value: z.string().optional(),
  minQuantity: quantitySchema.optional(),
  discountPercent: percentSchema,
  maxAdditionalDiscountPercent: percentSchema.optional(),
});

export const agreementTierSchema = z.strictObject({
  name: z.string().min(1, { error: 'must not be empty' }),
  minBookings: moneySchema,
  bonusPercent: percentSchema,
});

export const agreementStatusSchema = z.enum(['Draft', 'Active', 'Expired', 'Terminated'], {
  error: 'must be Draft, Active, Expired or Terminated',
});

export const agreementSchema = z.strictObject({
  id,
  name: z.string().optional(),
  partnerId: id,
  sellerId: id,
  validFrom: isoDate,
  validTo: isoDate.optional(),
  status: agreementStatusSchema,
  rules: z.array(agreementRuleSchema).default([]),
  tiers: z.array(agreementTierSchema).default([]),
  /**
   * How the partner's quotes through this seller are priced (PRICING.md: the channel mode belongs to the
   * reseller's agreement with the quote's distributor); absent: settings.channelMode (default sequential).
   */
  channelMode: channelModeSchema.optional(),
  /**
   * CHANNEL.md (Deal registration): points added to the partner discount (after tiers, the sum capped at 100)
   * on the lines of a quote converted from this partner's registration, in the families it protects.
   */
  registeredDealBonusPercent: percentSchema.optional(),
});

/**
 * One bookings-ledger entry: what `partnerId` bought from `sellerId` (a reseller from a distributor at
 * Partner total, a distributor from the vendor at Net total) with one activated order, in the order's
 * currency (default: settings.bookingsCurrency, the corporate currency) on the order date.
 */
export const bookingSchema = z.strictObject({
  partnerId: id,
  sellerId: id,
  date: isoDate,
  amount: moneySchema,
  currency: currencyCode.optional(),
});

const RATE = /^\d+(\.\d{1,6})?$/;
const rateMessage = 'must be a positive decimal with at most 6 decimals written as a string, like "10.512"';

/** A dated exchange rate: units of `currency` per one unit of the corporate currency from `startDate` on. */
export const exchangeRateSchema = z.strictObject({
  currency: currencyCode,
  startDate: isoDate,
  rate: z
    .string({ error: rateMessage })
    .regex(RATE, { error: rateMessage })
    .refine((s) => /[1-9]/.test(s), { error: 'must be greater than zero' }),
});

export const quoteLineSchema = z.strictObject({
  id: id.optional(),
  productId: id,
  quantity: quantitySchema,
  termMonths: lineTermMonthsSchema.optional(),
  additionalDiscountPercent: percentSchema.optional(),
  additionalDiscountAmount: moneySchema.optional(),
  /** Set by renewal generation only (methods same and uplift): the Customer unit price is fixed. */
  renewalCustomerUnit: moneySchema.optional(),
  group: z.string().optional(),
});

export const quoteSchema = z.strictObject({
  id: id.optional(),
  name: z.string().optional(),
  resellerId: id,
  distributorId: id,
  endCustomerId: id,
  currency: currencyCode,
  startDate: isoDate,
  pricingDate: isoDate.optional(),
  termMonths: months.optional(),
  channelMode: channelModeSchema.optional(),
  /**
   * The quote's additional discount (Salesforce CPQ's quote "Additional Disc. (%)"): the default additional
   * discount of every discountable line with none of its own (docs/PRICING-NOTES.md, "Quote discount").
   */
  additionalDiscountPercent: percentSchema.optional(),
  /**
   * The reseller's registration this quote was converted from, while it protects its claim: the families it
   * protects earn the agreement's registeredDealBonusPercent (CHANNEL.md). The services set it, never a client.
   */
  registeredDeal: z
    .strictObject({ id, families: z.array(z.string().min(1)).min(1, { error: 'must name at least one family' }) })
    .optional(),
  /**
   * CHANNEL.md, channel conflict: the product families of this end customer protected by another reseller's
   * registration. Its lines carry CHANNEL_CONFLICT and need the vendor's approval. The services set it, never a
   * client, and it names no one (only families).
   */
  channelConflictFamilies: z.array(z.string().min(1, { error: 'must be a family name' })).optional(),
  lines: z.array(quoteLineSchema),
});

export const scenarioFields = {
  description: z.string().optional(),
  /** Vector keys: a vector file is also a scenario, and pricing ignores them. */
  source: z.string().optional(),
  expected: z.unknown().optional(),
  settings: settingsSchema.default({ roundingMode: 'halfUp', channelMode: 'sequential', bookingsCurrency: 'USD' }),
  accounts: z.array(accountSchema),
  products: z.array(productSchema),
  productFamilies: z.array(productFamilySchema).default([]),
  priceBook: z.array(priceBookEntrySchema),
  discountSchedules: z.array(discountScheduleSchema).default([]),
  agreements: z.array(agreementSchema).default([]),
  bookings: z.array(bookingSchema).default([]),
  exchangeRates: z.array(exchangeRateSchema).default([]),
  quote: quoteSchema,
};

export const scenarioSchema = z.strictObject(scenarioFields);

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Settings = z.infer<typeof settingsSchema>;
export type Account = z.infer<typeof accountSchema>;
export type Product = z.infer<typeof productSchema>;
export type ProductFamily = z.infer<typeof productFamilySchema>;
export type PriceBookEntry = z.infer<typeof priceBookEntrySchema>;
export type DiscountSchedule = z.infer<typeof discountScheduleSchema>;
export type Agreement = z.infer<typeof agreementSchema>;
export type AgreementRule = z.infer<typeof agreementRuleSchema>;
export type Booking = z.infer<typeof bookingSchema>;
export type ExchangeRate = z.infer<typeof exchangeRateSchema>;
export type Quote = z.infer<typeof quoteSchema>;
export type QuoteLine = z.infer<typeof quoteLineSchema>;
export type ChannelMode = z.infer<typeof channelModeSchema>;

/** The minor units of a currency known to be valid (validated scenarios only). */
export function currencyDecimals(currency: string): number {
  const digits = minorUnits(currency);
  if (digits === undefined) throw new Error(`unknown currency ${currency}`);
  return digits;
}
