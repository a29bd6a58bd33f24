import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import type { AnyJson } from '@salesforce/ts-types';
import { stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import CpqDoctor, { type CpqDoctorResult } from '../../../src/commands/cpq/doctor.js';
import { runDoctor } from '../../../src/cli/doctor.js';

/**
 * `sf cpq doctor` against a faked connection: an org that is ready (every check ok), then the same org with
 * one problem at a time, each failing its own check with what to fix.
 */

const ADMIN_FIELDS = [
  ...readFileSync('force-app/main/default/permissionsets/Cpq_Admin.permissionset-meta.xml', 'utf8').matchAll(
    /<field>([^<]+)<\/field>/g,
  ),
].map((m) => m[1]!);
const OBJECTS = readdirSync('force-app/main/default/objects').filter((o) => o.endsWith('__c') && o !== 'Cpq_Settings__c');
const RESELLER = '001000000000001AAA';
const ROLE = '00E000000000001EAA';

type Org = Record<string, unknown[]>;
function readyOrg(): Org {
  return {
    'FROM Network': [{ Name: 'Channel Partners', Status: 'Live' }],
    'FROM FieldPermissions': ADMIN_FIELDS.map((Field) => ({ Field, PermissionsRead: true })),
    'FROM ObjectPermissions': OBJECTS.map((SobjectType) => ({ SobjectType })),
    'FROM User ': [
      { Id: '005000000000001AAA', Username: 'rita@r1.test', Contact: { Account: { Id: RESELLER, Channel_Role__c: 'reseller' } } },
    ],
    'FROM PermissionSetAssignment': [{ AssigneeId: '005000000000001AAA', PermissionSet: { Name: 'Cpq_Reseller_User' } }],
    'FROM UserRole': [{ Id: ROLE, PortalAccountId: RESELLER }],
    'FROM Group': [{ RelatedId: ROLE }],
    'SELECT COUNT(Id)': [{ expr0: 4 }],
    'COUNT_DISTINCT(ParentId)': [{ expr0: 4 }],
    'FROM CronTrigger': [{ State: 'WAITING', NextFireTime: '2026-12-06T02:00:00.000+0000' }],
    'FROM CurrencyType': [
      { IsoCode: 'USD', IsCorporate: true },
      { IsoCode: 'EUR', IsCorporate: false },
      { IsoCode: 'SEK', IsCorporate: false },
    ],
    'FROM Cpq_Price__c': [{ Currency_Code__c: 'USD' }, { Currency_Code__c: 'EUR' }, { Currency_Code__c: 'SEK' }],
    'FROM DatedConversionRate': [{ IsoCode: 'EUR' }, { IsoCode: 'SEK' }],
  };
}

describe('sf cpq doctor', () => {
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  let org: Org;
  let apiVersions: string[];
  let daily: { Max: number; Remaining: number };

  beforeEach(async () => {
    await $$.stubAuths(testOrg);
    stubSfCommandUx($$.SANDBOX);
    stubSpinner($$.SANDBOX);
    org = readyOrg();
    apiVersions = ['63.0', '64.0', '65.0'];
    daily = { Max: 15000, Remaining: 14200 };
    $$.fakeConnectionRequest = (request: AnyJson): Promise<AnyJson> => {
      const url = decodeURIComponent(typeof request === 'string' ? request : (request as { url: string }).url);
      if (/\/services\/data\/?$/.test(url)) return Promise.resolve(apiVersions.map((version) => ({ version })) as AnyJson);
      if (/\/services\/data\/v[\d.]+\/limits$/.test(url)) return Promise.resolve({ DailyApiRequests: daily } as AnyJson);
      const key = Object.keys(org).find((k) => url.includes(k));
      if (!key) return Promise.reject(new Error(`doctor test: unexpected request ${url}`));
      return Promise.resolve({ totalSize: org[key]!.length, done: true, records: org[key] } as AnyJson);
    };
  });
  afterEach(() => $$.restore());

  const statuses = async (): Promise<Record<string, string>> => {
    const connection = await (
      await import('@salesforce/core')
    ).Connection.create({
      authInfo: await (await import('@salesforce/core')).AuthInfo.create({ username: testOrg.username }),
    });
    const checks = await runDoctor(connection, { projectRoot: process.cwd(), sourceApiVersion: '64.0', nodeVersion: '22.19.0' });
    return Object.fromEntries(checks.map((c) => [c.check, `${c.status}${c.fix ? `: ${c.fix}` : ''}`]));
  };

  it('a ready org: every check ok, exit 0', async () => {
    const result: CpqDoctorResult = await CpqDoctor.run(['-o', testOrg.username, '--json']);
    expect(result.checks.filter((c) => c.check !== 'node').map((c) => [c.check, c.status])).to.deep.equal([
      ['api version', 'ok'],
      ['experience cloud', 'ok'],
      ['objects and field access', 'ok'],
      ['partner permission sets', 'ok'],
      ['partner roles', 'ok'],
      ['sharing', 'ok'],
      ['renewal job', 'ok'],
      ['currencies', 'ok'],
      ['api allowance', 'ok'],
    ]);
  });

  it('each problem fails its own check and says what to fix', async () => {
    apiVersions = ['60.0'];
    org['FROM Network'] = [];
    org['FROM FieldPermissions'] = ADMIN_FIELDS.slice(1).map((Field) => ({ Field, PermissionsRead: true }));
    org['FROM PermissionSetAssignment'] = [];
    org['FROM Group'] = [];
    org['COUNT_DISTINCT(ParentId)'] = [{ expr0: 3 }];
    org['FROM CronTrigger'] = [];
    daily = { Max: 15000, Remaining: 120 };
    org['FROM DatedConversionRate'] = [{ IsoCode: 'EUR' }];
    const s = await statuses();
    expect(s['api version']).to.match(/^fail: use an org on a current release/);
    expect(s['experience cloud']).to.match(/^fail: create the partner site/);
    expect(s['objects and field access']).to.match(/^fail: deploy force-app again/);
    expect(s['partner permission sets']).to.match(/^fail: sf org assign permset/);
    expect(s['partner roles']).to.match(/^fail: Account → Manage External Account → Enable as Partner/);
    expect(s.sharing).to.match(/^fail: sf cpq share -o ORG/);
    expect(s['renewal job']).to.match(/^fail: sf cpq deploy -o ORG/);
    expect(s['api allowance']).to.match(/^fail: wait for the 24-hour window/);
    expect(s.currencies).to.match(/^fail: sf cpq rates import -o ORG/);
    let exit: number | undefined;
    try {
      await CpqDoctor.run(['-o', testOrg.username, '--json']);
    } catch (error) {
      exit = (error as { exitCode?: number }).exitCode;
    }
    expect(exit).to.equal(1);
  });

  it('names the currencies the org lacks, and an org without multi-currency', async () => {
    org['FROM CurrencyType'] = [{ IsoCode: 'USD', IsCorporate: true }];
    expect((await statuses()).currencies).to.match(/^fail: Setup → Manage Currencies → New/);
    delete org['FROM CurrencyType']; // the query is refused: the object does not exist
    expect((await statuses()).currencies).to.match(/^fail: Setup → Company Information → Currencies/);
  });

  it('warns below the Node version the sf CLI needs', async () => {
    const connection = await (
      await import('@salesforce/core')
    ).Connection.create({
      authInfo: await (await import('@salesforce/core')).AuthInfo.create({ username: testOrg.username }),
    });
    const [node] = await runDoctor(connection, { projectRoot: process.cwd(), sourceApiVersion: '64.0', nodeVersion: '20.20.2' });
    expect(node).to.include({ check: 'node', status: 'warn' });
    expect(node!.fix).to.contain('docs/ADMIN-GUIDE.md');
  });
});
