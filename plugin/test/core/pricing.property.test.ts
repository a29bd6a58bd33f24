import { expect } from 'chai';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { priceScenario, type ScenarioInput } from '../../src/core/index.js';

/**
 * The engine against a second, independent reading of PRICING.md: the waterfall written plainly with
 * decimal.js (no scaled integers, no shortcuts) on thousands of random lines, both rounding modes and
 * both channel modes.
 */
const D = Decimal.clone({ precision: 100 });

type Case = {
  digits: number;
  listMinor: number;
  productTerm: number;
  lineTerm: number;
  subscription: boolean;
  /** A quantity as written: up to 2 decimals. */
  quantity: string;
  tiers: [number, number, number];
  slab: boolean;
  additional: { percent: string } | { amountMinor: number } | undefined;
  partner: string;
  distributor: string;
  roundingMode: 'halfUp' | 'halfEven';
  channelMode: 'sequential' | 'offList';
};

const percent = fc.integer({ min: 0, max: 100_000 }).map((n) => new D(n).div(1000).toString());

const caseFields = () => ({
  digits: fc.constantFrom(0, 2, 3),
  listMinor: fc.integer({ min: 0, max: 50_000_000 }),
  productTerm: fc.integer({ min: 1, max: 36 }),
  lineTerm: fc.integer({ min: 1, max: 60 }),
  subscription: fc.boolean(),
  quantity: fc.integer({ min: 1, max: 5000 }).map(String),
  tiers: fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 })),
  slab: fc.boolean(),
  additional: fc.option(
    fc.oneof(
      percent.map((p) => ({ percent: p })),
      fc.integer({ min: 0, max: 5000 }).map((a) => ({ amountMinor: a })),
    ),
    { nil: undefined },
  ),
  partner: percent,
  distributor: percent,
  roundingMode: fc.constantFrom('halfUp' as const, 'halfEven' as const),
  channelMode: fc.constantFrom('sequential' as const, 'offList' as const),
});
const caseArb: fc.Arbitrary<Case> = fc.record(caseFields());

const currencyFor = (digits: number): string => (digits === 0 ? 'JPY' : digits === 2 ? 'USD' : 'KWD');

function scenario(c: Case): ScenarioInput {
  const money = (minor: number): string => new D(minor).div(new D(10).pow(c.digits)).toFixed(c.digits);
  const additional =
    c.additional === undefined
      ? {}
      : 'percent' in c.additional
        ? { additionalDiscountPercent: c.additional.percent }
        : { additionalDiscountAmount: money(c.additional.amountMinor) };
  return {
    settings: { roundingMode: c.roundingMode, channelMode: c.channelMode },
    accounts: [
      { id: 'V', type: 'vendor' },
      { id: 'D', type: 'distributor' },
      { id: 'R', type: 'reseller' },
      { id: 'C', type: 'endCustomer' },
    ],
    products: [
      {
        id: 'P',
        family: 'F',
        type: c.subscription ? 'subscription' : 'oneTime',
        termMonths: c.subscription ? c.productTerm : undefined,
        discountScheduleId: 'S',
      },
    ],
    priceBook: [{ productId: 'P', currency: currencyFor(c.digits), listPrice: money(c.listMinor) }],
    discountSchedules: [
      {
        id: 'S',
        type: c.slab ? 'slab' : 'range',
        tiers: [
          { from: '1', to: '10', discountPercent: String(c.tiers[0]) },
          { from: '10', to: '100', discountPercent: String(c.tiers[1]) },
          { from: '100', discountPercent: String(c.tiers[2]) },
        ],
      },
    ],
    agreements: [
      {
        id: 'AR',
        partnerId: 'R',
        sellerId: 'D',
        validFrom: '2026-01-01',
        status: 'Active',
        rules: [{ scope: 'all', discountPercent: c.partner }],
      },
      {
        id: 'AD',
        partnerId: 'D',
        sellerId: 'V',
        validFrom: '2026-01-01',
        status: 'Active',
        rules: [{ scope: 'family', value: 'F', discountPercent: c.distributor }],
      },
    ],
    quote: {
      resellerId: 'R',
      distributorId: 'D',
      endCustomerId: 'C',
      currency: currencyFor(c.digits),
      startDate: '2026-06-01',
      lines: [{ productId: 'P', quantity: c.quantity, termMonths: c.lineTerm, ...additional }],
    },
  };
}

