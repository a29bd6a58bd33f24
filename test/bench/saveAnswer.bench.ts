// The save path in one process, without HTTP (issue 14): CPU per save of a 100-line quote answered as the whole
// QuoteDetail (QuoteService.saveParsedQuote) and as the slim SaveQuoteAnswer (QuoteController.saveQuote), each
// serialised with JSON.stringify as the server does, in interleaved rounds. Steadier than the HTTP bench on a
// busy machine: no load generator shares the cores. A report, not an assertion.
// node --import tsx test/bench/saveAnswer.bench.ts [--saves=N] [--rounds=N] [--root=DIR]
// --root=DIR compares the slim save of another checkout (its services, its store) with this one's, in one
// process, round by round: a before/after that a busy machine's noise hits alike.
// --solo runs the slim saves of one checkout alone (the one of --root, or this one): a CPU profile of them with
// node --cpu-prof --import tsx test/bench/saveAnswer.bench.ts --solo [--root=DIR].
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Viewer } from '../../plugin/src/core/records.js';
import type { QuoteService } from '../../plugin/src/services/quotes.js';
import type { seedDemoData } from '../../plugin/src/store/demo.js';
import type { SqliteStore } from '../../plugin/src/store/sqlite/sqliteStore.js';

const SAVES = Number(process.argv.find((a) => a.startsWith('--saves='))?.split('=')[1] ?? 1000);
const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 5);
const OTHER = process.argv.find((a) => a.startsWith('--root='))?.slice(7);
const SOLO = process.argv.includes('--solo');
const HERE = path.resolve(import.meta.dirname, '../..');
const TODAY = '2026-03-15';
const reseller: Viewer = { userId: 'u-res-west', role: 'resellerUser', accountId: 'r-west' };
const dir = mkdtempSync(path.join(tmpdir(), 'cpq-save-bench-'));

type Run = (slim: boolean) => Promise<{ cpuMs: number; bytes: number }>;

/** A store with the demo data and a 100-line quote, and a run of saves, with the modules of checkout `root`. */
async function setup(root: string, name: string): Promise<{ run: Run; close: () => Promise<void> }> {
  const load = <T>(file: string): Promise<T> => import(pathToFileURL(path.join(root, 'plugin/src', file)).href) as Promise<T>;
  const { QuoteService: Service } = await load<{ QuoteService: typeof QuoteService }>('services/quotes.ts');
  const { seedDemoData: seed } = await load<{ seedDemoData: typeof seedDemoData }>('store/demo.ts');
  const { SqliteStore: Store } = await load<{ SqliteStore: typeof SqliteStore }>('store/sqlite/sqliteStore.ts');
  const store = Store.open(path.join(dir, `${name}.db`));
  await seed(store, { today: TODAY });
  const quotes = new Service(store, () => TODAY);
  const products = (await store.listPriceBook()).filter((e) => e.currency === 'USD').map((e) => e.productId);
  const created = await quotes.createQuote(reseller, {
    endCustomerId: 'c-bayview',
    currency: 'USD',
    startDate: TODAY,
    termMonths: 12,
    lines: Array.from({ length: 100 }, (_, i) => ({ productId: products[i % products.length]!, quantity: String(1 + (i % 40)) })),
  });
  let version = created.quote.version;
  const lines = created.quote.lines;
  let edit = 0;
  // As the HTTP bench: the whole line list, one quantity changed.
  const params = (): Parameters<QuoteService['saveParsedQuote']>[1] => {
    edit++;
    return {
      quoteId: created.quote.id,
      version,
      lines: lines.map((l, i) => (i === edit % 100 ? { ...l, quantity: String(1 + (edit % 50)) } : l)),
    };
  };
  const run: Run = async (slim) => {
    const start = process.cpuUsage();
    let bytes = 0;
    for (let i = 0; i < SAVES; i++) {
      const answer = slim
        ? await quotes.saveParsedQuote(reseller, params(), 'slim')
        : await quotes.saveParsedQuote(reseller, params());
      bytes += JSON.stringify(answer).length;
      version = answer.quote.version;
    }
    const used = process.cpuUsage(start);
    return { cpuMs: (used.user + used.system) / 1000 / SAVES, bytes: bytes / SAVES };
  };
  return { run, close: () => store.close() };
}

const opened: { close: () => Promise<void> }[] = [];
try {
  const here = await setup(SOLO && OTHER ? path.resolve(OTHER) : HERE, 'here');
  opened.push(here);
  const kinds: [string, () => ReturnType<Run>][] = [];
  if (SOLO) {
    kinds.push([`slim, ${OTHER ?? 'this checkout'}`, () => here.run(true)]);
  } else if (OTHER) {
    const other = await setup(path.resolve(OTHER), 'other');
    opened.push(other);
    kinds.push([`slim, ${OTHER}`, () => other.run(true)], ['slim, this checkout', () => here.run(true)]);
  } else {
    kinds.push(['detail', () => here.run(false)], ['slim', () => here.run(true)]);
  }
  for (const [, run] of kinds) await run(); // warm-up
  const figures = new Map<string, { cpuMs: number; bytes: number }[]>(kinds.map(([name]) => [name, []]));
  for (let r = 0; r < ROUNDS; r++) for (const [name, run] of kinds) figures.get(name)!.push(await run());
  const spread = (xs: number[]): string => {
    const s = [...xs].sort((a, b) => a - b);
    return `${s[0]!.toFixed(2)} / ${s[Math.floor(s.length / 2)]!.toFixed(2)} / ${s.at(-1)!.toFixed(2)}`;
  };
  console.log(`saveQuote of a 100-line quote in process, ${ROUNDS} rounds of ${SAVES} saves (min / median / max)`);
  for (const [name, runs] of figures)
    console.log(
      `${name.padEnd(6)} CPU ms per save ${spread(runs.map((f) => f.cpuMs))}; answer ${Math.round(runs[0]!.bytes)} bytes`,
    );
} finally {
  for (const o of opened) await o.close();
  rmSync(dir, { recursive: true, force: true });
}
