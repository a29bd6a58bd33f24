/**
 * One contender of the concurrent-registration test (sqliteDeals.test.ts): opens its own connection to the
 * file, waits for the common start instant, registers, and prints the outcome as one JSON line.
 * argv: file, reseller id, registration id, start instant (ms since epoch).
 */
import { DEFAULT_DEAL_RULES, newRegistration } from '../../../src/core/deals.js';
import { CpqError } from '../../../src/core/errors.js';
import { SqliteStore } from '../../../src/store/sqlite/sqliteStore.js';

const [file, resellerId, id, startAt] = process.argv.slice(2) as [string, string, string, string];
const store = SqliteStore.open(file);
const deal = newRegistration(
  {
    id,
    number: `DR-${id}`,
    resellerId,
    distributorId: 'D1',
    endCustomer: { id: 'E-RACE', name: 'Race Target GmbH', country: 'DE' },
    families: [{ family: 'Security', estimatedQuantity: 10 }],
    estimatedValue: '1000.00',
    currency: 'EUR',
    expectedCloseDate: '2026-12-31',
  },
  `u-${resellerId}`,
  '2026-07-01',
  DEFAULT_DEAL_RULES,
);
while (Date.now() < Number(startAt)) {
  // spin: both contenders leave this loop at the same instant
}
try {
  await store.deals.registerDeal(deal, '2026-07-01');
  console.log(JSON.stringify({ id, outcome: 'registered' }));
} catch (error) {
  console.log(JSON.stringify({ id, outcome: error instanceof CpqError ? error.code : String(error) }));
} finally {
  await store.close();
}
