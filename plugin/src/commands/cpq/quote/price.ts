import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { cliError, findQuote } from '../../../cli/errors.js';
import { diffQuote, hasStoredLinePrices, type PriceDifference } from '../../../cli/quoteDiff.js';
import { openCommandStore, storeFlags } from '../../../cli/store.js';
import type { PricedQuoteJson } from '../../../core/serialize.js';
import { priceStoredQuote } from '../../../services/pricingContext.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@channel-cpq/plugin-cpq', 'cpq.quote.price');

export type CpqQuotePriceResult = {
  quoteId: string;
  quoteNumber: string;
  status: string;
  target: string;
  /** False when a stored price differs from what the engine computes now (exit code 1). */
  matches: boolean;
  /** Whether each line's stored prices were compared (org), or only the quote's totals (local database). */
  comparedLines: boolean;
  differences: PriceDifference[];
  /** The quote as the engine prices it now (vendor view: every figure). */
  computed: PricedQuoteJson;
};

export default class CpqQuotePrice extends SfCommand<CpqQuotePriceResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...storeFlags,
    'quote-id': Flags.string({ char: 'q', summary: messages.getMessage('flags.quote-id.summary'), required: true }),
  };

  public async run(): Promise<CpqQuotePriceResult> {
    const { flags } = await this.parse(CpqQuotePrice);
    const { store, target } = await openCommandStore(flags);
    try {
      const quote = await findQuote(
        (id) => store.getQuote(id),
        (text) => store.listQuotes({ search: text, limit: 10 }),
        flags['quote-id'],
      );
      if (!quote) {
        throw new SfError(messages.getMessage('error.NotFound', [flags['quote-id'], target]), 'NOT_FOUND', [], 1);
      }
      let computed: PricedQuoteJson;
      try {
        computed = await priceStoredQuote(store, quote, 'state');
      } catch (error) {
        throw cliError(error, messages.getMessages('error.NotPriceable.actions'));
      }
      const storedLines = hasStoredLinePrices(store) ? await store.storedLinePrices(quote.id) : undefined;
      const differences = diffQuote(quote, computed, storedLines);
      const result: CpqQuotePriceResult = {
        quoteId: quote.id,
        quoteNumber: quote.number,
        status: quote.status,
        target,
        matches: differences.length === 0,
        comparedLines: storedLines !== undefined,
        differences,
        computed,
      };
      this.report(result);
      if (!result.matches) process.exitCode = 1;
      return result;
    } finally {
      await store.close();
    }
  }

  private report(r: CpqQuotePriceResult): void {
    const t = r.computed.totals;
    this.log(messages.getMessage('info.quote', [r.quoteNumber, r.status, r.computed.currency, r.computed.pricingDate, r.target]));
    if (t) {
      this.table({ title: 'Computed totals', data: [{ list: t.list, customer: t.customer, partner: t.partner, net: t.net }] });
    }
    if (r.matches) {
      this.log(messages.getMessage(r.comparedLines ? 'info.matches' : 'info.matchesTotals'));
      return;
    }
    this.table({ title: 'Differences', data: r.differences });
    this.log(messages.getMessage('info.differs', [r.differences.length]));
  }
}
