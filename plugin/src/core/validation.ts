import type { z } from 'zod';
import { minorUnits } from './currency.js';
import { MAX_EXACT, QUANTITY_DECIMALS, decimalPlaces, formatScaled, parseScaled } from './exact.js';
import { compileRates, rateOn } from './rates.js';
import {
  scenarioSchema,
  type Account,
  type Agreement,
  type DiscountSchedule,
  type ExchangeRate,
  type Product,
  type Scenario,
} from './scenario.js';

export type ScenarioIssueCode =
  | 'INVALID_INPUT'
  | 'UNKNOWN_REFERENCE'
  | 'ACCOUNT_TYPE'
  | 'DUPLICATE_ID'
  | 'UNKNOWN_CURRENCY'
  | 'CURRENCY_PRECISION'
  | 'INVALID_SCHEDULE'
  | 'INVALID_DATES'
  | 'AGREEMENT_OVERLAP'
  | 'DUPLICATE_RULE'
  | 'DUPLICATE_TIER'
  | 'INVALID_RULE'
  | 'NO_EXCHANGE_RATE';

/** One reason a scenario (or an imported record) is refused: a code, the dotted path of the field, words. */
export type ScenarioIssue = {
  code: ScenarioIssueCode;
  path: string;
  message: string;
};

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: ScenarioIssue[] };

/** Thrown by `parseScenarioOrThrow`; its message lists every issue with its path. */
export class ScenarioError extends Error {
  public constructor(public readonly issues: ScenarioIssue[]) {
    super(formatIssues(issues));
    this.name = 'ScenarioError';
  }
}

export function formatIssues(issues: readonly ScenarioIssue[]): string {
  return issues.map((i) => `${i.path || '(document)'}: ${i.message} [${i.code}]`).join('\n');
}

function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/**
 * Turns zod's issues into messages a partner can act on. Given the `input` that was parsed, a missing
 * field says "is required" even where its schema words the wrong-type message itself.
 */
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
  input?: unknown,
): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          code: 'INVALID_INPUT',
          path: dotted([...path, key]),
          message: `"${key}" is not a known field here (check the spelling)`,
        });
      }
      continue;
    }
    let message = issue.message;
    const missing = input !== undefined && valueAt(input, issue.path) === undefined;
    if (issue.code === 'invalid_type' && (missing || /received undefined$/.test(message))) message = 'is required';
    else if (issue.code === 'invalid_type') message = `must be ${article(issue.expected)}`;
    out.push({ code: 'INVALID_INPUT', path: dotted(path), message });
  }
  return out;
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'an object';
  if (expected === 'int') return 'a whole number';
  return `a ${expected}`;
}

/** Parses and fully validates a scenario document. */
export function parseScenario(input: unknown): ParseResult<Scenario> {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: fromZodIssues(parsed.error.issues, [], input) };
  const issues = validateScenario(parsed.data);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: parsed.data };
}

export function parseScenarioOrThrow(input: unknown): Scenario {
  const result = parseScenario(input);
  if (!result.ok) throw new ScenarioError(result.issues);
  return result.value;
}

/** Checks what spans more than one field: references, types, currencies, schedules, agreements. */
export function validateScenario(s: Scenario): ScenarioIssue[] {
  const reference = validateReference(s);
  return [...reference.issues, ...validateQuoteAgainst(s.quote, reference)];
}

/** What the reference part of a scenario is, indexed once, for validating many quotes against it. */
export type ValidatedReference = {
  issues: ScenarioIssue[];
  accounts: ReadonlyMap<string, Account>;
  products: ReadonlyMap<string, Product>;
};

