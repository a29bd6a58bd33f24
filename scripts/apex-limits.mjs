/* global console, process */
// npm run apex:limits: the governor limits a quote save uses as its size grows, in the Apex runtime on the fake
// org (scripts/apex-org.mjs), and the largest save that stays within them: a reseller creates a quote, then
// saves it with N lines (N = 50, 100, 200, ... until a limit is hit, then a bisection). Figures for
// docs/APEX-RUNTIME.md; not part of npm test (it takes a while).
import { REFERENCE, TODAY, USERS } from '../plugin/test/preview/fixtures.js';
import { seedOrg } from '../test/apex/world.js';
import { ApexOrg, fromPlain, loadClasses, rt } from './apex-org.mjs';

import { MAX_QUOTE_LINES } from '../plugin/src/core/limits.js';

const apex = await loadClasses();
const seeded = seedOrg(REFERENCE);
const org = new ApexOrg(seeded.org, apex, { today: TODAY });
const r1 = seeded.userIds.get(USERS.r1.id);
const lic = seeded.org.records('Product2').find((p) => p.External_Id__c === 'LIC').Id;
const e1 = seeded.accountIds.get('E1');
// As an admin would after loading data (apex:story does the same): share the agreements and stock rows.
{
  const loaded = ['Partner_Agreement__c', 'Distributor_Inventory__c'].flatMap((type) =>
    seeded.org.records(type).map((r) => {
      const fields = type === 'Partner_Agreement__c' ? ['Partner__c', 'Seller__c'] : ['Distributor__c'];
      return rt.newSObject(type, [['Id', r.Id], ...fields.map((f) => [f, r[f]])]);
    }),
  );
  const r = org.transaction(seeded.userIds.get(USERS.vendor.id), () => apex.SharingService.share(new rt.ApexList(loaded)));
  if (r.error) throw r.error;
}
const base = org.snapshot();

/** First save of n new lines, or (resave) a second save of the same n lines, each keeping its id, quantity changed. */
function save(n, resave = false) {
  org.restore(base);
  const created = org.transaction(r1, () =>
    apex.QuoteController.createQuote(
      fromPlain({ name: 'big', endCustomerId: e1, currency: 'USD', startDate: '2026-04-01', termMonths: 12, lines: [] }),
    ),
  );
  if (created.error) throw created.error;
  const quote = JSON.parse(rt.serialize(created.value)).quote;
  let lines = Array.from({ length: n }, () => ({ productId: lic, quantity: '1' }));
  let version = quote.version;
  if (resave) {
    const first = org.transaction(r1, () =>
      apex.QuoteController.saveQuote(quote.id, rt.int(version), 'big', e1, '2026-04-01', rt.int(12), fromPlain(lines)),
    );
    if (first.error) return { n, limit: `first save: ${first.error.message}`, ...first.usage };
    const saved = JSON.parse(rt.serialize(first.value)).quote;
    version = saved.version;
    // The slim save answer names the saved lines by id (quote.lineIds); every line is the licence.
    lines = saved.lineIds.map((id) => ({ id, productId: lic, quantity: '2' }));
  }
  const r = org.transaction(r1, () =>
    apex.QuoteController.saveQuote(quote.id, rt.int(version), 'big', e1, '2026-04-01', rt.int(12), fromPlain(lines)),
  );
  const limit =
    r.error instanceof rt.LimitException ? r.error.getMessage() : r.error ? `error ${r.error.$sent ?? r.error.message}` : null;
  return { n, limit, ...r.usage };
}

