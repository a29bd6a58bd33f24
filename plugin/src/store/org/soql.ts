/**
 * SOQL with bound values: the only way the org adapter builds a query. Every interpolated value is
 * rendered as a SOQL literal (strings quoted and escaped, dates and numbers checked), so no input can
 * change the shape of a query. Field and object names come from the mapping module as `SoqlRaw`.
 */

/** A trusted piece of SOQL text (field lists, object names from the mapping): never user input. */
export class SoqlRaw {
  public constructor(public readonly text: string) {}
}

/** A date literal (YYYY-MM-DD), unquoted in SOQL. */
export class SoqlDate {
  public constructor(public readonly value: string) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new RangeError(`not a date: ${JSON.stringify(value)}`);
  }
}

export const raw = (text: string): SoqlRaw => new SoqlRaw(text);
export const date = (value: string): SoqlDate => new SoqlDate(value);

/** A value that may be bound into a query. Arrays become `(a, b, c)` lists for IN. */
export type SoqlValue = string | number | boolean | null | SoqlRaw | SoqlDate | readonly (string | number)[];

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A SOQL string literal: quotes, backslashes and control characters escaped (SOQL reference, Quoted String Escape Sequences). */
export function quote(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c]!)}'`;
}

/** A LIKE pattern matching `value` anywhere: its `%` and `_` are escaped too, so they match themselves. */
export function likeContains(value: string): SoqlRaw {
  const escaped = value.replace(/[\\'"\n\r\t\b\f%_]/g, (c) => ESCAPES[c] ?? `\\${c}`);
  return raw(`'%${escaped}%'`);
}

export function literal(value: SoqlValue): string {
  if (value === null) return 'NULL';
  if (value instanceof SoqlRaw) return value.text;
  if (value instanceof SoqlDate) return value.value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return quote(value);
  if (value.length === 0) throw new RangeError('an IN list must not be empty');
  return `(${value.map((v) => literal(v)).join(', ')})`;
}

/** The tagged template: soql`SELECT Id FROM Account WHERE External_Id__c = ${id}`. */
export function soql(strings: TemplateStringsArray, ...values: SoqlValue[]): string {
  return strings.reduce((text, part, i) => text + part + (i < values.length ? literal(values[i]!) : ''), '');
}
