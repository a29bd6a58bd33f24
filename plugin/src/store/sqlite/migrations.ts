/**
 * Schema migrations, applied in order inside one transaction each; `PRAGMA user_version` records the
 * last one applied. Never edit a released migration: add the next one.
 *
 * Each table keeps the columns that queries filter or sort on, and the whole record as JSON: records are
 * read and written whole, so the JSON is the truth and the columns are indexes over it. A quote's lines
 * live in its JSON too: the editor always saves the whole quote, and one row per quote keeps bulk
 * renewal generation to one insert per quote.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE settings (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
  CREATE TABLE accounts (id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT, json TEXT NOT NULL);
  CREATE TABLE users (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts (id), role TEXT NOT NULL, json TEXT NOT NULL);
  CREATE TABLE products (id TEXT PRIMARY KEY, json TEXT NOT NULL);
  CREATE TABLE price_book (
    product_id TEXT NOT NULL REFERENCES products (id),
    currency TEXT NOT NULL,
    list_price TEXT NOT NULL,
    PRIMARY KEY (product_id, currency)
  );
  CREATE TABLE discount_schedules (id TEXT PRIMARY KEY, json TEXT NOT NULL);
  CREATE TABLE agreements (id TEXT PRIMARY KEY, partner_id TEXT NOT NULL, seller_id TEXT NOT NULL, json TEXT NOT NULL);
  CREATE INDEX agreements_partner ON agreements (partner_id);
  CREATE TABLE default_distributor_rules (id TEXT PRIMARY KEY, json TEXT NOT NULL);

  CREATE TABLE quotes (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    reseller_id TEXT NOT NULL REFERENCES accounts (id),
    distributor_id TEXT NOT NULL REFERENCES accounts (id),
    end_customer_id TEXT NOT NULL REFERENCES accounts (id),
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX quotes_reseller ON quotes (reseller_id, status);
  CREATE INDEX quotes_distributor ON quotes (distributor_id, status);
  CREATE TABLE approvals (id TEXT PRIMARY KEY, quote_id TEXT NOT NULL REFERENCES quotes (id) ON DELETE CASCADE, json TEXT NOT NULL);
  CREATE INDEX approvals_quote ON approvals (quote_id);

  CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    quote_id TEXT UNIQUE REFERENCES quotes (id),
    kind TEXT NOT NULL,
    reseller_id TEXT,
    distributor_id TEXT NOT NULL,
    status TEXT NOT NULL,
    order_date TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX orders_distributor ON orders (distributor_id, order_date);
  CREATE INDEX orders_reseller ON orders (reseller_id, order_date);
  CREATE TABLE inventory (
    distributor_id TEXT NOT NULL REFERENCES accounts (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    quantity TEXT NOT NULL,
    PRIMARY KEY (distributor_id, product_id)
  );
  CREATE TABLE contracts (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    order_id TEXT NOT NULL REFERENCES orders (id),
    reseller_id TEXT NOT NULL,
    distributor_id TEXT NOT NULL,
    status TEXT NOT NULL,
    end_date TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX contracts_renewable ON contracts (status, end_date);
  -- The link from a contract to its renewal quote: its primary key is what allows at most one renewal
  -- per contract, and a small row of its own keeps the fat contract row untouched when it is written.
  CREATE TABLE contract_renewals (
    contract_id TEXT PRIMARY KEY REFERENCES contracts (id),
    quote_id TEXT NOT NULL REFERENCES quotes (id)
  );
  CREATE INDEX contracts_reseller ON contracts (reseller_id, end_date);
  CREATE INDEX contracts_distributor ON contracts (distributor_id, end_date);
  CREATE TABLE sequences (kind TEXT PRIMARY KEY, value INTEGER NOT NULL);
  `,
  // 2: the bookings ledger (one entry per buyer of an activated order: never parse orders to price) and
  // dated exchange rates. Existing activated orders are booked from their stored totals.
  `
  CREATE TABLE bookings (
    order_id TEXT NOT NULL REFERENCES orders (id),
    partner_id TEXT NOT NULL,
    seller_id TEXT NOT NULL,
    order_date TEXT NOT NULL,
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    PRIMARY KEY (order_id, partner_id)
  );
  CREATE INDEX bookings_party ON bookings (partner_id, seller_id, order_date);
  CREATE TABLE exchange_rates (
    currency TEXT NOT NULL,
    start_date TEXT NOT NULL,
    rate TEXT NOT NULL,
    PRIMARY KEY (currency, start_date)
  );
  INSERT INTO bookings (order_id, partner_id, seller_id, order_date, amount, currency)
    SELECT id, reseller_id, distributor_id, order_date, json_extract(json, '$.partnerTotal'), json_extract(json, '$.currency')
      FROM orders
     WHERE status = 'Activated' AND reseller_id IS NOT NULL AND json_extract(json, '$.partnerTotal') IS NOT NULL;
  INSERT INTO bookings (order_id, partner_id, seller_id, order_date, amount, currency)
    SELECT o.id, o.distributor_id, v.id, o.order_date, json_extract(o.json, '$.netTotal'), json_extract(o.json, '$.currency')
      FROM orders o JOIN accounts v ON v.type = 'vendor'
     WHERE o.status = 'Activated';
  `,
  // 3: deal registrations (docs/DEALS.md). A claim row per (registration, end customer and family); the
  // partial unique index lets one active row per claim key exist, whatever the order of concurrent writers.
  `
  CREATE TABLE deal_registrations (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    reseller_id TEXT NOT NULL,
    distributor_id TEXT NOT NULL,
    end_customer_id TEXT NOT NULL,
    status TEXT NOT NULL,
    claim_active INTEGER NOT NULL,
    version INTEGER NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX deal_registrations_reseller ON deal_registrations (reseller_id);
  CREATE INDEX deal_registrations_distributor ON deal_registrations (distributor_id);
  CREATE INDEX deal_registrations_end_customer ON deal_registrations (end_customer_id, claim_active);
  CREATE TABLE deal_claims (
    deal_id TEXT NOT NULL REFERENCES deal_registrations (id),
    claim_key TEXT NOT NULL,
    active INTEGER NOT NULL,
    PRIMARY KEY (deal_id, claim_key)
  );
  CREATE UNIQUE INDEX deal_claims_one_holder ON deal_claims (claim_key) WHERE active = 1;
  `,
  // 4: a reseller's order terms with a distributor, on their agreement (docs/ORDERS.md): auto-fulfil and a
  // credit limit. Columns beside the pricing JSON, which an agreement import rewrites without touching them.
  `
  ALTER TABLE agreements ADD COLUMN auto_fulfil INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE agreements ADD COLUMN credit_limit TEXT;
  ALTER TABLE agreements ADD COLUMN credit_limit_currency TEXT;
  `,
  // 5: product families and their settings (the price floor minNetPercentOfList, PRICING.md); the id is the
  // family's name, as products name it.
  `
  CREATE TABLE product_families (id TEXT PRIMARY KEY, json TEXT NOT NULL);
  `,
  // 6: notifications (core/notifications.ts): one row per recipient, each with its email (the local outbox).
  `
  CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    recipient_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT,
    json TEXT NOT NULL
  );
  CREATE INDEX notifications_recipient ON notifications (recipient_id, created_at);
  CREATE INDEX notifications_created ON notifications (created_at);
  `,
  // 7: a reseller's logo on its quote documents (core/logo.ts, docs/DOCUMENT.md): the image itself, one per account.
  `
  CREATE TABLE account_logos (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
    data BLOB NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // 8: the reference data's revision, kept in the file so that every connection (the portal's pricing workers,
  // a CLI run) sees one counter; it moves in the same transaction as the write (SqliteStore.referenceRevision).
  `
  CREATE TABLE store_revisions (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
  INSERT INTO store_revisions (name, value) VALUES ('reference', 0);
  `,
];
