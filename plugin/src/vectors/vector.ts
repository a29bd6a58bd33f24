import { z } from 'zod';
import { Decimal } from 'decimal.js';
import { fromZodIssues, parseScenario, priceValidScenario, type ScenarioIssue } from '../core/index.js';
import type { PricedLineJson, PricedQuoteJson } from '../core/index.js';

/**
 * A vector = a scenario + `expected` (docs/SCENARIO-FORMAT.md). Only the expectations given are
 * checked. Money compares as exact strings (so "855" for USD fails: formatting is part of the
 * contract); percentages compare as numbers ("25" equals "25.000").
 */

const nullableString = z.string().nullable();

export const lineExpectationSchema = z.strictObject({
  lineId: z.string().optional(),
  termMonths: z.number().nullable().optional(),
  list: nullableString.optional(),
  regular: nullableString.optional(),
  customer: nullableString.optional(),
  partner: nullableString.optional(),
  net: nullableString.optional(),
  listTotal: nullableString.optional(),
  regularTotal: nullableString.optional(),
  customerTotal: nullableString.optional(),
  partnerTotal: nullableString.optional(),
  netTotal: nullableString.optional(),
  resellerMargin: nullableString.optional(),
  distributorMargin: nullableString.optional(),
  volumeDiscountPercent: nullableString.optional(),
  /** The additional discount applied (the line's own or the quote's) and whether it is the quote's. */
  additionalDiscountPercent: nullableString.optional(),
  additionalDiscountAmount: nullableString.optional(),
  additionalDiscountFromQuote: z.boolean().optional(),
  volumeTier: z.number().nullable().optional(),
  partnerDiscountPercent: nullableString.optional(),
  distributorDiscountPercent: nullableString.optional(),
  partnerAgreementId: nullableString.optional(),
  partnerRuleId: nullableString.optional(),
  partnerTier: nullableString.optional(),
  partnerRegisteredDealId: nullableString.optional(),
  distributorAgreementId: nullableString.optional(),
  distributorRuleId: nullableString.optional(),
  distributorTier: nullableString.optional(),
  approvalRequired: z.boolean().optional(),
  vendorApprovalRequired: z.boolean().optional(),
  priceFloorPercent: nullableString.optional(),
  priceFloorSource: nullableString.optional(),
  warnings: z.array(z.string()).optional(),
  errors: z.array(z.string()).optional(),
});

const totalsExpectationSchema = z.strictObject({
  list: z.string().optional(),
  regular: z.string().optional(),
  customer: z.string().optional(),
  partner: z.string().optional(),
  net: z.string().optional(),
  resellerMargin: z.string().optional(),
  distributorMargin: z.string().optional(),
});

export const expectationSchema = z.strictObject({
  invalid: z.array(z.strictObject({ code: z.string(), path: z.string().optional() })).optional(),
  lines: z.array(lineExpectationSchema).optional(),
  totals: totalsExpectationSchema.optional(),
  approvalRequired: z.boolean().optional(),
  vendorApprovalRequired: z.boolean().optional(),
  orderable: z.boolean().optional(),
});

/** The vector as a document: the scenario's fields are checked when it is priced, not here. */
export const vectorSchema = z.looseObject({
  description: z.string().optional(),
  source: z.string().optional(),
  expected: expectationSchema,
});

export type LineExpectation = z.infer<typeof lineExpectationSchema>;
export type Expectation = z.infer<typeof expectationSchema>;

