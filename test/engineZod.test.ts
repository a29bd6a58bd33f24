import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type * as EngineModule from '../plugin/src/core/engine.js';
import { parseScenario } from '../plugin/src/core/validation.js';
import { scenarioSchema } from '../plugin/src/core/scenario.js';
import { engineBundleProblems, MAX_ENGINE_BUNDLE_BYTES } from '../scripts/engine-bundle-check.js';
import { z as lite } from '../scripts/engine-zod.js';

/**
 * c/cpqEngine validates scenarios with scripts/engine-zod.ts instead of zod (docs/EDITOR.md, "The engine
 * bundle"). Its answers must be zod's: the bundle's parseScenario gives exactly the source's issues (code,
 * path, message, order) and parsed value, on every vector and on thousands of seeded mutations of them.
 */
const root = path.resolve(import.meta.dirname, '..');
const bundlePath = path.join(root, 'force-app/main/default/lwc/cpqEngine/cpqEngine.js');
const vectorsDir = path.join(root, 'test/vectors');

type Engine = typeof EngineModule;
type Json = unknown;

/** mulberry32: a small seeded generator, so that a failure is reproducible. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const odd: readonly unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  1,
  -1,
  1.5,
  30,
  1200,
  1201,
  1e20,
  -1e20,
  Number.MAX_SAFE_INTEGER + 2,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  ' ',
  'abc',
  '-5',
  '-0.5',
  '0',
  '0.00',
  '1',
  '2.5',
  '100',
  '100.001',
  '1.234567',
  '1.2345678',
  '1e5',
  ' 1',
  '١٢',
  '123456789012345',
  '1234567890123456',
  '0000001234567890123456',
  '90071992547410',
  '1000000000',
  '1000000000.01',
  '2024-02-29',
  '2026-02-29',
  '2026-13-01',
  '2026-7-1',
  'USD',
  'usd',
  'XXX',
  'JPY',
  'KWD',
  'halfEven',
  'offList',
  'slab',
  'range',
  'quote',
  'line',
  'Active',
  'Draft',
  'reseller',
  'vendor',
  'subscription',
  'family',
  'product',
  'all',
  '\u{1F600}',
  [],
  [{}],
  ['a'],
  {},
  { length: 0 },
  { from: '0', discountPercent: '5' },
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

/** A fresh copy of an odd value (the pool itself is never changed by a later mutation). */
function oddValue(next: () => number): unknown {
  return structuredClone(pick(next, odd));
}

/** Every container (object or array) in a document, with its path. */
function containers(value: Json, at: (string | number)[] = [], out: { path: (string | number)[]; node: object }[] = []) {
  if (value !== null && typeof value === 'object') {
    out.push({ path: at, node: value });
    if (Array.isArray(value)) value.forEach((v, i) => containers(v, [...at, i], out));
    else for (const [k, v] of Object.entries(value)) containers(v, [...at, k], out);
  }
  return out;
}

