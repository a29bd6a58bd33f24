import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SfError } from '@salesforce/core';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import CpqDeploy, { type CpqDeployResult } from '../../../src/commands/cpq/deploy.js';

/**
 * `sf cpq deploy` against a fake org: @salesforce/core's TestContext answers every request of the real
 * connection (REST Metadata API deploy and status, SOQL, sObject insert, tooling executeAnonymous), and the
 * test reads the requests back to check which steps ran, in which order.
 */

type Request = { method: string; url: string; body: string };

const DEPLOY_ID = '0Af000000000001AAA';

describe('sf cpq deploy (fake org)', () => {
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  let project: string;
  let home: string;
  let requests: Request[];
  let deployOutcome: 'ok' | 'fail';
  let scheduled: boolean;

  before(async () => {
    home = process.cwd();
    project = await mkdtemp(path.join(tmpdir(), 'cpq-deploy-'));
    const classes = path.join(project, 'force-app/main/default/classes');
    await mkdir(classes, { recursive: true });
    await writeFile(
      path.join(project, 'sfdx-project.json'),
      JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '64.0' }),
    );
    // The project's engine build: writes a marker, so the test sees it ran (and before the deploy).
    await writeFile(
      path.join(project, 'package.json'),
      JSON.stringify({
        name: 'fake',
        private: true,
        scripts: { 'build:engine': "node -e \"require('fs').writeFileSync('engine-built', String(Date.now()))\"" },
      }),
    );
    for (const name of ['RenewalJob', 'QuoteController']) {
      await writeFile(path.join(classes, `${name}.cls`), `public with sharing class ${name} {\n}\n`);
      await writeFile(
        path.join(classes, `${name}.cls-meta.xml`),
        '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n  <apiVersion>64.0</apiVersion>\n  <status>Active</status>\n</ApexClass>\n',
      );
    }
    process.env.CPQ_DEPLOY_POLL_MS = '10';
  });

  after(async () => {
    process.chdir(home);
    delete process.env.CPQ_DEPLOY_POLL_MS;
    await rm(project, { recursive: true, force: true });
  });

  beforeEach(async () => {
    process.chdir(project);
    await rm(path.join(project, 'engine-built'), { force: true });
    await $$.stubAuths(testOrg);
    stubSfCommandUx($$.SANDBOX);
    stubSpinner($$.SANDBOX);
    requests = [];
    deployOutcome = 'ok';
    scheduled = false;
    let polls = 0;
    const fake = (request: unknown): Promise<unknown> => {
      const r =
        typeof request === 'string'
          ? { url: request, method: 'GET' }
          : (request as { url: string; method?: string; body?: unknown });
      const url = decodeURIComponent(r.url);
      const body = Buffer.isBuffer(r.body) ? r.body.toString('latin1') : typeof r.body === 'string' ? r.body : '';
      requests.push({ method: r.method ?? 'GET', url, body });
      if (url.endsWith('/metadata/deployRequest') && r.method === 'POST') {
        engineBuiltBeforeDeploy = existsSync(path.join(project, 'engine-built'));
        return Promise.resolve({ id: DEPLOY_ID, deployResult: { id: DEPLOY_ID, status: 'Pending', done: false } });
      }
      if (url.includes(`/metadata/deployRequest/${DEPLOY_ID}`)) {
        polls++;
        if (polls === 1) {
          return Promise.resolve({
            deployResult: {
              id: DEPLOY_ID,
              status: 'InProgress',
              done: false,
              numberComponentsTotal: 2,
              numberComponentsDeployed: 1,
              numberComponentErrors: 0,
            },
          });
        }
        return Promise.resolve({ deployResult: finalDeployResult(deployOutcome) });
      }
      if (url.includes('FROM PermissionSet WHERE')) return Promise.resolve(query([{ Id: '0PS000000000001AAA' }]));
      if (url.includes('FROM PermissionSetAssignment')) return Promise.resolve(query([]));
      if (url.includes('/sobjects/PermissionSetAssignment') && r.method === 'POST') {
        return Promise.resolve({ id: '0Pa000000000001AAA', success: true, errors: [] });
      }
      if (url.includes('FROM CronTrigger')) return Promise.resolve(query(scheduled ? [{ Id: '08e000000000001AAA' }] : []));
      if (url.includes('/tooling/executeAnonymous')) {
        return Promise.resolve({
          compiled: true,
          success: true,
          line: -1,
          column: -1,
          compileProblem: null,
          exceptionMessage: null,
          exceptionStackTrace: null,
        });
      }
      return Promise.reject(new SfError(`fake org: unexpected request ${r.method ?? 'GET'} ${url}`));
    };
    $$.fakeConnectionRequest = fake as TestContext['fakeConnectionRequest'];
  });

  afterEach(() => $$.restore());

  let engineBuiltBeforeDeploy = false;

  /** What each step sent, in order: one letter per kind of request. */
  const trail = (): string[] =>
    requests.flatMap((r) => {
      if (r.url.endsWith('/metadata/deployRequest')) return ['deploy'];
      if (r.url.includes('/metadata/deployRequest/')) return ['deploy-status'];
      if (r.url.includes('FROM PermissionSetAssignment')) return ['query-assignment'];
      if (r.url.includes('FROM PermissionSet ')) return ['query-permission-set'];
      if (r.url.includes('/sobjects/PermissionSetAssignment')) return ['assign'];
      if (r.url.includes('FROM CronTrigger')) return ['query-cron'];
      if (r.url.includes('executeAnonymous')) return ['execute-anonymous'];
      return [];
    });

  it('builds the engine, deploys, assigns Cpq_Admin and schedules the renewal job, in that order', async () => {
    const result: CpqDeployResult = await CpqDeploy.run(['-o', testOrg.username, '--json']);
    expect(engineBuiltBeforeDeploy, 'engine built before the deploy request').to.equal(true);
    expect(result.steps.map((s) => [s.step, s.status])).to.deep.equal([
      ['engine', 'done'],
      ['deploy', 'done'],
      ['permissions', 'done'],
      ['seed', 'skipped'],
      ['share', 'skipped'],
      ['schedule', 'done'],
    ]);
    expect(trail()).to.deep.equal([
      'deploy',
      'deploy-status',
      'deploy-status',
      'query-permission-set',
      'query-assignment',
      'assign',
      'query-cron',
      'execute-anonymous',
    ]);
    expect(result.deploy).to.include({
      success: true,
      checkOnly: false,
      componentsTotal: 2,
      componentsDeployed: 2,
      id: DEPLOY_ID,
    });
    const deployBody = requests.find((r) => r.url.endsWith('/metadata/deployRequest'))!.body;
    expect(deployBody).to.contain('"checkOnly":false');
    const assign = requests.find((r) => r.url.includes('/sobjects/PermissionSetAssignment'))!;
    expect(JSON.parse(assign.body)).to.deep.equal({ AssigneeId: testOrg.userId, PermissionSetId: '0PS000000000001AAA' });
    expect(requests.find((r) => r.url.includes('executeAnonymous'))!.url).to.contain('anonymousBody=RenewalJob.scheduleDaily();');
  });

  it('does not schedule the renewal job twice', async () => {
    scheduled = true;
    const result: CpqDeployResult = await CpqDeploy.run(['-o', testOrg.username, '--json']);
    expect(result.steps.at(-1)).to.deep.include({ step: 'schedule', status: 'done' });
    expect(result.steps.at(-1)!.detail).to.contain('already scheduled');
    expect(trail()).to.not.include('execute-anonymous');
  });

  it('validates only with --dry-run: a check-only deploy and no other write', async () => {
    const result: CpqDeployResult = await CpqDeploy.run(['-o', testOrg.username, '--dry-run', '--json']);
    expect(requests.find((r) => r.url.endsWith('/metadata/deployRequest'))!.body).to.contain('"checkOnly":true');
    expect(trail()).to.deep.equal(['deploy', 'deploy-status', 'deploy-status']);
    expect(result.steps.map((s) => [s.step, s.status])).to.deep.equal([
      ['engine', 'done'],
      ['deploy', 'done'],
      ['permissions', 'skipped'],
      ['seed', 'skipped'],
      ['share', 'skipped'],
      ['schedule', 'skipped'],
    ]);
  });

  it('stops after a failed deploy, before seeding, and reports each component error with file and line', async () => {
    deployOutcome = 'fail';
    let error: SfError | undefined;
    try {
      await CpqDeploy.run(['-o', testOrg.username, '--seed', '--json']);
    } catch (e) {
      error = e as SfError;
    }
    expect(error?.name).to.equal('DeployFailed');
    const data = error!.data as CpqDeployResult;
    expect(data.steps.map((s) => [s.step, s.status])).to.deep.equal([
      ['engine', 'done'],
      ['deploy', 'failed'],
    ]);
    expect(data.deploy!.failures).to.deep.equal([
      {
        type: 'ApexClass',
        fullName: 'RenewalJob',
        file: path.join('force-app/main/default/classes/RenewalJob.cls'),
        line: 3,
        column: 12,
        problem: 'Variable does not exist: nightlyCron',
      },
    ]);
    expect(error!.message).to.contain('The deploy step failed: deploy Failed with 1 component error(s) of 2');
    // Nothing after the deploy reached the org: no permission set, no seeding, no job.
    expect(trail()).to.deep.equal(['deploy', 'deploy-status', 'deploy-status']);
  });
});

