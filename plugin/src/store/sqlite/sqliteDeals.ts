import type Database from 'better-sqlite3';
import {
  DealConflictError,
  assertNoConflict,
  claimKey,
  claimKeys,
  dailyDealRun,
  dealRegistrationSchema,
  findConflicts,
  type DealRegistration,
} from '../../core/deals.js';
import { ConflictError } from '../../core/errors.js';
import type { DealFilter, DealRegistrationStore } from '../dealPort.js';

type JsonRow = { json: string };

const MAX_STATEMENTS = 64;

/**
 * Deal registrations in the SQLite file (migration 3). Writes run in the store's IMMEDIATE transactions;
 * the partial unique index deal_claims_one_holder (one active row per claim key) is the guarantee that
 * holds even for a writer that skipped the check: its insert fails and the whole registration rolls back.
 */
export class SqliteDealStore implements DealRegistrationStore {
  public constructor(
    private readonly db: Database.Database,
    private readonly transaction: <T>(fn: () => T) => T,
  ) {}

  /**
   * Prepared statements by SQL text: a save reads the customer's registrations (channel conflicts), and
   * preparing that statement anew on every save was 3 to 5 % of its CPU. listDeals' SQL varies with its
   * filter (and its limit), so the cache is bounded: cleared when full.
   */
  private readonly statements = new Map<string, Database.Statement>();

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private parse(row: JsonRow | undefined): DealRegistration | undefined {
    return row ? dealRegistrationSchema.parse(JSON.parse(row.json)) : undefined;
  }

  public getDeal(id: string): Promise<DealRegistration | undefined> {
    return Promise.resolve(
      this.parse(this.stmt('SELECT json FROM deal_registrations WHERE id = ?').get(id) as JsonRow | undefined),
    );
  }

  public listDeals(filter: DealFilter): Promise<DealRegistration[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.resellerId !== undefined) {
      where.push('reseller_id = ?');
      params.push(filter.resellerId);
    }
    if (filter.distributorId !== undefined) {
      where.push('distributor_id = ?');
      params.push(filter.distributorId);
    }
    if (filter.endCustomerId !== undefined) {
      where.push('end_customer_id = ?');
      params.push(filter.endCustomerId);
    }
    if (filter.claimActive !== undefined) {
      where.push('claim_active = ?');
      params.push(filter.claimActive ? 1 : 0);
    }
    if (filter.statuses !== undefined) {
      if (filter.statuses.length === 0) return Promise.resolve([]);
      where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
      params.push(...filter.statuses);
    }
    const sql = `SELECT json FROM deal_registrations ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY number DESC ${filter.limit !== undefined ? `LIMIT ${Math.max(0, Math.floor(filter.limit))}` : ''}`;
    return Promise.resolve((this.stmt(sql).all(...params) as JsonRow[]).map((r) => this.parse(r)!));
  }

  public async registerDeal(deal: DealRegistration, today: string): Promise<DealRegistration> {
    await Promise.resolve();
    return this.transaction(() => this.register(deal, today));
  }

  public async importDeals(deals: readonly DealRegistration[], today: string): Promise<DealRegistration[]> {
    await Promise.resolve();
    return this.transaction(() => deals.map((deal) => this.register({ ...deal, number: this.nextNumber() }, today)));
  }

  /** registerDeal's work, inside the caller's transaction. */
  private register(deal: DealRegistration, today: string): DealRegistration {
    const holding = (
      this.stmt('SELECT json FROM deal_registrations WHERE end_customer_id = ? AND claim_active = 1').all(
        deal.endCustomer.id,
      ) as JsonRow[]
    ).map((r) => this.parse(r)!);
    // Lapsed claims of this customer are released now, not only by the next daily run.
    const lapsed = dailyDealRun(holding, today).filter((d) => !d.claimActive);
    for (const d of lapsed) this.write(d, d.version - 1);
    const released = new Set(lapsed.map((d) => d.id));
    const held = holding.filter((d) => !released.has(d.id));
    assertNoConflict(findConflicts(deal, held, today), held);
    this.stmt(
      `INSERT INTO deal_registrations (id, number, reseller_id, distributor_id, end_customer_id, status, claim_active, version, json)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      deal.id,
      deal.number,
      deal.resellerId,
      deal.distributorId,
      deal.endCustomer.id,
      deal.status,
      deal.claimActive ? 1 : 0,
      deal.version,
      JSON.stringify(deal),
    );
    const claim = this.stmt('INSERT INTO deal_claims (deal_id, claim_key, active) VALUES (?, ?, 1)');
    deal.families.forEach((f, i) => {
      try {
        claim.run(deal.id, claimKey(deal.endCustomer.id, f.family));
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new DealConflictError(
            [f.family],
            [{ path: `families.${i}.family`, message: 'already registered by another partner', code: 'DEAL_CONFLICT' }],
          );
        }
        throw error;
      }
    });
    return deal;
  }

  public async updateDeal(deal: DealRegistration, expectedVersion: number): Promise<void> {
    await Promise.resolve();
    this.transaction(() => this.write(deal, expectedVersion));
  }

  private write(deal: DealRegistration, expectedVersion: number): void {
    const result = this.stmt(
      'UPDATE deal_registrations SET status = ?, claim_active = ?, version = ?, json = ? WHERE id = ? AND version = ?',
    ).run(deal.status, deal.claimActive ? 1 : 0, deal.version, JSON.stringify(deal), deal.id, expectedVersion);
    if (result.changes !== 1) {
      throw new ConflictError(`Registration ${deal.number} was changed by someone else: reload it and try again`);
    }
    if (!deal.claimActive) this.stmt('UPDATE deal_claims SET active = 0 WHERE deal_id = ?').run(deal.id);
    else {
      // Claims never come back once released; an active registration keeps exactly its own keys.
      const keys = new Set(claimKeys(deal));
      const active = (
        this.stmt('SELECT claim_key FROM deal_claims WHERE deal_id = ? AND active = 1').all(deal.id) as {
          claim_key: string;
        }[]
      ).map((r) => r.claim_key);
      if (active.length !== keys.size || active.some((k) => !keys.has(k))) {
        throw new ConflictError(`Registration ${deal.number} no longer holds its claim: reload it`);
      }
    }
  }

  public nextDealNumber(): Promise<string> {
    return Promise.resolve(this.transaction(() => this.nextNumber()));
  }

  private nextNumber(): string {
    this.stmt("INSERT INTO sequences (kind, value) VALUES ('deal', 1) ON CONFLICT (kind) DO UPDATE SET value = value + 1").run();
    const { value } = this.stmt("SELECT value FROM sequences WHERE kind = 'deal'").get() as { value: number };
    return `DR-${String(value).padStart(5, '0')}`;
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
