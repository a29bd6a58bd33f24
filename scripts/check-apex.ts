// npm run check:apex [-- <projectDir>] [--only parse,soql,prettier,apexls,pmd]: the offline Apex checks. No org is
// reachable, so Apex must deploy and pass on the first try:
//   parse     every .cls/.trigger parses (@apexdevtools/apex-parser, the grammar of the platform compiler);
//   soql      inline SOQL names fields and relationships of the project's objects (apex-ls does not check SOQL);
//   prettier  every .cls/.trigger is formatted (prettier-plugin-apex, native serializer: no Java);
//   apexls    semantic check with apex-ls CheckForIssues (unknown types, fields of the project's objects, methods);
//   pmd       PMD 7 with config/pmd-ruleset.xml (CRUD/FLS and sharing, tests with asserts and runAs, ...).
// apex-ls and PMD start a JVM each (a few seconds); they run in parallel. Exit 1 on any problem.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApexErrorListener,
  ApexParserFactory,
  FieldNameContext,
  FromNameListContext,
  QueryContext,
  SubQueryContext,
  TypeOfContext,
} from '@apexdevtools/apex-parser';
import { XMLParser } from 'fast-xml-parser';
import * as prettier from 'prettier';
import * as apexPlugin from 'prettier-plugin-apex';

export type ApexStep = 'parse' | 'soql' | 'prettier' | 'apexls' | 'pmd';
export const APEX_STEPS: readonly ApexStep[] = ['parse', 'soql', 'prettier', 'apexls', 'pmd'];

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

function packageDirsOf(projectDir: string): string[] {
  const project = JSON.parse(readFileSync(path.join(projectDir, 'sfdx-project.json'), 'utf8')) as {
    packageDirectories?: { path: string }[];
  };
  return (project.packageDirectories ?? []).map((d) => d.path);
}

function apexFilesOf(projectDir: string): string[] {
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
  for (const dir of packageDirsOf(projectDir)) walk(path.join(projectDir, dir));
  return out.sort();
}

class CollectingListener extends ApexErrorListener {
  readonly errors: { line: number; column: number; message: string }[] = [];
  apexSyntaxError(line: number, column: number, message: string): void {
    this.errors.push({ line, column: column + 1, message });
  }
}

interface FieldModel {
  type: string;
  referenceTo?: string;
  relationshipName?: string;
}

/** The project's objects and their custom fields, from source (objects/<Object>/fields/*.field-meta.xml). */
interface ObjectModel {
  name: string;
  fields: Map<string, FieldModel>;
}

function loadObjects(projectDir: string, packageDirs: string[]): Map<string, ObjectModel> {
  const xml = new XMLParser({ parseTagValue: false });
  const objects = new Map<string, ObjectModel>();
  for (const dir of packageDirs) {
    const objectsDir = path.join(projectDir, dir, 'main/default/objects');
    if (!existsSync(objectsDir)) continue;
    for (const object of readdirSync(objectsDir)) {
      const fields = new Map<string, FieldModel>();
      objects.set(object.toLowerCase(), { name: object, fields });
      const fieldsDir = path.join(objectsDir, object, 'fields');
      if (!existsSync(fieldsDir)) continue;
      for (const file of readdirSync(fieldsDir).filter((f) => f.endsWith('.field-meta.xml'))) {
        try {
          const field = (xml.parse(readFileSync(path.join(fieldsDir, file), 'utf8')) as { CustomField?: FieldModel }).CustomField;
          fields.set(file.replace(/\.field-meta\.xml$/, '').toLowerCase(), {
            type: field?.type ?? '',
            referenceTo: field?.referenceTo,
            relationshipName: field?.relationshipName,
          });
        } catch {
          // malformed: check:metadata reports it
        }
      }
    }
  }
  return objects;
}

type Node = { children?: Node[] | null; start?: { line: number; column: number } };

/** The field names of one query level: not those of nested subqueries, nor of its FROM, nor of TYPEOF. */
function fieldNamesOf(node: Node, out: FieldNameContext[] = []): FieldNameContext[] {
  for (const child of node.children ?? []) {
    if (child instanceof SubQueryContext || child instanceof QueryContext || child instanceof FromNameListContext) continue;
    if (child instanceof TypeOfContext) continue;
    if (child instanceof FieldNameContext) out.push(child);
    else fieldNamesOf(child, out);
  }
  return out;
}

