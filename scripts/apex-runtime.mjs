// The slice of the Apex runtime that the pricing engine's classes use, for scripts/apex-engine-crosscheck.mjs.
// Semantics follow the Apex reference: Decimal is Java's BigDecimal (scale kept, setScale(n) rounds half-even),
// String == is case-insensitive, Map and Set keys compare by value, JSON.deserializeUntyped gives Integer for
// whole numbers. Every number is an ApexDecimal (Integer and Long are Decimals with scale 0 and a kind).

import { performance } from 'node:perf_hooks';

const TEN = 10n;
const pow10 = (n) => TEN ** BigInt(n);

export class ApexDecimal {
  constructor(unscaled, scale, kind = 'Decimal') {
    this.u = unscaled;
    this.s = scale;
    this.kind = kind;
  }

  static of(text, kind) {
    const m = /^(-?)(\d+)(?:\.(\d+))?L?$/.exec(String(text));
    if (!m) throw new Error(`not a decimal: ${text}`);
    const frac = m[3] ?? '';
    const u = BigInt(m[2] + frac) * (m[1] === '-' ? -1n : 1n);
    return new ApexDecimal(u, frac.length, kind ?? (frac.length === 0 ? 'Integer' : 'Decimal'));
  }

  static align(a, b) {
    const s = Math.max(a.s, b.s);
    return [a.u * pow10(s - a.s), b.u * pow10(s - b.s), s];
  }

