import { readFile } from 'node:fs/promises';
import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { formatRateIssue, parseRatesCsv, type RateIssue } from '../../../cli/ratesCsv.js';
import { openCommandStore, storeFlags } from '../../../cli/store.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@channel-cpq/plugin-cpq', 'cpq.rates.import');

export type CpqRatesImportResult = {
  file: string;
  /** "org admin@acme.com" or "local database /path/cpq.db". */
  target: string;
  dryRun: boolean;
  /** The corporate currency the rates are quoted against (units of the currency per one unit of it). */
  corporateCurrency: string;
  /** Data rows read (the header and blank lines not counted). */
  rows: number;
  /** Rates written (0 on a dry run). */
  loaded: number;
  issues: RateIssue[];
  /** HTTP requests made to the org (0 for the local database). */
  apiCalls: number;
};

const MAX_LISTED = 50;

export default class CpqRatesImport extends SfCommand<CpqRatesImportResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...storeFlags,
    file: Flags.file({ char: 'f', summary: messages.getMessage('flags.file.summary'), required: true, exists: true }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
  };

  public async run(): Promise<CpqRatesImportResult> {
    const { flags } = await this.parse(CpqRatesImport);
    // Bytes, not text: the parser refuses a file that is not UTF-8 instead of reading replacement characters.
    const bytes = await readFile(flags.file);
    const { store, target, apiCalls } = await openCommandStore(flags);
    try {
      const corporateCurrency = (await store.getSettings()).bookingsCurrency;
      const parsed = parseRatesCsv(bytes, corporateCurrency);
      const result: CpqRatesImportResult = {
        file: flags.file,
        target,
        dryRun: flags['dry-run'],
        corporateCurrency,
        rows: parsed.rows,
        loaded: 0,
        issues: parsed.issues,
        apiCalls: 0,
      };
      if (parsed.issues.length > 0) {
        const listed = parsed.issues.slice(0, MAX_LISTED).map(formatRateIssue);
        if (parsed.issues.length > MAX_LISTED)
          listed.push(messages.getMessage('error.more', [parsed.issues.length - MAX_LISTED]));
        const error = new SfError(
          messages.getMessage('error.InvalidFile', [flags.file, parsed.issues.length, listed.join('\n')]),
          'InvalidRatesFile',
          messages.getMessages('error.InvalidFile.actions'),
          1,
        );
        error.setData({ issues: parsed.issues });
        throw error;
      }
      if (!flags['dry-run']) {
        await store.importExchangeRates(parsed.rates);
        result.loaded = parsed.rates.length;
      }
      result.apiCalls = apiCalls();
      if (result.dryRun) this.log(messages.getMessage('info.dryRun', [result.rows, corporateCurrency, result.target]));
      else this.log(messages.getMessage('info.loaded', [result.loaded, corporateCurrency, result.target]));
      return result;
    } finally {
      await store.close();
    }
  }
}
