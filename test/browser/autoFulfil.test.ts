import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { QuoteDetail, QuoteSummary } from '../../plugin/src/services/quotes.js';
import { portalInChromium, screenshotPath } from './chromium.js';

// Reseller orders with auto-fulfil (docs/ORDERS.md) as people use them, in real Chromium over the demo data:
// the AMER distributor switches auto-fulfil on for Maple Leaf Systems on "My agreement", then Maple Leaf's
// user orders its accepted Laurentian Foods quote (Partner total USD 22,061.10) with "Place order".
describe('auto-fulfilled reseller orders in Chromium', function () {
  // Every console error fails a test here, 404s included: no page of this story answers 404.
  const portal = portalInChromium({ dirPrefix: 'cpq-autofulfil-', today: '2026-03-15', every404IsAnError: true });
  const signInAs = (name: string): Promise<Page> => portal.signIn(name, '/');

  async function setLimit(limit: string): Promise<void> {
    const page = await signInAs('Maria Gonzalez');
    await page.goto(`${portal.server.url}/agreement`);
    const row = page.locator('tr.terms-row', { hasText: 'Maple Leaf Systems' });
    await row.waitFor();
    const toggle = row.locator('[data-id="auto-fulfil"] input[type="checkbox"]');
    if (!(await toggle.isChecked())) await toggle.click({ force: true });
    await row.locator('[data-id="credit-limit"] input').fill(limit);
    await row.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Order terms saved').waitFor();
    await page.locator('article.order-terms').screenshot({ path: screenshotPath(`autofulfil-distributor-${limit}`) });
    await page.close();
  }

  async function apex<T>(page: Page, target: string, params: unknown): Promise<T> {
    const [cls, method] = target.split('.');
    const body = await page.evaluate(
      async ({ url, json }) => {
        const reply = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json });
        return reply.text();
      },
      { url: `/apex/${cls}/${method}`, json: JSON.stringify(params) },
    );
    return JSON.parse(body) as T;
  }

  async function orderWithButton(page: Page, quoteId: string): Promise<void> {
    await page.goto(`${portal.server.url}/quotes/${quoteId}`);
    const button = page.locator('[data-id="request-order"]');
    await button.waitFor();
    await page.waitForFunction("document.body.innerText.includes('Place order')");
    await button.click();
  }

  it('places the order at once within the limit, then requests one over it and says why', async () => {
    await setLimit('500000');
    const page = await signInAs('Chloé Tremblay');
    const quotes = await apex<QuoteSummary[]>(page, 'QuoteController.listQuotes', {});
    const laurentian = quotes.find((q) => q.name.startsWith('Laurentian Foods'));
    expect(laurentian, 'the demo’s accepted Laurentian Foods quote').to.not.equal(undefined);
    // A copy to order later, accepted while stock and limit are as they are.
    const copy = await apex<QuoteDetail>(page, 'QuoteController.cloneQuote', { quoteId: laurentian!.id });
    const accepted = await apex<QuoteDetail>(page, 'QuoteController.acceptQuote', {
      quoteId: copy.quote.id,
      version: copy.quote.version,
    });
    expect(accepted.quote.status).to.equal('Accepted');

    // USD 22,061.10 within USD 500,000.00: placed at once.
    await orderWithButton(page, laurentian!.id);
    await page.getByText('Order placed').waitFor();
    expect(await page.getByText(/^Order O-\d{5} was placed from Pacific Channel Distribution Inc\.’s stock\.$/).count()).to.equal(
      1,
    );
    await page.screenshot({ path: screenshotPath('autofulfil-reseller-placed') });
    await page.close();

    // The limit lowered to 30000.00: 22061.10 open + 22061.10 = 44122.20, 14122.20 over.
    await setLimit('30000');
    const again = await signInAs('Chloé Tremblay');
    await orderWithButton(again, copy.quote.id);
    await again.getByText('Order requested instead').waitFor();
    expect(
      await again
        .getByText(
          'Not placed at once: credit limit 30000.00 USD exceeded by 14122.20 USD (open orders 22061.10 USD + this order 22061.10 USD). Pacific Channel Distribution Inc. has been asked to place it.',
        )
        .count(),
    ).to.equal(1);
    await again.screenshot({ path: screenshotPath('autofulfil-reseller-requested') });
    await again.close();
  });
});
