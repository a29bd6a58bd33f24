import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { DEFAULT_PORTAL_DIR, startPortalServer, type PortalServer } from '../../plugin/src/preview/server.js';

/**
 * Debian's Chromium driven by playwright-core (never a browser download; see TOOLCHAIN-NOTES.md).
 * CI installs it (.ci/run); on a machine without it, browser tests are skipped locally and fail in CI.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

export async function launchChromium(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'cpq-chromium-')), {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Screenshots are test artifacts (artifacts/screenshots, not committed): look at them. */
export function screenshotPath(name: string): string {
  const dir = path.resolve(import.meta.dirname, '../../artifacts/screenshots');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}

/** Skips the suite where Chromium is missing, except in CI where it must be there. */
export function requireChromium(context: Mocha.Context): void {
  if (hasChromium()) return;
  if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}: CI must install it (apt-get install -y chromium)`);
  console.warn(`Chromium not found at ${CHROMIUM}: browser tests skipped (apt-get install -y chromium)`);
  context.skip();
}

/** The portal on a fresh demo database and Chromium, for one suite (portalInChromium). */
export type PortalInChromium = {
  readonly server: PortalServer;
  readonly browser: BrowserContext;
  /** A new page with no session; its page errors and console errors fail the test that made them. */
  newPage(): Promise<Page>;
  /** A new page, signed in as `name` from `start` (the login page, or a page that sends there). */
  signIn(name: string, start?: string): Promise<Page>;
};

/**
 * Registers the suite's hooks (call it inside `describe`): before, a temp folder with a fresh SQLite file, the
 * portal server on it (the demo data seeds itself) and Chromium, skipped where Chromium is missing (but in CI);
 * after, all closed and removed; after each test, no error in any page. `today` pins the server's date.
 * Console errors for answers with status 404 are expected (a page that does not exist answers 404), unless
 * `every404IsAnError`.
 */
export function portalInChromium(options: { dirPrefix: string; today?: string; every404IsAnError?: boolean }): PortalInChromium {
  let dir: string | undefined;
  let server: PortalServer | undefined;
  let browser: BrowserContext | undefined;
  const problems: string[] = [];

  before(async function () {
    requireChromium(this);
    if (!hasChromium()) return;
    if (!existsSync(path.join(DEFAULT_PORTAL_DIR, 'portal.js')))
      throw new Error('the portal bundle is missing: npm run build:portal');
    dir = await mkdtemp(path.join(tmpdir(), options.dirPrefix));
    const today = options.today;
    server = await startPortalServer({
      dbFile: path.join(dir, 'cpq.db'),
      port: 0,
      ...(today === undefined ? {} : { today: () => today }),
      log: () => {},
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(problems.splice(0), 'errors in the browser').to.deep.equal([]);
  });

  const portal: PortalInChromium = {
    get server(): PortalServer {
      return server!;
    },
    get browser(): BrowserContext {
      return browser!;
    },
    async newPage(): Promise<Page> {
      await browser!.clearCookies();
      const page = await browser!.newPage();
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        if (!options.every404IsAnError && /status of 404/.test(message.text())) return;
        problems.push(`console: ${message.text()}`);
      });
      return page;
    },
    async signIn(name: string, start = '/login'): Promise<Page> {
      const page = await portal.newPage();
      await page.goto(`${server!.url}${start}`);
      await page.getByRole('button', { name: `Sign in as ${name}` }).click();
      await page.waitForURL(`${server!.url}/quotes`);
      return page;
    },
  };
  return portal;
}

/**
 * The quotes list's "New quote" form as a person fills it: the end customer (and the currency, when given), then
 * "Create quote"; the new quote's id, from the editor's address it opens on.
 */
export async function createQuoteInPage(
  page: Page,
  choose: { endCustomer: { value: string } | { label: string } | { index: number }; currency?: string },
): Promise<string> {
  await page.getByRole('button', { name: 'New quote' }).click();
  await page.getByLabel('End customer').selectOption(choose.endCustomer);
  if (choose.currency !== undefined) await page.getByLabel('Currency').selectOption({ value: choose.currency });
  await page.getByRole('button', { name: 'Create quote' }).click();
  await page.waitForURL(/\/quotes\/[^/]+$/);
  return decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
}
