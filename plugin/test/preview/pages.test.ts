import { expect } from 'chai';
import { escapeHtml } from '../../src/preview/pages.js';
import type { QuoteDetail, QuoteSummary } from '../../src/services/quotes.js';
import { signedIn, startTestPortal, type PortalClient, type TestPortal } from './fixtures.js';

describe('preview server: the portal page', () => {
  let portal: TestPortal;
  let r1: PortalClient;
  const evil = '<script>alert("pwned")</script> & <img src=x onerror=alert(1)>';

  before(async () => {
    portal = await startTestPortal();
    r1 = await signedIn(portal.server, 'r1');
    await r1.ok<QuoteDetail>('QuoteController.createQuote', {
      quote: {
        name: evil,
        endCustomerId: 'E1',
        currency: 'USD',
        startDate: '2026-04-01',
        lines: [{ productId: 'SVC', quantity: '1' }],
      },
    });
  });
  after(async () => {
    await portal.stop();
  });

  it('escapes every HTML special character', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).to.equal('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml(undefined)).to.equal('');
  });

  it('shows who is signed in and the reseller’s own quotes, without Net', async () => {
    const page = await r1.request('GET', '/');
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html; charset=utf-8/);
    expect(page.text).to.contain('Rita One · Reseller One (reseller user)');
    const own = await r1.ok<QuoteSummary[]>('QuoteController.listQuotes', {});
    for (const q of own) expect(page.text).to.contain(`<td>${q.number}</td>`);
    expect(page.text).to.contain('R1 draft');
    expect(page.text).to.not.contain('R2 services');
    expect(page.text).to.not.contain('R3 draft');
    expect(page.text).to.contain('<th class="num">Customer total</th>');
    expect(page.text).to.not.contain('Net total');
    expect(page.text).to.contain('Acme &amp; Sons');
    expect(page.text).to.contain('action="/logout"');
  });

  it('escapes a quote name holding markup', async () => {
    const page = await r1.request('GET', '/');
    expect(page.text).to.contain(
      '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
    );
    expect(page.text).to.not.contain('<script');
    expect(page.text).to.not.contain('<img');
    // No script may run on the page at all.
    expect(page.headers.get('content-security-policy')).to.match(/default-src 'none'/);
    expect(page.headers.get('x-content-type-options')).to.equal('nosniff');
  });

  it('shows a distributor its resellers’ quotes with the Net total', async () => {
    const d1 = await signedIn(portal.server, 'd1');
    const page = await d1.request('GET', '/');
    expect(page.text).to.contain('Dana One · Distri One (distributor user)');
    expect(page.text).to.contain('<th class="num">Net total</th>');
    expect(page.text).to.contain('R1 draft');
    expect(page.text).to.contain('R2 services');
    expect(page.text).to.not.contain('R3 draft');
    // R2 services: SVC 1500.00 x 2, R2's rule 15 % -> 1275.00, D1's rule 30 % -> 892.50; Net total 1785.00.
    expect(page.text).to.contain('1785.00 USD');
  });

  it('answers unknown pages with 404', async () => {
    const page = await r1.request('GET', '/nowhere');
    expect(page.status).to.equal(404);
    expect(page.text).to.contain('Not found');
  });
});
