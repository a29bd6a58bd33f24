import { parse, CsvError } from 'csv-parse';
import { z } from 'zod';
import { minorUnits } from '../core/currency.js';
import { formatScaled, parseScaled } from '../core/exact.js';
import type { AccountRecord, ProductRecord } from '../core/records.js';
import {
  agreementStatusSchema,
  channelModeSchema,
  moneySchema,
  percentSchema,
  quantitySchema,
  type Agreement,
  type AgreementRule,
} from '../core/scenario.js';
import { validateAgreements } from '../core/validation.js';
import type { OrderTerms } from '../store/port.js';
import { decodeCsvBytes, duplicateColumns, headerCells, malformedCsvIssue, type CsvFileIssue } from './csvFile.js';

/**
 * The agreements CSV (docs/AGREEMENTS-CSV.md): one row per agreement rule or dynamic tier, the agreement's
 * own columns repeated (or left blank after its first row). Every problem is reported with its row (as a
 * spreadsheet numbers it: the header is row 1), its column and the reason, never only the first one.
 */

export const AGREEMENT_COLUMNS = [
  'agreementKey',
  'agreementName',
  'partner',
  'seller',
  'validFrom',
  'validTo',
  'status',
  'kind',
  'scope',
  'value',
  'minQuantity',
  'discountPercent',
  'maxAdditionalDiscountPercent',
  'tierName',
  'minBookings',
  'bonusPercent',
  'channelMode',
  'registeredDealBonusPercent',
  'autoFulfil',
  'creditLimit',
] as const;
export type AgreementColumn = (typeof AGREEMENT_COLUMNS)[number];

const RULE_COLUMNS: readonly AgreementColumn[] = [
  'scope',
  'value',
  'minQuantity',
  'discountPercent',
  'maxAdditionalDiscountPercent',
];
const TIER_COLUMNS: readonly AgreementColumn[] = ['tierName', 'minBookings', 'bonusPercent'];
const AGREEMENT_FIELDS = [
  'agreementName',
  'partner',
  'seller',
  'validFrom',
  'validTo',
  'status',
  'channelMode',
  'registeredDealBonusPercent',
  'autoFulfil',
  'creditLimit',
] as const;
/** The reseller's order terms with its distributor (docs/ORDERS.md), held on their agreement. */
const ORDER_TERMS_FIELDS = ['autoFulfil', 'creditLimit'] as const;

export type ImportIssue = {
  /** Row as a spreadsheet shows it (header = 1); 0 for the file as a whole. */
  row: number;
  /** The column at fault, or null when the row or file is (an overlap names validFrom). */
  column: string | null;
  /** The agreement the row belongs to, when known. */
  agreementKey: string | null;
  code: string;
  message: string;
};

export function formatImportIssue(i: ImportIssue): string {
  const where = i.row === 0 ? 'file' : `row ${i.row}`;
  return `${where}${i.column ? `, ${i.column}` : ''}: ${i.message}`;
}

const blank = (v: unknown): unknown => (v === '' ? undefined : v);
const cell = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema);
const keySchema = z
  .string()
  .max(80, { error: 'must be at most 80 characters (it is the external id)' })
  .regex(/^[^\s,;]+$/, { error: 'must be one word without spaces, commas or semicolons, like "agr-nordic-2026"' });
const isoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD, like 2026-07-01' });
const accountKey = z.string().max(80, { error: 'must be at most 80 characters' });

/** A credit limit as a sheet writes it: a decimal with a dot, 0 or more; its currency's decimals are checked later. */
const creditLimitSchema = z
  .string()
  .refine((v) => !v.startsWith('-'), { error: 'must be 0 or more (the most the reseller’s open orders may add up to)' })
  .refine((v) => v.startsWith('-') || /^\d+(\.\d+)?$/.test(v), {
    error: 'must be a decimal number with a dot and no thousands separator, like 25000.00',
  })
  .refine((v) => !/^\d+(\.\d+)?$/.test(v) || v.replace('.', '').replace(/^0+/, '').length <= 15, {
    error: 'has too many digits (at most 15 significant digits)',
  })
  // Partner_Agreement__c.Credit_Limit__c is Number(18, 4): 14 digits before the point.
  .refine((v) => !/^\d+(\.\d+)?$/.test(v) || v.split('.')[0]!.replace(/^0+(?=\d)/, '').length <= 14, {
    error: 'is too large: at most 14 digits before the decimal point',
  });

