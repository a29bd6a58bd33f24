/* global console, process */
import { randomUUID } from 'node:crypto';
import { Buffer } from 'node:buffer';
// The slice of the Apex runtime that the project's classes use: the pricing engine (scripts/apex-engine-crosscheck.mjs)
// and, bound to the fake org by scripts/apex-org.mjs, the controllers, services, selectors and tests
// (SObjects, SOQL, DML, sharing, governor limits). A test harness; see docs/APEX-RUNTIME.md.
// Semantics follow the Apex reference: Decimal is Java's BigDecimal (scale kept, setScale(n) rounds half-even),
// String == is case-insensitive, Map and Set keys compare by value, JSON.deserializeUntyped gives Integer for
// whole numbers. Every number is an ApexDecimal (Integer and Long are Decimals with scale 0 and a kind).

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
  if (k instanceof ApexDecimal || k instanceof ApexDate || k instanceof ApexDatetime) return k.key();
  if (!ids.has(k)) ids.set(k, ++identity);
  return 'O' + ids.get(k);
}

// ---------------------------------------------------------------------------------------------------------------
// Exceptions. System exceptions report `System.<Name>` as their type name; LimitException and assertion
// failures cannot be caught (Apex reference: "Exception Class and Built-In Exceptions").

export class ApexException extends Error {
  constructor(arg, cause) {
    const message = arg instanceof Error ? `${arg.constructor.name}: ${arg.message}` : arg === undefined ? null : arg;
    super(message ?? '');
    this.$message = message ?? null;
    this.$cause = arg instanceof Error ? arg : (cause ?? null);
  }
  getMessage() {
    return this.$message;
  }
  setMessage(m) {
    this.$message = m;
    this.message = m ?? '';
  }
  getCause() {
    return this.$cause;
  }
  getTypeName() {
    return this.constructor.$system ? `System.${this.constructor.name}` : this.constructor.name;
  }
  getStackTraceString() {
    return this.stack ?? '';
  }
  getLineNumber() {
    return int(0);
  }
}
const systemException = (name, base = ApexException) => {
  const c = { [name]: class extends base {} }[name];
  c.$system = true;
  return c;
};
export const DmlException = systemException('DmlException');
Object.assign(DmlException.prototype, {
  getNumDml() {
    return int(this.$errors.length);
  },
  getDmlType(i) {
    return this.$errors[Number(i.u)]?.statusCode ?? null;
  },
  getDmlMessage(i) {
    return this.$errors[Number(i.u)]?.message ?? null;
  },
  getDmlFieldNames(i) {
    return new ApexList([...(this.$errors[Number(i.u)]?.fields ?? [])]);
  },
  getDmlIndex(i) {
    return int(this.$errors[Number(i.u)]?.index ?? 0);
  },
  getDmlId() {
    return null;
  },
});
export const QueryException = systemException('QueryException');
export const NoAccessException = systemException('NoAccessException');
export const LimitException = systemException('LimitException');
export const TypeException = systemException('TypeException');
export const StringException = systemException('StringException');
export const MathException = systemException('MathException');
export const JSONException = systemException('JSONException');
export const NullPointerException = systemException('NullPointerException');
export const ListException = systemException('ListException');
export const SObjectException = systemException('SObjectException');
export const IllegalArgumentException = systemException('IllegalArgumentException');
export const AsyncException = systemException('AsyncException');
export const AssertException = systemException('AssertException');
/** Its getMessage() is 'Script-thrown exception' unless setMessage was called (Apex reference). */
export class AuraHandledException extends ApexException {
  constructor(message) {
    super('Script-thrown exception');
    this.$sent = message;
  }
}
AuraHandledException.$system = true;

/** What a catch block sees: a null dereference becomes a NullPointerException; limits and asserts pass through. */
export const caughtLog = [];
export function caught(e) {
  if (process.env.APEX_DEBUG) caughtLog.push(e);
  if (e instanceof LimitException || e instanceof AssertException || e instanceof TestFailure) throw e;
  if (e instanceof TypeError && /null|undefined/.test(e.message)) {
    const npe = new NullPointerException('Attempt to de-reference a null object');
    npe.$js = e;
    return npe;
  }
  return e;
}
/** Assertion failures of the runtime itself (Assert.*): uncatchable, like System.AssertException. */
export class TestFailure extends Error {}

// ---------------------------------------------------------------------------------------------------------------
// Dates and times

const DAY_MS = 86_400_000;
const fromDays = (days) => {
  const d = new Date(days * DAY_MS);
  return new ApexDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
};
Object.assign(ApexDate.prototype, {
  days() {
    return Date.UTC(this.y, this.m - 1, this.d) / DAY_MS;
  },
  addDays(n) {
    return fromDays(this.days() + Number(n.u));
  },
  addMonths(n) {
    const total = this.y * 12 + (this.m - 1) + Number(n.u);
    const y = Math.floor(total / 12);
    const m = (total % 12) + 1;
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return new ApexDate(y, m, Math.min(this.d, last));
  },
  addYears(n) {
    return this.addMonths(int(Number(n.u) * 12));
  },
  daysBetween(other) {
    return int(other.days() - this.days());
  },
  monthsBetween(other) {
    return int(other.y * 12 + other.m - (this.y * 12 + this.m));
  },
  toStartOfMonth() {
    return new ApexDate(this.y, this.m, 1);
  },
  format() {
    return `${this.m}/${this.d}/${this.y}`;
  },
  isSameDay(o) {
    return this.ord() === o.ord();
  },
});

export class ApexDatetime {
  constructor(ms) {
    this.ms = ms;
  }
  getTime() {
    return new ApexDecimal(BigInt(this.ms), 0, 'Long');
  }
  date() {
    return fromDays(Math.floor(this.ms / DAY_MS));
  }
  dateGmt() {
    return this.date();
  }
  addDays(n) {
    return new ApexDatetime(this.ms + Number(n.u) * DAY_MS);
  }
  addSeconds(n) {
    return new ApexDatetime(this.ms + Number(n.u) * 1000);
  }
  addMinutes(n) {
    return new ApexDatetime(this.ms + Number(n.u) * 60_000);
  }
  addHours(n) {
    return new ApexDatetime(this.ms + Number(n.u) * 3_600_000);
  }
  formatGmt(pattern) {
    const d = new Date(this.ms);
    const p2 = (n) => String(n).padStart(2, '0');
    const parts = {
      yyyy: String(d.getUTCFullYear()),
      MM: p2(d.getUTCMonth() + 1),
      dd: p2(d.getUTCDate()),
      HH: p2(d.getUTCHours()),
      mm: p2(d.getUTCMinutes()),
      ss: p2(d.getUTCSeconds()),
      SSS: String(d.getUTCMilliseconds()).padStart(3, '0'),
    };
    return pattern.replace(/'([^']*)'|yyyy|MM|dd|HH|mm|ss|SSS|Z/g, (t, quoted) =>
      quoted !== undefined ? quoted : t === 'Z' ? '+0000' : parts[t],
    );
  }
  format(pattern) {
    return this.formatGmt(pattern ?? 'yyyy-MM-dd HH:mm:ss');
  }
  toString() {
    return this.formatGmt('yyyy-MM-dd HH:mm:ss');
  }
  key() {
    return `T${this.ms}`;
  }
}

/** The clock of the runtime: the harness fixes "today" (a story's date) so figures do not depend on the day run. */
export const clock = { now: () => Date.now() };

