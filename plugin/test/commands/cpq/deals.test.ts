import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import { expect } from 'chai';
import sinon from 'sinon';
import type { DealIssue } from '../../../src/cli/dealsCsv.js';
import CpqDealsImport, { type CpqDealsImportResult } from '../../../src/commands/cpq/deals/import.js';
import type { DealRegistration } from '../../../src/core/deals.js';
import { SqliteStore } from '../../../src/store/sqlite/sqliteStore.js';
import { worldReference } from '../../fixtures/world.js';
import { cpq, repoRoot } from '../../helpers/cli.js';
import { useFakeOrg } from '../../store/org/fakeOrgStore.js';

/**
 * `sf cpq deals import` (docs/DEALS.md, "Importing partners' registrations"): the example file against the
 * demo database, row and column errors, all or nothing, and the org through the fake org.
 */

const example = path.join(repoRoot, 'config/examples/deals.csv');
const AS_OF = '2026-12-05';
const HEADER =
  'reseller,distributor,endCustomer,endCustomerCountry,families,estimatedValue,currency,expectedCloseDate,status,submittedDate,approvedDate,note';

describe('sf cpq deals import', () => {
  let dir: string;
  let demoDb: string;
  before(async function () {
    this.timeout(120_000);
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-deals-import-'));
    demoDb = path.join(dir, 'demo.db');
    const seeded = await cpq('seed', '--local', '--db', demoDb);
    expect(seeded.code, seeded.stderr).to.equal(0);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  let n = 0;
  const copyOfDemo = async (): Promise<string> => {
    const file = path.join(dir, `db-${++n}.db`);
    const source = SqliteStore.open(demoDb);
    await source.close();
    const { copyFile } = await import('node:fs/promises');
    await copyFile(demoDb, file);
    return file;
  };
  const dealsIn = async (db: string): Promise<DealRegistration[]> => {
    const store = SqliteStore.open(db);
    try {
      return await store.deals.listDeals({});
    } finally {
      await store.close();
    }
  };
  const csv = async (name: string, lines: string[]): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, lines.join('\n') + '\n');
    return file;
  };

  it('--local: loads the example file (an end customer found by its name without "GmbH"), then refuses it again', async () => {
    const db = await copyOfDemo();
    const out = await cpq('deals', 'import', '--local', '--db', db, '--file', example, '--as-of', AS_OF, '--json');
    expect(out.code, out.stderr).to.equal(0);
    const result = (JSON.parse(out.stdout) as { result: CpqDealsImportResult }).result;
    expect(result).to.deep.include({ rows: 3, loaded: 3, dryRun: false, numbers: ['DR-00001', 'DR-00002', 'DR-00003'] });
    const deals = await dealsIn(db);
    expect(deals.map((d) => [d.number, d.resellerId, d.distributorId, d.endCustomer.id, d.status, d.claimActive])).to.deep.equal([
      ['DR-00003', 'r-west', 'd-amer', 'c-redwood', 'Submitted', true],
      ['DR-00002', 'r-dach', 'd-emea', 'c-bergmann', 'Approved', true],
      ['DR-00001', 'r-nordic', 'd-emea', 'c-skargard', 'Submitted', true],
    ]);
    const approved = deals[1]!;
    // Approved 2026-12-02 with 90 days of protection: the last protected day is 2027-03-01.
    expect([approved.decidedDate, approved.protectedUntil, approved.submittedDate]).to.deep.equal([
      '2026-12-02',
      '2027-03-01',
      '2026-12-01',
    ]);
    expect(deals[2]!.families).to.deep.equal([
      { family: 'Licenses', estimatedQuantity: 40 },
      { family: 'Services', estimatedQuantity: 5 },
    ]);
    // Submitted on Saturday 2026-12-05: due on Tuesday 2026-12-08.
    expect(deals[2]!.decisionDueDate).to.equal('2026-12-08');

    const again = await cpq('deals', 'import', '--local', '--db', db, '--file', example, '--as-of', AS_OF, '--json');
    expect(again.code).to.equal(1);
    const issues = (JSON.parse(again.stdout) as { data: { issues: DealIssue[] } }).data.issues;
    expect(issues.map((i) => [i.row, i.column, i.code])).to.deep.equal([
      [2, 'families', 'DEAL_CONFLICT'],
      [3, 'families', 'DEAL_CONFLICT'],
      [4, 'families', 'DEAL_CONFLICT'],
    ]);
    expect(await dealsIn(db)).to.have.length(3);
  });

  it('--dry-run checks the file and writes nothing', async () => {
    const db = await copyOfDemo();
    const out = await cpq('deals', 'import', '--local', '--db', db, '--file', example, '--as-of', AS_OF, '--dry-run', '--json');
    expect(out.code, out.stderr).to.equal(0);
    expect((JSON.parse(out.stdout) as { result: CpqDealsImportResult }).result).to.deep.include({ rows: 3, loaded: 0 });
    expect(await dealsIn(db)).to.deep.equal([]);
  });

  it('refuses a file with bad rows, naming each row and column, and writes nothing (all or nothing)', async () => {
    const db = await copyOfDemo();
    const file = await csv('bad.csv', [
      HEADER,
      'r-nordic,d-emea,c-skargard,,Licenses:40,48000.00,EUR,2027-06-30,,,,fine on its own',
      'r-nordic,d-amer,c-skargard,,Subscriptions:1,100.00,EUR,2027-06-30,,,,',
      'r-west,d-amer,Nobody Inc,US,Licenses:1,100.00,USD,2027-06-30,,,,',
      'r-west,d-amer,c-redwood,,Hardware:3,100.00,USD,2027-06-30,,,,',
      'r-west,d-amer,c-redwood,,Licenses:two,1e3,usd,2026-01-01,,,,',
      'r-west,d-amer,c-redwood,,Licenses:2,100.00,USD,2027-06-30,Approved,2026-08-01,2026-08-02,',
      'r-west,d-amer,c-redwood,,Licenses:2,100.00,USD,2027-06-30,Rejected,,,',
      'r-dach,d-emea,Skargard Logistics,SE,licenses:5,100.00,EUR,2027-06-30,,,,',
      ',d-emea,c-skargard,,Services:1,100.00,EUR,2027-06-30,,,,',
    ]);
    const out = await cpq('deals', 'import', '--local', '--db', db, '--file', file, '--as-of', AS_OF, '--json');
    expect(out.code).to.equal(1);
    const body = JSON.parse(out.stdout) as { name: string; message: string; data: { issues: DealIssue[] } };
    expect(body.name).to.equal('InvalidDealsFile');
    expect(body.data.issues.map((i) => [i.row, i.column, i.code])).to.deep.equal([
      [3, 'distributor', 'INVALID_INPUT'],
      [4, 'endCustomer', 'INVALID_INPUT'],
      [5, 'families', 'INVALID_INPUT'],
      [6, 'families', 'INVALID_INPUT'],
      [6, 'estimatedValue', 'INVALID_INPUT'],
      [6, 'currency', 'INVALID_INPUT'],
      [6, 'expectedCloseDate', 'INVALID_INPUT'],
      [7, 'approvedDate', 'INVALID_INPUT'],
      [8, 'status', 'INVALID_INPUT'],
      [9, 'families', 'DEAL_CONFLICT'],
      [10, 'reseller', 'INVALID_INPUT'],
    ]);
    expect(body.message).to.include('row 3, distributor: reseller r-nordic holds no Active agreement with distributor d-amer');
    expect(body.message).to.include('row 7, approvedDate: its 90 days of protection ended on 2026-10-30');
    // The same company by its normalised name (accents, case): the claim of row 2 above.
    expect(body.message).to.include('row 9, families: already claimed for this end customer: Licenses (row 2)');
    expect(await dealsIn(db)).to.deep.equal([]);
  });

  it('refuses a header with an unknown or a missing column', async () => {
    const file = await csv('header.csv', ['reseller,distributor,customer,families,estimatedValue,currency,expectedCloseDate']);
    const out = await cpq('deals', 'import', '--local', '--db', await copyOfDemo(), '--file', file, '--json');
    expect(out.code).to.equal(1);
    const issues = (JSON.parse(out.stdout) as { data: { issues: DealIssue[] } }).data.issues;
    expect(issues.map((i) => [i.row, i.column, i.code])).to.deep.equal([
      [1, 'customer', 'UNKNOWN_COLUMN'],
      [1, 'endCustomer', 'MISSING_COLUMN'],
    ]);
  });

  describe('-o ORG (fake org)', () => {
    const open = useFakeOrg();
    const sandbox = sinon.createSandbox();
    beforeEach(() => stubSfCommandUx(sandbox));
    afterEach(() => {
      sandbox.restore();
      process.exitCode = undefined;
    });

    it('writes the registrations and their held claims in one request, and refuses a claimed family', async () => {
      const { org, store, connection } = await open(worldReference());
      const file = await csv('org.csv', [
        HEADER,
        'R1,D1,C1,,Licenses:10; Services:2,5000.00,USD,2027-01-31,,,,',
        'R2,D1,C2,,Subscriptions:4,800.00,EUR,2027-01-31,Approved,2026-12-01,2026-12-01,',
      ]);
      const before = org.requests.length;
      const result = await CpqDealsImport.run(['-o', connection.getUsername()!, '--file', file, '--as-of', AS_OF, '--json']);
      expect(result).to.deep.include({ rows: 2, loaded: 2, numbers: ['DR-00001', 'DR-00002'] });
      const composites = org.requests.slice(before).filter((r) => r.method === 'POST' && r.url.endsWith('/composite'));
      expect(composites).to.have.length(1);
      expect(org.records('Deal_Claim__c').map((c) => c.Claim_Key__c)).to.have.members([
        'C1|LICENSES',
        'C1|SERVICES',
        'C2|SUBSCRIPTIONS',
      ]);
      const listed = await store.deals!.listDeals({});
      expect(listed.map((d) => [d.number, d.status, d.protectedUntil])).to.deep.equal([
        ['DR-00002', 'Approved', '2027-02-28'],
        ['DR-00001', 'Submitted', null],
      ]);

      const clash = await csv('clash.csv', [HEADER, 'R1,D2,C2,,Subscriptions:1,10.00,USD,2027-01-31,,,,']);
      try {
        await CpqDealsImport.run(['-o', connection.getUsername()!, '--file', clash, '--as-of', AS_OF, '--json']);
        expect.fail('the claimed family was imported');
      } catch (error) {
        expect((error as { name: string }).name).to.equal('InvalidDealsFile');
      }
      expect(org.records('Deal_Registration__c')).to.have.length(2);
    });
  });
});
