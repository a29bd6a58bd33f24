import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import type { AnyJson } from '@salesforce/ts-types';
import { stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import CpqDeploy, { type CpqDeployResult } from '../../../src/commands/cpq/deploy.js';
import { FakeOrg } from '../../store/org/fakeOrg.js';
import { metadataDeployAnswer } from '../../store/org/fakeMetadataDeploy.js';
import { adminWithCpqAdmin } from '../../store/org/fakeOrgStore.js';

/**
 * `sf cpq deploy --seed` end to end against the fake org (issue: the seed looked up the demo's own user
 * ids, which are no Salesforce ids, and the org store refuses to write users). The Metadata API deploy and
 * the scheduling are answered here; everything the seed writes lands in the fake org, as the deploying
 * admin with Cpq_Admin, whose field-level security the fake org applies.
 */

const ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

describe('sf cpq deploy --seed (fake org)', function () {
  this.timeout(300_000);
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  let project: string;
  let home: string;
  let org: FakeOrg;
  let admin: string;

  before(async () => {
    home = process.cwd();
    project = await mkdtemp(path.join(tmpdir(), 'cpq-deploy-seed-'));
    const classes = path.join(project, 'force-app/main/default/classes');
    await mkdir(classes, { recursive: true });
    await writeFile(
      path.join(project, 'sfdx-project.json'),
      JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '64.0' }),
    );
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'fake', private: true, scripts: {} }));
    await writeFile(path.join(classes, 'RenewalJob.cls'), 'public with sharing class RenewalJob {\n}\n');
    await writeFile(
      path.join(classes, 'RenewalJob.cls-meta.xml'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n  <apiVersion>64.0</apiVersion>\n  <status>Active</status>\n</ApexClass>\n',
    );
    process.env.CPQ_DEPLOY_POLL_MS = '10';
    process.env.CPQ_SHARE_POLL_MS = '10';
    org = new FakeOrg(testOrg.orgId);
    admin = adminWithCpqAdmin(org);
    org.insert('Profile', { Name: 'Partner Community User', UserType: 'PowerPartner' });
    testOrg.userId = admin;
  });

  after(async () => {
    process.chdir(home);
    delete process.env.CPQ_DEPLOY_POLL_MS;
    delete process.env.CPQ_SHARE_POLL_MS;
    await rm(project, { recursive: true, force: true });
  });

  let scheduled = 0;
  let shared = 0;
  beforeEach(async () => {
    process.chdir(project);
    await $$.stubAuths(testOrg);
    stubSfCommandUx($$.SANDBOX);
    stubSpinner($$.SANDBOX);
    $$.fakeConnectionRequest = (request: AnyJson): Promise<AnyJson> => {
      const r = (typeof request === 'string' ? { url: request, method: 'GET' } : request) as { url: string; method?: string };
      const url = decodeURIComponent(r.url);
      const deploy = metadataDeployAnswer(r.method, url);
      if (deploy) return Promise.resolve(deploy as AnyJson);
      if (url.includes('FROM CronTrigger'))
        return Promise.resolve({ totalSize: scheduled, done: true, records: scheduled ? [{ Id: '08e000000000001AAA' }] : [] });
      if (url.includes('/tooling/executeAnonymous')) {
        if (url.includes('RenewalJob.scheduleDaily()')) scheduled = 1;
        else if (url.includes('ChannelSharingRecalculation.runAll()')) shared++;
        else return Promise.reject(new Error(`unexpected anonymous Apex: ${url}`));
        return Promise.resolve({
          compiled: true,
          success: true,
          line: -1,
          column: -1,
          compileProblem: null,
          exceptionMessage: null,
        });
      }
      // The sharing batches (one per shared object), finished; npm run org:story runs them for real.
      if (url.includes('FROM AsyncApexJob')) {
        const jobs = Array.from({ length: 5 }, (_, i) => ({
          Id: `7070000000000${String(shared)}${i}AAA`,
          Status: 'Completed',
          JobItemsProcessed: 1,
          TotalJobItems: 1,
          NumberOfErrors: 0,
          ExtendedStatus: null,
        }));
        return Promise.resolve({ totalSize: jobs.length, done: true, records: jobs });
      }
      return org.handle(request) as Promise<AnyJson>;
    };
  });
  afterEach(() => $$.restore());

  it('seeds the demo as the deploying admin and real partner users, then schedules the job; a rerun changes nothing', async () => {
    const result: CpqDeployResult = await CpqDeploy.run(['-o', testOrg.username, '--seed', '--today', '2026-12-05', '--json']);
    expect(result.steps.map((s) => [s.step, s.status])).to.deep.equal([
      ['engine', 'skipped'],
      ['deploy', 'done'],
      ['permissions', 'done'],
      ['seed', 'done'],
      ['share', 'done'],
      ['schedule', 'done'],
    ]);
    // Seven partner users (two distributors, five resellers), each a contact of its partner account, with
    // the permission set of its role.
    const partners = org.records('User').filter((u) => u.ContactId);
    expect(partners).to.have.length(7);
    for (const u of partners) expect(String(u.Id)).to.match(ID);
    const setName = new Map(org.records('PermissionSet').map((p) => [p.Id, p.Name]));
    const assigned = org.records('PermissionSetAssignment').map((a) => `${String(setName.get(a.PermissionSetId))}`);
    expect(assigned.filter((n) => n === 'Cpq_Distributor_User')).to.have.length(2);
    expect(assigned.filter((n) => n === 'Cpq_Reseller_User')).to.have.length(5);
    expect(org.records('Account').filter((a) => a.IsPartner === true)).to.have.length(7);
    // The story acted as those users: every user reference on quotes, approvals and orders is a real user.
    const users = new Set(org.records('User').map((u) => u.Id));
    const refs = [
      ...org.records('Channel_Quote__c').map((q) => q.Created_By_User__c),
      ...org.records('Quote_Approval__c').flatMap((a) => [a.Requested_By__c, a.Decided_By__c]),
      ...org.records('Channel_Order__c').map((o) => o.Placed_By__c),
    ].filter((v) => v !== null && v !== undefined);
    expect(refs.length).to.be.greaterThan(10);
    for (const ref of refs) expect(users.has(ref), `user ${JSON.stringify(ref)}`).to.equal(true);
    expect(result.seeded?.quotes).to.be.greaterThan(5);
    expect(result.seeded?.orders).to.be.greaterThan(3);
    expect(shared, 'the seeded records were shared with their partners').to.equal(1);

    const quotes = org.records('Channel_Quote__c').length;
    const again: CpqDeployResult = await CpqDeploy.run(['-o', testOrg.username, '--seed', '--today', '2026-12-05', '--json']);
    expect(again.steps.find((s) => s.step === 'seed')?.detail).to.contain('nothing changed');
    expect(again.steps.find((s) => s.step === 'schedule')?.detail).to.contain('already scheduled');
    expect(org.records('Channel_Quote__c')).to.have.length(quotes);
    expect(org.records('User').filter((u) => u.ContactId)).to.have.length(7);
  });

  it('says what to turn on when the org has no partner profile, and creates no partner user', async () => {
    org = new FakeOrg(testOrg.orgId);
    // An org without Experience Cloud partner licences; its admin has the id the stubbed auth carries.
    expect(adminWithCpqAdmin(org)).to.equal(admin);
    let message = '';
    try {
      await CpqDeploy.run(['-o', testOrg.username, '--seed', '--today', '2026-12-05', '--json']);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.contain('The seed step failed');
    expect(message).to.contain('the org has no "Partner Community User" profile: turn on Digital Experiences');
    expect(org.records('User').filter((u) => u.ContactId)).to.have.length(0);
  });
});
