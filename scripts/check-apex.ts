// npm run check:apex [-- <projectDir>] [--only parse,prettier,apexls,pmd]: the offline Apex checks. No org is
// reachable, so Apex must deploy and pass on the first try:
//   parse     every .cls/.trigger parses (@apexdevtools/apex-parser, the grammar of the platform compiler);
//   prettier  every .cls/.trigger is formatted (prettier-plugin-apex, native serializer: no Java);
//   apexls    semantic check with apex-ls CheckForIssues (unknown types, fields of the project's objects, methods);
//   pmd       PMD 7 with config/pmd-ruleset.xml (CRUD/FLS and sharing, tests with asserts and runAs, ...).
// apex-ls and PMD start a JVM each (a few seconds); they run in parallel. Exit 1 on any problem.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';
import * as prettier from 'prettier';
import * as apexPlugin from 'prettier-plugin-apex';

export type ApexStep = 'parse' | 'prettier' | 'apexls' | 'pmd';
export const APEX_STEPS: readonly ApexStep[] = ['parse', 'prettier', 'apexls', 'pmd'];

export interface ApexProblem {
  step: ApexStep;
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export interface ApexCheckResult {
  problems: ApexProblem[];
  /** Milliseconds per step that ran. */
  timings: Partial<Record<ApexStep, number>>;
  apexFiles: number;
}

const repoRoot = path.resolve(import.meta.dirname, '..');
/** PMD 7 and apex-ls ship inside @salesforce/sfdx-scanner (a devDependency). */
const JARS = path.join(repoRoot, 'node_modules/@salesforce/sfdx-scanner/dist/pmd7/lib/*');
/** Short runs: the client compiler only and the serial collector halve the JVMs' CPU time (measured: 7.3 s to 3.9 s). */
const JVM_OPTIONS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

function apexFilesOf(projectDir: string): string[] {
  const project = JSON.parse(readFileSync(path.join(projectDir, 'sfdx-project.json'), 'utf8')) as {
    packageDirectories?: { path: string }[];
  };
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      if (entry === 'node_modules' || entry === '__tests__' || entry.startsWith('.')) continue;
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(cls|trigger)$/.test(entry)) out.push(full);
    }
  };
  for (const dir of project.packageDirectories ?? []) walk(path.join(projectDir, dir.path));
  return out.sort();
}

class CollectingListener extends ApexErrorListener {
  readonly errors: { line: number; column: number; message: string }[] = [];
  apexSyntaxError(line: number, column: number, message: string): void {
    this.errors.push({ line, column: column + 1, message });
  }
}

function parseStep(files: string[], rel: (f: string) => string): ApexProblem[] {
  const problems: ApexProblem[] = [];
  for (const file of files) {
    const listener = new CollectingListener();
    const { parser } = ApexParserFactory.createLexerAndParser(readFileSync(file, 'utf8'), listener);
    if (file.endsWith('.trigger')) parser.triggerUnit();
    else parser.compilationUnit();
    for (const e of listener.errors)
      problems.push({ step: 'parse', file: rel(file), line: e.line, column: e.column, message: `syntax error: ${e.message}` });
  }
  return problems;
}

