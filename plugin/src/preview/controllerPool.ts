import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CpqError, type FieldIssue } from '../core/errors.js';
import type { User } from '../core/records.js';

/**
 * The portal server's pricing workers (docs/PERFORMANCE.md, "More than one thread"). The server thread keeps
 * HTTP, sessions, pages and compression; each controller call goes to a worker thread with its own SQLite
 * connection (WAL: readers never wait, writers take turns) and its own services.
 *
 * Every call about one quote goes to the same worker, its "home": a save answers only the lines whose figures
 * changed since the version the client edited (services/answeredFigures.ts), which is sound only when one
 * thread gave all the answers about that quote. A quote's home is the worker that first answered its lines
 * (for a quote never answered yet, a hash of its id picks one): a quote created by a call without a quote
 * (createQuote) lives in the worker that created it.
 * The server thread finds the quote by a look at the body's text; the worker checks it against the parsed
 * parameters and sends a call that named another quote (or none) back to be routed again.
 */

export type WorkerSetup = { dbFile: string; today: string | null };

export type WorkerCall = {
  kind: 'call';
  id: number;
  className: string;
  methodName: string;
  /** The request body as sent: the worker parses it (fastify's checks against prototype poisoning). */
  body: string;
  user: User;
  /** The quote the server thread routed this call by; null when it found none. */
  routedQuoteId: string | null;
};

export type AnsweredElsewhere = { kind: 'answeredElsewhere'; quoteId: string; version: number };

export type WorkerAnswer =
  | { id: number; kind: 'ok'; json: string; answered: { quoteId: string; version: number } | null }
  | { id: number; kind: 'error'; status: number; code: string; message: string; issues: FieldIssue[] }
  | { id: number; kind: 'misrouted'; quoteId: string | null }
  | { id: number; kind: 'internal'; message: string };

/** A refusal computed in a worker, answered as the same CpqError would be in the server thread. */
export class WorkerCpqError extends CpqError {
  public constructor(status: number, code: string, message: string, issues: FieldIssue[]) {
    super(message, status as CpqError['status'], code, issues);
  }
}

type Pending = { worker: number; call: WorkerCall; resolve: (json: string) => void; reject: (error: Error) => void };

/** `"quoteId": "..."` in a JSON text, without escapes (an escaped id is found by the worker instead). */
const QUOTE_ID_IN_TEXT = /"quoteId"\s*:\s*"([^"\\]*)"/;

