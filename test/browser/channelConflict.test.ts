import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { QuoteDetail } from '../../plugin/src/services/quotes.js';
import { createQuoteInPage, portalInChromium, screenshotPath } from './chromium.js';

/**
 * Channel conflict (CHANNEL.md, docs/DEALS.md) as people meet it in the portal, real Chromium over the demo data:
 * Astrid (Fjord IT Partners) registers Kingsbridge Health Trust for Licenses and Erik (Nordlys) approves it.
 * Olivia (Thames Cloud), who also sells to Kingsbridge, quotes it a licence: the line says "Channel conflict"
 * without naming Fjord IT, the quote offers no Accept, only a request to the vendor; Vera (the vendor admin) sees
 * in her approval inbox which registration it is and approves; Olivia accepts. Astrid's own quote converted from
 * the registration carries the registered-deal bonus. Screenshots in artifacts/screenshots/conflict-*.png.
 */
const LWC = path.resolve(import.meta.dirname, '../../force-app/main/default/lwc');
const hasComponent = (name: string): boolean => existsSync(path.join(LWC, name, `${name}.js`));

const HOLDER = 'Astrid Holm';
const DISTRIBUTOR = 'Erik Sandberg';
const OTHER = 'Olivia Bennett';
const VENDOR = 'Vera Lindqvist';
const CUSTOMER = 'Kingsbridge Health Trust';
const SENTENCE =
  'Another partner has registered this customer for this product family. The vendor must approve before this quote can be accepted.';

