/* global console, process */
// npm run apex:limits: the governor limits a quote save uses as its size grows, in the Apex runtime on the fake
// org (scripts/apex-org.mjs), and the largest save that stays within them: a reseller creates a quote, then
// saves it with N lines (N = 50, 100, 200, ... until a limit is hit, then a bisection). Figures for
// docs/APEX-RUNTIME.md; not part of npm test (it takes a while).
import { REFERENCE, TODAY, USERS } from '../plugin/test/preview/fixtures.js';
import { seedOrg } from '../test/apex/world.js';
import { ApexOrg, fromPlain, loadClasses, rt } from './apex-org.mjs';

const apex = await loadClasses();
const seeded = seedOrg(REFERENCE);
const org = new ApexOrg(seeded.org, apex, { today: TODAY });
const r1 = seeded.userIds.get(USERS.r1.id);
const lic = seeded.org.records('Product2').find((p) => p.External_Id__c === 'LIC').Id;
const e1 = seeded.accountIds.get('E1');
const base = org.snapshot();

function save(n) {
  org.restore(base);
  const created = org.transaction(r1, () =>
    apex.QuoteController.createQuote(
      fromPlain({ name: 'big', endCustomerId: e1, currency: 'USD', startDate: '2026-04-01', termMonths: 12, lines: [] }),
    ),
  );
  if (created.error) throw created.error;
  const quote = JSON.parse(rt.serialize(created.value)).quote;
  const lines = Array.from({ length: n }, () => ({ productId: lic, quantity: '1' }));
  const r = org.transaction(r1, () =>
    apex.QuoteController.saveQuote(quote.id, rt.int(quote.version), 'big', e1, '2026-04-01', rt.int(12), fromPlain(lines)),
  );
  const limit =
    r.error instanceof rt.LimitException ? r.error.getMessage() : r.error ? `error ${r.error.$sent ?? r.error.message}` : null;
  return { n, limit, ...r.usage };
}

const rows = [];
let ok = 0;
let bad = null;
for (let n = 50; n <= 12800; n *= 2) {
  const r = save(n);
  rows.push(r);
  if (r.limit) {
    bad = n;
    break;
  }
  ok = n;
}
while (bad !== null && bad - ok > Math.max(1, ok / 50)) {
  const mid = Math.floor((ok + bad) / 2);
  const r = save(mid);
  rows.push(r);
  if (r.limit) bad = mid;
  else ok = mid;
}
console.log('lines  SOQL  rows    DML  DML rows  CPU ms  heap KB  result');
for (const r of rows.sort((a, b) => a.n - b.n))
  console.log(
    [r.n, r.queries, r.queryRows, r.dmlStatements, r.dmlRows, r.cpuMs, Math.round(r.heap / 1000)]
      .map((x, i) => String(x).padStart([5, 4, 6, 4, 8, 6, 7][i]))
      .join('  ') + `  ${r.limit ?? 'ok'}`,
  );
console.log(`largest quote save within the limits: ${ok} lines${bad ? ` (${bad}: ${rows.find((r) => r.n === bad).limit})` : ''}`);
process.exitCode = 0;
