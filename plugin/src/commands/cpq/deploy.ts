import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import {
  ADMIN_PERMISSION_SET,
  assignPermissionSet,
  buildEngine,
  deploySource,
  findProjectRoot,
  runningUserId,
  scheduleRenewalJob,
  type DeployStep,
  type DeploySummary,
} from '../../cli/deploy.js';
import { orgDemoUsers } from '../../cli/demoUsers.js';
import { shareAll } from '../../cli/share.js';
import { addDays } from '../../core/renewals.js';
import { seedDemoData } from '../../store/demo.js';
import { openOrgStore } from '../../store/org/index.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@channel-cpq/plugin-cpq', 'cpq.deploy');

export type CpqDeployResult = {
  /** The org's username. */
  target: string;
  projectRoot: string;
  dryRun: boolean;
  /** Every step in the order it ran: done, skipped (and why) or failed. */
  steps: DeployStep[];
  deploy: DeploySummary | null;
  /** Demo records in the org after seeding, by kind (with --seed). */
  seeded: Record<string, number> | null;
};

export default class CpqDeploy extends SfCommand<CpqDeployResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg({ char: 'o', summary: messages.getMessage('flags.target-org.summary') }),
    'api-version': Flags.orgApiVersion({ summary: messages.getMessage('flags.api-version.summary') }),
    seed: Flags.boolean({ summary: messages.getMessage('flags.seed.summary'), default: false }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
    wait: Flags.integer({ char: 'w', summary: messages.getMessage('flags.wait.summary'), default: 33, min: 1 }),
    today: Flags.string({
      summary: messages.getMessage('flags.today.summary'),
      dependsOn: ['seed'],
      parse: (value) => {
        try {
          return Promise.resolve(addDays(value, 0));
        } catch {
          return Promise.reject(new Error(`--today must be a date written YYYY-MM-DD (got "${value}")`));
        }
      },
    }),
  };

  public async run(): Promise<CpqDeployResult> {
    const { flags } = await this.parse(CpqDeploy);
    const org = flags['target-org'];
    const connection = org.getConnection(flags['api-version']);
    const projectRoot = findProjectRoot(process.cwd());
    if (!projectRoot) throw new SfError(messages.getMessage('error.NoProject'), 'NoProject', [], 1);
    const dryRun = flags['dry-run'];
    const result: CpqDeployResult = {
      target: org.getUsername() ?? connection.instanceUrl,
      projectRoot,
      dryRun,
      steps: [],
      deploy: null,
      seeded: null,
    };
    const record = (step: DeployStep): void => {
      result.steps.push(step);
      const say = step.status === 'failed' ? this.warn.bind(this) : this.log.bind(this);
      say(messages.getMessage(`step.${step.status}`, [step.step, step.detail]));
    };
    const fail = (step: DeployStep, name: string, actions: string[]): never => {
      record(step);
      const error = new SfError(messages.getMessage('error.StepFailed', [step.step, step.detail]), name, actions, 1);
      error.setData(result);
      throw error;
    };

    // 1. The engine bundle deployed with the LWC must be the engine of this checkout.
    const engine = await buildEngine(projectRoot);
    if (engine.status === 'failed') fail(engine, 'EngineBuildFailed', messages.getMessages('error.EngineBuildFailed.actions'));
    record(engine);

    // 2. Deploy (or validate) force-app.
    this.spinner.start(messages.getMessage(dryRun ? 'progress.validate' : 'progress.deploy', [result.target]));
    let summary: DeploySummary;
    try {
      summary = await deploySource(connection, projectRoot, {
        checkOnly: dryRun,
        waitMinutes: flags.wait,
        frequencyMs: Number(process.env.CPQ_DEPLOY_POLL_MS ?? 2000),
        onUpdate: (p) => {
          this.spinner.status = messages.getMessage('progress.components', [p.deployed, p.total, p.errors, p.status]);
        },
      });
    } catch (error) {
      this.spinner.stop('failed');
      return fail({ step: 'deploy', status: 'failed', detail: (error as Error).message }, 'DeployFailed', []);
    }
    this.spinner.stop(summary.status);
    result.deploy = summary;
    if (!summary.success) {
      if (summary.failures.length > 0) {
        this.table({
          title: messages.getMessage('info.failures'),
          data: summary.failures.map((f) => ({
            file: f.file ?? `${f.type} ${f.fullName}`,
            line: f.line ?? '',
            column: f.column ?? '',
            problem: f.problem,
          })),
        });
      }
      const detail = messages.getMessage('detail.deployFailed', [
        summary.status,
        summary.componentErrors,
        summary.componentsTotal,
      ]);
      return fail(
        { step: 'deploy', status: 'failed', detail },
        'DeployFailed',
        messages.getMessages('error.DeployFailed.actions'),
      );
    }
    record({
      step: 'deploy',
      status: 'done',
      detail: messages.getMessage(dryRun ? 'detail.validated' : 'detail.deployed', [
        summary.componentsDeployed,
        summary.componentsTotal,
        summary.id,
      ]),
    });

    if (dryRun) {
      for (const step of ['permissions', 'seed', 'share', 'schedule'] as const) {
        record({ step, status: 'skipped', detail: messages.getMessage('detail.dryRun') });
      }
      return result;
    }

    // 3. The admin permission set for the running user.
    try {
      const userId = await runningUserId(connection);
      const outcome = await assignPermissionSet(connection, userId, ADMIN_PERMISSION_SET);
      record({ step: 'permissions', status: 'done', detail: `${ADMIN_PERMISSION_SET} ${outcome} to ${result.target}` });
    } catch (error) {
      fail({ step: 'permissions', status: 'failed', detail: (error as Error).message }, 'PermissionSetFailed', []);
    }

    // 4. Demo data through the org store (the same seeding as the local database).
    if (flags.seed) {
      try {
        const store = await openOrgStore(connection, {
          onProgress: (e) => {
            this.spinner.status = `${e.phase}: ${e.done}/${e.total}`;
          },
        });
        this.spinner.start(messages.getMessage('progress.seed'));
        try {
          const outcome = await seedDemoData(store, {
            today: flags.today ?? new Date().toISOString().slice(0, 10),
            resolveUsers: orgDemoUsers(connection, (done, total) => {
              this.spinner.status = `partner users: ${done}/${total}`;
            }),
          });
          result.seeded = outcome.counts;
          this.spinner.stop();
          const detail = outcome.seeded
            ? messages.getMessage('detail.seeded', [store.apiCalls()])
            : messages.getMessage('detail.alreadySeeded');
          record({ step: 'seed', status: 'done', detail });
        } finally {
          await store.close();
        }
      } catch (error) {
        this.spinner.stop('failed');
        fail(
          { step: 'seed', status: 'failed', detail: (error as Error).message },
          'SeedFailed',
          messages.getMessages('error.SeedFailed.actions'),
        );
      }
      // 5. What the seed loaded reaches the partners only through Apex managed sharing.
      try {
        this.spinner.start(messages.getMessage('progress.share'));
        const run = await shareAll(connection, {
          pollMs: Number(process.env.CPQ_SHARE_POLL_MS ?? 2000),
          onProgress: (done, total) => {
            this.spinner.status = `${done}/${total} batches`;
          },
        });
        this.spinner.stop();
        if (run.failed > 0) throw new Error(messages.getMessage('detail.shareFailed', [run.failed]));
        record({ step: 'share', status: 'done', detail: messages.getMessage('detail.shared', [run.jobs.length]) });
      } catch (error) {
        this.spinner.stop('failed');
        fail({ step: 'share', status: 'failed', detail: (error as Error).message }, 'ShareFailed', []);
      }
    } else {
      record({ step: 'seed', status: 'skipped', detail: messages.getMessage('detail.noSeed') });
      record({ step: 'share', status: 'skipped', detail: messages.getMessage('detail.noSeed') });
    }

    // 6. The nightly renewal job.
    try {
      const outcome = await scheduleRenewalJob(connection);
      record({ step: 'schedule', status: 'done', detail: messages.getMessage('detail.schedule', [outcome]) });
    } catch (error) {
      fail({ step: 'schedule', status: 'failed', detail: (error as Error).message }, 'ScheduleFailed', []);
    }
    return result;
  }
}
