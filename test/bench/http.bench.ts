// npm run bench (part 3): latency of pricing saves of a 100-line quote through the portal server, under
// 50 concurrent clients for 20 s on loopback (issue 3; goal p99 under 50 ms). Each connection edits and
// saves a quote of its own, carrying the version forward, so every save is a real priced write (no 409s).
// A report, not an assertion: exit code 0 either way, unless saves failed (then the figures mean nothing).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import type { Viewer } from '../../plugin/src/core/records.js';
import { QuoteService } from '../../plugin/src/services/quotes.js';
import { seedDemoData } from '../../plugin/src/store/demo.js';
import { SqliteStore } from '../../plugin/src/store/sqlite/sqliteStore.js';

const CONNECTIONS = Number(process.argv.find((a) => a.startsWith('--connections='))?.split('=')[1] ?? 50);
const SECONDS = Number(process.argv.find((a) => a.startsWith('--seconds='))?.split('=')[1] ?? 20);
const LINES = 100;
const TODAY = '2026-03-15';
const json = process.argv.includes('--json');

const dir = mkdtempSync(path.join(tmpdir(), 'cpq-http-bench-'));
const dbFile = path.join(dir, 'cpq.db');

// The quotes are made before the server starts, through the services, on the demo story: the US
// reseller Golden Gate Tech (user u-res-west) buying through its distributor.
const reseller: Viewer = { userId: 'u-res-west', role: 'resellerUser', accountId: 'r-west' };
const owned: { id: string; version: number; lines: unknown[] }[] = [];
{
  const store = SqliteStore.open(dbFile);
  await seedDemoData(store, { today: TODAY });
  const quotes = new QuoteService(store, () => TODAY);
  const products = (await store.listPriceBook()).filter((e) => e.currency === 'USD').map((e) => e.productId);
  const lines = Array.from({ length: LINES }, (_, i) => ({
    productId: products[i % products.length]!,
    quantity: String(1 + (i % 40)),
    ...(i % 7 === 0 ? { additionalDiscountPercent: '5' } : {}),
  }));
  for (let c = 0; c < CONNECTIONS; c++) {
    const created = await quotes.createQuote(reseller, {
      endCustomerId: 'c-bayview',
      currency: 'USD',
      startDate: TODAY,
      termMonths: 12,
      lines,
    });
    owned.push({ id: created.quote.id, version: created.quote.version, lines: created.quote.lines });
  }
  await store.close();
}

// The server in a process of its own, as `npm start` runs it: the load generator must not share its thread.
const child = spawn(
  process.execPath,
  [path.resolve(import.meta.dirname, '../../plugin/bin/run.js'), 'cpq', 'preview', '--db', dbFile, '--today', TODAY],
  {
    env: { ...process.env, PORT: '0', SF_DISABLE_TELEMETRY: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise<string>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`the portal server exited (${code})`)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line);
    if (match) resolve(match[1]!);
  });
});
const server = {
  url,
  close: (): Promise<void> => {
    child.kill('SIGINT');
    return Promise.resolve();
  },
};
try {
  const login = await fetch(`${server.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'userId=u-res-west',
    redirect: 'manual',
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  if (!cookie.includes('=')) throw new Error(`sign-in failed: ${login.status}`);

  let next = 0;
  let conflicts = 0;
  type Ctx = { quote?: (typeof owned)[number]; edits?: number };
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { cookie, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        path: '/apex/QuoteController/saveQuote',
        setupRequest: (request, context: Ctx) => {
          context.quote ??= owned[next++ % owned.length];
          const quote = context.quote!;
          context.edits = (context.edits ?? 0) + 1;
          // An edit as the editor sends it: the whole line list, one quantity changed.
          const edited = quote.lines.map((l, i) =>
            i === context.edits! % LINES ? { ...(l as object), quantity: String(1 + (context.edits! % 50)) } : l,
          );
          return { ...request, body: JSON.stringify({ quoteId: quote.id, version: quote.version, lines: edited }) };
        },
        onResponse: (status, body, context: Ctx) => {
          if (status === 200) context.quote!.version = (JSON.parse(body) as { quote: { version: number } }).quote.version;
          // A connection's first request can be built twice before its first answer: one stale save each.
          else if (status === 409) {
            conflicts++;
            // The conflict says which version the quote is at: carry on from it.
            const now = /now at version (\d+)/.exec(body);
            if (now) context.quote!.version = Number(now[1]);
          }
        },
      },
    ],
  });

  const figures = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    connections: CONNECTIONS,
    seconds: SECONDS,
    linesPerQuote: LINES,
    requests: result.requests.total,
    requestsPerSecond: Number(result.requests.average.toFixed(1)),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    conflicts,
    errors: result.errors,
    goal: 'p99 under 50 ms',
    goalMet: result.latency.p99 < 50,
  };
  if (json) {
    console.log(JSON.stringify(figures, null, 2));
  } else {
    console.log(
      `Channel CPQ portal bench: Node ${figures.node}, ${figures.cpu} (${cpus().length} cores; server and load in two processes)`,
    );
    console.log(
      `saveQuote of a ${LINES}-line quote (priced on the server, stored), ${CONNECTIONS} clients, ${SECONDS} s on loopback`,
    );
    console.log(
      `requests ${figures.requests} (${figures.requestsPerSecond}/s); latency p50 ${figures.latencyMs.p50} ms, p90 ${figures.latencyMs.p90} ms, p99 ${figures.latencyMs.p99} ms, max ${figures.latencyMs.max} ms`,
    );
    console.log(`non-2xx ${figures.non2xx} (conflicts ${conflicts}), errors ${figures.errors}`);
    console.log(`goal: ${figures.goal}: ${figures.goalMet ? 'PASS' : 'MISS'}`);
  }
  // 409s are the concurrency check answering a stale request the load generator built early: counted, not failures.
  if (result.non2xx > conflicts || result.errors > 0) process.exitCode = 1;
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
