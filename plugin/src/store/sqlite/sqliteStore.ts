import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import envPaths from 'env-paths';
import { ConflictError, NotFoundError, StateError } from '../../core/errors.js';
import { QUANTITY_DECIMALS, formatScaledShort, parseScaled } from '../../core/exact.js';
import type {
  AccountRecord,
  ApprovalRecord,
  ContractRecord,
  DefaultDistributorRule,
  InventoryRecord,
  OrderRecord,
  ProductRecord,
  QuoteRecord,
  QuoteStatus,
  User,
} from '../../core/records.js';
import { sameEndCustomer } from '../../core/endCustomers.js';
import { ledgerEntriesOf } from '../../core/ledger.js';
import { normaliseRate } from '../../core/rates.js';
import type {
  Agreement,
  Booking,
  DiscountSchedule,
  ExchangeRate,
  PriceBookEntry,
  ProductFamily,
  Settings,
} from '../../core/scenario.js';
import type {
  BookingParty,
  ContractFilter,
  CpqStore,
  InventoryDelta,
  NewOrder,
  OrderFilter,
  OrderTerms,
  QuoteFilter,
  QuoteSideEffects,
  ReferenceData,
} from '../port.js';
import { MIGRATIONS } from './migrations.js';
import { SqliteDealStore } from './sqliteDeals.js';
import { SqliteLogoStore } from './sqliteLogos.js';
import { SqliteNotificationStore } from './sqliteNotifications.js';

/** Where the embedded database lives unless --db says otherwise: the user's data folder. */
export function defaultDatabasePath(): string {
  return path.join(envPaths('channel-cpq', { suffix: '' }).data, 'cpq.db');
}

type JsonRow = { json: string };
type LedgerRow = { partner_id: string; seller_id: string; order_date: string; amount: string; currency: string };

/** The WHERE terms that keep a list to one reseller and/or one distributor (the viewer's scope). */
function partyWhere(filter: { resellerId?: string; distributorId?: string }, alias = ''): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.resellerId !== undefined) {
    where.push(`${alias}reseller_id = ?`);
    params.push(filter.resellerId);
  }
  if (filter.distributorId !== undefined) {
    where.push(`${alias}distributor_id = ?`);
    params.push(filter.distributorId);
  }
  return { where, params };
}

const DEFAULT_SETTINGS: Settings = { roundingMode: 'halfUp', channelMode: 'sequential', bookingsCurrency: 'USD' };

/**
 * The embedded store: one SQLite file (WAL), better-sqlite3's synchronous API behind the async port.
 * Every write method runs in one transaction, so on any error nothing of it is written.
 */
export class SqliteStore implements CpqStore {
  public readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  /** Prepared once per SQL text: preparing is most of the cost of a small statement. */
  private readonly statements = new Map<string, Database.Statement>();
  /** One reusable transaction runner; nested calls become savepoints (better-sqlite3). */
  private runInTransaction!: Database.Transaction<(fn: () => unknown) => unknown>;

  private constructor(public readonly file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // 64 MiB of page cache (the default is 2 MiB): bulk jobs touch index pages all over the file.
    this.db.pragma('cache_size = -65536');
    this.db.pragma('temp_store = MEMORY');
    this.migrate();
    this.runInTransaction = this.db.transaction((fn: () => unknown) => fn());
    this.deals = new SqliteDealStore(this.db, (fn) => this.transaction(fn));
    this.notifications = new SqliteNotificationStore(this.db, (fn) => this.transaction(fn));
    this.logos = new SqliteLogoStore(this.db);
  }

  /** Reseller logos for the quote documents (core/logo.ts). */
  public readonly logos: SqliteLogoStore;

  /** Notifications and the email outbox (core/notifications.ts). */
  public readonly notifications: SqliteNotificationStore;

  /** Deal registrations (docs/DEALS.md). */
  public readonly deals: SqliteDealStore;

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  public static open(file: string = defaultDatabasePath()): SqliteStore {
    return new SqliteStore(file);
  }