// The governor limits are searched with the product's own line limit lifted (CpqInput.requireLineCount), then
// the save at that limit is measured with it in place, and one line more must be refused.
const requireLineCount = apex.CpqInput.requireLineCount;
const refusal = save(MAX_QUOTE_LINES + 1).limit;
console.log(`a save of ${MAX_QUOTE_LINES + 1} lines: ${refusal}\n`);
if (!refusal?.includes(`at most ${MAX_QUOTE_LINES} lines`)) {
  console.error('the product limit did not refuse it');
  process.exit(1);
}
for (const resave of [false, true]) {
  apex.CpqInput.requireLineCount = () => undefined;
  const rows = [];
  let ok = 0;
  let bad = null;
  for (let n = 50; n <= 12800; n *= 2) {
    const r = save(n, resave);
    rows.push(r);
    if (r.limit) {
      bad = n;
      break;
    }
    ok = n;
  }
  while (bad !== null && bad - ok > Math.max(1, ok / 50)) {
    const mid = Math.floor((ok + bad) / 2);
    const r = save(mid, resave);
    rows.push(r);
    if (r.limit) bad = mid;
    else ok = mid;
  }
  apex.CpqInput.requireLineCount = requireLineCount;
  const at = save(MAX_QUOTE_LINES, resave);
  console.log(resave ? '\nsecond save of the same lines (each keeps its id):' : 'first save of new lines:');
  console.log('lines  SOQL  rows    DML  DML rows  CPU ms  heap KB  result');
  for (const r of [...rows.sort((a, b) => a.n - b.n), { ...at, n: `${MAX_QUOTE_LINES}*` }])
    console.log(
      [r.n, r.queries, r.queryRows, r.dmlStatements, r.dmlRows, r.cpuMs, Math.round(r.heap / 1000)]
        .map((x, i) => String(x).padStart([5, 4, 6, 4, 8, 6, 7][i]))
        .join('  ') + `  ${r.limit ?? 'ok'}`,
    );
  console.log(`largest save within the limits: ${ok} lines${bad ? ` (${bad}: ${rows.find((r) => r.n === bad).limit})` : ''}`);
  const share = (used, limit) => `${Math.round((100 * used) / limit)} %`;
  const limits = rt.LIMITS;
  console.log(
    `* at the product's limit of ${MAX_QUOTE_LINES} lines: heap ${share(at.heap, limits.heap)}, CPU ${share(at.cpuMs, limits.cpu)}, ` +
      `DML rows ${share(at.dmlRows, limits.dmlRows)}, query rows ${share(at.queryRows, limits.queryRows)} of the limits`,
  );
}
// The rest of a quote's life at the limit: read, accept, request the order, the distributor places it from
// stock and activates it (contract and subscriptions), each one transaction as its user.
{
  org.restore(base);
  for (const row of seeded.org.records('Distributor_Inventory__c'))
    seeded.org.update('Distributor_Inventory__c', row.Id, { Quantity__c: 1_000_000 });
  const d1 = seeded.userIds.get(USERS.d1.id);
  const created = org.transaction(r1, () =>
    apex.QuoteController.createQuote(
      fromPlain({ name: 'big', endCustomerId: e1, currency: 'USD', startDate: '2026-04-01', termMonths: 12, lines: [] }),
    ),
  );
  const quote = JSON.parse(rt.serialize(created.value)).quote;
  const lines = Array.from({ length: MAX_QUOTE_LINES }, () => ({ productId: lic, quantity: '1' }));
  const steps = [];
  const step = (name, user, fn) => {
    const r = org.transaction(user, fn);
    steps.push({ name, ...r.usage, limit: r.error ? (r.error.getMessage?.() ?? r.error.message) : null });
    return r.error ? null : JSON.parse(rt.serialize(r.value));
  };
  let detail = step('saveQuote', r1, () =>
    apex.QuoteController.saveQuote(quote.id, rt.int(quote.version), 'big', e1, '2026-04-01', rt.int(12), fromPlain(lines)),
  );
  step('getQuote', r1, () => apex.QuoteController.getQuote(quote.id));
  detail = detail && step('acceptQuote', r1, () => apex.QuoteController.acceptQuote(quote.id, rt.int(detail.quote.version)));
  detail =
    detail && step('requestOrder', r1, () => apex.OrderController.requestOrder(quote.id, rt.int(detail.quote.version), null));
  const order = detail && step('placeOrder', d1, () => apex.OrderController.placeOrder(quote.id));
  if (order) step('activateOrder', d1, () => apex.OrderController.activateOrder(order.id));
  const share = (used, limit) => `${Math.round((100 * used) / limit)} %`;
  console.log(`\na quote of ${MAX_QUOTE_LINES} lines through its life (share of each synchronous limit):`);
  console.log('step           SOQL  rows    DML  DML rows  CPU ms  heap KB  heap   CPU    DML rows  result');
  for (const r of steps)
    console.log(
      [r.name.padEnd(13), r.queries, r.queryRows, r.dmlStatements, r.dmlRows, r.cpuMs, Math.round(r.heap / 1000)]
        .map((x, i) => String(x).padStart([13, 4, 6, 4, 8, 6, 7][i]))
        .join('  ') +
        `  ${share(r.heap, rt.LIMITS.heap).padStart(5)}  ${share(r.cpuMs, rt.LIMITS.cpu).padStart(5)}  ${share(r.dmlRows, rt.LIMITS.dmlRows).padStart(8)}  ${r.limit ?? 'ok'}`,
    );
}
process.exitCode = 0;
