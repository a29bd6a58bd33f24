import { expect } from 'chai';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import type { RoundingMode } from '../../src/core/exact.js';
import {
  MissingRateError,
  compileRates,
  convertMinor,
  divRoundBig,
  normaliseRate,
  rateOn,
  scaleRate,
} from '../../src/core/rates.js';

// Conversion at dated rates, checked against decimal.js as the rest of the exact arithmetic is.
const D = Decimal.clone({ precision: 200 });
const modeOf = (mode: RoundingMode): Decimal.Rounding => (mode === 'halfUp' ? D.ROUND_HALF_UP : D.ROUND_HALF_EVEN);
const mode = fc.constantFrom<RoundingMode>('halfUp', 'halfEven');

describe('dated exchange rates', () => {
  const rates = compileRates(
    [
      { currency: 'SEK', startDate: '2026-01-01', rate: '12.5' },
      { currency: 'SEK', startDate: '2025-01-01', rate: '10.000000' },
      { currency: 'JPY', startDate: '2025-01-01', rate: '150.25' },
      { currency: 'KWD', startDate: '2025-01-01', rate: '0.307' },
    ],
    'USD',
  );

  it('takes the rate whose start date is the latest on or before the day; the corporate currency is 1', () => {
    expect(rateOn(rates, 'SEK', '2025-12-31')).to.equal(10_000_000n);
    expect(rateOn(rates, 'SEK', '2026-01-01')).to.equal(12_500_000n);
    expect(rateOn(rates, 'SEK', '2024-12-31')).to.equal(undefined);
    expect(rateOn(rates, 'EUR', '2026-01-01')).to.equal(undefined);
    expect(rateOn(rates, 'USD', '1990-01-01')).to.equal(1_000_000n);
  });

  it('converts by hand: SEK 500000.00 at 10 = USD 50000.00; at 12.5 = 40000.00; JPY 1503 = USD 10.00 (10.0033..)', () => {
    expect(convertMinor(50_000_000n, 'SEK', 'USD', '2025-09-15', rates, 'halfUp')).to.equal(5_000_000n);
    expect(convertMinor(50_000_000n, 'SEK', 'USD', '2026-02-10', rates, 'halfUp')).to.equal(4_000_000n);
    expect(convertMinor(1503n, 'JPY', 'USD', '2026-02-10', rates, 'halfUp')).to.equal(1000n);
    // Cross rate: USD 10.00 = KWD 3.070 (three decimals); SEK 100.00 at 12.5 = JPY 1202 (8.00 USD x 150.25).
    expect(convertMinor(1000n, 'USD', 'KWD', '2026-02-10', rates, 'halfUp')).to.equal(3070n);
    expect(convertMinor(10_000n, 'SEK', 'JPY', '2026-02-10', rates, 'halfUp')).to.equal(1202n);
  });

  it('names the currency and the day of a missing rate, never counts it as 0', () => {
    expect(() => convertMinor(100n, 'SEK', 'USD', '2024-06-30', rates, 'halfUp'))
      .to.throw(MissingRateError)
      .with.property('message')
      .that.includes('no exchange rate for SEK on 2024-06-30');
    expect(() => convertMinor(100n, 'USD', 'EUR', '2026-01-01', rates, 'halfUp')).to.throw(MissingRateError, /EUR on 2026-01-01/);
  });

  it('rounds once, like decimal.js, ties included (halfUp away from zero, halfEven to the even neighbour)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 17n }),
        fc.integer({ min: 1, max: 999_999_999 }),
        fc.integer({ min: 1, max: 999_999_999 }),
        mode,
        (amount, from, to, m) => {
          const table = compileRates(
            [
              { currency: 'EUR', startDate: '2025-01-01', rate: new D(from).div(1e6).toFixed() },
              { currency: 'JPY', startDate: '2025-01-01', rate: new D(to).div(1e6).toFixed() },
            ],
            'USD',
          );
          // EUR (2 decimals) -> JPY (0): amount/100 x to / from, rounded to 0 decimals.
          const expected = new D(amount.toString()).div(100).mul(to).div(from).toDecimalPlaces(0, modeOf(m));
          expect(convertMinor(amount, 'EUR', 'JPY', '2026-01-01', table, m).toString()).to.equal(expected.toFixed());
        },
      ),
      { numRuns: 2000 },
    );
    expect(divRoundBig(5n, 2n, 'halfUp')).to.equal(3n);
    expect(divRoundBig(-5n, 2n, 'halfUp')).to.equal(-3n);
    expect(divRoundBig(5n, 2n, 'halfEven')).to.equal(2n);
    expect(divRoundBig(7n, 2n, 'halfEven')).to.equal(4n);
  });

  it('reads rates with at most 6 decimals and writes them in their shortest form', () => {
    expect(scaleRate('0.000001')).to.equal(1n);
    expect(scaleRate('10.1234567')).to.equal(undefined);
    expect(scaleRate('1e3')).to.equal(undefined);
    expect(['0.900000', '10.0', '010.50', '150'].map(normaliseRate)).to.deep.equal(['0.9', '10', '10.5', '150']);
  });
});
