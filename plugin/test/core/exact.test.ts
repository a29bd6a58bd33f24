import { expect } from 'chai';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { divRound, formatScaled, mulDivRound, mulSubMulDivRound, parseScaled, type RoundingMode } from '../../src/core/exact.js';

// The integer arithmetic is checked against decimal.js, a well-kept arbitrary precision library.
const D = Decimal.clone({ precision: 200 });
const modeOf = (mode: RoundingMode): Decimal.Rounding => (mode === 'halfUp' ? D.ROUND_HALF_UP : D.ROUND_HALF_EVEN);
const reference = (n: Decimal, mode: RoundingMode): number => n.toDecimalPlaces(0, modeOf(mode)).toNumber();
const mode = fc.constantFrom<RoundingMode>('halfUp', 'halfEven');
const safe = fc.integer({ min: -1e15, max: 1e15 });

describe('exact arithmetic', () => {
  it('divRound rounds exactly like decimal.js, ties included', () => {
    fc.assert(
      fc.property(safe, fc.integer({ min: 1, max: 1e9 }), mode, (n, d, m) => {
        expect(divRound(n, d, m)).to.equal(reference(new D(n).div(d), m));
      }),
      { numRuns: 3000 },
    );
  });

  it('divRound at exact halves: halfUp away from zero, halfEven to the even neighbour', () => {
    expect(divRound(5, 2, 'halfUp')).to.equal(3);
    expect(divRound(-5, 2, 'halfUp')).to.equal(-3);
    expect(divRound(5, 2, 'halfEven')).to.equal(2);
    expect(divRound(7, 2, 'halfEven')).to.equal(4);
    expect(divRound(-5, 2, 'halfEven')).to.equal(-2);
  });

  it('mulDivRound equals decimal.js for products far beyond 2^53 (BigInt path)', () => {
    fc.assert(
      fc.property(safe, fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 1, max: 1e15 }), mode, (a, b, d, m) => {
        const expected = new D(a).times(b).div(d).toDecimalPlaces(0, modeOf(m));
        if (expected.abs().greaterThanOrEqualTo(2 ** 53)) {
          expect(() => mulDivRound(a, b, d, m)).to.throw(RangeError);
        } else {
          expect(mulDivRound(a, b, d, m)).to.equal(expected.toNumber());
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('mulSubMulDivRound equals decimal.js', () => {
    const n = fc.integer({ min: 0, max: 1e12 });
    fc.assert(
      fc.property(n, n, n, n, fc.integer({ min: 1, max: 1e9 }), mode, (a, b, c, e, d, m) => {
        const expected = new D(a).times(b).minus(new D(c).times(e)).div(d).toDecimalPlaces(0, modeOf(m));
        if (expected.abs().greaterThanOrEqualTo(2 ** 53)) return;
        expect(mulSubMulDivRound(a, b, c, e, d, m)).to.equal(expected.toNumber());
      }),
      { numRuns: 2000 },
    );
  });

  it('parses and formats decimal strings exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e14, max: 1e14 }), fc.integer({ min: 0, max: 6 }), (value, decimals) => {
        const text = formatScaled(value, decimals);
        expect(new D(text).equals(new D(value).div(new D(10).pow(decimals)))).to.equal(true);
        expect(parseScaled(text, decimals)).to.equal(value);
      }),
      { numRuns: 2000 },
    );
    expect(formatScaled(5, 2)).to.equal('0.05');
    expect(formatScaled(-5, 2)).to.equal('-0.05');
    expect(formatScaled(1849, 0)).to.equal('1849');
    expect(formatScaled(1250, 3)).to.equal('1.250');
  });

  it('refuses more decimals than the scale holds, and non-decimal text', () => {
    expect(parseScaled('10.005', 2)).to.equal(undefined);
    expect(parseScaled('10.500', 2)).to.equal(1050);
    expect(parseScaled('1e3', 2)).to.equal(undefined);
    expect(parseScaled('12.', 2)).to.equal(undefined);
    expect(parseScaled('99999999999999999', 0)).to.equal(undefined);
  });
});
