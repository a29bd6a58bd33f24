import { readFile, stat } from 'node:fs/promises';
import { Flags } from '@oclif/core';
import { CommandError, LiteCommand, LiteMessages } from '../../cli/liteCommand.js';
import { priceScenario } from '../../core/priceScenario.js';
import { formatIssues, type ScenarioIssue } from '../../core/validation.js';
import { viewFor, type QuoteView } from '../../core/visibility.js';
import { MAX_QUOTE_LINES, MAX_SCENARIO_BYTES, scenarioTooLarge, tooManyLines } from '../../core/limits.js';

// An offline engine command: a LiteCommand (plain oclif, SfCommand's output shapes) that imports only the
// engine, so that it starts in about half a second instead of 1.5 s (docs/CLI.md).
const messages = LiteMessages.load('cpq.price');

export type CpqPriceResult = QuoteView;

export default class CpqPrice extends LiteCommand<CpqPriceResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    scenario: Flags.file({
      char: 's',
      summary: messages.getMessage('flags.scenario.summary'),
      required: true,
      exists: true,
    }),
    view: Flags.option({
      summary: messages.getMessage('flags.view.summary'),
      options: ['vendor', 'distributor', 'reseller'] as const,
      default: 'vendor' as const,
    })(),
  };

  public async run(): Promise<CpqPriceResult> {
    const { flags } = await this.parse(CpqPrice);
    // Bounded before anything is read: the file's size, then the quote's line count (core/limits.ts).
    const { size } = await stat(flags.scenario);
    if (size > MAX_SCENARIO_BYTES) {
      throw new CommandError(
        scenarioTooLarge(flags.scenario, size),
        'ScenarioTooLarge',
        messages.getMessages('error.ScenarioTooLarge.actions'),
        1,
      );
    }
    const text = await readFile(flags.scenario, 'utf8');
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new CommandError(messages.getMessage('error.NotJson', [flags.scenario, (error as Error).message]), 'NotJson');
    }
    const lines = (document as { quote?: { lines?: unknown } } | null)?.quote?.lines;
    if (Array.isArray(lines) && lines.length > MAX_QUOTE_LINES) {
      this.refuse(flags.scenario, [{ code: 'INVALID_INPUT', path: 'quote.lines', message: tooManyLines('quote', lines.length) }]);
    }
    const priced = priceScenario(document);
    if (!priced.ok) this.refuse(flags.scenario, priced.issues);
    const view = viewFor(priced.quote, flags.view);
    this.printQuote(view);
    return view;
  }

  private refuse(file: string, issues: ScenarioIssue[]): never {
    throw new CommandError(
      messages.getMessage('error.InvalidScenario', [file, issues.length, formatIssues(issues)]),
      'InvalidScenario',
      messages.getMessages('error.InvalidScenario.actions'),
      1,
      { issues },
    );
  }

  private printQuote(quote: QuoteView): void {
    const showNet = 'distributor' in quote;
    this.table(
      `${quote.quoteId ? `Quote ${quote.quoteId}` : 'Quote'} in ${quote.currency} (${quote.channelMode}, ${quote.roundingMode}, priced on ${quote.pricingDate})`,
      quote.lines.map((l) => ({
        line: l.lineId,
        product: l.productId,
        qty: l.quantity,
        list: l.list.unit ?? '-',
        regular: l.regular.unit ?? '-',
        customer: l.customer.unit ?? '-',
        partner: l.partner.unit ?? '-',
        ...(showNet && 'net' in l ? { net: l.net.unit ?? '-' } : {}),
        customerTotal: l.customer.total ?? '-',
        resellerMargin: l.resellerMargin ?? '-',
        ...(showNet && 'distributorMargin' in l ? { distributorMargin: l.distributorMargin ?? '-' } : {}),
        flags: [l.approvalRequired ? 'approval' : '', ...l.errors.map((e) => e.code), ...l.warnings.map((w) => w.code)]
          .filter(Boolean)
          .join(' '),
      })),
    );
    if (quote.totals) {
      const t = quote.totals;
      this.table('Totals', [
        {
          list: t.list,
          regular: t.regular,
          customer: t.customer,
          partner: t.partner,
          ...('net' in t ? { net: t.net } : {}),
          resellerMargin: t.resellerMargin,
          ...('distributorMargin' in t ? { distributorMargin: t.distributorMargin } : {}),
        },
      ]);
    }
    for (const line of quote.lines) {
      for (const issue of [...line.errors, ...line.warnings]) {
        this.log(messages.getMessage('info.lineIssues', [line.lineId, issue.code, issue.message]));
      }
    }
    this.log(messages.getMessage('info.orderable', [quote.orderable ? 'yes' : 'no', quote.approvalRequired ? 'yes' : 'no']));
  }
}
