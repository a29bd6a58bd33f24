import { readFile } from 'node:fs/promises';
import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { formatDealIssue, parseDealsCsv, type DealIssue } from '../../../cli/dealsCsv.js';
import { openCommandStore, storeFlags } from '../../../cli/store.js';
import { DEFAULT_DEAL_RULES } from '../../../core/deals.js';
import { CpqError } from '../../../core/errors.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@channel-cpq/plugin-cpq', 'cpq.deals.import');

export type CpqDealsImportResult = {
  file: string;
  /** "org admin@acme.com" or "local database /path/cpq.db". */
  target: string;
  dryRun: boolean;
  /** The day the registrations are checked against (protection, agreements, close dates). */
  asOf: string;
  /** Data rows read (the header and blank lines not counted). */
  rows: number;
  /** Registrations written (0 on a dry run), with the numbers they were given. */
  loaded: number;
  numbers: string[];
  issues: DealIssue[];
  /** HTTP requests made to the org (0 for the local database). */
  apiCalls: number;
};

const MAX_LISTED = 50;

export default class CpqDealsImport extends SfCommand<CpqDealsImportResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...storeFlags,
    file: Flags.file({ char: 'f', summary: messages.getMessage('flags.file.summary'), required: true, exists: true }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
    'as-of': Flags.string({
      summary: messages.getMessage('flags.as-of.summary'),
      parse: (value: string): Promise<string> =>
        /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
          ? Promise.resolve(value)
          : Promise.reject(new Error(`--as-of must be a date written YYYY-MM-DD (got "${value}")`)),
    }),
  };

  public async run(): Promise<CpqDealsImportResult> {
    const { flags } = await this.parse(CpqDealsImport);
    const bytes = await readFile(flags.file);
    const asOf = flags['as-of'] ?? new Date().toISOString().slice(0, 10);
    const { store, target, apiCalls } = await openCommandStore(flags);
    try {
      if (!store.deals) throw new SfError(messages.getMessage('error.NotAvailable'), 'NotAvailable', [], 1);
      const [accounts, agreements, products, held] = await Promise.all([
        store.listAccounts(),
        store.listAgreements(),
        store.listProducts(),
        store.deals.listDeals({ claimActive: true }),
      ]);
      const parsed = parseDealsCsv(bytes, { today: asOf, rules: DEFAULT_DEAL_RULES, accounts, agreements, products, held });
      const result: CpqDealsImportResult = {
        file: flags.file,
        target,
        dryRun: flags['dry-run'],
        asOf,
        rows: parsed.rows,
        loaded: 0,
        numbers: [],
        issues: parsed.issues,
        apiCalls: 0,
      };
      if (parsed.issues.length > 0) {
        const listed = parsed.issues.slice(0, MAX_LISTED).map(formatDealIssue);
        if (parsed.issues.length > MAX_LISTED)
          listed.push(messages.getMessage('error.more', [parsed.issues.length - MAX_LISTED]));
        const error = new SfError(
          messages.getMessage('error.InvalidFile', [flags.file, parsed.issues.length, listed.join('\n')]),
          'InvalidDealsFile',
          messages.getMessages('error.InvalidFile.actions'),
          1,
        );
        error.setData({ issues: parsed.issues });
        throw error;
      }
      if (!flags['dry-run']) {
        try {
          const written = await store.deals.importDeals(parsed.deals, asOf);
          result.loaded = written.length;
          result.numbers = written.map((d) => d.number);
        } catch (error) {
          if (error instanceof CpqError) {
            const failure = new SfError(messages.getMessage('error.Refused', [error.message]), error.code, [], 1);
            failure.setData({ issues: error.issues });
            throw failure;
          }
          throw error;
        }
      }
      result.apiCalls = apiCalls();
      if (result.dryRun) this.log(messages.getMessage('info.dryRun', [result.rows, result.target]));
      else this.log(messages.getMessage('info.loaded', [result.loaded, result.target, result.numbers.join(', ')]));
      return result;
    } finally {
      await store.close();
    }
  }
}
