import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../helpers/cli.js';

const run = promisify(execFile);
const plugin = path.join(repoRoot, 'plugin');

/** Command ids of the built commands: lib/commands/cpq/rates/import.js is "cpq:rates:import". */
async function builtCommandIds(dir = path.join(plugin, 'lib/commands'), prefix: string[] = []): Promise<string[]> {
  const ids: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) ids.push(...(await builtCommandIds(path.join(dir, entry.name), [...prefix, entry.name])));
    else if (entry.name.endsWith('.js')) ids.push([...prefix, entry.name.slice(0, -3)].join(':'));
  }
  return ids.sort();
}

describe('CLI start: oclif manifest and lazy command loading', () => {
  it('the build writes oclif.manifest.json with every command, and git ignores it (a build product)', async () => {
    const manifest = JSON.parse(await readFile(path.join(plugin, 'oclif.manifest.json'), 'utf8')) as {
      version: string;
      commands: Record<string, { flags: Record<string, unknown>; isESM: boolean; relativePath: string[] }>;
    };
    const pjson = JSON.parse(await readFile(path.join(plugin, 'package.json'), 'utf8')) as { version: string };
    expect(manifest.version).to.equal(pjson.version);
    expect(Object.keys(manifest.commands).sort()).to.deep.equal(await builtCommandIds());
    expect(manifest.commands['cpq:price']!.flags).to.have.keys('flags-dir', 'json', 'scenario', 'view');
    // oclif imports a command straight from the manifest only when these are present.
    expect(manifest.commands['cpq:price']).to.include({ isESM: true });
    expect(manifest.commands['cpq:price']!.relativePath).to.deep.equal(['lib', 'commands', 'cpq', 'price.js']);
    const ignored = await run('git', ['check-ignore', 'plugin/oclif.manifest.json'], { cwd: repoRoot });
    expect(ignored.stdout.trim()).to.equal('plugin/oclif.manifest.json');
  });

  it('`cpq price` loads only its own command: not the other commands, sf-plugins-core, @salesforce/core, jsforce, fastify or better-sqlite3', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cpq-startup-'));
    try {
      // Every module the process loads: ESM ones through a loader hook, CommonJS ones (which a CommonJS module
      // requires without the hook seeing them) from the require cache when the process exits.
      const log = path.join(dir, 'loaded.txt');
      const hooks = path.join(dir, 'hooks.mjs');
      await writeFile(
        hooks,
        `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(log)}, url + '\\n');
  return next(url, context);
}
`,
      );
      const register = path.join(dir, 'register.mjs');
      await writeFile(
        register,
        `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
register(${JSON.stringify('file://' + hooks)});
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(${JSON.stringify(log)}, Object.keys(cache).join('\\n') + '\\n'));
`,
      );
      const scenario = path.join(repoRoot, 'test/vectors/example-01-sequential-waterfall.json');
      const out = await run(
        process.execPath,
        ['--import', register, path.join(plugin, 'bin/run.js'), 'cpq', 'price', '--scenario', scenario, '--json'],
        { cwd: repoRoot, env: { ...process.env, SF_DISABLE_TELEMETRY: 'true' } },
      );
      expect((JSON.parse(out.stdout) as { result: { totals: { net: string } } }).result.totals.net).to.equal('14364.00');
      const loaded = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
      const commands = loaded.filter((u) => u.includes('/plugin/lib/commands/')).map((u) => u.slice(u.indexOf('/lib/')));
      expect(commands).to.deep.equal(['/lib/commands/cpq/price.js']);
      // The loader saw the command: a check that the log is complete enough to trust its absences.
      expect(loaded.some((u) => u.includes('/node_modules/@oclif/core/lib/command.js'))).to.equal(true);
      const heavyModules = [
        '@salesforce/sf-plugins-core',
        '@salesforce/core',
        '@salesforce/source-deploy-retrieve',
        '@jsforce/jsforce-node',
        'jsforce',
        '@oclif/table',
        'fastify',
        'better-sqlite3',
        'csv-parse',
      ];
      for (const heavy of heavyModules) {
        expect(
          loaded.filter((u) => u.includes(`/node_modules/${heavy}/`)),
          heavy,
        ).to.deep.equal([]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