/** The flat facts of one priced line that a vector can state. */
export function lineFacts(line: PricedLineJson): Required<LineExpectation> {
  return {
    lineId: line.lineId,
    termMonths: line.termMonths,
    list: line.list.unit,
    regular: line.regular.unit,
    customer: line.customer.unit,
    partner: line.partner.unit,
    net: line.net.unit,
    listTotal: line.list.total,
    regularTotal: line.regular.total,
    customerTotal: line.customer.total,
    partnerTotal: line.partner.total,
    netTotal: line.net.total,
    resellerMargin: line.resellerMargin,
    distributorMargin: line.distributorMargin,
    volumeDiscountPercent: line.volumeDiscount?.percent ?? null,
    additionalDiscountPercent: line.additionalDiscount.percent,
    additionalDiscountAmount: line.additionalDiscount.amount,
    additionalDiscountFromQuote: line.additionalDiscount.fromQuote === true,
    volumeTier: line.volumeDiscount?.tier ?? null,
    partnerDiscountPercent: line.partnerDiscount?.percent ?? null,
    distributorDiscountPercent: line.distributorDiscount?.percent ?? null,
    partnerAgreementId: line.partnerDiscount?.agreementId ?? null,
    partnerRuleId: line.partnerDiscount?.rule?.id ?? null,
    partnerTier: line.partnerDiscount?.tier ?? null,
    partnerRegisteredDealId: line.partnerDiscount?.registeredDealId ?? null,
    distributorAgreementId: line.distributorDiscount?.agreementId ?? null,
    distributorRuleId: line.distributorDiscount?.rule?.id ?? null,
    distributorTier: line.distributorDiscount?.tier ?? null,
    approvalRequired: line.approvalRequired,
    vendorApprovalRequired: line.vendorApprovalRequired,
    priceFloorPercent: line.priceFloor?.percent ?? null,
    priceFloorSource: line.priceFloor?.source ?? null,
    warnings: [...new Set(line.warnings.map((w) => w.code))].sort(),
    errors: [...new Set(line.errors.map((e) => e.code))].sort(),
  };
}

function same(key: string, expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return JSON.stringify([...new Set(expected)].sort()) === JSON.stringify(actual);
  }
  if (key.endsWith('Percent') && typeof expected === 'string' && typeof actual === 'string') {
    return new Decimal(expected).equals(new Decimal(actual));
  }
  return expected === actual;
}

function compareFields(where: string, expected: Record<string, unknown>, actual: Record<string, unknown>, out: string[]): void {
  for (const [key, want] of Object.entries(expected)) {
    if (want === undefined) continue;
    const got = actual[key];
    if (!same(key, want, got)) out.push(`${where}.${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
}

function checkInvalid(expected: NonNullable<Expectation['invalid']>, issues: ScenarioIssue[] | undefined, out: string[]): void {
  if (!issues) {
    out.push(`expected the scenario to be rejected with ${expected.map((e) => e.code).join(', ')}, but it priced`);
    return;
  }
  for (const want of expected) {
    const found = issues.some((i) => i.code === want.code && (want.path === undefined || i.path === want.path));
    if (!found) {
      out.push(
        `expected issue ${want.code}${want.path ? ` at ${want.path}` : ''}; reported: ${issues.map((i) => `${i.code} at ${i.path}`).join('; ')}`,
      );
    }
  }
}

function checkQuote(expected: Expectation, quote: PricedQuoteJson, out: string[]): void {
  if (expected.lines) {
    if (expected.lines.length !== quote.lines.length) {
      out.push(`expected ${expected.lines.length} line(s), got ${quote.lines.length}`);
    }
    expected.lines.forEach((want, i) => {
      const line = quote.lines[i];
      if (line) compareFields(`lines.${i}`, want, lineFacts(line), out);
    });
  }
  if (expected.totals) {
    if (!quote.totals) out.push('expected totals, but the quote has none');
    else compareFields('totals', expected.totals, quote.totals, out);
  }
  compareFields(
    'quote',
    {
      approvalRequired: expected.approvalRequired,
      vendorApprovalRequired: expected.vendorApprovalRequired,
      orderable: expected.orderable,
    },
    { ...quote },
    out,
  );
}

export type VectorOutcome = { ok: boolean; failures: string[] };

/** Replays one vector document: the failures say which field differs and how. */
export function replayVector(document: unknown): VectorOutcome {
  const shape = vectorSchema.safeParse(document);
  if (!shape.success) {
    return { ok: false, failures: fromZodIssues(shape.error.issues).map((i) => `vector ${i.path}: ${i.message}`) };
  }
  const { expected, source: _source, ...scenario } = shape.data;
  const parsed = parseScenario(scenario);
  const failures: string[] = [];
  if (expected.invalid) {
    checkInvalid(expected.invalid, parsed.ok ? undefined : parsed.issues, failures);
  } else if (!parsed.ok) {
    failures.push(...parsed.issues.map((i) => `scenario rejected: ${i.path}: ${i.message} [${i.code}]`));
  } else {
    checkQuote(expected, priceValidScenario(parsed.value), failures);
  }
  return { ok: failures.length === 0, failures };
}