/** The catalog, parties, agreements and bookings of a scenario (everything but its quote). */
export function validateReference(s: Omit<Scenario, 'quote'>): ValidatedReference {
  const issues: ScenarioIssue[] = [];
  const add = (code: ScenarioIssueCode, path: string, message: string): void => {
    issues.push({ code, path, message });
  };

  const accounts = indexById(s.accounts, 'accounts', issues);
  const products = indexById(s.products, 'products', issues);
  const schedules = indexById(s.discountSchedules, 'discountSchedules', issues);
  indexById(s.agreements, 'agreements', issues);

  const vendors = s.accounts.filter((a) => a.type === 'vendor');
  if (vendors.length !== 1) {
    add('ACCOUNT_TYPE', 'accounts', `there must be exactly one account of type vendor (found ${vendors.length})`);
  }

  checkCurrency(s.settings.bookingsCurrency, 'settings.bookingsCurrency', issues);

  s.products.forEach((p, i) => {
    if (p.discountScheduleId !== undefined && !schedules.has(p.discountScheduleId)) {
      add(
        'UNKNOWN_REFERENCE',
        `products.${i}.discountScheduleId`,
        `product ${p.id} names discount schedule "${p.discountScheduleId}", which does not exist`,
      );
    }
    if (p.type === 'subscription' && p.termMonths === undefined) {
      add(
        'INVALID_INPUT',
        `products.${i}.termMonths`,
        `subscription product ${p.id} needs termMonths (the term its list price is for)`,
      );
    }
  });

  const families = new Set<string>();
  s.productFamilies.forEach((f, i) => {
    if (families.has(f.family)) {
      add('DUPLICATE_ID', `productFamilies.${i}.family`, `the product family "${f.family}" is listed twice`);
    }
    families.add(f.family);
  });

  const priceKeys = new Set<string>();
  s.priceBook.forEach((e, i) => {
    if (!products.has(e.productId)) {
      add(
        'UNKNOWN_REFERENCE',
        `priceBook.${i}.productId`,
        `price book entry names product "${e.productId}", which does not exist`,
      );
    }
    const key = `${e.productId}\u0000${e.currency}`;
    if (priceKeys.has(key)) {
      add('DUPLICATE_ID', `priceBook.${i}`, `product ${e.productId} has two ${e.currency} prices in the price book`);
    }
    priceKeys.add(key);
    if (checkCurrency(e.currency, `priceBook.${i}.currency`, issues)) {
      checkPrecision(e.listPrice, e.currency, `priceBook.${i}.listPrice`, issues);
    }
  });

  s.discountSchedules.forEach((d, i) => issues.push(...validateSchedule(d, `discountSchedules.${i}`)));

  issues.push(...validateAgreements(s.agreements, accounts, products, s.settings.bookingsCurrency));

  issues.push(...validateExchangeRates(s.exchangeRates, s.settings.bookingsCurrency));
  const rates = compileRates(s.exchangeRates, s.settings.bookingsCurrency);
  s.bookings.forEach((b, i) => {
    if (!accounts.has(b.partnerId)) {
      add('UNKNOWN_REFERENCE', `bookings.${i}.partnerId`, `booking names account "${b.partnerId}", which does not exist`);
    }
    if (!accounts.has(b.sellerId)) {
      add('UNKNOWN_REFERENCE', `bookings.${i}.sellerId`, `booking names seller "${b.sellerId}", which does not exist`);
    }
    const currency = b.currency ?? s.settings.bookingsCurrency;
    if (b.currency === undefined || checkCurrency(b.currency, `bookings.${i}.currency`, issues)) {
      checkPrecision(b.amount, currency, `bookings.${i}.amount`, issues);
      if (rateOn(rates, currency, b.date) === undefined) {
        add(
          'NO_EXCHANGE_RATE',
          `bookings.${i}.currency`,
          `no exchange rate for ${currency} on ${b.date}: bookings count in ${s.settings.bookingsCurrency} at the rate valid on the order date`,
        );
      }
    }
  });
  return { issues, accounts, products };
}

/**
 * Dated exchange rates: known currencies, at most one rate per currency and start date, none for the
 * corporate currency (always 1). Shapes (positive, at most 6 decimals) are checked by the schema.
 */