const headSchema = z.object({
  agreementKey: cell(keySchema),
  agreementName: cell(z.string().max(80, { error: 'must be at most 80 characters' }).optional()),
  partner: cell(accountKey.optional()),
  seller: cell(accountKey.optional()),
  validFrom: cell(isoDate.optional()),
  validTo: cell(isoDate.optional()),
  status: cell(agreementStatusSchema.optional()),
  /** How the partner's quotes through this seller are priced; blank: the vendor's setting. */
  channelMode: cell(channelModeSchema.optional()),
  /** Points a registered deal adds to the partner discount on its protected families (CHANNEL.md). */
  registeredDealBonusPercent: cell(percentSchema.optional()),
  /** Order terms (reseller with distributor only): the reseller's orders are placed at once, within the limit. */
  autoFulfil: z.preprocess(
    (v) => blank(typeof v === 'string' ? v.toLowerCase() : v),
    z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  ),
  creditLimit: cell(creditLimitSchema.optional()),
  kind: cell(z.enum(['rule', 'tier'], { error: 'must be "rule" (a discount rule) or "tier" (a dynamic bonus tier)' })),
});

const ruleSchema = z.object({
  scope: cell(z.enum(['all', 'family', 'product'], { error: 'must be all, family or product' })),
  value: cell(z.string().max(255, { error: 'must be at most 255 characters' }).optional()),
  minQuantity: cell(quantitySchema.optional()),
  discountPercent: cell(percentSchema),
  maxAdditionalDiscountPercent: cell(percentSchema.optional()),
});

const tierSchema = z.object({
  tierName: cell(z.string().max(80, { error: 'must be at most 80 characters' })),
  minBookings: cell(moneySchema),
  bonusPercent: cell(percentSchema),
});

type Head = z.infer<typeof headSchema>;

/** An agreement assembled from its rows, with the rows each part came from. */
export type ParsedAgreement = {
  agreement: Agreement;
  /** A row of it has a problem: it is not loaded (checked against the store all the same). */
  bad: boolean;
  firstRow: number;
  rows: number[];
  ruleRows: number[];
  tierRows: number[];
  /**
   * The order-terms columns the file fills for this agreement, and the row each was first filled on; absent
   * when the file fills neither (the stored terms stay as they are).
   */
  orderTerms?: { autoFulfil?: boolean; creditLimit?: string; rows: { autoFulfil?: number; creditLimit?: number } };
};

export type ParsedFile = {
  rows: number;
  agreements: ParsedAgreement[];
  /** Keys of agreements too incomplete to assemble (their problems are in `issues`). */
  rejected: string[];
  issues: ImportIssue[];
};

function zodIssues(
  error: z.ZodError,
  row: number,
  agreementKey: string | null,
  record: Record<string, string>,
  kind?: string,
  onlyColumn?: string,
): ImportIssue[] {
  return error.issues.map((issue) => {
    const column = onlyColumn ?? String(issue.path[0] ?? '');
    const missing = record[column] === undefined || record[column] === '';
    let message = issue.message;
    if (missing && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
      message = kind ? `is required on a ${kind} row` : 'is required';
    }
    return { row, column: column || null, agreementKey, code: 'INVALID_INPUT', message };
  });
}

/** Canonical column name for a header cell: case, spaces, dashes and underscores do not matter. */
function canonical(header: string): AgreementColumn | undefined {
  const squashed = header.replace(/[\s_-]/g, '').toLowerCase();
  return AGREEMENT_COLUMNS.find((c) => c.toLowerCase() === squashed);
}

const fileIssue = (i: CsvFileIssue): ImportIssue => ({ ...i, agreementKey: null });

