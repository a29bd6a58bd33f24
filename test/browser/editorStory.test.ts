import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { QuoteLineRecord } from '../../plugin/src/core/records.js';
import { priceStoredQuote } from '../../plugin/src/services/pricingContext.js';
import { createQuoteInPage, portalInChromium, screenshotPath } from './chromium.js';

/**
 * The reseller's big quote in Chromium (issue 15 items 2 and 6), on the server `npm start` starts: 200 lines
 * pasted from a spreadsheet, a mass edit of the lines ticked, the save, and totals checked against the
 * engine run here in the test on the lines the test itself wrote (never figures read back from the page);
 * then the quotes list and the quote on a 390 px phone: nothing wider than the screen, the prices on it,
 * every page tab on screen and working, the lines a card each (no sideways scroll of the page or of the
 * lines, a line's Customer total on the screen) and a quantity typed in a card re-priced as the engine does. Screenshots: artifacts/screenshots/editor-*.png.
 */
const LWC = path.resolve(import.meta.dirname, '../../force-app/main/default/lwc');
const hasComponent = (name: string): boolean => existsSync(path.join(LWC, name, `${name}.js`));

const RESELLER = 'Astrid Holm';

/** The spreadsheet's products: every family, volume schedules per line and per quote, a slab. */
const PRODUCTS = [
  { id: 'lic-analytics-std', subscription: false },
  { id: 'lic-designer', subscription: false },
  { id: 'sub-cloud-std', subscription: true },
  { id: 'sub-cloud-pro', subscription: true },
  { id: 'svc-training', subscription: false },
  { id: 'lic-mobile', subscription: false },
  { id: 'sub-backup', subscription: true },
  { id: 'svc-migration', subscription: false },
] as const;

type Row = { productId: string; quantity: string; termMonths?: number; additionalDiscountPercent?: string };

/** Row i of the spreadsheet: quantities 1..9, a 24-month term on every third subscription, 5 % off every fourth. */
function spreadsheetRow(i: number): Row {
  const product = PRODUCTS[i % PRODUCTS.length]!;
  const row: Row = { productId: product.id, quantity: String((i % 9) + 1) };
  if (product.subscription && i % 3 === 0) row.termMonths = 24;
  if (i % 4 === 0) row.additionalDiscountPercent = '5';
  return row;
}

const ROWS = Array.from({ length: 200 }, (_, i) => spreadsheetRow(i));
/** As a spreadsheet copies cells: tab-separated, empty cells kept, a header row first. */
const PASTED = [
  'SKU\tQuantity\tTerm\tDiscount %',
  ...ROWS.map((r) => [r.productId.toUpperCase(), r.quantity, r.termMonths ?? '', r.additionalDiscountPercent ?? ''].join('\t')),
].join('\n');

/** "EUR 1,234,567.80" -> "1234567.80" (the page's en-US amounts). */
const decimalOf = (text: string): string => text.replace(/[^\d.-]/g, '');