describe('channel conflict in Chromium', function () {
  this.timeout(120_000);
  before(function () {
    if (!hasComponent('dealRegistrations')) this.skip();
  });
  const portal = portalInChromium({ dirPrefix: 'cpq-conflict-' });
  let page: Page;
  const story: { deal?: string; quoteId?: string; quoteNumber?: string } = {};

  async function signInAs(name: string): Promise<void> {
    await page?.close();
    page = await portal.signIn(name);
  }

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: screenshotPath(`conflict-${name}`), fullPage: true });
  const editor = (): Locator => page.locator('[data-id="quote-line-editor"]');
  const isoIn = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  /** The server's answer to the signed-in user, through the page's own session. */
  async function apex<T>(target: string, params: unknown): Promise<T> {
    const [cls, method] = target.split('.');
    const response = await page.request.post(`${portal.server.url}/apex/${cls}/${method}`, { data: params });
    expect(response.status(), `${target}: ${await response.text()}`).to.equal(200);
    return (await response.json()) as T;
  }

  async function openDeals(): Promise<void> {
    await page.getByRole('navigation', { name: 'Portal pages' }).getByRole('link', { name: 'Deal registrations' }).click();
    await page.waitForURL(`${portal.server.url}/deals`);
    await page.getByRole('heading', { name: 'Deal registrations', exact: true }).waitFor();
  }

  async function addLicence(): Promise<void> {
    await page.getByLabel('Add a product (search by name, SKU or family)').fill('Analytics Standard');
    const result = page.getByRole('list', { name: 'Matching products' }).getByRole('listitem').first();
    await result.waitFor();
    await result.getByRole('button', { name: 'Add' }).click();
    await page.getByLabel('Quantity for line 1', { exact: true }).waitFor();
  }

  it('Astrid registers Kingsbridge Health Trust for Licenses, and Erik approves it', async () => {
    await signInAs(HOLDER);
    await openDeals();
    await page.getByRole('button', { name: 'Register a deal' }).click();
    await page.getByLabel('Distributor', { exact: true }).selectOption({ label: 'Nordlys Distribution AB' });
    await page.getByRole('button', { name: 'The company is not listed: enter it' }).click();
    // Another reseller's customer: the server finds the existing account (docs/DEALS.md, de-duplication).
    await page.getByLabel('Company name').fill(CUSTOMER);
    await page.getByRole('textbox', { name: 'Country' }).fill('GB');
    await page
      .getByRole('group', { name: 'Product families and estimated quantities' })
      .getByText('Licenses', { exact: true })
      .click();
    await page.getByLabel('Estimated quantity of Licenses').fill('40');
    await page.getByLabel('Expected value').fill('30000.00');
    await page.getByLabel('Expected close date').fill(isoIn(60));
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    const toast = page.getByRole('status').filter({ hasText: /Deal DR-\S+ registered/ });
    await toast.waitFor();
    story.deal = (await toast.textContent())!.match(/Deal (DR-\S+) registered/)![1];

    await signInAs(DISTRIBUTOR);
    await openDeals();
    const item = page.getByRole('region', { name: story.deal, exact: true });
    await item.waitFor();
    await item.getByRole('button', { name: 'Approve', exact: true }).click();
    await item.locator('[data-id="status"]', { hasText: 'Approved' }).waitFor();
    await shot('1-registration-approved');
  });

  it("Olivia's quote for the customer shows the conflict on its licence line, naming no one, and offers no Accept", async function () {
    if (!story.deal) this.skip();
    await signInAs(OTHER);
    story.quoteId = await createQuoteInPage(page, { endCustomer: { label: `${CUSTOMER} (GB)` } });
    await editor().waitFor();
    await addLicence();
    // Priced in the page (c/cpqEngine), told the protected families only.
    const badge = editor().locator('tr[data-line-number="1"] [data-flag="channelConflict"]');
    await badge.waitFor();
    expect(await badge.getAttribute('title')).to.equal(`Line 1: ${SENTENCE}`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Submit for approval' }).waitFor();
    expect(await page.getByRole('button', { name: 'Accept', exact: true }).count(), 'an Accept button').to.equal(0);
    await editor().getByRole('button', { name: 'Price breakdown of line 1' }).click();
    const sentence = page.locator('[data-id="waterfall-channel-conflict"]');
    await sentence.waitFor();
    expect((await sentence.textContent())!.trim()).to.equal(SENTENCE);
    const text = (await page.locator('main').textContent())!;
    for (const holder of ['Fjord IT', 'Astrid', story.deal, 'r-nordic']) expect(text).to.not.contain(holder);
    await shot('2-conflict-on-the-line');
    await page.locator('[data-id="close-waterfall"]').click();
    await sentence.waitFor({ state: 'detached' });
    // The server refuses the acceptance too, in words that name no one.
    const detail = await apex<QuoteDetail>('QuoteController.getQuote', { quoteId: story.quoteId });
    story.quoteNumber = detail.quote.number;
    const refused = await page.request.post(`${portal.server.url}/apex/QuoteController/acceptQuote`, {
      data: { quoteId: story.quoteId, version: detail.quote.version },
    });
    expect(refused.status()).to.equal(422);
    const body = await refused.text();
    expect(body).to.contain('another partner has registered this end customer');
    expect(body).to.not.match(/Fjord|DR-\d|r-nordic/);
  });

  it('Olivia asks for the approval: it goes to the vendor', async function () {
    if (!story.quoteId) this.skip();
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await page.getByLabel(/Why does this quote need/).fill('Kingsbridge asked us for this quote.');
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByRole('button', { name: 'Submit for approval' }).waitFor({ state: 'detached' });
    await shot('3-submitted');
    // Erik (the distributor of both) has nothing to decide: the conflict is the vendor's.
    await signInAs(DISTRIBUTOR);
    await page.getByRole('navigation', { name: 'Portal pages' }).getByRole('link', { name: 'Approvals' }).click();
    await page.waitForURL(`${portal.server.url}/approvals`);
    await page.getByRole('heading', { name: 'Approvals' }).first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('region', { name: story.quoteNumber, exact: true }).count()).to.equal(0);
  });

  it('Vera sees which registration it is in her approval inbox and approves it; Olivia accepts', async function () {
    if (!story.quoteNumber) this.skip();
    await signInAs(VENDOR);
    await page.getByRole('navigation', { name: 'Portal pages' }).getByRole('link', { name: 'Approvals' }).click();
    await page.waitForURL(`${portal.server.url}/approvals`);
    const item = page.getByRole('region', { name: story.quoteNumber, exact: true });
    await item.waitFor();
    const conflict = item.locator('[data-id="channel-conflict"]');
    await conflict.waitFor();
    expect((await conflict.textContent())!.trim()).to.match(
      new RegExp(
        `^Channel conflict: Fjord IT Partners AB registered this customer for Licenses \\(${story.deal}, protected until .+\\)$`,
      ),
    );
    await item.getByLabel(`Your comment on ${story.quoteNumber}`).fill('Thames Cloud has served Kingsbridge for years.');
    await shot('4-vendor-inbox');
    await item.getByRole('button', { name: 'Approve' }).click();
    await item.waitFor({ state: 'detached' });

    await signInAs(OTHER);
    await page.goto(`${portal.server.url}/quotes/${story.quoteId}`);
    await editor()
      .locator('[data-id="status"]')
      .filter({ hasText: /approved/i })
      .waitFor();
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: "Record the customer's acceptance" });
    await dialog.getByRole('button', { name: 'Accept quote' }).click();
    await editor()
      .locator('[data-id="status"]')
      .filter({ hasText: /accepted/i })
      .waitFor();
    await shot('5-accepted');
  });

  it("Astrid's quote converted from the registration carries the registered-deal bonus, and no conflict", async function () {
    if (!story.deal) this.skip();
    // The demo agreement has no bonus: the vendor gives Fjord IT's agreement with Nordlys 5 points (an import would).
    const [agreement] = (await portal.server.store.listAgreements(['r-nordic'])).filter((a) => a.sellerId === 'd-emea');
    await portal.server.store.upsertReferenceData({ agreements: [{ ...agreement!, registeredDealBonusPercent: '5' }] });
    await signInAs(HOLDER);
    await openDeals();
    const item = page.getByRole('region', { name: story.deal, exact: true });
    await item.waitFor();
    await item.getByRole('button', { name: 'Convert to quote' }).click();
    await page.waitForURL(/\/quotes\/[^/]+$/);
    const quoteId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    await editor().locator('[data-id="registered-deal"]').waitFor();
    await addLicence();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Accept', exact: true }).waitFor();
    expect(await editor().locator('[data-flag="channelConflict"]').count()).to.equal(0);
    await shot('6-holder-quote');
    const detail = await apex<QuoteDetail>('QuoteController.getQuote', { quoteId });
    expect(detail.pricing.lines[0]!.partnerDiscount).to.deep.include({
      registeredDealId: story.deal,
      registeredDealBonusPercent: '5',
    });
    expect(detail.pricing.lines[0]!.warnings.map((w) => w.code)).to.not.include('CHANNEL_CONFLICT');
  });
});