  private migrate(): void {
    const version = (): number => this.db.pragma('user_version', { simple: true }) as number;
    if (version() >= MIGRATIONS.length) return;
    // IMMEDIATE, and the version read again inside: two processes opening an old file at once (the portal's
    // workers, a CLI run) apply each migration once.
    this.db
      .transaction(() => {
        for (let current = version(); current < MIGRATIONS.length; current++) {
          this.db.exec(MIGRATIONS[current]!);
          this.db.pragma(`user_version = ${current + 1}`);
        }
      })
      .immediate();
  }

  public close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }

  /**
   * Runs `fn` in one transaction (exposed for tests and bulk jobs that batch many writes). IMMEDIATE takes
   * the write lock at the start, so what `fn` reads cannot change before it writes, even from another process.
   */
  public transaction<T>(fn: () => T): T {
    return this.runInTransaction.immediate(fn) as T;
  }

  private all<T>(sql: string, ...params: unknown[]): T[] {
    return (this.stmt(sql).all(...params) as JsonRow[]).map((r) => JSON.parse(r.json) as T);
  }

  private one<T>(sql: string, ...params: unknown[]): T | undefined {
    const row = this.stmt(sql).get(...params) as JsonRow | undefined;
    return row ? (JSON.parse(row.json) as T) : undefined;
  }

  // Reference data

  public getSettings(): Promise<Settings> {
    return Promise.resolve(this.one<Settings>('SELECT json FROM settings WHERE id = 1') ?? DEFAULT_SETTINGS);
  }

  public listAccounts(): Promise<AccountRecord[]> {
    return Promise.resolve(this.all<AccountRecord>('SELECT json FROM accounts ORDER BY id'));
  }

  public listUsers(): Promise<User[]> {
    return Promise.resolve(this.all<User>('SELECT json FROM users ORDER BY id'));
  }

  public getUser(id: string): Promise<User | undefined> {
    return Promise.resolve(this.one<User>('SELECT json FROM users WHERE id = ?', id));
  }

  public listProducts(): Promise<ProductRecord[]> {
    return Promise.resolve(this.all<ProductRecord>('SELECT json FROM products ORDER BY id'));
  }

  public listPriceBook(): Promise<PriceBookEntry[]> {
    const rows = this.stmt('SELECT product_id, currency, list_price FROM price_book ORDER BY product_id, currency').all() as {
      product_id: string;
      currency: string;
      list_price: string;
    }[];
    return Promise.resolve(rows.map((r) => ({ productId: r.product_id, currency: r.currency, listPrice: r.list_price })));
  }

  public listDiscountSchedules(): Promise<DiscountSchedule[]> {
    return Promise.resolve(this.all<DiscountSchedule>('SELECT json FROM discount_schedules ORDER BY id'));
  }

  public listProductFamilies(): Promise<ProductFamily[]> {
    return Promise.resolve(this.all<ProductFamily>('SELECT json FROM product_families ORDER BY id'));
  }

  public listAgreements(partnerIds?: readonly string[]): Promise<Agreement[]> {
    if (!partnerIds) return Promise.resolve(this.all<Agreement>('SELECT json FROM agreements ORDER BY id'));
    if (partnerIds.length === 0) return Promise.resolve([]);
    const marks = partnerIds.map(() => '?').join(',');
    return Promise.resolve(
      this.all<Agreement>(`SELECT json FROM agreements WHERE partner_id IN (${marks}) ORDER BY id`, ...partnerIds),
    );
  }

  public listOrderTerms(agreementIds: readonly string[]): Promise<OrderTerms[]> {
    if (agreementIds.length === 0) return Promise.resolve([]);
    const rows = this.stmt(
      `SELECT id, auto_fulfil, credit_limit, credit_limit_currency FROM agreements
        WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    ).all(JSON.stringify(agreementIds)) as {
      id: string;
      auto_fulfil: number;
      credit_limit: string | null;
      credit_limit_currency: string | null;
    }[];
    return Promise.resolve(
      rows.map((r) => ({
        agreementId: r.id,
        autoFulfil: r.auto_fulfil === 1,
        creditLimit: r.credit_limit,
        creditLimitCurrency: r.credit_limit_currency,
      })),
    );
  }

  public setOrderTerms(terms: OrderTerms): Promise<void> {
    const result = this.stmt(
      'UPDATE agreements SET auto_fulfil = ?, credit_limit = ?, credit_limit_currency = ? WHERE id = ?',
    ).run(terms.autoFulfil ? 1 : 0, terms.creditLimit, terms.creditLimitCurrency, terms.agreementId);
    if (result.changes === 0) return Promise.reject(new NotFoundError('Agreement', terms.agreementId));
    return Promise.resolve();
  }

  public listDefaultDistributorRules(): Promise<DefaultDistributorRule[]> {
    return Promise.resolve(this.all<DefaultDistributorRule>('SELECT json FROM default_distributor_rules ORDER BY id'));
  }

  private revisionRead: Database.Statement | undefined;

  /**
   * A counter in the file (migration 8) that every reference write moves in its own transaction: one revision
   * for every connection (the portal's pricing workers, a CLI run). PRAGMA data_version, used before, moves on
   * any other connection's commit, so each worker's cache would have been dropped at every save of another.
   * A prepared statement: a save asks for the revision three times.
   */
  public referenceRevision(): Promise<string> {
    this.revisionRead ??= this.db.prepare(`SELECT value FROM store_revisions WHERE name = 'reference'`).pluck();
    return Promise.resolve(String(this.revisionRead.get()));
  }

  /** Inside the write's transaction: readers see the new data and the new revision together. */
  private bumpReferenceRevision(): void {
    this.stmt(`UPDATE store_revisions SET value = value + 1 WHERE name = 'reference'`).run();
  }

  public addEndCustomer(candidate: AccountRecord, partnerId?: string): Promise<{ account: AccountRecord; created: boolean }> {
    // One IMMEDIATE transaction: the look-up and the insert cannot interleave with another writer's.
    const result = this.transaction(() => {
      const match = this.all<AccountRecord>(`SELECT json FROM accounts WHERE type = 'endCustomer' ORDER BY id`).find((a) =>
        sameEndCustomer(candidate, a),
      );
      let account = match ?? candidate;
      if (partnerId !== undefined && !(account.visibleTo ?? []).includes(partnerId)) {
        account = { ...account, visibleTo: [...(account.visibleTo ?? []), partnerId] };
      }
      if (account !== match) {
        this.stmt(
          `INSERT INTO accounts (id, type, name, json) VALUES (?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name, json = excluded.json`,
        ).run(account.id, account.type, account.name ?? null, JSON.stringify(account));
        this.bumpReferenceRevision();
      }
      return { account, created: match === undefined };
    });
    return Promise.resolve(result);
  }

  public upsertReferenceData(data: Partial<ReferenceData>): Promise<void> {
    const put = (table: string, id: string, record: unknown, extra: Record<string, unknown> = {}): void => {
      const columns = ['id', ...Object.keys(extra), 'json'];
      const values = [id, ...Object.values(extra), JSON.stringify(record)];
      const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
        ON CONFLICT (id) DO UPDATE SET ${columns
          .slice(1)
          .map((c) => `${c} = excluded.${c}`)
          .join(', ')}`;
      this.stmt(sql).run(...values);
    };
    const write = (): void => {
      this.bumpReferenceRevision();
      if (data.settings) {
        this.stmt('INSERT INTO settings (id, json) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json').run(
          JSON.stringify(data.settings),
        );
      }
      for (const a of data.accounts ?? []) put('accounts', a.id, a, { type: a.type, name: a.name ?? null });
      for (const u of data.users ?? []) put('users', u.id, u, { account_id: u.accountId, role: u.role });
      for (const p of data.products ?? []) put('products', p.id, p);
      for (const f of data.productFamilies ?? []) put('product_families', f.family, f);
      for (const e of data.priceBook ?? []) {
        this.stmt(
          `INSERT INTO price_book (product_id, currency, list_price) VALUES (?, ?, ?)
             ON CONFLICT (product_id, currency) DO UPDATE SET list_price = excluded.list_price`,
        ).run(e.productId, e.currency, e.listPrice);
      }
      for (const d of data.discountSchedules ?? []) put('discount_schedules', d.id, d);
      for (const a of data.agreements ?? []) put('agreements', a.id, a, { partner_id: a.partnerId, seller_id: a.sellerId });
      // In the same transaction as the agreements: an unknown agreement undoes the whole write.
      for (const t of data.orderTerms ?? []) {
        const result = this.stmt(
          'UPDATE agreements SET auto_fulfil = ?, credit_limit = ?, credit_limit_currency = ? WHERE id = ?',
        ).run(t.autoFulfil ? 1 : 0, t.creditLimit, t.creditLimitCurrency, t.agreementId);
        if (result.changes === 0) throw new NotFoundError('Agreement', t.agreementId);
      }
      for (const r of data.defaultDistributorRules ?? []) put('default_distributor_rules', r.id, r);
      for (const i of data.inventory ?? []) {
        this.stmt(
          `INSERT INTO inventory (distributor_id, product_id, quantity) VALUES (?, ?, ?)
             ON CONFLICT (distributor_id, product_id) DO UPDATE SET quantity = excluded.quantity`,
        ).run(i.distributorId, i.productId, i.quantity);
      }
    };
    try {
      this.transaction(write);
    } catch (error) {
      // Rolled back; a rejection like every other adapter's, not a throw from the call.
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return Promise.resolve();
  }

  /** The bookings ledger, read per (partner, seller) pair over its index: no order is read or parsed. */
  public listBookings(parties: readonly BookingParty[], from: string, to: string): Promise<Booking[]> {
    const bookings: Booking[] = [];
    const seen = new Set<string>();
    for (const p of parties) {
      const key = `${p.partnerId}\u0000${p.sellerId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const rows = this.stmt(
        `SELECT partner_id, seller_id, order_date, amount, currency FROM bookings
          WHERE partner_id = ? AND seller_id = ? AND order_date >= ? AND order_date < ? ORDER BY order_date, order_id`,
      ).all(p.partnerId, p.sellerId, from, to) as LedgerRow[];
      for (const r of rows) {
        bookings.push({
          partnerId: r.partner_id,
          sellerId: r.seller_id,
          date: r.order_date,
          amount: r.amount,
          currency: r.currency,
        });
      }
    }
    return Promise.resolve(bookings);
  }

  public listExchangeRates(): Promise<ExchangeRate[]> {
    const rows = this.stmt('SELECT currency, start_date, rate FROM exchange_rates ORDER BY currency, start_date').all() as {
      currency: string;
      start_date: string;
      rate: string;
    }[];
    return Promise.resolve(rows.map((r) => ({ currency: r.currency, startDate: r.start_date, rate: r.rate })));
  }

  public importExchangeRates(rates: readonly ExchangeRate[]): Promise<void> {
    this.transaction(() => {
      this.bumpReferenceRevision();
      for (const r of rates) {
        this.stmt(
          `INSERT INTO exchange_rates (currency, start_date, rate) VALUES (?, ?, ?)
             ON CONFLICT (currency, start_date) DO UPDATE SET rate = excluded.rate`,
        ).run(r.currency, r.startDate, normaliseRate(r.rate));
      }
    });
    return Promise.resolve();
  }

  /** Writes an activated order's ledger entries (inside the caller's transaction). */
  private bookOrder(order: OrderRecord): void {
    const vendor = this.stmt(`SELECT id FROM accounts WHERE type = 'vendor'`).get() as { id: string } | undefined;
    if (!vendor) throw new StateError('there is no vendor account: the order cannot be booked', 'NO_VENDOR');
    for (const e of ledgerEntriesOf(order, vendor.id)) {
      this.stmt(
        `INSERT INTO bookings (order_id, partner_id, seller_id, order_date, amount, currency) VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(order.id, e.partnerId, e.sellerId, e.date, e.amount, e.currency ?? order.currency);
    }
  }

  // Quotes

  private readQuote(row: JsonRow): QuoteRecord {
    return JSON.parse(row.json) as QuoteRecord;
  }

  public getQuote(id: string): Promise<QuoteRecord | undefined> {
    const row = this.stmt('SELECT id, json FROM quotes WHERE id = ?').get(id) as (JsonRow & { id: string }) | undefined;
    return Promise.resolve(row ? this.readQuote(row) : undefined);
  }

  public listQuotes(filter: QuoteFilter): Promise<QuoteRecord[]> {
    const { where, params } = partyWhere(filter, 'q.');
    if (filter.statuses && filter.statuses.length > 0) {
      where.push(`q.status IN (${filter.statuses.map(() => '?').join(',')})`);
      params.push(...filter.statuses);
    }
    if (filter.renewal !== undefined) {
      where.push(`json_array_length(q.json, '$.renewalOfContractIds') ${filter.renewal ? '>' : '='} 0`);
    }
    if (filter.search) {
      // Number, name, and the names of the end customer, the reseller and the distributor.
      const columns = ['q.number', 'q.name', 'c.name', 'r.name', 'd.name'];
      where.push(`(${columns.map((column) => `${column} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
      const like = `%${filter.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      params.push(...columns.map(() => like));
    }
    const sql = `SELECT q.id, q.json FROM quotes q JOIN accounts c ON c.id = q.end_customer_id
      LEFT JOIN accounts r ON r.id = q.reseller_id LEFT JOIN accounts d ON d.id = q.distributor_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY q.updated_at DESC, q.number DESC LIMIT ?`;
    const rows = this.stmt(sql).all(...params, filter.limit ?? 500) as (JsonRow & { id: string })[];
    return Promise.resolve(rows.map((r) => this.readQuote(r)));
  }

  private writeQuote(quote: QuoteRecord, insert: boolean, effects?: QuoteSideEffects): void {
    if (insert) {
      this.stmt(
        `INSERT INTO quotes (id, number, name, reseller_id, distributor_id, end_customer_id, status, version, updated_at, json)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        quote.id,
        quote.number,
        quote.name,
        quote.resellerId,
        quote.distributorId,
        quote.endCustomerId,
        quote.status,
        quote.version,
        quote.updatedAt,
        JSON.stringify(quote),
      );
    } else {
      this.stmt(
        `UPDATE quotes SET name = ?, distributor_id = ?, end_customer_id = ?, status = ?, version = ?, updated_at = ?, json = ?
           WHERE id = ?`,
      ).run(
        quote.name,
        quote.distributorId,
        quote.endCustomerId,
        quote.status,
        quote.version,
        quote.updatedAt,
        JSON.stringify(quote),
        quote.id,
      );
    }
    if (effects?.insertApproval) {
      const a = effects.insertApproval;
      this.stmt('INSERT INTO approvals (id, quote_id, json) VALUES (?, ?, ?)').run(a.id, a.quoteId, JSON.stringify(a));
    }
    if (effects?.updateApproval) {
      const a = effects.updateApproval;
      this.stmt('UPDATE approvals SET json = ? WHERE id = ?').run(JSON.stringify(a), a.id);
    }
  }

  public insertQuote(quote: QuoteRecord, effects?: QuoteSideEffects): Promise<void> {
    this.transaction(() => this.writeQuote(quote, true, effects));
    return Promise.resolve();
  }

  private checkVersion(id: string, expectedVersion: number): void {
    const row = this.stmt('SELECT version FROM quotes WHERE id = ?').get(id) as { version: number } | undefined;
    if (!row) throw new NotFoundError('Quote', id);
    if (row.version !== expectedVersion) {
      throw new ConflictError(
        `quote ${id} was changed by someone else (you edited version ${expectedVersion}, it is now at version ${row.version}): reload it and apply your change again`,
      );
    }
  }

  public updateQuote(quote: QuoteRecord, expectedVersion: number, effects?: QuoteSideEffects): Promise<void> {
    this.transaction(() => {
      this.checkVersion(quote.id, expectedVersion);
      this.writeQuote({ ...quote, version: expectedVersion + 1 }, false, effects);
    });
    quote.version = expectedVersion + 1;
    return Promise.resolve();
  }

  public deleteQuote(id: string, expectedVersion: number): Promise<void> {
    this.transaction(() => {
      this.checkVersion(id, expectedVersion);
      this.stmt('DELETE FROM quotes WHERE id = ?').run(id);
    });
    return Promise.resolve();
  }

  public listApprovals(quoteIds: readonly string[]): Promise<ApprovalRecord[]> {
    if (quoteIds.length === 0) return Promise.resolve([]);
    const marks = quoteIds.map(() => '?').join(',');
    return Promise.resolve(
      // A request stored before the approval chain has no level: it was the distributor's.
      this.all<ApprovalRecord>(`SELECT json FROM approvals WHERE quote_id IN (${marks}) ORDER BY rowid`, ...quoteIds).map(
        (a) => ({ ...a, level: a.level ?? 'Distributor' }),
      ),
    );
  }

  // Orders, inventory, contracts

  public getOrder(id: string): Promise<OrderRecord | undefined> {
    return Promise.resolve(this.one<OrderRecord>('SELECT json FROM orders WHERE id = ?', id));
  }

  public getOrderByQuote(quoteId: string): Promise<OrderRecord | undefined> {
    return Promise.resolve(this.one<OrderRecord>('SELECT json FROM orders WHERE quote_id = ?', quoteId));
  }

  public listOrders(filter: OrderFilter): Promise<OrderRecord[]> {
    const { where, params } = partyWhere(filter);
    const sql = `SELECT json FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY order_date DESC, number DESC LIMIT ?`;
    return Promise.resolve(this.all<OrderRecord>(sql, ...params, filter.limit ?? 500));
  }

  public listInventory(distributorId?: string): Promise<InventoryRecord[]> {
    const rows = (
      distributorId === undefined
        ? this.stmt('SELECT * FROM inventory ORDER BY distributor_id, product_id').all()
        : this.stmt('SELECT * FROM inventory WHERE distributor_id = ? ORDER BY product_id').all(distributorId)
    ) as { distributor_id: string; product_id: string; quantity: string }[];
    return Promise.resolve(rows.map((r) => ({ distributorId: r.distributor_id, productId: r.product_id, quantity: r.quantity })));
  }

  public placeOrder(
    newOrder: NewOrder,
    inventory: readonly InventoryDelta[],
    quote?: { record: QuoteRecord; expectedVersion: number },
  ): Promise<OrderRecord> {
    const placed = this.transaction(() => {
      if (newOrder.quoteId) {
        const existing = this.one<OrderRecord>('SELECT json FROM orders WHERE quote_id = ?', newOrder.quoteId);
        if (existing) return existing;
      }
      const short: string[] = [];
      for (const d of inventory) {
        const row = this.stmt('SELECT quantity FROM inventory WHERE distributor_id = ? AND product_id = ?').get(
          d.distributorId,
          d.productId,
        ) as { quantity: string } | undefined;
        const have = parseScaled(row?.quantity ?? '0', QUANTITY_DECIMALS) ?? 0;
        const next = have + (parseScaled(d.delta, QUANTITY_DECIMALS) ?? 0);
        if (next < 0) {
          short.push(
            `${d.productId}: ${formatScaledShort(-next, QUANTITY_DECIMALS)} missing (in stock ${formatScaledShort(have, QUANTITY_DECIMALS)})`,
          );
          continue;
        }
        this.stmt(
          `INSERT INTO inventory (distributor_id, product_id, quantity) VALUES (?, ?, ?)
             ON CONFLICT (distributor_id, product_id) DO UPDATE SET quantity = excluded.quantity`,
        ).run(d.distributorId, d.productId, formatScaledShort(next, QUANTITY_DECIMALS));
      }
      if (short.length > 0) {
        throw new StateError(`not enough licences in stock: ${short.join('; ')}`, 'INSUFFICIENT_STOCK');
      }
      if (quote) {
        this.checkVersion(quote.record.id, quote.expectedVersion);
        this.writeQuote({ ...quote.record, version: quote.expectedVersion + 1 }, false);
      }
      // Numbered only now, inside the transaction: a refusal above takes no number.
      const order: OrderRecord = { ...newOrder, number: newOrder.number ?? this.takeNumbers('order', 1)[0]! };
      this.stmt(
        `INSERT INTO orders (id, number, quote_id, kind, reseller_id, distributor_id, status, order_date, json)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        order.id,
        order.number,
        order.quoteId,
        order.kind,
        order.resellerId,
        order.distributorId,
        order.status,
        order.orderDate,
        JSON.stringify(order),
      );
      if (order.status === 'Activated') this.bookOrder(order);
      return order;
    });
    return Promise.resolve(placed);
  }

  public activateOrder(orderId: string, contracts: readonly ContractRecord[]): Promise<OrderRecord> {
    const activated = this.transaction(() => {
      const order = this.one<OrderRecord>('SELECT json FROM orders WHERE id = ?', orderId);
      if (!order) throw new NotFoundError('Order', orderId);
      if (order.status === 'Activated') return order;
      const next: OrderRecord = { ...order, status: 'Activated' };
      this.stmt('UPDATE orders SET status = ?, json = ? WHERE id = ?').run(next.status, JSON.stringify(next), orderId);
      this.bookOrder(next);
      for (const c of contracts) this.insertContract(c);
      return next;
    });
    return Promise.resolve(activated);
  }

  /** Inserts a contract as it is (used by activation, and by seeding and benchmarks). */
  public insertContract(c: ContractRecord): void {
    this.stmt(
      `INSERT INTO contracts (id, number, order_id, reseller_id, distributor_id, status, end_date, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      c.id,
      c.number,
      c.orderId,
      c.resellerId,
      c.distributorId,
      c.status,
      c.endDate,
      JSON.stringify({ ...c, renewalQuoteId: null, renewalQuoteStatus: undefined }),
    );
    if (c.renewalQuoteId !== null)
      this.stmt('INSERT INTO contract_renewals (contract_id, quote_id) VALUES (?, ?)').run(c.id, c.renewalQuoteId);
  }

  public getContract(id: string): Promise<ContractRecord | undefined> {
    return Promise.resolve(
      this.readContract(
        this.stmt(
          `SELECT r.quote_id AS renewal_quote_id, rq.status AS renewal_quote_status, c.json FROM contracts c
           LEFT JOIN contract_renewals r ON r.contract_id = c.id LEFT JOIN quotes rq ON rq.id = r.quote_id WHERE c.id = ?`,
        ).get(id),
      ),
    );
  }

  private readContract(row: unknown): ContractRecord | undefined {
    if (!row) return undefined;
    const r = row as { renewal_quote_id: string | null; renewal_quote_status?: QuoteStatus | null; json: string };
    // The link table is written by createRenewalQuote alone; it is the truth for the record too.
    const contract = JSON.parse(r.json) as ContractRecord;
    contract.renewalQuoteId = r.renewal_quote_id;
    if (r.renewal_quote_status) contract.renewalQuoteStatus = r.renewal_quote_status;
    return contract;
  }

  public listContracts(filter: ContractFilter): Promise<ContractRecord[]> {
    const { where, params } = partyWhere(filter, 'c.');
    if (filter.endingBy !== undefined) {
      where.push('c.end_date <= ?');
      params.push(filter.endingBy);
    }
    const sql = `SELECT r.quote_id AS renewal_quote_id, rq.status AS renewal_quote_status, c.json FROM contracts c
      LEFT JOIN contract_renewals r ON r.contract_id = c.id LEFT JOIN quotes rq ON rq.id = r.quote_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY c.end_date, c.id LIMIT ?`;
    const rows = this.stmt(sql).all(...params, filter.limit ?? 1000);
    return Promise.resolve(rows.map((r) => this.readContract(r)!));
  }

  public listRenewableContracts(endingBy: string): Promise<ContractRecord[]> {
    const rows = this.stmt(
      `SELECT NULL AS renewal_quote_id, c.json FROM contracts c
       WHERE c.status = 'Active' AND c.end_date <= ? AND NOT EXISTS (SELECT 1 FROM contract_renewals r WHERE r.contract_id = c.id)
       ORDER BY c.end_date, c.id`,
    ).all(endingBy);
    return Promise.resolve(rows.map((r) => this.readContract(r)!));
  }

  public listRenewableContractsInGroups(groups: readonly string[]): Promise<ContractRecord[]> {
    if (groups.length === 0) return Promise.resolve([]);
    const rows = this.stmt(
      `SELECT NULL AS renewal_quote_id, c.json FROM contracts c
       WHERE c.status = 'Active' AND json_extract(c.json, '$.contractGroup') IN (SELECT value FROM json_each(?))
       AND NOT EXISTS (SELECT 1 FROM contract_renewals r WHERE r.contract_id = c.id)
       ORDER BY c.end_date, c.id`,
    ).all(JSON.stringify(groups));
    return Promise.resolve(rows.map((r) => this.readContract(r)!));
  }

  /**
   * Inserts the quote and links its contracts, or writes nothing and returns false if a contract already
   * has a renewal. Runs inside a write transaction: nothing can link a contract between check and write.
   */
  private renewOnce(quote: QuoteRecord, contractIds: readonly string[]): boolean {
    const taken = this.stmt('SELECT 1 FROM contract_renewals WHERE contract_id = ?');
    for (const id of contractIds) if (taken.get(id) !== undefined) return false;
    this.writeQuote(quote, true);
    const link = this.stmt('INSERT INTO contract_renewals (contract_id, quote_id) VALUES (?, ?)');
    for (const id of contractIds) link.run(id, quote.id);
    return true;
  }

  public createRenewalQuote(quote: QuoteRecord, contractIds: readonly string[]): Promise<boolean> {
    return Promise.resolve(this.transaction(() => this.renewOnce(quote, contractIds)));
  }

  public createRenewalQuotes(items: readonly { quote: QuoteRecord; contractIds: readonly string[] }[]): Promise<boolean[]> {
    return Promise.resolve(this.transaction(() => items.map((i) => this.renewOnce(i.quote, i.contractIds))));
  }

  public async withBulkWrites<T>(job: () => Promise<T>): Promise<T> {
    // Checkpointing every 1000 pages (the default) copies the same pages again and again during a bulk
    // job; one checkpoint at the end does it once.
    const previous = this.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    this.db.pragma('wal_autocheckpoint = 0');
    try {
      return await job();
    } finally {
      this.db.pragma(`wal_autocheckpoint = ${previous}`);
      this.db.pragma('wal_checkpoint(PASSIVE)');
    }
  }

  public nextNumber(kind: 'quote' | 'order' | 'contract'): Promise<string> {
    return this.reserveNumbers(kind, 1).then((numbers) => numbers[0]!);
  }

  public reserveNumbers(kind: 'quote' | 'order' | 'contract', count: number): Promise<string[]> {
    return Promise.resolve(this.transaction(() => this.takeNumbers(kind, count)));
  }

  /** The next `count` numbers of the sequence, inside the caller's transaction. */
  private takeNumbers(kind: 'quote' | 'order' | 'contract', count: number): string[] {
    this.stmt(
      'INSERT INTO sequences (kind, value) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET value = value + excluded.value',
    ).run(kind, count);
    const last = (this.stmt('SELECT value FROM sequences WHERE kind = ?').get(kind) as { value: number }).value;
    const prefix = kind === 'quote' ? 'Q' : kind === 'order' ? 'O' : 'C';
    return Array.from({ length: count }, (_, i) => `${prefix}-${String(last - count + 1 + i).padStart(5, '0')}`);
  }
}