/**
 * Parses and checks the file on its own (UTF-8, header, shapes, kinds, agreement columns consistent across its
 * rows, duplicate tier names). Given bytes, they must be UTF-8. `onRow` reports progress every few hundred rows.
 */
export async function parseAgreementsCsv(file: string | Uint8Array, onRow?: (rows: number) => void): Promise<ParsedFile> {
  const issues: ImportIssue[] = [];
  const byKey = new Map<string, Entry>();
  const rejected: string[] = [];
  let text: string;
  if (typeof file === 'string') {
    text = file;
  } else {
    const decoded = decodeCsvBytes(file);
    if (!decoded.ok) return { rows: 0, agreements: [], rejected: [], issues: [fileIssue(decoded.issue)] };
    text = decoded.text;
  }
  let columns: (AgreementColumn | undefined)[] | undefined;
  let row = 0;
  const parser = parse(text, { bom: true, trim: true, relax_column_count: true, skip_empty_lines: false });
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row++;
      if (row % 500 === 0) onRow?.(row);
      if (!columns) {
        columns = cells.map(canonical);
        issues.push(...duplicateColumns(cells, canonical).map(fileIssue));
        cells.forEach((header, i) => {
          if (!columns![i]) {
            issues.push({
              row: 1,
              column: header,
              agreementKey: null,
              code: 'UNKNOWN_COLUMN',
              message: `"${header}" is not a column of the agreements file (known columns: ${AGREEMENT_COLUMNS.join(', ')})`,
            });
          }
        });
        for (const required of ['agreementKey', 'kind'] as const) {
          if (!columns.includes(required)) {
            issues.push({
              row: 1,
              column: required,
              agreementKey: null,
              code: 'MISSING_COLUMN',
              message: 'the header has no such column, and every row needs it',
            });
          }
        }
        if (issues.length > 0) return { rows: 0, agreements: [], rejected: [], issues };
        continue;
      }
      if (cells.every((c) => c === '')) continue;
      if (cells.length > columns.length) {
        issues.push({
          row,
          column: null,
          agreementKey: null,
          code: 'INVALID_INPUT',
          message: `has ${cells.length} cells but the header has ${columns.length} columns (a comma inside a value needs "quotes")`,
        });
        continue;
      }
      const record: Record<string, string> = {};
      columns.forEach((c, i) => {
        if (c) record[c] = cells[i] ?? '';
      });
      readRow(record, row, byKey, issues);
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { rows: row, agreements: [], rejected: [], issues: [fileIssue(malformedCsvIssue(error, headerCells(text)))] };
  }
  if (!columns) {
    issues.push({
      row: 0,
      column: null,
      agreementKey: null,
      code: 'EMPTY_FILE',
      message: 'the file is empty: it needs a header row and one row per rule or tier',
    });
  }
  onRow?.(row);

  const agreements: ParsedAgreement[] = [];
  for (const [key, a] of byKey) {
    const head = a.head;
    let complete = true;
    for (const field of ['partner', 'seller', 'validFrom', 'status'] as const) {
      if (head[field] !== undefined) continue;
      complete = false;
      a.bad = true;
      // A value that was given but wrong is already reported on its row.
      if (!a.given.has(field)) {
        issues.push({
          row: a.firstRow,
          agreementKey: key,
          code: 'INVALID_INPUT',
          column: field,
          message: `agreement ${key} needs a ${field} (on its first row at least)`,
        });
      }
    }
    // Incomplete agreements cannot be checked against the store; the others are, even with a bad row,
    // so that one run reports every problem.
    if (!complete) {
      rejected.push(key);
      continue;
    }
    agreements.push({
      agreement: {
        id: key,
        name: head.agreementName,
        partnerId: head.partner!,
        sellerId: head.seller!,
        validFrom: head.validFrom!,
        validTo: head.validTo,
        status: head.status!,
        ...(head.channelMode === undefined ? {} : { channelMode: head.channelMode }),
        ...(head.registeredDealBonusPercent === undefined ? {} : { registeredDealBonusPercent: head.registeredDealBonusPercent }),
        rules: a.agreement.rules,
        tiers: a.agreement.tiers,
      },
      bad: a.bad,
      firstRow: a.firstRow,
      rows: a.rows,
      ruleRows: a.ruleRows,
      tierRows: a.tierRows,
      ...(head.autoFulfil === undefined && head.creditLimit === undefined
        ? {}
        : {
            orderTerms: {
              ...(head.autoFulfil === undefined ? {} : { autoFulfil: head.autoFulfil === 'true' }),
              ...(head.creditLimit === undefined ? {} : { creditLimit: head.creditLimit }),
              rows: Object.fromEntries(ORDER_TERMS_FIELDS.flatMap((f) => (a.givenRow.has(f) ? [[f, a.givenRow.get(f)]] : []))),
            },
          }),
    });
  }
  issues.sort((x, y) => x.row - y.row);
  return { rows: Math.max(0, row - 1), agreements, rejected, issues };
}

