import { expect } from 'chai';
import { extractText, getDocumentProxy } from 'unpdf';
import { DOCUMENT_TEXTS, formatMoney, quoteDocumentData } from '../../src/core/quoteDocument.js';
import type { PricedQuoteJson } from '../../src/core/serialize.js';
import type { QuoteDetail } from '../../src/services/quotes.js';
import { AccountLogoService } from '../../src/services/logos.js';
import { documentLanguage, preferredLocale } from '../../src/services/quoteDocument.js';
import { DEMO_LOGO_PNG_BASE64 } from '../../src/store/demoLogo.js';
import { REFERENCE, signedIn, startTestPortal, viewer, type PortalClient, type TestPortal, type UserKey } from './fixtures.js';

/** The PDF's text, whitespace (no-break spaces included) folded to single spaces. */
async function pdfText(pdf: Buffer): Promise<string> {
  const proxy = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(proxy, { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

/** A formatted figure as it reads in the extracted text. */
const folded = (value: string): string => value.replace(/\s+/g, ' ').replace(/\u2212/g, '-');

describe('the quote document (GET /quote/:id/document.pdf)', () => {
  let portal: TestPortal;
  const as = {} as Record<UserKey, PortalClient>;
  let grouped: QuoteDetail;

  before(async () => {
    portal = await startTestPortal();
    for (const key of ['vendor', 'd1', 'd2', 'r1', 'r2', 'r3'] as const) as[key] = await signedIn(portal.server, key);
    const r1 = REFERENCE.accounts.find((a) => a.id === 'R1')!;
    await portal.server.store.upsertReferenceData({
      accounts: [{ ...r1, quoteTerms: 'Betalning inom 30 dagar.\n\nLeverans sker elektroniskt.' }],
    });
    grouped = await as.r1.ok<QuoteDetail>('QuoteController.createQuote', {
      quote: {
        name: 'Plattform och införande',
        distributorId: 'D1',
        endCustomerId: 'E1',
        currency: 'USD',
        startDate: '2026-04-01',
        lines: [
          { productId: 'LIC', quantity: '1234', additionalDiscountPercent: '2.5', group: 'Licenser' },
          { productId: 'SVC', quantity: '3', group: 'Tjänster' },
          { productId: 'LIC', quantity: '12', group: 'Licenser' },
        ],
      },
    });
  });
  after(async () => {
    await portal.stop();
  });

  async function download(
    client: PortalClient | undefined,
    quoteId: string,
    query = '',
    headers: Record<string, string> = {},
  ): Promise<{ status: number; type: string; body: Buffer; location: string | null }> {
    const response = await fetch(`${portal.server.url}/quote/${quoteId}/document.pdf${query}`, {
      redirect: 'manual',
      headers: { ...(client?.cookie ? { cookie: client.cookie } : {}), ...headers },
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: Buffer.from(await response.arrayBuffer()),
      location: response.headers.get('location'),
    };
  }

  it('writes the lines by group, Customer prices and totals, in Swedish with sv-SE numbers and dates', async () => {
    const reply = await download(as.r1, grouped.quote.id, '?lang=sv&locale=sv-SE');
    expect(reply.status).to.equal(200);
    expect(reply.type).to.equal('application/pdf');
    expect(reply.body.subarray(0, 5).toString()).to.equal('%PDF-');
    const text = await pdfText(reply.body);
    const sv = DOCUMENT_TEXTS.sv;
    for (const label of [
      sv.title,
      sv.quoteNumber,
      sv.validUntil,
      sv.customer,
      sv.product,
      sv.quantity,
      sv.unitPrice,
      sv.amount,
    ]) {
      expect(text, label).to.include(label);
    }
    expect(text).to.include(`${sv.version}: ${grouped.quote.version}`);
    expect(text).to.include('Reseller One');
    expect(text).to.include('Acme & Sons');
    expect(text).to.include('Plattform och införande');
    expect(text).to.include('Betalning inom 30 dagar.');
    expect(text).to.include('Leverans sker elektroniskt.');
    // sv-SE: a space between thousands, a decimal comma, "US$" after the amount; long Swedish dates.
    expect(text).to.include('1 234');
    expect(text).to.include(
      `${sv.validUntil}: ${new Intl.DateTimeFormat('sv-SE', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${grouped.quote.expiryDate}T00:00:00Z`))}`,
    );
    expect(text).to.include('1 april 2026');
    expect(text).to.include('12 mån');
    // The groups in the order they first appear, each with its subtotal.
    expect(text.indexOf('Licenser')).to.be.greaterThan(-1);
    expect(text.indexOf('Licenser')).to.be.lessThan(text.indexOf('Tjänster'));
    expect(text).to.include(`${sv.subtotal} Licenser`);
    const lines = grouped.pricing.lines;
    for (const line of lines) {
      expect(text, `line ${line.lineId} unit`).to.include(folded(formatMoney(line.customer.unit!, 'USD', 'sv-SE')));
      expect(text, `line ${line.lineId} total`).to.include(folded(formatMoney(line.customer.total!, 'USD', 'sv-SE')));
    }
    const total = folded(formatMoney(grouped.pricing.totals!.customer, 'USD', 'sv-SE'));
    expect(text).to.include(`${sv.total} ${total}`);
    expect(total).to.match(/^\d{1,3}( \d{3})*,\d{2} US\$$/);
  });

  it('prints the quote note under the total and each line note under its own line', async () => {
    const noted = await as.r1.ok<QuoteDetail>('QuoteController.createQuote', {
      quote: {
        distributorId: 'D1',
        endCustomerId: 'E1',
        currency: 'USD',
        startDate: '2026-04-01',
        notes: 'Prices held for orders placed before 30 April.\n\nInstallation on site is included.',
        lines: [
          { productId: 'LIC', quantity: '10', notes: 'Seats for the Malmö office' },
          { productId: 'SVC', quantity: '1' },
          { productId: 'LIC', quantity: '5', notes: 'Second year\nbilled separately' },
        ],
      },
    });
    const text = await pdfText((await download(as.r1, noted.quote.id, '?lang=en&locale=en-US')).body);
    const at = (needle: string, from = 0): number => {
      const index = text.indexOf(needle, from);
      expect(index, `"${needle}" in: ${text}`).to.be.greaterThan(-1);
      return index;
    };
    // Each note follows its own line's amount and precedes the next line.
    const totals = noted.pricing.lines.map((l) => folded(formatMoney(l.customer.total!, 'USD', 'en-US')));
    const first = at('Seats for the Malmö office', at(totals[0]!));
    expect(first).to.be.lessThan(at('Onboarding'));
    const third = at('Second year', at(totals[2]!, at('Onboarding')));
    expect(at('billed separately', third)).to.be.greaterThan(third);
    // The quote's note under its heading, after the total and before the terms.
    const notes = at(`${DOCUMENT_TEXTS.en.notes} Prices held for orders placed before 30 April.`);
    expect(notes).to.be.greaterThan(at(`${DOCUMENT_TEXTS.en.total} `));
    expect(at('Installation on site is included.', notes)).to.be.lessThan(at(DOCUMENT_TEXTS.en.terms, notes));
    // Without notes, no heading: the grouped quote has none.
    const plain = await pdfText((await download(as.r1, grouped.quote.id, '?lang=en')).body);
    expect(plain).not.to.include(`${DOCUMENT_TEXTS.en.notes} `);
  });

  it("prints the reseller's logo when it has one, and no image when it has none", async () => {
    const hasImage = (pdf: Buffer): boolean => /\/Subtype\s*\/Image/.test(pdf.toString('latin1'));
    const before = await download(as.r1, grouped.quote.id, '?lang=en');
    expect(before.status).to.equal(200);
    expect(hasImage(before.body)).to.equal(false);
    const logos = new AccountLogoService(portal.server.store);
    await logos.setLogo(viewer('r1'), Buffer.from(DEMO_LOGO_PNG_BASE64, 'base64'));
    try {
      // The reseller's and its distributor's documents alike; the text is unchanged.
      for (const key of ['r1', 'd1'] as const) {
        const reply = await download(as[key], grouped.quote.id, '?lang=en');
        expect(hasImage(reply.body), key).to.equal(true);
        expect(await pdfText(reply.body)).to.include('Reseller One');
      }
      // Another reseller's quotes carry its own logo, or none.
      const r2Quote = (await as.r2.ok<{ id: string }[]>('QuoteController.listQuotes', {}))[0]!.id;
      expect(hasImage((await download(as.r2, r2Quote, '?lang=en')).body)).to.equal(false);
    } finally {
      await logos.removeLogo(viewer('r1'));
    }
    expect(hasImage((await download(as.r1, grouped.quote.id, '?lang=en')).body)).to.equal(false);
  });

  it('never shows a Partner, Net or margin figure, even to the vendor', async () => {
    const full = (await as.vendor.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: grouped.quote.id }))
      .pricing as PricedQuoteJson;
    const customer = new Set([...full.lines.flatMap((l) => [l.customer.unit!, l.customer.total!]), full.totals!.customer]);
    const hidden = [
      ...full.lines.flatMap((l) => [l.partner.unit!, l.partner.total!, l.net.unit!, l.net.total!]),
      full.totals!.partner,
      full.totals!.net,
      full.totals!.resellerMargin,
      full.totals!.distributorMargin,
    ].filter((v) => !customer.has(v));
    expect(hidden.length).to.be.greaterThan(8);
    for (const key of ['vendor', 'd1', 'r1'] as const) {
      for (const [query, locale] of [
        ['?lang=sv&locale=sv-SE', 'sv-SE'],
        ['?lang=en&locale=en-US', 'en-US'],
      ] as const) {
        const text = await pdfText((await download(as[key], grouped.quote.id, query)).body);
        for (const value of hidden) {
          expect(text, `${key} ${query}: ${value}`).not.to.include(folded(formatMoney(value, 'USD', locale)));
          // Nor the bare number in either notation.
          expect(text, `${key} ${query}: ${value}`).not.to.include(value);
        }
        expect(text).not.to.match(/\b(Partner|Net|Netto|margin|marginal)\b/i);
      }
    }
  });

  it('writes English with en-US numbers, and takes the locale from Accept-Language', async () => {
    const en = await pdfText((await download(as.r1, grouped.quote.id, '?lang=en', { 'accept-language': 'en-GB,en;q=0.8' })).body);
    expect(en).to.include(DOCUMENT_TEXTS.en.validUntil);
    expect(en).to.include(DOCUMENT_TEXTS.en.subtotal);
    expect(en).to.include('1 April 2026'); // en-GB
    expect(en).to.include(folded(formatMoney(grouped.pricing.totals!.customer, 'USD', 'en-GB')));
    expect(en).not.to.include(DOCUMENT_TEXTS.sv.validUntil);
    // No terms on R2's account: the default terms.
    const r2Quote = (await as.r2.ok<{ id: string }[]>('QuoteController.listQuotes', {}))[0]!.id;
    const r2 = await pdfText((await download(as.r2, r2Quote, '?lang=en', { 'accept-language': 'en-GB,en;q=0.8' })).body);
    expect(r2).to.include(DOCUMENT_TEXTS.en.defaultTerms);
    // Rob's own locale (de-DE) wins over his browser's: German amounts in an English document.
    const r2Detail = await as.r2.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: r2Quote });
    const total = r2Detail.pricing.totals!.customer;
    expect(r2).to.include(folded(formatMoney(total, r2Detail.quote.currency, 'de-DE')));
    expect(r2).not.to.include(folded(formatMoney(total, r2Detail.quote.currency, 'en-GB')));
  });

  it('is for whoever may read the quote: 404 to another partner, the login page when signed out', async () => {
    expect((await download(as.r1, grouped.quote.id)).status).to.equal(200);
    expect((await download(as.d1, grouped.quote.id)).status).to.equal(200);
    expect((await download(as.vendor, grouped.quote.id)).status).to.equal(200);
    const other = await download(as.r2, grouped.quote.id);
    expect(other.status).to.equal(404);
    expect(other.type).to.match(/^text\/html/);
    expect((await download(as.r3, grouped.quote.id)).status).to.equal(404);
    expect((await download(as.d2, grouped.quote.id)).status).to.equal(404);
    expect((await download(as.r1, 'no-such-quote')).status).to.equal(404);
    const anonymous = await download(undefined, grouped.quote.id);
    expect(anonymous.status).to.equal(303);
    expect(anonymous.location).to.equal('/login');
  });
});

describe('quote document template data', () => {
  const input = {
    quote: { number: 'Q-1', name: 'Deal', version: 3, currency: 'SEK', startDate: '2026-12-05', expiryDate: '2027-01-04' },
    reseller: { name: 'Fjord IT Partners AB' },
    endCustomer: { name: 'Skärgård Logistics AB' },
    lines: [
      { group: null, product: 'A', quantity: '1000', termMonths: 12, customerUnit: '2900.123', customerTotal: '2900123.00' },
      { group: null, product: 'B', quantity: '0.5', termMonths: null, customerUnit: '10.00', customerTotal: '5.00' },
    ],
    customerTotal: '2900128.00',
    issuedOn: '2026-12-05',
    language: 'sv' as const,
  };

  it('formats exact decimal strings with Intl for the locale, never rounding them', () => {
    const data = quoteDocumentData({ ...input, locale: 'sv-SE' });
    expect(data.totals.customer).to.equal('2\u00a0900\u00a0128,00\u00a0kr');
    expect(data.groups).to.have.length(1);
    expect(data.groups[0]!.name).to.equal(null);
    expect(data.groups[0]!.subtotal).to.equal(null);
    expect(data.groups[0]!.lines[0]).to.include({ qty: '1\u00a0000', term: '12 mån', unit: '2\u00a0900,123\u00a0kr' });
    expect(data.groups[0]!.lines[1]).to.include({ qty: '0,5', term: '' });
    expect(data.validUntil).to.equal('4 januari 2027');
    expect(data.version).to.equal(3);
    expect(data.terms).to.deep.equal([DOCUMENT_TEXTS.sv.defaultTerms]);
    // A float would lose the last digit of this one.
    expect(formatMoney('12345678901234567.15', 'SEK', 'sv-SE')).to.equal(
      '12\u00a0345\u00a0678\u00a0901\u00a0234\u00a0567,15\u00a0kr',
    );
    expect(() => formatMoney('1e3', 'SEK', 'sv-SE')).to.throw('not an exact decimal');
  });

  it('groups lines as the editor does, with exact subtotals', () => {
    const data = quoteDocumentData({
      ...input,
      language: 'en',
      locale: 'en-US',
      lines: [
        { ...input.lines[0]!, group: 'Licences', customerTotal: '0.10' },
        { ...input.lines[1]!, group: null, customerTotal: '0.20' },
        { ...input.lines[1]!, group: 'Licences', customerTotal: '0.20' },
      ],
    });
    expect(data.groups.map((g) => [g.name, g.lines.length, g.subtotal])).to.deep.equal([
      ['Licences', 2, 'SEK\u00a00.30'],
      ['Other items', 1, 'SEK\u00a00.20'],
    ]);
  });

  it('chooses the language and the locale', () => {
    expect(documentLanguage(undefined, { country: 'SE' }, { country: 'DE' })).to.equal('sv');
    expect(documentLanguage(undefined, {}, { country: 'SE' })).to.equal('sv');
    expect(documentLanguage(undefined, { country: 'US' }, { country: 'SE' })).to.equal('en');
    expect(documentLanguage('en', { country: 'SE' }, undefined)).to.equal('en');
    expect(documentLanguage('fr', undefined, undefined)).to.equal('en');
    expect(preferredLocale('en;q=0.5, sv-SE, *')).to.equal('sv-SE');
    expect(preferredLocale(undefined)).to.equal(undefined);
    expect(quoteDocumentData({ ...input, locale: 'not a locale' }).locale).to.equal('sv-SE');
  });
});
