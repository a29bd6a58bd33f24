import PDFDocument from 'pdfkit';
import type { QuoteDocumentData } from '../core/quoteDocument.js';

/**
 * Lays out the quote document's template data (core/quoteDocument.ts) as an A4 PDF with pdfkit and its
 * built-in Helvetica (no font files, no native build). Every text comes from the template data: this file
 * words nothing and computes no figure.
 */

/** Characters outside the 14 standard fonts' WinAnsi encoding. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const SPACES = /[\u2007\u2009\u202f]/g;
const MINUS = /[\u2010\u2011\u2212]/g;

/** A text the standard fonts can draw: Intl's narrow spaces as no-break spaces, its minus sign as "-". */
export function winAnsi(text: string): string {
  return [...text.replace(SPACES, '\u00a0').replace(MINUS, '-')]
    .map((c) => {
      const code = c.codePointAt(0)!;
      if (c === '\n' || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(c)) return c;
      return '?';
    })
    .join('');
}

const MARGIN = 50;
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const CONTENT = PAGE_WIDTH - 2 * MARGIN;
const BOTTOM = PAGE_HEIGHT - MARGIN - 20;
/** Product, quantity, term, unit price, amount. */
const COLUMNS = [
  { width: 200, align: 'left' },
  { width: 55, align: 'right' },
  { width: 60, align: 'right' },
  { width: 90, align: 'right' },
  { width: 90, align: 'right' },
] as const;

/** Data URLs of PNG or JPEG images only: a document never fetches anything. */
function logoImage(url: string | undefined): Buffer | undefined {
  const match = url === undefined ? null : /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/=]+)$/.exec(url);
  return match ? Buffer.from(match[2]!, 'base64') : undefined;
}

