/* global console, process */
// npm run apex:crosscheck: runs the Apex pricing engine's own source offline and checks it against the
// vectors and the TypeScript engine. No org is reachable here, so the Apex classes in force-app (all but the
// tests) are translated to JavaScript (scripts/apex-transpile.mjs) over a small Apex runtime
// (scripts/apex-runtime.mjs: BigDecimal-style Decimal with its scale and rounding modes, case-insensitive
// String ==, value-keyed Map and Set, JSON.deserializeUntyped), then every test/vectors/*.json is
//   1. replayed with the rules of PricingEngineTest / plugin/src/vectors/vector.ts (its `expected` block), and
//   2. compared field by field with the TypeScript engine: every fact of every line, the totals, the quote
//      flags, and for refused scenarios the set of issue codes and paths.
// It checks the Apex logic, not the platform: the runtime encodes what the Apex reference says of Decimal.
import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { transpile } from './apex-transpile.mjs';
import { loadSchema } from './apex-schema.mjs';
import { untyped, ApexDecimal, add, mul, setStaticResource } from './apex-runtime.mjs';
import { priceScenario } from '../plugin/src/core/index.js';
import { lineFacts } from '../plugin/src/vectors/vector.js';
import { Decimal } from 'decimal.js';

const root = path.resolve(import.meta.dirname, '..');
const classesDir = path.join(root, 'force-app/main/default/classes');
const vectorsDir = path.join(root, 'test/vectors');

const apexInt = (n) => ApexDecimal.of(String(n), 'Integer');

// The runtime's Decimal against decimal.js first: what the crosscheck rests on.
selfTestRuntime();

function selfTestRuntime() {
  const D = Decimal.clone({ precision: 200 });
  const rnd = mulberry32(7);
  const text = () => {
    const digits = String(Math.floor(rnd() * 1e9)) + String(Math.floor(rnd() * 1e6));
    const scale = Math.floor(rnd() * 8);
    const t = digits.padStart(scale + 1, '0');
    return (rnd() < 0.2 ? '-' : '') + (scale ? `${t.slice(0, -scale)}.${t.slice(-scale)}` : t);
  };
  const modes = [
    ['HALF_UP', D.ROUND_HALF_UP],
    ['HALF_EVEN', D.ROUND_HALF_EVEN],
  ];
  for (let i = 0; i < 5000; i++) {
    const [a, b] = [text(), text()];
    const [x, y] = [ApexDecimal.of(a), ApexDecimal.of(b)];
    const scale = Math.floor(rnd() * 7);
    const [mode, dmode] = modes[i % 2];
    const results = [
      [x.setScale(apexInt(scale), mode).toPlainString(), new D(a).toFixed(scale, dmode), 'setScale'],
      [mul(x, y).toPlainString(), new D(a).times(b).toFixed(x.s + y.s), 'multiply'],
      [add(x, y).toPlainString(), new D(a).plus(b).toFixed(Math.max(x.s, y.s)), 'add'],
    ];
    if (y.u !== 0n)
      results.push([x.divide(y, apexInt(scale), mode).toPlainString(), new D(a).div(b).toFixed(scale, dmode), 'divide']);
    for (const [got, decimalJs, op] of results) {
      const want = decimalJs.replace(/^-(0(\.0+)?)$/, '$1'); // BigDecimal has no negative zero
      if (got !== want) throw new Error(`apex-runtime ${op}(${a}, ${b}, ${scale}, ${mode}) = ${got}, decimal.js says ${want}`);
    }
  }
}

// The engine's classes only (PricingGuard and the org's other classes use SOQL and DML: not for this runtime),
// in static-initializer order: the currency table and PricingMoney before the classes using them.
const ENGINE_CLASSES = [
  'PricingCurrencies',
  'PricingMoney',
  'PricingScenario',
  'PricingScenarioReader',
  'PricingRates',
  'PricingResult',
  'PricingValidator',
  'PricingAgreements',
  'PricingEngine',
  'PricingEngineTest',
];
const sources = ENGINE_CLASSES.map((name) => readFileSync(path.join(classesDir, `${name}.cls`), 'utf8'));
const moduleFile = path.join(mkdtempSync(path.join(tmpdir(), 'apex-engine-')), 'engine.mjs');
writeFileSync(
  moduleFile,
  transpile(sources, pathToFileURL(path.join(root, 'scripts/apex-runtime.mjs')).href, { sobjects: loadSchema().names() }),
);
const apex = await import(pathToFileURL(moduleFile).href);

