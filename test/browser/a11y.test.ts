import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { Role } from '../../plugin/src/core/records.js';
import { PORTAL_PAGES, RECORD_PAGES } from '../../plugin/src/preview/portalRoutes.js';
import { portalInChromium } from './chromium.js';

/**
 * Accessibility (issue 15, docs/PORTAL.md, Accessibility): axe-core run in real Chromium on every page of the
 * portal as each demo role sees it, at 1366 px and at 390 px (a phone). Any violation of impact "serious" or
 * "critical" of the WCAG 2.1 A and AA rules fails the test, named by page, rule, element and axe's help.
 * `npm run test:a11y` runs this file alone; `npm test` runs it with the other mocha files.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FAILING_IMPACTS = new Set(['serious', 'critical']);
const WIDTHS = [1366, 390] as const;

type AxeNode = { target: unknown[]; failureSummary?: string };
type AxeViolation = { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] };

const PEOPLE: { name: string; role: Role; accountId: string }[] = [
  { name: 'Astrid Holm', role: 'resellerUser', accountId: 'r-nordic' },
  { name: 'Erik Sandberg', role: 'distributorUser', accountId: 'd-emea' },
  { name: 'Vera Lindqvist', role: 'vendorAdmin', accountId: 'v-northwind' },
];

/** A page to check: where to go, and what to do there before axe looks (open a panel, a menu, a dialog). */
type Visit = { name: string; path: string; open?: (page: Page) => Promise<void> };

