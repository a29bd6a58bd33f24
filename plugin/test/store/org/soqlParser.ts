/**
 * The SOQL subset the org adapter generates, parsed for the fake org: SELECT fields FROM object
 * [WHERE conditions with AND/OR/NOT, =, !=, <, <=, >, >=, IN, NOT IN, LIKE] [ORDER BY ...] [LIMIT n].
 * Anything else is a MALFORMED_QUERY, as a real org would say: the fake must not accept what an org refuses.
 */

export type Literal = string | number | boolean | null | { date: string };
export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: string; op: string; value: Literal }
  | { kind: 'in'; field: string; negated: boolean; values: Literal[] }
  | { kind: 'like'; field: string; pattern: string };
export type Query = {
  fields: string[];
  object: string;
  where?: Condition;
  orderBy: { field: string; desc: boolean; nullsLast: boolean }[];
  limit?: number;
};

type Token = { type: 'word' | 'string' | 'number' | 'date' | 'op' | 'punct'; text: string; value?: Literal; raw?: string };

export class MalformedQuery extends Error {}

const UNESCAPE: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  '%': '\\%',
  _: '\\_',
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      const start = ++i;
      for (;;) {
        if (i >= text.length) throw new MalformedQuery('unterminated string literal');
        const ch = text[i]!;
        if (ch === '\\') {
          const next = text[i + 1];
          if (next === undefined || !(next in UNESCAPE)) throw new MalformedQuery(`invalid escape sequence \\${next ?? ''}`);
          // \% and \_ stay escaped: they only mean something to LIKE.
          value += UNESCAPE[next];
          i += 2;
        } else if (ch === "'") {
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      tokens.push({ type: 'string', text: value, value, raw: text.slice(start, i - 1) });
    } else if (/\d/.test(c) || (c === '-' && /\d/.test(text[i + 1] ?? ''))) {
      const m = /^-?\d{4}-\d{2}-\d{2}(?![\dT])/.exec(text.slice(i));
      if (m) {
        tokens.push({ type: 'date', text: m[0], value: { date: m[0] } });
        i += m[0].length;
      } else {
        const n = /^-?\d+(\.\d+)?/.exec(text.slice(i))![0];
        tokens.push({ type: 'number', text: n, value: Number(n) });
        i += n.length;
      }
    } else if (/[A-Za-z_]/.test(c)) {
      const w = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))![0];
      tokens.push({ type: 'word', text: w });
      i += w.length;
    } else if ('<>!='.includes(c)) {
      const op = /^(<=|>=|!=|<>|=|<|>)/.exec(text.slice(i))?.[0];
      if (!op) throw new MalformedQuery(`unexpected ${c}`);
      tokens.push({ type: 'op', text: op === '<>' ? '!=' : op });
      i += op.length;
    } else if ('(),'.includes(c)) {
      tokens.push({ type: 'punct', text: c });
      i++;
    } else {
      throw new MalformedQuery(`unexpected character ${JSON.stringify(c)}`);
    }
  }
  return tokens;
}

export function parseSoql(text: string): Query {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (w: string): boolean => peek()?.type === 'word' && peek()!.text.toUpperCase() === w;
  const expectWord = (w: string): void => {
    if (!isWord(w)) throw new MalformedQuery(`expected ${w} at ${peek()?.text ?? 'end'}`);
    pos++;
  };
  const field = (): string => {
    const t = tokens[pos++];
    if (t?.type !== 'word') throw new MalformedQuery(`expected a field at ${t?.text ?? 'end'}`);
    return t.text;
  };
  const literal = (): Literal => {
    const t = tokens[pos++];
    if (!t) throw new MalformedQuery('expected a value');
    if (t.type === 'string' || t.type === 'number' || t.type === 'date') return t.value!;
    if (t.type === 'word') {
      const u = t.text.toUpperCase();
      if (u === 'NULL') return null;
      if (u === 'TRUE') return true;
      if (u === 'FALSE') return false;
    }
    throw new MalformedQuery(`unexpected ${t.text}`);
  };

  expectWord('SELECT');
  const fields = [field()];
  while (peek()?.text === ',') {
    pos++;
    fields.push(field());
  }
  expectWord('FROM');
  const object = field();

  const primary = (): Condition => {
    if (peek()?.text === '(') {
      pos++;
      const inner = or();
      if (tokens[pos++]?.text !== ')') throw new MalformedQuery('expected )');
      return inner;
    }
    if (isWord('NOT')) {
      pos++;
      return { kind: 'not', item: primary() };
    }
    const f = field();
    if (isWord('LIKE')) {
      pos++;
      const t = tokens[pos++];
      if (t?.type !== 'string') throw new MalformedQuery('LIKE needs a string');
      return { kind: 'like', field: f, pattern: t.raw! };
    }
    let negated = false;
    if (isWord('NOT')) {
      pos++;
      negated = true;
      if (!isWord('IN')) throw new MalformedQuery('expected IN after NOT');
    }
    if (isWord('IN')) {
      pos++;
      if (tokens[pos++]?.text !== '(') throw new MalformedQuery('expected ( after IN');
      const values = [literal()];
      while (peek()?.text === ',') {
        pos++;
        values.push(literal());
      }
      if (tokens[pos++]?.text !== ')') throw new MalformedQuery('expected ) after IN list');
      return { kind: 'in', field: f, negated, values };
    }
    const op = tokens[pos++];
    if (op?.type !== 'op') throw new MalformedQuery(`expected an operator after ${f}`);
    return { kind: 'compare', field: f, op: op.text, value: literal() };
  };
  const and = (): Condition => {
    const items = [primary()];
    while (isWord('AND')) {
      pos++;
      items.push(primary());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const or = (): Condition => {
    const items = [and()];
    while (isWord('OR')) {
      pos++;
      items.push(and());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };

  const query: Query = { fields, object, orderBy: [] };
  if (isWord('WHERE')) {
    pos++;
    query.where = or();
  }
  if (isWord('ORDER')) {
    pos++;
    expectWord('BY');
    for (;;) {
      const f = field();
      let desc = false;
      if (isWord('ASC')) pos++;
      else if (isWord('DESC')) {
        pos++;
        desc = true;
      }
      let nullsLast = desc;
      if (isWord('NULLS')) {
        pos++;
        nullsLast = isWord('LAST');
        pos++;
      }
      query.orderBy.push({ field: f, desc, nullsLast });
      if (peek()?.text !== ',') break;
      pos++;
    }
  }
  if (isWord('LIMIT')) {
    pos++;
    const t = tokens[pos++];
    if (t?.type !== 'number') throw new MalformedQuery('LIMIT needs a number');
    query.limit = Number(t.text);
  }
  if (pos !== tokens.length) throw new MalformedQuery(`unexpected ${tokens[pos]!.text}`);
  return query;
}

/** SOQL LIKE over the literal as written: % any, _ one character, escapes (\\, \%, \_, \') themselves; case-insensitive. */
export function likeToRegExp(pattern: string): RegExp {
  const esc = (c: string): string => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[++i]!;
      source += esc(UNESCAPE[next] === undefined || next === '%' || next === '_' ? next : UNESCAPE[next]);
    } else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += esc(c);
  }
  return new RegExp(`^${source}$`, 'is');
}