// ---------------------------------------------------------------------------------------------------------------
// Collections

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
  /** new Map<Id, SObject>(records) or a copy of a map. */
  static from(source) {
    if (source instanceof ApexMap) return new ApexMap([...source.m.values()]);
    return new ApexMap([...iter(source)].map((r) => [r.Id, r]));
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

export function iter(v) {
  if (v === null || v === undefined) throw new NullPointerException('Attempt to de-reference a null object');
  if (v instanceof QueryLocator) return v.records;
  return v;
}

const compare = (a, b) => {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  if (a instanceof ApexDecimal) return a.cmp(b);
  if (a instanceof ApexDate) return a.ord() - b.ord();
  if (a instanceof ApexDatetime) return a.ms - b.ms;
  if (typeof a.compareTo === 'function') return Number(a.compareTo(b).u);
  return a < b ? -1 : a > b ? 1 : 0;
};

const listMethods = {
  add: (l, a, b) => (b === undefined ? void l.items.push(a) : void l.items.splice(Number(a.u), 0, b)),
  addAll: (l, o) => void l.items.push(...iter(o)),
  size: (l) => int(l.items.length),
  isEmpty: (l) => l.items.length === 0,
  get: (l, i) => at(l, i),
  set: (l, i, v) => void setAt(l, i, v),
  remove: (l, i) => {
    at(l, i);
    return l.items.splice(Number(i.u), 1)[0];
  },
  clear: (l) => void (l.items.length = 0),
  contains: (l, v) => l.items.some((x) => eq(x, v)),
  indexOf: (l, v) => int(l.items.findIndex((x) => eq(x, v))),
  sort: (l) => void l.items.sort(compare),
  clone: (l) => new ApexList([...l.items]),
  deepClone: (l) => new ApexList(l.items.map((x) => (x instanceof SObject ? cloneSObject(x) : x))),
  iterator: (l) => listIterator(l.items),
  toString: (l) => `(${l.items.map(str).join(', ')})`,
  equals: (l, o) => o instanceof ApexList && o.items.length === l.items.length && l.items.every((x, i) => eq(x, o.items[i])),
};
function listIterator(items) {
  let i = 0;
  return { hasNext: () => i < items.length, next: () => items[i++] };
}
const mapMethods = {
  get: (m, k) => m.m.get(keyOf(k))?.[1] ?? null,
  put: (m, k, v) => {
    const old = m.m.get(keyOf(k));
    m.m.set(keyOf(k), [k, v]);
    return old ? old[1] : null;
  },
  putAll: (m, o) => {
    if (o instanceof ApexMap) for (const [k, v] of o.m.values()) m.m.set(keyOf(k), [k, v]);
    else for (const r of iter(o)) m.m.set(keyOf(r.Id), [r.Id, r]);
  },
  containsKey: (m, k) => m.m.has(keyOf(k)),
  keySet: (m) => new ApexSet([...m.m.values()].map(([k]) => k)),
  values: (m) => new ApexList([...m.m.values()].map(([, v]) => v)),
  isEmpty: (m) => m.m.size === 0,
  size: (m) => int(m.m.size),
  clear: (m) => void m.m.clear(),
  clone: (m) => new ApexMap([...m.m.values()]),
  remove: (m, k) => {
    const e = m.m.get(keyOf(k));
    m.m.delete(keyOf(k));
    return e ? e[1] : null;
  },
  toString: (m) => `{${[...m.m.values()].map(([k, v]) => `${str(k)}=${str(v)}`).join(', ')}}`,
};
const setMethods = {
  add: (s, v) => {
    const had = s.m.has(keyOf(v));
    s.m.set(keyOf(v), v);
    return !had;
  },
  addAll: (s, o) => {
    for (const v of iter(o)) s.m.set(keyOf(v), v);
  },
  contains: (s, v) => s.m.has(keyOf(v)),
  containsAll: (s, o) => [...iter(o)].every((v) => s.m.has(keyOf(v))),
  remove: (s, v) => s.m.delete(keyOf(v)),
  removeAll: (s, o) => {
    for (const v of iter(o)) s.m.delete(keyOf(v));
  },
  retainAll: (s, o) => {
    const keep = new Set([...iter(o)].map(keyOf));
    for (const k of [...s.m.keys()]) if (!keep.has(k)) s.m.delete(k);
  },
  isEmpty: (s) => s.m.size === 0,
  size: (s) => int(s.m.size),
  clone: (s) => new ApexSet([...s.m.values()]),
  iterator: (s) => listIterator([...s.m.values()]),
  toString: (s) => `{${[...s.m.values()].map(str).join(', ')}}`,
};
const stringMethods = {
  equals: (s, o) => s === o,
  equalsIgnoreCase: (s, o) => typeof o === 'string' && s.toLowerCase() === o.toLowerCase(),
  length: (s) => int(s.length),
  startsWith: (s, p) => s.startsWith(p),
  endsWith: (s, p) => s.endsWith(p),
  contains: (s, p) => s.includes(p),
  indexOf: (s, p) => int(s.indexOf(p)),
  replace: (s, a, b) => s.split(a).join(b),
  replaceAll: (s, re, b) => s.replace(new RegExp(re, 'g'), b.replace(/\$(\d)/g, '$$$1')),
  replaceFirst: (s, re, b) => s.replace(new RegExp(re), b),
  left: (s, n) => s.slice(0, Math.max(0, Number(n.u))),
  right: (s, n) => (Number(n.u) <= 0 ? '' : s.slice(-Number(n.u))),
  trim: (s) => s.trim(),
  // Apex String.normalizeSpace(): leading, trailing and repeated white space removed (runs become one space).
  normalizeSpace: (s) => s.trim().replace(/\s+/g, ' '),
  toUpperCase: (s) => s.toUpperCase(),
  toLowerCase: (s) => s.toLowerCase(),
  substring: (s, a, b) => {
    const from = Number(a.u);
    const to = b === undefined ? s.length : Number(b.u);
    if (from < 0 || to > s.length || from > to) throw new StringException(`Ending position out of bounds: ${to}`);
    return s.substring(from, to);
  },
  substringBefore: (s, sep) => (s.indexOf(sep) < 0 ? s : s.slice(0, s.indexOf(sep))),
  substringAfter: (s, sep) => (s.indexOf(sep) < 0 ? '' : s.slice(s.indexOf(sep) + sep.length)),
  removeStart: (s, p) => (p && s.startsWith(p) ? s.slice(p.length) : s),
  removeEnd: (s, p) => (p && s.endsWith(p) ? s.slice(0, -p.length) : s),
  split: (s, re) => new ApexList(s.split(new RegExp(re)).filter((x, i, a) => !(x === '' && i === a.length - 1))),
  isNumeric: (s) => /^\d+$/.test(s),
  toString: (s) => s,
  format: (s) => s,
  abbreviate: (s, n) => (s.length <= Number(n.u) ? s : s.slice(0, Number(n.u) - 3) + '...'),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1),
  isBlank: (s) => s.trim() === '',
  hashCode: (s) => int([...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 0)),
  compareTo: (s, o) => int(s < o ? -1 : s > o ? 1 : 0),
  leftPad: (s, n, c = ' ') => s.padStart(Number(n.u), c),
  rightPad: (s, n, c = ' ') => s.padEnd(Number(n.u), c),
  repeat: (s, n) => s.repeat(Number(n.u)),
  countMatches: (s, p) => int(s.split(p).length - 1),
  charAt: (s, i) => int(s.charCodeAt(Number(i.u))),
  // Id methods (an Id is a string here)
  getSObjectType: (s) => {
    const type = org.typeOfId?.(s);
    return type ? sobjectType(type) : null;
  },
  to15: (s) => s.slice(0, 15),
};
const decimalExtra = {
  format: (d) => d.toPlainString(),
  longValue: (d) => new ApexDecimal(d.intValue().u, 0, 'Long'),
  doubleValue: (d) => new ApexDecimal(d.u, d.s, 'Decimal'),
  round: (d) => new ApexDecimal(d.setScale(int(0), RoundingMode.HALF_EVEN).u, 0, 'Long'),
  precision: (d) => int(String(d.u < 0n ? -d.u : d.u).length),
  equals: (d, o) => o instanceof ApexDecimal && d.cmp(o) === 0,
  toString: (d) => d.toPlainString(),
  compareTo: (d, o) => int(d.cmp(o)),
};
const booleanMethods = { equals: (b, o) => b === o, toString: (b) => String(b) };