/**
 * Inline SOQL: every custom field (`X__c`) and custom relationship (`X__r`) a query names exists on the object it
 * is read from, following lookups and master-details of the project. Standard fields and relationships, whose
 * list the project does not hold, are not checked.
 */
function soqlProblems(tree: Node, objects: Map<string, ObjectModel>, file: string): ApexProblem[] {
  const problems: ApexProblem[] = [];
  const report = (ctx: { start?: { line: number; column: number } }, message: string) =>
    problems.push({ step: 'soql', file, line: ctx.start?.line, column: (ctx.start?.column ?? 0) + 1, message });
  const isCustom = (name: string) => /__(c|r)$/i.test(name);
  const nameOf = (lower: string) => objects.get(lower)?.name ?? lower;
  const visitQuery = (query: QueryContext | SubQueryContext, parent?: string) => {
    const from = query.fromNameList();
    const fromName = from.fieldName(0)?.getText() ?? '';
    const alias = from.soqlId(0)?.getText().toLowerCase();
    let object: string | undefined = fromName.toLowerCase();
    if (parent !== undefined && /__r$/i.test(fromName)) {
      // A child relationship of the parent query's object: Quote_Lines__r is the MD of Channel_Quote_Line__c.
      object = undefined;
      const relationship = fromName.slice(0, -3).toLowerCase();
      for (const [name, { fields }] of objects)
        for (const f of fields.values())
          if (f.relationshipName?.toLowerCase() === relationship && f.referenceTo?.toLowerCase() === parent) object = name;
      if (!object && objects.has(parent)) report(from, `Unknown child relationship '${fromName}' of ${nameOf(parent)} in SOQL`);
    } else if (/__c$/i.test(fromName) && !objects.has(object) && !/__share$/i.test(fromName)) {
      report(from, `Unknown object '${fromName}' in SOQL`);
      object = undefined;
    }
    if (object !== undefined && objects.has(object))
      for (const ctx of fieldNamesOf(query as unknown as Node)) {
        const path = ctx.soqlId_list().map((id) => id.getText());
        if (alias && path.length > 1 && path[0]!.toLowerCase() === alias) path.shift();
        let current: string | undefined = object;
        for (let i = 0; i < path.length && current !== undefined; i++) {
          const segment = path[i]!;
          const fields: Map<string, FieldModel> | undefined = objects.get(current)?.fields;
          if (!fields || !isCustom(segment)) break; // a standard object, field or relationship: not checked
          const field: FieldModel | undefined = fields.get(segment.replace(/__r$/i, '__c').toLowerCase());
          const last = i === path.length - 1;
          if (!field || (!last && field.type !== 'Lookup' && field.type !== 'MasterDetail')) {
            report(ctx, `Unknown ${last ? 'field' : 'relationship'} '${segment}' on ${nameOf(current)} in SOQL`);
            break;
          }
          current = field.referenceTo?.toLowerCase();
        }
      }
    const walk = (node: Node) => {
      for (const child of node.children ?? []) {
        if (child instanceof SubQueryContext) visitQuery(child, object ?? '');
        else if (child instanceof QueryContext) visitQuery(child);
        else walk(child);
      }
    };
    walk(query as unknown as Node);
  };
  const walk = (node: Node) => {
    for (const child of node.children ?? []) {
      if (child instanceof QueryContext) visitQuery(child);
      else walk(child);
    }
  };
  walk(tree);
  return problems;
}

function parseStep(files: string[], rel: (f: string) => string, objects: Map<string, ObjectModel> | undefined): ApexProblem[] {
  const problems: ApexProblem[] = [];
  for (const file of files) {
    const listener = new CollectingListener();
    const { parser } = ApexParserFactory.createLexerAndParser(readFileSync(file, 'utf8'), listener);
    const tree = file.endsWith('.trigger') ? parser.triggerUnit() : parser.compilationUnit();
    for (const e of listener.errors)
      problems.push({ step: 'parse', file: rel(file), line: e.line, column: e.column, message: `syntax error: ${e.message}` });
    if (objects && listener.errors.length === 0) problems.push(...soqlProblems(tree as unknown as Node, objects, rel(file)));
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
    // One parse serves both: the parse trees are what the SOQL step reads.
    if (steps.includes('parse') || steps.includes('soql')) {
      const objects = steps.includes('soql') ? loadObjects(projectDir, packageDirsOf(projectDir)) : undefined;
      await timed(steps.includes('parse') ? 'parse' : 'soql', () =>
        parseStep(files, rel, objects).filter((p) => steps.includes(p.step) || p.step === 'parse'),
      );
    }
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