type Entry = ParsedAgreement & { head: Partial<Head>; given: Set<string>; givenRow: Map<string, number> };

/** Each agreement column on its own, so one bad cell does not hide the good ones next to it. */
function readHead(record: Record<string, string>, row: number, issues: ImportIssue[]): { head: Partial<Head>; ok: boolean } {
  const head: Partial<Head> = {};
  let ok = true;
  const key = record.agreementKey || null;
  for (const [column, schema] of Object.entries(headSchema.shape)) {
    const parsed = (schema as z.ZodType).safeParse(record[column] ?? '');
    if (parsed.success) {
      if (parsed.data !== undefined) (head as Record<string, unknown>)[column] = parsed.data;
    } else {
      ok = false;
      issues.push(...zodIssues(parsed.error, row, key, record, undefined, column));
    }
  }
  return { head, ok };
}

function readRow(record: Record<string, string>, row: number, byKey: Map<string, Entry>, issues: ImportIssue[]): void {
  const { head, ok } = readHead(record, row, issues);
  const key = head.agreementKey ?? (record.agreementKey || null);
  const kind = head.kind;
  let rule: AgreementRule | undefined;
  let tier: Agreement['tiers'][number] | undefined;
  let rowOk = ok;
  if (kind === 'rule' || kind === 'tier') {
    const own = kind === 'rule' ? ruleSchema.safeParse(record) : tierSchema.safeParse(record);
    if (own.success) {
      if (kind === 'rule') {
        const r = own.data as z.infer<typeof ruleSchema>;
        rule = { scope: r.scope, discountPercent: r.discountPercent };
        if (r.value !== undefined) rule.value = r.value;
        if (r.minQuantity !== undefined) rule.minQuantity = r.minQuantity;
        if (r.maxAdditionalDiscountPercent !== undefined) rule.maxAdditionalDiscountPercent = r.maxAdditionalDiscountPercent;
      } else {
        const t = own.data as z.infer<typeof tierSchema>;
        tier = { name: t.tierName, minBookings: t.minBookings, bonusPercent: t.bonusPercent };
      }
    } else {
      issues.push(...zodIssues(own.error, row, key, record, kind));
      rowOk = false;
    }
    for (const column of kind === 'rule' ? TIER_COLUMNS : RULE_COLUMNS) {
      if (record[column]) {
        issues.push({
          row,
          column,
          agreementKey: key,
          code: 'INVALID_INPUT',
          message: `belongs to ${kind === 'rule' ? 'tier' : 'rule'} rows: leave it empty on a ${kind} row`,
        });
        rowOk = false;
      }
    }
  }
  if (!key) return;
  let entry = byKey.get(key);
  if (!entry) {
    entry = {
      head: {},
      given: new Set(),
      givenRow: new Map(),
      bad: false,
      agreement: { id: key, partnerId: '', sellerId: '', validFrom: '', status: 'Draft', rules: [], tiers: [] },
      firstRow: row,
      rows: [],
      ruleRows: [],
      tierRows: [],
    };
    byKey.set(key, entry);
  }
  // The agreement's own columns may be left blank after its first row; if filled they must agree.
  for (const field of AGREEMENT_FIELDS) {
    if (record[field]) entry.given.add(field);
    if (record[field] && !entry.givenRow.has(field)) entry.givenRow.set(field, row);
    const value = head[field];
    if (value === undefined) continue;
    if (entry.head[field] === undefined) {
      (entry.head as Record<string, unknown>)[field] = value;
    } else if (entry.head[field] !== value) {
      issues.push({
        row,
        column: field,
        agreementKey: key,
        code: 'CONFLICT',
        message: `agreement ${key} has ${field} "${String(entry.head[field])}" on row ${entry.firstRow} but "${value}" here (one agreement, one ${field})`,
      });
      rowOk = false;
    }
  }
  entry.rows.push(row);
  if (!rowOk) {
    entry.bad = true;
    return;
  }
  if (rule) {
    // A stable id per rule (its place in the agreement; the org adapter keys it `<agreementKey>:r<n>`), so
    // importing the file again upserts the same rules.
    rule.id = `r${entry.agreement.rules.length + 1}`;
    entry.agreement.rules.push(rule);
    entry.ruleRows.push(row);
  }
  if (tier) {
    const twin = entry.agreement.tiers.findIndex((t) => t.name === tier.name);
    if (twin >= 0) {
      issues.push({
        row,
        column: 'tierName',
        agreementKey: key,
        code: 'DUPLICATE_TIER',
        message: `agreement ${key} already has a tier named "${tier.name}" (row ${entry.tierRows[twin]})`,
      });
      entry.bad = true;
      return;
    }
    entry.agreement.tiers.push(tier);
    entry.tierRows.push(row);
  }
}

