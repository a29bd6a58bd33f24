import { expect } from 'chai';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compileCatalog, compileQuote, parseScenario, priceQuote, serializeLine } from '../../src/core/index.js';
import type { PricedLine } from '../../src/core/pricing.js';
import { PRICED_LINE_CHECKS, samePricedLine, type Checks } from '../../src/core/samePricedLine.js';
import { sameJson } from '../../src/services/answeredFigures.js';

/**
 * samePricedLine (issue 14): the comparison a save uses to tell which priced lines changed since the version
 * the client edited. Sound: equal lines have the same answered JSON. Complete: a change of any field, at any
 * depth, is seen (this test fails if the comparator skips a field: every field position of the lines of the
 * vectors is changed in turn, and every position must have been changed at least once).
 */

type Priced = { file: string; decimals: number; lines: PricedLine[]; again: PricedLine[] };

const VECTORS = path.resolve(import.meta.dirname, '../../../test/vectors');

function pricedVectors(): Priced[] {
  const out: Priced[] = [];
  for (const name of readdirSync(VECTORS)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const {
      expected: _expected,
      source: _source,
      ...scenario
    } = JSON.parse(readFileSync(path.join(VECTORS, name), 'utf8')) as {
      expected: unknown;
      source: unknown;
    };
    const parsed = parseScenario(scenario);
    if (!parsed.ok) continue; // vectors of invalid scenarios price nothing
    const price = (): ReturnType<typeof priceQuote> => priceQuote(compileCatalog(parsed.value), compileQuote(parsed.value.quote));
    const first = price();
    out.push({ file: name, decimals: first.currencyDecimals, lines: first.lines, again: price().lines });
  }
  return out;
}

const json = (line: PricedLine, decimals: number): string => JSON.stringify(serializeLine(line, decimals));

type Path = (string | number)[];
/** The length of an array, as a position that can change (an element dropped or added). */
const LENGTH = '#length';

/** Every position of a value: each leaf (a primitive, or undefined), and each array's length. */
function positions(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    out.push([...at, LENGTH]);
    value.forEach((v, i) => positions(v, [...at, i], out));
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) positions((value as Record<string, unknown>)[key], [...at, key], out);
  } else {
    out.push(at);
  }
  return out;
}

/** A position with array indices left out: "warnings.[].code". */
const shape = (at: Path): string => at.map((p) => (typeof p === 'number' ? '[]' : p)).join('.');

function get(value: unknown, at: Path): unknown {
  let v = value;
  for (const p of at) v = (v as Record<string | number, unknown> | undefined)?.[p];
  return v;
}

/**
 * A copy of `line` with the value at `at` changed: a number moved, a string lengthened, a boolean flipped, an
 * array shortened or lengthened, an undefined field given a value (`donorFor`). Undefined when an empty
 * array has no element to take.
 */
/**
 * A value for an undefined field: one another line has at that position, or at the like position of the
 * other channel stage or rule (no vector gives the distributor a registered deal), or else a string (no
 * vector sets a line's group).
 */
function donorFor(at: string, donors: ReadonlyMap<string, unknown>): unknown {
  const like = [
    at,
    at.replace(/^distributorDiscount\./, 'partnerDiscount.'),
    at.replace(/\.rule\./, '.').replace(/^(partner|distributor)Discount\./, 'capRule.'),
  ];
  for (const candidate of like) if (donors.has(candidate)) return donors.get(candidate);
  for (const candidate of like.map((c) => c.replace(/^capRule\./, 'partnerDiscount.rule.')))
    if (donors.has(candidate)) return donors.get(candidate);
  return '~';
}

function mutate(line: PricedLine, at: Path, donors: ReadonlyMap<string, unknown>): PricedLine | undefined {
  const copy = structuredClone(line);
  const isLength = at.at(-1) === LENGTH;
  const target = isLength ? at.slice(0, -1) : at;
  const parent = get(copy, target.slice(0, -1)) as Record<string | number, unknown>;
  const key = target.at(-1)!;
  const old = parent[key];
  if (isLength) {
    const array = old as unknown[];
    if (array.length > 0) array.pop();
    else {
      const element = donors.get(shape([...target, 0]));
      if (element === undefined) return undefined;
      array.push(structuredClone(element));
    }
    return copy;
  }
  if (typeof old === 'number') parent[key] = old + 1 === old ? old * 2 : old + 1;
  else if (typeof old === 'string') parent[key] = old + '~';
  else if (typeof old === 'boolean') parent[key] = !old;
  else if (old === undefined) parent[key] = structuredClone(donorFor(shape(target), donors));
  else throw new Error(`unexpected value at ${shape(at)}`);
  return copy;
}

