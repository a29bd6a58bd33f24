import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from '@salesforce/core';
import { ComponentSet, ComponentStatus, type MetadataApiDeployStatus } from '@salesforce/source-deploy-retrieve';

/**
 * The steps of `sf cpq deploy`, in order: build the engine bundle, deploy force-app (REST Metadata API),
 * assign the admin permission set to the running user, seed the demo and share what it loaded with the
 * partners (optional), schedule the nightly renewal job. A step that fails stops the run: nothing after a failed deploy touches the org.
 */

export const RENEWAL_JOB_NAME = 'Channel CPQ renewals';
export const ADMIN_PERMISSION_SET = 'Cpq_Admin';

export type StepName = 'engine' | 'deploy' | 'permissions' | 'seed' | 'share' | 'schedule';
export type DeployStep = { step: StepName; status: 'done' | 'skipped' | 'failed'; detail: string };

export type ComponentFailure = {
  type: string;
  fullName: string;
  /** Path of the source file, relative to the project. */
  file: string | null;
  line: number | null;
  column: number | null;
  problem: string;
};

export type DeploySummary = {
  id: string | null;
  status: string;
  success: boolean;
  checkOnly: boolean;
  componentsTotal: number;
  componentsDeployed: number;
  componentErrors: number;
  failures: ComponentFailure[];
};

export type DeployProgress = { deployed: number; total: number; errors: number; status: string };

/** The project folder: the nearest folder up from `from` with an sfdx-project.json. */
export function findProjectRoot(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, 'sfdx-project.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** `npm run build:engine` in the project, when its package.json has that script. */
export async function buildEngine(projectRoot: string): Promise<DeployStep> {
  const manifest = path.join(projectRoot, 'package.json');
  const scripts = existsSync(manifest)
    ? ((JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {})
    : {};
  if (!scripts['build:engine']) {
    return {
      step: 'engine',
      status: 'skipped',
      detail: 'no build:engine script in package.json: deploying the committed bundle',
    };
  }
  const output: string[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build:engine'], { cwd: projectRoot, shell: process.platform === 'win32' });
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  const text = output.join('').trim();
  return code === 0
    ? { step: 'engine', status: 'done', detail: text.split('\n').pop() ?? 'built' }
    : { step: 'engine', status: 'failed', detail: text || `npm run build:engine exited with ${code}` };
}

/** The project's package directories (sfdx-project.json), as absolute paths. */
export function packageDirectories(projectRoot: string): string[] {
  const project = JSON.parse(readFileSync(path.join(projectRoot, 'sfdx-project.json'), 'utf8')) as {
    packageDirectories?: { path: string }[];
  };
  return (project.packageDirectories ?? [{ path: 'force-app' }]).map((d) => path.join(projectRoot, d.path));
}

/**
 * Deploys the project's source with source-deploy-retrieve over the REST Metadata API (what
 * `sf config set org-metadata-rest-deploy true` does for `sf project deploy start`), polling until done.
 */
export async function deploySource(
  connection: Connection,
  projectRoot: string,
  options: { checkOnly: boolean; waitMinutes: number; frequencyMs?: number; onUpdate?(p: DeployProgress): void },
): Promise<DeploySummary> {
  const components = ComponentSet.fromSource(packageDirectories(projectRoot));
  const deploy = await components.deploy({
    usernameOrConnection: connection,
    apiOptions: { checkOnly: options.checkOnly, rollbackOnError: true, rest: true },
  });
  deploy.onUpdate((status: MetadataApiDeployStatus) =>
    options.onUpdate?.({
      deployed: Number(status.numberComponentsDeployed ?? 0),
      total: Number(status.numberComponentsTotal ?? 0),
      errors: Number(status.numberComponentErrors ?? 0),
      status: String(status.stateDetail ?? status.status ?? ''),
    }),
  );
  const result = await deploy.pollStatus(options.frequencyMs ?? 2000, options.waitMinutes * 60);
  const response = result.response;
  const failures: ComponentFailure[] = result
    .getFileResponses()
    .filter((r) => r.state === ComponentStatus.Failed)
    .map((r) => {
      const failed = r as { error?: string; lineNumber?: number; columnNumber?: number };
      return {
        type: r.type,
        fullName: r.fullName,
        file: r.filePath ? path.relative(projectRoot, r.filePath) : null,
        line: failed.lineNumber ?? null,
        column: failed.columnNumber ?? null,
        // SDR appends " (line:column)", which the failure carries as fields already.
        problem: (failed.error ?? 'failed').replace(/ \(\d+:\d+\)$/, ''),
      };
    });
  const statusText: string = response.status;
  return {
    id: response.id ?? null,
    status: String(response.status),
    success: statusText === 'Succeeded' && String(response.success) === 'true',
    checkOnly: options.checkOnly,
    componentsTotal: Number(response.numberComponentsTotal ?? 0),
    componentsDeployed: Number(response.numberComponentsDeployed ?? 0),
    componentErrors: Number(response.numberComponentErrors ?? 0),
    failures,
  };
}

const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The running user's id: from the auth info, else by username. */
export async function runningUserId(connection: Connection): Promise<string> {
  const fromAuth = connection.getAuthInfoFields().userId;
  if (fromAuth) return fromAuth;
  const user = await connection.singleRecordQuery<{ Id: string }>(
    `SELECT Id FROM User WHERE Username = ${quote(connection.getUsername() ?? '')}`,
  );
  return user.Id;
}

/** Assigns a permission set to a user unless it already is. */
export async function assignPermissionSet(
  connection: Connection,
  userId: string,
  name: string,
): Promise<'assigned' | 'already assigned'> {
  const set = await connection.query<{ Id: string }>(`SELECT Id FROM PermissionSet WHERE Name = ${quote(name)}`);
  const setId = set.records[0]?.Id;
  if (!setId) throw new Error(`permission set ${name} is not in the org (was force-app deployed?)`);
  const existing = await connection.query<{ Id: string }>(
    `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${quote(userId)} AND PermissionSetId = ${quote(setId)}`,
  );
  if (existing.totalSize > 0) return 'already assigned';
  const saved = await connection.sobject('PermissionSetAssignment').create({ AssigneeId: userId, PermissionSetId: setId });
  if (!saved.success) throw new Error(`could not assign ${name}: ${JSON.stringify(saved.errors)}`);
  return 'assigned';
}

/** Schedules RenewalJob daily unless a job of that name is already scheduled. */
export async function scheduleRenewalJob(connection: Connection): Promise<'scheduled' | 'already scheduled'> {
  const jobs = await connection.query<{ Id: string }>(
    `SELECT Id, State, NextFireTime FROM CronTrigger WHERE CronJobDetail.Name = ${quote(RENEWAL_JOB_NAME)}`,
  );
  if (jobs.totalSize > 0) return 'already scheduled';
  const run = await connection.tooling.executeAnonymous('RenewalJob.scheduleDaily();');
  if (!run.compiled)
    throw new Error(`RenewalJob.scheduleDaily() does not compile: ${run.compileProblem ?? 'unknown problem'} (line ${run.line})`);
  if (!run.success) throw new Error(`RenewalJob.scheduleDaily() failed: ${run.exceptionMessage ?? 'unknown error'}`);
  return 'scheduled';
}
