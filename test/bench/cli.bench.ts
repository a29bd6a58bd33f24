// npm run bench (part 4): how long `cpq price` takes to start and answer, against a bare Node start and a bare
// engine script (issue 14 item 7; goal 0.8 s). Each is run RUNS times in turn, one at a time; the figures are
// min/median/max wall-clock times of the whole process. A report, not an assertion: exit code 0 unless a run fails.
// The loaded-modules check that keeps `cpq price` lean is a test (plugin/test/cli/startup.test.ts), not this.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 9);
const json = process.argv.includes('--json');
// --root=DIR measures another checkout (a before/after comparison).
const root = path.resolve(process.argv.find((a) => a.startsWith('--root='))?.slice(7) ?? path.join(import.meta.dirname, '../..'));
const scenario = path.join(root, 'test/vectors/example-01-sequential-waterfall.json');
const engine = path.join(root, 'plugin/lib/core/priceScenario.js');
const env = { ...process.env, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true' };

const subjects: { name: string; args: string[] }[] = [
  { name: 'bare node', args: ['-e', '0'] },
  {
    name: 'bare engine script',
    args: [
      '--input-type=module',
      '-e',
      `import { readFileSync } from 'node:fs'; import { priceScenario } from ${JSON.stringify(engine)};` +
        ` priceScenario(JSON.parse(readFileSync(${JSON.stringify(scenario)}, 'utf8')));`,
    ],
  },
  {
    name: 'cpq price --json',
    args: [path.join(root, 'plugin/bin/run.js'), 'cpq', 'price', '--scenario', scenario, '--json'],
  },
];

const times = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
// Interleaved, so that a busy moment of the shared machine falls on every subject alike; one warm-up round first.
for (let round = -1; round < RUNS; round++) {
  for (const subject of subjects) {
    const started = performance.now();
    execFileSync(process.execPath, subject.args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    if (round >= 0) times.get(subject.name)!.push(performance.now() - started);
  }
}

const stats = (values: number[]): { min: number; median: number; max: number } => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: Math.round(sorted[0]!), median: Math.round(median), max: Math.round(sorted.at(-1)!) };
};
const figures = {
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  runs: RUNS,
  ms: Object.fromEntries(subjects.map((s) => [s.name, stats(times.get(s.name)!)])),
  goal: '`cpq price` median at most 800 ms',
  goalMet: stats(times.get('cpq price --json')!).median <= 800,
};
if (json) {
  console.log(JSON.stringify(figures, null, 2));
} else {
  console.log(`Channel CPQ CLI start bench: Node ${figures.node}, ${figures.cpu} (${cpus().length} cores), ${RUNS} runs each`);
  for (const [name, s] of Object.entries(figures.ms)) {
    console.log(`${name.padEnd(20)} min ${s.min} ms, median ${s.median} ms, max ${s.max} ms`);
  }
  console.log(`goal: ${figures.goal}: ${figures.goalMet ? 'PASS' : 'MISS'}`);
}
