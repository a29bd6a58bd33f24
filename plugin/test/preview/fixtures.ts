import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { User, Viewer } from '../../src/core/records.js';
import { startPortalServer, type PortalServer } from '../../src/preview/server.js';
import { OrderService } from '../../src/services/orders.js';
import { QuoteService, type QuoteDetail } from '../../src/services/quotes.js';
import type { ReferenceData } from '../../src/store/port.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';

/**
 * A small world of our own for the portal tests (independent of the demo story), written through the real
 * services into a real SQLite file:
 * - vendor V; distributor D1 sells to resellers R1 and R2, distributor D2 to reseller R3;
 * - R1 has an ordered and activated quote whose contract ends 30 days after TODAY (so the server's
 *   renewal run at start makes a renewal quote for it), a draft, and a quote waiting for approval;
 * - R2 has an accepted quote ordered (placed) by D1; R3 has a draft with D2.
 */

export const TODAY = '2026-03-01';

export const USERS = {
  vendor: { id: 'u-vendor-admin', name: 'Val Vendor', email: 'val@vendor.example', role: 'vendorAdmin', accountId: 'V' },
  d1: { id: 'u-d1', name: 'Dana One', email: 'dana@d1.example', role: 'distributorUser', accountId: 'D1' },
  d2: { id: 'u-d2', name: 'Dirk Two', email: 'dirk@d2.example', role: 'distributorUser', accountId: 'D2' },
  r1: { id: 'u-r1', name: 'Rita One', email: 'rita@r1.example', role: 'resellerUser', accountId: 'R1' },
  // Rob reads German: his dates and amounts (and his quote documents) are written de-DE.
  r2: { id: 'u-r2', name: 'Rob Two', email: 'rob@r2.example', role: 'resellerUser', accountId: 'R2', locale: 'de-DE' },
  r3: { id: 'u-r3', name: 'Ruth Three', email: 'ruth@r3.example', role: 'resellerUser', accountId: 'R3' },
} as const satisfies Record<string, User>;

export type UserKey = keyof typeof USERS;

const agreement = (id: string, partnerId: string, sellerId: string, rules: ReferenceData['agreements'][number]['rules']) => ({
  id,
  name: `${partnerId} buys from ${sellerId}`,
  partnerId,
  sellerId,
  validFrom: '2025-01-01',
  status: 'Active' as const,
  rules,
  tiers: [],
});

export const REFERENCE: ReferenceData = {
  settings: { roundingMode: 'halfUp', channelMode: 'sequential', bookingsCurrency: 'USD' },
  accounts: [
    { id: 'V', type: 'vendor', name: 'Vendor Inc' },
    { id: 'D1', type: 'distributor', name: 'Distri One', country: 'SE', region: 'EMEA' },
    { id: 'D2', type: 'distributor', name: 'Distri Two', country: 'US', region: 'AMER' },
    { id: 'R1', type: 'reseller', name: 'Reseller One', country: 'SE', region: 'EMEA' },
    { id: 'R2', type: 'reseller', name: 'Reseller Two', country: 'SE', region: 'EMEA' },
    { id: 'R3', type: 'reseller', name: 'Reseller Three', country: 'US', region: 'AMER' },
    { id: 'E1', type: 'endCustomer', name: 'Acme & Sons' },
    { id: 'E2', type: 'endCustomer', name: 'Globex' },
  ],
  users: Object.values(USERS),
  products: [
    {
      id: 'LIC',
      name: 'Platform licence',
      sku: 'LIC-12',
      family: 'Licenses',
      type: 'subscription',
      termMonths: 12,
      discountScheduleId: 'S1',
      nonDiscountable: false,
      nonPartnerDiscountable: false,
      tracksInventory: true,
    },
    {
      id: 'SVC',
      name: 'Onboarding',
      sku: 'SVC-1',
      family: 'Services',
      type: 'oneTime',
      nonDiscountable: false,
      nonPartnerDiscountable: false,
      tracksInventory: false,
    },
  ],
  priceBook: [
    { productId: 'LIC', currency: 'USD', listPrice: '1000.00' },
    { productId: 'LIC', currency: 'EUR', listPrice: '900.00' },
    { productId: 'SVC', currency: 'USD', listPrice: '1500.00' },
  ],
  discountSchedules: [
    {
      id: 'S1',
      type: 'range',
      aggregation: 'line',
      tiers: [
        { from: '1', to: '10', discountPercent: '0' },
        { from: '10', to: '50', discountPercent: '10' },
        { from: '50', discountPercent: '15' },
      ],
    },
  ],
  agreements: [
    {
      ...agreement('A-R1-D1', 'R1', 'D1', [
        { scope: 'family', value: 'Licenses', discountPercent: '20', maxAdditionalDiscountPercent: '15' },
        { scope: 'all', discountPercent: '10', maxAdditionalDiscountPercent: '15' },
      ]),
      // Only quotes converted from R1's registered deals earn it (deals.test.ts).
      registeredDealBonusPercent: '5',
    },
    agreement('A-R2-D1', 'R2', 'D1', [{ scope: 'all', discountPercent: '15', maxAdditionalDiscountPercent: '10' }]),
    agreement('A-R3-D2', 'R3', 'D2', [{ scope: 'all', discountPercent: '12', maxAdditionalDiscountPercent: '10' }]),
    agreement('A-D1-V', 'D1', 'V', [{ scope: 'all', discountPercent: '30' }]),
    agreement('A-D2-V', 'D2', 'V', [{ scope: 'all', discountPercent: '25' }]),
  ],
  defaultDistributorRules: [
    { id: 'DD-EMEA', distributorId: 'D1', region: 'EMEA' },
    { id: 'DD-AMER', distributorId: 'D2', region: 'AMER' },
  ],
  inventory: [
    { distributorId: 'D1', productId: 'LIC', quantity: '500' },
    { distributorId: 'D2', productId: 'LIC', quantity: '100' },
  ],
};

