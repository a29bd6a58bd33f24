/**
 * The quote document for the end customer: the pure "template data" function. It takes the quote's
 * Customer figures only (never Partner, Net or a margin: its input type has no field for them) and returns
 * every text and figure of the document already worded in the document's language and formatted for the
 * reader's locale, so a renderer only lays it out (the local PDF, plugin/src/preview/quoteDocumentPdf.ts;
 * in an org the Visualforce page QuoteDocument, whose Apex controller builds the same shape).
 * Amounts arrive as exact decimal strings from the server and are formatted with Intl.NumberFormat from the
 * string itself (never through a float): "2900000.00" SEK -> "2 900 000,00 kr" in sv-SE. See docs/DOCUMENT.md.
 */

export const DOCUMENT_LANGUAGES = ['en', 'sv'] as const;
export type DocumentLanguage = (typeof DOCUMENT_LANGUAGES)[number];

export type DocumentTexts = {
  title: string;
  quoteNumber: string;
  version: string;
  issued: string;
  validUntil: string;
  from: string;
  customer: string;
  startDate: string;
  product: string;
  quantity: string;
  term: string;
  unitPrice: string;
  amount: string;
  subtotal: string;
  total: string;
  ungrouped: string;
  terms: string;
  defaultTerms: string;
  acceptance: string;
  /** The heading of the quote's note for the customer. */
  notes: string;
  /** "{n}": a number of months. */
  months: string;
  /** "{currency}": the ISO code. */
  currencyNote: string;
  /** "{page}", "{pages}". */
  page: string;
};

/** Every fixed text of the document, in each language it is written in. */
export const DOCUMENT_TEXTS: Readonly<Record<DocumentLanguage, DocumentTexts>> = {
  en: {
    title: 'Quote',
    quoteNumber: 'Quote number',
    version: 'Version',
    issued: 'Date',
    validUntil: 'Valid until',
    from: 'From',
    customer: 'Customer',
    startDate: 'Start date',
    product: 'Product',
    quantity: 'Quantity',
    term: 'Term',
    unitPrice: 'Unit price',
    amount: 'Amount',
    subtotal: 'Subtotal',
    total: 'Total',
    ungrouped: 'Other items',
    terms: 'Terms',
    defaultTerms: 'Prices exclude VAT. Subscriptions are invoiced in advance for their term.',
    acceptance: 'Accepted by the customer (name, signature, date, purchase order number):',
    notes: 'Notes',
    months: '{n} months',
    currencyNote: 'All amounts in {currency}.',
    page: 'Page {page} of {pages}',
  },
  sv: {
    title: 'Offert',
    quoteNumber: 'Offertnummer',
    version: 'Version',
    issued: 'Datum',
    validUntil: 'Giltig till',
    from: 'Från',
    customer: 'Kund',
    startDate: 'Startdatum',
    product: 'Produkt',
    quantity: 'Antal',
    term: 'Period',
    unitPrice: 'À-pris',
    amount: 'Belopp',
    subtotal: 'Delsumma',
    total: 'Totalt',
    ungrouped: 'Övriga artiklar',
    terms: 'Villkor',
    defaultTerms: 'Priserna är exklusive moms. Prenumerationer faktureras i förskott för hela perioden.',
    acceptance: 'Godkänd av kunden (namn, underskrift, datum, inköpsordernummer):',
    notes: 'Kommentarer',
    months: '{n} mån',
    currencyNote: 'Alla belopp i {currency}.',
    page: 'Sida {page} av {pages}',
  },
};

/** The default locale of each language, when the reader's own locale is not known. */
export const DEFAULT_LOCALE: Readonly<Record<DocumentLanguage, string>> = { en: 'en-US', sv: 'sv-SE' };

/** What the document is made from: the quote's head and its Customer figures, nothing else. */
export type QuoteDocumentInput = {
  quote: {
    number: string;
    name: string;
    version: number;
    currency: string;
    startDate: string;
    /** The quote's expiry date: the document is valid until it (docs/DOCUMENT.md). */
    expiryDate: string;
    /** The quote's note for the customer (plain text). */
    notes?: string;
  };
  reseller: { name: string; terms?: string; logoUrl?: string };
  endCustomer: { name: string };
  lines: {
    group: string | null;
    product: string;
    sku?: string;
    quantity: string;
    termMonths: number | null;
    customerUnit: string | null;
    customerTotal: string | null;
    /** The line's note for the customer (plain text), printed under the line. */
    notes?: string;
  }[];
  customerTotal: string | null;
  /** The date the document is made (YYYY-MM-DD). */
  issuedOn: string;
  language: DocumentLanguage;
  /** A BCP 47 locale for numbers and dates, e.g. "sv-SE"; the language's default when absent or unknown. */
  locale?: string;
};

export type QuoteDocumentLine = {
  product: string;
  sku: string;
  qty: string;
  term: string;
  unit: string;
  total: string;
  /** The line's note, one entry a line of text (blank lines dropped); empty without a note. */
  notes: string[];
};

export type QuoteDocumentData = {
  language: DocumentLanguage;
  locale: string;
  currency: string;
  title: string;
  number: string;
  name: string;
  version: number;
  issued: string;
  startDate: string;
  validUntil: string;
  /** The ISO date the document is valid until. */
  validUntilIso: string;
  parties: { reseller: { name: string; logoUrl?: string }; customer: { name: string } };
  groups: { name: string | null; lines: QuoteDocumentLine[]; subtotal: string | null }[];
  totals: { customer: string };
  /** The reseller's terms, one paragraph an entry; the language's default terms when the reseller has none. */
  terms: string[];
  /** The quote's note for the customer, one entry a line of text (blank lines dropped); empty without a note. */
  notes: string[];
  texts: DocumentTexts;
};