export function at(list, i) {
  if (list === null || list === undefined) throw new NullPointerException('Attempt to de-reference a null object');
  const n = Number(i.u);
  if (n < 0 || n >= list.items.length) throw new ListException(`List index out of bounds: ${n}`);
  return list.items[n];
}
export function setAt(list, i, v) {
  const n = Number(i.u);
  if (n < 0 || n >= list.items.length) throw new ListException(`List index out of bounds: ${n}`);
  list.items[n] = v;
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// Governor limits (per transaction; docs/APEX-RUNTIME.md). CPU is counted in operations: calls, arithmetic,
// loop iterations, rows shaped; OPS_PER_MS converts them to an approximate CPU millisecond.

export const OPS_PER_MS = 400;
export const LIMITS = {
  queries: 100,
  queryRows: 50_000,
  dmlStatements: 150,
  dmlRows: 10_000,
  // "Total number of sendEmail methods allowed: 10" (apex_gov_limits; docs/ORG-CHECKS.md, Messaging).
  emailInvocations: 10,
  heap: 6_000_000,
  cpu: 10_000,
};
const ASYNC_LIMITS = { ...LIMITS, queries: 200, heap: 12_000_000, cpu: 60_000 };
export let usage = newUsage(false);
function newUsage(async) {
  return {
    queries: 0,
    queryRows: 0,
    dmlStatements: 0,
    dmlRows: 0,
    emailInvocations: 0,
    heap: 0,
    ops: 0,
    limits: async ? ASYNC_LIMITS : LIMITS,
  };
}
export function resetUsage(async = false) {
  const old = usage;
  usage = newUsage(async);
  return old;
}
export function setUsage(u) {
  usage = u;
}
export const cpuMs = (u = usage) => Math.round(u.ops / OPS_PER_MS);
function overLimit(what, used) {
  throw new LimitException(`Too many ${what}: ${used}`);
}
export function tick(n = 1) {
  usage.ops += n;
  if (usage.ops > usage.limits.cpu * OPS_PER_MS) throw new LimitException('Apex CPU time limit exceeded');
}
export function countQuery(rows, bytes) {
  usage.queries += 1;
  if (usage.queries > usage.limits.queries) overLimit('SOQL queries', usage.queries, usage.limits.queries);
  usage.queryRows += rows;
  if (usage.queryRows > usage.limits.queryRows) overLimit('query rows', usage.queryRows, usage.limits.queryRows);
  addHeap(bytes);
  tick(rows * 10);
}
export function countDml(rows) {
  usage.dmlStatements += 1;
  if (usage.dmlStatements > usage.limits.dmlStatements)
    overLimit('DML statements', usage.dmlStatements, usage.limits.dmlStatements);
  usage.dmlRows += rows;
  if (usage.dmlRows > usage.limits.dmlRows) overLimit('DML rows', usage.dmlRows, usage.limits.dmlRows);
  tick(rows * 20);
}
export function addHeap(bytes) {
  usage.heap = Math.max(usage.heap, bytes + (usage.heapBase ?? 0));
  usage.heapBase = (usage.heapBase ?? 0) + bytes;
  if (usage.heapBase > usage.limits.heap) throw new LimitException(`Apex heap size too large: ${usage.heapBase}`);
}

// ---------------------------------------------------------------------------------------------------------------
// SObjects: a record of a type, its fields under their schema names (field names are case-insensitive in Apex).
// A record read by SOQL remembers that: reading a field it did not query is the platform's SObjectException.

export class SObject {
  constructor(type, queried = false) {
    Object.defineProperty(this, '$type', { value: type, enumerable: false, writable: true });
    Object.defineProperty(this, '$queried', { value: queried, enumerable: false, writable: true });
  }
}
/** The org binding: schema (field names, types) and data access, set by scripts/apex-org.mjs. */
export const org = {
  schema: null,
  query: () => {
    throw new Error('runtime: no org bound (SOQL)');
  },
  dml: () => {
    throw new Error('runtime: no org bound (DML)');
  },
  userId: '005000000000001AAA',
  orgId: '00D000000000001AAA',
  runAs: null,
};

function canon(type, name) {
  return org.schema?.canon(type, name) ?? name;
}
export function newSObject(type, pairs = []) {
  const r = new SObject(org.schema?.objectName(type) ?? type);
  for (const [k, v] of pairs) r[canon(r.$type, k)] = v;
  return r;
}
function cloneSObject(r, keepId = false) {
  const c = new SObject(r.$type, false);
  for (const [k, v] of Object.entries(r)) if (keepId || k !== 'Id') c[k] = v;
  return c;
}
const sobjectMethods = {
  get: (r, f) => get(r, f),
  put: (r, f, v) => {
    const k = canon(r.$type, f);
    const old = r[k] ?? null;
    r[k] = v;
    return old;
  },
  isSet: (r, f) => Object.hasOwn(r, canon(r.$type, f)),
  getSObjectType: (r) => sobjectType(r.$type),
  getPopulatedFieldsAsMap: (r) => new ApexMap(Object.entries(r)),
  clone: (r, preserveId = false) => cloneSObject(r, preserveId === true),
  addError: (r, msg) => {
    throw new DmlException(String(msg));
  },
  getSObject: (r, f) => get(r, f),
  toString: (r) =>
    `${r.$type}:{${Object.entries(r)
      .map(([k, v]) => `${k}=${str(v)}`)
      .join(', ')}}`,
};

const tokens = new Map();
/** Schema.SObjectType token of an object: `Account.SObjectType`, `record.getSObjectType()`. */
export function sobjectType(name) {
  const canonical = org.schema?.objectName(name) ?? name;
  const key = canonical.toLowerCase();
  if (!tokens.has(key)) {
    const token = {
      $token: canonical,
      get SObjectType() {
        return token;
      },
      newSObject: () => newSObject(canonical),
      getDescribe: () => ({
        getName: () => canonical,
        getLabel: () => canonical,
        isAccessible: () => true,
        isCreateable: () => true,
        isUpdateable: () => true,
        getKeyPrefix: () => null,
      }),
      getOrgDefaults: () => orgDefaults(canonical),
      getInstance: () => orgDefaults(canonical),
      toString: () => canonical,
    };
    tokens.set(key, token);
  }
  return tokens.get(key);
}
/** Hierarchy custom settings: the org-level row (SetupOwnerId = the org id), or a new empty record. */
function orgDefaults(type) {
  // Custom settings come from the application cache: no SOQL counted (Apex reference, Custom Settings Methods).
  return org.settingsRow(type) ?? newSObject(type);
}

/** expr.field: SObject fields (case-insensitive, not-queried check), exception and object fields. */
export function get(obj, name, safe = false) {
  if (obj === null || obj === undefined) {
    if (safe) return null;
    throw new NullPointerException('Attempt to de-reference a null object');
  }
  if (obj instanceof SObject) {
    const k = canon(obj.$type, name);
    if (Object.hasOwn(obj, k)) return obj[k];
    if (obj.$queried && !/__r$/i.test(k) && org.schema?.isField(obj.$type, k) && !org.schema.isRelationship(obj.$type, k))
      throw new SObjectException(`SObject row was retrieved via SOQL without querying the requested field: ${obj.$type}.${k}`);
    return null;
  }
  const v = obj[name];
  return v === undefined ? null : v;
}
export function set(obj, name, v) {
  if (obj === null || obj === undefined) throw new NullPointerException('Attempt to de-reference a null object');
  if (obj instanceof SObject) obj[canon(obj.$type, name)] = v;
  else obj[name] = v;
  return v;
}
export function postOp(obj, name, delta) {
  const old = get(obj, name);
  set(obj, name, add(old, int(delta)));
  return old;
}

/** [SELECT ...] assigned to one record: exactly one row (QueryException otherwise). */
export function toSingle(v) {
  if (v instanceof ApexList && v.soql) {
    if (v.items.length === 0) throw new QueryException('List has no rows for assignment to SObject');
    if (v.items.length > 1) throw new QueryException('List has more than 1 row for assignment to SObject');
    return v.items[0];
  }
  return v;
}

export function cond(v) {
  if (v === null || v === undefined) throw new NullPointerException('Attempt to de-reference a null object');
  return v;
}

export function same(a, b) {
  return a === b || (a instanceof ApexDecimal && b instanceof ApexDecimal && a.cmp(b) === 0 && a.kind === b.kind);
}

/** An Id: 15 or 18 letters and digits (StringException otherwise, as Id.valueOf and an (Id) cast throw). */
export function idOf(s) {
  if (s === null || s === undefined) return null;
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(s)) throw new StringException(`Invalid id: ${s}`);
  return s;
}

