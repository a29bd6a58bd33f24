/**
 * The `zod` of the browser engine (c/cpqEngine): `npm run build:engine` bundles plugin/src/core with `zod`
 * resolved to this file, so the LWC module carries no zod (which is ~700 KB of it, probes `new Function`
 * and writes `globalThis`). The server, the CLI and the tests keep the real zod.
 *
 * It implements the part of zod 4's API that the scenario schemas (plugin/src/core/scenario.ts) use, with
 * zod's behaviour for it: the same issues (code, path, message, in the same order, including which checks
 * still run after a failed one), the same parsed value (defaults, preprocessing, unknown keys). The engine
 * turns those issues into its own (`fromZodIssues`), and test/engineZod.test.ts checks that the bundle's
 * `parseScenario` answers exactly as the source's on every vector and thousands of mutations of them.
 * A schema using a part of zod that is not here fails the build (see `unsupported`).
 */

type Key = string | number;
type ErrorMap = (issue: Issue) => string | undefined;
type Params = string | { error?: string | ErrorMap; message?: string } | undefined;

/** An issue as zod reports it (the fields the engine reads). */
export type Issue = {
  code: string;
  path: Key[];
  message: string;
  expected?: string;
  received?: string;
  keys?: string[];
  values?: unknown[];
  format?: string;
  origin?: string;
  minimum?: number;
  maximum?: number;
  inclusive?: boolean;
};

type RawIssue = Omit<Issue, 'path' | 'message'> & { path?: Key[]; message?: string; continue?: boolean; input?: unknown };
type Payload = { value: unknown; issues: RawIssue[]; aborted?: boolean };
type Check = { run: (p: Payload) => void; when?: (p: Payload) => boolean; error?: ErrorMap };
type Refinement = { addIssue: (issue: { code?: string; message?: string; path?: Key[]; fatal?: boolean }) => void };

function errorMap(params: Params): ErrorMap | undefined {
  if (params === undefined) return undefined;
  if (typeof params === 'string') return () => params;
  const error = params.error ?? params.message;
  if (error === undefined) return undefined;
  return typeof error === 'string' ? () => error : error;
}

/** A zod feature the engine's schemas do not use; the bundle's module fails to load, so tests catch it. */
function unsupported(what: string): never {
  throw new Error(`c/cpqEngine's zod subset (scripts/engine-zod.ts) does not implement ${what}`);
}

function aborted(p: Payload, start = 0): boolean {
  if (p.aborted === true) return true;
  for (let i = start; i < p.issues.length; i++) if (p.issues[i]!.continue !== true) return true;
  return false;
}

function explicitlyAborted(p: Payload): boolean {
  return p.aborted === true || p.issues.some((i) => i.continue === false);
}

/** zod's English name of a value's type (locales/en.js: parsedType, getTypeName). */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? 'number' : String(value);
  if (typeof value === 'object' && Object.getPrototypeOf(value) !== Object.prototype && 'constructor' in value) {
    const name = (value.constructor as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string') return name;
  }
  return typeof value;
}

/** zod's English message, for issues whose schema words none (only the wording of invalid_type is read). */
function defaultMessage(issue: RawIssue): string {
  if (issue.code === 'invalid_type') {
    return `Invalid input: expected ${issue.expected}, received ${typeName(issue.input)}`;
  }
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys ?? [];
    return `Unrecognized key${keys.length > 1 ? 's' : ''}: ${keys.map((k) => `"${k}"`).join(', ')}`;
  }
  return 'Invalid input';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type OptIn = 'optional' | 'defaulted' | undefined;

abstract class Schema {
  public readonly checks: readonly Check[] = [];
  public error: ErrorMap | undefined;
  public optin: OptIn = undefined;
  public optout: 'optional' | undefined = undefined;

  protected abstract parseValue(p: Payload): Payload;

  /** Reports an issue of this schema's own parse, worded by its error (zod: the issue's `inst`). */
  protected fail(p: Payload, issue: RawIssue): void {
    p.issues.push({ ...issue, message: this.error?.(issue as Issue) });
  }