export function viewer(key: UserKey): Viewer {
  const u = USERS[key];
  return { userId: u.id, role: u.role, accountId: u.accountId };
}

/** Ids of the records the world holds. */
export type World = {
  r1Activated: { quoteId: string; orderId: string };
  r1Draft: string;
  r1Pending: string;
  r2Ordered: { quoteId: string; orderId: string };
  r3Draft: string;
};

/** Writes the world into a new SQLite file through the services. */
export async function buildWorld(dbFile: string): Promise<World> {
  const store = SqliteStore.open(dbFile);
  try {
    await store.upsertReferenceData(REFERENCE);
    const today = (): string => TODAY;
    const quotes = new QuoteService(store, today);
    const orders = new OrderService(store, today);

    // Started 2025-04-01 for 12 months: the contract ends 2026-03-31, 30 days after TODAY.
    const sold = await quotes.createQuote(viewer('r1'), {
      name: 'R1 sold licences',
      distributorId: 'D1',
      endCustomerId: 'E1',
      currency: 'USD',
      startDate: '2025-04-01',
      termMonths: 12,
      lines: [{ productId: 'LIC', quantity: '30', additionalDiscountPercent: '5' }],
    });
    await quotes.acceptQuote(viewer('r1'), sold.quote.id, sold.quote.version);
    const soldOrder = await orders.placeOrder(viewer('d1'), sold.quote.id);
    await orders.activateOrder(viewer('d1'), soldOrder.id);

    const draft = await quotes.createQuote(viewer('r1'), {
      name: 'R1 draft',
      endCustomerId: 'E2',
      currency: 'USD',
      startDate: '2026-04-01',
      lines: [{ productId: 'LIC', quantity: '10' }],
    });

    // 20 % additional against a 15 % cap: needs D1's approval.
    const big = await quotes.createQuote(viewer('r1'), {
      name: 'R1 big discount',
      endCustomerId: 'E1',
      currency: 'USD',
      startDate: '2026-04-01',
      lines: [{ productId: 'LIC', quantity: '60', additionalDiscountPercent: '20' }],
    });
    await quotes.submitForApproval(viewer('r1'), big.quote.id, big.quote.version, 'Strategic customer');

    const r2 = await quotes.createQuote(viewer('r2'), {
      name: 'R2 services',
      distributorId: 'D1',
      endCustomerId: 'E2',
      currency: 'USD',
      startDate: '2026-04-01',
      lines: [{ productId: 'SVC', quantity: '2' }],
    });
    await quotes.acceptQuote(viewer('r2'), r2.quote.id, r2.quote.version);
    const r2Order = await orders.placeOrder(viewer('d1'), r2.quote.id);

    const r3 = await quotes.createQuote(viewer('r3'), {
      name: 'R3 draft',
      endCustomerId: 'E1',
      currency: 'USD',
      startDate: '2026-04-01',
      lines: [{ productId: 'LIC', quantity: '5' }],
    });

    return {
      r1Activated: { quoteId: sold.quote.id, orderId: soldOrder.id },
      r1Draft: draft.quote.id,
      r1Pending: big.quote.id,
      r2Ordered: { quoteId: r2.quote.id, orderId: r2Order.id },
      r3Draft: r3.quote.id,
    };
  } finally {
    await store.close();
  }
}

