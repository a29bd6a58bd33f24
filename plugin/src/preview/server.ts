import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { fastifyCompress } from '@fastify/compress';
import { fastifyCookie } from '@fastify/cookie';
import { fastify, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { CpqError, MAX_ISSUES_REPORTED, NotFoundError } from '../core/errors.js';
import { MAX_QUOTE_LINES } from '../core/limits.js';
import type { User } from '../core/records.js';
import { expireQuotes } from '../services/quotes.js';
import { generateRenewals } from '../services/renewals.js';
import { runDailyDeals } from '../services/deals.js';
import { QuoteService } from '../services/quotes.js';
import { OrderService } from '../services/orders.js';
import { DEMO_MARKER_USER_ID, demoReferenceData, seedDemoData } from '../store/demo.js';
import type { CpqStore } from '../store/port.js';
import { SqliteStore } from '../store/sqlite/sqliteStore.js';
import { createControllers, invokeController, viewerOf, type CallContext } from './controllers.js';
import { bundleMissingPage, FAVICON, loginPage, notFoundPage, shellPage } from './pages.js';
import { PORTAL_PAGES, portalRouteOf } from './portalRoutes.js';
import { SESSION_COOKIE, SessionStore } from './sessions.js';
import { insideRoot, sendFile } from './staticFiles.js';
import { currentUser, getVisibleContract } from '../services/visibleReads.js';
import { preferredLocale, QuoteDocumentService } from '../services/quoteDocument.js';
import { renderQuoteDocumentPdf } from './quoteDocumentPdf.js';
import { ControllerPool } from './controllerPool.js';

/**
 * The local partner portal: a fastify server on 127.0.0.1 serving the portal page and answering
 * `POST /apex/<Class>/<method>` with JSON, as the Apex controllers do in an org. Sign-in picks one of the
 * store's users; the session cookie (random token, HttpOnly, SameSite=Strict) identifies the caller, and
 * every controller call runs as that user's Viewer, so visibility is the services' and the store's.
 */

export type PortalServerOptions = {
  dbFile: string;
  /** 0 = any free port. */
  port: number;
  host?: string;
  /** Today's date (YYYY-MM-DD) for quotes, orders and renewals; the real date unless a demo fixes it. */
  today?: () => string;
  log?: (line: string) => void;
  /** The built portal bundle (npm run build:portal); plugin/lib/portal by default. */
  portalDir?: string;
  /**
   * Pricing workers (threads) that answer the controller calls, each with its own SQLite connection
   * (controllerPool.ts); 0, the default, answers them in the server thread. With workers, `today` is read once.
   */
  workers?: number;
};

/** plugin/lib/portal, from src/preview (tsx) and from lib/preview (built) alike. */
export const DEFAULT_PORTAL_DIR = path.resolve(import.meta.dirname, '../../lib/portal');

/** SLDS's assets folder (styles, icons, images), served at /assets; undefined when SLDS is not installed. */
function sldsAssetsDir(): string | undefined {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('@salesforce-ux/design-system/package.json')), 'assets');
  } catch {
    return undefined;
  }
}

export type PortalServer = {
  url: string;
  port: number;
  close(): Promise<void>;
  store: CpqStore;
  /** The pricing workers, when the server was started with some. */
  pool?: ControllerPool;
};

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * A controller call's body, read only once the session is known: room for a save of the largest quote
 * (MAX_QUOTE_LINES lines; the editor sends about 150 bytes a line, a client may send lines back with their
 * prices, about 1 KB a line, which the server ignores).
 */
const API_BODY_LIMIT = 4 * 1024 * 1024;
/** Every other body (the sign-in form), which anybody may send: small. */
const PUBLIC_BODY_LIMIT = 16 * 1024;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** A controller call's body as sent, for a pricing worker to parse. */
class RawJsonBody {
  public constructor(public readonly text: string) {}
}

type ErrorBody = {
  error: { code: string; message: string; issues: { path: string; message: string; code?: string }[]; issueCount?: number };
};