export function isDocumentLanguage(value: unknown): value is DocumentLanguage {
  return typeof value === 'string' && (DOCUMENT_LANGUAGES as readonly string[]).includes(value);
}

/** A locale Intl supports, else the language's default. */
export function resolveLocale(language: DocumentLanguage, locale: string | undefined): string {
  if (locale !== undefined && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale)) {
    const supported = Intl.NumberFormat.supportedLocalesOf([locale]);
    if (supported.length > 0) return supported[0]!;
  }
  return DEFAULT_LOCALE[language];
}

/** The number of decimals written in an exact decimal string. */
function decimalsOf(value: string): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}

const EXACT = /^-?\d+(\.\d+)?$/;

function exact(value: string, what: string): string {
  if (!EXACT.test(value)) throw new Error(`${what}: "${value}" is not an exact decimal string`);
  return value;
}

/**
 * An amount from its exact decimal string, in the locale's currency format. Intl formats a string
 * argument exactly (ECMA-402 NumberFormat v3: no conversion to a float); the decimals the string has are
 * all kept, and at least the currency's own are written.
 */
export function formatMoney(value: string, currency: string, locale: string): string {
  const amount = exact(value, 'amount');
  const currencyDigits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const digits = Math.max(currencyDigits, decimalsOf(amount));
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: Math.min(currencyDigits, digits),
    maximumFractionDigits: digits,
  }).format(amount as unknown as number);
}

/** A quantity from its exact decimal string ("12.5" -> "12,5" in sv-SE). */
export function formatQuantity(value: string, locale: string): string {
  const quantity = exact(value, 'quantity');
  return new Intl.NumberFormat(locale, { maximumFractionDigits: Math.max(0, decimalsOf(quantity)) }).format(
    quantity as unknown as number,
  );
}

/** A YYYY-MM-DD date in the locale's long form ("5 december 2026", "December 5, 2026"), never shifted by a time zone. */
export function formatDate(iso: string, locale: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new Error(`date: "${iso}" is not a date written YYYY-MM-DD`);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}

/** A plain-text note as the lines a document prints: line breaks kept, blank lines and trailing blanks dropped. */
export function noteLines(note: string | undefined): string[] {
  return (note ?? '')
    .split(/\r\n?|\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
}

function sumExact(values: readonly string[]): string {
  // Exact: scaled to the largest number of decimals and added as bigint.
  const scale = Math.max(0, ...values.map(decimalsOf));
  let total = 0n;
  for (const v of values) {
    const negative = v.startsWith('-');
    const [whole = '0', fraction = ''] = (negative ? v.slice(1) : v).split('.');
    const scaled = BigInt(whole + fraction.padEnd(scale, '0'));
    total += negative ? -scaled : scaled;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/**
 * The document's template data. Lines are grouped as in the editor: by their group, in the order groups
 * first appear; when no line has a group there is one group without a name (and no subtotal); lines without
 * a group among grouped ones go under "Other items".
 */
export function quoteDocumentData(input: QuoteDocumentInput): QuoteDocumentData {
  const texts = DOCUMENT_TEXTS[input.language];
  const locale = resolveLocale(input.language, input.locale);
  const currency = input.quote.currency;
  const money = (value: string | null): string => (value === null ? '' : formatMoney(value, currency, locale));
  const anyGroup = input.lines.some((l) => l.group !== null && l.group !== '');
  const groups = new Map<string, { name: string | null; lines: QuoteDocumentLine[]; totals: string[]; priced: boolean }>();
  for (const line of input.lines) {
    const key = anyGroup ? line.group || texts.ungrouped : '';
    let group = groups.get(key);
    if (!group) {
      group = { name: anyGroup ? key : null, lines: [], totals: [], priced: true };
      groups.set(key, group);
    }
    group.lines.push({
      product: line.product,
      sku: line.sku ?? '',
      qty: formatQuantity(line.quantity, locale),
      term: line.termMonths === null ? '' : texts.months.replace('{n}', formatQuantity(String(line.termMonths), locale)),
      unit: money(line.customerUnit),
      total: money(line.customerTotal),
      notes: noteLines(line.notes),
    });
    if (line.customerTotal === null) group.priced = false;
    else group.totals.push(line.customerTotal);
  }
  const terms = (input.reseller.terms ?? '')
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return {
    language: input.language,
    locale,
    currency,
    title: `${texts.title} ${input.quote.number}`,
    number: input.quote.number,
    name: input.quote.name,
    version: input.quote.version,
    issued: formatDate(input.issuedOn, locale),
    startDate: formatDate(input.quote.startDate, locale),
    validUntil: formatDate(input.quote.expiryDate, locale),
    validUntilIso: input.quote.expiryDate,
    parties: {
      reseller: input.reseller.logoUrl
        ? { name: input.reseller.name, logoUrl: input.reseller.logoUrl }
        : { name: input.reseller.name },
      customer: { name: input.endCustomer.name },
    },
    groups: [...groups.values()].map((g) => ({
      name: g.name,
      lines: g.lines,
      subtotal: g.name !== null && g.priced ? money(sumExact(g.totals)) : null,
    })),
    totals: { customer: money(input.customerTotal) },
    terms: terms.length > 0 ? terms : [texts.defaultTerms],
    notes: noteLines(input.quote.notes),
    texts,
  };
}