function query(records: Record<string, unknown>[]): { totalSize: number; done: boolean; records: Record<string, unknown>[] } {
  return { totalSize: records.length, done: true, records };
}

function finalDeployResult(outcome: 'ok' | 'fail'): Record<string, unknown> {
  const base = { id: DEPLOY_ID, done: true, numberComponentsTotal: 2, checkOnly: false, createdDate: '2026-11-23T10:00:00.000Z' };
  const success = (fullName: string) => ({
    componentType: 'ApexClass',
    fullName,
    fileName: `classes/${fullName}.cls`,
    success: true,
    changed: true,
    created: true,
    deleted: false,
    problem: null,
  });
  if (outcome === 'ok') {
    return {
      ...base,
      status: 'Succeeded',
      success: true,
      numberComponentsDeployed: 2,
      numberComponentErrors: 0,
      details: { componentSuccesses: [success('RenewalJob'), success('QuoteController')], componentFailures: [] },
    };
  }
  return {
    ...base,
    status: 'Failed',
    success: false,
    numberComponentsDeployed: 1,
    numberComponentErrors: 1,
    details: {
      componentSuccesses: [success('QuoteController')],
      componentFailures: [
        {
          componentType: 'ApexClass',
          fullName: 'RenewalJob',
          fileName: 'classes/RenewalJob.cls',
          lineNumber: 3,
          columnNumber: 12,
          problem: 'Variable does not exist: nightlyCron',
          problemType: 'Error',
          success: false,
          changed: false,
          created: false,
          deleted: false,
        },
      ],
    },
  };
}