export function cast(v, type) {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'String':
      if (typeof v !== 'string') throw new TypeException(`Invalid conversion from runtime type ${typeName(v)} to ${type}`);
      return v;
    case 'Id':
      if (typeof v !== 'string') throw new TypeException(`Invalid conversion from runtime type ${typeName(v)} to ${type}`);
      return idOf(v);
    case 'Integer':
    case 'Long':
    case 'Decimal':
    case 'Double':
      if (!(v instanceof ApexDecimal)) throw new TypeException(`Invalid conversion from runtime type ${typeName(v)} to ${type}`);
      if (type === 'Integer' && v.kind === 'Decimal')
        throw new TypeException('Invalid conversion from runtime type Decimal to Integer');
      return type === 'Decimal' || type === 'Double' ? asKind(v, 'Decimal') : v;
    case 'Boolean':
      if (typeof v !== 'boolean') throw new TypeException(`Invalid conversion from runtime type ${typeName(v)} to Boolean`);
      return v;
    case 'Date':
      if (!(v instanceof ApexDate)) throw new TypeException(`Invalid conversion from runtime type ${typeName(v)} to Date`);
      return v;
    default:
      return v;
  }
}
function typeName(v) {
  if (typeof v === 'string') return 'String';
  if (typeof v === 'boolean') return 'Boolean';
  if (v instanceof ApexDecimal) return v.kind;
  if (v instanceof ApexMap) return 'Map<String,ANY>';
  if (v instanceof ApexList) return 'List<ANY>';
  return v?.constructor?.name ?? 'Object';
}

// ---------------------------------------------------------------------------------------------------------------
// Calls

export function call(target, name, args) {
  usage.ops += 1;
  if (target === null || target === undefined) throw new NullPointerException(`Attempt to de-reference a null object`);
  const table =
    typeof target === 'string'
      ? stringMethods
      : target instanceof ApexList
        ? listMethods
        : target instanceof ApexMap
          ? mapMethods
          : target instanceof ApexSet
            ? setMethods
            : target instanceof SObject
              ? sobjectMethods
              : typeof target === 'boolean'
                ? booleanMethods
                : null;
  if (table) {
    if (!table[name]) throw new Error(`runtime: no ${name} on ${typeName(target)}`);
    return table[name](target, ...args);
  }
  if (target instanceof ApexDecimal && decimalExtra[name]) return decimalExtra[name](target, ...args);
  if (target instanceof ApexDate && name === 'toString') return target.toString();
  if (typeof target[name] !== 'function') throw new Error(`runtime: no method ${name} on ${target?.constructor?.name}`);
  checkArity(target, name, args.length);
  return target[name](...args);
}

/**
 * A call of a method of our own Apex classes whose argument count matches none of that name (the transpiler's
 * `$sig` of each class, up its superclasses): a real Apex compiler refuses the class ("Method does not exist or
 * incorrect signature"), so the runtime fails, uncatchable by the Apex (a plain Error, not an Apex exception).
 */
function checkArity(target, name, n) {
  const isClass = typeof target === 'function';
  const arities = new Set();
  let owner = null;
  for (let c = isClass ? target : target.constructor; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (!Object.hasOwn(c, '$sig')) continue;
    for (const a of (isClass ? c.$sig.s : c.$sig.i)[name] ?? []) arities.add(a);
    owner ??= c.name;
  }
  if (owner && arities.size > 0 && !arities.has(n)) noSignature(owner, name, n, [...arities]);
}
export function noSignature(cls, name, n, arities) {
  throw new Error(
    `apex: Method does not exist or incorrect signature: ${cls}.${name} with ${n} argument${n === 1 ? '' : 's'} (it takes ${arities.join(' or ')})`,
  );
}
export function safeCall(target, name, args) {
  return target === null || target === undefined ? null : call(target, name, args);
}

function str(v) {
  if (v === null || v === undefined) return 'null';
  if (v instanceof SObject) return sobjectMethods.toString(v);
  if (v instanceof ApexList) return listMethods.toString(v);
  if (v instanceof ApexMap) return mapMethods.toString(v);
  if (v instanceof ApexSet) return setMethods.toString(v);
  if (v instanceof ApexDate) return `${v.toString()} 00:00:00`;
  return String(v);
}

function numeric(v, op) {
  if (!(v instanceof ApexDecimal)) {
    if (v === null || v === undefined) throw new NullPointerException(`Attempt to de-reference a null object (${op})`);
    throw new TypeException(`non-number operand of ${op}: ${str(v)}`);
  }
  return v;
}

export function add(a, b) {
  usage.ops += 1;
  if (typeof a === 'string' || typeof b === 'string') return strConcat(a) + strConcat(b);
  if (a instanceof ApexDate && b instanceof ApexDecimal) return a.addDays(b);
  numeric(a, '+');
  numeric(b, '+');
  const [x, y, s] = ApexDecimal.align(a, b);
  return new ApexDecimal(x + y, s, a.kind === 'Integer' && b.kind === 'Integer' ? 'Integer' : 'Decimal');
}
/** '' + value: a Date concatenates as 'YYYY-MM-DD 00:00:00' (Apex), null as 'null'. */
function strConcat(v) {
  return str(v);
}
export function sub(a, b) {
  usage.ops += 1;
  numeric(a, '-');
  numeric(b, '-');
  const [x, y, s] = ApexDecimal.align(a, b);
  return new ApexDecimal(x - y, s, a.kind === 'Integer' && b.kind === 'Integer' ? 'Integer' : 'Decimal');
}
export function mul(a, b) {
  usage.ops += 1;
  numeric(a, '*');
  numeric(b, '*');
  return new ApexDecimal(a.u * b.u, a.s + b.s, a.kind === 'Integer' && b.kind === 'Integer' ? 'Integer' : 'Decimal');
}
/** Integer / Integer truncates; a Decimal quotient keeps up to 32 significant digits (then strips zeros to the larger scale). */
export function div(a, b) {
  usage.ops += 1;
  numeric(a, '/');
  numeric(b, '/');
  if (b.u === 0n) throw new MathException('Divide by 0');
  if ((a.kind === 'Integer' || a.kind === 'Long') && (b.kind === 'Integer' || b.kind === 'Long'))
    return new ApexDecimal(a.u / b.u, 0, a.kind === 'Long' || b.kind === 'Long' ? 'Long' : 'Integer');
  const q = a.divide(b, int(32), RoundingMode.HALF_UP).stripTrailingZeros();
  const scale = Math.max(a.s, b.s, q.s);
  return q.setScale(int(scale));
}
export function neg(a) {
  numeric(a, '-');
  return new ApexDecimal(-a.u, a.s, a.kind);
}
function order(a, b, op) {
  usage.ops += 1;
  if (a instanceof ApexDate && b instanceof ApexDate) return a.ord() - b.ord();
  if (a instanceof ApexDatetime && b instanceof ApexDatetime) return a.ms - b.ms;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  // Apex: a relational comparison with null is an error for Decimal (a null pointer), never silently false.
  return numeric(a, op).cmp(numeric(b, op));
}
export const lt = (a, b) => order(a, b, '<') < 0;
export const gt = (a, b) => order(a, b, '>') > 0;
export const le = (a, b) => order(a, b, '<=') <= 0;
export const ge = (a, b) => order(a, b, '>=') >= 0;
export function eq(a, b) {
  usage.ops += 1;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (a instanceof ApexDecimal && b instanceof ApexDecimal) return a.cmp(b) === 0;
  if (a instanceof ApexDate && b instanceof ApexDate) return a.ord() === b.ord();
  if (a instanceof ApexDatetime && b instanceof ApexDatetime) return a.ms === b.ms;
  if (a instanceof ApexList && b instanceof ApexList) return listMethods.equals(a, b);
  if (a instanceof ApexSet && b instanceof ApexSet) return a.m.size === b.m.size && [...a.m.keys()].every((k) => b.m.has(k));
  if (a instanceof ApexMap && b instanceof ApexMap)
    return a.m.size === b.m.size && [...a.m.entries()].every(([k, [, v]]) => b.m.has(k) && eq(v, b.m.get(k)[1]));
  if (a instanceof SObject && b instanceof SObject)
    return a.$type === b.$type && Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => eq(a[k], b[k]));
  return a === b;
}