  /** zod's `$ZodType` run: the parse, then each check unless an earlier issue aborted (a `when` decides itself). */
  public run(p: Payload): Payload {
    const result = this.parseValue(p);
    if (this.checks.length === 0) return result;
    let isAborted = aborted(result);
    for (const check of this.checks) {
      if (check.when) {
        if (explicitlyAborted(result) || !check.when(result)) continue;
      } else if (isAborted) {
        continue;
      }
      const start = result.issues.length;
      check.run(result);
      if (result.issues.length === start) continue;
      // worded by the check's own error, else by the schema's (zod: the issue's `inst`, then its `schema`)
      for (let i = start; i < result.issues.length; i++) {
        const issue = result.issues[i]!;
        issue.message ??= check.error?.(issue as Issue) ?? this.error?.(issue as Issue);
      }
      if (!isAborted) isAborted = aborted(result, start);
    }
    return result;
  }

  protected clone(): this {
    return Object.assign(Object.create(Object.getPrototypeOf(this) as object) as this, this);
  }

  protected withCheck(check: Check): this {
    const copy = this.clone();
    (copy as { checks: readonly Check[] }).checks = [...this.checks, check];
    return copy;
  }

  public safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: Issue[] } } {
    const result = this.run({ value, issues: [] });
    if (result.issues.length === 0) return { success: true, data: result.value };
    const issues = result.issues.map((raw): Issue => {
      const { continue: _continue, input: _input, ...rest } = raw;
      return { ...rest, path: raw.path ?? [], message: raw.message ?? defaultMessage(raw) };
    });
    return { success: false, error: { issues } };
  }

  public parse(value: unknown): unknown {
    const result = this.safeParse(value);
    if (result.success) return result.data;
    throw new Error(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  }

  public refine(fn: (value: never) => unknown, params?: Params): this {
    const error = errorMap(params);
    return this.withCheck({
      error,
      run: (p) => {
        if (!fn(p.value as never)) p.issues.push({ code: 'custom', path: [], input: p.value, continue: true });
      },
    });
  }

  public superRefine(fn: (value: never, ctx: Refinement) => void): this {
    return this.withCheck({
      run: (p) => {
        const ctx: Refinement = {
          addIssue: (issue) => {
            const { fatal, ...rest } = issue;
            p.issues.push({ ...rest, code: rest.code ?? 'custom', input: p.value, continue: fatal !== true });
          },
        };
        fn(p.value as never, ctx);
      },
    });
  }

  public optional(): Schema {
    return new Optional(this);
  }

  public default(value: unknown): Schema {
    return new Default(this, value);
  }

  public min(_minimum: number, _params?: Params): this {
    return unsupported(`.min() on ${this.constructor.name}`);
  }

  public max(_maximum: number, _params?: Params): this {
    return unsupported(`.max() on ${this.constructor.name}`);
  }
}

/** `.min(n)` of strings and arrays: like zod, it also runs after a wrong type when the value has a length. */
function minLength(minimum: number, params: Params): Check {
  return {
    error: errorMap(params),
    when: (p) => p.value !== null && p.value !== undefined && (p.value as { length?: unknown }).length !== undefined,
    run: (p) => {
      const value = p.value as { length: number };
      const length = typeof value === 'string' ? [...value].length : value.length;
      if (length >= minimum) return;
      p.issues.push({
        code: 'too_small',
        origin: typeof value === 'string' ? 'string' : Array.isArray(value) ? 'array' : undefined,
        minimum,
        inclusive: true,
        input: value,
        continue: true,
      });
    },
  };
}

function formatCheck(format: string, pattern: RegExp, error?: ErrorMap): Check {
  return {
    error,
    run: (p) => {
      pattern.lastIndex = 0;
      if (pattern.test(p.value as string)) return;
      p.issues.push({ code: 'invalid_format', origin: 'string', format, input: p.value, continue: true });
    },
  };
}

class StringSchema extends Schema {
  public constructor(params?: Params, formatName?: string, pattern?: RegExp) {
    super();
    this.error = errorMap(params);
    // a string format (z.iso.date) is its own first check, worded by its own error
    if (formatName !== undefined && pattern !== undefined)
      (this as { checks: readonly Check[] }).checks = [formatCheck(formatName, pattern)];
  }

  protected parseValue(p: Payload): Payload {
    if (typeof p.value !== 'string') this.fail(p, { code: 'invalid_type', expected: 'string', input: p.value });
    return p;
  }

  public regex(pattern: RegExp, params?: Params): this {
    return this.withCheck({ ...formatCheck('regex', pattern), error: errorMap(params) });
  }

  public override min(minimum: number, params?: Params): this {
    return this.withCheck(minLength(minimum, params));
  }
}

class NumberSchema extends Schema {
  public constructor(params: Params, integer: boolean) {
    super();
    this.error = errorMap(params);
    if (integer) (this as { checks: readonly Check[] }).checks = [{ run: safeInteger }];
  }

