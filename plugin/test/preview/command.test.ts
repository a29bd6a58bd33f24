import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildWorld } from './fixtures.js';

// The real command through oclif's bin, as `npm start` runs it (the plugin is built by `npm test` first).
const root = path.resolve(import.meta.dirname, '../../..');
const bin = path.join(root, 'plugin/bin/run.js');

type Running = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function start(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [bin, 'cpq', 'preview', ...args], {
    cwd: root,
    env: { ...process.env, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(running: Running, pattern: RegExp, ms = 30_000): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  for (;;) {
    const match = running.output().match(pattern);
    if (match) return match;
    if (running.child.exitCode !== null || Date.now() > until) throw new Error(`no ${String(pattern)} in:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('sf cpq preview', () => {
  let dir: string;
  let running: Running | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-preview-cmd-'));
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    running = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('prints where it listens (port from PORT), serves the portal and closes cleanly on SIGINT', async () => {
    const dbFile = path.join(dir, 'cpq.db');
    await buildWorld(dbFile);
    running = start(['--db', dbFile, '--today', '2026-03-01'], { PORT: '0' });
    const [, url, port, database] = await waitFor(
      running,
      /Channel CPQ partner portal on (http:\/\/127\.0\.0\.1:(\d+)) \(database (.+)\)/,
    );
    expect(Number(port)).to.be.greaterThan(0);
    expect(database).to.equal(dbFile);
    expect(running.output()).to.match(/Renewals as of 2026-03-01/);
    const login = await fetch(`${url}/login`);
    expect(login.status).to.equal(200);
    expect(await login.text()).to.contain('Rita One');

    running.child.kill('SIGINT');
    expect(await running.exited).to.equal(0);
    expect(running.output()).to.contain('Stopping the partner portal.');
  });

  it('refuses a --today that is not a calendar date', async () => {
    running = start(['--db', path.join(dir, 'x.db'), '--today', '2026-02-30', '--port', '0']);
    expect(await running.exited).to.equal(1);
    expect(running.output()).to.contain('--today must be a calendar date');
  });
});