/** What the store knows that the file is checked against. */
export type ImportReference = {
  accounts: readonly AccountRecord[];
  products: readonly ProductRecord[];
  bookingsCurrency: string;
  /** Agreements already stored: an imported one replaces the stored one of the same key. */
  stored: readonly Agreement[];
};

const FIELD_COLUMNS: Record<string, string> = {
  partnerId: 'partner',
  sellerId: 'seller',
  validFrom: 'validFrom',
  validTo: 'validTo',
  status: 'status',
  name: 'agreementName',
};

/**
 * The core agreement rules (plugin/src/core/validation.ts) across the file and the store: accounts exist
 * and buy from the right kind of seller, products exist, dates, duplicate rules, and no two Active
 * agreements of one partner with one seller overlapping, whether both are in the file or one is stored.
 */
export function checkAgainstStore(parsed: readonly ParsedAgreement[], reference: ImportReference): ImportIssue[] {
  const importedKeys = new Set(parsed.map((p) => p.agreement.id));
  const kept = reference.stored.filter((a) => !importedKeys.has(a.id));
  // Stored ones first: an overlap is reported on the later agreement of the pair, so always on an imported one.
  const all = [...kept, ...parsed.map((p) => p.agreement)];
  const accounts = new Map(reference.accounts.map((a) => [a.id, a]));
  const products = new Map(reference.products.map((p) => [p.id, p]));
  const issues: ImportIssue[] = [];
  for (const issue of validateAgreements(all, accounts, products, reference.bookingsCurrency)) {
    const [, indexText, part, partIndex, field] = issue.path.split('.');
    const index = Number(indexText) - kept.length;
    const source = parsed[index];
    if (!source) continue; // a stored agreement's own problem: not this file's
    let row = source.firstRow;
    let column: string | null = null;
    if (part === 'rules' || part === 'tiers') {
      row = (part === 'rules' ? source.ruleRows : source.tierRows)[Number(partIndex)] ?? row;
      column = field ?? (part === 'rules' ? 'scope' : 'tierName');
    } else if (part !== undefined) {
      column = FIELD_COLUMNS[part] ?? part;
    } else if (issue.code === 'AGREEMENT_OVERLAP') {
      column = 'validFrom';
    }
    issues.push({ row, column, agreementKey: source.agreement.id, code: issue.code, message: inRowWords(issue, source) });
  }
  return issues.sort((x, y) => x.row - y.row);
}

