import type Database from 'better-sqlite3';
import type { LogoContentType } from '../../core/logo.js';
import type { AccountLogo, LogoStore } from '../logoPort.js';

type LogoRow = { account_id: string; content_type: LogoContentType; data: Buffer; updated_by: string; updated_at: string };

/** Account logos in the SQLite file: one row per account, the image as a BLOB (migration 7). */
export class SqliteLogoStore implements LogoStore {
  public constructor(private readonly db: Database.Database) {}

  public getLogo(accountId: string): Promise<AccountLogo | undefined> {
    const row = this.db
      .prepare('SELECT account_id, content_type, data, updated_by, updated_at FROM account_logos WHERE account_id = ?')
      .get(accountId) as LogoRow | undefined;
    return Promise.resolve(
      row && {
        accountId: row.account_id,
        contentType: row.content_type,
        data: row.data,
        updatedBy: row.updated_by,
        updatedAt: row.updated_at,
      },
    );
  }

  public setLogo(logo: AccountLogo): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO account_logos (account_id, content_type, data, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account_id) DO UPDATE SET content_type = excluded.content_type, data = excluded.data,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      )
      .run(logo.accountId, logo.contentType, logo.data, logo.updatedBy, logo.updatedAt);
    return Promise.resolve();
  }

  public removeLogo(accountId: string): Promise<boolean> {
    return Promise.resolve(this.db.prepare('DELETE FROM account_logos WHERE account_id = ?').run(accountId).changes > 0);
  }
}
