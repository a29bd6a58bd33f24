// npm run bench (part 3): latency of pricing saves of a 100-line quote through the portal server, under
// 50 concurrent clients for 20 s on loopback (issues 3 and 14; goal p99 under 50 ms), after a 3 s warm-up
// whose figures are dropped. Each client takes a quote no other client holds, saves it, and hands it back
// with its new version: every save is a real priced write and none meets a 409.
// --root=DIR runs another checkout's server (before/after comparisons on the same load generator).
// A report, not an assertion: exit code 0 either way, unless saves failed (then the figures mean nothing).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
const WARMUP_SECONDS = Number(process.argv.find((a) => a.startsWith('--warmup='))?.split('=')[1] ?? 3);
// --rate=N offers N saves/s in all (an open loop: autocannon's overallRate, its latencies corrected for
// coordinated omission) instead of 50 clients that save again the moment they are answered (a closed loop,
// where latency is mostly the queue): the save rate this machine answers within the goal.
const RATE = Number(process.argv.find((a) => a.startsWith('--rate='))?.split('=')[1] ?? 0);
// --server-flags="..." starts the server with these Node flags (an experiment: --max-semi-space-size=64).
const SERVER_FLAGS = (process.argv.find((a) => a.startsWith('--server-flags='))?.slice(15) ?? '').split(' ').filter(Boolean);
// --workers=N starts the server with N pricing workers (threads with their own SQLite connection; docs/PERFORMANCE.md);
// without it, the server's default (1; a checkout older than the flag, run with --root, answers in its thread).
// --workers=0 answers in the server thread.
const WORKERS = process.argv.find((a) => a.startsWith('--workers='))?.slice(10);
// --profile=DIR writes the server's CPU profile there (node --cpu-prof; open it in Chrome's DevTools).
const PROFILE = process.argv.find((a) => a.startsWith('--profile='))?.slice(10);
const ROOT = path.resolve(process.argv.find((a) => a.startsWith('--root='))?.slice(7) ?? path.join(import.meta.dirname, '../..'));
const LINES = 100;
const TODAY = '2026-03-15';
const json = process.argv.includes('--json');

const dir = mkdtempSync(path.join(tmpdir(), 'cpq-http-bench-'));
const dbFile = path.join(dir, 'cpq.db');

// The quotes are made before the server starts, through the services, on the demo story: the US
// reseller Golden Gate Tech (user u-res-west) buying through its distributor.
const reseller: Viewer = { userId: 'u-res-west', role: 'resellerUser', accountId: 'r-west' };
const owned: { id: string; version: number; lines: unknown[]; linesJson: string[] }[] = [];
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
    const saved = created.quote.lines;
    owned.push({
      id: created.quote.id,
      version: created.quote.version,
      lines: saved,
      linesJson: saved.map((l) => JSON.stringify(l)),
    });
  }
  await store.close();
}

