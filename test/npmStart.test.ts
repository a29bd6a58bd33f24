import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The README's `npm start`, stopped as a terminal or a process manager stops it: SIGINT or SIGTERM sent to npm.
 * npm runs the script through `sh -c`; without `exec` in the script, the shell died and the node server it
 * had started kept running, holding the port.
 */
const root = path.resolve(import.meta.dirname, '..');

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('npm start', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-npm-start-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops the server and frees its port on ${signal} to npm`, async function () {
      this.timeout(60_000);
      const npm = spawn('npm', ['start', '--', '--db', path.join(dir, `${signal}.db`), '-p', '0'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`npm start did not listen:\n${output}`)), 50_000);
        const read = (chunk: Buffer): void => {
          output += chunk.toString();
          const found = /http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
          if (found) {
            clearTimeout(timer);
            resolve(Number(found[1]));
          }
        };
        npm.stdout.on('data', read);
        npm.stderr.on('data', read);
      });
      expect(await portIsFree(port)).to.equal(false);
      const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
      npm.kill(signal);
      await exited;
      // The server closes as the process ends: give it a moment, then the port must be free.
      for (let i = 0; i < 50 && !(await portIsFree(port)); i++) await new Promise((r) => setTimeout(r, 100));
      expect(await portIsFree(port), `port ${port} still held after ${signal}:\n${output}`).to.equal(true);
    });
  }
});