describe('accessibility of every portal page (axe-core, WCAG 2.1 A/AA)', function () {
  this.timeout(180_000);
  const portal = portalInChromium({ dirPrefix: 'cpq-a11y-', today: '2026-03-15' });
  const newPage = (): Promise<Page> => portal.newPage();

  async function signInAs(name: string): Promise<Page> {
    const page = await newPage();
    await page.goto(`${portal.server.url}/login`);
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    await page.waitForURL(`${portal.server.url}/quotes`);
    return page;
  }

  /** Waits until the page's data has arrived and no spinner is left in it. */
  async function settled(page: Page): Promise<void> {
    await page.waitForLoadState('networkidle');
    await page.locator('main lightning-spinner').first().waitFor({ state: 'detached', timeout: 15_000 });
  }

  /**
   * axe-core in the page, evaluated through the debugger protocol (the portal's CSP allows no inline script).
   * The components run in LWC's synthetic shadow, as in an org: its shadow roots refuse getElementById
   * ("Disallowed method"), which axe calls on a label's root to find its control. Without help axe skips the
   * rule on the whole page (color-contrast, among others) and says so only as an "incomplete" result; so the
   * test gives the synthetic roots the method (the element of that id in the root, as a native shadow root
   * answers) and fails on any rule axe could not run.
   */
  async function axeViolations(page: Page, where: string): Promise<string[]> {
    if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
    await page.evaluate(`(() => {
      const root = document.querySelector('portal-app')?.shadowRoot;
      if (!root) return;
      try {
        root.getElementById('x');
        return;
      } catch {}
      Object.defineProperty(Object.getPrototypeOf(root), 'getElementById', {
        configurable: true,
        value(id) { return this.querySelector('#' + CSS.escape(id)); },
      });
    })()`);
    const options = { runOnly: { type: 'tag', values: WCAG_TAGS }, resultTypes: ['violations'] };
    const result = await page.evaluate<{ violations: AxeViolation[]; errors: string[] }>(
      `axe.run(document, ${JSON.stringify(options)}).then((r) => ({
        violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })),
        errors: r.incomplete.filter((v) => v.error).map((v) => v.id + ': ' + v.error.message),
      }))`,
    );
    return [
      ...result.errors.map((error) => `${where}: axe could not run ${error}`),
      ...result.violations
        .filter((v) => v.impact !== null && FAILING_IMPACTS.has(v.impact))
        .flatMap((v) =>
          v.nodes.map(
            (n) =>
              `${where}: ${v.impact} ${v.id} at ${JSON.stringify(n.target)}: ${v.help} (${v.helpUrl})\n    ${n.failureSummary ?? ''}`,
          ),
        ),
    ];
  }

  async function visitsOf(person: (typeof PEOPLE)[number]): Promise<Visit[]> {
    const store = portal.server.store;
    const party =
      person.role === 'resellerUser'
        ? { resellerId: person.accountId }
        : person.role === 'distributorUser'
          ? { distributorId: person.accountId }
          : {};
    // The demo data has, for each role, a quote with lines, an order (where the role has the Orders page) and a
    // contract: a page left out for want of one would pass unseen, so their absence fails the test.
    const quotes = await store.listQuotes(party);
    const quote = quotes.find((q) => q.lines.length > 1);
    // One the reseller may accept: an approved quote, or else a renewal quote (a draft that needs no approval).
    const acceptable =
      quotes.find((q) => q.status === 'Approved') ??
      quotes.find((q) => q.status === 'Draft' && q.renewalOfContractIds.length > 0);
    const order = (await store.listOrders(party))[0];
    const contract = (await store.listContracts(party))[0];
    const hasOrders = (RECORD_PAGES.order.roles as readonly Role[]).includes(person.role);
    expect(quote, `a quote with lines that ${person.name} sees`).to.not.equal(undefined);
    expect(contract, `a contract that ${person.name} sees`).to.not.equal(undefined);
    if (hasOrders) expect(order, `an order that ${person.name} sees`).to.not.equal(undefined);
    const visits: Visit[] = PORTAL_PAGES.filter((p) => p.roles.includes(person.role)).map((p) => ({
      name: p.path,
      path: p.path,
    }));
    visits.push({
      name: 'notifications (bell open)',
      path: '/quotes',
      open: async (page) => {
        await page.locator('[data-id="bell"]').click();
        await page.locator('[data-id="bell"][aria-expanded="true"]').waitFor();
        await page.waitForLoadState('networkidle');
      },
    });
    visits.push({ name: 'not found', path: '/no-such-page' });
    if (person.role === 'resellerUser') {
      for (const [path, button, heading] of [
        ['/quotes', 'New quote', 'New quote'],
        ['/deals', 'Register a deal', 'Register a deal'],
      ] as const)
        visits.push({
          name: `${path}, form "${heading}" open`,
          path,
          open: async (page) => {
            await page.getByRole('button', { name: button, exact: true }).click();
            await page.getByRole('heading', { name: heading, exact: true }).waitFor();
          },
        });
    }
    const editor = `/quotes/${encodeURIComponent(quote!.id)}`;
    visits.push({ name: 'quote editor', path: editor });
    visits.push({
      name: 'quote editor, price breakdown open',
      path: editor,
      open: async (page) => {
        await page.getByRole('button', { name: 'Price breakdown of line 1', exact: true }).click();
        await page.locator('[data-id="waterfall-dock"]').waitFor();
      },
    });
    if (person.role === 'resellerUser') {
      expect(acceptable, `a quote that ${person.name} may accept`).to.not.equal(undefined);
      visits.push({
        name: 'quote editor, acceptance dialog open',
        path: `/quotes/${encodeURIComponent(acceptable!.id)}`,
        open: async (page) => {
          await page.getByRole('button', { name: 'Accept', exact: true }).click();
          await page.getByRole('dialog', { name: "Record the customer's acceptance" }).waitFor();
        },
      });
    }
    if (hasOrders) visits.push({ name: 'order detail', path: `${RECORD_PAGES.order.prefix}${encodeURIComponent(order!.id)}` });
    visits.push({ name: 'contract detail', path: `${RECORD_PAGES.contract.prefix}${encodeURIComponent(contract!.id)}` });
    return visits;
  }

  /**
   * axe at each width on the page as it is: the portal lays out by CSS alone (no component reads the window's
   * width), so resizing the page shows what a phone shows without loading it again.
   */
  async function checkAtEachWidth(page: Page, where: string): Promise<string[]> {
    const found: string[] = [];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      // Two frames: the new layout is drawn before axe measures it.
      await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
      found.push(...(await axeViolations(page, `${where} at ${width} px`)));
    }
    return found;
  }

  it('the sign-in page', async () => {
    const page = await newPage();
    await page.goto(`${portal.server.url}/login`);
    await page
      .getByRole('button', { name: /Sign in as/ })
      .first()
      .waitFor();
    const found = await checkAtEachWidth(page, '/login');
    await page.close();
    expect(found, found.join('\n')).to.deep.equal([]);
  });

  for (const person of PEOPLE) {
    it(`every page of ${person.name} (${person.role})`, async () => {
      const page = await signInAs(person.name);
      const found: string[] = [];
      const visits = await visitsOf(person);
      for (const visit of visits) {
        await page.goto(`${portal.server.url}${visit.path}`);
        await settled(page);
        await visit.open?.(page);
        found.push(...(await checkAtEachWidth(page, `${person.name}: ${visit.name} (${visit.path})`)));
      }
      await page.close();
      expect(found, found.join('\n')).to.deep.equal([]);
    });
  }
});
