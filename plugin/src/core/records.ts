import { z } from 'zod';
import {
  accountSchema,
  agreementSchema,
  type channelModeSchema,
  discountScheduleSchema,
  lineTermMonthsSchema,
  moneySchema,
  percentSchema,
  priceBookEntrySchema,
  productSchema,
  quantitySchema,
  settingsSchema,
} from './scenario.js';

/**
 * The records the product keeps (store port, services, controllers). Pricing inputs reuse the scenario
 * schemas, so a stored catalog + agreements + a quote is always a valid scenario for the engine.
 */

export const renewalPricingMethodSchema = z.enum(['same', 'list', 'uplift'], { error: 'must be "same", "list" or "uplift"' });
export type RenewalPricingMethod = z.infer<typeof renewalPricingMethodSchema>;

/** An account as stored: the scenario's account plus the end customer's renewal defaults. */
export const accountRecordSchema = accountSchema.extend({
  renewalPricingMethod: renewalPricingMethodSchema.optional(),
  renewalUpliftPercent: percentSchema.optional(),
  /** An end customer's company registration number (de-duplication, core/endCustomers.ts). */
  registrationNumber: z.string().max(40).optional(),
  /**
   * Partner accounts that may see this end customer without a record naming it: the reseller that created it
   * or found it by de-duplication (in an org: a Read AccountShare to the partner's role groups).
   */
  visibleTo: z.array(z.string()).optional(),
  /**
   * A reseller's terms, printed on its quote documents (paragraphs separated by a blank line); the
   * document's default terms when absent (docs/DOCUMENT.md). In an org: Account.Quote_Terms__c.
   */
  quoteTerms: z.string().max(4000).optional(),
});
export type AccountRecord = z.infer<typeof accountRecordSchema>;

export const productRecordSchema = productSchema.extend({
  renewalPricingMethod: renewalPricingMethodSchema.optional(),
  /** Licences a distributor sells from its stock: ordering draws on its inventory. */
  tracksInventory: z.boolean().default(false),
});
export type ProductRecord = z.infer<typeof productRecordSchema>;

export const roleSchema = z.enum(['vendorAdmin', 'distributorUser', 'resellerUser']);
export type Role = z.infer<typeof roleSchema>;

export const userSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.string().min(3),
  role: roleSchema,
  accountId: z.string().min(1),
  /** How dates and amounts are written for this user (BCP 47, such as sv-SE); en-US when not set. */
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language and country such as sv-SE')
    .optional(),
});
export type User = z.infer<typeof userSchema>;

/** The locale a user's dates and amounts are written in. */
export const DEFAULT_LOCALE = 'en-US';

/** Salesforce's LocaleSidKey (sv_SE, de_DE_EURO, en_US) as a BCP 47 locale (sv-SE, de-DE, en-US). */
export function localeFromSid(sid: unknown): string | undefined {
  if (typeof sid !== 'string') return undefined;
  const [language, country] = sid.split('_');
  if (!language || !/^[a-z]{2,3}$/.test(language)) return undefined;
  return country && /^[A-Z]{2}$/.test(country) ? `${language}-${country}` : language;
}

/** Who is asking: every store read and service call is filtered by it. */
export type Viewer = { userId: string; role: Role; accountId: string };

/** Default distributor rules: most specific first (product family > country > region > any). */
export const defaultDistributorRuleSchema = z.strictObject({
  id: z.string().min(1),
  distributorId: z.string().min(1),
  country: z.string().optional(),
  region: z.string().optional(),
  family: z.string().optional(),
});
export type DefaultDistributorRule = z.infer<typeof defaultDistributorRuleSchema>;

export const quoteStatusSchema = z.enum(['Draft', 'NeedsApproval', 'Approved', 'Rejected', 'Accepted', 'Ordered', 'Expired']);
export type QuoteStatus = z.infer<typeof quoteStatusSchema>;

/**
 * Notes (docs/DOCUMENT.md): plain text printed on the quote document, the quote's under the lines and each
 * line's under that line. Not priced inputs. The limits are the org fields' (Channel_Quote__c.Notes__c
 * LongTextArea(4000), Channel_Quote_Line__c.Notes__c LongTextArea(1000)); a JavaScript string's length counts
 * UTF-16 units, never fewer than the characters Salesforce counts. Tabs and line breaks are the only control
 * characters allowed.
 */
/**
 * A quote's name is its record's Name in an org: a custom object's Text name field holds at most 80 characters
 * (a longer one is STRING_TOO_LONG there), so every server refuses more (docs/ORG-CHECKS.md).
 */
export const QUOTE_NAME_MAX = 80;
export const QUOTE_NOTES_MAX = 4000;
export const LINE_NOTES_MAX = 1000;
/** Control characters a note may not hold: all of C0 and C1 but tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex
export const NOTES_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const notesSchema = (max: number) =>
  z
    .string({ error: 'must be text' })
    .max(max, { error: `must be at most ${max} characters` })
    .refine((v) => !NOTES_FORBIDDEN.test(v), {
      error: 'may hold only plain text (no control characters but tabs and line breaks)',
    });
export const quoteNotesSchema = notesSchema(QUOTE_NOTES_MAX);
export const lineNotesSchema = notesSchema(LINE_NOTES_MAX);

export const quoteLineRecordSchema = z.strictObject({
  id: z.string().min(1),
  productId: z.string().min(1),
  quantity: quantitySchema,
  termMonths: lineTermMonthsSchema.optional(),
  /**
   * A co-terminated renewal line of a contract that ends after the group's earliest: the day after its own
   * contract ends (its term runs from there to the quote's end, prorated). Absent: the quote's start date.
   */
  startDate: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
  additionalDiscountPercent: percentSchema.optional(),
  additionalDiscountAmount: moneySchema.optional(),
  renewalCustomerUnit: moneySchema.optional(),
  group: z.string().optional(),
  /** The line's note for the end customer, printed under the line on the document; never priced. */
  notes: lineNotesSchema.optional(),
});
export type QuoteLineRecord = z.infer<typeof quoteLineRecordSchema>;