/** One to three random changes: a value replaced, a key removed or added, a list emptied or grown. */
function mutate(document: Json, next: () => number): Json {
  const copy = structuredClone(document);
  const changes = 1 + Math.floor(next() * 3);
  for (let c = 0; c < changes; c++) {
    const { node } = pick(next, containers(copy));
    const keys = Object.keys(node);
    const record = node as Record<string | number, unknown>;
    const choice = next();
    if (Array.isArray(node)) {
      if (choice < 0.2) node.length = 0;
      else if (choice < 0.4 && node.length > 0) node.push(structuredClone(pick(next, node)));
      else if (keys.length > 0) node[Math.floor(next() * node.length)] = oddValue(next);
      else node.push(oddValue(next));
    } else if (choice < 0.15) {
      // defined, not assigned: an own "__proto__" key, as JSON.parse makes it
      Object.defineProperty(record, pick(next, ['extra', 'Name', 'listprice', '__proto__', 'quantity']), {
        value: oddValue(next),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else if (choice < 0.35 && keys.length > 0) {
      delete record[pick(next, keys)];
    } else if (keys.length > 0) {
      const key = pick(next, keys);
      const current = record[key];
      record[key] =
        typeof current === 'string' && next() < 0.5
          ? pick(next, [`-${current}`, `${current}0`, `${current}.5`, `${current}x`, current.slice(1), `${current}.000001`])
          : oddValue(next);
    }
  }
  return copy;
}

/** The raw issues of a failed parse, as the engine reads them (fromZodIssues). */
function rawIssues(result: { success: boolean; error?: { issues: readonly object[] } }): unknown {
  if (result.success) return 'ok';
  return result.error!.issues.map((i) => {
    const issue = i as { code: string; path: PropertyKey[]; message: string; expected?: string; keys?: string[] };
    return { code: issue.code, path: issue.path, message: issue.message, expected: issue.expected, keys: issue.keys };
  });
}

describe('c/cpqEngine validation without zod (scripts/engine-zod.ts)', () => {
  let engine: Engine;
  const documents: { name: string; document: Json }[] = [];
  before(async () => {
    engine = (await import(pathToFileURL(bundlePath).href)) as Engine;
    for (const name of readdirSync(vectorsDir).filter((n) => n.endsWith('.json'))) {
      documents.push({ name, document: JSON.parse(readFileSync(path.join(vectorsDir, name), 'utf8')) as Json });
    }
  });

  function expectSame(document: Json, label: string): void {
    const fromBundle = engine.parseScenario(document);
    const fromSource = parseScenario(document);
    const context = `${label}: ${JSON.stringify(document)?.slice(0, 4000)}`;
    expect(fromBundle, context).to.deep.equal(fromSource);
    expect(JSON.stringify(fromBundle), context).to.equal(JSON.stringify(fromSource));
    const bundleSchema = engine.scenarioSchema as unknown as { safeParse: (v: unknown) => { success: boolean } };
    expect(rawIssues(bundleSchema.safeParse(document)), context).to.deep.equal(rawIssues(scenarioSchema.safeParse(document)));
  }

  it('parses every vector as zod does', () => {
    expect(documents.length).to.be.greaterThan(50);
    for (const { name, document } of documents) expectSame(document, name);
  });

  it('gives the same issues and values as zod on 4,000 mutated vectors', () => {
    const next = random(20261205);
    let refused = 0;
    for (let n = 0; n < 4000; n++) {
      const { name, document } = pick(next, documents);
      const mutated = mutate(document, next);
      expectSame(mutated, `mutation ${n} of ${name}`);
      if (!parseScenario(mutated).ok) refused++;
    }
    // the mutations reach the validation: most are refused, some still pass
    expect(refused).to.be.within(2000, 3990);
  });

  it('gives zod’s answers for values that are not scenarios at all', () => {
    for (const value of [undefined, null, 0, 'scenario', [], [{}], {}, { quote: {} }, { accounts: 'x', quote: [] }]) {
      expectSame(value, JSON.stringify(value) ?? 'undefined');
    }
  });

  it('runs the checks zod runs after a wrong type (a length check still runs on a list)', () => {
    const id = lite.string({ error: 'must be an id' }).min(1, { error: 'must not be empty' });
    const result = id.safeParse([]);
    expect(result.success).to.equal(false);
    expect(rawIssues(result)).to.deep.equal([
      { code: 'invalid_type', path: [], message: 'must be an id', expected: 'string', keys: undefined },
      { code: 'too_small', path: [], message: 'must not be empty', expected: undefined, keys: undefined },
    ]);
  });

  it('refuses to bundle a part of zod it does not implement', () => {
    expect(() => lite.object({}).extend({})).to.throw(/does not implement \.extend\(\)/);
    expect(() => lite.boolean().min(1)).to.throw(/does not implement \.min\(\)/);
  });
});

describe('c/cpqEngine budget (scripts/engine-bundle-check.ts)', () => {
  it('holds for the committed bundle: at most 150,000 bytes, no Function constructor, no globalThis', () => {
    const code = readFileSync(bundlePath, 'utf8');
    expect(Buffer.byteLength(code)).to.be.at.most(MAX_ENGINE_BUNDLE_BYTES);
    expect(engineBundleProblems(code)).to.deep.equal([]);
    expect(code).not.to.include('node_modules/zod');
  });

  it('refuses the engine bundled with zod itself (size, Function alias, globalThis)', async () => {
    const result = await build({
      entryPoints: [path.join(root, 'plugin/src/core/engine.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      charset: 'utf8',
      write: false,
    });
    const problems = engineBundleProblems(result.outputFiles[0]!.text);
    expect(problems.some((p) => /above its budget of 150000 bytes/.test(p))).to.equal(true);
    expect(problems.some((p) => /Function constructor/.test(p))).to.equal(true);
    expect(problems.some((p) => /globalThis/.test(p))).to.equal(true);
  });

  it('refuses code generated at run time and writes to globalThis', () => {
    for (const code of [
      'const f = new Function("return 1");',
      'const f = Function("return 1");',
      'const F = Function;\nnew F("")',
      'eval("1")',
      'globalThis.__x = 1;',
      '(_a = globalThis).__zod ?? (_a.__zod = {});',
    ]) {
      expect(engineBundleProblems(code), code).not.to.deep.equal([]);
    }
    expect(
      engineBundleProblems('export function price() { return "no Function types"; } // isFunction(x), f.eval(1)'),
    ).to.deep.equal([]);
  });
});
