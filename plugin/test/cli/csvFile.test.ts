import { expect } from 'chai';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { columnLetter, decodeCsvBytes, firstInvalidUtf8, rowAtEnd } from '../../src/cli/csvFile.js';

describe('CSV file checks', () => {
  it('finds the first byte that is not UTF-8 exactly where a strict decoder fails', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    const valid = (b: Uint8Array): boolean => {
      try {
        strict.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    // Random bytes, and valid UTF-8 text with one byte changed (the realistic case).
    const mutated = fc
      .tuple(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.nat(), fc.integer({ min: 0, max: 255 }))
      .map(([s, at, byte]) => {
        const b = new TextEncoder().encode(s);
        if (b.length > 0) b[at % b.length] = byte;
        return b;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 12 }), mutated), (bytes) => {
        const at = firstInvalidUtf8(bytes);
        expect(at === -1, `offset ${at}`).to.equal(valid(bytes));
        if (at >= 0) {
          expect(valid(bytes.subarray(0, at))).to.equal(true);
          // The sequence starting there cannot be completed into valid UTF-8 by any following bytes.
          expect(valid(bytes.subarray(0, at + 4))).to.equal(false);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('counts spreadsheet rows as csv-parse reads records (quoted line breaks stay in their row)', () => {
    const cell = fc.oneof(fc.constantFrom('a', 'b c', '', '1.5'), fc.constantFrom('"x\ny"', '"q,""w"""', '"\r\n"', ' "p"'));
    const row = fc.array(cell, { minLength: 1, maxLength: 3 }).map((cells) => cells.join(','));
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n'), (rows, eol) => {
        // A last row left empty is no record to csv-parse, though a byte there would be on that row.
        fc.pre(rows[rows.length - 1] !== '');
        const text = rows.join(eol);
        const records: string[][] = parse(text, { trim: true, relax_column_count: true, skip_empty_lines: false });
        expect(rowAtEnd(text)).to.equal(Math.max(records.length, 1));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses Windows-1252 text at the row of its first accented letter', () => {
    const bytes = Buffer.from('name,city\n"A\nB",Oslo\nC,Malmö\nD,Zürich\n', 'latin1');
    const decoded = decodeCsvBytes(bytes);
    expect(decoded.ok).to.equal(false);
    if (!decoded.ok) expect(decoded.issue).to.include({ row: 3, code: 'NOT_UTF8' });
    expect(decodeCsvBytes(Buffer.from('\uFEFFname\nMalmö\n'))).to.deep.equal({ ok: true, text: 'name\nMalmö\n' });
  });

  it('names columns as a spreadsheet does', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).to.deep.equal([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});