export type TestPortal = { server: PortalServer; world: World; dir: string; logs: string[]; stop(): Promise<void> };

/** A fresh world in a temp folder and a real server on 127.0.0.1, any free port. */
/**
 * `workers`: the server's pricing workers (controllerPool.ts); CPQ_TEST_WORKERS=N runs every portal test so.
 */
export async function startTestPortal(options: { portalDir?: string; workers?: number } = {}): Promise<TestPortal> {
  options = { workers: Number(process.env.CPQ_TEST_WORKERS ?? 0), ...options };
  const dir = await mkdtemp(path.join(tmpdir(), 'cpq-preview-'));
  const dbFile = path.join(dir, 'cpq.db');
  const world = await buildWorld(dbFile);
  const logs: string[] = [];
  const server = await startPortalServer({ dbFile, port: 0, today: () => TODAY, log: (line) => logs.push(line), ...options });
  return {
    server,
    world,
    dir,
    logs,
    async stop(): Promise<void> {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type Reply<T = unknown> = { status: number; body: T; headers: Headers; text: string };

/** A browser-like client: keeps the session cookie, never follows redirects. */
export class PortalClient {
  public cookie: string | undefined;

  public constructor(public readonly baseUrl: string) {}

  public async request(
    method: string,
    pathname: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const response = await fetch(`${this.baseUrl}${pathname}`, {
      method,
      redirect: 'manual',
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...init.headers },
      body: init.body,
    });
    const setCookie = response.headers.getSetCookie();
    for (const c of setCookie) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=');
      if (name === 'cpq_session') this.cookie = value ? `cpq_session=${value}` : undefined;
    }
    const text = await response.text();
    let body: unknown = text;
    if ((response.headers.get('content-type') ?? '').startsWith('application/json')) body = JSON.parse(text);
    return { status: response.status, body, headers: response.headers, text };
  }

  public async login(userId: string): Promise<Reply> {
    return this.request('POST', '/login', {
      body: new URLSearchParams({ userId }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  public async apex<T = unknown>(target: string, params: unknown = {}): Promise<Reply<T>> {
    const [cls, method] = target.split('.');
    const reply = await this.request('POST', `/apex/${cls}/${method}`, {
      body: JSON.stringify(params),
      headers: { 'content-type': 'application/json' },
    });
    return reply as Reply<T>;
  }

  /** The result of a call that must succeed. */
  public async ok<T = unknown>(target: string, params: unknown = {}): Promise<T> {
    const reply = await this.apex<T>(target, params);
    if (reply.status !== 200) throw new Error(`${target} answered ${reply.status}: ${reply.text}`);
    return reply.body;
  }
}

export async function signedIn(server: PortalServer, key: UserKey): Promise<PortalClient> {
  const client = new PortalClient(server.url);
  const reply = await client.login(USERS[key].id);
  if (reply.status !== 303 || !client.cookie) throw new Error(`login as ${key} failed: ${reply.status} ${reply.text}`);
  return client;
}

/** Every key path in a JSON value whose key is one of `keys` (recursively). */
export function keyPaths(value: unknown, keys: readonly string[], at = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keyPaths(v, keys, `${at}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(keys.includes(k) ? [`${at}.${k}`] : []),
      ...keyPaths(v, keys, `${at}.${k}`),
    ]);
  }
  return [];
}

export type ErrorReply = {
  error: { code: string; message: string; issues: { path: string; message: string }[]; issueCount?: number };
};

/** R1's new USD quote for E1 with a licence line (3) and a services line (1), created through the portal. */
export function createTwoLineQuote(client: PortalClient): Promise<QuoteDetail> {
  return client.ok<QuoteDetail>('QuoteController.createQuote', {
    quote: {
      endCustomerId: 'E1',
      currency: 'USD',
      startDate: '2026-04-01',
      lines: [
        { productId: 'LIC', quantity: '3' },
        { productId: 'SVC', quantity: '1' },
      ],
    },
  });
}

/** A quote's lines as the editor sends them back on a save (id, product, quantity). */
export function lineInputs(detail: QuoteDetail): { id: string; productId: string; quantity: string }[] {
  return detail.quote.lines.map((l) => ({ id: l.id, productId: l.productId, quantity: l.quantity }));
}
