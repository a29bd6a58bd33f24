import {
  isDocumentLanguage,
  quoteDocumentData,
  type DocumentLanguage,
  type QuoteDocumentData,
  type QuoteDocumentInput,
} from '../core/quoteDocument.js';
import { logoContentType, logoDataUrl } from '../core/logo.js';
import type { AccountRecord, QuoteRecord, Viewer } from '../core/records.js';
import { resellerQuote } from '../core/visibility.js';
import type { CpqStore } from '../store/port.js';
import { currentReference, priceStoredQuote } from './pricingContext.js';
import { QuoteService } from './quotes.js';

/**
 * Where the quote document is (QuoteDocumentController.saveDocument). In an org the PDF is saved as a File
 * on the quote and `url` downloads that ContentVersion; locally nothing is stored and `url` renders the
 * document on request (GET /quote/<id>/document.pdf), so `contentVersionId` is null.
 */
export type QuoteDocumentFile = {
  quoteId: string;
  version: number;
  fileName: string;
  url: string;
  contentVersionId: string | null;
};

export function documentFile(quote: Pick<QuoteRecord, 'id' | 'number' | 'version'>): QuoteDocumentFile {
  return {
    quoteId: quote.id,
    version: quote.version,
    fileName: `${quote.number}-v${quote.version}.pdf`,
    url: `/quote/${encodeURIComponent(quote.id)}/document.pdf`,
    contentVersionId: null,
  };
}

/** Countries whose quotes are written in Swedish; every other quote in English (docs/DOCUMENT.md). */
const SWEDISH_COUNTRIES: ReadonlySet<string> = new Set(['SE']);

/**
 * The quote's language: the one asked for, else the end customer's (its country's), else the reseller's,
 * else English.
 */
export function documentLanguage(
  requested: string | undefined,
  endCustomer: Pick<AccountRecord, 'country'> | undefined,
  reseller: Pick<AccountRecord, 'country'> | undefined,
): DocumentLanguage {
  if (isDocumentLanguage(requested)) return requested;
  const country = endCustomer?.country ?? reseller?.country;
  return country !== undefined && SWEDISH_COUNTRIES.has(country.toUpperCase()) ? 'sv' : 'en';
}

/**
 * The first locale of an Accept-Language header ("sv-SE,sv;q=0.9,en;q=0.8" -> "sv-SE"), by weight;
 * undefined for "*" or nothing.
 */
export function preferredLocale(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), weight: q === undefined ? 1 : Number(q.slice(2)), index };
    })
    .filter((e) => e.tag !== '' && e.tag !== '*' && Number.isFinite(e.weight) && e.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked[0]?.tag;
}

/**
 * The quote document's template data for whoever may read the quote (NotFoundError otherwise). Built from
 * the reseller's view of the priced quote (no Net, no distributor figure can reach it) and only its Customer
 * figures are passed on.
 */
export class QuoteDocumentService {
  private readonly quotes: QuoteService;

  public constructor(
    private readonly store: CpqStore,
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10),
  ) {
    this.quotes = new QuoteService(store, today);
  }

  public async templateData(
    viewer: Viewer,
    quoteId: string,
    prefs: { language?: string; locale?: string } = {},
  ): Promise<QuoteDocumentData> {
    const quote = await this.quotes.load(viewer, quoteId);
    return quoteDocumentData(await this.input(quote, prefs));
  }

  private async input(quote: QuoteRecord, prefs: { language?: string; locale?: string }): Promise<QuoteDocumentInput> {
    const [priced, accounts, reference, logo] = await Promise.all([
      priceStoredQuote(this.store, quote, 'state', this.today()),
      this.store.listAccounts(),
      currentReference(this.store),
      this.store.logos?.getLogo(quote.resellerId),
    ]);
    const visible = resellerQuote(priced);
    const account = new Map(accounts.map((a) => [a.id, a]));
    const reseller = account.get(quote.resellerId);
    const endCustomer = account.get(quote.endCustomerId);
    const products = reference.validated.products;
    // Notes are no priced figure: they come from the quote's lines, by line id.
    const lineNotes = new Map(quote.lines.map((l) => [l.id, l.notes]));
    return {
      quote: {
        number: quote.number,
        name: quote.name,
        version: quote.version,
        currency: quote.currency,
        startDate: quote.startDate,
        expiryDate: quote.expiryDate,
        ...(quote.notes ? { notes: quote.notes } : {}),
      },
      reseller: {
        name: reseller?.name ?? quote.resellerId,
        ...(reseller?.quoteTerms ? { terms: reseller.quoteTerms } : {}),
        // The reseller's logo (core/logo.ts), checked again by its first bytes: the PDF embeds it, never fetches it.
        ...(logo && logoContentType(logo.data) === logo.contentType ? { logoUrl: logoDataUrl(logo.contentType, logo.data) } : {}),
      },
      endCustomer: { name: endCustomer?.name ?? quote.endCustomerId },
      lines: visible.lines.map((line) => {
        const product = products.get(line.productId);
        const notes = lineNotes.get(line.lineId);
        return {
          group: line.group,
          product: product?.name ?? line.productId,
          ...(product?.sku ? { sku: product.sku } : {}),
          quantity: line.quantity,
          termMonths: line.termMonths,
          customerUnit: line.customer.unit,
          customerTotal: line.customer.total,
          ...(notes ? { notes } : {}),
        };
      }),
      customerTotal: visible.totals?.customer ?? null,
      issuedOn: this.today(),
      language: documentLanguage(prefs.language, endCustomer, reseller),
      ...(prefs.locale !== undefined ? { locale: prefs.locale } : {}),
    };
  }
}
