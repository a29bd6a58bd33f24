import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startPortalServer, type PortalServer } from '../../plugin/src/preview/server.js';
import { hasChromium, launchChromium, requireChromium, screenshotPath } from './chromium.js';

// The portal as a person uses it: real Chromium, real server on 127.0.0.1, the demo data seeded on start.
describe('portal in Chromium', function () {
  let dir: string;
  let server: PortalServer;
  let browser: BrowserContext;

  before(async function () {
    requireChromium(this);
    if (!hasChromium()) return;
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-browser-'));
    server = await startPortalServer({ dbFile: path.join(dir, 'cpq.db'), port: 0, today: () => '2026-03-15', log: () => {} });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function signInAs(name: string): Promise<Page> {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).to.equal('/login');
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    await page.waitForURL(`${server.url}/`);
    return page;
  }

  it('signs a distributor in through the form and shows its quotes with Net totals', async () => {
    const page = await signInAs('Erik Sandberg');
    const text = await page.textContent('body');
    expect(text).to.contain('Erik Sandberg');
    expect(text).to.contain('Nordlys Distribution AB');
    expect(await page.locator('th', { hasText: /net/i }).count()).to.be.greaterThan(0);
    expect(await page.locator('tbody tr').count()).to.be.greaterThan(0);
    await page.screenshot({ path: screenshotPath('portal-distributor'), fullPage: true });
    await page.close();
  });

  it('shows a reseller its own quotes and no Net column', async () => {
    const page = await signInAs('Astrid Holm');
    expect(await page.textContent('body')).to.contain('Fjord IT Partners');
    expect(await page.locator('th', { hasText: /net/i }).count()).to.equal(0);
    await page.screenshot({ path: screenshotPath('portal-reseller'), fullPage: true });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/login`);
    await page.screenshot({ path: screenshotPath('login'), fullPage: true });
    await page.close();
  });
});
