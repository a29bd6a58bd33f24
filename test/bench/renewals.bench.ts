// npm run bench (part 2): renewal generation for 100,000 contracts of 5 lines on SQLite.
// Goal (issue 3): under 10 s. A report, not an assertion: the exit code is 0 either way, unless the
// run is wrong (a contract without exactly one renewal quote), because then the figure means nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import type { ContractRecord, OrderRecord } from '../../plugin/src/core/records.js';
import { addDays, addMonths } from '../../plugin/src/core/renewals.js';
import { generateRenewals } from '../../plugin/src/services/renewals.js';
import { SqliteStore } from '../../plugin/src/store/sqlite/sqliteStore.js';
import { USER_IDS, worldReference } from '../../plugin/test/fixtures/world.js';

const CONTRACTS = Number(process.argv.find((a) => a.startsWith('--contracts='))?.split('=')[1] ?? 100_000);
const LINES = 5;
const AS_OF = '2026-06-01';
const json = process.argv.includes('--json');

const dir = mkdtempSync(path.join(tmpdir(), 'cpq-renewals-bench-'));
const file = path.join(dir, 'cpq.db');
const store = SqliteStore.open(file);

try {
  const reference = worldReference();
  // Five subscription products, so every contract has five lines with their own prices and methods.
  const methods = ['same', 'uplift', 'list', 'same', 'uplift'] as const;
  for (let p = 1; p <= LINES; p++) {
    reference.products.push({
      id: `SUB${p}`,
      name: `Subscription ${p}`,
      family: 'Subscriptions',
      type: 'subscription',
      termMonths: 12,
      nonDiscountable: false,
      nonPartnerDiscountable: false,
      tracksInventory: false,
      renewalPricingMethod: methods[p - 1],
    });
    reference.priceBook.push({ productId: `SUB${p}`, currency: 'USD', listPrice: `${p * 100}.00` });
  }
  await store.upsertReferenceData(reference);

  const order: OrderRecord = {
    id: 'O-BENCH',
    number: 'O-BENCH',
    kind: 'replenishment',
    quoteId: null,
    distributorId: 'D1',
    resellerId: null,
    endCustomerId: null,
    currency: 'USD',
    status: 'Activated',
    placedBy: USER_IDS.d1,
    placedAt: '2025-06-01T00:00:00Z',
    orderDate: '2025-06-01',
    customerTotal: null,
    partnerTotal: null,
    netTotal: '0.00',
    lines: [],
  };
  await store.placeOrder(order, []);

  // Contracts ending over the next 90 days (all due as of AS_OF), a tenth of them in co-termination groups.
  const setupStart = performance.now();
  const resellers = ['R1', 'R2'];
  store.transaction(() => {
    for (let i = 0; i < CONTRACTS; i++) {
      const id = `K${i}`;
      const end = addDays(AS_OF, i % 90);
      const start = addDays(addMonths(end, -12), 1);
      const contract: ContractRecord = {
        id,
        number: `C-${i}`,
        orderId: order.id,
        resellerId: resellers[i % 2]!,
        distributorId: 'D1',
        endCustomerId: i % 3 === 0 ? 'C2' : 'C1',
        currency: 'USD',
        startDate: start,
        endDate: end,
        termMonths: 12,
        contractGroup: i % 10 === 0 ? `G${Math.floor(i / 20)}` : undefined,
        renewalQuoteId: null,
        status: 'Active',
        subscriptions: Array.from({ length: LINES }, (_, l) => ({
          id: `${id}-${l}`,
          contractId: id,
          productId: `SUB${l + 1}`,
          quantity: String(1 + ((i + l) % 25)),
          termMonths: 12,
          customerUnit: `${(l + 1) * 95}.50`,
          partnerUnit: `${(l + 1) * 85}.95`,
          netUnit: `${(l + 1) * 60}.16`,
        })),
      };
      store.insertContract(contract);
    }
  });
  const setupSeconds = (performance.now() - setupStart) / 1000;

  const started = performance.now();
  const result = await generateRenewals(store, { asOf: AS_OF, batchSize: 1000 });
  const seconds = (performance.now() - started) / 1000;

  const again = performance.now();
  const rerun = await generateRenewals(store, { asOf: AS_OF, batchSize: 1000 });
  const rerunSeconds = (performance.now() - again) / 1000;

  const covered = result.quotes.reduce((n, q) => n + (q.quoteId ? q.contractIds.length : 0), 0);
  const ok = covered === CONTRACTS && rerun.created === 0 && result.created === result.planned;
  const figures = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    contracts: CONTRACTS,
    linesPerContract: LINES,
    renewalQuotes: result.created,
    seconds: Number(seconds.toFixed(2)),
    contractsPerSecond: Math.round(CONTRACTS / seconds),
    rerunSeconds: Number(rerunSeconds.toFixed(2)),
    setupSeconds: Number(setupSeconds.toFixed(2)),
    goal: '100,000 contracts of 5 lines in under 10 s',
    goalMet: seconds < 10,
    correct: ok,
  };
  if (json) {
    console.log(JSON.stringify(figures, null, 2));
  } else {
    console.log(`Channel CPQ renewal bench: Node ${figures.node}, ${figures.cpu}`);
    console.log(`${CONTRACTS.toLocaleString('en')} contracts x ${LINES} lines (setup ${figures.setupSeconds} s)`);
    console.log(
      `generation: ${figures.seconds} s, ${figures.contractsPerSecond.toLocaleString('en')} contracts/s, ${result.created.toLocaleString('en')} renewal quotes`,
    );
    console.log(`rerun (nothing left to do): ${figures.rerunSeconds} s, ${rerun.created} created`);
    console.log(
      `goal: ${figures.goal}: ${figures.goalMet ? 'PASS' : 'MISS'}; every contract renewed exactly once: ${ok ? 'yes' : 'NO'}`,
    );
  }
  if (!ok) process.exitCode = 1;
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