const money = (amount, d) => {
  if (amount === null || amount === undefined) return null;
  if (amount.stripTrailingZeros().s > d) return `UNROUNDED ${amount.toPlainString()}`;
  return amount.setScale(apexInt(d)).toPlainString();
};
const pct = (p) => (p === null || p === undefined ? null : p.toPlainString());
const codes = (list) => [...new Set(list.items.map((m) => m.code))].sort();

/** The same facts as lineFacts in plugin/src/vectors/vector.ts, from an Apex PricingResult.Line. */
function apexLineFacts(line, d) {
  const channel = (c) => ({
    percent: c ? pct(c.percent) : null,
    agreementId: c ? c.agreementId : null,
    ruleId: c && c.rule ? c.rule.id : null,
    tier: c ? c.tier : null,
    registeredDealId: c ? c.registeredDealId : null,
  });
  const p = channel(line.partnerDiscount);
  const q = channel(line.distributorDiscount);
  return {
    lineId: line.lineId,
    termMonths: line.termMonths === null ? null : Number(line.termMonths.toPlainString()),
    list: money(line.listPrice.unit, d),
    regular: money(line.regularPrice.unit, d),
    customer: money(line.customerPrice.unit, d),
    partner: money(line.partnerPrice.unit, d),
    net: money(line.netPrice.unit, d),
    listTotal: money(line.listPrice.total, d),
    regularTotal: money(line.regularPrice.total, d),
    customerTotal: money(line.customerPrice.total, d),
    partnerTotal: money(line.partnerPrice.total, d),
    netTotal: money(line.netPrice.total, d),
    resellerMargin: money(line.resellerMargin, d),
    distributorMargin: money(line.distributorMargin, d),
    volumeDiscountPercent: line.volumeDiscount ? pct(line.volumeDiscount.percent) : null,
    additionalDiscountPercent: pct(line.additionalDiscount.percent),
    additionalDiscountAmount: money(line.additionalDiscount.amount, d),
    additionalDiscountFromQuote: line.additionalDiscount.fromQuote,
    volumeTier:
      line.volumeDiscount && line.volumeDiscount.tier !== null ? Number(line.volumeDiscount.tier.toPlainString()) : null,
    partnerDiscountPercent: p.percent,
    distributorDiscountPercent: q.percent,
    partnerAgreementId: p.agreementId,
    partnerRuleId: p.ruleId,
    partnerTier: p.tier,
    partnerRegisteredDealId: p.registeredDealId,
    distributorAgreementId: q.agreementId,
    distributorRuleId: q.ruleId,
    distributorTier: q.tier,
    approvalRequired: line.approvalRequired,
    vendorApprovalRequired: line.vendorApprovalRequired,
    priceFloorPercent: pct(line.floorPercent),
    priceFloorSource: line.floorSource ?? null,
    warnings: codes(line.warnings),
    errors: codes(line.errors),
  };
}

function same(key, want, got) {
  if (want === null || got === null || want === undefined || got === undefined) return (want ?? null) === (got ?? null);
  if (Array.isArray(want)) return JSON.stringify([...new Set(want)].sort()) === JSON.stringify(got);
  if (key.endsWith('Percent')) return ApexDecimal.of(want).cmp(ApexDecimal.of(got)) === 0;
  return want === got;
}

function compare(where, want, got, out) {
  for (const [key, value] of Object.entries(want)) {
    if (value === undefined) continue;
    if (!same(key, value, got[key]))
      out.push(`${where}.${key}: expected ${JSON.stringify(value)}, got ${JSON.stringify(got[key])}`);
  }
}

function apexTotals(t, d) {
  if (!t) return null;
  return {
    list: money(t.listTotal, d),
    regular: money(t.regularTotal, d),
    customer: money(t.customerTotal, d),
    partner: money(t.partnerTotal, d),
    net: money(t.netTotal, d),
    resellerMargin: money(t.resellerMargin, d),
    distributorMargin: money(t.distributorMargin, d),
  };
}