export function validateExchangeRates(rates: readonly ExchangeRate[], corporate: string): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const seen = new Map<string, number>();
  rates.forEach((r, i) => {
    const path = `exchangeRates.${i}`;
    if (!checkCurrency(r.currency, `${path}.currency`, issues)) return;
    if (r.currency === corporate) {
      issues.push({
        code: 'INVALID_INPUT',
        path: `${path}.currency`,
        message: `${corporate} is the corporate currency: its rate is always 1 and cannot be set`,
      });
    }
    const key = `${r.currency}\u0000${r.startDate}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({
        code: 'DUPLICATE_ID',
        path,
        message: `${r.currency} has two rates starting on ${r.startDate} (exchange rates ${first + 1} and ${i + 1})`,
      });
    } else {
      seen.set(key, i);
    }
  });
  return issues;
}

/** The quote's own checks against a validated reference: parties, currency, lines. */
export function validateQuoteAgainst(q: Scenario['quote'], reference: ValidatedReference): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const add = (code: ScenarioIssueCode, path: string, message: string): void => {
    issues.push({ code, path, message });
  };
  const { accounts, products } = reference;
  checkAccount(accounts, q.resellerId, 'reseller', 'quote.resellerId', issues);
  checkAccount(accounts, q.distributorId, 'distributor', 'quote.distributorId', issues);
  checkAccount(accounts, q.endCustomerId, 'endCustomer', 'quote.endCustomerId', issues);
  const quoteCurrencyOk = checkCurrency(q.currency, 'quote.currency', issues);
  const lineIds = new Set<string>();
  q.lines.forEach((line, i) => {
    const path = `quote.lines.${i}`;
    if (!products.has(line.productId)) {
      add('UNKNOWN_REFERENCE', `${path}.productId`, `line ${i + 1} names product "${line.productId}", which does not exist`);
    }
    const lineId = line.id ?? `L${i + 1}`;
    if (lineIds.has(lineId)) add('DUPLICATE_ID', `${path}.id`, `two lines have the id "${lineId}"`);
    lineIds.add(lineId);
    if (quoteCurrencyOk && line.additionalDiscountAmount !== undefined) {
      checkPrecision(line.additionalDiscountAmount, q.currency, `${path}.additionalDiscountAmount`, issues);
    }
    if (quoteCurrencyOk && line.renewalCustomerUnit !== undefined) {
      checkPrecision(line.renewalCustomerUnit, q.currency, `${path}.renewalCustomerUnit`, issues);
      if (line.additionalDiscountPercent !== undefined || line.additionalDiscountAmount !== undefined) {
        add(
          'INVALID_INPUT',
          `${path}.renewalCustomerUnit`,
          'a renewal line with a fixed customer price takes no additional discount',
        );
      }
    }
  });
  return issues;
}

function indexById<T extends { id: string }>(records: readonly T[], path: string, issues: ScenarioIssue[]): Map<string, T> {
  const map = new Map<string, T>();
  records.forEach((r, i) => {
    if (map.has(r.id)) {
      issues.push({ code: 'DUPLICATE_ID', path: `${path}.${i}.id`, message: `the id "${r.id}" is used twice in ${path}` });
    } else {
      map.set(r.id, r);
    }
  });
  return map;
}

function checkCurrency(code: string, path: string, issues: ScenarioIssue[]): boolean {
  if (minorUnits(code) !== undefined) return true;
  issues.push({ code: 'UNKNOWN_CURRENCY', path, message: `"${code}" is not an ISO 4217 currency code` });
  return false;
}

/**
 * A money amount against its currency: no more decimals than the currency's minor unit, and within the exact
 * range of the engine (at most 2^53 - 1 minor units: 90,071,992,547,409.91 USD), so that pricing never meets
 * an amount it cannot hold.
 */
function checkPrecision(amount: string, currency: string, path: string, issues: ScenarioIssue[]): void {
  const digits = minorUnits(currency);
  if (digits === undefined) return;
  if (decimalPlaces(amount) > digits) {
    issues.push({
      code: 'CURRENCY_PRECISION',
      path,
      message: `${amount} has more decimals than ${currency} allows (${digits})`,
    });
  } else if (parseScaled(amount, digits) === undefined) {
    issues.push({ code: 'INVALID_INPUT', path, message: moneyRangeMessage(amount, currency, digits) });
  }
}

/** Words of the exact-range refusal, shared with the Apex validator (PricingValidator.checkPrecision). */
export function moneyRangeMessage(amount: string, currency: string, digits: number): string {
  return `${amount} ${currency} is too large: amounts are computed exactly up to ${formatScaled(MAX_EXACT, digits)} ${currency} (2^53 - 1 minor units)`;
}

function checkAccount(
  accounts: ReadonlyMap<string, Account>,
  accountId: string,
  type: Account['type'],
  path: string,
  issues: ScenarioIssue[],
): void {
  const account = accounts.get(accountId);
  if (!account) {
    issues.push({ code: 'UNKNOWN_REFERENCE', path, message: `account "${accountId}" does not exist` });
  } else if (account.type !== type) {
    issues.push({ code: 'ACCOUNT_TYPE', path, message: `account ${accountId} is a ${account.type}, not a ${type}` });
  }
}

/** Schedules: contiguous tiers, only the last one open, slab never aggregated by quote. */
export function validateSchedule(d: DiscountSchedule, path: string): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const add = (p: string, message: string): void => {
    issues.push({ code: 'INVALID_SCHEDULE', path: p, message });
  };
  if (d.type === 'slab' && d.aggregation === 'quote') {
    add(`${path}.aggregation`, `schedule ${d.id}: a slab schedule cannot aggregate by quote (only range schedules can)`);
  }
  const scaled = (s: string): number => parseScaled(s, QUANTITY_DECIMALS) ?? 0;
  d.tiers.forEach((t, i) => {
    const last = i === d.tiers.length - 1;
    if (t.to === undefined && !last) {
      add(`${path}.tiers.${i}.to`, `schedule ${d.id}: only the last tier may be open (tier ${i + 1} has no "to")`);
    }
    if (t.to !== undefined && last) {
      add(`${path}.tiers.${i}.to`, `schedule ${d.id}: the last tier must be open (remove its "to")`);
    }
    if (t.to !== undefined && scaled(t.to) <= scaled(t.from)) {
      add(`${path}.tiers.${i}.to`, `schedule ${d.id}: tier ${i + 1} ends at ${t.to}, not after its start ${t.from}`);
    }
    const previous = d.tiers[i - 1];
    if (previous?.to !== undefined && scaled(previous.to) !== scaled(t.from)) {
      add(
        `${path}.tiers.${i}.from`,
        `schedule ${d.id}: tier ${i + 1} starts at ${t.from} but tier ${i} ends at ${previous.to}; tiers must be contiguous`,
      );
    }
  });
  return issues;
}

/**
 * Agreements as they are saved or imported: references, dates, rules, and the two rules that keep
 * resolution free of ties (no overlapping Active agreements for one partner and seller, no two rules
 * with the same scope, value and minQuantity).
 */
export function validateAgreements(
  agreements: readonly Agreement[],
  accounts: ReadonlyMap<string, Account>,
  products: ReadonlyMap<string, Product>,
  bookingsCurrency: string,
): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const add = (code: ScenarioIssueCode, path: string, message: string): void => {
    issues.push({ code, path, message });
  };
  agreements.forEach((a, i) => {
    const path = `agreements.${i}`;
    const partner = accounts.get(a.partnerId);
    const seller = accounts.get(a.sellerId);
    if (!partner) add('UNKNOWN_REFERENCE', `${path}.partnerId`, `agreement ${a.id}: account "${a.partnerId}" does not exist`);
    if (!seller) add('UNKNOWN_REFERENCE', `${path}.sellerId`, `agreement ${a.id}: account "${a.sellerId}" does not exist`);
    if (partner && seller) {
      const expectedSeller = partner.type === 'reseller' ? 'distributor' : partner.type === 'distributor' ? 'vendor' : undefined;
      if (!expectedSeller) {
        add(
          'ACCOUNT_TYPE',
          `${path}.partnerId`,
          `agreement ${a.id}: the partner must be a reseller or a distributor, not a ${partner.type}`,
        );
      } else if (seller.type !== expectedSeller) {
        add(
          'ACCOUNT_TYPE',
          `${path}.sellerId`,
          `agreement ${a.id}: a ${partner.type} buys from a ${expectedSeller}, but ${a.sellerId} is a ${seller.type}`,
        );
      }
    }
    if (a.validTo !== undefined && a.validTo < a.validFrom) {
      add('INVALID_DATES', `${path}.validTo`, `agreement ${a.id} ends (${a.validTo}) before it starts (${a.validFrom})`);
    }
    const ruleKeys = new Map<string, number>();
    a.rules.forEach((r, j) => {
      const rulePath = `${path}.rules.${j}`;
      if (r.scope === 'all' && r.value !== undefined && r.value !== '') {
        add('INVALID_RULE', `${rulePath}.value`, `agreement ${a.id} rule ${j + 1}: a rule for all products takes no value`);
      }
      if (r.scope !== 'all' && (r.value === undefined || r.value === '')) {
        add(
          'INVALID_RULE',
          `${rulePath}.value`,
          `agreement ${a.id} rule ${j + 1}: a ${r.scope} rule needs a value (which ${r.scope})`,
        );
      }
      if (r.scope === 'product' && r.value && products.size > 0 && !products.has(r.value)) {
        add('UNKNOWN_REFERENCE', `${rulePath}.value`, `agreement ${a.id} rule ${j + 1}: product "${r.value}" does not exist`);
      }
      const minQuantity = r.minQuantity === undefined ? 0 : parseScaled(r.minQuantity, QUANTITY_DECIMALS);
      const key = `${r.scope}\u0000${r.scope === 'all' ? '' : (r.value ?? '')}\u0000${minQuantity}`;
      const first = ruleKeys.get(key);
      if (first !== undefined) {
        add(
          'DUPLICATE_RULE',
          rulePath,
          `agreement ${a.id}: rules ${first + 1} and ${j + 1} have the same scope, value and minimum quantity`,
        );
      } else {
        ruleKeys.set(key, j);
      }
    });
    const thresholds = new Map<string, number>();
    a.tiers.forEach((t, j) => {
      const threshold = parseScaled(t.minBookings, 6);
      const thresholdKey = threshold === undefined ? t.minBookings : String(threshold);
      const firstTier = thresholds.get(thresholdKey);
      if (firstTier !== undefined) {
        add(
          'DUPLICATE_TIER',
          `${path}.tiers.${j}.minBookings`,
          `agreement ${a.id}: tiers ${firstTier + 1} and ${j + 1} have the same minBookings (${t.minBookings}); each tier needs its own threshold`,
        );
      } else {
        thresholds.set(thresholdKey, j);
      }
      checkPrecision(t.minBookings, bookingsCurrency, `${path}.tiers.${j}.minBookings`, issues);
    });
  });

  // Overlaps: Active agreements of one partner with one seller, compared pairwise per pair of parties.
  const byParties = new Map<string, number[]>();
  agreements.forEach((a, i) => {
    if (a.status !== 'Active') return;
    const key = `${a.partnerId}\u0000${a.sellerId}`;
    const list = byParties.get(key) ?? [];
    list.push(i);
    byParties.set(key, list);
  });
  for (const indexes of byParties.values()) {
    for (let x = 0; x < indexes.length; x++) {
      for (let y = x + 1; y < indexes.length; y++) {
        const a = agreements[indexes[x]!]!;
        const b = agreements[indexes[y]!]!;
        if (overlaps(a, b)) {
          add(
            'AGREEMENT_OVERLAP',
            `agreements.${indexes[y]}`,
            `agreements ${a.id} and ${b.id} are both Active for ${b.partnerId} buying from ${b.sellerId} and their dates overlap`,
          );
        }
      }
    }
  }
  return issues;
}

function overlaps(a: Agreement, b: Agreement): boolean {
  const aEnd = a.validTo ?? '9999-12-31';
  const bEnd = b.validTo ?? '9999-12-31';
  return a.validFrom <= bEnd && b.validFrom <= aEnd;
}
