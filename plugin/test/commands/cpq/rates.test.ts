import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import sinon from 'sinon';
import CpqRatesImport, { type CpqRatesImportResult } from '../../../src/commands/cpq/rates/import.js';
import type { RateIssue } from '../../../src/cli/ratesCsv.js';
import { SqliteStore } from '../../../src/store/sqlite/sqliteStore.js';
import { worldReference } from '../../fixtures/world.js';
import { cpq, repoRoot } from '../../helpers/cli.js';
import { useFakeOrg } from '../../store/org/fakeOrgStore.js';

const example = path.join(repoRoot, 'config/examples/rates.csv');
const EXAMPLE_RATES = [
  { currency: 'EUR', startDate: '2025-01-01', rate: '0.92' },
  { currency: 'EUR', startDate: '2026-01-01', rate: '0.9' },
  { currency: 'JPY', startDate: '2025-01-01', rate: '150.25' },
  { currency: 'SEK', startDate: '2025-01-01', rate: '10.8' },
  { currency: 'SEK', startDate: '2026-01-01', rate: '10.4' },
];

describe('sf cpq rates import', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-rates-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  let n = 0;
  const freshDb = (): string => path.join(dir, `db-${++n}.db`);
  const ratesIn = async (db: string): Promise<unknown[]> => {
    const store = SqliteStore.open(db);
    try {
      return await store.listExchangeRates();
    } finally {
      await store.close();
    }
  };
  const csv = async (name: string, lines: string[]): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, lines.join('\n') + '\n');
    return file;
  };

  it('--local: loads the example file, and a second import changes nothing', async () => {
    const db = freshDb();
    const out = await cpq('rates', 'import', '--local', '--db', db, '--file', example, '--json');
    expect(out.code, out.stderr).to.equal(0);
    const result = (JSON.parse(out.stdout) as { result: CpqRatesImportResult }).result;
    expect(result).to.include({ rows: 5, loaded: 5, dryRun: false, corporateCurrency: 'USD' });
    expect(await ratesIn(db)).to.deep.equal(EXAMPLE_RATES);
    const again = await cpq('rates', 'import', '--local', '--db', db, '--file', example, '--json');
    expect(again.code, again.stderr).to.equal(0);
    expect(await ratesIn(db)).to.deep.equal(EXAMPLE_RATES);
  });

  it('--local --dry-run: checks the file and writes nothing', async () => {
    const db = freshDb();
    const out = await cpq('rates', 'import', '--local', '--db', db, '--file', example, '--dry-run', '--json');
    expect(out.code, out.stderr).to.equal(0);
    expect((JSON.parse(out.stdout) as { result: CpqRatesImportResult }).result).to.include({ rows: 5, loaded: 0 });
    expect(await ratesIn(db)).to.deep.equal([]);
  });

  it('refuses a file with bad rows, naming each row and column, and writes nothing (all or nothing)', async () => {
    const db = freshDb();
    const file = await csv('bad.csv', [
      'currency,startDate,rate',
      'EUR,2026-01-01,0.9',
      'EURO,2026-01-01,1.1',
      'SEK,2026-13-01,10.4',
      'SEK,2026-01-01,0',
      'JPY,2026-01-01,150.1234567',
      'USD,2026-01-01,1',
      'EUR,2026-01-01,0.91',
      'GBP,2026-01-01,',
    ]);
    const out = await cpq('rates', 'import', '--local', '--db', db, '--file', file, '--json');
    expect(out.code).to.equal(1);
    const body = JSON.parse(out.stdout) as { name: string; message: string; data: { issues: RateIssue[] } };
    expect(body.name).to.equal('InvalidRatesFile');
    expect(body.data.issues.map((i) => [i.row, i.column, i.code])).to.deep.equal([
      [3, 'currency', 'INVALID_INPUT'],
      [4, 'startDate', 'INVALID_INPUT'],
      [5, 'rate', 'INVALID_INPUT'],
      [6, 'rate', 'INVALID_INPUT'],
      [7, 'currency', 'INVALID_INPUT'],
      [8, null, 'DUPLICATE_ID'],
      [9, 'rate', 'INVALID_INPUT'],
    ]);
    expect(body.message).to.include('row 7, currency: USD is the corporate currency');
    expect(body.message).to.include('row 9, rate: is empty');
    expect(await ratesIn(db)).to.deep.equal([]);
  });

  it('refuses a header with an unknown or a missing column', async () => {
    const file = await csv('header.csv', ['currency,start,rate', 'EUR,2026-01-01,0.9']);
    const out = await cpq('rates', 'import', '--local', '--db', freshDb(), '--file', file, '--json');
    expect(out.code).to.equal(1);
    const issues = (JSON.parse(out.stdout) as { data: { issues: RateIssue[] } }).data.issues;
    expect(issues.map((i) => [i.row, i.column, i.code])).to.deep.equal([
      [1, 'start', 'UNKNOWN_COLUMN'],
      [1, 'startDate', 'MISSING_COLUMN'],
    ]);
  });

  it('refuses a header naming a column twice, a file that is not UTF-8, and broken CSV, each at its row', async () => {
    const db = freshDb();
    const twice = await csv('twice.csv', ['currency,startDate,rate,Currency', 'EUR,2026-01-01,0.9,SEK']);
    const dup = await cpq('rates', 'import', '--local', '--db', db, '--file', twice, '--json');
    expect(dup.code).to.equal(1);
    const dupIssues = (JSON.parse(dup.stdout) as { data: { issues: RateIssue[] } }).data.issues;
    expect(dupIssues.map((i) => [i.row, i.column, i.code, i.message])).to.deep.equal([
      [1, 'Currency', 'DUPLICATE_COLUMN', 'columns A ("currency") and D ("Currency") are both the currency column: keep one'],
    ]);

    const latin1 = path.join(dir, 'latin1.csv');
    await writeFile(latin1, Buffer.from('currency,startDate,rate\nEUR,2026-01-01,0.9\n\nSEK,2026-01-01,10.4 \xa4\n', 'latin1'));
    const bytes = await cpq('rates', 'import', '--local', '--db', db, '--file', latin1, '--json');
    expect(bytes.code).to.equal(1);
    const byteIssues = (JSON.parse(bytes.stdout) as { data: { issues: RateIssue[] } }).data.issues;
    expect(byteIssues.map((i) => [i.row, i.code])).to.deep.equal([[4, 'NOT_UTF8']]);
    expect(byteIssues[0]!.message).to.contain('byte 0xA4 on this row is not UTF-8');

    const broken = await csv('broken.csv', [
      'currency,startDate,rate',
      'EUR,2026-01-01,0.9',
      'SEK,2026-01-01,"10.4',
      'JPY,2026-01-01,150',
    ]);
    const bad = await cpq('rates', 'import', '--local', '--db', db, '--file', broken, '--json');
    expect(bad.code).to.equal(1);
    const badIssues = (JSON.parse(bad.stdout) as { data: { issues: RateIssue[] } }).data.issues;
    expect(badIssues.map((i) => [i.row, i.column, i.code])).to.deep.equal([[3, 'rate', 'MALFORMED_CSV']]);
    expect(await ratesIn(db)).to.deep.equal([]);
  });

  describe('-o ORG (fake org)', () => {
    const open = useFakeOrg();
    const sandbox = sinon.createSandbox();
    beforeEach(() => stubSfCommandUx(sandbox));
    afterEach(() => {
      sandbox.restore();
      process.exitCode = undefined;
    });

    it('writes DatedConversionRate records, and updates a rate imported again', async () => {
      const { org, store, connection } = await open(worldReference());
      const result = await CpqRatesImport.run(['-o', connection.getUsername()!, '--file', example, '--json']);
      expect(result).to.include({ rows: 5, loaded: 5 });
      expect(await store.listExchangeRates()).to.deep.equal(EXAMPLE_RATES);
      const changed = await csv('changed.csv', ['currency,startDate,rate', 'EUR,2026-01-01,0.95', 'EUR,2026-06-01,0.97']);
      await CpqRatesImport.run(['-o', connection.getUsername()!, '--file', changed, '--json']);
      expect(org.records('DatedConversionRate')).to.have.length(6);
      expect((await store.listExchangeRates()).filter((r) => r.currency === 'EUR')).to.deep.equal([
        { currency: 'EUR', startDate: '2025-01-01', rate: '0.92' },
        { currency: 'EUR', startDate: '2026-01-01', rate: '0.95' },
        { currency: 'EUR', startDate: '2026-06-01', rate: '0.97' },
      ]);
    });
  });
});