/** FNV-1a: a quote's home when no call created it here. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** A worker thread running controllerWorker: the built .js, or the .ts source under tsx (tests, benches). */
function startWorker(setup: WorkerSetup, name: string): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./controllerWorker.js', import.meta.url), { workerData: setup, name });
  // Node 20's worker threads do not inherit the loader hooks tsx registered in this thread: register them there first.
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(tsxPackage, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const tsx = pathToFileURL(path.join(path.dirname(tsxPackage), manifest.exports['./esm/api']!.import.default)).href;
  const entry = new URL('./controllerWorker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: setup, name });
}

export class ControllerPool {
  private readonly workers: Worker[] = [];
  private readonly inFlight: number[] = [];
  private readonly pending = new Map<number, Pending>();
  /**
   * Each answered quote's home: the worker that first answered its lines. One entry per real quote (an answer
   * means the quote exists and the caller sees it), so ids a client makes up never fill it.
   */
  private readonly homes = new Map<string, number>();
  private nextId = 1;
  private turn = 0;
  private closing = false;

  private constructor(
    private readonly setup: WorkerSetup,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts `size` workers and waits until each has opened the database. */
  public static async start(size: number, setup: WorkerSetup, log: (line: string) => void): Promise<ControllerPool> {
    const pool = new ControllerPool(setup, log);
    try {
      await Promise.all(Array.from({ length: size }, (_, i) => pool.spawn(i)));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  public get size(): number {
    return this.workers.length;
  }

  /** Calls answered by each worker, and calls sent back to be routed again (the text named another quote). */
  public readonly stats = { answered: [] as number[], rerouted: 0 };

  /** The worker that answers calls about `quoteId` (tests). */
  public workerOf(quoteId: string): number {
    return this.homeOf(quoteId);
  }

  /** Stops a worker as a crash would (tests): its calls fail, and another starts in its place. */
  public async crash(index: number): Promise<void> {
    await this.workers[index]!.terminate();
  }

  /** Runs `Class.method` in a worker; resolves with the answer's JSON text, rejects with the call's error. */
  public invoke(className: string, methodName: string, body: string, user: User): Promise<string> {
    const routedQuoteId = QUOTE_ID_IN_TEXT.exec(body)?.[1] ?? null;
    const call: WorkerCall = { kind: 'call', id: this.nextId++, className, methodName, body, user, routedQuoteId };
    return new Promise<string>((resolve, reject) => this.send(call, resolve, reject));
  }

  public async close(): Promise<void> {
    this.closing = true;
    for (const p of this.pending.values()) p.reject(new Error('the server is stopping'));
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private homeOf(quoteId: string | null): number {
    if (quoteId === null) {
      // No quote: the least busy worker, the ties taken in turn (new quotes spread over the workers).
      const n = this.workers.length;
      const start = this.turn++ % n;
      let best = start;
      for (let k = 1; k < n; k++) {
        const i = (start + k) % n;
        if (this.inFlight[i]! < this.inFlight[best]!) best = i;
      }
      return best;
    }
    return this.homes.get(quoteId) ?? hashOf(quoteId) % this.workers.length;
  }

  private send(call: WorkerCall, resolve: Pending['resolve'], reject: Pending['reject']): void {
    if (this.closing) {
      reject(new Error('the server is stopping'));
      return;
    }
    const worker = this.homeOf(call.routedQuoteId);
    this.pending.set(call.id, { worker, call, resolve, reject });
    this.inFlight[worker]!++;
    this.workers[worker]!.postMessage(call);
  }

  private onAnswer(worker: number, answer: WorkerAnswer): void {
    const pending = this.pending.get(answer.id);
    if (!pending) return;
    this.pending.delete(answer.id);
    this.inFlight[worker]!--;
    this.stats.answered[worker] = (this.stats.answered[worker] ?? 0) + 1;
    switch (answer.kind) {
      case 'ok':
        if (answer.answered) this.noteAnswered(worker, answer.answered.quoteId, answer.answered.version);
        pending.resolve(answer.json);
        return;
      case 'error':
        pending.reject(new WorkerCpqError(answer.status, answer.code, answer.message, answer.issues));
        return;
      case 'misrouted':
        // The parameters name another quote than the text seemed to: route by the parsed one.
        this.stats.rerouted++;
        this.send({ ...pending.call, id: this.nextId++, routedQuoteId: answer.quoteId }, pending.resolve, pending.reject);
        return;
      case 'internal': {
        const error = new Error(answer.message.split('\n')[0]);
        error.stack = answer.message;
        pending.reject(error);
        return;
      }
    }
  }

  /**
   * A worker answered a quote's lines. The first answer makes that worker the quote's home (a new quote lives
   * where it was created); an answer from another worker afterwards (no call does that today) spoils what the
   * home knows of that version.
   */
  private noteAnswered(worker: number, quoteId: string, version: number): void {
    const home = this.homes.get(quoteId);
    if (home === worker) return;
    if (home === undefined) {
      this.homes.set(quoteId, worker);
      return;
    }
    const elsewhere: AnsweredElsewhere = { kind: 'answeredElsewhere', quoteId, version };
    this.workers[home]!.postMessage(elsewhere);
  }

  private spawn(index: number): Promise<void> {
    const worker = startWorker(this.setup, `cpq-pricing-${index + 1}`);
    this.workers[index] = worker;
    this.inFlight[index] = 0;
    return new Promise<void>((ready, failed) => {
      let started = false;
      worker.on('message', (message: WorkerAnswer | { kind: 'ready' }) => {
        if (message.kind === 'ready') {
          started = true;
          ready();
        } else this.onAnswer(index, message);
      });
      worker.on('error', (error) => {
        this.log(`pricing worker ${index + 1} failed: ${error.stack ?? error.message}`);
        if (!started) failed(error);
      });
      worker.on('exit', (code) => {
        if (this.closing) return;
        // Its calls are lost: answer them as failed, and start a fresh worker (an empty cache is always sound).
        for (const [id, p] of this.pending) {
          if (p.worker !== index) continue;
          this.pending.delete(id);
          p.reject(new Error(`pricing worker ${index + 1} stopped (exit code ${code})`));
        }
        if (!started) {
          failed(new Error(`pricing worker ${index + 1} stopped while starting (exit code ${code})`));
          return;
        }
        this.log(`pricing worker ${index + 1} stopped (exit code ${code}); starting another`);
        this.spawn(index).catch((error: unknown) =>
          this.log(
            `pricing worker ${index + 1} could not start again: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
      });
    });
  }
}