  cmp(o) {
    const [x, y] = ApexDecimal.align(this, o);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  setScale(n, mode = RoundingMode.HALF_EVEN) {
    const scale = Number(n.u ?? n);
    if (scale >= this.s) return new ApexDecimal(this.u * pow10(scale - this.s), scale);
    return new ApexDecimal(roundDiv(this.u, pow10(this.s - scale), mode), scale);
  }

  divide(d, scale, mode) {
    const sc = Number(scale.u);
    // (u1 / 10^s1) / (u2 / 10^s2) x 10^sc = u1 x 10^(s2 + sc) / (u2 x 10^s1)
    let n = this.u;
    let den = d.u;
    const e = d.s + sc - this.s;
    if (e >= 0) n *= pow10(e);
    else den *= pow10(-e);
    if (den < 0n) {
      n = -n;
      den = -den;
    }
    return new ApexDecimal(roundDiv(n, den, mode), sc);
  }

  stripTrailingZeros() {
    if (this.u === 0n) return new ApexDecimal(0n, 0);
    let u = this.u;
    let s = this.s;
    while (u % TEN === 0n) {
      u /= TEN;
      s -= 1;
    }
    return new ApexDecimal(u, s);
  }

  scale() {
    return new ApexDecimal(BigInt(this.s), 0, 'Integer');
  }

  abs() {
    return new ApexDecimal(this.u < 0n ? -this.u : this.u, this.s);
  }

  pow(n) {
    const e = Number(n.u);
    return new ApexDecimal(this.u ** BigInt(e), this.s * e);
  }

  intValue() {
    const v = this.s >= 0 ? this.u / pow10(this.s) : this.u * pow10(-this.s);
    return new ApexDecimal(v, 0, 'Integer');
  }

  toPlainString() {
    if (this.s <= 0) return (this.u * pow10(-this.s)).toString();
    const neg = this.u < 0n;
    const digits = (neg ? -this.u : this.u).toString().padStart(this.s + 1, '0');
    return (neg ? '-' : '') + digits.slice(0, -this.s) + '.' + digits.slice(-this.s);
  }

  toString() {
    return this.toPlainString();
  }

  key() {
    const z = this.stripTrailingZeros();
    return `N${z.u}e${z.s}`;
  }
}

export const RoundingMode = { HALF_UP: 'HALF_UP', HALF_EVEN: 'HALF_EVEN' };

/** n / d rounded to an integer; d > 0. */
function roundDiv(n, d, mode) {
  let q = n / d; // toward zero
  let r = n - q * d;
  if (r < 0n) {
    q -= 1n;
    r += d;
  }
  const twice = 2n * r;
  if (twice > d) return q + 1n;
  if (twice < d) return q;
  if (mode === RoundingMode.HALF_EVEN) return q % 2n === 0n ? q : q + 1n;
  if (mode === RoundingMode.HALF_UP) return n >= 0n ? q + 1n : q;
  throw new Error(`rounding mode ${mode}`);
}

export class ApexDate {
  constructor(y, m, d) {
    this.y = y;
    this.m = m;
    this.d = d;
  }
  ord() {
    return this.y * 10000 + this.m * 100 + this.d;
  }
  year() {
    return int(this.y);
  }
  month() {
    return int(this.m);
  }
  day() {
    return int(this.d);
  }
  toString() {
    return `${String(this.y).padStart(4, '0')}-${String(this.m).padStart(2, '0')}-${String(this.d).padStart(2, '0')}`;
  }
  key() {
    return `D${this.ord()}`;
  }
}

const int = (n) => new ApexDecimal(BigInt(n), 0, 'Integer');
const num = (d) => Number(d.u) / 10 ** d.s;

let identity = 0;
const ids = new WeakMap();
function keyOf(k) {
  if (k === null || k === undefined) return 'null';
  if (typeof k === 'string') return 'S' + k;
  if (typeof k === 'boolean') return 'B' + k;
  if (k instanceof ApexDecimal || k instanceof ApexDate) return k.key();
  if (!ids.has(k)) ids.set(k, ++identity);
  return 'O' + ids.get(k);
}

export class ApexList {
  constructor(items = []) {
    this.items = items;
  }
  [Symbol.iterator]() {
    return this.items[Symbol.iterator]();
  }
}

export class ApexMap {
  constructor(entries = []) {
    this.m = new Map();
    for (const [k, v] of entries) this.m.set(keyOf(k), [k, v]);
  }
}

export class ApexSet {
  constructor(items = []) {
    this.m = new Map();
    for (const v of items) this.m.set(keyOf(v), v);
  }
  [Symbol.iterator]() {
    return this.m.values();
  }
}

export class ApexException extends Error {
  getMessage() {
    return this.message;
  }
  getTypeName() {
    return this.constructor.name;
  }
  getStackTraceString() {
    return this.stack ?? '';
  }
}
export class AssertException extends Error {}
export class JSONException extends ApexException {}
class MathException extends ApexException {}

const listMethods = {
  add: (l, a, b) => (b === undefined ? void l.items.push(a) : void l.items.splice(Number(a.u), 0, b)),
  addAll: (l, o) => void l.items.push(...o),
  size: (l) => int(l.items.length),
  isEmpty: (l) => l.items.length === 0,
  get: (l, i) => at(l, i),
  sort: (l) => void l.items.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
};
const mapMethods = {
  get: (m, k) => m.m.get(keyOf(k))?.[1] ?? null,
  put: (m, k, v) => void m.m.set(keyOf(k), [k, v]),
  containsKey: (m, k) => m.m.has(keyOf(k)),
  keySet: (m) => new ApexSet([...m.m.values()].map(([k]) => k)),
  values: (m) => new ApexList([...m.m.values()].map(([, v]) => v)),
  isEmpty: (m) => m.m.size === 0,
  remove: (m, k) => {
    const e = m.m.get(keyOf(k));
    m.m.delete(keyOf(k));
    return e ? e[1] : null;
  },
};
const setMethods = {
  add: (s, v) => void s.m.set(keyOf(v), v),
  contains: (s, v) => s.m.has(keyOf(v)),
  isEmpty: (s) => s.m.size === 0,
};
const stringMethods = {
  equals: (s, o) => s === o,
  length: (s) => int(s.length),
  startsWith: (s, p) => s.startsWith(p),
  endsWith: (s, p) => s.endsWith(p),
  replace: (s, a, b) => s.split(a).join(b),
  replaceFirst: (s, re, b) => s.replace(new RegExp(re), b),
  left: (s, n) => s.slice(0, Number(n.u)),
};

export function at(list, i) {
  const n = Number(i.u);
  if (n < 0 || n >= list.items.length) throw new ApexException(`List index out of bounds: ${n}`);
  return list.items[n];
}

export function call(target, name, args) {
  if (target === null || target === undefined) throw new ApexException(`null pointer: .${name}()`);
  const table =
    typeof target === 'string'
      ? stringMethods
      : target instanceof ApexList
        ? listMethods
        : target instanceof ApexMap
          ? mapMethods
          : target instanceof ApexSet
            ? setMethods
            : null;
  if (table) {
    if (!table[name]) throw new Error(`runtime: no ${name} on ${target.constructor.name}`);
    return table[name](target, ...args);
  }
  if (typeof target[name] !== 'function') throw new Error(`runtime: no method ${name} on ${target?.constructor?.name}`);
  return target[name](...args);
}

function str(v) {
  if (v === null || v === undefined) return 'null';
  return String(v);
}

function numeric(v, op) {
  if (!(v instanceof ApexDecimal)) throw new ApexException(`null or non-number operand of ${op}: ${str(v)}`);
  return v;
}

export function add(a, b) {
  if (typeof a === 'string' || typeof b === 'string') return str(a) + str(b);
  numeric(a, '+');
  numeric(b, '+');
  const [x, y, s] = ApexDecimal.align(a, b);
  return new ApexDecimal(x + y, s, a.kind === 'Integer' && b.kind === 'Integer' ? 'Integer' : 'Decimal');
}
export function sub(a, b) {
  numeric(a, '-');
  numeric(b, '-');
  const [x, y, s] = ApexDecimal.align(a, b);
  return new ApexDecimal(x - y, s, a.kind === 'Integer' && b.kind === 'Integer' ? 'Integer' : 'Decimal');
}
export function mul(a, b) {
  numeric(a, '*');
  numeric(b, '*');
  return new ApexDecimal(a.u * b.u, a.s + b.s, a.kind === 'Integer' && b.kind === 'Integer' ? 'Integer' : 'Decimal');
}
export function neg(a) {
  numeric(a, '-');
  return new ApexDecimal(-a.u, a.s, a.kind);
}
function order(a, b, op) {
  if (a instanceof ApexDate && b instanceof ApexDate) return a.ord() - b.ord();
  // Apex: a relational comparison with null is an error for Decimal (a null pointer), never silently false.
  return numeric(a, op).cmp(numeric(b, op));
}
export const lt = (a, b) => order(a, b, '<') < 0;
export const gt = (a, b) => order(a, b, '>') > 0;
export const le = (a, b) => order(a, b, '<=') <= 0;
export const ge = (a, b) => order(a, b, '>=') >= 0;
export function eq(a, b) {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (a instanceof ApexDecimal && b instanceof ApexDecimal) return a.cmp(b) === 0;
  if (a instanceof ApexDate && b instanceof ApexDate) return a.ord() === b.ord();
  return a === b;
}

export function isInstance(v, type) {
  switch (type) {
    case 'String':
      return typeof v === 'string';
    case 'Boolean':
      return typeof v === 'boolean';
    case 'Integer':
      return v instanceof ApexDecimal && v.kind === 'Integer';
    case 'Long':
      return v instanceof ApexDecimal && v.kind === 'Long';
    case 'Decimal':
      return v instanceof ApexDecimal && v.kind === 'Decimal';
    case 'Map':
      return v instanceof ApexMap;
    case 'List':
      return v instanceof ApexList;
    default:
      throw new Error(`runtime: instanceof ${type}`);
  }
}

/** JSON text -> Apex untyped values (whole numbers are Integer, others Decimal, from their source text). */
export function untyped(value) {
  if (value === null) return null;
  if (Array.isArray(value)) return new ApexList(value.map(untyped));
  if (typeof value === 'object') return new ApexMap(Object.entries(value).map(([k, v]) => [k, untyped(v)]));
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return ApexDecimal.of(String(value), 'Decimal');
    return ApexDecimal.of(String(value), Math.abs(value) > 2147483647 ? 'Long' : 'Integer');
  }
  return value;
}

