import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CpqAgreementsImportResult } from '../../../src/commands/cpq/agreements/import.js';
import type { ImportIssue } from '../../../src/cli/agreementsCsv.js';
import type { OrderTerms } from '../../../src/store/port.js';
import { SqliteStore } from '../../../src/store/sqlite/sqliteStore.js';
import { cpq, repoRoot } from '../../helpers/cli.js';

const example = path.join(repoRoot, 'config/examples/agreements.csv');
const HEADER =
  'agreementKey,agreementName,partner,seller,validFrom,validTo,status,kind,scope,value,minQuantity,discountPercent,maxAdditionalDiscountPercent,tierName,minBookings,bonusPercent';

describe('sf cpq agreements import', () => {
  let dir: string;
  let seeded: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-agreements-'));
    seeded = path.join(dir, 'seed.db');
    const seed = await cpq('seed', '--local', '--db', seeded, '--today', '2026-03-15');
    expect(seed.code, seed.stderr).to.equal(0);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  /** A fresh copy of the seeded database per test: imports write to it. */
  let n = 0;
  const freshDb = async (): Promise<string> => {
    const file = path.join(dir, `db-${++n}.db`);
    const source = SqliteStore.open(seeded);
    try {
      // better-sqlite3's online backup: a consistent copy of the WAL database.
      await (source as unknown as { db: { backup(f: string): Promise<unknown> } }).db.backup(file);
    } finally {
      await source.close();
    }
    return file;
  };

  const agreementsIn = async (db: string): Promise<Map<string, { rules: unknown[]; tiers: unknown[] }>> => {
    const store = SqliteStore.open(db);
    try {
      return new Map((await store.listAgreements()).map((a) => [a.id, a]));
    } finally {
      await store.close();
    }
  };

  const writeCsv = async (name: string, rows: string[]): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, [HEADER, ...rows].join('\n') + '\n');
    return file;
  };

  it('loads the example file into a real SQLite store, and a second import changes nothing', async () => {
    const db = await freshDb();
    const before = await agreementsIn(db);
    const out = await cpq('agreements', 'import', '--local', '--db', db, '--file', example, '--json');
    expect(out.code, out.stderr).to.equal(0);
    const result = (JSON.parse(out.stdout) as { result: CpqAgreementsImportResult }).result;
    expect(result).to.include({ rows: 10, agreements: 2, rules: 6, tiers: 4, loaded: 2, dryRun: false });
    expect(result.issues).to.deep.equal([]);
    const after = await agreementsIn(db);
    expect(after.size).to.equal(before.size + 2);
    const uk = after.get('ag-r-uk-d-amer-2026') as unknown as Record<string, unknown>;
    expect(uk).to.deep.include({
      partnerId: 'r-uk',
      sellerId: 'd-amer',
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      status: 'Active',
    });
    expect(uk.rules).to.deep.equal([
      { id: 'r1', scope: 'all', discountPercent: '8', maxAdditionalDiscountPercent: '12' },
      { id: 'r2', scope: 'family', value: 'Subscriptions', discountPercent: '16' },
      { id: 'r3', scope: 'product', value: 'sub-cloud-pro', minQuantity: '50', discountPercent: '20' },
    ]);
    expect(uk.tiers).to.deep.equal([
      { name: 'Silver', minBookings: '0.00', bonusPercent: '0' },
      { name: 'Gold', minBookings: '30000.00', bonusPercent: '1.5' },
    ]);
    // The quoted name with a comma is one cell.
    expect((after.get('ag-r-maple-d-emea-2026') as unknown as { name: string }).name).to.equal(
      'Maple Leaf via Nordlys, EMEA projects',
    );

    const again = await cpq('agreements', 'import', '--local', '--db', db, '--file', example);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.contain('Loaded 2 agreement(s) into local database');
    expect(await agreementsIn(db)).to.deep.equal(after);
  });

  it('writes nothing on a dry run', async () => {
    const db = await freshDb();
    const before = await agreementsIn(db);
    const out = await cpq('agreements', 'import', '--local', '--db', db, '--file', example, '--dry-run');
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stdout).to.contain('Dry run: 2 agreement(s) would be loaded');
    expect(await agreementsIn(db)).to.deep.equal(before);
  });

  it('loads the channel mode of an agreement, and names a bad one by row and column', async () => {
    const db = await freshDb();
    const header = `${HEADER},channelMode`;
    const good = path.join(dir, 'mode.csv');
    await writeFile(
      good,
      [header, 'ag-mode,Off list,r-west,d-emea,2026-01-01,2026-12-31,Active,rule,all,,,5,,,,,offList'].join('\n'),
    );
    const out = await cpq('agreements', 'import', '--local', '--db', db, '--file', good, '--json');
    expect(out.code, out.stderr).to.equal(0);
    expect((await agreementsIn(db)).get('ag-mode')).to.deep.include({ channelMode: 'offList' });
    const bad = path.join(dir, 'mode-bad.csv');
    await writeFile(
      bad,
      [header, 'ag-mode2,Bad mode,r-west,d-emea,2026-01-01,2026-12-31,Active,rule,all,,,5,,,,,cascade'].join('\n'),
    );
    const other = await freshDb();
    const refused = await cpq('agreements', 'import', '--local', '--db', other, '--file', bad, '--json');
    expect(refused.code).to.equal(1);
    const issues = (JSON.parse(refused.stdout) as { data: { issues: ImportIssue[] } }).data.issues;
    expect(issues.map((i) => [i.row, i.column, i.message])).to.deep.equal([
      [2, 'channelMode', 'must be "sequential" or "offList"'],
    ]);
    expect((await agreementsIn(other)).has('ag-mode2')).to.equal(false);
  });

  const orderTermsIn = async (db: string, ids: string[]): Promise<OrderTerms[]> => {
    const store = SqliteStore.open(db);
    try {
      return await store.listOrderTerms(ids);
    } finally {
      await store.close();
    }
  };

  it('loads a reseller’s order terms (autoFulfil, creditLimit) with its agreement; a blank column keeps what is stored', async () => {
    const db = await freshDb();
    const header = `${HEADER},autoFulfil,creditLimit`;
    const file = path.join(dir, 'terms.csv');
    await writeFile(
      file,
      [
        header,
        // A sheet's TRUE is true; the limit is exact in the corporate currency (the demo's USD), to its cents.
        'ag-west-terms,Terms,r-west,d-emea,2026-01-01,2026-12-31,Active,rule,all,,,5,,,,,TRUE,25000.5',
        'ag-west-terms,,,,,,,rule,family,Licenses,,7,,,,,,',
        'ag-maple-limit,Limit only,r-maple,d-emea,2026-01-01,2026-12-31,Active,rule,all,,,5,,,,,,0',
        'ag-dach-none,No terms,r-dach,d-amer,2027-03-16,2027-12-31,Draft,rule,all,,,5,,,,,,',
      ].join('\n'),
    );
    const out = await cpq('agreements', 'import', '--local', '--db', db, '--file', file, '--json');
    expect(out.code, out.stderr).to.equal(0);
    const result = (JSON.parse(out.stdout) as { result: CpqAgreementsImportResult }).result;
    expect(result).to.include({ loaded: 3, agreements: 3, rules: 4, orderTerms: 2 });
    const ids = ['ag-dach-none', 'ag-maple-limit', 'ag-west-terms'];
    expect(await orderTermsIn(db, ids)).to.deep.equal([
      { agreementId: 'ag-dach-none', autoFulfil: false, creditLimit: null, creditLimitCurrency: null },
      { agreementId: 'ag-maple-limit', autoFulfil: false, creditLimit: '0.00', creditLimitCurrency: 'USD' },
      { agreementId: 'ag-west-terms', autoFulfil: true, creditLimit: '25000.50', creditLimitCurrency: 'USD' },
    ]);

    // The file again without the order-terms columns: the rules change, the terms stay.
    const plain = path.join(dir, 'terms-plain.csv');
    await writeFile(
      plain,
      [HEADER, 'ag-west-terms,Terms,r-west,d-emea,2026-01-01,2026-12-31,Active,rule,all,,,6,,,,'].join('\n'),
    );
    expect((await cpq('agreements', 'import', '--local', '--db', db, '--file', plain)).code).to.equal(0);
    expect((await agreementsIn(db)).get('ag-west-terms')?.rules).to.have.length(1);
    // Switching auto-fulfil off keeps the limit.
    const off = path.join(dir, 'terms-off.csv');
    await writeFile(
      off,
      [header, 'ag-west-terms,Terms,r-west,d-emea,2026-01-01,2026-12-31,Active,rule,all,,,6,,,,,false,'].join('\n'),
    );
    expect((await cpq('agreements', 'import', '--local', '--db', db, '--file', off)).code).to.equal(0);
    expect(await orderTermsIn(db, ids)).to.deep.equal([
      { agreementId: 'ag-dach-none', autoFulfil: false, creditLimit: null, creditLimitCurrency: null },
      { agreementId: 'ag-maple-limit', autoFulfil: false, creditLimit: '0.00', creditLimitCurrency: 'USD' },
      { agreementId: 'ag-west-terms', autoFulfil: false, creditLimit: '25000.50', creditLimitCurrency: 'USD' },
    ]);
  });

  it('names every bad order-terms cell by row and column, and writes nothing', async () => {
    const db = await freshDb();
    const before = await agreementsIn(db);
    const termsBefore = await orderTermsIn(db, [...before.keys()]);
    const header = `${HEADER},autoFulfil,creditLimit`;
    const file = path.join(dir, 'terms-bad.csv');
    await writeFile(
      file,
      [
        header,
        'ag-t1,T1,r-west,d-emea,2026-01-01,2026-12-31,Draft,rule,all,,,5,,,,,true,1000',
        'ag-t1,,,,,,,rule,family,Licenses,,7,,,,,false,',
        'ag-t2,T2,d-emea,v-northwind,2026-01-01,2026-12-31,Draft,rule,all,,,5,,,,,true,1000',
        'ag-t3,T3,r-maple,d-amer,2026-01-01,2026-12-31,Draft,rule,all,,,5,,,,,,-5',
        'ag-t4,T4,r-maple,d-amer,2026-01-01,2026-12-31,Draft,rule,all,,,5,,,,,,10.005',
        'ag-t5,T5,r-uk,d-amer,2026-01-01,2026-12-31,Draft,rule,all,,,5,,,,,yes,',
        'ag-t6,T6,r-uk,d-emea,2026-01-01,2026-12-31,Draft,rule,all,,,5,,,,,true,',
        'ag-t7,T7,r-dach,d-emea,2026-01-01,2026-12-31,Draft,rule,all,,,5,,,,,,"25,000.00"',
        'ag-ok,Fine,r-nordic,d-amer,2026-01-01,2026-12-31,Draft,rule,all,,,5,,,,,true,500',
      ].join('\n'),
    );
    const out = await cpq('agreements', 'import', '--local', '--db', db, '--file', file, '--json');
    expect(out.code).to.equal(1);
    const issues = (JSON.parse(out.stdout) as { data: { issues: ImportIssue[] } }).data.issues;
    expect(issues.map((i) => [i.row, i.column, i.code, i.message])).to.deep.equal([
      [
        3,
        'autoFulfil',
        'CONFLICT',
        'agreement ag-t1 has autoFulfil "true" on row 2 but "false" here (one agreement, one autoFulfil)',
      ],
      [
        4,
        'autoFulfil',
        'INVALID_INPUT',
        'agreement ag-t2: order terms belong to a reseller’s agreement with its distributor, not to d-emea (a distributor) buying from v-northwind (a vendor): leave autoFulfil empty',
      ],
      [
        4,
        'creditLimit',
        'INVALID_INPUT',
        'agreement ag-t2: order terms belong to a reseller’s agreement with its distributor, not to d-emea (a distributor) buying from v-northwind (a vendor): leave creditLimit empty',
      ],
      [5, 'creditLimit', 'INVALID_INPUT', 'must be 0 or more (the most the reseller’s open orders may add up to)'],
      [
        6,
        'creditLimit',
        'CURRENCY_PRECISION',
        'agreement ag-t4: 10.005 has more decimals than USD has (at most 2): the limit is in USD',
      ],
      [7, 'autoFulfil', 'INVALID_INPUT', 'must be true or false'],
      [
        8,
        'creditLimit',
        'INVALID_INPUT',
        'agreement ag-t6: is required when autoFulfil is true (the most the reseller’s open orders may add up to, in USD)',
      ],
      [9, 'creditLimit', 'INVALID_INPUT', 'must be a decimal number with a dot and no thousands separator, like 25000.00'],
    ]);
    expect(await agreementsIn(db)).to.deep.equal(before);
    expect(await orderTermsIn(db, [...before.keys(), 'ag-ok'])).to.deep.equal(termsBefore);

    // With --partial the good agreement is loaded with its terms, and only it.
    const partial = await cpq('agreements', 'import', '--local', '--db', db, '--file', file, '--partial', '--json');
    expect(partial.code, partial.stderr).to.equal(0);
    expect((JSON.parse(partial.stdout) as { result: CpqAgreementsImportResult }).result).to.include({ loaded: 1 });
    expect([...(await agreementsIn(db)).keys()].filter((k) => !before.has(k))).to.deep.equal(['ag-ok']);
    expect(await orderTermsIn(db, ['ag-ok'])).to.deep.equal([
      { agreementId: 'ag-ok', autoFulfil: true, creditLimit: '500.00', creditLimitCurrency: 'USD' },
    ]);
  });

  const badRows = [
    'ag-1,One,r-uk,d-amer,2026-01-01,2027-12-31,Active,rule,all,,,120,,,,',
    'ag-1,,,,,,,rule,family,,,10,,,,',
    'ag-1,,,,,,,tier,,,,,,Gold,abc,2',
    'ag-4,Four,r-maple,d-amer,2026-01-01,,Live,bonus,all,,,5,,,,',
    'ag-5,Five,r-maple,v-northwind,2026-01-01,,Active,rule,all,,,5,,,,',
    'ag-5,,r-uk,,,,,rule,family,Licenses,,7,,Gold,,',
    'ag-ok,Fine,r-west,d-emea,2026-01-01,2026-12-31,Active,rule,all,,,5,,,,',
    'ag-noproduct,Bad product,r-maple,d-emea,2026-01-01,2026-12-31,Draft,rule,product,lic-nothing,,5,,,,',
  ];

  it('reports every bad row with its row, column and reason, and writes nothing', async () => {
    const db = await freshDb();
    const before = await agreementsIn(db);
    const file = await writeCsv('bad.csv', badRows);
    const out = await cpq('agreements', 'import', '--local', '--db', db, '--file', file, '--json');
    expect(out.code).to.equal(1);
    const error = JSON.parse(out.stdout) as { name: string; data: { issues: ImportIssue[]; rejected: string[] } };
    expect(error.name).to.equal('InvalidAgreementsFile');
    const found = error.data.issues.map((i) => [i.row, i.column, i.message]);
    expect(found).to.deep.equal([
      [2, 'discountPercent', 'must be a percentage between 0 and 100 (got "120")'],
      [3, 'value', 'agreement ag-1: a family rule needs a value (which family)'],
      [4, 'minBookings', 'must be a decimal number written as a string, like "1234.50"'],
      [5, 'status', 'must be Draft, Active, Expired or Terminated'],
      [5, 'kind', 'must be "rule" (a discount rule) or "tier" (a dynamic bonus tier)'],
      [6, 'seller', 'agreement ag-5: a reseller buys from a distributor, but v-northwind is a vendor'],
      [7, 'tierName', 'belongs to tier rows: leave it empty on a rule row'],
      [7, 'partner', 'agreement ag-5 has partner "r-maple" on row 6 but "r-uk" here (one agreement, one partner)'],
      [9, 'value', 'agreement ag-noproduct: product "lic-nothing" does not exist'],
    ]);
    expect(error.data.rejected).to.deep.equal(['ag-1', 'ag-4', 'ag-5', 'ag-noproduct']);
    expect(await agreementsIn(db)).to.deep.equal(before);

    const human = await cpq('agreements', 'import', '--local', '--db', db, '--file', file);
    expect(human.code).to.equal(1);
    expect(human.stderr).to.contain('has 9 problem(s); 4 agreement(s) affected. Nothing was written.');
    expect(human.stderr).to.contain('row 6, seller: agreement ag-5: a reseller buys from a distributor');
  });

  it('loads only the good agreements with --partial', async () => {
    const db = await freshDb();
    const before = await agreementsIn(db);
    const file = await writeCsv('partial.csv', badRows);
    const out = await cpq('agreements', 'import', '--local', '--db', db, '--file', file, '--partial', '--json');
    expect(out.code, out.stderr).to.equal(0);
    const result = (JSON.parse(out.stdout) as { result: CpqAgreementsImportResult }).result;
    expect(result).to.include({ loaded: 1, agreements: 5 });
    expect(result.issues).to.have.length(9);
    const after = await agreementsIn(db);
    expect([...after.keys()].filter((k) => !before.has(k))).to.deep.equal(['ag-ok']);
  });

  it('finds overlaps with stored agreements and within the file, and duplicate rules and tiers', async () => {
    const db = await freshDb();
    const file = await writeCsv('overlap.csv', [
      // The demo's ag-r-nordic-d-emea runs 2025-03-15 .. 2027-03-15: Active overlaps it, Draft does not count.
      'ag-nordic-next,Next,r-nordic,d-emea,2027-01-01,,Active,rule,all,,,10,,,,',
      'ag-nordic-draft,Draft,r-nordic,d-emea,2027-01-01,,Draft,rule,all,,,10,,,,',
      // Two new agreements of one pair overlapping each other (no stored one for r-uk with d-amer).
      'ag-uk-a,A,r-uk,d-amer,2026-01-01,2026-12-31,Active,rule,all,,,5,,,,',
      'ag-uk-b,B,r-uk,d-amer,2026-12-31,2027-06-30,Active,rule,all,,,5,,,,',
      'ag-uk-b,,,,,,,rule,family,Licenses,10,7,,,,',
      'ag-uk-b,,,,,,,rule,family,Licenses,10.00,8,,,,',
      'ag-uk-b,,,,,,,tier,,,,,,Gold,100.00,1',
      'ag-uk-b,,,,,,,tier,,,,,,Gold,200.00,2',
    ]);
    const out = await cpq('agreements', 'import', '--local', '--db', db, '--file', file, '--json');
    expect(out.code).to.equal(1);
    const issues = (JSON.parse(out.stdout) as { data: { issues: ImportIssue[] } }).data.issues;
    expect(issues.map((i) => [i.row, i.column, i.code])).to.deep.equal([
      [2, 'validFrom', 'AGREEMENT_OVERLAP'],
      [5, 'validFrom', 'AGREEMENT_OVERLAP'],
      [7, 'scope', 'DUPLICATE_RULE'],
      [9, 'tierName', 'DUPLICATE_TIER'],
    ]);
    expect(issues[0]!.message).to.equal(
      'agreements ag-r-nordic-d-emea and ag-nordic-next are both Active for r-nordic buying from d-emea and their dates overlap',
    );
    expect(issues[2]!.message).to.equal('agreement ag-uk-b: same scope, value and minimum quantity as the rule on row 6');
  });

  it('names missing and unknown columns and broken CSV', async () => {
    const db = await freshDb();
    const headerFile = path.join(dir, 'header.csv');
    await writeFile(headerFile, 'agreement key,partner,discount,kind\nag-1,r-uk,5,rule\n');
    const header = await cpq('agreements', 'import', '--local', '--db', db, '--file', headerFile, '--json');
    expect(header.code).to.equal(1);
    const issues = (JSON.parse(header.stdout) as { data: { issues: ImportIssue[] } }).data.issues;
    expect(issues.map((i) => [i.row, i.column, i.code])).to.deep.equal([[1, 'discount', 'UNKNOWN_COLUMN']]);

    const broken = await writeCsv('broken.csv', ['ag-1,"One,r-uk,d-amer,2026-01-01,,Active,rule,all,,,5,,,,']);
    const out = await cpq('agreements', 'import', '--local', '--db', db, '--file', broken, '--partial');
    expect(out.code).to.equal(1);
    expect(out.stderr).to.match(/the file is not valid CSV: Quote Not Closed/);
  });

  it('refuses a header that names a column twice (or twice in another case), naming both, and writes nothing', async () => {
    const db = await freshDb();
    const before = await agreementsIn(db);
    const twice = path.join(dir, 'twice.csv');
    await writeFile(
      twice,
      'agreementKey,partner,seller,validFrom,status,kind,scope,discountPercent,Partner,discount_percent\n' +
        'ag-1,r-uk,d-amer,2026-01-01,Active,rule,all,5,r-maple,50\n',
    );
    const out = await cpq('agreements', 'import', '--local', '--db', db, '--file', twice, '--partial', '--json');
    expect(out.code).to.equal(1);
    const issues = (JSON.parse(out.stdout) as { data: { issues: ImportIssue[] } }).data.issues;
    expect(issues.map((i) => [i.row, i.column, i.code, i.message])).to.deep.equal([
      [1, 'Partner', 'DUPLICATE_COLUMN', 'columns B ("partner") and I ("Partner") are both the partner column: keep one'],
      [
        1,
        'discount_percent',
        'DUPLICATE_COLUMN',
        'columns H ("discountPercent") and J ("discount_percent") are both the discountPercent column: keep one',
      ],
    ]);
    expect(await agreementsIn(db)).to.deep.equal(before);
  });

  it('refuses a file that is not UTF-8, naming the first row with a bad byte, and writes nothing', async () => {
    const db = await freshDb();
    const before = await agreementsIn(db);
    const latin1 = path.join(dir, 'latin1.csv');
    // Saved from a spreadsheet in Windows-1252: "é" is the single byte 0xE9. Row 2 holds a line break in a
    // quoted name, so the bad byte is on file line 5 but spreadsheet row 4.
    const text = [
      HEADER,
      'ag-1,"Nordic,\nprojects",r-uk,d-amer,2026-01-01,,Active,rule,all,,,5,,,,',
      'ag-1,,,,,,,rule,family,Licenses,,7,,,,',
      'ag-2,Société générale,r-maple,d-amer,2026-01-01,,Draft,rule,all,,,5,,,,',
      'ag-3,Café,r-maple,d-amer,2026-01-01,,Draft,rule,all,,,5,,,,',
    ].join('\n');
    await writeFile(latin1, Buffer.from(text + '\n', 'latin1'));
    const out = await cpq('agreements', 'import', '--local', '--db', db, '--file', latin1, '--partial', '--json');
    expect(out.code).to.equal(1);
    const issues = (JSON.parse(out.stdout) as { data: { issues: ImportIssue[] } }).data.issues;
    expect(issues.map((i) => [i.row, i.column, i.code])).to.deep.equal([[4, null, 'NOT_UTF8']]);
    expect(issues[0]!.message).to.match(/^the file is not UTF-8 text: byte 0xE9 on this row is not UTF-8/);
    expect(await agreementsIn(db)).to.deep.equal(before);
    // The same rows saved as UTF-8 load, names intact.
    const utf8 = path.join(dir, 'utf8.csv');
    await writeFile(utf8, text + '\n');
    const ok = await cpq('agreements', 'import', '--local', '--db', db, '--file', utf8, '--json');
    expect(ok.code, ok.stdout).to.equal(0);
    const names = [...(await agreementsIn(db)).values()].map((a) => (a as { name?: string }).name);
    expect(names).to.include.members(['Nordic,\nprojects', 'Société générale', 'Café']);
  });

  it('names the spreadsheet row of broken CSV, not the file line where parsing stopped', async () => {
    const db = await freshDb();
    const before = await agreementsIn(db);
    // Row 2 spans file lines 2-3; the quote opened on row 4 (file line 5) is never closed, so csv-parse stops
    // at the end of the file (line 7).
    const unclosed = await writeCsv('unclosed.csv', [
      'ag-1,"Nordic,\nprojects",r-uk,d-amer,2026-01-01,,Active,rule,all,,,5,,,,',
      'ag-1,,,,,,,rule,family,Licenses,,7,,,,',
      'ag-2,"Two,r-maple,d-amer,2026-01-01,,Draft,rule,all,,,5,,,,',
      'ag-3,Three,r-maple,d-amer,2026-01-01,,Draft,rule,all,,,5,,,,',
      'ag-4,Four,r-maple,d-amer,2026-01-01,,Draft,rule,all,,,5,,,,',
    ]);
    const out = await cpq('agreements', 'import', '--local', '--db', db, '--file', unclosed, '--json');
    expect(out.code).to.equal(1);
    const issues = (JSON.parse(out.stdout) as { data: { issues: ImportIssue[] } }).data.issues;
    expect(issues.map((i) => [i.row, i.column, i.code])).to.deep.equal([[4, 'agreementName', 'MALFORMED_CSV']]);
    expect(issues[0]!.message).to.equal(
      'the file is not valid CSV: Quote Not Closed: a value on this row opens a quote (") that is never closed',
    );
    // A stray quote inside an unquoted value, on row 4 (file line 5), in column value.
    const stray = await writeCsv('stray.csv', [
      'ag-1,"Nordic,\nprojects",r-uk,d-amer,2026-01-01,,Active,rule,all,,,5,,,,',
      'ag-1,,,,,,,rule,family,Licenses,,7,,,,',
      'ag-1,,,,,,,rule,family,24" screens,,7,,,,',
    ]);
    const strayOut = await cpq('agreements', 'import', '--local', '--db', db, '--file', stray);
    expect(strayOut.code).to.equal(1);
    expect(strayOut.stderr).to.contain('row 4, value: the file is not valid CSV: Invalid Opening Quote');
    expect(await agreementsIn(db)).to.deep.equal(before);
  });

  it('asks where the data is when there is neither --local nor an org', async () => {
    const nowhere = await cpq('agreements', 'import', '--file', example, '--json');
    expect(nowhere.code).to.equal(1);
    expect((JSON.parse(nowhere.stdout) as { name: string }).name).to.equal('NoStore');
  });

  it('imports a 10,000-row file (figures printed, not asserted)', async () => {
    const db = await freshDb();
    // 2,000 Active agreements of one reseller with one distributor, one month each (no overlaps to find,
    // but every pair is compared), 3 rules and 2 tiers each.
    const rows: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const year = 2030 + Math.floor(i / 12);
      const month = String((i % 12) + 1).padStart(2, '0');
      const key = `ag-perf-${i}`;
      rows.push(`${key},Perf ${i},r-uk,d-amer,${year}-${month}-01,${year}-${month}-28,Active,rule,all,,,5,10,,,`);
      rows.push(`${key},,,,,,,rule,family,Licenses,,7,,,,`);
      rows.push(`${key},,,,,,,rule,product,lic-designer,25,9.5,,,,`);
      rows.push(`${key},,,,,,,tier,,,,,,Silver,0.00,0`);
      rows.push(`${key},,,,,,,tier,,,,,,Gold,25000.00,1.25`);
    }
    const file = await writeCsv('big.csv', rows);
    const started = Date.now();
    const out = await cpq('agreements', 'import', '--local', '--db', db, '--file', file, '--json');
    const wall = Date.now() - started;
    expect(out.code, out.stderr).to.equal(0);
    const result = (JSON.parse(out.stdout) as { result: CpqAgreementsImportResult }).result;
    expect(result).to.include({ rows: 10000, agreements: 2000, rules: 6000, tiers: 4000, loaded: 2000 });
    expect((await agreementsIn(db)).has('ag-perf-1999')).to.equal(true);
    const t = result.timings;
    console.log(
      `      10,000 rows into SQLite: parse ${t.parseMs} ms, validate ${t.validateMs} ms, load ${t.loadMs} ms; ${wall} ms for the whole command`,
    );
  });
});
