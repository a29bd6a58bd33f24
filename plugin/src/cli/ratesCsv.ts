import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { exchangeRateSchema, type ExchangeRate } from '../core/scenario.js';
import { validateExchangeRates } from '../core/validation.js';
import { decodeCsvBytes, duplicateColumns, headerCells, malformedCsvIssue } from './csvFile.js';

/**
 * The exchange rates file of `sf cpq rates import` (docs/RATES-CSV.md): a header row with the columns
 * currency, startDate and rate (any order), then one dated rate per row, in units of the currency per one
 * unit of the corporate currency (CHANNEL.md, Currencies). Every problem is reported with its row (as a
 * spreadsheet numbers it, header = 1) and column; the file is loaded all or nothing.
 */

export const RATE_COLUMNS = ['currency', 'startDate', 'rate'] as const;
export type RateColumn = (typeof RATE_COLUMNS)[number];

export type RateIssue = { row: number; column: string | null; code: string; message: string };

export type ParsedRates = { rows: number; rates: ExchangeRate[]; issues: RateIssue[] };

export function formatRateIssue(i: RateIssue): string {
  const where = i.row === 0 ? 'file' : `row ${i.row}`;
  return `${where}${i.column ? `, ${i.column}` : ''}: ${i.message}`;
}

/** Reads the rates file; given bytes, they must be UTF-8. */
export function parseRatesCsv(file: string | Uint8Array, corporateCurrency: string): ParsedRates {
  const issues: RateIssue[] = [];
  let text: string;
  if (typeof file === 'string') {
    text = file;
  } else {
    const decoded = decodeCsvBytes(file);
    if (!decoded.ok) return { rows: 0, rates: [], issues: [decoded.issue] };
    text = decoded.text;
  }
  let cells: string[][];
  try {
    cells = parse(text, { bom: true, trim: true, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { rows: 0, rates: [], issues: [malformedCsvIssue(error, headerCells(text))] };
  }
  const header = cells[0];
  if (!header || header.every((c) => c === '')) {
    return {
      rows: 0,
      rates: [],
      issues: [
        { row: 1, column: null, code: 'MISSING_COLUMN', message: `the file has no header row (${RATE_COLUMNS.join(',')})` },
      ],
    };
  }
  const canonical = (h: string): RateColumn | undefined => RATE_COLUMNS.find((c) => c.toLowerCase() === h.toLowerCase());
  const columns = header.map(canonical);
  header.forEach((h, i) => {
    if (!columns[i]) {
      issues.push({
        row: 1,
        column: h,
        code: 'UNKNOWN_COLUMN',
        message: `"${h}" is not a column of the rates file (columns: ${RATE_COLUMNS.join(', ')})`,
      });
    }
  });
  issues.push(...duplicateColumns(header, canonical));
  for (const required of RATE_COLUMNS) {
    if (!columns.includes(required)) {
      issues.push({
        row: 1,
        column: required,
        code: 'MISSING_COLUMN',
        message: 'the header has no such column, and every row needs it',
      });
    }
  }
  if (issues.length > 0) return { rows: 0, rates: [], issues };

  const rates: ExchangeRate[] = [];
  const rowOf: number[] = [];
  let rows = 0;
  cells.slice(1).forEach((line, i) => {
    const row = i + 2;
    if (line.every((c) => c === '')) return;
    rows++;
    if (line.length > header.length) {
      issues.push({
        row,
        column: null,
        code: 'INVALID_INPUT',
        message: `has ${line.length} cells but the header has ${header.length} columns`,
      });
      return;
    }
    const record: Record<string, string> = {};
    columns.forEach((c, j) => {
      if (c) record[c] = line[j] ?? '';
    });
    const parsed = exchangeRateSchema.safeParse(record);
    if (!parsed.success) {
      const named = new Set<string>();
      for (const issue of parsed.error.issues) {
        const column = String(issue.path[0] ?? '');
        if (named.has(column)) continue; // one reason per cell
        named.add(column);
        const written = record[column] ?? '';
        issues.push({
          row,
          column: column || null,
          code: 'INVALID_INPUT',
          message: written === '' ? 'is empty; every row needs it' : `${issue.message} (got "${written}")`,
        });
      }
      return;
    }
    rates.push(parsed.data);
    rowOf.push(row);
  });
  for (const issue of validateExchangeRates(rates, corporateCurrency)) {
    const [, index, field] = issue.path.split('.');
    const at = Number(index);
    issues.push({ row: rowOf[at] ?? 0, column: field ?? null, code: issue.code, message: issue.message });
  }
  if (rows === 0) issues.push({ row: 0, column: null, code: 'EMPTY_FILE', message: 'the file has no rate rows' });
  issues.sort((a, b) => a.row - b.row);
  return { rows, rates, issues };
}