export function isInstance(v, type) {
  if (v === null || v === undefined) return false;
  switch (type) {
    case 'String':
    case 'Id':
      return typeof v === 'string';
    case 'Boolean':
      return typeof v === 'boolean';
    case 'Integer':
      return v instanceof ApexDecimal && v.kind === 'Integer';
    case 'Long':
      return v instanceof ApexDecimal && v.kind === 'Long';
    case 'Decimal':
    case 'Double':
      return v instanceof ApexDecimal && v.kind === 'Decimal';
    case 'Map':
      return v instanceof ApexMap;
    case 'List':
      return v instanceof ApexList;
    case 'Set':
      return v instanceof ApexSet;
    case 'Date':
      return v instanceof ApexDate;
    case 'Datetime':
      return v instanceof ApexDatetime;
    case 'SObject':
      return v instanceof SObject;
    default:
      if (typeof type === 'function') return v instanceof type;
      if (type && type.$token) return v instanceof SObject && v.$type === type.$token;
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

/** A Decimal or Integer variable holds that type whatever the literal was. */
export function asKind(v, kind) {
  return v instanceof ApexDecimal && v.kind !== kind ? new ApexDecimal(v.u, v.s, kind) : v;
}

/** JSON.serialize: numbers keep their digits, objects their fields, SObjects their attributes. */
export function serialize(v) {
  if (v === null || v === undefined) return 'null';
  if (v instanceof ApexDecimal) return v.toPlainString();
  if (v instanceof ApexDate) return JSON.stringify(v.toString());
  if (v instanceof ApexDatetime) return JSON.stringify(v.formatGmt("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"));
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (v instanceof ApexList || v instanceof ApexSet) return `[${[...v].map(serialize).join(',')}]`;
  if (v instanceof ApexMap)
    return `{${[...v.m.values()].map(([k, x]) => `${JSON.stringify(String(k))}:${serialize(x)}`).join(',')}}`;
  if (v instanceof SObject)
    return `{"attributes":{"type":${JSON.stringify(v.$type)}}${Object.entries(v)
      .map(([k, x]) => `,${JSON.stringify(k)}:${serialize(x)}`)
      .join('')}}`;
  return `{${Object.entries(v)
    .filter(([k, x]) => typeof x !== 'function' && !k.startsWith('$'))
    .map(([k, x]) => `${JSON.stringify(k)}:${serialize(x)}`)
    .join(',')}}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Sharing context and running user

/** The sharing of the running code: a `with sharing` class's queries see only shared records. */
export const sharingStack = ['without'];
export function withSharing(mode, fn) {
  usage.ops += 1;
  if (mode === 'inherited') return fn();
  sharingStack.push(mode);
  try {
    return fn();
  } finally {
    sharingStack.pop();
  }
}
export const currentSharing = () => sharingStack[sharingStack.length - 1];

/** System.runAs(user): the block runs as that user (its sharing; not its limits, as in Apex). */
export function runAs(user, fn) {
  const previous = org.userId;
  if (!user || !user.Id) throw new NullPointerException('System.runAs needs a user with an Id');
  org.userId = user.Id;
  org.runAs?.(user.Id);
  try {
    fn();
  } finally {
    org.userId = previous;
    org.runAs?.(previous);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// SOQL and DML through the org binding

/** Inline SOQL: text with :$0 ... binds. WITH USER_MODE / SYSTEM_MODE in the text, else the class's sharing. */
export function soql(text, binds) {
  const named = new Map(binds.map((v, i) => [`$${i}`, v]));
  return runQuery(text, named, null);
}
function runQuery(text, binds, accessLevel) {
  const before = usage.queries;
  const result = org.query(text, { binds, accessLevel, sharing: currentSharing() });
  if (SOQL_TRACE && usage.queries > before) traceQuery(text);
  return result;
}

// APEX_SOQL_TRACE=1: every counted query on stderr with its number in the transaction, the Apex call chain that
// issued it (innermost first, from the transpiled classes' stack frames) and the query text; for finding where a
// transaction spends its 100 queries (docs/APEX.md, SOQL per user action).
const SOQL_TRACE = Boolean(process.env.APEX_SOQL_TRACE);
function traceQuery(text) {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 200;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const chain = [];
  for (const line of stack.split('\n')) {
    const m = /^\s+at (?:Function\.)?([A-Za-z_$][\w$]*\.[A-Za-z_$][\w$]*) \(.*classes\.mjs:/.exec(line);
    if (m && chain[chain.length - 1] !== m[1]) chain.push(m[1]);
  }
  const soqlText = String(text).replace(/\s+/g, ' ').trim();
  console.error(
    `SOQL ${usage.queries}\t${chain.join(' < ')}\t${soqlText.length > 160 ? `${soqlText.slice(0, 157)}...` : soqlText}`,
  );
}
export function dml(op, target, options) {
  const records = target instanceof ApexList ? target.items : target instanceof SObject ? [target] : null;
  if (records === null) throw new NullPointerException('Attempt to de-reference a null object');
  return org.dml(op, records, { ...options, sharing: currentSharing(), single: !(target instanceof ApexList) });
}

export class QueryLocator {
  constructor(records, text) {
    this.records = records;
    this.text = text;
  }
  iterator() {
    const it = listIterator(this.records.items);
    return { hasNext: it.hasNext, next: it.next };
  }
  getQuery() {
    return this.text;
  }
}

const mapBinds = (m) => new Map([...(m?.m?.values() ?? [])].map(([k, v]) => [String(k), v]));
const levelOf = (a) => (a === 'USER_MODE' || a === 'SYSTEM_MODE' ? a : null);
export const AccessLevel = { USER_MODE: 'USER_MODE', SYSTEM_MODE: 'SYSTEM_MODE' };

/** Asynchronous work queued in a test: run at Test.stopTest() (Apex reference, Testing Asynchronous Apex). */
const queued = [];
let testRunning = false;
let inTestBlock = false;
export const test = {
  reset() {
    queued.length = 0;
    inTestBlock = false;
    if (testRunning) scheduled.length = 0;
  },
  setRunning(v) {
    testRunning = v;
  },
};
let jobCounter = 0;
const jobId = (prefix) => `${prefix}${String(++jobCounter).padStart(12, '0')}AAA`;

/** Runs a batch job: start, execute per chunk (each a transaction with its own limits), finish. */
export function runBatch(job, scope) {
  const size = Number(scope?.u ?? 200);
  const context = { getJobId: () => null, getChildJobId: () => null };
  const outer = resetUsage(true);
  let locator;
  try {
    locator = job.start(context);
  } finally {
    batchUsages.push({ phase: 'start', usage });
    setUsage(outer);
  }
  const records = locator instanceof QueryLocator ? locator.records.items : [...iter(locator)];
  for (let i = 0; i < records.length; i += size) {
    const saved = resetUsage(true);
    const sp = org.savepoint?.();
    messaging.begin();
    try {
      job.execute(context, new ApexList(records.slice(i, i + size)));
      messaging.commit();
    } catch (e) {
      org.rollback?.(sp);
      messaging.discard();
      batchErrors.push(e);
    } finally {
      batchUsages.push({ phase: 'execute', usage });
      setUsage(saved);
    }
  }
  const saved = resetUsage(true);
  try {
    job.finish(context);
  } finally {
    batchUsages.push({ phase: 'finish', usage });
    setUsage(saved);
  }
}
export const batchUsages = [];
export const batchErrors = [];

const DatabaseStatics = {
  query: (text, access) => runQuery(text, new Map(), levelOf(access)),
  queryWithBinds: (text, binds, access) => runQuery(text, mapBinds(binds), levelOf(access)),
  countQuery: (text, access) => runQuery(text, new Map(), levelOf(access)),
  getQueryLocator: (text, access) =>
    new QueryLocator(typeof text === 'string' ? runQuery(text, new Map(), levelOf(access)) : text, text),
  getQueryLocatorWithBinds: (text, binds, access) => new QueryLocator(runQuery(text, mapBinds(binds), levelOf(access)), text),
  insert: (r, a, b) => dmlMethod('insert', r, a, b),
  update: (r, a, b) => dmlMethod('update', r, a, b),
  upsert: (r, a, b, c) => dmlMethod('upsert', r, b === undefined || typeof b === 'boolean' || levelOf(b) ? a : b, b, c),
  delete: (r, a, b) => dmlMethod('delete', r, a, b),
  setSavepoint: () => {
    usage.dmlStatements += 0;
    return { $sp: org.savepoint() };
  },
  rollback: (sp) => org.rollback(sp.$sp),
  executeBatch: (job, scope) => {
    if (testRunning && inTestBlock) queued.push(() => runBatch(job, scope));
    else if (testRunning) runBatch(job, scope);
    else queued.push(() => runBatch(job, scope));
    return jobId('707');
  },
  Batchable: class {},
  BatchableContext: class {},
  QueryLocator,
  QueryLocatorIterator: class {},
  SaveResult: class {},
  DMLOptions: class {},
};
/** Database.insert(records, allOrNone | AccessLevel, AccessLevel): returns SaveResults. */
function dmlMethod(op, records, a, b) {
  let allOrNone = true;
  let mode = 'SYSTEM_MODE';
  for (const x of [a, b]) {
    if (typeof x === 'boolean') allOrNone = x;
    if (levelOf(x)) mode = x;
  }
  const results = dml(op, records, { allOrNone, mode, statement: false });
  return records instanceof ApexList ? new ApexList(results) : results[0];
}
export function runQueued() {
  while (queued.length) queued.shift()();
}

const TestStatics = {
  startTest: () => {
    inTestBlock = true;
    test.outerUsage = resetUsage(false);
  },
  stopTest: () => {
    inTestBlock = false;
    runQueued();
    if (test.outerUsage) setUsage(test.outerUsage);
    test.outerUsage = null;
  },
  isRunningTest: () => testRunning,
  setCurrentPage: (page) => {
    currentPage = page;
  },
  setMock: () => {},
  getStandardPricebookId: () => null,
};

const scheduled = [];
export const SystemStatics = {
  RoundingMode,
  JSONException,
  MathException,
  debug: () => {},
  now: () => new ApexDatetime(clock.now()),
  today: () => new ApexDatetime(clock.now()).date(),
  runAs,
  schedule: (name, cron, job) => {
    if (scheduled.some((j) => j.name === name))
      throw new AsyncException(`The Apex job named "${name}" is already scheduled for execution.`);
    const id = jobId('08e');
    scheduled.push({ id, name, cron, job });
    const ctx = { getTriggerId: () => id };
    if (testRunning) queued.push(() => job.execute(ctx));
    return id;
  },
  abortJob: () => {},
  assert: (c, msg) => {
    if (c !== true) throw new TestFailure(`System.assert: ${msg ?? 'Assertion Failed'}`);
  },
  assertEquals: (a, b, msg) => AssertStatics.areEqual(a, b, msg),
  assertNotEquals: (a, b, msg) => AssertStatics.areNotEqual(a, b, msg),
};
export const scheduledJobs = scheduled;
export const System = SystemStatics;

export const Decimal = {
  valueOf: (v) => (v instanceof ApexDecimal ? new ApexDecimal(v.u, v.s) : decimalOf(v)),
};
function decimalOf(v) {
  const t = String(v).trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) throw new TypeException(`Invalid decimal: ${v}`);
  if (/[eE]/.test(t)) return ApexDecimal.of(new BigDec(t).toFixed(), 'Decimal');
  return ApexDecimal.of(
    t
      .replace(/^\+/, '')
      .replace(/\.$/, '')
      .replace(/^(-?)\./, '$10.'),
    'Decimal',
  );
}
const BigDec = class {
  constructor(t) {
    this.t = t;
  }
  toFixed() {
    return Number(this.t).toString();
  }
};
export const Integer = {
  valueOf: (s) => {
    if (s instanceof ApexDecimal) return new ApexDecimal(s.intValue().u, 0, 'Integer');
    if (!/^\s*[-+]?\d+\s*$/.test(String(s))) throw new TypeException(`Invalid integer: ${s}`);
    return ApexDecimal.of(String(Number(s)), 'Integer');
  },
};
export const StringStatics = {
  isEmpty: (s) => s === null || s === undefined || s === '',
  isNotEmpty: (s) => !(s === null || s === undefined || s === ''),
  isBlank: (s) => s === null || s === undefined || s.trim() === '',
  isNotBlank: (s) => !(s === null || s === undefined || s.trim() === ''),
  // String.valueOf(Date) is "yyyy-MM-dd" (Apex reference); concatenation gives "yyyy-MM-dd 00:00:00".
  valueOf: (v) => (v === null || v === undefined ? null : v instanceof ApexDate ? v.toString() : str(v)),
  join: (l, sep) => [...iter(l)].map(str).join(sep),
  escapeSingleQuotes: (s) => s.replace(/'/g, "\\'"),
  format: (t, args) => t.replace(/\{(\d+)\}/g, (_, i) => str(args.items[Number(i)])),
};
export const DateStatics = {
  newInstance: (y, m, d) => {
    const dt = new ApexDate(num(y), num(m), num(d));
    const days = DateStatics.daysInMonth(y, m);
    if (dt.d > num(days)) throw new TypeException(`invalid date ${dt}`);
    return dt;
  },
  valueOf: (s) => {
    if (s instanceof ApexDatetime) return s.date();
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})( .*)?$/.exec(String(s));
    if (!m) throw new TypeException(`Invalid date: ${s}`);
    return new ApexDate(Number(m[1]), Number(m[2]), Number(m[3]));
  },
  daysInMonth: (y, m) => int(new Date(Date.UTC(num(y), num(m), 0)).getUTCDate()),
  today: () => new ApexDatetime(clock.now()).date(),
  isLeapYear: (y) => new Date(Date.UTC(num(y), 1, 29)).getUTCDate() === 29,
};
export const DatetimeStatics = {
  now: () => new ApexDatetime(clock.now()),
  newInstanceGmt: (a, m, d, h = int(0), mi = int(0), s = int(0)) =>
    a instanceof ApexDate
      ? new ApexDatetime(a.days() * DAY_MS + ((m?.h ?? 0) * 3600 + (m?.mi ?? 0) * 60) * 1000)
      : new ApexDatetime(Date.UTC(num(a), num(m) - 1, num(d), num(h), num(mi), num(s))),
  newInstance: (a, m, d, h = int(0), mi = int(0), s = int(0)) =>
    a instanceof ApexDecimal && m === undefined
      ? new ApexDatetime(Number(a.u))
      : new ApexDatetime(Date.UTC(num(a), num(m) - 1, num(d), num(h), num(mi), num(s))),
  valueOfGmt: (t) => new ApexDatetime(Date.parse(t.replace(' ', 'T') + 'Z')),
};
export const PatternStatics = {
  compile: (re) => ({
    matcher: (s) => {
      const full = new RegExp(`^(?:${re})$`).exec(s);
      return { matches: () => full !== null, group: (i) => full[Number(i.u)] ?? null };
    },
  }),
  matches: (re, s) => new RegExp(`^(?:${re})$`).test(s),
};
export const JSONStatics = {
  serialize: (v) => {
    const out = serialize(v);
    usage.ops += out.length >> 4;
    // The string stays on the heap while referenced: counted (and, like every heap count here, never freed).
    addHeap(out.length);
    return out;
  },
  serializePretty: (v) => JSON.stringify(JSON.parse(serialize(v)), null, 2),
  deserializeUntyped: (text) => {
    if (text === null || text === undefined) throw new NullPointerException('Attempt to de-reference a null object');
    try {
      usage.ops += text.length >> 4;
      return untyped(
        JSON.parse(text, (k, v, ctx) => (typeof v === 'number' && ctx?.source ? { $num: ctx.source } : v)),
        true,
      );
    } catch (e) {
      if (e instanceof ApexException) throw e;
      throw new JSONException(e.message);
    }
  },
};
// JSON numbers keep their source digits when the engine offers them (Node 21+); else the parsed number.
const plainUntyped = untyped;
function untypedSource(value) {
  if (value && typeof value === 'object' && '$num' in value && Object.keys(value).length === 1) {
    const t = value.$num;
    if (/^-?\d+$/.test(t)) return ApexDecimal.of(t, Math.abs(Number(t)) > 2147483647 ? 'Long' : 'Integer');
    return decimalOf(t);
  }
  if (Array.isArray(value)) return new ApexList(value.map(untypedSource));
  if (value && typeof value === 'object') return new ApexMap(Object.entries(value).map(([k, v]) => [k, untypedSource(v)]));
  return plainUntyped(value);
}
JSONStatics.deserializeUntyped = (text) => {
  if (text === null || text === undefined) throw new NullPointerException('Attempt to de-reference a null object');
  let parsed;
  try {
    parsed = JSON.parse(text, (k, v, ctx) => (typeof v === 'number' && ctx?.source !== undefined ? { $num: ctx.source } : v));
  } catch (e) {
    throw new JSONException(e.message);
  }
  usage.ops += text.length >> 4;
  // The parsed maps and lists take at least the text's size on the heap.
  addHeap(text.length);
  return untypedSource(parsed);
};

function sameForAssert(a, b) {
  if (a instanceof ApexDecimal && b instanceof ApexDecimal) return a.cmp(b) === 0;
  return eq(a, b) && (typeof a !== 'string' || a === b);
}
const AssertStatics = {
  areEqual: (a, b, msg) => {
    if (!sameForAssert(a, b)) throw new TestFailure(`Assert.areEqual: expected ${serialize(a)}, got ${serialize(b)}: ${msg}`);
  },
  areNotEqual: (a, b, msg) => {
    if (sameForAssert(a, b)) throw new TestFailure(`Assert.areNotEqual: both ${serialize(a)}: ${msg}`);
  },
  isTrue: (c, msg) => {
    if (c !== true) throw new TestFailure(`Assert.isTrue: ${msg}`);
  },
  isFalse: (c, msg) => {
    if (c !== false) throw new TestFailure(`Assert.isFalse: ${msg}`);
  },
  isNull: (v, msg) => {
    if (v !== null && v !== undefined) throw new TestFailure(`Assert.isNull: ${msg}`);
  },
  isNotNull: (v, msg) => {
    if (v === null || v === undefined) throw new TestFailure(`Assert.isNotNull: ${msg}`);
  },
  fail: (msg) => {
    throw new TestFailure(`Assert.fail: ${msg}`);
  },
  isInstanceOfType: (v, t, msg) => {
    if (!isInstance(v, t)) throw new TestFailure(`Assert.isInstanceOfType: ${msg}`);
  },
};
const LimitsStatics = {
  getCpuTime: () => int(cpuMs()),
  getLimitCpuTime: () => int(usage.limits.cpu),
  getHeapSize: () => int(usage.heapBase ?? 0),
  getLimitHeapSize: () => int(usage.limits.heap),
  getQueries: () => int(usage.queries),
  getLimitQueries: () => int(usage.limits.queries),
  getQueryRows: () => int(usage.queryRows),
  getLimitQueryRows: () => int(usage.limits.queryRows),
  getDmlStatements: () => int(usage.dmlStatements),
  getLimitDmlStatements: () => int(usage.limits.dmlStatements),
  getDmlRows: () => int(usage.dmlRows),
  getLimitDmlRows: () => int(usage.limits.dmlRows),
  getEmailInvocations: () => int(usage.emailInvocations),
  getLimitEmailInvocations: () => int(usage.limits.emailInvocations),
};
/** Typed values of `Type.forName`-free code: a type used as a value (rare); kept as its name. */
export function typeToken(name, cls) {
  return { $typeName: name, cls, getName: () => name, toString: () => name };
}

/** Blob.valueOf(text): the text and its size (the runtime keeps no bytes). */
export const blobOf = (text) => ({ $blob: true, toString: () => text, size: () => int(text.length) });
/** A Blob of bytes (EncodingUtil.base64Decode, a Blob field read from the org): its size is its byte count. */
export const blobOfBytes = (bytes) => ({
  $blob: true,
  bytes,
  toString: () => bytes.toString('utf8'),
  size: () => int(bytes.length),
});
/** A Blob's bytes: a text Blob's are its UTF-8 encoding, as Blob.valueOf's. */
const blobBytes = (blob) => blob.bytes ?? Buffer.from(blob.toString(), 'utf8');
/** EncodingUtil's base64 methods (the quote document's logo, docs/DOCUMENT.md). */
export const EncodingUtilStatics = {
  base64Encode: (blob) => {
    if (blob === null || blob === undefined) throw new NullPointerException('Argument cannot be null.');
    return blobBytes(blob).toString('base64');
  },
  base64Decode: (text) => {
    if (text === null || text === undefined) throw new NullPointerException('Argument cannot be null.');
    return blobOfBytes(Buffer.from(text, 'base64'));
  },
};

/**
 * A Visualforce page reference: its URL and parameters. The runtime renders no page: getContent and
 * getContentAsPDF fail as they do in an Apex test method ("can't be used in test methods", a callout since API
 * 34.0: docs/DOCUMENT.md), and outside a test the runtime cannot render either.
 */
export class PageReference {
  constructor(url) {
    this.url = url;
    this.params = new ApexMap();
  }
  getParameters() {
    return this.params;
  }
  getUrl() {
    return this.url;
  }
  getContent() {
    return this.getContentAsPDF();
  }
  getContentAsPDF() {
    throw new ApexException(
      testRunning
        ? 'PageReference.getContentAsPDF cannot be used in test methods (a callout since API 34.0)'
        : 'runtime: Visualforce pages are not rendered here',
    );
  }
}
/** The page Test.setCurrentPage set (ApexPages.currentPage()). */
let currentPage = null;

// ---- Messaging: outbound email and custom notifications (docs/ORG-CHECKS.md, Messaging; every rule has its source there) ----
export const EmailException = systemException('EmailException');
export const HandledException = systemException('HandledException');
export const InvalidParameterValueException = systemException('InvalidParameterValueException');

/**
 * What the Messaging fakes sent, for the tests and the story to read. An email is queued by sendEmail and sent only
 * when its transaction commits (dropped when it rolls back); in an Apex test it is never delivered (`delivered:
 * false`). `dailyLimit` is the org's single email allowance in external addresses (to, cc, bcc) per day;
 * emails to users by setTargetObjectId do not count against it. `canSendEmail` false is an org whose email
 * deliverability does not allow Apex email.
 */
export const messaging = {
  emails: [],
  notifications: [],
  pending: [],
  dailyExternal: 0,
  reserved: 0,
  dailyLimit: 5000,
  canSendEmail: true,
  reset() {
    this.emails = [];
    this.notifications = [];
    this.pending = [];
    this.dailyExternal = 0;
    this.reserved = 0;
    this.dailyLimit = 5000;
    this.canSendEmail = true;
  },
  begin() {
    this.pending = [];
  },
  commit() {
    for (const e of this.pending) this.emails.push({ ...e, delivered: !testRunning });
    this.pending = [];
  },
  discard() {
    this.pending = [];
  },
};

const USER_PREFIX = '005';
const listOf = (v) => (v === null || v === undefined ? [] : [...iter(v)].map((x) => String(x)));

/** Messaging.SingleEmailMessage: every property has its setter and getter (Apex reference, SingleEmailMessage). */
export class SingleEmailMessage {
  constructor() {
    this.p = { saveAsActivity: true, toAddresses: null, ccAddresses: null, bccAddresses: null };
  }
}
for (const prop of [
  'targetObjectId',
  'whatId',
  'subject',
  'plainTextBody',
  'htmlBody',
  'saveAsActivity',
  'toAddresses',
  'ccAddresses',
  'bccAddresses',
  'orgWideEmailAddressId',
  'senderDisplayName',
  'replyTo',
  'useSignature',
  'templateId',
]) {
  const cap = prop[0].toUpperCase() + prop.slice(1);
  SingleEmailMessage.prototype[`set${cap}`] = function (v) {
    this.p[prop] = v ?? null;
  };
  SingleEmailMessage.prototype[`get${cap}`] = function () {
    return this.p[prop] ?? null;
  };
}

class SendEmailError {
  constructor(statusCode, message, targetObjectId) {
    Object.assign(this, { statusCode, message, targetObjectId });
  }
  getStatusCode() {
    return this.statusCode;
  }
  getMessage() {
    return this.message;
  }
  getFields() {
    return new ApexList();
  }
  getTargetObjectId() {
    return this.targetObjectId ?? null;
  }
}
class SendEmailResult {
  constructor(errors) {
    this.errors = errors;
  }
  isSuccess() {
    return this.errors.length === 0;
  }
  getErrors() {
    return new ApexList(this.errors);
  }
}

/** The problem of one message, or null. */
function emailProblem(mail) {
  if (!(mail instanceof SingleEmailMessage)) return ['INVALID_TYPE', 'only SingleEmailMessage is supported here'];
  const p = mail.p;
  const addresses = [...listOf(p.toAddresses), ...listOf(p.ccAddresses), ...listOf(p.bccAddresses)];
  if (addresses.length === 0 && !p.targetObjectId)
    return ['REQUIRED_FIELD_MISSING', 'Missing target address (target, to, cc, bcc)'];
  if (p.targetObjectId && !/^(003|00Q|005)/.test(String(p.targetObjectId)))
    return ['INVALID_ID_FIELD', `targetObjectId ${p.targetObjectId} is not a contact, lead or user`];
  if (addresses.length > 150) return ['LIMIT_EXCEEDED', `${addresses.length} to, cc and bcc addresses: at most 150 per email`];
  return null;
}

function sendEmail(mails, allOrNone = true) {
  usage.emailInvocations += 1;
  if (usage.emailInvocations > usage.limits.emailInvocations) overLimit('Email Invocations', usage.emailInvocations);
  const list = mails instanceof ApexList ? mails.items : [mails];
  let external = 0;
  const results = list.map((mail) => {
    const problem = emailProblem(mail);
    if (problem) return new SendEmailResult([new SendEmailError(problem[0], problem[1], mail?.p?.targetObjectId)]);
    const count = [...listOf(mail.p.toAddresses), ...listOf(mail.p.ccAddresses), ...listOf(mail.p.bccAddresses)].length;
    if (messaging.dailyExternal + external + count > messaging.dailyLimit)
      return new SendEmailResult([
        new SendEmailError(
          'SINGLE_EMAIL_LIMIT_EXCEEDED',
          'the daily single email limit of the org is reached',
          mail.p.targetObjectId,
        ),
      ]);
    external += count;
    return new SendEmailResult([]);
  });
  const failed = results.findIndex((r) => !r.isSuccess());
  if (failed >= 0 && allOrNone !== false) {
    const e = results[failed].errors[0];
    throw new EmailException(`SendEmail failed. First exception on row ${failed}; first error: ${e.statusCode}, ${e.message}`);
  }
  list.forEach((mail, i) => {
    if (!results[i].isSuccess()) return;
    const p = mail.p;
    const toUser = p.targetObjectId && String(p.targetObjectId).startsWith(USER_PREFIX) ? String(p.targetObjectId) : null;
    messaging.pending.push({
      sender: org.userId,
      targetObjectId: p.targetObjectId ? String(p.targetObjectId) : null,
      toUser,
      to: listOf(p.toAddresses),
      cc: listOf(p.ccAddresses),
      bcc: listOf(p.bccAddresses),
      subject: p.subject,
      body: p.plainTextBody ?? p.htmlBody,
      saveAsActivity: p.saveAsActivity,
    });
  });
  messaging.dailyExternal += external;
  return new ApexList(results);
}

/** Messaging.CustomNotification: a notification of a custom notification type to a set of recipients. */
export class CustomNotification {
  constructor(typeId = null, senderId = null, title = null, body = null, targetId = null, targetPageRef = null) {
    Object.assign(this, { typeId, senderId, title, body, targetId, targetPageRef });
  }
  setNotificationTypeId(v) {
    this.typeId = v ?? null;
  }
  setSenderId(v) {
    this.senderId = v ?? null;
  }
  setTitle(v) {
    this.title = v ?? null;
  }
  setBody(v) {
    this.body = v ?? null;
  }
  setTargetId(v) {
    this.targetId = v ?? null;
  }
  setTargetPageRef(v) {
    this.targetPageRef = v ?? null;
  }
  send(users) {
    if (!this.typeId) throw new InvalidParameterValueException('a custom notification needs its notification type id');
    if (!this.targetId && !this.targetPageRef)
      throw new InvalidParameterValueException('a custom notification needs a target: targetId or targetPageRef');
    const recipients = listOf(users);
    if (recipients.length > 10000)
      throw new InvalidParameterValueException(
        `${recipients.length} recipients: a custom notification reaches at most 10,000 users`,
      );
    messaging.notifications.push({
      typeId: String(this.typeId),
      sender: this.senderId ? String(this.senderId) : org.userId,
      title: this.title,
      body: this.body,
      targetId: this.targetId ? String(this.targetId) : null,
      recipients: recipients.sort(),
    });
  }
}

const MessagingStatics = {
  SingleEmailMessage,
  CustomNotification,
  SendEmailResult,
  SendEmailError,
  Email: SingleEmailMessage,
  sendEmail,
  reserveSingleEmailCapacity: (n) => {
    if (!messaging.canSendEmail) throw new NoAccessException('The organization is not permitted to send email.');
    if (messaging.dailyExternal + messaging.reserved + Number(n?.u ?? n) > messaging.dailyLimit)
      throw new HandledException('The daily limit for the org would be exceeded by this request.');
    messaging.reserved += Number(n?.u ?? n);
  },
};

let uuid = 0;
export const globals = {
  System,
  Decimal,
  Integer,
  Long: Integer,
  Double: Decimal,
  Boolean: { valueOf: (v) => (typeof v === 'boolean' ? v : String(v).toLowerCase() === 'true') },
  Id: { valueOf: (s) => idOf(s) },
  Object: {},
  String: StringStatics,
  Date: DateStatics,
  Datetime: DatetimeStatics,
  Pattern: PatternStatics,
  JSON: JSONStatics,
  Exception: ApexException,
  Assert: AssertStatics,
  Limits: LimitsStatics,
  UserInfo: {
    getUserId: () => org.userId,
    getOrganizationId: () => org.orgId,
    // getUserName(): the login (User.Username); getName(): the full name (User.Name, "FirstName LastName").
    getUserName: () => org.userField?.('Username') ?? null,
    getName: () => org.userField?.('Name') ?? null,
    getFirstName: () => org.userField?.('FirstName') ?? null,
    getLastName: () => org.userField?.('LastName') ?? null,
    getUserEmail: () => org.userField?.('Email') ?? null,
    getUserType: () => org.userType?.() ?? 'Standard',
    getLocale: () => org.userLocale?.() ?? 'en_US',
  },
  Math: {
    mod: (a, b) => int(Number(a.u % b.u)),
    abs: (a) => a.abs(),
    max: (a, b) => (a.cmp(b) >= 0 ? a : b),
    min: (a, b) => (a.cmp(b) <= 0 ? a : b),
  },
  Database: DatabaseStatics,
  Test: TestStatics,
  Schema: { SObjectType: {}, getGlobalDescribe: () => null },
  AccessLevel,
  StatusCode: new Proxy({}, { get: (_, k) => String(k) }),
  SObject,
  Savepoint: class {},
  AggregateResult: SObject,
  Schedulable: class {},
  SchedulableContext: class {},
  Time: { newInstance: (h, mi, sec, ms) => ({ h: num(h), mi: num(mi), s: num(sec), ms: num(ms) }) },
  LoggingLevel: { INFO: 'INFO', DEBUG: 'DEBUG', WARN: 'WARN', ERROR: 'ERROR', FINE: 'FINE' },
  UUID: { randomUUID: () => ({ toString: () => randomUUID() }) },
  Crypto: { getRandomInteger: () => int(++uuid * 7919) },
  DmlException,
  QueryException,
  NoAccessException,
  AuraHandledException,
  LimitException,
  TypeException,
  StringException,
  MathException,
  JSONException,
  NullPointerException,
  ListException,
  SObjectException,
  AssertException,
  IllegalArgumentException,
  AsyncException,
  Blob: { valueOf: (text) => blobOf(text) },
  Messaging: MessagingStatics,
  EmailException,
  HandledException,
  InvalidParameterValueException,
  EncodingUtil: EncodingUtilStatics,
  PageReference,
  // Page.<Name>: a reference to the Visualforce page of that name.
  Page: new Proxy({}, { get: (_, name) => new PageReference(`/apex/${String(name)}`) }),
  ApexPages: { currentPage: () => currentPage },
  // The Experience Cloud site of the running code: none outside a site (Apex tests run outside one).
  Network: { getNetworkId: () => null },
};
Object.assign(System, {
  DmlException,
  QueryException,
  NoAccessException,
  LimitException,
  TypeException,
  StringException,
  NullPointerException,
  ListException,
  SObjectException,
  AssertException,
  IllegalArgumentException,
  AsyncException,
  AuraHandledException,
  EmailException,
  HandledException,
  InvalidParameterValueException,
  JSON: JSONStatics,
  Limits: LimitsStatics,
  Test: TestStatics,
  UserInfo: globals.UserInfo,
});

/** The pricing engine test's one query without an org: the PricingVectors static resource, from the committed file. */
let resourceBody = null;
export function setStaticResource(body) {
  resourceBody = body;
  org.query = (text) => {
    if (!/FROMStaticResourceWHEREName='PricingVectors'/i.test(text.replace(/\s+/g, '')))
      throw new Error(`runtime: query ${text}`);
    const r = new SObject('StaticResource', true);
    r.Body = { toString: () => resourceBody };
    const l = new ApexList([r]);
    l.soql = true;
    return l;
  };
}
export { int, str, keyOf };
