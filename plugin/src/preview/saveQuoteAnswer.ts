import { z } from 'zod';
import { quoteStatusSchema } from '../core/records.js';

/**
 * The contract of QuoteController.saveQuote's answer (services/quotes.ts SaveQuoteAnswer, docs/CONTROLLERS.md):
 * checked on the preview server's and the Apex controller's answers alike (plugin/test/preview/saveAnswer.test.ts,
 * scripts/apex-story.mjs). Known keys are checked; others (the head's account names, a line's trace) pass.
 */
const text = z.string();
const money = z.string().nullable();
const stage = z.looseObject({ unit: money, total: money });

export const saveQuoteAnswerSchema = z.strictObject({
  quote: z
    .looseObject({
      id: text.min(1),
      number: text,
      name: text,
      status: quoteStatusSchema,
      version: z.int().min(1),
      currency: text,
      startDate: text,
      expiryDate: text,
      updatedAt: text,
      customerTotal: money,
      partnerTotal: money,
      approvalRequired: z.boolean(),
      lineIds: z.array(text.min(1)),
    })
    .refine((q) => !('lines' in q), { error: 'the save answer names the lines by lineIds; it carries no line list' }),
  pricing: z.looseObject({
    currency: text,
    pricingDate: text,
    totals: z.looseObject({ customer: text, partner: text }).nullable(),
    approvalRequired: z.boolean(),
    orderable: z.boolean(),
    lines: z.array(z.looseObject({ lineId: text.min(1), productId: text, quantity: text, customer: stage, partner: stage })),
  }),
  actions: z.strictObject({
    canEdit: z.boolean(),
    canWithdraw: z.boolean(),
    canSubmitForApproval: z.boolean(),
    canDecideApproval: z.boolean(),
    canAccept: z.boolean(),
    canRequestOrder: z.boolean(),
    canPlaceOrder: z.boolean(),
  }),
  approvals: z.array(z.looseObject({ status: text, requestedBy: text })).optional(),
});

/** Keys a reseller's answer never carries, at any depth (PRICING.md: no Net, no distributor terms). */
export const RESELLER_HIDDEN_KEYS = ['net', 'netTotal', 'distributorMargin', 'distributorDiscount', 'distributor'] as const;

/** The paths of hidden keys found in `value` (empty for a proper reseller answer). */
export function hiddenKeyPaths(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const found: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const here = path === '' ? key : `${path}.${key}`;
    if (!Array.isArray(value) && (RESELLER_HIDDEN_KEYS as readonly string[]).includes(key)) found.push(here);
    found.push(...hiddenKeyPaths(child, here));
  }
  return found;
}