export function renderQuoteDocumentPdf(data: QuoteDocumentData): Promise<Buffer> {
  const t = data.texts;
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    lang: data.language,
    info: { Title: winAnsi(data.title), Author: winAnsi(data.parties.reseller.name), Subject: winAnsi(data.name) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const text = (value: string, x: number, y: number, options: PDFKit.Mixins.TextOptions = {}): void => {
    doc.text(winAnsi(value), x, y, { lineBreak: false, ...options });
  };
  const ensureRoom = (height: number): void => {
    if (doc.y + height > BOTTOM) {
      doc.addPage();
      doc.y = MARGIN;
    }
  };
  const row = (cells: readonly string[], bold = false): void => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    const height = Math.max(12, doc.heightOfString(winAnsi(cells[0] ?? ''), { width: COLUMNS[0].width }) + 3);
    ensureRoom(height);
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      const column = COLUMNS[i]!;
      if (i === 0) doc.text(winAnsi(cell), x, y, { width: column.width, align: column.align });
      else text(cell, x, y, { width: column.width, align: column.align });
      x += column.width;
    });
    doc.y = y + height;
  };
  /** A note in small italics, indented under the line it belongs to, across the table's width. */
  const lineNote = (lines: readonly string[]): void => {
    doc.font('Helvetica-Oblique').fontSize(8);
    for (const noteLine of lines) {
      const value = winAnsi(noteLine);
      const height = doc.heightOfString(value, { width: CONTENT - 12 }) + 1;
      ensureRoom(height);
      const y = doc.y;
      doc.text(value, MARGIN + 12, y, { width: CONTENT - 12 });
      doc.y = y + height;
    }
    if (lines.length > 0) doc.y += 2;
  };
  const rule = (weight = 0.5): void => {
    doc
      .moveTo(MARGIN, doc.y)
      .lineTo(MARGIN + CONTENT, doc.y)
      .lineWidth(weight)
      .strokeColor('#888888')
      .stroke();
    doc.y += 4;
  };

  // Head: the reseller (logo and name) left, the title right.
  const logo = logoImage(data.parties.reseller.logoUrl);
  let headY = MARGIN;
  if (logo) {
    doc.image(logo, MARGIN, headY, { fit: [140, 50] });
    headY += 56;
  }
  doc.font('Helvetica-Bold').fontSize(14);
  text(data.parties.reseller.name, MARGIN, headY, { width: 280 });
  doc.fontSize(20);
  text(t.title, MARGIN + 280, MARGIN, { width: CONTENT - 280, align: 'right' });
  doc.y = Math.max(headY + 30, MARGIN + 40);

  // Facts: who, which quote, until when.
  const facts: [string, string][] = [
    [t.customer, data.parties.customer.name],
    [t.from, data.parties.reseller.name],
    [t.quoteNumber, data.number],
    [t.version, String(data.version)],
    [t.issued, data.issued],
    [t.validUntil, data.validUntil],
    [t.startDate, data.startDate],
  ];
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(10);
    text(`${label}:`, MARGIN, y, { width: 110 });
    doc.font('Helvetica');
    text(value, MARGIN + 110, y, { width: CONTENT - 110 });
    doc.y = y + 14;
  }
  doc.y += 6;
  doc.font('Helvetica-Bold').fontSize(12);
  doc.text(winAnsi(data.name), MARGIN, doc.y, { width: CONTENT });
  doc.y += 8;

  // Lines, by group, with Customer prices only.
  row([t.product, t.quantity, t.term, t.unitPrice, t.amount], true);
  rule(1);
  for (const group of data.groups) {
    if (group.name !== null) {
      ensureRoom(30);
      doc.y += 4;
      doc.font('Helvetica-Bold').fontSize(10);
      doc.text(winAnsi(group.name), MARGIN, doc.y, { width: CONTENT });
      doc.y += 2;
    }
    for (const line of group.lines) {
      row([line.sku === '' ? line.product : `${line.product} (${line.sku})`, line.qty, line.term, line.unit, line.total]);
      lineNote(line.notes);
    }
    if (group.subtotal !== null) {
      rule();
      row([`${t.subtotal} ${group.name ?? ''}`.trim(), '', '', '', group.subtotal], true);
    }
  }
  rule(1);
  row([t.total, '', '', '', data.totals.customer], true);
  doc.font('Helvetica').fontSize(8);
  doc.text(winAnsi(t.currencyNote.replace('{currency}', data.currency)), MARGIN, doc.y + 2, { width: CONTENT });
  doc.y += 14;

  // The quote's note for the customer, then the reseller's terms, then room for the customer's acceptance.
  if (data.notes.length > 0) {
    ensureRoom(40);
    doc.font('Helvetica-Bold').fontSize(10);
    doc.text(winAnsi(t.notes), MARGIN, doc.y, { width: CONTENT });
    doc.font('Helvetica').fontSize(9);
    for (const noteLine of data.notes) {
      doc.text(winAnsi(noteLine), MARGIN, doc.y + 2, { width: CONTENT });
    }
    doc.y += 12;
  }
  ensureRoom(40);
  doc.font('Helvetica-Bold').fontSize(10);
  doc.text(winAnsi(t.terms), MARGIN, doc.y, { width: CONTENT });
  doc.font('Helvetica').fontSize(9);
  for (const paragraph of data.terms) {
    doc.text(winAnsi(paragraph), MARGIN, doc.y + 2, { width: CONTENT });
  }
  doc.y += 20;
  ensureRoom(50);
  doc.font('Helvetica').fontSize(9);
  doc.text(winAnsi(t.acceptance), MARGIN, doc.y, { width: CONTENT });
  doc.y += 28;
  rule();

  // Footer on every page: the quote, its version and the page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin: without this pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8);
    const page = t.page.replace('{page}', String(i + 1)).replace('{pages}', String(range.count));
    text(`${data.title} · ${t.version} ${data.version} · ${page}`, MARGIN, PAGE_HEIGHT - MARGIN, {
      width: CONTENT,
      align: 'center',
      height: 10,
    });
  }
  doc.end();
  return done;
}
