// The save path in one process, without HTTP (issue 14): CPU per save of a 100-line quote answered as the whole
// QuoteDetail (QuoteService.saveParsedQuote) and as the slim SaveQuoteAnswer (QuoteController.saveQuote), each
// serialised with JSON.stringify as the server does, in interleaved rounds. Steadier than the HTTP bench on a
// busy machine: no load generator shares the cores. A report, not an assertion.
// node --import tsx test/bench/saveAnswer.bench.ts [--saves=N] [--rounds=N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Viewer } from '../../plugin/src/core/records.js';
import { QuoteService } from '../../plugin/src/services/quotes.js';
import { seedDemoData } from '../../plugin/src/store/demo.js';
import { SqliteStore } from '../../plugin/src/store/sqlite/sqliteStore.js';

const SAVES = Number(process.argv.find((a) => a.startsWith('--saves='))?.split('=')[1] ?? 1000);
const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 5);
const TODAY = '2026-03-15';
const dir = mkdtempSync(path.join(tmpdir(), 'cpq-save-bench-'));
const store = SqliteStore.open(path.join(dir, 'cpq.db'));
try {
  await seedDemoData(store, { today: TODAY });
  const reseller: Viewer = { userId: 'u-res-west', role: 'resellerUser', accountId: 'r-west' };
  const quotes = new QuoteService(store, () => TODAY);
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
  const run = async (slim: boolean): Promise<{ cpuMs: number; bytes: number }> => {
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
  await run(false);
  await run(true); // warm-up
  const figures: Record<'detail' | 'slim', { cpuMs: number; bytes: number }[]> = { detail: [], slim: [] };
  for (let r = 0; r < ROUNDS; r++) {
    figures.detail.push(await run(false));
    figures.slim.push(await run(true));
  }
  const spread = (xs: number[]): string => {
    const s = [...xs].sort((a, b) => a - b);
    return `${s[0]!.toFixed(2)} / ${s[Math.floor(s.length / 2)]!.toFixed(2)} / ${s.at(-1)!.toFixed(2)}`;
  };
  console.log(`saveQuote of a 100-line quote in process, ${ROUNDS} rounds of ${SAVES} saves (min / median / max)`);
  for (const kind of ['detail', 'slim'] as const)
    console.log(
      `${kind.padEnd(6)} CPU ms per save ${spread(figures[kind].map((f) => f.cpuMs))}; answer ${Math.round(figures[kind][0]!.bytes)} bytes`,
    );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
