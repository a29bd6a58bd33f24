import { parentPort, workerData } from 'node:worker_threads';
import { errorCodes } from 'fastify';
import secureJsonParse from 'secure-json-parse';
import { CpqError } from '../core/errors.js';
import type { User } from '../core/records.js';
import { QuoteService } from '../services/quotes.js';
import { SqliteStore } from '../store/sqlite/sqliteStore.js';
import { createControllers, invokeController, viewerOf } from './controllers.js';
import type { AnsweredElsewhere, WorkerAnswer, WorkerCall, WorkerSetup } from './controllerPool.js';

/**
 * A pricing worker of the portal server (docs/PERFORMANCE.md, "More than one thread"): its own connection to
 * the SQLite file (WAL) and its own services, answering the controller calls the server thread routes to it.
 * The server thread keeps HTTP, sessions and pages; the worker parses the body, validates, prices, writes and
 * turns the answer into JSON, which is most of a save's work.
 */

const setup = workerData as WorkerSetup;
const port = parentPort!;
const store = SqliteStore.open(setup.dbFile);
const fixedToday = setup.today;
const today = (): string => fixedToday ?? new Date().toISOString().slice(0, 10);
const quotes = new QuoteService(store, today);
const controllers = createControllers(store, today, quotes);

/** What fastify's default JSON parser answers for a body that is not JSON: its own error, as without workers. */
const INVALID_JSON = new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();

function parseBody(text: string): { ok: true; body: unknown } | { ok: false } {
  // The server's parser turns an empty body into an empty parameter object (server.ts).
  if (text.trim() === '') return { ok: true, body: {} };
  try {
    return { ok: true, body: secureJsonParse.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }) };
  } catch {
    return { ok: false };
  }
}

/** The quote a call names at the top of its parameters (the key the server thread routed it by). */
function quoteIdOf(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const id = (body as Record<string, unknown>).quoteId;
  return typeof id === 'string' ? id : null;
}

/** The quote an answer shows with its lines (a QuoteDetail), so the server thread can route its next calls here. */
function answeredQuoteOf(result: unknown): { quoteId: string; version: number } | null {
  if (result === null || typeof result !== 'object') return null;
  const quote = (result as { quote?: unknown }).quote;
  if (quote === null || typeof quote !== 'object') return null;
  const { id, version } = quote as { id?: unknown; version?: unknown };
  return typeof id === 'string' && typeof version === 'number' ? { quoteId: id, version } : null;
}

async function answer(call: WorkerCall): Promise<WorkerAnswer> {
  const parsed = parseBody(call.body);
  if (!parsed.ok)
    return {
      id: call.id,
      kind: 'error',
      status: INVALID_JSON.statusCode!,
      code: INVALID_JSON.code,
      message: INVALID_JSON.message,
      issues: [{ path: '(body)', message: INVALID_JSON.message }],
    };
  // Routed by a look at the text: the parsed parameters decide. Another quote (or none) goes back to be routed again.
  const quoteId = quoteIdOf(parsed.body);
  if (quoteId !== call.routedQuoteId) return { id: call.id, kind: 'misrouted', quoteId };
  const user: User = call.user;
  try {
    const result = await invokeController(controllers, call.className, call.methodName, parsed.body, {
      user,
      viewer: viewerOf(user),
    });
    return { id: call.id, kind: 'ok', json: JSON.stringify(result ?? null), answered: answeredQuoteOf(result) };
  } catch (error) {
    if (error instanceof CpqError) {
      return { id: call.id, kind: 'error', status: error.status, code: error.code, message: error.message, issues: error.issues };
    }
    const e = error instanceof Error ? error : new Error(String(error));
    return { id: call.id, kind: 'internal', message: e.stack ?? e.message };
  }
}

port.on('message', (message: WorkerCall | AnsweredElsewhere) => {
  if (message.kind === 'answeredElsewhere') {
    quotes.answeredElsewhere(message.quoteId, message.version);
    return;
  }
  void answer(message).then((reply) => port.postMessage(reply));
});
port.postMessage({ kind: 'ready' });
