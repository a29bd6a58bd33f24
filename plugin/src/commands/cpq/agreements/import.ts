import { readFile } from 'node:fs/promises';
import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import {
  checkAgainstStore,
  checkOrderTerms,
  formatImportIssue,
  parseAgreementsCsv,
  type ImportIssue,
} from '../../../cli/agreementsCsv.js';
import { openCommandStore, storeFlags } from '../../../cli/store.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@channel-cpq/plugin-cpq', 'cpq.agreements.import');

export type CpqAgreementsImportResult = {
  file: string;
  /** "org admin@acme.com" or "local database /path/cpq.db". */
  target: string;
  dryRun: boolean;
  partial: boolean;
  /** Data rows read (the header not counted). */
  rows: number;
  /** Agreements in the file, and their rules and tiers. */
  agreements: number;
  rules: number;
  tiers: number;
  /** Agreements whose order terms (autoFulfil, creditLimit) the file sets (docs/ORDERS.md). */
  orderTerms: number;
  /** Agreements written (0 on a dry run or when the file was refused). */
  loaded: number;
  /** Keys of the agreements left out because of a problem (with --partial). */
  rejected: string[];
  issues: ImportIssue[];
  /** HTTP requests made to the org (0 for the local database). */
  apiCalls: number;
  timings: { parseMs: number; validateMs: number; loadMs: number };
};

/** Files at least this long get a progress bar. */
const PROGRESS_ROWS = 1000;
const MAX_LISTED = 50;

export default class CpqAgreementsImport extends SfCommand<CpqAgreementsImportResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...storeFlags,
    file: Flags.file({ char: 'f', summary: messages.getMessage('flags.file.summary'), required: true, exists: true }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
    partial: Flags.boolean({ summary: messages.getMessage('flags.partial.summary'), default: false }),
  };

  public async run(): Promise<CpqAgreementsImportResult> {
    const { flags } = await this.parse(CpqAgreementsImport);
    // Bytes, not text: the parser refuses a file that is not UTF-8 instead of reading replacement characters.
    const bytes = await readFile(flags.file);
    let lineCount = 1;
    for (const byte of bytes) if (byte === 0x0a) lineCount++;
    const showProgress = lineCount >= PROGRESS_ROWS && !this.jsonEnabled();

    let started = Date.now();
    if (showProgress)
      this.progress.start(
        lineCount,
        {},
        { title: messages.getMessage('progress.parse'), format: '%s | {bar} | {value}/{total} rows' },
      );
    const parsed = await parseAgreementsCsv(bytes, (rows) => showProgress && this.progress.update(rows));
    if (showProgress) {
      this.progress.update(lineCount);
      this.progress.finish();
    }
    const parseMs = Date.now() - started;

    const loadProgress = { started: false };
    const { store, target, apiCalls } = await openCommandStore(flags, {
      onProgress: (event) => {
        if (!showProgress) return;
        if (!loadProgress.started) {
          this.progress.start(
            event.total,
            {},
            { title: messages.getMessage('progress.load'), format: '%s | {bar} | {value}/{total} records' },
          );
          loadProgress.started = true;
        }
        this.progress.update(event.done);
      },
    });
    try {
      started = Date.now();
      if (showProgress) this.spinner.start(messages.getMessage('progress.validate'));
      const withTerms = parsed.agreements.filter((p) => p.orderTerms !== undefined).map((p) => p.agreement.id);
      const [accounts, products, settings, stored, storedTerms] = await Promise.all([
        store.listAccounts(),
        store.listProducts(),
        store.getSettings(),
        store.listAgreements(),
        withTerms.length > 0 ? store.listOrderTerms(withTerms) : Promise.resolve([]),
      ]);
      const bookingsCurrency = settings.bookingsCurrency;
      const orderTerms = checkOrderTerms(parsed.agreements, { accounts, bookingsCurrency, stored: storedTerms });
      const issues = [
        ...parsed.issues,
        ...checkAgainstStore(parsed.agreements, { accounts, products, bookingsCurrency, stored }),
        ...orderTerms.issues,
      ].sort((a, b) => a.row - b.row);
      if (showProgress) this.spinner.stop();
      const validateMs = Date.now() - started;

      const fileBroken = issues.some((i) => i.agreementKey === null);
      const rejected = new Set([
        ...parsed.rejected,
        ...parsed.agreements.filter((p) => p.bad).map((p) => p.agreement.id),
        ...issues.flatMap((i) => i.agreementKey ?? []),
      ]);
      const good = parsed.agreements.filter((p) => !rejected.has(p.agreement.id));
      const allKeys = new Set([...parsed.rejected, ...parsed.agreements.map((p) => p.agreement.id)]);
      const result: CpqAgreementsImportResult = {
        file: flags.file,
        target,
        dryRun: flags['dry-run'],
        partial: flags.partial,
        rows: parsed.rows,
        agreements: allKeys.size,
        rules: parsed.agreements.reduce((n, p) => n + p.agreement.rules.length, 0),
        tiers: parsed.agreements.reduce((n, p) => n + p.agreement.tiers.length, 0),
        orderTerms: withTerms.length,
        loaded: 0,
        rejected: [...rejected].sort(),
        issues,
        apiCalls: 0,
        timings: { parseMs, validateMs, loadMs: 0 },
      };

      if (issues.length > 0 && (!flags.partial || fileBroken || good.length === 0)) {
        const listed = issues.slice(0, MAX_LISTED).map(formatImportIssue);
        if (issues.length > MAX_LISTED) listed.push(messages.getMessage('error.more', [issues.length - MAX_LISTED]));
        const error = new SfError(
          messages.getMessage('error.InvalidFile', [flags.file, issues.length, rejected.size, listed.join('\n')]),
          'InvalidAgreementsFile',
          messages.getMessages(fileBroken ? 'error.InvalidFile.actions.file' : 'error.InvalidFile.actions'),
          1,
        );
        error.setData({ issues, rejected: result.rejected });
        throw error;
      }

      started = Date.now();
      if (!flags['dry-run'] && good.length > 0) {
        // The order terms in the same write as their agreements (one transaction locally; in an org on the
        // agreement records themselves).
        const loading = new Set(good.map((p) => p.agreement.id));
        await store.upsertReferenceData({
          agreements: good.map((p) => p.agreement),
          orderTerms: orderTerms.terms.filter((t) => loading.has(t.agreementId)),
        });
        if (loadProgress.started) this.progress.finish();
        result.loaded = good.length;
      }
      result.timings.loadMs = Date.now() - started;
      result.apiCalls = apiCalls();
      this.report(result);
      return result;
    } finally {
      await store.close();
    }
  }

  private report(result: CpqAgreementsImportResult): void {
    for (const issue of result.issues.slice(0, MAX_LISTED)) this.warn(formatImportIssue(issue));
    if (result.rejected.length > 0)
      this.warn(messages.getMessage('warn.rejected', [result.rejected.length, result.rejected.join(', ')]));
    const counts = [result.rows, result.agreements, result.rules, result.tiers];
    if (result.dryRun) {
      this.log(messages.getMessage('info.dryRun', [...counts, result.agreements - result.rejected.length, result.target]));
    } else {
      this.log(messages.getMessage('info.loaded', [...counts, result.loaded, result.target]));
    }
    if (result.apiCalls > 0) this.log(messages.getMessage('info.apiCalls', [result.apiCalls]));
  }
}