/** The spec, read literally. Returns unit prices (null after a negative stage) in major units. */
function referenceWaterfall(c: Case): (string | null)[] {
  const rm = c.roundingMode === 'halfUp' ? D.ROUND_HALF_UP : D.ROUND_HALF_EVEN;
  const round = (x: Decimal): Decimal => x.toDecimalPlaces(c.digits, rm);
  const minor = new D(10).pow(c.digits);
  const price = new D(c.listMinor).div(minor);
  const list = c.subscription ? round(price.times(c.lineTerm).div(c.productTerm)) : price;
  // Tiers [1,10) [10,100) [100,∞).
  const bounds: [number, number, number][] = [
    [1, 10, c.tiers[0]],
    [10, 100, c.tiers[1]],
    [100, Infinity, c.tiers[2]],
  ];
  const quantity = new D(c.quantity);
  let volume = new D(0);
  if (c.slab) {
    let weighted = new D(0);
    for (const [from, to, pct] of bounds) {
      const units = D.min(D.max(quantity.minus(from - 1), 0), to - from);
      weighted = weighted.plus(units.times(pct));
    }
    volume = weighted.div(quantity);
  } else {
    volume = new D(bounds.find(([from, to]) => quantity.gte(from) && quantity.lt(to))?.[2] ?? 0);
  }
  const regular = round(list.times(new D(1).minus(volume.div(100))));
  let customer = regular;
  if (c.additional && 'percent' in c.additional)
    customer = round(regular.times(new D(1).minus(new D(c.additional.percent).div(100))));
  if (c.additional && 'amountMinor' in c.additional) customer = regular.minus(new D(c.additional.amountMinor).div(minor));
  const fmt = (x: Decimal): string => x.toFixed(c.digits);
  if (customer.isNegative() && !customer.isZero()) return [fmt(list), fmt(regular), null, null, null];
  const p = new D(c.partner).div(100);
  const d = new D(c.distributor).div(100);
  const partner =
    c.channelMode === 'sequential' ? round(customer.times(new D(1).minus(p))) : round(customer.minus(list.times(p)));
  if (partner.isNegative() && !partner.isZero()) return [fmt(list), fmt(regular), fmt(customer), null, null];
  const net = c.channelMode === 'sequential' ? round(partner.times(new D(1).minus(d))) : round(partner.minus(list.times(d)));
  if (net.isNegative() && !net.isZero()) return [fmt(list), fmt(regular), fmt(customer), fmt(partner), null];
  return [list, regular, customer, partner, net].map(fmt);
}

describe('pricing engine against a decimal.js reading of the spec', () => {
  it('agrees on every stage of random single-line quotes', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const result = priceScenario(scenario(c));
        if (!result.ok) throw new Error(JSON.stringify(result.issues));
        const line = result.quote.lines[0]!;
        const got = [line.list.unit, line.regular.unit, line.customer.unit, line.partner.unit, line.net.unit];
        expect(got).to.deep.equal(referenceWaterfall(c));
      }),
      { numRuns: 4000 },
    );
  });

  // docs/PRICING-NOTES.md, Quote discount: a line with no discount of its own prices exactly as if the quote's
  // percent were its own; a line with its own (percent or amount, even 0) ignores the quote's.
  it('prices the quote discount as the additional discount of a line that has none of its own', () => {
    const withQuoteDiscount = fc.record({ ...caseFields(), quoteDiscount: percent });
    fc.assert(
      fc.property(withQuoteDiscount, (c) => {
        const input = scenario(c);
        const result = priceScenario({ ...input, quote: { ...input.quote, additionalDiscountPercent: c.quoteDiscount } });
        if (!result.ok) throw new Error(JSON.stringify(result.issues));
        const line = result.quote.lines[0]!;
        const got = [line.list.unit, line.regular.unit, line.customer.unit, line.partner.unit, line.net.unit];
        expect(got).to.deep.equal(referenceWaterfall({ ...c, additional: c.additional ?? { percent: c.quoteDiscount } }));
        expect(line.additionalDiscount.fromQuote === true).to.equal(c.additional === undefined);
      }),
      { numRuns: 2000 },
    );
  });

  // Quantities from 900,719.93 (where quantity x 100 % in scaled units passes 2^53) up to the 10^9 maximum:
  // slab schedules price exactly there too, as range schedules do (they failed with AMOUNT_TOO_LARGE).
  it('agrees on huge quantities, slab and range, up to the 10^9 maximum', () => {
    const huge = fc.record({
      ...caseFields(),
      listMinor: fc.integer({ min: 0, max: 100_000 }),
      quantity: fc.integer({ min: 90_071_993, max: 100_000_000_000 }).map((hundredths) => new D(hundredths).div(100).toString()),
    });
    fc.assert(
      fc.property(huge, (c) => {
        const result = priceScenario(scenario(c));
        if (!result.ok) throw new Error(JSON.stringify(result.issues));
        const line = result.quote.lines[0]!;
        expect(line.errors.map((e) => e.code)).to.not.include('AMOUNT_TOO_LARGE');
        const got = [line.list.unit, line.regular.unit, line.customer.unit, line.partner.unit, line.net.unit];
        expect(got).to.deep.equal(referenceWaterfall(c));
      }),
      { numRuns: 1500 },
    );
  });
});
