import { expect } from 'chai';
import { fastSaveQuoteParams } from '../../src/services/fastSaveInput.js';
import { saveQuoteInputSchema } from '../../src/services/quotes.js';

/** A small seeded generator (mulberry32): the same cases on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Values near every rule's edges, valid and not, for each field.
const quantities = [
  30,
  0,
  -1,
  2.5,
  1e21,
  Number.NaN,
  '30',
  '2.5',
  '0',
  '0.0001',
  '0.00001',
  '1.10000',
  '-3',
  '1000000000',
  '1000000000.0001',
  '1e3',
  ' 1',
  '',
  null,
  true,
];
const percents = ['0', '100', '100.000001', '15.5', '101', '-1', '12.1234567', '5.', 5, null, ''];
const moneys = ['0', '12.50', '-1', '999999999999999', '1234567890123456', '0000000000000001.5', '1,5', 5, null];
const terms = [1, 12, 1200, 1201, 0, 1.5, '12', null, Number.MAX_SAFE_INTEGER + 2];
const ids = ['L1', '', 7, null];
const groups = ['A', '', 'x'.repeat(80), 'x'.repeat(81), 3, null];
// Notes (core/records.ts): plain text within 1,000 (line) or 4,000 (quote) characters; tabs and line breaks only.
const lineNotes = [
  'Delivered\nby email',
  '',
  'x'.repeat(1000),
  'x'.repeat(1001),
  'tab\there\r\n',
  'bell\u0007',
  'nul\u0000',
  'c1\u0085',
  'åäö ✓',
  5,
  null,
];
const quoteNotes = [
  'Valid for orders\n\nbefore 31 December',
  '',
  'x'.repeat(4000),
  'x'.repeat(4001),
  'esc\u001b[0m',
  'del\u007f',
  [],
  null,
];
const dates = [
  '2026-03-15',
  '2024-02-29',
  '2023-02-29',
  '2100-02-29',
  '2000-02-29',
  '2026-04-31',
  '2026-13-01',
  '2026-00-10',
  '2026-1-01',
  '20260315',
  20260315,
  null,
];
const versions = [1, 7, 0, -1, 1.5, '3', null, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2];

function sample(next: () => number): unknown {
  // The first value of each list is valid and taken most of the time, so that many bodies are valid as a whole.
  const pick = <T>(values: readonly T[]): T => (next() < 0.8 ? values[0]! : values[Math.floor(next() * values.length)]!);
  const maybe = (p: number): boolean => next() < p;
  const line = (): unknown => {
    if (maybe(0.02)) return pick(['L1', null, [], 3]);
    const l: Record<string, unknown> = { productId: maybe(0.95) ? 'LIC-PRO' : pick(['', 5, null]), quantity: pick(quantities) };
    if (maybe(0.03)) delete l.productId;
    if (maybe(0.03)) delete l.quantity;
    if (maybe(0.5)) l.id = pick(ids);
    if (maybe(0.3)) l.termMonths = pick(terms);
    if (maybe(0.3)) l.additionalDiscountPercent = pick(percents);
    if (maybe(0.3)) l.additionalDiscountAmount = pick(moneys);
    if (maybe(0.3)) l.group = pick(groups);
    if (maybe(0.3)) l.notes = pick(lineNotes);
    // What the editor sends back and the server ignores: prices, and a server-set field.
    if (maybe(0.3)) Object.assign(l, { customerUnit: '1.00', renewalCustomerUnit: '5.00', net: { unit: '1' } });
    return l;
  };
  const body: Record<string, unknown> = {
    quoteId: maybe(0.97) ? 'q-1' : pick(['', 4, null]),
    version: pick(versions),
    lines: maybe(0.97) ? Array.from({ length: Math.floor(next() * 6) }, line) : pick([null, {}, 'lines']),
  };
  if (maybe(0.4)) body.name = pick(['Quote', '', 'x'.repeat(80), 'x'.repeat(81), 5, null]);
  if (maybe(0.3)) body.endCustomerId = pick(['c-1', '', null]);
  if (maybe(0.5)) body.startDate = pick(dates);
  if (maybe(0.4)) body.termMonths = pick(terms);
  if (maybe(0.3)) body.notes = pick(quoteNotes);
  if (maybe(0.3)) body.additionalDiscountPercent = pick([...percents, 'abc']);
  if (maybe(0.03)) body.extra = 1;
  if (maybe(0.02)) delete body.quoteId;
  return maybe(0.01) ? pick([null, [], 'body']) : body;
}

describe('the fast saveQuote parameter check agrees with the zod contract', () => {
  it('answers what zod answers for every valid body, and nothing for every invalid one (20,000 seeded bodies)', () => {
    const next = random(14);
    let valid = 0;
    let fastHits = 0;
    for (let i = 0; i < 20_000; i++) {
      const body = sample(next);
      const zod = saveQuoteInputSchema.safeParse(body);
      const fast = fastSaveQuoteParams(body);
      if (zod.success) valid++;
      if (fast === undefined) continue;
      fastHits++;
      // Sound: never accepts what zod refuses, never answers other values than zod's.
      expect(zod.success, JSON.stringify(body)).to.equal(true);
      expect(fast, JSON.stringify(body)).to.deep.equal(zod.data);
    }
    // Both kinds were exercised, and the fast path takes (nearly) every body zod accepts.
    expect(valid).to.be.greaterThan(2000);
    expect(fastHits).to.be.greaterThan(valid * 0.95);
  });

  it('takes the editor’s 100-line save, and leaves a 2,001-line one to zod (which names the limit)', () => {
    const lines = Array.from({ length: 100 }, (_, i) => ({
      id: `L${i}`,
      productId: 'LIC-PRO',
      quantity: String(1 + i),
      customerUnit: '9.00',
    }));
    const parsed = fastSaveQuoteParams({ quoteId: 'q-1', version: 3, startDate: '2026-03-15', termMonths: null, lines });
    expect(parsed?.lines).to.have.length(100);
    expect(parsed?.lines[5]).to.deep.equal({ id: 'L5', productId: 'LIC-PRO', quantity: '6' });
    const tooMany = {
      quoteId: 'q-1',
      version: 3,
      lines: Array.from({ length: 2001 }, () => ({ productId: 'P', quantity: '1' })),
    };
    expect(fastSaveQuoteParams(tooMany)).to.equal(undefined);
  });

  it('takes the quote discount (null clears it) and leaves a wrong one to zod, which names the field', () => {
    const base = { quoteId: 'q-1', version: 3, lines: [{ productId: 'LIC-PRO', quantity: '2' }] };
    expect(fastSaveQuoteParams({ ...base, additionalDiscountPercent: '7.5' })?.additionalDiscountPercent).to.equal('7.5');
    expect(fastSaveQuoteParams({ ...base, additionalDiscountPercent: null })?.additionalDiscountPercent).to.equal(null);
    // "" clears it too, as in Apex, where a missing parameter cannot be told from null.
    expect(fastSaveQuoteParams({ ...base, additionalDiscountPercent: '' })?.additionalDiscountPercent).to.equal(null);
    for (const wrong of ['101', '-1', 'abc', 7]) {
      expect(fastSaveQuoteParams({ ...base, additionalDiscountPercent: wrong }), String(wrong)).to.equal(undefined);
      const zod = saveQuoteInputSchema.safeParse({ ...base, additionalDiscountPercent: wrong });
      expect(zod.success).to.equal(false);
      expect(zod.error?.issues[0]?.path).to.deep.equal(['additionalDiscountPercent']);
    }
  });
});
