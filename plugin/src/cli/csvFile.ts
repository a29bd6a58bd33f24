import type { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';

/**
 * What every CSV import of the plugin (agreements, exchange rates) checks before reading a row: the bytes are
 * UTF-8, no column is named twice, and broken CSV syntax is reported at the row a spreadsheet shows (the
 * header is row 1; a quoted value with line breaks is one row), not at the file line where parsing stopped.
 */

/** One problem of the file as a whole, placed at a spreadsheet row (0: the file). */
export type CsvFileIssue = { row: number; column: string | null; code: string; message: string };

/** Spreadsheet column letters of a 0-based position: 0 = A, 25 = Z, 26 = AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Offset of the first byte that is not well-formed UTF-8 (RFC 3629: no overlongs, no surrogates), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b === 0xe0) [need, low] = [2, 0xa0];
    else if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) need = 2;
    else if (b === 0xed) [need, high] = [2, 0x9f];
    else if (b === 0xf0) [need, low] = [3, 0x90];
    else if (b >= 0xf1 && b <= 0xf3) need = 3;
    else if (b === 0xf4) [need, high] = [3, 0x8f];
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const [lo, hi] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * The spreadsheet row (1-based) at the end of `text`, read as CSV: line breaks inside a quoted value stay in
 * the row; a quote opens a quoted value only at the start of a cell (after spaces), as csv-parse reads it.
 */
export function rowAtEnd(text: string): number {
  let row = 1;
  let quoted = false;
  let cellStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      }
      continue;
    }
    if (c === '"' && cellStart) {
      quoted = true;
      cellStart = false;
    } else if (c === ',') {
      cellStart = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row++;
      cellStart = true;
    } else if (c !== ' ' && c !== '\t') {
      cellStart = false;
    }
  }
  return row;
}

/**
 * The file's bytes as text, or the refusal of a file that is not UTF-8 (a spreadsheet saved as "CSV" in a
 * legacy code page, or as UTF-16 "Unicode text"), naming the first row with a byte that is not UTF-8: decoding
 * it anyway would store replacement characters (�) in names and values.
 */
export function decodeCsvBytes(bytes: Uint8Array): { ok: true; text: string } | { ok: false; issue: CsvFileIssue } {
  const bad = firstInvalidUtf8(bytes);
  if (bad < 0) return { ok: true, text: new TextDecoder('utf-8').decode(bytes) };
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
  const byte = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
  return {
    ok: false,
    issue: {
      row: rowAtEnd(before),
      column: null,
      code: 'NOT_UTF8',
      message: `the file is not UTF-8 text: byte 0x${byte} on this row is not UTF-8 (save the sheet as "CSV UTF-8"); nothing was read`,
    },
  };
}

/**
 * Header cells that name one column twice (`canonical` maps a header to its column, or undefined for an unknown
 * one): each is refused naming both cells, as the last one would otherwise silently win.
 */
export function duplicateColumns<C extends string>(
  headers: readonly string[],
  canonical: (header: string) => C | undefined,
): CsvFileIssue[] {
  const first = new Map<C, number>();
  const issues: CsvFileIssue[] = [];
  headers.forEach((header, i) => {
    const column = canonical(header);
    if (column === undefined) return;
    const seen = first.get(column);
    if (seen === undefined) {
      first.set(column, i);
      return;
    }
    issues.push({
      row: 1,
      column: header,
      code: 'DUPLICATE_COLUMN',
      message: `columns ${columnLetter(seen)} ("${headers[seen]}") and ${columnLetter(i)} ("${header}") are both the ${column} column: keep one`,
    });
  });
  return issues;
}

/** Why csv-parse stopped, in a reader's words; the file line of its own message is left out (rows count). */
const SYNTAX: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'Quote Not Closed: a value on this row opens a quote (") that is never closed',
  CSV_INVALID_CLOSING_QUOTE:
    'Invalid Closing Quote: a quoted value on this row is followed by other characters before the next comma',
  INVALID_OPENING_QUOTE:
    'Invalid Opening Quote: a value on this row holds a quote (") but does not start with one; quote the whole value and double the quote ("")',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'this row has a different number of cells than the header',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted value on this row is followed by other characters before the next comma',
  CSV_MAX_RECORD_SIZE: 'a row is too large',
};

/** The header cells of a file whose later rows may be broken (to name the column of a MALFORMED_CSV). */
export function headerCells(text: string): string[] | undefined {
  try {
    const rows: string[][] = parse(text, { bom: true, trim: true, relax_column_count: true, to: 1 });
    return rows[0];
  } catch {
    return undefined;
  }
}

/**
 * The MALFORMED_CSV issue of a csv-parse error: at the spreadsheet row being read when parsing stopped (the
 * records already read, plus one), with the column when csv-parse knows it and the header names it.
 */
export function malformedCsvIssue(error: CsvError, headers?: readonly string[]): CsvFileIssue {
  const context = error as CsvError & { records?: number; index?: number };
  const row = (context.records ?? 0) + 1;
  const index = context.index;
  const column = index !== undefined && headers?.[index] ? headers[index] : null;
  const words = SYNTAX[error.code] ?? error.message.replace(/ at line \d+/g, '');
  return { row, column, code: 'MALFORMED_CSV', message: `the file is not valid CSV: ${words}` };
}