describe('a big quote in Chromium: paste, mass edit, and the phone', function () {
  this.timeout(180_000);
  const portal = portalInChromium({ dirPrefix: 'cpq-editor-story-' });
  let page: Page;
  const quote: { id?: string; expected?: Row[] } = {};

  async function signInAs(name: string): Promise<void> {
    await page?.close();
    page = await portal.signIn(name);
  }

  const shot = (name: string, fullPage = true): Promise<Buffer> =>
    page.screenshot({ path: screenshotPath(`editor-${name}`), fullPage });
  const editor = (): Locator => page.locator('[data-id="quote-line-editor"]');
  const totals = (): Locator => editor().locator('[data-id="totals"]');

  it('a reseller pastes 200 lines copied from a spreadsheet into a new quote', async function () {
    if (!hasComponent('quoteLinePaste')) this.skip();
    await signInAs(RESELLER);
    quote.id = await createQuoteInPage(page, { endCustomer: { value: 'c-skargard' }, currency: 'EUR' });
    await totals().waitFor();
    await page.getByRole('button', { name: 'Paste lines from a spreadsheet' }).click();
    // One bad row and nothing is added: the error names the row and the cell.
    await page.getByLabel('Rows to add').fill(`${PASTED}\nNO-SUCH-SKU\t3`);
    await page.getByRole('button', { name: 'Add lines' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: "Row 202: no product with SKU NO-SUCH-SKU is sold in this quote's currency." })
      .waitFor();
    expect(await totals().getAttribute('data-line-count')).to.equal('0');
    await page.getByLabel('Rows to add').fill(PASTED);
    await page.getByRole('button', { name: 'Add lines' }).click();
    await page.getByRole('status').filter({ hasText: '200 lines added' }).waitFor();
    expect(await totals().getAttribute('data-line-count')).to.equal('200');
    await shot('1-pasted', false);
  });

  it('ticks lines (a filter, then all shown, then two more) and sets a quantity and a discount on all of them', async function () {
    if (!quote.id || !hasComponent('quoteLineGrid')) this.skip();
    const filter = page.getByLabel('Filter lines');
    await filter.fill('Cloud Standard');
    const cloudStandard = ROWS.flatMap((r, i) => (r.productId === 'sub-cloud-std' ? [i] : []));
    await page
      .getByRole('status')
      .filter({ hasText: `${cloudStandard.length} of 200 lines` })
      .waitFor();
    await page.getByLabel('Select all lines').check();
    await filter.fill('');
    await page.getByLabel('Select line 1', { exact: true }).check();
    await page.getByLabel('Select line 2', { exact: true }).check();
    const ticked = new Set([...cloudStandard, 0, 1]);
    const massEdit = page.getByRole('region', { name: 'Change the selected lines' });
    await massEdit.getByText(`${ticked.size} lines selected`).waitFor();
    await massEdit.getByLabel('Quantity', { exact: true }).fill('30');
    await massEdit.getByLabel('Additional discount %', { exact: true }).fill('7.5');
    await massEdit.getByRole('button', { name: 'Apply to selected lines' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${ticked.size} lines changed` })
      .waitFor();
    quote.expected = ROWS.map((r, i) => (ticked.has(i) ? { ...r, quantity: '30', additionalDiscountPercent: '7.5' } : r));
    expect(await page.getByLabel('Quantity for line 1', { exact: true }).inputValue()).to.equal('30');
    expect(await page.getByLabel('Additional discount % for line 2', { exact: true }).inputValue()).to.equal('7.5');
    expect(await page.getByLabel('Quantity for line 4', { exact: true }).inputValue()).to.equal(ROWS[3]!.quantity);
    await shot('2-mass-edit', false);
  });

  it('saves the 200 lines, and the totals are the engine’s for the lines as written', async function () {
    if (!quote.expected) this.skip();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await editor().locator('[data-id="unsaved-badge"]').waitFor({ state: 'detached' });
    await totals().locator('[data-total="customer"]').waitFor();
    const saved = (await portal.server.store.getQuote(quote.id!))!;
    // What was saved is what the spreadsheet and the mass edit say, line by line.
    const written = saved.lines.map((l) => ({
      productId: l.productId,
      quantity: Number(l.quantity),
      termMonths: l.termMonths,
      additionalDiscountPercent: l.additionalDiscountPercent === undefined ? undefined : Number(l.additionalDiscountPercent),
    }));
    const wanted = quote.expected.map((r) => ({
      productId: r.productId,
      quantity: Number(r.quantity),
      termMonths: r.termMonths,
      additionalDiscountPercent: r.additionalDiscountPercent === undefined ? undefined : Number(r.additionalDiscountPercent),
    }));
    expect(written).to.deep.equal(wanted);
    // The engine, here, on the test's own lines (with the saved quote's header: parties, currency, dates).
    const lines: QuoteLineRecord[] = quote.expected.map((r, i) => ({ id: `L${i + 1}`, ...r }));
    const expected = (await priceStoredQuote(portal.server.store, { ...saved, lines })).totals!;
    const shown: Record<string, string> = {};
    for (const cell of await totals().locator('[data-total]').all()) {
      shown[(await cell.getAttribute('data-total'))!] = decimalOf((await cell.textContent())!);
    }
    expect(shown).to.deep.equal({
      list: expected.list,
      customer: expected.customer,
      partner: expected.partner,
      resellerMargin: expected.resellerMargin,
    });
    expect([saved.customerTotal, saved.partnerTotal, saved.netTotal]).to.deep.equal([
      expected.customer,
      expected.partner,
      expected.net,
    ]);
    await shot('3-saved', false);
  });

  it('at 390 px the reseller reads the quotes list and the quote: nothing wider than the phone, prices on screen', async function () {
    if (!quote.id || !hasComponent('quoteList')) this.skip();
    await page.setViewportSize({ width: 390, height: 844 });
    const saved = (await portal.server.store.getQuote(quote.id))!;
    // Where it is laid out, not scrolled to: a cell of a table that scrolls sideways inside its card lies
    // past the right edge until somebody scrolls the table.
    const onScreen = async (locator: Locator, what: string): Promise<void> => {
      await locator.waitFor();
      const box = (await locator.boundingBox())!;
      expect(box, `${what} is shown`).to.not.equal(null);
      expect(box.x, `${what}: left edge`).to.be.at.least(0);
      expect(box.x + box.width, `${what}: right edge`).to.be.at.most(390);
    };
    const pageWidth = (): Promise<number> => page.evaluate<number>('document.documentElement.scrollWidth');

    await page.goto(`${portal.server.url}/quotes`);
    const row = page.locator(`tr.quote-row[data-id="${quote.id}"]`);
    await row.waitFor();
    expect(await pageWidth(), 'the quotes list is wider than the phone').to.be.at.most(390);
    const customerTotal = row.getByText(decimalOf(saved.customerTotal!).replace(/\B(?=(\d{3})+(?!\d))/g, ','));
    await onScreen(customerTotal, 'the quote’s customer total in the list');
    await onScreen(row.getByRole('link', { name: saved.number }), 'the quote’s number');
    await shot('4-quotes-390');

    // Every page tab is on the screen and works.
    const tabs = page.getByRole('navigation', { name: 'Portal pages' }).getByRole('link');
    const names = await tabs.allTextContents();
    expect(names.length).to.be.at.least(4);
    for (let i = 0; i < names.length; i += 1) await onScreen(tabs.nth(i), `the ${names[i]!.trim()} tab`);
    await tabs.last().click();
    await page.waitForURL((url) => url.pathname !== '/quotes');

    await page.goto(`${portal.server.url}/quotes/${quote.id}`);
    await totals().locator('[data-total="customer"]').waitFor();
    expect(await pageWidth(), 'the quote is wider than the phone').to.be.at.most(390);
    for (const key of ['customer', 'partner']) await onScreen(totals().locator(`[data-total="${key}"]`), `the ${key} total`);
    await onScreen(editor().getByRole('button', { name: 'Document', exact: true }), 'the Document button');

    // The lines are a card each: neither the page nor the list of lines scrolls sideways, and a line's
    // Customer total lies inside the phone's screen once the line is scrolled to (up or down only).
    const overflow = (locator: Locator): Promise<number[]> =>
      locator.evaluate((e: { scrollWidth: number; clientWidth: number; scrollLeft: number }) => [
        e.scrollWidth,
        e.clientWidth,
        e.scrollLeft,
      ]);
    const [docWidth, docClient] = await overflow(page.locator('html'));
    expect(docWidth, 'the page scrolls sideways').to.be.at.most(docClient!);
    const lines = editor().locator('[data-id="grid-viewport"]');
    const [linesWidth, linesClient] = await overflow(lines);
    expect(linesWidth, 'the list of lines scrolls sideways').to.be.at.most(linesClient!);
    const card = lines.locator('tr[data-line-number="1"]');
    const cardTotal = card.locator('[data-col="customerTotal"]');
    await cardTotal.scrollIntoViewIfNeeded();
    expect((await overflow(lines))[2], 'the list of lines was scrolled sideways').to.equal(0);
    await onScreen(cardTotal, 'line 1’s customer total');
    const box = (await cardTotal.boundingBox())!;
    expect(box.y, 'line 1’s customer total: top edge').to.be.at.least(0);
    expect(box.y + box.height, 'line 1’s customer total: bottom edge').to.be.at.most(844);
    await shot('5-quote-390');

    // A quantity typed in the card re-prices the line: the total the engine gives for the quote with it,
    // in the browser at once, then the server's after the save.
    const changed = { ...saved, lines: saved.lines.map((l, i) => (i === 0 ? { ...l, quantity: '31' } : l)) };
    const wanted = (await priceStoredQuote(portal.server.store, changed)).lines.find((l) => l.lineId === saved.lines[0]!.id)!;
    const before = decimalOf((await cardTotal.textContent())!);
    expect(before, 'line 1 already has the new total').to.not.equal(wanted.customer.total);
    const quantity = card.getByLabel('Quantity for line 1', { exact: true });
    await onScreen(quantity, 'line 1’s quantity');
    await quantity.fill('31');
    await quantity.press('Enter');
    await totals().and(page.locator('[data-pricing-source="local"]')).waitFor();
    expect(decimalOf((await cardTotal.textContent())!), 'line 1’s total in the browser').to.equal(wanted.customer.total);
    await onScreen(editor().getByRole('button', { name: 'Save', exact: true }), 'the Save button');
    await editor().getByRole('button', { name: 'Save', exact: true }).click();
    await editor().locator('[data-id="unsaved-badge"]').waitFor({ state: 'detached' });
    await totals().and(page.locator('[data-pricing-source="server"]')).waitFor();
    expect(decimalOf((await cardTotal.textContent())!), 'line 1’s total from the server').to.equal(wanted.customer.total);
    expect((await portal.server.store.getQuote(quote.id))!.lines[0]!.quantity).to.equal('31');
    await shot('5b-quote-390-edited');

    // The keyboard in the cards: Tab goes through a card as it reads (box, inputs, then the line's buttons),
    // and ArrowDown / ArrowUp keep the focus on the same input from card to card as the window moves.
    const focused = (): Promise<string | null> =>
      page.evaluate(
        `(() => { let a = document.activeElement; while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement; return a && (a.getAttribute('aria-label') || a.getAttribute('title') || a.textContent.trim()); })()`,
      );
    await lines.getByLabel('Select line 3', { exact: true }).focus();
    const stops: (string | null)[] = [];
    for (let i = 0; i < 7; i += 1) {
      await page.keyboard.press('Tab');
      stops.push(await focused());
    }
    const term = ROWS[2]!.productId.startsWith('sub-') ? ['Term (months) for line 3'] : [];
    expect(stops).to.deep.equal(
      [
        'Group for line 3',
        'Quantity for line 3',
        ...term,
        'Additional discount % for line 3',
        'Additional discount amount per unit for line 3',
        'Price breakdown of line 3',
        'Add a note for the customer on line 3',
        'Move line 3 up',
      ].slice(0, 7),
    );
    await lines.getByLabel('Quantity for line 1', { exact: true }).focus();
    for (let line = 2; line <= 40; line += 1) {
      await page.keyboard.press('ArrowDown');
      expect(await focused(), `after ArrowDown to line ${line}`).to.equal(`Quantity for line ${line}`);
    }
    await onScreen(lines.getByLabel('Quantity for line 40', { exact: true }), 'line 40’s quantity');
    for (let line = 39; line >= 25; line -= 1) {
      await page.keyboard.press('ArrowUp');
      expect(await focused(), `after ArrowUp to line ${line}`).to.equal(`Quantity for line ${line}`);
    }
    await page.setViewportSize({ width: 1366, height: 900 });
    await shot('6-quote-1366', false);
  });
});
