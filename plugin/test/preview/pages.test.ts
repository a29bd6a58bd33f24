import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { escapeHtml, shellPage } from '../../src/preview/pages.js';
import { PORTAL_PAGES, portalRouteOf } from '../../src/preview/portalRoutes.js';
import { signedIn, startTestPortal, type PortalClient, type TestPortal } from './fixtures.js';

// The portal's pages: the shell for signed-in users (one per portal URL, 404 where the user may not look),
// the static bundle, SLDS and static resources. A small stand-in bundle keeps these tests independent of
// the real build (test/browser runs the real one).
describe('preview server: the portal shell and its files', () => {
  let portal: TestPortal;
  let portalDir: string;
  let r1: PortalClient;
  let d1: PortalClient;

  before(async () => {
    portalDir = await mkdtemp(path.join(tmpdir(), 'cpq-bundle-'));
    await mkdir(path.join(portalDir, 'chunks'));
    await mkdir(path.join(portalDir, 'resources'));
    await writeFile(path.join(portalDir, 'portal.js'), 'console.log("portal");\n');
    await writeFile(path.join(portalDir, 'chunks/page-AbC123.js'), 'export default 1;\n');
    await writeFile(path.join(portalDir, 'resources/chartjs'), '/* chart */\n');
    await writeFile(
      path.join(portalDir, 'resources.json'),
      JSON.stringify({ chartjs: { contentType: 'application/javascript', file: 'chartjs' } }),
    );
    portal = await startTestPortal({ portalDir });
    r1 = await signedIn(portal.server, 'r1');
    d1 = await signedIn(portal.server, 'd1');
  });
  after(async () => {
    await portal.stop();
    await rm(portalDir, { recursive: true, force: true });
  });

  it('escapes every HTML special character', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).to.equal('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml(undefined)).to.equal('');
  });

  it('writes the signed-in user into the shell so that no markup in a name can close the script element', () => {
    const evil = '</script><script>alert(1)</script> & "x"';
    const page = shellPage({
      user: {
        id: 'u"1',
        name: evil,
        email: 'e',
        role: 'resellerUser',
        accountId: 'R1',
        accountName: evil,
        accountType: 'reseller',
        locale: 'de-DE',
      },
    });
    expect(page).to.not.contain('</script><script>alert(1)');
    // The user's locale is the page's language: the bundle's @salesforce/i18n/locale reads it.
    expect(page).to.contain('<html lang="de-DE">');
    expect(page).to.contain('<meta name="cpq-user-id" content="u&quot;1">');
    const json = /<script type="application\/json" id="cpq-user">(.*?)<\/script>/s.exec(page)![1]!;
    expect(JSON.parse(json)).to.deep.equal({ id: 'u"1', name: evil, role: 'resellerUser', accountId: 'R1', accountName: evil });
  });

  it('answers every portal URL with the shell for a signed-in user, with who is signed in and no records', async () => {
    for (const url of ['/', '/quotes', '/renewals', '/agreement', `/quotes/${portal.world.r1Draft}`]) {
      const page = await r1.request('GET', url);
      expect(page.status, url).to.equal(200);
      expect(page.headers.get('content-type')).to.match(/^text\/html; charset=utf-8/);
      expect(page.text).to.contain('<body class="slds-scope">');
      expect(page.text).to.contain('<script type="module" src="/portal/portal.js"></script>');
      expect(page.text).to.contain('/assets/styles/salesforce-lightning-design-system.min.css');
      expect(page.text).to.contain('"name":"Rita One","role":"resellerUser","accountId":"R1","accountName":"Reseller One"');
      expect(page.text).to.not.contain('cpq-not-found');
      // The records come from the controllers, never in the page.
      expect(page.text).to.not.contain('R1 draft');
      expect(page.headers.get('cache-control')).to.equal('no-store');
      expect(page.headers.get('content-security-policy')).to.contain("script-src 'self'");
      expect(page.headers.get('content-security-policy')).to.not.contain('unsafe-eval');
    }
  });

  it('sends a visitor without a session from any portal URL to the sign-in page', async () => {
    const anonymous = new (r1.constructor as typeof PortalClient)(portal.server.url);
    for (const url of ['/quotes', '/approvals', `/quotes/${portal.world.r1Draft}`]) {
      const reply = await anonymous.request('GET', url);
      expect(reply.status, url).to.equal(303);
      expect(reply.headers.get('location')).to.equal('/login');
    }
  });

  it('serves the deal registrations page to resellers and distributors alike', async () => {
    for (const client of [r1, d1]) {
      const page = await client.request('GET', '/deals');
      expect(page.status).to.equal(200);
      expect(page.text).to.not.contain('cpq-not-found');
    }
  });

  it('answers 404 (and tells the shell) for a page the role may not use', async () => {
    // The dashboard page is open to a reseller for its own scorecard (the channel figures stay refused: 403).
    expect((await r1.request('GET', '/dashboard')).status).to.equal(200);
    for (const url of ['/approvals', '/orders']) {
      const page = await r1.request('GET', url);
      expect(page.status, url).to.equal(404);
      expect(page.text).to.contain('<meta name="cpq-not-found" content="true">');
      expect((await d1.request('GET', url)).status, url).to.equal(200);
    }
  });

  it('answers 404 to a reseller opening another partner’s quote by URL, and to a quote that does not exist', async () => {
    for (const id of [portal.world.r2Ordered.quoteId, portal.world.r3Draft, 'no-such-quote']) {
      const page = await r1.request('GET', `/quotes/${id}`);
      expect(page.status, id).to.equal(404);
      expect(page.text).to.contain('<meta name="cpq-not-found" content="true">');
    }
    // D1 sells to R2: it sees R2's quote, not R3's (D2's reseller).
    expect((await d1.request('GET', `/quotes/${portal.world.r2Ordered.quoteId}`)).status).to.equal(200);
    expect((await d1.request('GET', `/quotes/${portal.world.r3Draft}`)).status).to.equal(404);
  });

  it('opens an order’s page to its distributor and the vendor only, and a contract’s to its parties only (404 otherwise)', async () => {
    const { orderId } = portal.world.r1Activated;
    const vendor = await signedIn(portal.server, 'vendor');
    const d2 = await signedIn(portal.server, 'd2');
    const r2 = await signedIn(portal.server, 'r2');
    expect((await d1.request('GET', `/order/${orderId}`)).status).to.equal(200);
    expect((await vendor.request('GET', `/order/${orderId}`)).status).to.equal(200);
    // The orders list is not a reseller's page: neither is an order's, even its own.
    for (const [who, client, url] of [
      ['r1', r1, `/order/${orderId}`],
      ['d2', d2, `/order/${orderId}`],
      ['d1', d1, '/order/no-such-order'],
    ] as const) {
      const page = await client.request('GET', url);
      expect(page.status, `${who} ${url}`).to.equal(404);
      expect(page.text).to.contain('<meta name="cpq-not-found" content="true">');
    }
    const contracts = await r1.apex<{ id: string; orderId: string }[]>('RenewalController.listContracts');
    const contract = contracts.body.find((c) => c.orderId === orderId);
    expect(contract, 'R1 has the contract of its activated order').to.not.equal(undefined);
    for (const client of [r1, d1, vendor])
      expect((await client.request('GET', `/contract/${contract!.id}`)).status).to.equal(200);
    for (const client of [r2, d2]) expect((await client.request('GET', `/contract/${contract!.id}`)).status).to.equal(404);
    expect((await r1.request('GET', '/contract/no-such-contract')).status).to.equal(404);
    // What the pages read: parties by name; the reseller's answers carry no Net, another partner's are 404.
    const order = await d1.ok<Record<string, unknown>>('OrderController.getOrder', { orderId });
    expect([order.distributorName, order.resellerName, order.quoteNumber]).to.deep.equal([
      'Distri One',
      'Reseller One',
      'Q-00001',
    ]);
    expect(order.netTotal).to.be.a('string');
    const ownOrder = await r1.ok<Record<string, unknown> & { lines: Record<string, unknown>[] }>('OrderController.getOrder', {
      orderId,
    });
    expect(ownOrder).to.not.have.property('netTotal');
    expect(ownOrder.lines[0]).to.not.have.property('net');
    expect((await r2.apex('OrderController.getOrder', { orderId })).status).to.equal(404);
    const seen = await r1.ok<{ endCustomerName: string; subscriptions: Record<string, unknown>[] }>(
      'RenewalController.getContract',
      {
        contractId: contract!.id,
      },
    );
    expect(seen.subscriptions[0]).to.have.property('partnerUnit');
    expect(seen.subscriptions[0]).to.not.have.property('netUnit');
    expect(
      (await d1.ok<{ subscriptions: Record<string, unknown>[] }>('RenewalController.getContract', { contractId: contract!.id }))
        .subscriptions[0],
    ).to.have.property('netUnit');
    expect((await r2.apex('RenewalController.getContract', { contractId: contract!.id })).status).to.equal(404);
  });

  it('previews a stock purchase at the prices replenish then charges, writing nothing until confirmed', async () => {
    type Stock = { productId: string; quantity: string }[];
    const before = await d1.ok<Stock>('OrderController.listInventory');
    const catalog = await d1.ok<{ products: { id: string; tracksInventory: boolean; prices: { currency: string }[] }[] }>(
      'QuoteController.getCatalog',
    );
    const product = catalog.products.find((p) => p.tracksInventory && p.prices.length > 0)!;
    const params = { currencyCode: product.prices[0]!.currency, lines: [{ productId: product.id, quantity: '7' }] };
    const orders = (await d1.ok<unknown[]>('OrderController.listOrders')).length;
    const preview = await d1.ok<{ netTotal: string; lines: { quantity: string; net: string; netTotal: string }[] }>(
      'OrderController.previewReplenishment',
      params,
    );
    expect(preview.lines[0]!.quantity).to.equal('7');
    expect(await d1.ok<Stock>('OrderController.listInventory')).to.deep.equal(before);
    expect(await d1.ok<unknown[]>('OrderController.listOrders')).to.have.length(orders);
    expect((await r1.apex('OrderController.previewReplenishment', params)).status).to.equal(403);
    const bought = await d1.ok<{ netTotal: string; lines: { net: string }[] }>('OrderController.replenish', params);
    expect([bought.netTotal, bought.lines[0]!.net]).to.deep.equal([preview.netTotal, preview.lines[0]!.net]);
  });

  it('answers unknown pages with a plain 404 page', async () => {
    const page = await r1.request('GET', '/nowhere');
    expect(page.status).to.equal(404);
    expect(page.text).to.contain('Not found');
    expect(page.text).to.not.contain('<script');
  });

  it('serves the bundle: the entry revalidated with an ETag, hashed chunks cached for good', async () => {
    const entry = await r1.request('GET', '/portal/portal.js');
    expect(entry.status).to.equal(200);
    expect(entry.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    expect(entry.headers.get('cache-control')).to.equal('no-cache');
    expect(entry.text).to.equal('console.log("portal");\n');
    const etag = entry.headers.get('etag')!;
    const again = await r1.request('GET', '/portal/portal.js', { headers: { 'if-none-match': etag } });
    expect(again.status).to.equal(304);
    expect(again.text).to.equal('');
    const chunk = await r1.request('GET', '/portal/chunks/page-AbC123.js');
    expect(chunk.status).to.equal(200);
    expect(chunk.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
  });

  it('serves no file outside the bundle, SLDS or the static resources', async () => {
    for (const url of [
      '/portal/../package.json',
      '/portal/%2e%2e/%2e%2e/package.json',
      '/portal/chunks/nope.js',
      '/portal/',
      '/assets/../package.json',
      '/assets/%2e%2e/package.json',
      '/resources/resources.json',
      '/resources/chartjs/x',
      '/resources/__proto__',
    ]) {
      const reply = await r1.request('GET', url);
      expect(reply.status, url).to.equal(404);
    }
  });

  it('serves SLDS at /assets and static resources with the content type of their metadata', async () => {
    const css = await new (r1.constructor as typeof PortalClient)(portal.server.url).request(
      'GET',
      '/assets/styles/salesforce-lightning-design-system.min.css',
    );
    expect(css.status).to.equal(200);
    expect(css.headers.get('content-type')).to.equal('text/css; charset=utf-8');
    expect(css.text).to.contain('.slds-button');
    const icons = await r1.request('GET', '/assets/icons/utility-sprite/svg/symbols.svg');
    expect(icons.status).to.equal(200);
    expect(icons.headers.get('content-type')).to.equal('image/svg+xml');
    const chart = await r1.request('GET', '/resources/chartjs');
    expect(chart.status).to.equal(200);
    expect(chart.headers.get('content-type')).to.match(/^application\/javascript/);
    expect(chart.text).to.equal('/* chart */\n');
  });

  it('gives every page an icon, and sends /favicon.ico to it (no 404 on every page)', async () => {
    const anonymous = new (r1.constructor as typeof PortalClient)(portal.server.url);
    for (const [client, url] of [
      [anonymous, '/login'],
      [r1, '/quotes'],
      [r1, '/no-such-page'],
    ] as const) {
      const page = await client.request('GET', url);
      expect(page.text, url).to.contain('<link rel="icon" type="image/png" href="/assets/icons/standard/quotes_60.png">');
    }
    const favicon = await anonymous.request('GET', '/favicon.ico');
    expect(favicon.status).to.equal(301);
    expect(favicon.headers.get('location')).to.equal('/assets/icons/standard/quotes_60.png');
    const icon = await anonymous.request('GET', '/assets/icons/standard/quotes_60.png');
    expect(icon.status).to.equal(200);
    expect(icon.headers.get('content-type')).to.equal('image/png');
  });

  it('says how to build the portal when the bundle is missing', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'cpq-nobundle-'));
    const other = await startTestPortal({ portalDir: empty });
    try {
      const client = await signedIn(other.server, 'r1');
      const page = await client.request('GET', '/quotes');
      expect(page.status).to.equal(503);
      expect(page.text).to.contain('npm run build:portal');
    } finally {
      await other.stop();
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('routes the same pages for the same roles as the shell', async () => {
    const routesFile = path.resolve(import.meta.dirname, '../../src/preview/portal/modules/portal/routes/routes.js');
    const shell = (await import(pathToFileURL(routesFile).href)) as {
      PAGES: { key: string; path: string; roles: string[] }[];
      routeOf(pathname: string): { recordId?: string; key: string } | undefined;
    };
    expect(shell.PAGES.map((p) => ({ path: p.path, roles: p.roles }))).to.deep.equal(PORTAL_PAGES);
    const urls = ['/', '/quotes', '/quotes/Q-1', '/approvals', '/agreement', '/nowhere', '/quotes/a/b'];
    for (const url of [...urls, '/order/O%2D1', '/contract/K-1', '/order/a/b', '/contract/', '/orders/O-1']) {
      const server = portalRouteOf(url);
      const client = shell.routeOf(url);
      expect(server === undefined, url).to.equal(client === undefined);
      if (server?.kind === 'quote') expect(client?.recordId).to.equal(server.quoteId);
      if (server?.kind === 'order') expect([client?.recordId, client?.key]).to.deep.equal([server.orderId, 'orders']);
      if (server?.kind === 'contract') expect([client?.recordId, client?.key]).to.deep.equal([server.contractId, 'renewals']);
      // The record page has the roles of the list page it belongs to.
      if (server?.kind === 'order' || server?.kind === 'contract') {
        expect(server.roles, url).to.deep.equal(shell.PAGES.find((p) => p.key === client?.key)?.roles);
      }
    }
  });
});
