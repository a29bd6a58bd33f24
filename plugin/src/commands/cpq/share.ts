import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { shareAll, type ShareRun } from '../../cli/share.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@channel-cpq/plugin-cpq', 'cpq.share');

export type CpqShareResult = ShareRun & { target: string };

export default class CpqShare extends SfCommand<CpqShareResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg({ char: 'o', summary: messages.getMessage('flags.target-org.summary') }),
    'api-version': Flags.orgApiVersion(),
    wait: Flags.integer({ char: 'w', summary: messages.getMessage('flags.wait.summary'), default: 30, min: 1 }),
  };

  public async run(): Promise<CpqShareResult> {
    const { flags } = await this.parse(CpqShare);
    const org = flags['target-org'];
    const connection = org.getConnection(flags['api-version']);
    const target = org.getUsername() ?? connection.instanceUrl;
    this.spinner.start(messages.getMessage('progress', [target]));
    const run = await shareAll(connection, {
      pollMs: Number(process.env.CPQ_SHARE_POLL_MS ?? 2000),
      timeoutMs: flags.wait * 60_000,
      onProgress: (done, total) => {
        this.spinner.status = `${done}/${total} batches`;
      },
    });
    this.spinner.stop(run.failed === 0 ? 'done' : 'failed');
    this.table({
      data: run.jobs.map((j) => ({ job: j.id, status: j.status, batches: `${j.batchesDone}/${j.batches}`, errors: j.errors })),
    });
    const result = { ...run, target };
    if (run.failed > 0) {
      const error = new SfError(messages.getMessage('error.Failed', [run.failed]), 'SharingFailed', [], 1);
      error.setData(result);
      throw error;
    }
    this.log(messages.getMessage('info.done', [run.jobs.length]));
    return result;
  }
}