describe('samePricedLine: which priced lines a save answers', () => {
  const quotes = pricedVectors();
  const all = quotes.flatMap((q) => q.lines);
  /** For each position shape, a value some line has there (defined). */
  const donors = new Map<string, unknown>();
  for (const line of all) {
    const visit = (value: unknown, at: Path): void => {
      if (value === undefined || value === null) return;
      if (!donors.has(shape(at))) donors.set(shape(at), value);
      if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...at, i]));
      else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, [...at, k]);
    };
    visit(line, []);
  }

  it('prices enough vectors to cover every kind of field', () => {
    expect(quotes.length).to.be.greaterThan(80);
    expect(all.length).to.be.greaterThan(120);
    for (const key of ['volume', 'capRule', 'partnerDiscount', 'distributorDiscount', 'warnings.[]', 'errors.[]']) {
      expect(donors.has(key), key).to.equal(true);
    }
  });

  it('has a check for every field the engine sets on a line, and for nothing else', () => {
    const engineKeys = new Set(all.flatMap((l) => Object.keys(l)));
    expect(Object.keys(PRICED_LINE_CHECKS).sort()).to.deep.equal([...engineKeys].sort());
  });

  it('calls the lines of a quote priced twice equal, with equal JSON', () => {
    for (const q of quotes) {
      q.lines.forEach((line, i) => {
        const again = q.again[i]!;
        expect(line).not.to.equal(again);
        expect(samePricedLine(line, again), `${q.file} line ${i + 1}`).to.equal(true);
        expect(json(line, q.decimals)).to.equal(json(again, q.decimals));
      });
    }
  });

  it('on every pair of lines of a vector: equal only with the same JSON, and as the generic deep comparison', () => {
    let pairs = 0;
    let equal = 0;
    for (const q of quotes) {
      for (const a of q.lines) {
        for (const b of [...q.lines, ...q.again]) {
          pairs++;
          const same = samePricedLine(a, b);
          expect(same).to.equal(sameJson(a, b));
          if (same) {
            equal++;
            expect(json(a, q.decimals), q.file).to.equal(json(b, q.decimals));
          }
        }
      }
    }
    expect(pairs).to.be.greaterThan(400);
    expect(equal).to.be.greaterThan(all.length); // each line with itself and with its second pricing, at least
  });

  it('sees a change at every position of every line (a skipped field fails here)', () => {
    const changed = new Set<string>();
    const jsonChanged = new Set<string>();
    for (const q of quotes) {
      for (const line of q.lines) {
        for (const at of positions(line)) {
          const mutated = mutate(line, at, donors);
          if (!mutated) continue;
          changed.add(shape(at));
          const sameJsonText = json(line, q.decimals) === json(mutated, q.decimals);
          if (!sameJsonText) jsonChanged.add(String(at[0]));
          expect(samePricedLine(line, mutated), `${q.file} ${String(line.lineId)}: ${shape(at)}`).to.equal(false);
          expect(samePricedLine(mutated, line), `${q.file} ${String(line.lineId)}: ${shape(at)} (reversed)`).to.equal(false);
        }
      }
    }
    // Every position of every line was changed at least once: each field of PricedLine, each field of the
    // traces it holds (volume, rules, channel discounts), each field of a warning or an error, each length.
    const seen = new Set(all.flatMap((l) => positions(l).map(shape)));
    const unchanged = [...seen].filter((s) => !changed.has(s) && !changed.has(`${s}.${LENGTH}`));
    expect(unchanged).to.deep.equal([]);
    for (const key of Object.keys(PRICED_LINE_CHECKS))
      expect(changed.has(key) || [...changed].some((s) => s.startsWith(`${key}.`)), key).to.equal(true);
    // And each field of PricedLine was changed at least once in a way its JSON shows.
    expect([...jsonChanged].sort()).to.deep.equal(Object.keys(PRICED_LINE_CHECKS).sort());
  });

  it('random changes of several positions (seeded): equal only with the same JSON, and as the generic comparison', () => {
    const lines = quotes.flatMap((q) => q.lines.map((line) => ({ line, decimals: q.decimals })));
    fc.assert(
      fc.property(fc.nat(lines.length - 1), fc.array(fc.nat(), { minLength: 0, maxLength: 3 }), (index, picks) => {
        const { line, decimals } = lines[index]!;
        let mutated = structuredClone(line);
        for (const pick of picks) {
          const at = positions(mutated);
          mutated = mutate(mutated, at[pick % at.length]!, donors) ?? mutated;
        }
        const same = samePricedLine(line, mutated);
        expect(same).to.equal(sameJson(line, mutated));
        if (same) expect(json(line, decimals)).to.equal(json(mutated, decimals));
      }),
      { seed: 14, numRuns: 3000 },
    );
  });

  it('refuses, at build time, a table that leaves a field out or reads another field', () => {
    const { warnings: _warnings, ...withoutWarnings } = PRICED_LINE_CHECKS;
    // @ts-expect-error: a table without a check for `warnings` is not a Checks<PricedLine>
    const missing = withoutWarnings satisfies Checks<PricedLine>;
    // @ts-expect-error: a field added to PricedLine without a check
    const added = PRICED_LINE_CHECKS satisfies Checks<PricedLine & { added: number }>;
    const wrongField = {
      ...PRICED_LINE_CHECKS,
      // @ts-expect-error: the check of `list` sees `list` alone, not `listTotal`
      list: (a, b) => a.listTotal === b.listTotal,
    } satisfies Checks<PricedLine>;
    expect([missing, added, wrongField].length).to.equal(3);
  });
});