/** The first MAX_ISSUES_REPORTED issues, and `issueCount` when there were more. */
function errorBody(code: string, message: string, issues: ErrorBody['error']['issues'] = []): ErrorBody {
  if (issues.length <= MAX_ISSUES_REPORTED) return { error: { code, message, issues } };
  return { error: { code, message, issues: issues.slice(0, MAX_ISSUES_REPORTED), issueCount: issues.length } };
}

function realToday(): string {
  return new Date().toISOString().slice(0, 10);
}

export async function startPortalServer(options: PortalServerOptions): Promise<PortalServer> {
  const log = options.log ?? ((): void => undefined);
  const today = options.today ?? realToday;
  const host = options.host ?? '127.0.0.1';
  const store = SqliteStore.open(options.dbFile);
  let timer: NodeJS.Timeout | undefined;
  let pool: ControllerPool | undefined;
  try {
    await seedIfEmpty(store, today(), log);
    await runRenewals(store, today(), log);
    const workers = options.workers ?? 0;
    if (workers > 0) {
      pool = await ControllerPool.start(workers, { dbFile: options.dbFile, today: options.today ? options.today() : null }, log);
      log(`${workers} pricing worker(s) answer the controller calls`);
    }
    const app = await buildApp(store, today, log, LOOPBACK_HOSTS.has(host), options.portalDir ?? DEFAULT_PORTAL_DIR, pool);
    await app.listen({ host, port: options.port });
    const port = (app.server.address() as AddressInfo).port;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    // Once a day: renewals come due while the server runs.
    let running = false;
    timer = setInterval(() => {
      if (running) return;
      running = true;
      runRenewals(store, today(), log)
        .catch((error: unknown) => log(`renewal run failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          running = false;
        });
    }, DAY_MS).unref();
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      store,
      ...(pool ? { pool } : {}),
      close(): Promise<void> {
        closing ??= (async (): Promise<void> => {
          clearInterval(timer);
          await app.close();
          await pool?.close();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    clearInterval(timer);
    await pool?.close();
    await store.close();
    throw error;
  }
}

/**
 * Seeds the demo story into an empty database, and finishes a demo seed that was interrupted (the demo's
 * marker user is written last). A database with users of its own is never touched.
 */
async function seedIfEmpty(store: CpqStore, today: string, log: (line: string) => void): Promise<void> {
  if (await store.getUser(DEMO_MARKER_USER_ID)) return;
  const demoUsers = new Set(demoReferenceData(today).users.map((u) => u.id));
  const users = await store.listUsers();
  if (users.some((u) => !demoUsers.has(u.id))) {
    log(`The database has users of its own: no demo data seeded`);
    return;
  }
  const seeded = await seedDemoData(store, { today });
  if (seeded.seeded) {
    const counts = Object.entries(seeded.counts)
      .map(([what, n]) => `${n} ${what}`)
      .join(', ');
    log(`Seeded the demo data (${counts})`);
  }
}

/**
 * The daily job: quotes past their expiry become Expired, deal registrations escalate or expire (docs/DEALS.md),
 * then due contracts get renewal quotes.
 */
async function runRenewals(store: CpqStore, asOf: string, log: (line: string) => void): Promise<void> {
  const { expired } = await expireQuotes(store, asOf);
  if (expired.length > 0) log(`Expired ${expired.length} quote(s) past their expiry date (${expired.join(', ')})`);
  const deals = await runDailyDeals(store, asOf);
  for (const [what, numbers] of Object.entries(deals)) {
    if (numbers.length > 0) log(`Deal registrations ${what}: ${numbers.join(', ')}`);
  }
  const run = await generateRenewals(store, { asOf });
  const numbers = run.quotes.map((q) => q.number).filter((n): n is string => n !== null);
  log(
    `Renewals as of ${run.asOf} (${run.leadDays} days ahead): ${run.contractsDue} contract(s) due, ` +
      `${run.created} renewal quote(s) created${numbers.length > 0 ? ` (${numbers.join(', ')})` : ''}, ${run.skipped} already renewed`,
  );
}

type ResourceManifest = Record<string, { contentType: string; file: string }>;

async function readResources(portalDir: string): Promise<ResourceManifest> {
  try {
    return JSON.parse(await readFile(path.join(portalDir, 'resources.json'), 'utf8')) as ResourceManifest;
  } catch {
    return {};
  }
}

function isJson(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  return typeof type === 'string' && type.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * Same-origin check for state-changing requests. Browsers say where a request comes from in
 * Sec-Fetch-Site: only same-origin (or a user's own navigation, "none") may post. Without it (older
 * browsers), Origin must name this host; "null" (an opaque origin) is refused. Clients that are not
 * browsers send neither and are let through: a session cookie is still required for anything but sign-in.
 */
function crossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  if (origin === 'null') return true;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

/** The shell page runs the bundle's scripts (same origin only); LWC's synthetic shadow adds <style> elements. */
const SHELL_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/** Every other page: no script at all. */
const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

async function buildApp(
  store: CpqStore,
  today: () => string,
  log: (line: string) => void,
  loopback: boolean,
  portalDir: string,
  pool: ControllerPool | undefined,
): Promise<FastifyInstance> {
  const app = fastify({ logger: false, bodyLimit: PUBLIC_BODY_LIMIT });
  const sessions = new SessionStore();
  const controllers = createControllers(store, today);
  const quotes = new QuoteService(store, today);
  const orders = new OrderService(store, today);
  const callers = new WeakMap<FastifyRequest, CallContext>();

  void app.register(fastifyCookie);
  // br or gzip for every compressible answer over 1 KB (JSON, HTML, JS, CSS, SVG): a 1,000-line getQuote goes
  // from about 0.9 MB to well under 100 KB. Brotli at quality 4: close to gzip's speed, smaller output
  // (quality 11, the default, costs tens of milliseconds per large answer).
  // Awaited: the plugin compresses the routes declared after it is loaded.
  await app.register(fastifyCompress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
  });

  // JSON bodies with fastify's prototype-poisoning checks; an empty body is an empty parameter object.
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // With pricing workers, a controller call's body is parsed in the worker that answers it.
    if (pool && request.url.startsWith('/apex/')) done(null, new RawJsonBody(text));
    else if (text.trim() === '') done(null, {});
    else void jsonParser(request, text, done);
  });
  // The sign-in form.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
  });

  app.addHook('onRequest', async (request, reply) => {
    // DNS rebinding: a loopback server answers only to loopback host names.
    if (loopback) {
      const hostHeader = request.headers.host ?? '';
      const name = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0]!;
      if (!LOOPBACK_HOSTS.has(name.toLowerCase())) {
        return reply
          .code(421)
          .type('application/json')
          .send(errorBody('MISDIRECTED', 'this server answers only on 127.0.0.1 or localhost'));
      }
    }
    if (request.method === 'POST' && crossSite(request)) {
      return reply.code(403).type('application/json').send(errorBody('CROSS_SITE', 'cross-site requests are refused'));
    }
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    // Static files say how long they may be cached; everything else (pages, data) is never stored.
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    // same-origin, not no-referrer: with no-referrer a browser posts forms with Origin: null.
    void reply.header('referrer-policy', 'same-origin');
    void reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('content-security-policy')) void reply.header('content-security-policy', PAGE_CSP);
    return payload;
  });

  async function signedInUser(request: FastifyRequest): Promise<User | undefined> {
    const session = sessions.get(request.cookies[SESSION_COOKIE]);
    if (!session) return undefined;
    const user = await store.getUser(session.userId);
    if (!user) sessions.destroy(session.token);
    return user;
  }

  const html = (reply: FastifyReply, status: number, page: string): FastifyReply =>
    reply.code(status).type('text/html; charset=utf-8').send(page);

  // The portal's pages: the shell for a signed-in user, which routes to the components by URL.
  const portalPaths = ['/', '/quotes/:quoteId', ...PORTAL_PAGES.map((p) => p.path), '/order/:orderId', '/contract/:contractId'];
  for (const url of portalPaths) {
    app.get(url, async (request, reply) => {
      const user = await signedInUser(request);
      if (!user) return reply.redirect('/login', 303);
      const route = portalRouteOf(new URL(request.url, 'http://portal').pathname);
      let found = route !== undefined;
      if (route?.kind === 'page') found = route.roles.includes(user.role);
      if (route?.kind === 'order' || route?.kind === 'contract') found = route.roles.includes(user.role);
      if (found && route && route.kind !== 'page') {
        try {
          if (route.kind === 'quote') await quotes.load(viewerOf(user), route.quoteId);
          else if (route.kind === 'order') await orders.getOrder(viewerOf(user), route.orderId);
          else await getVisibleContract(store, viewerOf(user), route.contractId);
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
          found = false;
        }
      }
      if (!(await bundleBuilt())) return html(reply, 503, bundleMissingPage());
      void reply.header('content-security-policy', SHELL_CSP);
      return html(reply, found ? 200 : 404, shellPage({ user: await currentUser(store, user), notFound: !found }));
    });
  }

  // The quote document for the end customer (docs/DOCUMENT.md): whoever may read the quote; 404 to anyone
  // else, exactly as for a quote that does not exist. ?lang=en|sv chooses the language, ?locale= the number
  // and date format (else the user's own locale, else the browser's Accept-Language).
  const documents = new QuoteDocumentService(store, today);
  app.get<{ Params: { quoteId: string }; Querystring: { lang?: string; locale?: string } }>(
    '/quote/:quoteId/document.pdf',
    async (request, reply) => {
      const user = await signedInUser(request);
      if (!user) return reply.redirect('/login', 303);
      const { lang, locale } = request.query;
      let data;
      try {
        data = await documents.templateData(viewerOf(user), request.params.quoteId, {
          language: typeof lang === 'string' ? lang : undefined,
          // ?locale= first, then the user's own locale (as UserInfo.getLocale() in an org), then the browser's.
          locale:
            typeof locale === 'string' && locale !== ''
              ? locale
              : (user.locale ?? preferredLocale(request.headers['accept-language'])),
        });
      } catch (error) {
        if (error instanceof NotFoundError) return html(reply, 404, notFoundPage());
        throw error;
      }
      const pdf = await renderQuoteDocumentPdf(data);
      const file = `${data.texts.title}-${data.number}-v${data.version}.pdf`.replace(/[^A-Za-z0-9._-]/g, '_');
      return reply.code(200).type('application/pdf').header('content-disposition', `inline; filename="${file}"`).send(pdf);
    },
  );

  // The bundle: portal.js keeps its name across builds (revalidated), its chunks are content-hashed.
  const bundleBuilt = async (): Promise<boolean> =>
    stat(path.join(portalDir, 'portal.js')).then(
      (s) => s.isFile(),
      () => false,
    );
  app.get<{ Params: { '*': string } }>('/portal/*', async (request, reply) => {
    const file = request.params['*'];
    const cache = file.startsWith('chunks/') ? 'immutable' : 'revalidate';
    if (!(await sendFile(request, reply, insideRoot(portalDir, file), { cache }))) return html(reply, 404, notFoundPage());
    return reply;
  });

  // Asked for by browsers and tools whatever the page says: the same icon as the pages' <link rel="icon">.
  app.get('/favicon.ico', async (_request, reply) => reply.redirect(FAVICON, 301));

  const assetsDir = sldsAssetsDir();
  app.get<{ Params: { '*': string } }>('/assets/*', async (request, reply) => {
    const file = assetsDir === undefined ? undefined : insideRoot(assetsDir, request.params['*']);
    if (!(await sendFile(request, reply, file, { cache: 'hour' }))) return html(reply, 404, notFoundPage());
    return reply;
  });

  // Static resources (force-app/main/default/staticresources, copied by the build with their content types).
  app.get<{ Params: { '*': string } }>('/resources/*', async (request, reply) => {
    const [name = '', ...rest] = request.params['*'].split('/');
    const manifest = await readResources(portalDir);
    const resource = Object.hasOwn(manifest, name) ? manifest[name] : undefined;
    let sent = false;
    if (resource && resource.file.endsWith('/')) {
      sent = await sendFile(request, reply, insideRoot(path.join(portalDir, 'resources'), `${name}/${rest.join('/')}`), {
        cache: 'revalidate',
      });
    } else if (resource && rest.length === 0) {
      sent = await sendFile(request, reply, insideRoot(path.join(portalDir, 'resources'), name), {
        cache: 'revalidate',
        contentType: resource.contentType,
      });
    }
    if (!sent) return html(reply, 404, notFoundPage());
    return reply;
  });

  app.get('/login', async (request, reply) => {
    const [users, accounts, current] = await Promise.all([store.listUsers(), store.listAccounts(), signedInUser(request)]);
    return html(reply, 200, loginPage({ users, accounts, signedInAs: current }));
  });

  app.post('/login', async (request, reply) => {
    const body = request.body;
    const userId =
      body !== null && typeof body === 'object' && 'userId' in body && typeof body.userId === 'string' ? body.userId : '';
    const user = userId === '' ? undefined : await store.getUser(userId);
    if (!user) {
      const [users, accounts] = await Promise.all([store.listUsers(), store.listAccounts()]);
      return html(reply, 400, loginPage({ users, accounts, error: 'Choose one of the users below.' }));
    }
    // A new token on every sign-in (no session fixation); the previous session ends.
    sessions.destroy(request.cookies[SESSION_COOKIE]);
    const session = sessions.create(user.id);
    void reply.setCookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'strict', path: '/' });
    log(`${user.name} (${user.role}, ${user.accountId}) signed in`);
    return reply.redirect('/', 303);
  });

  app.post('/logout', async (request, reply) => {
    sessions.destroy(request.cookies[SESSION_COOKIE]);
    void reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/' });
    return reply.redirect('/login', 303);
  });

  app.post<{ Params: { className: string; methodName: string } }>('/apex/:className/:methodName', {
    bodyLimit: API_BODY_LIMIT,
    // Before the body is read: a session (401), then a JSON body (415), which no cross-site form can send.
    onRequest: async (request, reply) => {
      const user = await signedInUser(request);
      if (!user)
        return reply.code(401).send(errorBody('UNAUTHENTICATED', 'sign in first: your session is missing or has expired'));
      if (!isJson(request)) {
        return reply
          .code(415)
          .send(errorBody('UNSUPPORTED_MEDIA_TYPE', 'send the parameters as JSON with content-type: application/json'));
      }
      callers.set(request, { user, viewer: viewerOf(user) });
    },
    handler: async (request, reply) => {
      const ctx = callers.get(request)!;
      if (pool && request.body instanceof RawJsonBody) {
        const json = await pool.invoke(request.params.className, request.params.methodName, request.body.text, ctx.user);
        return reply.code(200).type('application/json; charset=utf-8').send(json);
      }
      const result = await invokeController(controllers, request.params.className, request.params.methodName, request.body, ctx);
      return reply
        .code(200)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(result ?? null));
    },
  });

  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/apex/'))
      return reply.code(404).send(errorBody('NOT_FOUND', `no controller method answers ${request.method} ${request.url}`));
    return html(reply, 404, notFoundPage());
  });

  app.setErrorHandler(async (error: FastifyError | CpqError | Error, request, reply) => {
    if (error instanceof CpqError) {
      return reply.code(error.status).send(errorBody(error.code, error.message, error.issues));
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 413) {
      const limit = request.url.startsWith('/apex/') ? API_BODY_LIMIT : PUBLIC_BODY_LIMIT;
      const message = `the request is larger than the ${limit / 1024} KB this server reads${
        request.url.startsWith('/apex/') ? ` (a quote may hold at most ${MAX_QUOTE_LINES} lines)` : ''
      }`;
      return reply.code(413).send(errorBody('BODY_TOO_LARGE', message, [{ path: '(body)', message }]));
    }
    if (status < 500) {
      const code = 'code' in error && typeof error.code === 'string' ? error.code : 'BAD_REQUEST';
      return reply.code(status).send(errorBody(code, error.message, [{ path: '(body)', message: error.message }]));
    }
    log(`error on ${request.method} ${request.url}: ${error.stack ?? error.message}`);
    return reply.code(500).send(errorBody('INTERNAL', 'unexpected server error: see the server log'));
  });

  return app;
}