export type QuoteRecord = {
  id: string;
  number: string;
  name: string;
  resellerId: string;
  distributorId: string;
  endCustomerId: string;
  currency: string;
  status: QuoteStatus;
  startDate: string;
  pricingDate?: string;
  termMonths?: number;
  /**
   * The vendor admin's override of the channel mode for this quote only (PRICING.md); absent: the mode of
   * the reseller's agreement with the distributor. Who set it and when are recorded with it.
   */
  channelMode?: z.infer<typeof channelModeSchema>;
  channelModeSetBy?: string;
  channelModeSetAt?: string;
  /**
   * The quote discount (docs/PRICING-NOTES.md, Quote discount): the additional discount percent of every
   * discountable line that has none of its own. Set by the reseller; absent: none.
   */
  additionalDiscountPercent?: string;
  /**
   * The reseller's registration this quote was converted from (CHANNEL.md): its families earn the
   * agreement's registeredDealBonusPercent while it protects them (pricing date on or before protectedUntil).
   */
  registeredDeal?: { id: string; number: string; families: string[]; protectedUntil: string };
  expiryDate: string;
  /** Optimistic concurrency: every save names the version it read. */
  version: number;
  /** Contracts this quote renews (renewal quotes only). */
  renewalOfContractIds: string[];
  /** Contracts from this quote co-terminate with others of the same group at renewal. */
  contractGroup?: string;
  /** The reseller submitted the accepted quote to its distributor, which places the order. */
  orderRequest?: { requestedBy: string; requestedAt: string; comment: string };
  /** The end customer's purchase order number, given when the quote was accepted (docs/DOCUMENT.md). */
  purchaseOrderNumber?: string;
  /** The version of the quote document the end customer accepted. */
  acceptedDocumentVersion?: number;
  /** The quote's note for the end customer, printed on the document (docs/DOCUMENT.md); never priced. */
  notes?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  lines: QuoteLineRecord[];
  /** Totals of the last server pricing, for lists and dashboards (full figures are re-priced on read). */
  customerTotal: string | null;
  partnerTotal: string | null;
  netTotal: string | null;
  approvalRequired: boolean;
};

/**
 * The approval chain (CHANNEL.md): the distributor decides discounts above the reseller's cap, then the vendor
 * admin decides lines below a price floor or above vendorApprovalAbovePercent.
 */
export const APPROVAL_LEVELS = ['Distributor', 'Vendor'] as const;
export type ApprovalLevel = (typeof APPROVAL_LEVELS)[number];

export type ApprovalRecord = {
  id: string;
  quoteId: string;
  /** Who decides this request; records written before the chain existed are Distributor. */
  level: ApprovalLevel;
  /** Withdrawn: the reseller withdrew the request, or edited the quote while it waited (never a rejection). */
  status: 'Pending' | 'Approved' | 'Rejected' | 'Withdrawn';
  requestedBy: string;
  requestedAt: string;
  comment: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionComment: string | null;
};

/** Frozen prices of one ordered line: the waterfall as it was when the order was placed. */
export type OrderLineRecord = {
  id: string;
  productId: string;
  quantity: string;
  termMonths: number | null;
  list: string;
  regular: string;
  customer: string;
  partner: string;
  net: string;
  customerTotal: string;
  partnerTotal: string;
  netTotal: string;
};

export type OrderRecord = {
  id: string;
  number: string;
  /** resale: a reseller's quote ordered through its distributor; replenishment: a distributor buying stock. */
  kind: 'resale' | 'replenishment';
  quoteId: string | null;
  distributorId: string;
  resellerId: string | null;
  endCustomerId: string | null;
  currency: string;
  status: 'Placed' | 'Activated';
  placedBy: string;
  placedAt: string;
  /** The date bookings count from. */
  orderDate: string;
  customerTotal: string | null;
  partnerTotal: string | null;
  netTotal: string;
  lines: OrderLineRecord[];
};

export type InventoryRecord = { distributorId: string; productId: string; quantity: string };

export type SubscriptionRecord = {
  id: string;
  contractId: string;
  productId: string;
  quantity: string;
  termMonths: number;
  customerUnit: string;
  partnerUnit: string;
  netUnit: string;
  renewalPricingMethod?: RenewalPricingMethod;
  renewalUpliftPercent?: string;
};

export type ContractRecord = {
  id: string;
  number: string;
  orderId: string;
  resellerId: string;
  distributorId: string;
  endCustomerId: string;
  currency: string;
  startDate: string;
  endDate: string;
  termMonths: number;
  contractGroup?: string;
  renewalPricingMethod?: RenewalPricingMethod;
  renewalUpliftPercent?: string;
  /** Set once, atomically with the renewal quote's creation: what makes generation idempotent. */
  renewalQuoteId: string | null;
  /**
   * The status of that renewal quote, read with the contract (never written with it): what the contract's
   * renewal status derives from (core/renewals.ts contractRenewalStatus).
   */
  renewalQuoteStatus?: QuoteStatus;
  status: 'Active' | 'Expired';
  subscriptions: SubscriptionRecord[];
};

/** Everything pricing needs besides the quote: the scenario minus the quote. */
export const catalogSnapshotSchema = z.object({
  settings: settingsSchema,
  accounts: z.array(accountRecordSchema),
  products: z.array(productRecordSchema),
  priceBook: z.array(priceBookEntrySchema),
  discountSchedules: z.array(discountScheduleSchema),
  agreements: z.array(agreementSchema),
});