async function prettierStep(projectDir: string, files: string[], rel: (f: string) => string): Promise<ApexProblem[]> {
  const problems: ApexProblem[] = [];
  const configFile = path.join(projectDir, '.prettierrc.json');
  for (const file of files) {
    const config = (await prettier.resolveConfig(file, { config: existsSync(configFile) ? configFile : undefined })) ?? {};
    // The plugin is passed as a module, so the check also works on copies of the project outside the repository.
    const options: prettier.Options = {
      ...config,
      plugins: [apexPlugin],
      parser: file.endsWith('.trigger') || file.endsWith('.cls') ? 'apex' : undefined,
      filepath: file,
    };
    try {
      if (!(await prettier.check(readFileSync(file, 'utf8'), options)))
        problems.push({ step: 'prettier', file: rel(file), message: 'not formatted: run npx prettier --write on it' });
    } catch (error) {
      problems.push({ step: 'prettier', file: rel(file), message: `prettier could not format it: ${(error as Error).message}` });
    }
  }
  return problems;
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface ApexLsReport {
  files: { path: string; messages: { start: { line: number; offset: number }; category: string; message: string }[] }[];
}

/** apex-ls reads sfdx-project.json and .forceignore, and resolves the project's objects and fields from source. */
async function apexLsStep(projectDir: string, rel: (f: string) => string): Promise<ApexProblem[]> {
  const args = [
    ...JVM_OPTIONS,
    '-cp',
    JARS,
    'io.github.apexdevtools.apexls.CheckForIssues',
    '-w',
    projectDir,
    '-n',
    '-f',
    'json',
  ];
  const { code, stdout, stderr } = await run('java', args, projectDir);
  if (code === 0) return [];
  const json = stdout.slice(stdout.indexOf('{'));
  if (code !== 4 || !json)
    return [
      {
        step: 'apexls',
        file: '.',
        message: `apex-ls CheckForIssues failed (exit ${code}): ${(stderr || stdout).trim().slice(0, 500)}`,
      },
    ];
  const report = JSON.parse(json) as ApexLsReport;
  return report.files.flatMap((f) =>
    f.messages.map((m) => ({
      step: 'apexls' as const,
      file: rel(f.path),
      line: m.start.line,
      column: m.start.offset + 1,
      message: `${m.category}: ${m.message}`,
    })),
  );
}

interface PmdReport {
  files: { filename: string; violations: { beginline: number; begincolumn: number; rule: string; description: string }[] }[];
  processingErrors?: { filename: string; message: string }[];
  configurationErrors?: { rule: string; message: string }[];
}

async function pmdStep(projectDir: string, rel: (f: string) => string): Promise<ApexProblem[]> {
  const ruleset = path.join(projectDir, 'config/pmd-ruleset.xml');
  const project = JSON.parse(readFileSync(path.join(projectDir, 'sfdx-project.json'), 'utf8')) as {
    packageDirectories: { path: string }[];
  };
  const dirs = project.packageDirectories.map((d) => path.join(projectDir, d.path)).join(',');
  const args = [...JVM_OPTIONS, '-cp', JARS, 'net.sourceforge.pmd.cli.PmdCli', 'check', '-d', dirs, '-R', ruleset];
  const { code, stdout, stderr } = await run('java', [...args, '-f', 'json', '--no-cache', '--no-progress'], projectDir);
  const json = stdout.slice(stdout.indexOf('{'));
  if (!json || (code !== 0 && code !== 4 && code !== 5))
    return [{ step: 'pmd', file: '.', message: `PMD failed (exit ${code}): ${(stderr || stdout).trim().slice(0, 500)}` }];
  const report = JSON.parse(json) as PmdReport;
  const problems: ApexProblem[] = report.files.flatMap((f) =>
    f.violations.map((v) => ({
      step: 'pmd' as const,
      file: rel(path.resolve(projectDir, f.filename)),
      line: v.beginline,
      column: v.begincolumn,
      message: `${v.rule}: ${v.description}`,
    })),
  );
  for (const e of report.processingErrors ?? [])
    problems.push({
      step: 'pmd',
      file: rel(path.resolve(projectDir, e.filename)),
      message: `PMD could not process it: ${e.message}`,
    });
  for (const e of report.configurationErrors ?? [])
    problems.push({ step: 'pmd', file: 'config/pmd-ruleset.xml', message: `${e.rule}: ${e.message}` });
  return problems;
}

export async function checkApex(projectDir: string, steps: readonly ApexStep[] = APEX_STEPS): Promise<ApexCheckResult> {
  const rel = (file: string) => path.relative(projectDir, file) || file;
  const files = apexFilesOf(projectDir);
  const problems: ApexProblem[] = [];
  const timings: Partial<Record<ApexStep, number>> = {};
  const timed = async (step: ApexStep, work: () => Promise<ApexProblem[]> | ApexProblem[]) => {
    const started = Date.now();
    problems.push(...(await work()));
    timings[step] = Date.now() - started;
  };
  const java = steps.includes('apexls') || steps.includes('pmd');
  if (java && spawnSync('java', ['-version']).error)
    problems.push({
      step: 'apexls',
      file: '.',
      message: 'java not found: apex-ls and PMD need Java 17 (apt-get install openjdk-17-jre-headless)',
    });
  else {
    // The JVM steps run in parallel with each other; the Node steps are quick.
    const jvm: Promise<void>[] = [];
    if (steps.includes('apexls')) jvm.push(timed('apexls', () => apexLsStep(projectDir, rel)));
    // PMD refuses to run without a file to analyse: no Apex, nothing to check.
    if (steps.includes('pmd') && files.length > 0) jvm.push(timed('pmd', () => pmdStep(projectDir, rel)));
    if (steps.includes('parse')) await timed('parse', () => parseStep(files, rel));
    if (steps.includes('prettier')) await timed('prettier', () => prettierStep(projectDir, files, rel));
    await Promise.all(jvm);
  }
  const order = (p: ApexProblem) => `${APEX_STEPS.indexOf(p.step)}|${p.file}|${String(p.line ?? 0).padStart(6, '0')}`;
  problems.sort((a, b) => order(a).localeCompare(order(b)));
  return { problems, timings, apexFiles: files.length };
}

export function formatApexProblem(p: ApexProblem): string {
  const at = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
  return `${at}: [${p.step}] ${p.message}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const onlyAt = args.indexOf('--only');
  const steps =
    onlyAt >= 0
      ? (args[onlyAt + 1] ?? '').split(',').filter((s): s is ApexStep => APEX_STEPS.includes(s as ApexStep))
      : APEX_STEPS;
  const projectArg = args.find((a, i) => !a.startsWith('--') && (onlyAt < 0 || i !== onlyAt + 1));
  const projectDir = path.resolve(projectArg ?? repoRoot);
  const { problems, timings, apexFiles } = await checkApex(projectDir, steps);
  for (const p of problems) console.error(formatApexProblem(p));
  const took = Object.entries(timings)
    .map(([step, ms]) => `${step} ${ms} ms`)
    .join(', ');
  console.log(`check:apex: ${apexFiles} Apex file(s); ${problems.length} problem(s) (${took})`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
