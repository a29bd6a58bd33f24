import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { QuoteService } from '../../plugin/src/services/quotes.js';
import { demoReferenceData } from '../../plugin/src/store/demo.js';
import { portalInChromium, screenshotPath } from './chromium.js';

// The portal shell as a person uses it: real Chromium, the real server on 127.0.0.1 with the demo data, the
// real bundle (npm run build:portal). The pages' own components are tested in story.test.ts.
describe('portal shell in Chromium', function () {
  const portal = portalInChromium({ dirPrefix: 'cpq-browser-', today: '2026-03-15' });

  async function signInAs(name: string): Promise<Page> {
    const page = await portal.newPage();
    await page.goto(`${portal.server.url}/`);
    expect(new URL(page.url()).pathname).to.equal('/login');
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    await page.waitForURL(`${portal.server.url}/quotes`);
    return page;
  }

  const navLabels = (page: Page): Promise<string[]> =>
    page.getByRole('navigation', { name: 'Portal pages' }).getByRole('link').allInnerTexts();

  it('shows a distributor its name, account and role, and the six pages of its role', async () => {
    const page = await signInAs('Erik Sandberg');
    const header = page.locator('[data-id="signed-in-user"]');
    await header.waitFor();
    expect(await header.textContent()).to.contain('Erik Sandberg');
    expect(await header.textContent()).to.contain('Nordlys Distribution AB');
    expect(await header.textContent()).to.contain('Distributor');
    expect(await navLabels(page)).to.deep.equal([
      'Quotes',
      'Approvals',
      'Orders',
      'Renewals',
      'My agreement',
      'Dashboard',
      'Deal registrations',
    ]);
    expect(await page.getByRole('link', { name: 'Quotes' }).getAttribute('aria-current')).to.equal('page');
    expect(await page.evaluate('document.body.className')).to.equal('slds-scope');
    await page.screenshot({ path: screenshotPath('shell-distributor') });
    await page.close();
  });

  it('draws every icon of the quotes page from the portal’s icon subset, not LBC’s whole libraries', async () => {
    const page = await signInAs('Astrid Holm');
    await page.locator('lightning-primitive-icon svg').first().waitFor();
    // Each icon is drawn (an SVG with shapes), none left empty for want of its template.
    // Playwright's locators pierce the components' (synthetic) shadow roots, where the icons are. An icon
    // first renders empty and is drawn when its category's templates arrive: wait for that, a few seconds.
    const drawn = (): Promise<{ name: string | null; shapes: number }[]> =>
      page
        .locator('lightning-primitive-icon svg')
        .evaluateAll((svgs) =>
          (
            svgs as unknown as { getAttribute(name: string): string | null; querySelectorAll(s: string): { length: number } }[]
          ).map((svg) => ({ name: svg.getAttribute('data-key'), shapes: svg.querySelectorAll('path, circle, g').length })),
        );
    let icons = await drawn();
    for (let wait = 0; wait < 50 && icons.some((icon) => icon.shapes === 0); wait++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      icons = await drawn();
    }
    expect(icons.length).to.be.above(0);
    expect(icons.filter((icon) => icon.shapes === 0)).to.deep.equal([]);
    // The icon templates downloaded: the subset build-portal writes (LBC's utility library alone is 677 KB).
    const libraries = await page.evaluate<{ name: string; bytes: number }[]>(
      `performance.getEntriesByType('resource').filter((e) => /iconSvgTemplates/.test(e.name)).map((e) => ({ name: e.name, bytes: e.decodedBodySize }))`,
    );
    expect(libraries.length).to.be.above(0);
    for (const library of libraries) expect(library.bytes, library.name).to.be.below(100_000);
    await page.close();
  });

  it('keeps the focus in the quote line grid while ArrowDown walks down a long quote', async function () {
    this.timeout(120_000);
    // 300 lines through the service, as the reseller; the grid renders a window of them.
    const reference = demoReferenceData('2026-03-15');
    const eur = new Set(reference.priceBook.filter((e) => e.currency === 'EUR').map((e) => e.productId));
    const products = reference.products.filter((p) => eur.has(p.id) && p.tracksInventory !== true);
    const endCustomerId = reference.accounts.find((a) => a.type === 'endCustomer')!.id;
    const created = await new QuoteService(portal.server.store, () => '2026-03-15').createQuote(
      { userId: 'u-res-nordic', role: 'resellerUser', accountId: 'r-nordic' },
      {
        name: 'Keyboard walk',
        endCustomerId,
        currency: 'EUR',
        startDate: '2026-03-15',
        lines: Array.from({ length: 300 }, (_, i) => ({
          productId: products[i % products.length]!.id,
          quantity: String(1 + (i % 9)),
        })),
      },
    );
    const page = await signInAs('Astrid Holm');
    await page.goto(`${portal.server.url}/quotes/${created.quote.id}`);
    await page.getByLabel('Quantity for line 1', { exact: true }).focus();
    // The focused element, through the components' shadow roots.
    const focused = (): Promise<string | null> =>
      page.evaluate(
        `(() => { let a = document.activeElement; while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement; return a && a.getAttribute('aria-label'); })()`,
      );
    for (let line = 2; line <= 60; line++) {
      await page.keyboard.press('ArrowDown');
      expect(await focused(), `after ArrowDown to line ${line}`).to.equal(`Quantity for line ${line}`);
    }
    for (let line = 59; line >= 40; line--) {
      await page.keyboard.press('ArrowUp');
      expect(await focused(), `after ArrowUp to line ${line}`).to.equal(`Quantity for line ${line}`);
    }
    await page.close();
  });

  it('moves between a reseller’s pages without reloading, with the browser’s back button', async () => {
    const page = await signInAs('Astrid Holm');
    expect(await navLabels(page)).to.deep.equal(['Quotes', 'Renewals', 'My agreement', 'Dashboard', 'Deal registrations']);
    await page.evaluate('window.marker = 42');
    await page.getByRole('link', { name: 'Renewals' }).click();
    await page.waitForURL(`${portal.server.url}/renewals`);
    expect(await page.getByRole('link', { name: 'Renewals' }).getAttribute('aria-current')).to.equal('page');
    expect(await page.title()).to.equal('Renewals · Channel CPQ');
    await page.goBack();
    await page.waitForURL(`${portal.server.url}/quotes`);
    expect(await page.getByRole('link', { name: 'Quotes' }).getAttribute('aria-current')).to.equal('page');
    // Still the same document: the shell routed, the browser did not load a page.
    expect(await page.evaluate('window.marker')).to.equal(42);
    await page.close();
  });

  it('tells a reseller that a distributor’s page and an unknown quote are not found', async () => {
    const page = await signInAs('Astrid Holm');
    for (const url of ['/approvals', '/quotes/no-such-quote']) {
      const response = await page.goto(`${portal.server.url}${url}`);
      expect(response!.status(), url).to.equal(404);
      await page.getByRole('heading', { name: 'Not found' }).waitFor();
    }
    await page.screenshot({ path: screenshotPath('shell-not-found') });
    await page.close();
  });

  it('shows a component’s ShowToastEvent as an SLDS toast that can be closed', async () => {
    const page = await signInAs('Astrid Holm');
    // What ShowToastEvent is: a composed 'lightning__showtoast' event (lightning/platformShowToastEvent).
    const detail = {
      title: 'Quote saved',
      message: 'Quote {0} is saved.',
      messageData: ['Q-0042'],
      variant: 'success',
      mode: 'sticky',
    };
    await page.evaluate(
      `document.querySelector('portal-app').dispatchEvent(new CustomEvent('lightning__showtoast', { bubbles: true, composed: true, detail: ${JSON.stringify(detail)} }))`,
    );
    const toast = page.getByRole('status').filter({ hasText: 'Quote saved' });
    await toast.waitFor();
    expect(await toast.textContent()).to.contain('Quote Q-0042 is saved.');
    expect(await toast.getAttribute('class')).to.contain('slds-theme_success');
    await page.screenshot({ path: screenshotPath('shell-toast') });
    await toast.getByRole('button', { name: 'Close' }).click();
    await toast.waitFor({ state: 'detached' });
    await page.close();
  });

  it('signs out to the sign-in page', async () => {
    const page = await signInAs('Vera Lindqvist');
    expect(await navLabels(page)).to.deep.equal([
      'Quotes',
      'Approvals',
      'Orders',
      'Renewals',
      'Dashboard',
      'Deal registrations',
      'Outbox',
    ]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${portal.server.url}/login`);
    await page.screenshot({ path: screenshotPath('login'), fullPage: true });
    const response = await page.goto(`${portal.server.url}/quotes`);
    expect(new URL(response!.url()).pathname).to.equal('/login');
    await page.close();
  });
});