export const Decimal = {
  valueOf: (v) => (v instanceof ApexDecimal ? new ApexDecimal(v.u, v.s) : ApexDecimal.of(v, 'Decimal')),
};
export const Integer = { valueOf: (s) => ApexDecimal.of(String(Number(s)), 'Integer') };
export const StringStatics = {
  isEmpty: (s) => s === null || s === undefined || s === '',
  isNotEmpty: (s) => !(s === null || s === undefined || s === ''),
  valueOf: (v) => str(v),
  join: (l, sep) => [...l].map(str).join(sep),
};
export const DateStatics = {
  newInstance: (y, m, d) => {
    const dt = new ApexDate(num(y), num(m), num(d));
    const days = DateStatics.daysInMonth(y, m);
    if (dt.d > num(days)) throw new ApexException(`invalid date ${dt}`);
    return dt;
  },
  valueOf: (s) => {
    const [y, m, d] = s.split('-').map(Number);
    return new ApexDate(y, m, d);
  },
  daysInMonth: (y, m) => int(new Date(Date.UTC(num(y), num(m), 0)).getUTCDate()),
};
export const PatternStatics = {
  compile: (re) => ({
    matcher: (s) => {
      const full = new RegExp(`^(?:${re})$`).exec(s);
      return { matches: () => full !== null, group: (i) => full[Number(i.u)] };
    },
  }),
};
export const JSONStatics = {
  serialize: (v) => serialize(v),
  deserializeUntyped: (text) => {
    try {
      return untyped(JSON.parse(text));
    } catch (e) {
      throw new JSONException(e.message);
    }
  },
};
export const System = { RoundingMode, JSONException, JSON: JSONStatics, MathException };