// The server in a process of its own, as `npm start` runs it: the load generator must not share its thread.
const child = spawn(
  process.execPath,
  [
    ...SERVER_FLAGS,
    ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(PROFILE)}`] : []),
    path.join(ROOT, 'plugin/bin/run.js'),
    'cpq',
    'preview',
    '--db',
    dbFile,
    '--today',
    TODAY,
    ...(WORKERS === undefined ? [] : ['--workers', WORKERS]),
  ],
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
// However this script ends (a thrown error included), the server does not outlive it.
process.on('exit', () => child.kill('SIGINT'));

/** The server process's user + system CPU time so far (Linux /proc; 0 elsewhere). */
function serverCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** The machine's busy and total CPU time so far, all cores (Linux /proc/stat; zeros elsewhere). */
function machineCpu(): { busy: number; total: number } {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = ticks.map(Number);
    const total = n.reduce((a, b) => a + b, 0);
    return { busy: total - n[3]! - n[4]!, total }; // idle and iowait are the 4th and 5th fields
  } catch {
    return { busy: 0, total: 0 };
  }
}
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

  // autocannon starts every request of a connection from a fresh context, so a quote cannot stay with a
  // connection through it: a client checks a free quote out for one save and returns it on the answer. With
  // as many quotes as connections and one request in flight per connection, two saves never race.
  const free = [...owned];
  let conflicts = 0;
  let edits = 0;
  type Ctx = { quote?: (typeof owned)[number] };
  const load = (seconds: number): Promise<autocannon.Result> =>
    autocannon({
      url: server.url,
      connections: CONNECTIONS,
      duration: seconds,
      ...(RATE > 0 ? { overallRate: RATE } : {}),
      headers: { cookie, 'content-type': 'application/json' },
      requests: [
        {
          method: 'POST',
          path: '/apex/QuoteController/saveQuote',
          setupRequest: (request, context: Ctx) => {
            // A request that timed out (10 s, a very busy machine) never hands its quote back: then share one
            // (its save may meet a 409, counted below).
            const quote = free.pop() ?? owned[edits % owned.length]!;
            context.quote = quote;
            const edit = ++edits;
            // An edit as the editor sends it: the whole line list, one quantity changed. The lines' JSON is
            // made once per quote (the load generator shares the 2 cores with the server: its CPU is kept low).
            const changed = edit % LINES;
            const line = JSON.stringify({ ...(quote.lines[changed] as object), quantity: String(1 + (edit % 50)) });
            const lines = [...quote.linesJson.slice(0, changed), line, ...quote.linesJson.slice(changed + 1)].join(',');
            return { ...request, body: `{"quoteId":${JSON.stringify(quote.id)},"version":${quote.version},"lines":[${lines}]}` };
          },
          onResponse: (status, body, context: Ctx) => {
            const quote = context.quote!;
            context.quote = undefined;
            // The answer's version, read without parsing the whole answer (the quote head comes first).
            if (status === 200) quote.version = Number(/"version":(\d+)/.exec(body)![1]);
            else if (status === 409) {
              conflicts++;
              const now = /now at version (\d+)/.exec(body);
              if (now) quote.version = Number(now[1]);
            }
            free.push(quote);
          },
        },
      ],
    });

  // Warm-up: the JIT, SQLite's page cache and the reference cache; its figures are dropped. The saves in
  // flight when it stops are never answered to the load generator: read every quote's version back.
  if (WARMUP_SECONDS > 0) {
    await load(WARMUP_SECONDS);
    // On a busy machine a save can still be queued at the server well after the warm-up stopped: read the
    // versions back until two readings half a second apart agree.
    const readVersions = async (): Promise<string> => {
      for (const quote of owned) {
        const answer = await fetch(`${server.url}/apex/QuoteController/getQuote`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ quoteId: quote.id }),
        });
        quote.version = ((await answer.json()) as { quote: { version: number } }).quote.version;
      }
      return owned.map((q) => q.version).join();
    };
    let before = '';
    for (let reading = await readVersions(); reading !== before; reading = await readVersions()) {
      before = reading;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    free.splice(0, free.length, ...owned);
  }
  conflicts = 0;
  const cpuBefore = serverCpuMs();
  const loadCpuBefore = process.cpuUsage();
  const machineBefore = machineCpu();
  const result = await load(SECONDS);
  const serverCpu = serverCpuMs() - cpuBefore;
  const loadCpu = process.cpuUsage(loadCpuBefore);
  const machineAfter = machineCpu();
  const machineBusy = (machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total);

  const figures = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    connections: CONNECTIONS,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    serverFlags: SERVER_FLAGS.join(' '),
    pricingWorkers: WORKERS === undefined ? 1 : Number(WORKERS),
    linesPerQuote: LINES,
    requests: result.requests.total,
    requestsPerSecond: Number(result.requests.average.toFixed(1)),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    // The server process's CPU time (user + system) per answered save: steadier than latency on a shared machine.
    serverCpuMsPerSave: Number((serverCpu / Math.max(1, result.requests.total)).toFixed(2)),
    // The load generator's own CPU per save (it builds each 100-line body and parses each answer), and how
    // busy the whole machine was: at 100 % more server processes cannot add capacity, only less CPU per save.
    loadGeneratorCpuMsPerSave: Number(((loadCpu.user + loadCpu.system) / 1000 / Math.max(1, result.requests.total)).toFixed(2)),
    machineBusyPercent: Number((100 * machineBusy).toFixed(1)),
    offeredRate: RATE > 0 ? RATE : null,
    // The size of an answer (body and headers, averaged): the slim save answer of issue 14 against the QuoteDetail.
    answerBytes: Math.round(result.throughput.total / Math.max(1, result.requests.total)),
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    conflicts,
    errors: result.errors,
    goal: 'p99 under 50 ms',
    loop: RATE > 0 ? `open, ${RATE} saves/s offered` : `closed, ${CONNECTIONS} clients`,
    goalMet: result.latency.p99 < 50,
  };
  if (json) {
    console.log(JSON.stringify(figures, null, 2));
  } else {
    console.log(
      `Channel CPQ portal bench: Node ${figures.node}, ${figures.cpu} (${cpus().length} cores; server and load in two processes; ${figures.pricingWorkers} pricing worker(s))${ROOT === path.resolve(import.meta.dirname, '../..') ? '' : `, server of ${ROOT}`}`,
    );
    console.log(
      `saveQuote of a ${LINES}-line quote (priced on the server, stored), ${CONNECTIONS} clients${RATE > 0 ? ` offering ${RATE} saves/s in all` : ''}, ${SECONDS} s on loopback after ${WARMUP_SECONDS} s of warm-up`,
    );
    console.log(
      `requests ${figures.requests} (${figures.requestsPerSecond}/s); latency p50 ${figures.latencyMs.p50} ms, p90 ${figures.latencyMs.p90} ms, p99 ${figures.latencyMs.p99} ms, max ${figures.latencyMs.max} ms`,
    );
    console.log(
      `CPU per save: server ${figures.serverCpuMsPerSave} ms, load generator ${figures.loadGeneratorCpuMsPerSave} ms; machine busy ${figures.machineBusyPercent} % of ${cpus().length} cores; answer ${figures.answerBytes} bytes`,
    );
    console.log(`non-2xx ${figures.non2xx} (conflicts ${conflicts}), errors ${figures.errors}, timeouts ${figures.timeouts}`);
    console.log(`goal: ${figures.goal} (${figures.loop}): ${figures.goalMet ? 'PASS' : 'MISS'}`);
  }
  // No save races another (see above) unless a request timed out: any other non-2xx is a failure of the bench.
  if (result.non2xx > conflicts || (conflicts > 0 && result.timeouts === 0) || result.errors > result.timeouts)
    process.exitCode = 1;
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
