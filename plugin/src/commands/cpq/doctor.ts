import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { findProjectRoot } from '../../cli/deploy.js';
import { runDoctor, type DoctorCheck } from '../../cli/doctor.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@channel-cpq/plugin-cpq', 'cpq.doctor');

export type CpqDoctorResult = { target: string; ready: boolean; checks: DoctorCheck[] };

export default class CpqDoctor extends SfCommand<CpqDoctorResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg({ char: 'o', summary: messages.getMessage('flags.target-org.summary') }),
    'api-version': Flags.orgApiVersion(),
  };

  public async run(): Promise<CpqDoctorResult> {
    const { flags } = await this.parse(CpqDoctor);
    const org = flags['target-org'];
    const connection = org.getConnection(flags['api-version']);
    const projectRoot = findProjectRoot(process.cwd());
    if (!projectRoot) throw new SfError(messages.getMessage('error.NoProject'), 'NoProject', [], 1);
    const project = JSON.parse(readFileSync(path.join(projectRoot, 'sfdx-project.json'), 'utf8')) as {
      sourceApiVersion?: string;
    };
    this.spinner.start(messages.getMessage('progress', [org.getUsername() ?? connection.instanceUrl]));
    const checks = await runDoctor(connection, { projectRoot, sourceApiVersion: project.sourceApiVersion ?? '64.0' });
    this.spinner.stop();
    this.table({ data: checks.map((c) => ({ check: c.check, status: c.status, detail: c.detail, fix: c.fix ?? '' })) });
    const ready = checks.every((c) => c.status !== 'fail');
    const result = { target: org.getUsername() ?? connection.instanceUrl, ready, checks };
    if (!ready) {
      const error = new SfError(
        messages.getMessage('error.NotReady', [checks.filter((c) => c.status === 'fail').length]),
        'NotReady',
        [],
        1,
      );
      error.setData(result);
      throw error;
    }
    this.log(messages.getMessage('info.ready'));
    return result;
  }
}