/** What the compared lines covered: line count and each error and warning code. */
const coverage = new Map();
function count(key) {
  coverage.set(key, (coverage.get(key) ?? 0) + 1);
}

function check(name, document) {
  const failures = [];
  const { expected, ...scenario } = document;
  let result;
  try {
    const doc = untyped(scenario);
    result = apex.PricingEngine.price(apex.PricingScenario.fromUntyped(doc));
  } catch (error) {
    return [`Apex threw ${error?.constructor?.name}: ${error?.message}\n${error?.stack?.split('\n').slice(0, 6).join('\n')}`];
  }
  const issues = result.issues.items.map((i) => ({ code: i.code, path: i.path }));
  const ts = priceScenario(scenario);

  // 1. The vector's own expectations (PricingEngineTest's rules).
  if (expected.invalid) {
    if (issues.length === 0) failures.push('expected the scenario to be rejected, but it priced');
    for (const want of expected.invalid) {
      if (!issues.some((i) => i.code === want.code && (want.path === undefined || i.path === want.path))) {
        failures.push(`expected issue ${want.code} at ${want.path}; reported ${JSON.stringify(issues)}`);
      }
    }
  } else if (issues.length > 0) {
    // A random scenario (no expectations) may be refused: part 2 compares the issues with TypeScript's.
    if (Object.keys(expected).length > 0) failures.push(`scenario rejected: ${JSON.stringify(issues)}`);
  } else {
    const d = Number(result.currencyDecimals.toPlainString());
    const lines = result.lines.items.map((l) => apexLineFacts(l, d));
    (expected.lines ?? []).forEach((want, i) => lines[i] && compare(`lines.${i}`, want, lines[i], failures));
    if (expected.lines && expected.lines.length !== lines.length)
      failures.push(`expected ${expected.lines.length} lines, got ${lines.length}`);
    if (expected.totals) compare('totals', expected.totals, apexTotals(result.totals, d) ?? {}, failures);
    compare(
      'quote',
      {
        approvalRequired: expected.approvalRequired,
        vendorApprovalRequired: expected.vendorApprovalRequired,
        orderable: expected.orderable,
      },
      result,
      failures,
    );
  }

  // 2. The TypeScript engine, field by field.
  if (!ts.ok) {
    const tsIssues = [...new Set(ts.issues.map((i) => `${i.code} ${i.path}`))].sort();
    const apexIssues = [...new Set(issues.map((i) => `${i.code} ${i.path}`))].sort();
    if (JSON.stringify(tsIssues) !== JSON.stringify(apexIssues)) {
      failures.push(`issues differ from TypeScript: ts ${JSON.stringify(tsIssues)} apex ${JSON.stringify(apexIssues)}`);
    }
  } else if (issues.length === 0) {
    const d = Number(result.currencyDecimals.toPlainString());
    ts.quote.lines.forEach((line, i) => {
      const a = result.lines.items[i];
      if (!a) failures.push(`ts line ${i} missing in Apex`);
      else {
        const facts = apexLineFacts(a, d);
        compare(`ts.lines.${i}`, lineFacts(line), facts, failures);
        // The messages too (the portal shows them): same text for each code and stage.
        const text = (list) => list.map((m) => `${m.code} ${m.stage ?? ''}: ${m.message}`);
        for (const kind of ['warnings', 'errors']) {
          const want = text(line[kind]);
          const got = text(a[kind].items);
          if (JSON.stringify(want) !== JSON.stringify(got))
            failures.push(`ts.lines.${i}.${kind} messages: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
        }
        count('lines');
        if (facts.additionalDiscountFromQuote) count('quote discount');
        for (const code of [...facts.errors, ...facts.warnings]) count(code);
      }
    });
    if ((ts.quote.totals === null) !== (result.totals === null)) failures.push('totals: one engine has none');
    if (result.totals === null) count('quotes with totals beyond exact range');
    compare('ts.totals', ts.quote.totals ?? {}, apexTotals(result.totals, d) ?? {}, failures);
    compare(
      'ts.quote',
      {
        approvalRequired: ts.quote.approvalRequired,
        vendorApprovalRequired: ts.quote.vendorApprovalRequired,
        orderable: ts.quote.orderable,
      },
      result,
      failures,
    );
    compare(
      'ts.parties',
      {
        reseller: ts.quote.reseller.agreementId,
        resellerTier: ts.quote.reseller.tier,
        resellerBookings: ts.quote.reseller.bookings,
      },
      {
        reseller: result.reseller.agreementId,
        resellerTier: result.reseller.tier,
        resellerBookings: result.reseller.bookings.toPlainString(),
      },
      failures,
    );
  }
  return failures;
}

// ---- random scenarios: the same comparison with the TypeScript engine over many generated quotes.

function mulberry32(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomScenario(rnd) {
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = (xs) => xs[int(0, xs.length - 1)];
  const chance = (p) => rnd() < p;
  const decimalText = (units, decimals) => {
    const t = String(units).padStart(decimals + 1, '0');
    return decimals === 0 ? t : `${t.slice(0, -decimals)}.${t.slice(-decimals)}`;
  };
  const percent = () => (chance(0.3) ? String(int(0, 40)) : decimalText(int(0, 40_000_000), 6));
  // One scenario in ten has huge amounts and quantities: AMOUNT_TOO_LARGE and totals beyond exact range.
  const big = chance(0.1);
  const quantity = () =>
    big && chance(0.5) ? int(1, 1_000_000_000) : chance(0.7) ? int(1, 120) : decimalText(int(1, 12_000), 2);
  const currency = pick(['USD', 'EUR', 'JPY', 'KWD']);
  const d = { USD: 2, EUR: 2, JPY: 0, KWD: 3 }[currency];
  const schedules = [];
  for (let i = 0; i < 2; i++) {
    const type = pick(['range', 'slab']);
    const tiers = [];
    let from = pick([0, 1]);
    const count = int(1, 4);
    for (let t = 0; t < count; t++) {
      const to = t === count - 1 ? undefined : from + int(1, 30);
      tiers.push({ from: String(from), ...(to === undefined ? {} : { to: String(to) }), discountPercent: percent() });
      if (to !== undefined) from = to;
    }
    schedules.push({ id: `S${i}`, type, aggregation: type === 'range' && chance(0.4) ? 'quote' : 'line', tiers });
  }
  const products = [];
  const priceBook = [];
  for (let i = 0; i < 4; i++) {
    const subscription = chance(0.5);
    products.push({
      id: `P${i}`,
      family: pick(['F1', 'F2']),
      type: subscription ? 'subscription' : 'oneTime',
      ...(subscription ? { termMonths: pick([1, 12, 12, 36]) } : {}),
      ...(chance(0.6) ? { discountScheduleId: pick(['S0', 'S1']) } : {}),
      nonDiscountable: chance(0.1),
      nonPartnerDiscountable: chance(0.1),
      // Price floors (vendorApprovalRequired): some products, some families; most floors near real Net shares.
      ...(chance(0.3) ? { minNetPercentOfList: chance(0.5) ? String(int(30, 80)) : decimalText(int(0, 100_000_000), 6) } : {}),
    });
    if (chance(0.93))
      priceBook.push({
        productId: `P${i}`,
        currency,
        listPrice: decimalText(big ? int(0, 999_999_999_999_999) : int(0, 50_000_000), d),
      });
  }
  const productFamilies = [];
  for (const family of ['F1', 'F2']) {
    if (chance(0.4))
      productFamilies.push({
        family,
        ...(chance(0.8) ? { minNetPercentOfList: chance(0.5) ? String(int(30, 80)) : percent() } : {}),
      });
  }
  const rules = (prefix) => {
    const out = [];
    const used = new Set();
    for (let i = 0; i < int(0, 5); i++) {
      const scope = pick(['all', 'family', 'product']);
      const value = scope === 'all' ? undefined : scope === 'family' ? pick(['F1', 'F2']) : pick(['P0', 'P1', 'P2', 'P3']);
      const minQuantity = chance(0.4) ? String(int(1, 40)) : undefined;
      const key = `${scope}/${value}/${minQuantity ?? '0'}`;
      if (used.has(key)) continue;
      used.add(key);
      out.push({
        id: `${prefix}${i}`,
        scope,
        ...(value === undefined ? {} : { value }),
        ...(minQuantity === undefined ? {} : { minQuantity }),
        discountPercent: percent(),
        ...(chance(0.4) ? { maxAdditionalDiscountPercent: percent() } : {}),
      });
    }
    return out;
  };
  const tiers = () =>
    chance(0.5)
      ? [
          { name: 'Silver', minBookings: '0', bonusPercent: percent() },
          { name: 'Gold', minBookings: decimalText(int(0, 20_000_000), 2), bonusPercent: String(int(0, 90)) },
        ]
      : [];
  const agreements = [];
  if (chance(0.9)) {
    agreements.push({
      id: 'A-R',
      partnerId: 'R1',
      sellerId: 'D1',
      validFrom: '2026-01-01',
      ...(chance(0.8) ? { validTo: pick(['2026-12-31', '2026-04-30']) } : {}),
      status: pick(['Active', 'Active', 'Active', 'Draft']),
      rules: rules('R'),
      tiers: tiers(),
      // The channel mode belongs to the agreement (a quote's own mode is the vendor's override).
      ...(chance(0.4) ? { channelMode: pick(['sequential', 'offList']) } : {}),
      ...(chance(0.4) ? { registeredDealBonusPercent: percent() } : {}),
    });
  }
  if (chance(0.9)) {
    agreements.push({
      id: 'A-D',
      partnerId: 'D1',
      sellerId: 'V',
      validFrom: '2026-01-01',
      status: 'Active',
      rules: rules('D'),
      tiers: tiers(),
    });
  }
  // Ledger entries per (partner, seller) in several currencies, converted at dated rates (a rate change
  // inside the window; sometimes a rate missing, which both engines must refuse).
  const bookings = [];
  const digitsOf = { USD: 2, EUR: 2, JPY: 0, KWD: 3 };
  for (let i = 0; i < int(0, 4); i++) {
    const partnerId = pick(['R1', 'D1']);
    const bookingCurrency = pick([undefined, 'USD', 'EUR', 'JPY', 'KWD']);
    bookings.push({
      partnerId,
      sellerId: partnerId === 'R1' ? pick(['D1', 'D1', 'D2']) : 'V',
      date: pick(['2025-05-01', '2025-06-15', '2026-01-15', '2026-04-30', '2026-05-01']),
      amount: decimalText(int(0, 20_000_000), digitsOf[bookingCurrency ?? 'USD']),
      ...(bookingCurrency === undefined ? {} : { currency: bookingCurrency }),
    });
  }
  const exchangeRates = [];
  for (const [code, low, high] of [
    ['EUR', 800_000, 1_000_000],
    ['JPY', 140_000_000, 160_000_000],
    ['KWD', 300_000, 320_000],
  ]) {
    if (chance(0.9)) exchangeRates.push({ currency: code, startDate: '2025-01-01', rate: decimalText(int(low, high), 6) });
    if (chance(0.6)) exchangeRates.push({ currency: code, startDate: '2026-01-01', rate: decimalText(int(low, high), 6) });
  }
  const lines = [];
  for (let i = 0; i < int(1, 6); i++) {
    const discount = rnd();
    lines.push({
      productId: pick(['P0', 'P1', 'P2', 'P3']),
      quantity: quantity(),
      ...(chance(0.3) ? { termMonths: int(1, 36) } : {}),
      ...(discount < 0.4 ? { additionalDiscountPercent: percent() } : {}),
      ...(discount > 0.75 ? { additionalDiscountAmount: decimalText(int(0, 2_000_000), d) } : {}),
      ...(discount > 0.97 ? { additionalDiscountPercent: percent() } : {}),
    });
  }
  // The quote's additional discount (docs/PRICING-NOTES.md, Quote discount) from a generator of its own, so that
  // the scenarios above stay the ones they were: a third of the quotes carry one, up to 100 % (NEGATIVE_PRICE in
  // offList), on lines with and without their own discount, nonDiscountable products among them.
  const quoteDiscount = quoteRnd() < 0.35 ? quoteDiscountPercent() : undefined;
  return {
    settings: {
      roundingMode: pick(['halfUp', 'halfEven']),
      channelMode: pick(['sequential', 'offList']),
      bookingsCurrency: 'USD',
      ...(chance(0.3) ? { vendorApprovalAbovePercent: percent() } : {}),
    },
    accounts: [
      { id: 'V', type: 'vendor' },
      { id: 'D1', type: 'distributor' },
      { id: 'D2', type: 'distributor' },
      { id: 'R1', type: 'reseller' },
      { id: 'C1', type: 'endCustomer' },
    ],
    products,
    productFamilies,
    priceBook,
    discountSchedules: schedules,
    agreements,
    bookings,
    exchangeRates,
    quote: {
      resellerId: 'R1',
      distributorId: 'D1',
      endCustomerId: 'C1',
      currency,
      startDate: '2026-05-01',
      ...(chance(0.5) ? { termMonths: int(1, 36) } : {}),
      ...(chance(0.2) ? { channelMode: pick(['sequential', 'offList']) } : {}),
      ...(chance(0.3) ? { registeredDeal: { id: 'DR-1', families: chance(0.5) ? ['F1'] : ['F1', 'F2'] } } : {}),
      ...(quoteDiscount === undefined ? {} : { additionalDiscountPercent: quoteDiscount }),
      ...(chance(0.3) ? { channelConflictFamilies: chance(0.5) ? ['F2'] : ['F1', 'F2'] } : {}),
      lines,
    },
    expected: {},
  };
}

const quoteRnd = mulberry32(20261205);
function quoteDiscountPercent() {
  const r = quoteRnd();
  if (r < 0.1) return pick100(['0', '100', '15', '50']);
  if (r < 0.5) return String(Math.floor(quoteRnd() * 41));
  return (Math.floor(quoteRnd() * 40_000_000) / 1e6).toFixed(6).replace(/\.?0+$/, '');
}
function pick100(xs) {
  return xs[Math.floor(quoteRnd() * xs.length)];
}

/** One defect of the kinds the schema and the validator refuse (or, for some, accept: then both must price). */
function mutate(s, rnd) {
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const line = s.quote.lines[0];
  const product = s.products[0];
  const agreement = s.agreements[0];
  const defects = [
    () => (line.additionalDiscountPercent = pick(['100.5', '-1', '1.1234567', '1e2', 12, '', '12.', ' 5'])),
    () => (line.quantity = pick(['0', '1.234', -1, '2000000000', 'abc', 2.5, '0.001', null, true])),
    () => (s.quote.startDate = pick(['2026-02-30', '2026-13-01', '26-01-01', '2024-02-29', '2026-04-31', 20260101])),
    () => (line.colour = 'red'),
    () => (product.colour = 'red'),
    () => (product.minNetPercentOfList = pick(['100.5', '-1', '50.1234567', 50, ''])),
    () => (s.settings.vendorApprovalAbovePercent = pick(['101', '1e1', 20])),
    () => s.productFamilies.push({ family: 'F1' }, { family: 'F1', minNetPercentOfList: '10' }),
    () =>
      s.productFamilies.push(
        pick([{ family: '' }, { minNetPercentOfList: '10' }, { family: 'F2', colour: 'red' }, { family: 7 }]),
      ),
    () => delete s.quote.currency,
    () => delete product.id,
    () => delete s.accounts,
    () => s.products.push({ ...product }),
    () => (s.quote.currency = pick(['usd', 'XXX', 'ABC', 'XAU', 'US'])),
    () => s.priceBook[0] && (s.priceBook[0].listPrice = pick(['10.005', '-1', '1234567890123456', '10.0000', '1,000'])),
    () => s.priceBook[0] && s.priceBook.push({ ...s.priceBook[0] }),
    () => (s.discountSchedules[0].tiers[0].to = undefined),
    () => s.discountSchedules[0].tiers.length > 1 && (s.discountSchedules[0].tiers[1].from = '999'),
    () => Object.assign(s.discountSchedules[0], { type: 'slab', aggregation: 'quote' }),
    () => (s.discountSchedules[0].tiers = []),
    () => agreement?.rules.push({ scope: 'all', value: 'x', discountPercent: '1' }),
    () => agreement?.rules.push({ scope: 'family', discountPercent: '1' }),
    () => agreement?.rules.push({ scope: 'product', value: 'NOPE', discountPercent: '1' }),
    () => agreement && s.agreements.push({ ...agreement, id: 'A-X', validFrom: '2026-06-01' }),
    () => agreement && (agreement.validTo = '2025-01-01'),
    () => agreement && (agreement.sellerId = pick(['C1', 'R1', 'NOPE'])),
    () => agreement && (agreement.status = 'active'),
    () => (product.termMonths = pick([0, 1.5, 1201, '12'])),
    () => {
      product.type = 'subscription';
      delete product.termMonths;
    },
    () => (s.settings.roundingMode = 'HALFUP'),
    () => s.bookings.push({ partnerId: 'NOPE', sellerId: 'D1', date: '2026-01-01', amount: '1.001' }),
    () => s.bookings.push({ partnerId: 'R1', sellerId: 'D1', date: '2024-06-01', amount: '5.00', currency: 'EUR' }),
    () => s.exchangeRates.push({ currency: 'USD', startDate: '2025-01-01', rate: '1' }),
    () => s.exchangeRates.push({ currency: 'EUR', startDate: '2025-03-01', rate: pick(['0', '-1', '1.1234567', 'x']) }),
    () => s.agreements[0]?.tiers.push({ name: 'Twin', minBookings: '0.00', bonusPercent: '1' }),
    () => (s.quote.resellerId = pick(['D1', 'V', 'NOPE'])),
    () => (line.additionalDiscountAmount = pick(['0.0001', '-5', 'x'])),
    () => s.quote.lines.push({ ...line, id: 'L1' }),
    () => (s.quote.lines = []),
    () => (s.quote.pricingDate = '2026-02-29'),
  ];
  // The quote's additional discount's defects from the quote discount's own generator (the draws above unchanged).
  if (quoteRnd() < 0.15) {
    s.quote.additionalDiscountPercent = pick100(['101', '-1', 'abc', 12, '', '1.1234567', '1e2', ' 5']);
    return;
  }
  pick(defects)();
}

const randomCount = Number(process.argv.find((a) => a.startsWith('--random='))?.slice('--random='.length) ?? 600);
const rnd = mulberry32(20261123);
let randomFailed = 0;
let randomPriced = 0;
for (let i = 0; i < randomCount; i++) {
  const scenario = randomScenario(rnd);
  // Every third scenario gets one defect: the reader and validator must refuse it with the same codes and paths.
  if (i % 3 === 2) mutate(scenario, rnd);
  const failures = check(`random #${i}`, scenario);
  if (priceScenario(scenario).ok) randomPriced++;
  if (failures.length) {
    randomFailed++;
    if (randomFailed <= 5) {
      console.log(`FAIL random scenario #${i}: ${JSON.stringify(scenario)}`);
      for (const f of failures) console.log(`  ${f}`);
    }
  }
}
console.log(
  `apex crosscheck: ${randomCount - randomFailed} of ${randomCount} random scenarios (${randomPriced} priced, ${randomCount - randomPriced} refused, one in three with a defect) agree with the TypeScript engine`,
);

const names = readdirSync(vectorsDir)
  .filter((n) => n.endsWith('.json'))
  .sort();
let failed = 0;
for (const n of names) {
  const failures = check(n, JSON.parse(readFileSync(path.join(vectorsDir, n), 'utf8')));
  if (failures.length) {
    failed++;
    console.log(`FAIL ${n}`);
    for (const f of failures) console.log(`  ${f}`);
  }
}
console.log(
  `apex crosscheck: ${names.length - failed} of ${names.length} vectors agree with their expectations and the TypeScript engine`,
);
console.log(`lines compared with the TypeScript engine: ${[...coverage].map(([k, v]) => `${k} ${v}`).join(', ')}`);

// ---- PricingEngineTest itself, over the committed PricingVectors resource.
setStaticResource(readFileSync(path.join(root, 'force-app/main/default/staticresources/PricingVectors.json'), 'utf8'));
const testSource = readFileSync(path.join(classesDir, 'PricingEngineTest.cls'), 'utf8');
const testMethods = [...testSource.matchAll(/@IsTest\s+static void (\w+)\(/g)].map((m) => m[1]);
let testsFailed = 0;
for (const name of testMethods) {
  try {
    apex.PricingEngineTest[name]();
    console.log(`PricingEngineTest.${name}: pass`);
  } catch (error) {
    testsFailed++;
    console.log(`PricingEngineTest.${name}: FAIL ${error?.message}`);
  }
}
process.exit(failed || randomFailed || testsFailed || testMethods.length === 0 ? 1 : 0);
