import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { DOCUMENT_TEXTS, formatMoney } from '../../plugin/src/core/quoteDocument.js';
import type { PricedQuoteJson } from '../../plugin/src/core/serialize.js';
import { priceStoredQuote } from '../../plugin/src/services/pricingContext.js';
import { documentLanguage } from '../../plugin/src/services/quoteDocument.js';
import { createQuoteInPage, portalInChromium, screenshotPath } from './chromium.js';

/**
 * The partner story end to end, as people do it in the portal: real Chromium, the real server started as
 * `npm start` starts it (a fresh SQLite file, the demo data seeded, today's date), the real bundle. A
 * reseller builds a quote past its discount cap and submits it; its distributor approves; the reseller
 * accepts; the distributor places the order; a renewal is accepted; and another reseller's quote stays out
 * of reach. Each step screenshots its page into artifacts/screenshots/story-*.png.
 */
const LWC = path.resolve(import.meta.dirname, '../../force-app/main/default/lwc');
const hasComponent = (name: string): boolean => existsSync(path.join(LWC, name, `${name}.js`));

const RESELLER = 'Astrid Holm';
const DISTRIBUTOR = 'Erik Sandberg';
const VENDOR = 'Vera Lindqvist';

describe('partner story in Chromium', function () {
  this.timeout(120_000);
  const portal = portalInChromium({ dirPrefix: 'cpq-story-' });
  let page: Page;
  const story: { quoteId?: string; quoteNumber?: string; customerTotals: string[] } = { customerTotals: [] };

  async function signInAs(name: string): Promise<void> {
    await page?.close();
    page = await portal.signIn(name);
  }

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: screenshotPath(`story-${name}`), fullPage: true });
  const editor = (): Locator => page.locator('[data-id="quote-line-editor"]');
  const total = (key: string): Locator => editor().locator(`[data-total="${key}"]`);
  const status = (): Locator => editor().locator('[data-id="status"]');

  async function openQuote(): Promise<void> {
    await page.goto(`${portal.server.url}/quotes/${story.quoteId}`);
    await total('customer').waitFor();
  }

  it('a reseller creates a quote from the quotes page', async function () {
    if (!hasComponent('quoteList')) this.skip();
    await signInAs(RESELLER);
    await page.getByRole('heading', { name: 'Quotes', exact: true }).waitFor();
    story.quoteId = await createQuoteInPage(page, { endCustomer: { index: 1 } });
    await editor().waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /Quote .* created/ })
      .waitFor();
    story.quoteNumber = (await page
      .getByRole('status')
      .filter({ hasText: /created/ })
      .textContent())!.match(/Quote (\S+) created/)![1];
    await shot('1-new-quote');
  });

  it('searches the catalog, adds a product and sees the prices move as the quantity changes', async function () {
    if (!story.quoteId || !hasComponent('quoteLineEditor')) this.skip();
    await page.getByLabel('Add a product (search by name, SKU or family)').fill('Analytics Standard');
    const result = page.getByRole('list', { name: 'Matching products' }).getByRole('listitem').first();
    await result.waitFor();
    await result.getByRole('button', { name: 'Add' }).click();
    const quantity = page.getByLabel('Quantity for line 1', { exact: true });
    await quantity.waitFor();
    await total('customer').waitFor();
    story.customerTotals.push((await total('customer').textContent())!);
    // The new figures come from c/cpqEngine in the page: no Apex call is made while the quantity changes.
    const calls: string[] = [];
    const onRequest = (request: { url: () => string }): void => {
      if (new URL(request.url()).pathname.startsWith('/apex/')) calls.push(new URL(request.url()).pathname);
    };
    page.on('request', onRequest);
    await quantity.fill('25');
    await quantity.press('Enter');
    // (No waitForFunction: the portal's CSP forbids eval, which it needs.)
    await total('customer').filter({ hasNotText: story.customerTotals[0] }).waitFor();
    page.off('request', onRequest);
    story.customerTotals.push((await total('customer').textContent())!);
    expect(story.customerTotals[1]).to.not.equal(story.customerTotals[0]);
    expect(await editor().locator('[data-id="totals"]').getAttribute('data-pricing-source')).to.equal('local');
    expect(calls, 'Apex calls while re-pricing').to.deep.equal([]);
    await shot('2-lines-priced');
  });

  it('gives a discount above the cap, saves and submits the quote for approval', async function () {
    if (!story.quoteId || !hasComponent('quoteLineEditor')) this.skip();
    const discount = page.getByLabel('Additional discount % for line 1', { exact: true });
    await discount.fill('20');
    await discount.press('Enter');
    await editor().locator('[data-id="approval-badge"]').waitFor();
    // Leaving the page with unsaved changes asks first; staying keeps the edit.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('link', { name: 'Quotes', exact: true }).click();
    expect(asked).to.deep.equal(['This quote has unsaved changes. Leave the page and lose them?']);
    expect(new URL(page.url()).pathname).to.equal(`/quotes/${story.quoteId}`);
    expect(await page.getByLabel('Additional discount % for line 1', { exact: true }).inputValue()).to.equal('20');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Submit for approval' }).waitFor();
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await page.getByLabel(/Why does this quote need the discount/).fill('Strategic customer: a three-year platform decision.');
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByRole('button', { name: 'Submit for approval' }).waitFor({ state: 'detached' });
    expect(await status().textContent()).to.match(/approval/i);
    await shot('3-submitted');
  });

  it('the distributor approves it in its approval inbox', async function () {
    if (!story.quoteId || !hasComponent('approvalInbox')) this.skip();
    await signInAs(DISTRIBUTOR);
    await page.getByRole('navigation', { name: 'Portal pages' }).getByRole('link', { name: 'Approvals' }).click();
    await page.waitForURL(`${portal.server.url}/approvals`);
    const item = page.getByRole('region', { name: story.quoteNumber, exact: true });
    await item.waitFor();
    await shot('4-approval-inbox');
    // Each decision carries a comment (CHANNEL.md): without one, the field says so and nothing is sent.
    await item.getByRole('button', { name: 'Approve' }).click();
    await item.getByText('Write a comment for the reseller: every decision carries one.').waitFor();
    await item.getByLabel(`Your comment on ${story.quoteNumber}`).fill('Approved for this platform decision.');
    await item.getByRole('button', { name: 'Approve' }).click();
    await item.waitFor({ state: 'detached' });
    await shot('5-approved');
  });

  it('the reseller accepts the approved quote', async function () {
    if (!story.quoteId || !hasComponent('quoteLineEditor')) this.skip();
    await signInAs(RESELLER);
    await openQuote();
    expect(await status().textContent()).to.match(/approved/i);
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    // A confirmation first: the customer total, and the customer's purchase order number.
    const dialog = page.getByRole('dialog', { name: "Record the customer's acceptance" });
    await dialog.waitFor();
    await dialog.getByLabel("Customer's purchase order number (optional)").fill('PO-2026/4711');
    await shot('6-accept-confirmation');
    await dialog.getByRole('button', { name: 'Accept quote' }).click();
    await status()
      .filter({ hasText: /accepted/i })
      .waitFor();
    await shot('6-accepted');
  });

  it('the distributor places the order on its order desk and activates it', async function () {
    if (!story.quoteId || !hasComponent('orderDesk')) this.skip();
    await signInAs(DISTRIBUTOR);
    await page.getByRole('navigation', { name: 'Portal pages' }).getByRole('link', { name: 'Orders' }).click();
    await page.waitForURL(`${portal.server.url}/orders`);
    const toOrder = page.locator(`tr[data-id="${story.quoteId}"]`);
    await toOrder.waitFor();
    await shot('7-order-desk');
    await toOrder.getByRole('button', { name: 'Place order' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Order \S+ placed/ })
      .waitFor();
    const order = page.locator('tr.order-row', { hasText: story.quoteNumber });
    await order.getByRole('button', { name: 'Activate' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Order \S+ activated/ })
      .waitFor();
    await shot('8-order-activated');
  });

  it('a renewal quote waits for the reseller on its renewals page, and the reseller accepts it', async function () {
    if (!hasComponent('renewalList')) this.skip();
    await signInAs(RESELLER);
    await page.getByRole('navigation', { name: 'Portal pages' }).getByRole('link', { name: 'Renewals' }).click();
    await page.waitForURL(`${portal.server.url}/renewals`);
    // The server's renewal run at start made renewal quotes for the demo contracts ending within 90 days.
    const renewal = page
      .locator('tr.quote-row')
      .filter({ has: page.getByRole('button', { name: 'Accept' }) })
      .first();
    await renewal.waitFor();
    await shot('9-renewals');
    await renewal.getByRole('button', { name: 'Accept' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Renewal \S+ accepted/ })
      .waitFor();
    await shot('10-renewal-accepted');
  });

  it('a reseller cannot open another reseller’s quote by its URL', async () => {
    await signInAs(RESELLER);
    const other = (await portal.server.store.listQuotes({ resellerId: 'r-dach' }))[0]!;
    expect(other, 'a quote of another reseller in the demo data').to.not.equal(undefined);
    const response = await page.goto(`${portal.server.url}/quotes/${encodeURIComponent(other.id)}`);
    expect(response!.status()).to.equal(404);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(await page.locator('main').textContent()).to.contain('not one you may see');
    expect(await page.locator('main').textContent()).to.not.contain(other.name ?? other.id);
    await shot('11-other-resellers-quote');
  });
  // Deal registration (CHANNEL.md, docs/DEALS.md): Astrid registers a new end customer's deal, Erik approves it
  // in his inbox, Astrid converts it to a quote whose editor names the registration. Each page is looked at as
  // its user sees it at 1366 px and at 390 px (a phone): names, not ids; dates in the user's locale (en-US);
  // nothing wider than the screen (a full-page screenshot is as wide as the page).
  const deal: { number?: string } = {};
  const isoIn = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const usDate = (iso: string): string =>
    new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
  const pngWidth = (png: Buffer): number => png.readUInt32BE(16);

  async function shotBothWidths(name: string): Promise<void> {
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.locator('article.slds-card').first().waitFor();
      const png = await shot(`${name}-${width}`);
      expect(pngWidth(png), `${name} at ${width} px: the page is wider than the screen`).to.equal(width);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  async function openDeals(): Promise<void> {
    await page.getByRole('navigation', { name: 'Portal pages' }).getByRole('link', { name: 'Deal registrations' }).click();
    await page.waitForURL(`${portal.server.url}/deals`);
    await page.getByRole('heading', { name: 'Deal registrations', exact: true }).waitFor();
  }

  it('deal registration: a reseller registers a new end customer and family through its distributor', async function () {
    if (!hasComponent('dealRegistrations')) this.skip();
    await signInAs(RESELLER);
    await openDeals();
    await page.getByRole('button', { name: 'Register a deal' }).click();
    await page.getByLabel('Distributor', { exact: true }).selectOption({ label: 'Nordlys Distribution AB' });
    await page.getByRole('button', { name: 'The company is not listed: enter it' }).click();
    await page.getByLabel('Company name').fill('Lofoten Seafood AS');
    await page.getByRole('textbox', { name: 'Country' }).fill('NO');
    // SLDS draws its own box over the real checkbox: people click the label.
    await page
      .getByRole('group', { name: 'Product families and estimated quantities' })
      .getByText('Licenses', { exact: true })
      .click();
    expect(await page.getByLabel('Licenses', { exact: true }).isChecked()).to.equal(true);
    await page.getByLabel('Estimated quantity of Licenses').fill('40');
    await page.getByLabel('Expected value').fill('24000.00');
    await page.getByLabel('Expected close date').fill(isoIn(60));
    await page.getByLabel('Comment for your distributor').fill('Fleet platform decision this quarter.');
    await shotBothWidths('12-deal-form');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    const toast = page.getByRole('status').filter({ hasText: /Deal DR-\S+ registered/ });
    await toast.waitFor();
    deal.number = (await toast.textContent())!.match(/Deal (DR-\S+) registered/)![1];
    const item = page.getByRole('region', { name: deal.number, exact: true });
    await item.waitFor();
    const text = (await item.textContent())!;
    expect(text).to.contain('Lofoten Seafood AS (NO)');
    expect(text).to.contain('Waiting for decision');
    expect(text).to.contain('Nordlys Distribution AB');
    expect(text).to.contain('EUR 24,000.00');
    expect(text).to.contain(usDate(isoIn(60)));
    expect(text).to.not.match(/\bd-emea\b|\br-nordic\b/);
    await shotBothWidths('13-deal-registered');
  });

  it('deal registration: the distributor approves it from its inbox with a comment', async function () {
    if (!deal.number) this.skip();
    await signInAs(DISTRIBUTOR);
    await openDeals();
    const item = page.getByRole('region', { name: deal.number, exact: true });
    await item.waitFor();
    expect(await item.textContent()).to.contain('Fjord IT Partners AB');
    await item.getByLabel(`Your comment on ${deal.number}`).fill('Approved: the customer is yours.');
    await shotBothWidths('14-deal-inbox');
    await item.getByRole('button', { name: 'Approve', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Registration ${deal.number} approved` })
      .waitFor();
    await item.locator('[data-id="status"]', { hasText: 'Approved' }).waitFor();
    expect(await item.textContent()).to.contain(`90 days of protection left, until ${usDate(isoIn(89))}`);
    await shotBothWidths('15-deal-approved');
  });

  it('deal registration: the reseller converts it to a quote, and the editor names the registration', async function () {
    if (!deal.number) this.skip();
    await signInAs(RESELLER);
    await openDeals();
    const item = page.getByRole('region', { name: deal.number, exact: true });
    await item.waitFor();
    expect(await item.textContent()).to.contain('Approved on');
    expect(await item.textContent()).to.contain('by Erik Sandberg');
    await item.getByRole('button', { name: 'Convert to quote' }).click();
    await page.waitForURL(/\/quotes\/[^/]+$/);
    await editor().waitFor();
    const banner = editor().locator('[data-id="registered-deal"]');
    await banner.waitFor();
    expect((await banner.textContent())!.trim()).to.contain(
      `Registered deal ${deal.number} protected until ${usDate(isoIn(89))}`,
    );
    await shotBothWidths('16-deal-quote');
  });

  // The vendor's price floor (issue 12, PRICING.md minNetPercentOfList): the demo's Services family may not be
  // sold at a Net below 50 % of list. Astrid gives 30 % off an onboarding workshop: Customer 70 % of list, her
  // partner discount 8 % and Nordlys's distributor discount 25 % leave a Net of 48.3 % of list, below the
  // floor, and 30 % is above her 15 % cap too. Erik approves his level with a comment, the quote then waits
  // for Vera, who approves the price with a comment; Astrid downloads the document for her customer (its text
  // read back from the PDF: Customer prices and totals, never Partner or Net) and records the acceptance
  // with the customer's purchase order number and the document version.
  const floor: { quoteId?: string; number?: string; version?: number } = {};
  const floorComments = {
    request: 'Onboarding at 30 % off wins the platform decision; the licences carry the margin.',
    distributor: 'Approved for Nordlys: the licences make up for the workshop.',
    vendor: 'Approved below the services floor once, as an entry price for the platform.',
  };

  /** The figures the server prices the floor quote at (the engine in this process, not the page). */
  async function floorPricing(): Promise<PricedQuoteJson> {
    const record = (await portal.server.store.getQuote(floor.quoteId!))!;
    return priceStoredQuote(portal.server.store, record, 'state');
  }

  /** An amount as the portal writes it for an en-US user, without the currency. */
  const amountText = (value: string): string =>
    new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(value));

  async function openApprovals(): Promise<Locator> {
    await page.getByRole('navigation', { name: 'Portal pages' }).getByRole('link', { name: 'Approvals' }).click();
    await page.waitForURL(`${portal.server.url}/approvals`);
    const item = page.getByRole('region', { name: floor.number, exact: true });
    await item.waitFor();
    return item;
  }

  it('price floor: a reseller submits a quote with a services line whose Net falls below the vendor’s floor', async function () {
    if (!hasComponent('quoteLineEditor')) this.skip();
    await signInAs(RESELLER);
    floor.quoteId = await createQuoteInPage(page, { endCustomer: { value: 'c-skargard' }, currency: 'EUR' });
    floor.number = (await portal.server.store.getQuote(floor.quoteId))!.number;
    await total('customer').waitFor();
    const search = page.getByLabel('Add a product (search by name, SKU or family)');
    for (const [name, quantity] of [
      ['Analytics Standard', '5'],
      ['Onboarding workshop', '2'],
    ] as const) {
      await search.fill(name);
      const result = page.getByRole('list', { name: 'Matching products' }).getByRole('listitem').first();
      await result.waitFor();
      await result.getByRole('button', { name: 'Add' }).click();
      const line = name === 'Analytics Standard' ? 1 : 2;
      const field = page.getByLabel(`Quantity for line ${line}`, { exact: true });
      await field.fill(quantity);
      await field.press('Enter');
    }
    const discount = page.getByLabel('Additional discount % for line 2', { exact: true });
    await discount.fill('30');
    await discount.press('Enter');
    await editor().locator('[data-id="approval-badge"]').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await page.getByLabel(/Why does this quote need the discount/).fill(floorComments.request);
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByRole('button', { name: 'Submit for approval' }).waitFor({ state: 'detached' });
    expect(await status().textContent()).to.match(/approval/i);
    // The server's pricing: the workshop line is below the Services family floor, so the vendor must approve.
    const priced = await floorPricing();
    const workshop = priced.lines[1]!;
    expect(workshop.productId).to.equal('svc-onboarding');
    expect(workshop.priceFloor).to.deep.equal({ percent: '50', source: 'family' });
    // Net total x 100 % < List total x 50 % (PRICING.md), exactly: EUR cents as integers.
    const cents = (value: string | null): bigint => BigInt(value!.replace('.', ''));
    expect(cents(workshop.net.total) * 100n < cents(workshop.list.total) * 50n).to.equal(true);
    expect(workshop.vendorApprovalRequired).to.equal(true);
    expect(priced.lines[0]!.vendorApprovalRequired).to.equal(false);
    expect([priced.approvalRequired, priced.vendorApprovalRequired]).to.deep.equal([true, true]);
    // The reseller is never shown the Net price nor the floor it is held against.
    expect(await editor().textContent()).to.not.match(/\bNet\b|floor/i);
    await shot('17-floor-submitted');
  });

  it('price floor: the distributor approves its level with a comment, and the quote still needs the vendor', async function () {
    if (!floor.quoteId || !hasComponent('approvalInbox')) this.skip();
    await signInAs(DISTRIBUTOR);
    const item = await openApprovals();
    const text = (await item.textContent())!;
    expect(text).to.contain('Waiting for the distributor’s approval');
    expect(text).to.contain(floorComments.request);
    expect(text).to.contain('50 % of list (family)');
    await item.getByLabel(`Your comment on ${floor.number}`).fill(floorComments.distributor);
    await shot('18-floor-distributor-inbox');
    await item.getByRole('button', { name: 'Approve', exact: true }).click();
    await item.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'now waits for the vendor’s approval' }).waitFor();
    // Decided at the distributor's level: it leaves the distributor's inbox, and waits for the vendor.
    await page.reload();
    await page.getByRole('heading', { name: 'Approvals', exact: true }).waitFor();
    await page.locator('main article.slds-card').first().waitFor();
    expect(await page.getByRole('region', { name: floor.number, exact: true }).count()).to.equal(0);
    const pending = (await portal.server.store.listApprovals([floor.quoteId])).filter((a) => a.status === 'Pending');
    expect(pending.map((a) => a.level)).to.deep.equal(['Vendor']);
    // The reseller cannot have it accepted yet.
    await signInAs(RESELLER);
    await page.goto(`${portal.server.url}/quotes/${floor.quoteId}`);
    await total('customer').waitFor();
    expect(await status().textContent()).to.match(/approval/i);
    expect(await page.getByRole('button', { name: 'Accept', exact: true }).count()).to.equal(0);
    const history = (await editor().locator('[data-id="approval-history"]').textContent())!;
    expect(history).to.contain(DISTRIBUTOR);
    expect(history).to.contain(floorComments.distributor);
    const waiting = editor().locator('[data-id="approval-history"] li[data-approval-status="Pending"]');
    expect(await waiting.textContent()).to.contain('Vendor’s approval');
    await shot('19-floor-waits-for-vendor');
  });

  it('price floor: the vendor approves the price in her approvals page, with a comment', async function () {
    if (!floor.quoteId || !hasComponent('approvalInbox')) this.skip();
    await signInAs(VENDOR);
    const item = await openApprovals();
    const text = (await item.textContent())!;
    expect(text).to.contain('Waiting for the vendor’s approval');
    expect(text).to.contain('50 % of list (family)');
    const priced = await floorPricing();
    expect(text).to.contain(amountText(priced.totals!.net));
    expect(text).to.contain(amountText(priced.lines[1]!.net.total!));
    // The figures the vendor decides on are on the screen, not past the edge of a table scrolled sideways.
    const cell = (await item.locator('tr.line td.floor').boundingBox())!;
    const shown = (await item.locator('.lines-scroll').boundingBox())!;
    expect(cell.x + cell.width, 'the vendor floor column: right edge').to.be.at.most(shown.x + shown.width);
    // The vendor says why it lets a price below its floor through.
    await item.getByRole('button', { name: 'Approve', exact: true }).click();
    await item.getByRole('alert').filter({ hasText: 'a comment is required' }).waitFor();
    await item.getByLabel(`Your comment on ${floor.number}`).fill(floorComments.vendor);
    await shot('20-floor-vendor-inbox');
    await item.getByRole('button', { name: 'Approve', exact: true }).click();
    await item.waitFor({ state: 'detached' });
    const approvals = await portal.server.store.listApprovals([floor.quoteId]);
    expect(approvals.map((a) => [a.level, a.status, a.decisionComment])).to.deep.include.members([
      ['Distributor', 'Approved', floorComments.distributor],
      ['Vendor', 'Approved', floorComments.vendor],
    ]);
    await shot('21-floor-vendor-approved');
  });

  it('quote document: the reseller downloads it from the editor, with Customer prices and totals only', async function () {
    if (!floor.quoteId || !hasComponent('quoteLineEditor')) this.skip();
    await signInAs(RESELLER);
    await page.goto(`${portal.server.url}/quotes/${floor.quoteId}`);
    await total('customer').waitFor();
    expect(await status().textContent()).to.match(/approved/i);
    // The Document button opens the PDF; its bytes are fetched with the page's own session.
    const request = page.context().waitForEvent('request', (r) => r.url().includes('/document.pdf'));
    await page.getByRole('button', { name: 'Document', exact: true }).click();
    const url = (await request).url();
    for (const other of page.context().pages()) if (other !== page) await other.close();
    const reply = await page.request.get(url);
    expect(reply.status()).to.equal(200);
    expect(reply.headers()['content-type']).to.equal('application/pdf');
    const proxy = await getDocumentProxy(new Uint8Array(await reply.body()));
    const text = (await extractText(proxy, { mergePages: true })).text.replace(/\s+/g, ' ');
    const folded = (value: string): string => value.replace(/\s+/g, ' ').replace(/\u2212/g, '-');
    const record = (await portal.server.store.getQuote(floor.quoteId))!;
    floor.version = record.version;
    const accounts = await portal.server.store.listAccounts();
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const texts = DOCUMENT_TEXTS[documentLanguage(undefined, byId.get(record.endCustomerId), byId.get(record.resellerId))];
    expect(text).to.contain(record.number);
    expect(text).to.contain(`${texts.version}: ${record.version}`);
    expect(text).to.contain(byId.get(record.resellerId)!.name);
    expect(text).to.contain(byId.get(record.endCustomerId)!.name);
    const priced = await floorPricing();
    const money = (value: string): string => folded(formatMoney(value, priced.currency, 'en-US'));
    for (const line of priced.lines) {
      expect(text, `line ${line.productId}: customer unit price`).to.contain(money(line.customer.unit!));
      expect(text, `line ${line.productId}: customer amount`).to.contain(money(line.customer.total!));
    }
    expect(text).to.contain(`${texts.total} ${money(priced.totals!.customer)}`);
    const hidden = [
      ...priced.lines.flatMap((l) => [l.partner.unit!, l.partner.total!, l.net.unit!, l.net.total!]),
      priced.totals!.partner,
      priced.totals!.net,
      priced.totals!.resellerMargin,
      priced.totals!.distributorMargin,
    ];
    expect(hidden).to.have.length(12);
    for (const value of hidden) {
      expect(text, `a Partner, Net or margin figure: ${value}`).to.not.contain(money(value));
      expect(text, `a Partner, Net or margin figure: ${value}`).to.not.contain(value);
    }
    expect(text).to.not.match(/\b(Partner|Net|Netto|margin|marginal)\b/i);
  });

  it('quote document: the acceptance records the customer’s purchase order number and the document version', async function () {
    if (!floor.version || !hasComponent('quoteLineEditor')) this.skip();
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: "Record the customer's acceptance" });
    await dialog.waitFor();
    const priced = await floorPricing();
    const summary = (await dialog.locator('[data-id="accept-summary"]').textContent())!.replace(/\s+/g, ' ');
    expect(summary).to.contain(`document version ${floor.version}, for`);
    expect(summary).to.contain(amountText(priced.totals!.customer));
    await dialog.getByLabel("Customer's purchase order number (optional)").fill('PO 7788/B');
    await dialog.getByRole('button', { name: 'Accept quote' }).click();
    await status()
      .filter({ hasText: /accepted/i })
      .waitFor();
    const record = (await portal.server.store.getQuote(floor.quoteId!))!;
    expect(record.status).to.equal('Accepted');
    expect(record.purchaseOrderNumber).to.equal('PO 7788/B');
    expect(record.acceptedDocumentVersion).to.equal(floor.version);
    await shot('22-floor-accepted');
  });
});