  protected parseValue(p: Payload): Payload {
    const value = p.value;
    if (typeof value === 'number' && Number.isFinite(value)) return p;
    const received = typeof value === 'number' ? (Number.isNaN(value) ? 'NaN' : String(value)) : undefined;
    this.fail(p, { code: 'invalid_type', expected: 'number', input: value, ...(received ? { received } : {}) });
    return p;
  }

  public override min(minimum: number, params?: Params): this {
    return this.withCheck({
      error: errorMap(params),
      run: (p) => {
        if ((p.value as number) >= minimum) return;
        p.issues.push({ code: 'too_small', origin: 'number', minimum, inclusive: true, input: p.value, continue: true });
      },
    });
  }

  public override max(maximum: number, params?: Params): this {
    return this.withCheck({
      error: errorMap(params),
      run: (p) => {
        if ((p.value as number) <= maximum) return;
        p.issues.push({ code: 'too_big', origin: 'number', maximum, inclusive: true, input: p.value, continue: true });
      },
    });
  }
}

/** z.int()'s format check: a whole number (else nothing else is checked), within the safe integer range. */
function safeInteger(p: Payload): void {
  const value = p.value as number;
  if (!Number.isInteger(value)) {
    p.issues.push({ code: 'invalid_type', expected: 'int', format: 'safeint', input: value, continue: false });
  } else if (!Number.isSafeInteger(value)) {
    p.issues.push(
      value > 0
        ? { code: 'too_big', origin: 'int', maximum: Number.MAX_SAFE_INTEGER, inclusive: true, input: value, continue: true }
        : { code: 'too_small', origin: 'int', minimum: Number.MIN_SAFE_INTEGER, inclusive: true, input: value, continue: true },
    );
  }
}

class BooleanSchema extends Schema {
  public constructor(params?: Params) {
    super();
    this.error = errorMap(params);
  }

  protected parseValue(p: Payload): Payload {
    if (typeof p.value !== 'boolean') this.fail(p, { code: 'invalid_type', expected: 'boolean', input: p.value });
    return p;
  }
}

class UnknownSchema extends Schema {
  protected parseValue(p: Payload): Payload {
    return p;
  }
}

class EnumSchema extends Schema {
  private readonly values: readonly string[];

  public constructor(values: readonly string[], params?: Params) {
    super();
    this.values = values;
    this.error = errorMap(params);
  }

  protected parseValue(p: Payload): Payload {
    if (!this.values.includes(p.value as string)) {
      this.fail(p, { code: 'invalid_value', values: [...this.values], input: p.value });
    }
    return p;
  }
}

function prefix(key: Key, issues: readonly RawIssue[]): RawIssue[] {
  for (const issue of issues) (issue.path ??= []).unshift(key);
  return [...issues];
}

class ArraySchema extends Schema {
  public constructor(
    private readonly element: Schema,
    params?: Params,
  ) {
    super();
    this.error = errorMap(params);
  }

  protected parseValue(p: Payload): Payload {
    const input = p.value;
    if (!Array.isArray(input)) {
      this.fail(p, { code: 'invalid_type', expected: 'array', input });
      return p;
    }
    const out: unknown[] = new Array<unknown>(input.length);
    p.value = out;
    for (let i = 0; i < input.length; i++) {
      const result = this.element.run({ value: input[i] as unknown, issues: [] });
      if (result.issues.length > 0) p.issues.push(...prefix(i, result.issues));
      out[i] = result.value;
    }
    return p;
  }

  public override min(minimum: number, params?: Params): this {
    return this.withCheck(minLength(minimum, params));
  }
}

class ObjectSchema extends Schema {
  public constructor(
    public readonly shape: Readonly<Record<string, Schema>>,
    private readonly strict: boolean,
    params?: Params,
  ) {
    super();
    this.error = errorMap(params);
    for (const [key, schema] of Object.entries(shape)) {
      if (!(schema instanceof Schema)) unsupported(`the schema at key "${key}"`);
    }
  }