/** A Decimal or Integer variable holds that type whatever the literal was. */
export function asKind(v, kind) {
  return v instanceof ApexDecimal && v.kind !== kind ? new ApexDecimal(v.u, v.s, kind) : v;
}

/** JSON.serialize: numbers keep their digits, objects their fields. */
export function serialize(v) {
  if (v === null || v === undefined) return 'null';
  if (v instanceof ApexDecimal) return v.toPlainString();
  if (v instanceof ApexDate) return JSON.stringify(v.toString());
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (v instanceof ApexList || v instanceof ApexSet) return `[${[...v].map(serialize).join(',')}]`;
  if (v instanceof ApexMap)
    return `{${[...v.m.values()].map(([k, x]) => `${JSON.stringify(String(k))}:${serialize(x)}`).join(',')}}`;
  return `{${Object.entries(v)
    .filter(([, x]) => typeof x !== 'function')
    .map(([k, x]) => `${JSON.stringify(k)}:${serialize(x)}`)
    .join(',')}}`;
}

/** The test's one query: the PricingVectors static resource, from the committed file. */
let resourceBody = null;
export function setStaticResource(body) {
  resourceBody = body;
}
export function soql(query) {
  if (!/FROMStaticResourceWHEREName='PricingVectors'/i.test(query.replace(/\s+/g, '')))
    throw new Error(`runtime: query ${query}`);
  return { Body: { toString: () => resourceBody } };
}

function sameForAssert(a, b) {
  if (a instanceof ApexDecimal && b instanceof ApexDecimal) return a.cmp(b) === 0;
  return a === b || (a == null && b == null);
}
const AssertStatics = {
  areEqual: (a, b, msg) => {
    if (!sameForAssert(a, b)) throw new AssertException(`Assert.areEqual: expected ${serialize(a)}, got ${serialize(b)}: ${msg}`);
  },
  isTrue: (c, msg) => {
    if (c !== true) throw new AssertException(`Assert.isTrue: ${msg}`);
  },
  isNull: (v, msg) => {
    if (v !== null && v !== undefined) throw new AssertException(`Assert.isNull: ${msg}`);
  },
};
const started = performance.now();
const LimitsStatics = {
  getCpuTime: () => int(Math.round(performance.now() - started)),
  getHeapSize: () => int(0),
  getLimitHeapSize: () => int(6_000_000),
};

export const globals = {
  System,
  Decimal,
  Integer,
  String: StringStatics,
  Date: DateStatics,
  Pattern: PatternStatics,
  JSON: JSONStatics,
  Exception: ApexException,
  Assert: AssertStatics,
  Limits: LimitsStatics,
  UserInfo: { getUserId: () => '005000000000001AAA' },
  Math: { mod: (a, b) => int(Number(a.u % b.u)) },
};
export { int };
