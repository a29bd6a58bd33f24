import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { addDays } from '../../../core/renewals.js';
import { generateRenewals, type RenewalRunResult } from '../../../services/renewals.js';
import { openCommandStore, storeFlags } from '../../../cli/store.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@channel-cpq/plugin-cpq', 'cpq.renewals.generate');

export type CpqRenewalsGenerateResult = RenewalRunResult;

export default class CpqRenewalsGenerate extends SfCommand<CpqRenewalsGenerateResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...storeFlags,
    'as-of': Flags.string({
      summary: messages.getMessage('flags.as-of.summary'),
      parse: (value) => {
        try {
          // addDays refuses dates that do not exist (2027-02-30), which Date.parse would roll over.
          return Promise.resolve(addDays(value, 0));
        } catch {
          return Promise.reject(new Error(`--as-of must be a date written YYYY-MM-DD (got "${value}")`));
        }
      },
    }),
    'lead-days': Flags.integer({ summary: messages.getMessage('flags.lead-days.summary'), default: 90, min: 0, max: 3650 }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
  };

  public async run(): Promise<CpqRenewalsGenerateResult> {
    const { flags } = await this.parse(CpqRenewalsGenerate);
    const { store, target, apiCalls } = await openCommandStore(flags);
    try {
      let started = false;
      const result = await generateRenewals(store, {
        asOf: flags['as-of'] ?? new Date().toISOString().slice(0, 10),
        leadDays: flags['lead-days'],
        dryRun: flags['dry-run'],
        onProgress: (done, total) => {
          if (!started) {
            this.progress.start(total, {}, { title: messages.getMessage('progress') });
            started = true;
          }
          this.progress.update(done);
        },
      });
      if (started) this.progress.finish();
      this.log(messages.getMessage('info.target', [target]) + (apiCalls() > 0 ? ` (${apiCalls()} API requests)` : ''));
      this.log(messages.getMessage('info.result', [result.contractsDue, result.planned, result.created, result.skipped]));
      if (result.dryRun) this.log(messages.getMessage('info.dryRun'));
      if (result.quotes.length > 0 && result.quotes.length <= 50) {
        this.table({
          data: result.quotes.map((q) => ({
            quote: q.number ?? '(not written)',
            contracts: q.contractIds.join(', '),
            start: q.startDate,
            end: q.endDate,
            customerTotal: q.customerTotal ?? '-',
          })),
        });
      }
      return result;
    } finally {
      await store.close();
    }
  }
}