  protected parseValue(p: Payload): Payload {
    const input = p.value;
    if (!isObject(input)) {
      this.fail(p, { code: 'invalid_type', expected: 'object', input });
      return p;
    }
    const out: Record<string, unknown> = {};
    p.value = out;
    for (const key of Object.keys(this.shape)) {
      if (key === '__proto__') continue;
      const schema = this.shape[key]!;
      const result = schema.run({ value: input[key], issues: [] });
      property(result, p, out, key, input, schema.optin, schema.optout);
    }
    if (this.strict) {
      const unknown: string[] = [];
      for (const key in input) if (!Object.hasOwn(this.shape, key)) unknown.push(key);
      if (unknown.length > 0) this.fail(p, { code: 'unrecognized_keys', keys: unknown, input, continue: true });
    }
    return p;
  }

  public extend(_shape: Record<string, Schema>): ObjectSchema {
    return unsupported('.extend()');
  }
}

/** zod's handlePropertyResult: how a key's result lands in the parsed object (absent, optional, defaulted). */
function property(
  result: Payload,
  final: Payload,
  out: Record<string, unknown>,
  key: string,
  input: Record<string, unknown>,
  optin: OptIn,
  optout: 'optional' | undefined,
): void {
  const present = key in input;
  const optionalOut = optout === 'optional';
  if (!present && optionalOut && optin === 'optional') return;
  if (result.issues.length > 0) {
    if (optin !== undefined && optionalOut && !present) return;
    final.issues.push(...prefix(key, result.issues));
  }
  if (!present && optin === undefined) {
    if (result.issues.length === 0) {
      final.issues.push({ code: 'invalid_type', expected: 'nonoptional', input: undefined, path: [key] });
    }
    return;
  }
  if (result.value === undefined) {
    if (present || (optin === 'defaulted' && !optionalOut)) out[key] = undefined;
  } else {
    out[key] = result.value;
  }
}

class Optional extends Schema {
  public constructor(private readonly inner: Schema) {
    super();
    this.optin = inner.optin === 'defaulted' ? 'defaulted' : 'optional';
    this.optout = 'optional';
  }

  protected parseValue(p: Payload): Payload {
    if (p.value !== undefined) return this.inner.run(p);
    if (this.inner.optin !== 'defaulted') return p;
    const result = this.inner.run({ value: undefined, issues: [] });
    p.value = result.issues.length > 0 ? undefined : result.value;
    return p;
  }
}

function shallowClone(value: unknown): unknown {
  if (Array.isArray(value)) return [...(value as unknown[])];
  if (isObject(value) && Object.getPrototypeOf(value) === Object.prototype) return { ...value };
  return value;
}

class Default extends Schema {
  public constructor(
    private readonly inner: Schema,
    private readonly defaultValue: unknown,
  ) {
    super();
    this.optin = 'defaulted';
  }

  protected parseValue(p: Payload): Payload {
    if (p.value === undefined) {
      p.value = shallowClone(this.defaultValue);
      return p;
    }
    const result = this.inner.run(p);
    if (result.value === undefined) result.value = shallowClone(this.defaultValue);
    return result;
  }
}

/** z.preprocess(fn, schema): the function's answer is what the schema checks. */
class Preprocess extends Schema {
  public constructor(
    private readonly fn: (value: unknown) => unknown,
    private readonly out: Schema,
  ) {
    super();
    this.optin = 'optional';
    this.optout = out.optout;
  }

  protected parseValue(p: Payload): Payload {
    p.value = this.fn(p.value);
    if (p.issues.some((i) => i.code !== 'unrecognized_keys')) {
      p.aborted = true;
      return p;
    }
    return this.out.run({ value: p.value, issues: p.issues });
  }
}

// The ISO date of zod 4 (regexes.date): YYYY-MM-DD, a real day of the Gregorian calendar.
const isoDate =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))$/;

export const z = {
  string: (params?: Params) => new StringSchema(params),
  int: (params?: Params) => new NumberSchema(params, true),
  number: (params?: Params) => new NumberSchema(params, false),
  boolean: (params?: Params) => new BooleanSchema(params),
  unknown: () => new UnknownSchema(),
  enum: (values: readonly string[], params?: Params) => {
    if (!Array.isArray(values)) unsupported('z.enum() of an object');
    return new EnumSchema(values, params);
  },
  array: (element: Schema, params?: Params) => new ArraySchema(element, params),
  strictObject: (shape: Record<string, Schema>, params?: Params) => new ObjectSchema(shape, true, params),
  object: (shape: Record<string, Schema>, params?: Params) => new ObjectSchema(shape, false, params),
  preprocess: (fn: (value: unknown) => unknown, schema: Schema) => new Preprocess(fn, schema),
  iso: { date: (params?: Params) => new StringSchema(params, 'date', isoDate) },
};

export default z;