/** The core numbers rules by their place in the agreement; a file's reader thinks in rows. */
function inRowWords(issue: { code: string; message: string }, source: ParsedAgreement): string {
  const key = source.agreement.id;
  const pair = /rules (\d+) and (\d+)/.exec(issue.message);
  if (issue.code === 'DUPLICATE_RULE' && pair) {
    return `agreement ${key}: same scope, value and minimum quantity as the rule on row ${source.ruleRows[Number(pair[1]) - 1]}`;
  }
  const prefix = `agreement ${key} rule `;
  if (!issue.message.startsWith(prefix)) return issue.message;
  return `agreement ${key}: ${issue.message.slice(issue.message.indexOf(': ', prefix.length) + 2)}`;
}

/** What the order-terms check needs from the store. */
export type OrderTermsReference = {
  accounts: readonly AccountRecord[];
  /** The corporate currency: a limit's currency when the agreement has none yet. */
  bookingsCurrency: string;
  /** The stored order terms of the file's agreements (an agreement not stored has none). */
  stored: readonly OrderTerms[];
};

/**
 * The order-terms columns against the store (docs/ORDERS.md): only a reseller's agreement with a distributor
 * has them; a credit limit is exact in the agreement's limit currency (the one it already has, else the
 * corporate currency), at most its minor units; auto-fulfil needs a limit. A blank column keeps what is
 * stored. Returns the terms to write with the agreements, and every problem by row and column.
 */
export function checkOrderTerms(
  parsed: readonly ParsedAgreement[],
  reference: OrderTermsReference,
): { terms: OrderTerms[]; issues: ImportIssue[] } {
  const accounts = new Map(reference.accounts.map((a) => [a.id, a]));
  const stored = new Map(reference.stored.map((t) => [t.agreementId, t]));
  const terms: OrderTerms[] = [];
  const issues: ImportIssue[] = [];
  for (const p of parsed) {
    const given = p.orderTerms;
    if (!given) continue;
    const key = p.agreement.id;
    const issue = (column: 'autoFulfil' | 'creditLimit', code: string, message: string, row?: number): void => {
      issues.push({ row: row ?? given.rows[column] ?? p.firstRow, column, agreementKey: key, code, message });
    };
    const partner = accounts.get(p.agreement.partnerId);
    const seller = accounts.get(p.agreement.sellerId);
    // An unknown account is reported by the agreement checks (UNKNOWN_REFERENCE).
    if (!partner || !seller) continue;
    if (partner.type !== 'reseller' || seller.type !== 'distributor') {
      const what = `${partner.id} (a ${partner.type}) buying from ${seller.id} (a ${seller.type})`;
      for (const column of ORDER_TERMS_FIELDS) {
        if (given[column] === undefined) continue;
        issue(
          column,
          'INVALID_INPUT',
          `agreement ${key}: order terms belong to a reseller’s agreement with its distributor, not to ${what}: leave ${column} empty`,
        );
      }
      continue;
    }
    const before = stored.get(key);
    const currency = before?.creditLimitCurrency ?? reference.bookingsCurrency;
    let creditLimit = before?.creditLimit ?? null;
    if (given.creditLimit !== undefined) {
      const digits = minorUnits(currency);
      const scaled = digits === undefined ? undefined : parseScaled(given.creditLimit, digits);
      if (digits === undefined || scaled === undefined) {
        issue(
          'creditLimit',
          'CURRENCY_PRECISION',
          `agreement ${key}: ${given.creditLimit} has more decimals than ${currency} has (at most ${digits ?? 0}): the limit is in ${currency}`,
        );
        continue;
      }
      creditLimit = formatScaled(scaled, digits);
    }
    const autoFulfil = given.autoFulfil ?? before?.autoFulfil ?? false;
    if (autoFulfil && creditLimit === null) {
      issue(
        'creditLimit',
        'INVALID_INPUT',
        `agreement ${key}: is required when autoFulfil is true (the most the reseller’s open orders may add up to, in ${currency})`,
        given.rows.autoFulfil,
      );
      continue;
    }
    terms.push({ agreementId: key, autoFulfil, creditLimit, creditLimitCurrency: creditLimit === null ? null : currency });
  }
  return { terms, issues: issues.sort((x, y) => x.row - y.row) };
}
