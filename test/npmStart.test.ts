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
      // Generous: on a loaded machine the first start (demo data, renewals) can take a while.
      this.timeout(180_000);
      // Its own process group, so that whatever happens the test leaves nothing running (see finally).
      const npm = spawn('npm', ['start', '--', '--db', path.join(dir, `${signal}.db`), '-p', '0'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
      let output = '';
      try {
        const port = await new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`npm start did not listen:\n${output}`)), 150_000);
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
        // The signal goes to npm alone, as a terminal's Ctrl-C or a process manager's stop reaches it.
        npm.kill(signal);
        await exited;
        // The server closes as the process ends: give it a moment, then the port must be free.
        for (let i = 0; i < 200 && !(await portIsFree(port)); i++) await new Promise((r) => setTimeout(r, 100));
        expect(await portIsFree(port), `port ${port} still held after ${signal}:\n${output}`).to.equal(true);
      } finally {
        try {
          process.kill(-npm.pid!, 'SIGKILL');
        } catch {
          // Already gone: the expected case.
        }
      }
    });
  }
});
