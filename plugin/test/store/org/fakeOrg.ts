import { Readable } from 'node:stream';
import { LOOKUPS as DATA_LOOKUPS, MASTER_DETAIL, type SfRow } from '../../../src/store/org/mapping.js';
import {
  fieldGrants,
  hasField,
  hasObject,
  isCustomSetting,
  maxLength,
  needsNoFieldPermission,
  uniqueFields,
  type FieldGrant,
} from './orgSchema.js';
import { likeToRegExp, parseSoql, type Condition, type Literal, type Query } from './soqlParser.js';

/**
 * An in-memory Salesforce org for the org store's tests, answering the requests the adapter sends through
 * `$$.fakeConnectionRequest` (TestContext): SOQL queries with paging (query / queryMore), sObject rows,
 * sObject Collections, composite (allOrNone, @{reference} resolution), composite graph (one transaction per
 * graph, halted after 14 failed graphs) and Bulk API 2.0 ingest jobs. Records carry Id, CreatedDate and
 * LastModifiedDate; External_Id__c and the number fields are unique (DUPLICATE_VALUE); lookups written as
 * `Rel__r: { External_Id__c }` resolve to ids (or fail as an org does); master-detail children go with their
 * parent. Every request is recorded.
 */

type Request = { method: string; url: string; body?: string };
type SfErrorBody = { errorCode: string; message: string; fields?: string[] };
type SubResponse = { body: unknown; httpStatusCode: number; referenceId: string; httpHeaders: Record<string, string> };

/**
 * The adapter's lookups plus the setup objects' (users of partner accounts, roles, permission set assignments,
 * share rows), which the Apex classes read (scripts/apex-org.mjs runs them against this fake).
 */
const LOOKUPS: Record<string, Record<string, string>> = {
  ...DATA_LOOKUPS,
  User: { ...DATA_LOOKUPS.User, AccountId: 'Account', ProfileId: 'Profile', UserRoleId: 'UserRole' },
  UserRole: { PortalAccountId: 'Account' },
  PermissionSetAssignment: { AssigneeId: 'User', PermissionSetId: 'PermissionSet' },
  ContentVersion: { ContentDocumentId: 'ContentDocument' },
  ContentDocumentLink: { ContentDocumentId: 'ContentDocument' },
};

/**
 * The largest file a JSON (non-multipart) sObject request may carry in a blob field: "you are limited to 50 MB of
 * text data or 37.5 MB of base64-encoded data" (REST API Developer Guide, Insert or Update Blob Data): docs/ORG-CHECKS.md.
 */
export const REST_BASE64_BLOB_MAX_BYTES = 37.5 * 1024 * 1024;

const UNIQUE = ['External_Id__c', 'Quote_Number__c', 'Order_Number__c', 'Contract_Number__c', 'Quote_Key__c', 'Dedupe_Key__c'];
/** The fields kept unique on an object: the list above and every field its metadata declares unique. */
const uniqueOn = (type: string): string[] => [...new Set([...UNIQUE, ...uniqueFields(type)])];
const PREFIXES: Record<string, string> = {
  Account: '001',
  Contact: '003',
  User: '005',
  Product2: '01t',
  Profile: '00e',
  UserRole: '00E',
  Group: '00G',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  AccountShare: '00r',
};

/**
 * User.Name and Contact.Name are the platform's, not the caller's: "Concatenation of FirstName and LastName.
 * Limited to 121 characters." (User, https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_user.htm).
 * Rows given a Name and no first or last name keep it (older fixtures).
 */
function personName(type: string, record: SfRow): SfRow {
  if (type !== 'User' && type !== 'Contact') return record;
  if (typeof record.FirstName !== 'string' && typeof record.LastName !== 'string') return record;
  const name = [record.FirstName, record.LastName].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return { ...record, Name: name.slice(0, 121) };
}

export class SfFault extends Error {
  public constructor(
    public readonly errorCode: string,
    message: string,
    public readonly status = 400,
    /** The fields the error is about, as an org names them in the error's `fields`. */
    public readonly fields?: string[],
  ) {
    super(message);
  }
  public body(): SfErrorBody[] {
    return [{ errorCode: this.errorCode, message: this.message, ...(this.fields ? { fields: this.fields } : {}) }];
  }
}

export class FakeOrg {
  public readonly requests: Request[] = [];
  /** Rows per query page (Salesforce: 2000 by default). */
  public pageSize = 2000;
  private readonly tables = new Map<string, Map<string, SfRow>>();
  private readonly cursors = new Map<string, { rows: SfRow[]; offset: number }>();
  private readonly jobs = new Map<string, { object: string; state: string; csv: string; failed: string[]; processed: number }>();
  private undo: (() => void)[] | undefined;
  private idCounter = 0;
  private clock = Date.parse('2026-01-01T00:00:00Z');

  /**
   * The user REST requests (`handle`) run as, the connection's user: the field-level security of its
   * permission sets (PermissionSetAssignment rows) applies to what it reads and writes, admins included
   * (docs/ORG-CHECKS.md). Direct calls (the Apex runtime's) are checked by their own caller.
   */
  public apiUserId: string | undefined;
  private acting: Map<string, FieldGrant> | undefined;
  /** True while a REST request (`handle`) runs: blob fields then travel as base64 text, and are read by URL. */
  private rest = false;

  /**
   * An org as config/project-scratch-def.json creates it: multi-currency with advanced currency management
   * on, its corporate currency USD (a CurrencyType with IsCorporate; other currencies are activated by
   * creating their CurrencyType, as `sf cpq rates import` does).
   */
  public constructor(public readonly orgId = '00D000000000001AAA') {
    this.insert('CurrencyType', { IsoCode: 'USD', IsCorporate: true, IsActive: true, DecimalPlaces: 2, ConversionRate: 1 });
  }

  /** The union of the field permissions of the permission sets assigned to `userId`. */
  public fieldGrantsOf(userId: string): Map<string, FieldGrant> {
    const out = new Map<string, FieldGrant>();
    const sets = this.table('PermissionSet');
    for (const a of this.records('PermissionSetAssignment')) {
      if (a.AssigneeId !== userId) continue;
      const name = sets.get(a.PermissionSetId as string)?.Name as string | undefined;
      for (const [field, g] of name ? fieldGrants(name) : []) {
        const had = out.get(field);
        out.set(field, { read: g.read || (had?.read ?? false), edit: g.edit || (had?.edit ?? false) });
      }
    }
    return out;
  }

  /** Field-level security of the acting API user; standard fields follow the (admin) profile. */
  private fieldAllowed(type: string, field: string, need: 'read' | 'edit'): boolean {
    if (!this.acting || !/__[cr]$/.test(field) || type.endsWith('__Share') || isCustomSetting(type)) return true;
    const name = field.replace(/__r$/, '__c');
    if (needsNoFieldPermission(type, name)) return true;
    const grant = this.acting.get(`${type}.${name}`);
    return need === 'read' ? grant?.read === true : grant?.edit === true;
  }

  private checkReadable(type: string, field: string): void {
    if (!this.fieldAllowed(type, field, 'read')) {
      throw new SfFault(
        'INVALID_FIELD',
        `No such column '${field}' on entity '${type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
  }

  // Records

  private table(type: string): Map<string, SfRow> {
    if (!hasObject(type)) throw new SfFault('INVALID_TYPE', `sObject type '${type}' is not supported`);
    let t = this.tables.get(type);
    if (!t) this.tables.set(type, (t = new Map<string, SfRow>()));
    return t;
  }

  public records(type: string): SfRow[] {
    return [...this.table(type).values()];
  }

  private newId(type: string): string {
    const prefix = PREFIXES[type] ?? `a${String(type.length % 10)}${type.charCodeAt(0) % 10}`;
    return toId18(`${prefix}${String(++this.idCounter).padStart(12, '0')}`);
  }

  /**
   * Moves the clock of CreatedDate / LastModifiedDate forward to `ms` (never back: stamps stay strictly
   * increasing), for a caller that plays a given day (the Apex runtime's Datetime.now(), scripts/apex-org.mjs):
   * a record is created when its transaction runs, as in an org.
   */
  public advanceClock(ms: number): void {
    this.clock = Math.max(this.clock, ms);
  }

  /** A strictly increasing timestamp per write, so LastModifiedDate orders writes. */
  private now(): string {
    return new Date((this.clock += 1)).toISOString().replace('Z', '+0000');
  }

  private journal(fn: () => void): void {
    this.undo?.push(fn);
  }

  /** Runs `fn` as one transaction: any throw undoes every write it made. */
  private transaction<T>(fn: () => T): T {
    const outer = this.undo;
    const log: (() => void)[] = [];
    this.undo = log;
    try {
      const result = fn();
      outer?.push(...log);
      return result;
    } catch (error) {
      for (const u of log.reverse()) u();
      throw error;
    } finally {
      this.undo = outer;
    }
  }

  /**
   * API requests a rolling 24 hours allows (a Developer Edition org's 15,000; Enterprise orgs get more per
   * licence) and those made so far: the Limits resource reports them as DailyApiRequests.
   */
  public dailyApiMax = 15_000;
  public dailyApiUsed = 0;

  /** Unique fields are indexed (case-insensitive, as an org's unique external ids are). */
  private readonly unique = new Map<string, Map<string, string>>();

  private findBy(type: string, field: string, value: unknown): SfRow | undefined {
    const id = this.unique.get(`${type}.${field}`)?.get(String(value).toLowerCase());
    return id === undefined ? undefined : this.table(type).get(id);
  }

  private index(type: string, row: SfRow, add: boolean): void {
    for (const field of uniqueOn(type)) {
      const v = row[field] as string | number | null | undefined;
      if (v === null || v === undefined) continue;
      const key = `${type}.${field}`;
      let map = this.unique.get(key);
      if (!map) this.unique.set(key, (map = new Map<string, string>()));
      if (add) map.set(String(v).toLowerCase(), row.Id as string);
      else map.delete(String(v).toLowerCase());
    }
  }

  private put(type: string, id: string, row: SfRow | undefined): void {
    const previous = this.table(type).get(id);
    if (previous) this.index(type, previous, false);
    if (row) {
      this.table(type).set(id, row);
      this.index(type, row, true);
    } else this.table(type).delete(id);
  }

  /** Resolves `Rel__r: { External_Id__c }` into `Rel__c` ids, and checks unique fields. */
  private prepare(type: string, body: SfRow, id: string | undefined): SfRow {
    const out: SfRow = {};
    for (const [key, value] of Object.entries(body)) {
      if (key === 'attributes' || key === 'Id') continue;
      if (!hasField(type, key)) throw new SfFault('INVALID_FIELD', `No such column '${key}' on sObject type '${type}'`);
      if (!this.fieldAllowed(type, key, 'edit')) {
        throw new SfFault(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${key.replace(/__r$/, '__c')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        );
      }
      if (key.endsWith('__r')) {
        const idField = key.replace(/__r$/, '__c');
        const target = LOOKUPS[type]?.[idField];
        if (!target) throw new SfFault('INVALID_FIELD', `No such column '${key}' on entity '${type}'`);
        if (value === null) out[idField] = null;
        else {
          const ext = (value as SfRow).External_Id__c;
          const found = this.findBy(target, 'External_Id__c', ext);
          if (!found)
            throw new SfFault(
              'INVALID_FIELD',
              `Foreign key external ID: ${String(ext)} not found for field External_Id__c in entity ${target}`,
            );
          out[idField] = found.Id;
        }
        continue;
      }
      const target = LOOKUPS[type]?.[key];
      if (target && typeof value === 'string' && !this.table(target).has(value)) {
        throw new SfFault('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${key}`);
      }
      checkLength(type, key, value);
      out[key] = value;
    }
    for (const field of uniqueOn(type)) {
      const v = out[field];
      if (v === null || v === undefined) continue;
      const other = this.findBy(type, field, v);
      if (other && other.Id !== id) {
        throw new SfFault(
          'DUPLICATE_VALUE',
          `duplicate value found: ${field} duplicates value on record with id: ${String(other.Id)}`,
        );
      }
    }
    return out;
  }

  public insert(type: string, body: SfRow): string {
    const id = typeof body.Id === 'string' && !this.table(type).has(body.Id) ? body.Id : this.newId(type);
    const row = this.prepare(type, body, undefined);
    if (type === 'DatedConversionRate' || type === 'CurrencyType') this.currencyRules(type, row);
    if (type === 'User') this.portalUser(row);
    if (type === 'ContentVersion') this.contentVersion(id, row);
    if (type === 'ContentDocumentLink') this.contentDocumentLink(row);
    const stamp = this.now();
    const record = personName(type, { Id: id, ...row, CreatedDate: stamp, LastModifiedDate: stamp });
    this.put(type, id, record);
    this.journal(() => this.put(type, id, undefined));
    return id;
  }

  /**
   * Files (docs/ORG-CHECKS.md): a new ContentVersion needs its file's PathOnClient and VersionData, and creating
   * one without a ContentDocumentId creates its ContentDocument ("Creating a new content version also creates a
   * content document"), whose latest published version it is.
   */
  private contentVersion(id: string, row: SfRow): void {
    const missing = ['PathOnClient', 'VersionData'].filter((f) => row[f] === null || row[f] === undefined || row[f] === '');
    if (missing.length > 0) throw new SfFault('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`);
    if (this.rest && typeof row.VersionData === 'string') {
      const bytes = Buffer.byteLength(row.VersionData, 'base64');
      if (bytes > REST_BASE64_BLOB_MAX_BYTES) {
        throw new SfFault(
          'JSON_PARSER_ERROR',
          `VersionData holds ${bytes} bytes: a non-multipart request carries at most 37.5 MB of base64-encoded data`,
        );
      }
    }
    row.IsLatest = true;
    const documentId = row.ContentDocumentId;
    if (typeof documentId === 'string') {
      // A new version of an existing document: it becomes the document's latest ("IsLatest ... true for the latest
      // version of a document"), the document takes its title.
      for (const v of this.records('ContentVersion')) {
        if (v.ContentDocumentId === documentId && v.IsLatest === true)
          this.update('ContentVersion', v.Id as string, { IsLatest: false });
      }
      this.update('ContentDocument', documentId, { Title: row.Title ?? row.PathOnClient, LatestPublishedVersionId: id });
      return;
    }
    row.ContentDocumentId = this.insert('ContentDocument', {
      Title: row.Title ?? row.PathOnClient,
      LatestPublishedVersionId: id,
    });
    // FirstPublishLocationId: "When a file is created, it's automatically linked to the record" (ContentVersion).
    if (typeof row.FirstPublishLocationId === 'string') {
      this.insert('ContentDocumentLink', {
        ContentDocumentId: row.ContentDocumentId,
        LinkedEntityId: row.FirstPublishLocationId,
        ShareType: 'V',
        Visibility: 'AllUsers',
      });
    }
  }

  /**
   * A ContentDocumentLink names its document and the record it shares it with; ShareType is required (V viewer,
   * C collaborator, I inferred) and Visibility is one of AllUsers, InternalUsers, SharedUsers.
   */
  private contentDocumentLink(row: SfRow): void {
    const missing = ['ContentDocumentId', 'LinkedEntityId', 'ShareType'].filter((f) => typeof row[f] !== 'string');
    if (missing.length > 0) throw new SfFault('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`);
    if (!['V', 'C', 'I'].includes(row.ShareType as string)) {
      throw new SfFault(
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `Share Type: bad value for restricted picklist field: ${String(row.ShareType)}`,
      );
    }
    if (
      row.Visibility !== undefined &&
      row.Visibility !== null &&
      !['AllUsers', 'InternalUsers', 'SharedUsers'].includes(row.Visibility as string)
    ) {
      throw new SfFault(
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `Visibility: bad value for restricted picklist field: ${JSON.stringify(row.Visibility)}`,
      );
    }
    if (this.typeOf(row.LinkedEntityId as string) === undefined) {
      throw new SfFault('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id: LinkedEntityId');
    }
  }

  /**
   * Currencies (docs/ORG-CHECKS.md): DatedConversionRate.IsoCode is a restricted picklist of the org's
   * active currencies, and CurrencyType.IsoCode must be unique in the org.
   */
  private currencyRules(type: string, row: SfRow): void {
    const code = row.IsoCode;
    const currencies = this.records('CurrencyType');
    if (type === 'CurrencyType') {
      if (currencies.some((c) => c.IsoCode === code)) {
        throw new SfFault('DUPLICATE_VALUE', `duplicate value found: IsoCode duplicates value ${String(code)}`);
      }
      return;
    }
    if (!currencies.some((c) => c.IsoCode === code && c.IsActive === true)) {
      throw new SfFault(
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `Currency ISO Code: bad value for restricted picklist field: ${String(code)}`,
      );
    }
    if (typeof row.ConversionRate !== 'number' || !(row.ConversionRate > 0) || typeof row.StartDate !== 'string') {
      throw new SfFault('REQUIRED_FIELD_MISSING', 'Required fields are missing: [ConversionRate, StartDate]');
    }
  }

  /**
   * What the platform does when a partner user (a Partner Community User profile, UserType PowerPartner) is
   * created: User.AccountId is its contact's account, and the account's partner role (UserRole with
   * PortalAccountId) and that role's group (Group of Type 'Role') exist from its first partner user on.
   */
  private portalUser(row: SfRow): void {
    row.IsActive ??= true; // a new user is active unless created inactive
    if (typeof row.ContactId !== 'string') return;
    const accountId = this.table('Contact').get(row.ContactId)?.AccountId;
    if (typeof accountId !== 'string') return;
    row.AccountId = accountId;
    const profile = typeof row.ProfileId === 'string' ? this.table('Profile').get(row.ProfileId) : undefined;
    if (profile?.UserType !== 'PowerPartner' || row.UserRoleId) return;
    let role = this.records('UserRole').find((r) => r.PortalAccountId === accountId)?.Id as string | undefined;
    if (!role) {
      const name = `${String(this.table('Account').get(accountId)?.Name)} Partner User`;
      role = this.insert('UserRole', {
        Name: platformName('UserRole', 'Name', name),
        PortalAccountId: accountId,
        PortalType: 'Partner',
      });
      this.insert('Group', { Name: platformName('Group', 'Name', name), Type: 'Role', RelatedId: role });
    }
    row.UserRoleId = role;
  }

  public update(type: string, id: string, body: SfRow): void {
    const existing = this.table(type).get(id);
    if (!existing) throw new SfFault('ENTITY_IS_DELETED', `entity is deleted or does not exist: ${id}`, 404);
    const parent = MASTER_DETAIL[type];
    const row = this.prepare(type, body, id);
    if (parent && parent in row && row[parent] !== existing[parent]) {
      throw new SfFault('FIELD_INTEGRITY_EXCEPTION', `${parent}: master-detail relationships cannot be reparented`);
    }
    this.put(type, id, personName(type, { ...existing, ...row, LastModifiedDate: this.now() }));
    this.journal(() => this.put(type, id, existing));
  }

  /** Upsert by External_Id__c: true when created. */
  public upsert(type: string, externalId: string, body: SfRow): { id: string; created: boolean } {
    const existing = this.findBy(type, 'External_Id__c', externalId);
    if (existing) {
      this.update(type, existing.Id as string, body);
      return { id: existing.Id as string, created: false };
    }
    return { id: this.insert(type, { ...body, External_Id__c: externalId }), created: true };
  }

  public delete(id: string): void {
    const type = this.typeOf(id);
    if (!type) throw new SfFault('ENTITY_IS_DELETED', `entity is deleted: ${id}`, 404);
    // ContentVersion supports no delete() (its supported calls: create, describe, query, retrieve, search, update,
    // upsert); a file goes by deleting its ContentDocument, which takes its versions and links with it.
    if (type === 'ContentVersion') {
      throw new SfFault(
        'INVALID_TYPE_FOR_OPERATION',
        'entity type ContentVersion does not support delete: delete its ContentDocument',
      );
    }
    if (type === 'ContentDocument') {
      for (const child of ['ContentVersion', 'ContentDocumentLink']) {
        for (const r of this.records(child)) {
          if (r.ContentDocumentId !== id) continue;
          this.put(child, r.Id as string, undefined);
          this.journal(() => this.put(child, r.Id as string, r));
        }
      }
    }
    const record = this.table(type).get(id)!;
    this.put(type, id, undefined);
    this.journal(() => this.put(type, id, record));
    for (const [child, parentField] of Object.entries(MASTER_DETAIL)) {
      for (const r of this.records(child)) if (r[parentField] === id) this.delete(r.Id as string);
    }
    // Lookups to a deleted record are cleared (the default "clear the value of this field").
    for (const [t, lookups] of Object.entries(LOOKUPS)) {
      for (const [field, target] of Object.entries(lookups)) {
        if (target !== type || MASTER_DETAIL[t] === field) continue;
        for (const r of this.records(t)) {
          if (r[field] === id) {
            this.put(t, r.Id as string, { ...r, [field]: null });
            this.journal(() => this.put(t, r.Id as string, r));
          }
        }
      }
    }
  }

  private typeOf(id: string): string | undefined {
    for (const [type, t] of this.tables) if (t.has(id)) return type;
    return undefined;
  }

  // Queries

  /** The value of a field path (`Channel_Contract__r.End_Date__c`, `Contact.Account.Name`) on a record of `type`. */
  private resolve(type: string, row: SfRow | undefined, path: string): unknown {
    if (!row) return null;
    const [head, ...rest] = path.split('.');
    if (!hasField(type, head!)) throw new SfFault('INVALID_FIELD', `No such column '${head}' on entity '${type}'`);
    this.checkReadable(type, head!);
    if (rest.length === 0) return row[head!] ?? null;
    const idField = head!.endsWith('__r') ? head!.replace(/__r$/, '__c') : `${head}Id`;
    const target = LOOKUPS[type]?.[idField];
    if (!target) throw new SfFault('INVALID_FIELD', `Didn't understand relationship '${head}' in field path on ${type}`);
    const id = row[idField];
    return typeof id === 'string' ? this.resolve(target, this.table(target).get(id), rest.join('.')) : null;
  }

  private matches(type: string, row: SfRow, c: Condition): boolean {
    const value = (field: string): unknown => this.resolve(type, row, field);
    const norm = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);
    const lit = (l: Literal): unknown => (l !== null && typeof l === 'object' ? l.date : l);
    switch (c.kind) {
      case 'and':
        return c.items.every((i) => this.matches(type, row, i));
      case 'or':
        return c.items.some((i) => this.matches(type, row, i));
      case 'not':
        return !this.matches(type, row, c.item);
      case 'in': {
        const v = norm(value(c.field));
        const found = c.values.some((l) => norm(lit(l)) === v);
        return c.negated ? !found : found;
      }
      case 'like': {
        const v = value(c.field);
        return typeof v === 'string' && likeToRegExp(c.pattern).test(v);
      }
      case 'compare': {
        const v = value(c.field);
        const l = lit(c.value);
        if (l === null) return c.op === '=' ? v === null : c.op === '!=' ? v !== null : false;
        if (v === null || v === undefined) return c.op === '!=';
        const a = norm(v) as string | number | boolean;
        const b = norm(l) as string | number | boolean;
        switch (c.op) {
          case '=':
            return a === b;
          case '!=':
            return a !== b;
          case '<':
            return a < b;
          case '<=':
            return a <= b;
          case '>':
            return a > b;
          default:
            return a >= b;
        }
      }
    }
  }

  /** A result row as the REST API shapes it: relationship fields nested, with attributes. */
  private shape(type: string, row: SfRow, fields: string[]): SfRow {
    const out: SfRow = { attributes: { type, url: `/services/data/v62.0/sobjects/${type}/${String(row.Id)}` } };
    for (const field of fields) {
      const parts = field.split('.');
      if (parts.length === 1) {
        // A blob field in a REST query result is the URL of its data (sObject Blob Retrieve), never the data.
        out[field] =
          this.rest && type === 'ContentVersion' && field === 'VersionData' && row[field] !== undefined && row[field] !== null
            ? `/services/data/v62.0/sobjects/ContentVersion/${String(row.Id)}/VersionData`
            : (row[field] ?? null);
        continue;
      }
      let node = out;
      let currentType = type;
      let current: SfRow | undefined = row;
      for (let i = 0; i < parts.length - 1; i++) {
        const rel = parts[i]!;
        const idField = rel.endsWith('__r') ? rel.replace(/__r$/, '__c') : `${rel}Id`;
        const target = LOOKUPS[currentType]?.[idField];
        if (!target) throw new SfFault('INVALID_FIELD', `Didn't understand relationship '${rel}' on ${currentType}`);
        const id: unknown = current?.[idField];
        current = typeof id === 'string' ? this.table(target).get(id) : undefined;
        if (!current) {
          if (!(rel in node)) node[rel] = null;
          break;
        }
        const existing = node[rel] as SfRow | null | undefined;
        node = existing ?? (node[rel] = { attributes: { type: target } });
        currentType = target;
      }
      if (current) node[parts[parts.length - 1]!] = current[parts[parts.length - 1]!] ?? null;
    }
    return out;
  }

  /** Refuses a field path with a field the deployed metadata does not have, as an org does, rows or none. */
  private checkPath(type: string, path: string): void {
    let current = type;
    const parts = path.split('.');
    for (const [i, part] of parts.entries()) {
      if (!hasField(current, part)) throw new SfFault('INVALID_FIELD', `No such column '${part}' on entity '${current}'`);
      this.checkReadable(current, part);
      if (i === parts.length - 1) break;
      const idField = part.endsWith('__r') ? part.replace(/__r$/, '__c') : `${part}Id`;
      const target = LOOKUPS[current]?.[idField];
      if (!target) throw new SfFault('INVALID_FIELD', `Didn't understand relationship '${part}' on ${current}`);
      current = target;
    }
  }

  public query(soql: string): SfRow[] {
    let q: Query;
    try {
      q = parseSoql(soql);
    } catch (error) {
      throw new SfFault('MALFORMED_QUERY', (error as Error).message);
    }
    if (q.where) {
      checkIdLiterals(q.where);
      for (const field of conditionFields(q.where)) this.checkPath(q.object, field);
    }
    for (const field of q.fields) this.checkPath(q.object, field);
    for (const o of q.orderBy) this.checkPath(q.object, o.field);
    // ContentDocumentLink: "turn on the Query All Files permission to query without a filter on id, LinkedEntityId,
    // and documentID fields" (ContentDocumentLink, Special Access Rules): nobody here holds Query All Files.
    if (q.object === 'ContentDocumentLink' && !(q.where && filtersById(q.where))) {
      throw new SfFault(
        'MALFORMED_QUERY',
        "Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator.",
      );
    }
    let rows = this.records(q.object).filter((r) => !q.where || this.matches(q.object, r, q.where));
    if (q.orderBy.length > 0) {
      rows = [...rows].sort((x, y) => {
        for (const o of q.orderBy) {
          const a = this.resolve(q.object, x, o.field) as string | number | null;
          const b = this.resolve(q.object, y, o.field) as string | number | null;
          if (a === b) continue;
          if (a === null) return o.nullsLast ? 1 : -1;
          if (b === null) return o.nullsLast ? -1 : 1;
          return (a < b ? -1 : 1) * (o.desc ? -1 : 1);
        }
        return 0;
      });
    }
    if (q.limit !== undefined) rows = rows.slice(0, q.limit);
    return rows.map((r) => this.shape(q.object, r, q.fields));
  }

  private page(rows: SfRow[], offset: number, base: string): SfRow {
    const records = rows.slice(offset, offset + this.pageSize);
    const done = offset + records.length >= rows.length;
    const out: SfRow = { totalSize: rows.length, done, records };
    if (!done) {
      const cursor = `01gFAKE${this.cursors.size}`;
      this.cursors.set(cursor, { rows, offset: offset + records.length });
      out.nextRecordsUrl = `${base}/query/${cursor}-${offset + records.length}`;
    }
    return out;
  }

  // HTTP

  /** What `$$.fakeConnectionRequest` calls: one HTTP request in, its JSON answer out (or a rejection like jsforce's). */
  public handle(request: unknown): Promise<unknown> {
    const r = (typeof request === 'string' ? { method: 'GET', url: request } : request) as Request;
    this.requests.push({ method: r.method, url: r.url, body: r.body });
    this.acting = this.apiUserId === undefined ? undefined : this.fieldGrantsOf(this.apiUserId);
    this.rest = true;
    try {
      // The daily allowance: every request counts but the versions list; past it the org refuses them all.
      if (!/^\/*services\/data\/?$/.test(new URL(r.url, 'https://fake.my.salesforce.com').pathname)) {
        this.dailyApiUsed++;
        if (this.dailyApiUsed > this.dailyApiMax)
          throw new SfFault('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', 403);
      }
      const result = this.route(r.method.toUpperCase(), r.url, r.body);
      if (result instanceof Blob) return blobResponse(result);
      return Promise.resolve(result);
    } catch (error) {
      if (error instanceof SfFault) {
        const e = Object.assign(new Error(error.message), {
          name: error.errorCode,
          errorCode: error.errorCode,
          statusCode: error.status,
          ...(error.fields ? { fields: error.fields } : {}),
        });
        return Promise.reject(e);
      }
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.acting = undefined;
      this.rest = false;
    }
  }

  private route(method: string, fullUrl: string, rawBody?: string): unknown {
    const url = new URL(fullUrl, 'https://fake.my.salesforce.com');
    if (method === 'GET' && /^\/*services\/data\/?$/.test(url.pathname))
      return ['63.0', '64.0', '65.0'].map((version) => ({ label: `v${version}`, url: `/services/data/v${version}`, version }));
    const m = /^\/+services\/data\/v\d+\.\d+(\/.*)$/.exec(url.pathname);
    if (!m) throw new SfFault('NOT_FOUND', `no such resource ${url.pathname}`, 404);
    const base = url.pathname.slice(0, url.pathname.length - m[1]!.length).replace(/^\/+/, '/');
    const path = m[1]!;
    const body = (rawBody && !path.endsWith('/batches') ? JSON.parse(rawBody) : undefined) as SfRow | undefined;
    const parts = path.split('/').filter(Boolean);

    if (method === 'GET' && path === '/limits')
      return { DailyApiRequests: { Max: this.dailyApiMax, Remaining: Math.max(0, this.dailyApiMax - this.dailyApiUsed) } };
    if (method === 'GET' && path === '/query') return this.page(this.query(url.searchParams.get('q') ?? ''), 0, base);
    if (method === 'GET' && parts[0] === 'query' && parts[1]) {
      const [cursor, offset] = parts[1].split('-');
      const c = this.cursors.get(cursor!);
      if (!c) throw new SfFault('INVALID_QUERY_LOCATOR', 'invalid query locator', 400);
      return this.page(c.rows, Number(offset), base);
    }
    if (parts[0] === 'composite' && parts[1] === 'sobjects') return this.collections(method, parts.slice(2), url, body);
    if (method === 'POST' && path === '/composite') return this.composite(body!, base);
    if (method === 'POST' && path === '/composite/graph') return this.graph(body!, base);
    if (parts[0] === 'sobjects') return this.transaction(() => this.sobject(method, parts.slice(1), body)).body;
    if (parts[0] === 'jobs' && parts[1] === 'ingest') return this.ingest(method, parts.slice(2), body, rawBody);
    throw new SfFault('NOT_FOUND', `no such resource ${method} ${path}`, 404);
  }

  /** sObject rows: POST /sobjects/T, PATCH|DELETE /sobjects/T/id, PATCH /sobjects/T/External_Id__c/value. */
  private sobject(method: string, parts: string[], body?: SfRow): { status: number; body: unknown } {
    const [type, a, b] = parts.map(decodeURIComponent);
    if (!type) throw new SfFault('NOT_FOUND', 'no object', 404);
    // sObject Blob Retrieve: GET /sobjects/ContentVersion/id/VersionData answers the file's bytes.
    if (method === 'GET' && type === 'ContentVersion' && a !== undefined && b === 'VersionData') {
      const row = this.table(type).get(a);
      if (!row) throw new SfFault('NOT_FOUND', 'The requested resource does not exist', 404);
      return { status: 200, body: new Blob([Buffer.from(typeof row.VersionData === 'string' ? row.VersionData : '', 'base64')]) };
    }
    if (method === 'POST' && a === undefined)
      return { status: 201, body: { id: this.insert(type, body ?? {}), success: true, errors: [] } };
    if (method === 'PATCH' && a === 'External_Id__c' && b !== undefined) {
      if (body && 'External_Id__c' in body)
        throw new SfFault('INVALID_FIELD', 'External_Id__c must not be in the body of an upsert');
      const result = this.upsert(type, b, body ?? {});
      return { status: result.created ? 201 : 200, body: { id: result.id, created: result.created, success: true, errors: [] } };
    }
    if (method === 'PATCH' && a !== undefined) {
      this.update(type, a, body ?? {});
      return { status: 204, body: null };
    }
    if (method === 'DELETE' && a !== undefined) {
      if (this.typeOf(a) !== type) throw new SfFault('ENTITY_IS_DELETED', `entity is deleted: ${a}`, 404);
      this.delete(a);
      return { status: 204, body: null };
    }
    throw new SfFault('METHOD_NOT_ALLOWED', `${method} not allowed`, 405);
  }

  /** sObject Collections; with allOrNone, one failure rolls the whole call back. */
  private collections(method: string, parts: string[], url: URL, body?: SfRow): unknown {
    const allOrNone = method === 'DELETE' ? url.searchParams.get('allOrNone') === 'true' : body?.allOrNone === true;
    type Item = () => { id: string; created?: boolean };
    let items: Item[];
    if (method === 'DELETE') {
      const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
      if (ids.length > 200) throw new SfFault('EXCEEDED_ID_LIMIT', 'more than 200 ids');
      items = ids.map((id) => () => (this.delete(id), { id }));
    } else {
      const records = (body?.records ?? []) as SfRow[];
      if (records.length > 200) throw new SfFault('EXCEEDED_ID_LIMIT', 'record limit exceeded: more than 200 records');
      const typeOf = (r: SfRow): string => (r.attributes as { type: string }).type;
      if (method === 'POST' && parts.length === 0)
        items = records.map((r) => () => ({ id: this.insert(typeOf(r), r), created: true }));
      else if (method === 'PATCH' && parts.length === 0)
        items = records.map((r) => () => (this.update(typeOf(r), r.Id as string, r), { id: r.Id as string }));
      else if (method === 'PATCH' && parts[1] === 'External_Id__c') {
        items = records.map((r) => () => this.upsert(parts[0]!, r.External_Id__c as string, r));
      } else throw new SfFault('METHOD_NOT_ALLOWED', `${method} not allowed`, 405);
    }
    const run = (): unknown[] =>
      items.map((item) => {
        try {
          return { ...this.transaction(item), success: true, errors: [] };
        } catch (error) {
          if (!(error instanceof SfFault)) throw error;
          return { success: false, errors: error.body() };
        }
      });
    if (!allOrNone) return run();
    let results: unknown[] = [];
    try {
      this.transaction(() => {
        results = run();
        if (results.some((r) => !(r as { success: boolean }).success))
          throw new SfFault('ALL_OR_NONE_OPERATION_ROLLED_BACK', 'rolled back');
      });
    } catch (error) {
      if (!(error instanceof SfFault)) throw error;
      return results.map((r) =>
        (r as { success: boolean }).success
          ? {
              success: false,
              errors: [
                {
                  errorCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
                },
              ],
            }
          : r,
      );
    }
    return results;
  }

  /** Replaces @{ref.path} in a subrequest (url and body) with values from earlier responses. */
  private substitute<T>(value: T, responses: Map<string, unknown>): T {
    const text = JSON.stringify(value);
    const replaced = text.replace(/@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g, (_, ref: string, path: string) => {
      let node = responses.get(ref);
      for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
        node = step.startsWith('[')
          ? (node as unknown[] | undefined)?.[Number(step.slice(1, -1))]
          : (node as SfRow | undefined)?.[step.slice(1)];
      }
      if (node === undefined || node === null) {
        throw new SfFault('INVALID_REFERENCE', `Invalid reference specified. No value for ${ref}${path} found in ${ref}.`);
      }
      return (node as string | number).toString().replace(/["\\]/g, (c) => `\\${c}`);
    });
    return JSON.parse(replaced) as T;
  }

  private subrequest(s: { method: string; url: string; body?: SfRow }, base: string): { status: number; body: unknown } {
    const url = new URL(s.url, 'https://fake.my.salesforce.com');
    const path = url.pathname.replace(/^\/+services\/data\/v\d+\.\d+/, '');
    const parts = path.split('/').filter(Boolean);
    if (s.method === 'GET' && path === '/query')
      return { status: 200, body: this.page(this.query(url.searchParams.get('q') ?? ''), 0, base) };
    if (parts[0] === 'composite' && parts[1] === 'sobjects') {
      const results = this.collections(s.method, parts.slice(2), url, s.body) as { success: boolean; errors: SfErrorBody[] }[];
      const failed = results.find((r) => !r.success && r.errors[0]?.errorCode !== 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
      if (failed) throw new SfFault(failed.errors[0]!.errorCode, failed.errors[0]!.message, 400, failed.errors[0]!.fields);
      return { status: 200, body: results };
    }
    // "The sObject Blob Get resource isn't compatible with Composite API requests" (REST API, sObject Blob Get).
    if (s.method === 'GET' && parts[0] === 'sobjects' && parts[1] === 'ContentVersion' && parts[3] === 'VersionData')
      throw new SfFault('INVALID_URL', `sObject Blob Get is not allowed in a composite request: ${path}`);
    if (parts[0] === 'sobjects') return this.sobject(s.method, parts.slice(1), s.body);
    throw new SfFault('INVALID_URL', `not allowed in a composite request: ${s.method} ${path}`);
  }

  /** Composite: subrequests in order, in one transaction when allOrNone. */
  private composite(body: SfRow, base: string): unknown {
    const subrequests = body.compositeRequest as { method: string; url: string; referenceId: string; body?: SfRow }[];
    if (subrequests.length > 25) throw new SfFault('LIMIT_EXCEEDED', 'more than 25 subrequests');
    // "up to 25 subrequests ... up to 5 of these subrequests can be sObject Collections or query operations"
    // (REST API Developer Guide, Composite): docs/ORG-CHECKS.md.
    const heavy = subrequests.filter((s) => isCollectionOrQuery(s.url)).length;
    if (heavy > 5) {
      throw new SfFault(
        'LIMIT_EXCEEDED',
        `a composite request may hold at most 5 sObject Collections or query subrequests (got ${heavy})`,
      );
    }
    const responses = new Map<string, unknown>();
    const out: SubResponse[] = [];
    let failedAt = -1;
    let fault: SfFault | undefined;
    try {
      this.transaction(() => {
        for (const [i, raw] of subrequests.entries()) {
          try {
            const s = this.substitute(raw, responses);
            const r = this.subrequest(s, base);
            responses.set(raw.referenceId, r.body);
            out.push({ body: r.body, httpStatusCode: r.status, referenceId: raw.referenceId, httpHeaders: {} });
          } catch (error) {
            if (!(error instanceof SfFault)) throw error;
            failedAt = i;
            fault = error;
            throw error;
          }
        }
      });
    } catch (error) {
      if (!(error instanceof SfFault)) throw error;
      return {
        compositeResponse: subrequests.map((s, i) => ({
          body:
            i === failedAt
              ? fault!.body()
              : [
                  {
                    errorCode: 'PROCESSING_HALTED',
                    message: 'The transaction was rolled back since another operation in the same transaction failed.',
                  },
                ],
          httpStatusCode: 400,
          referenceId: s.referenceId,
          httpHeaders: {},
        })),
      };
    }
    return { compositeResponse: out };
  }

  /** Composite graph: each graph its own transaction; after 14 failed graphs the rest are not processed. */
  private graph(body: SfRow, base: string): unknown {
    const graphs = body.graphs as {
      graphId: string;
      compositeRequest: { method: string; url: string; referenceId: string; body?: SfRow }[];
    }[];
    const nodes = graphs.reduce((n, g) => n + g.compositeRequest.length, 0);
    if (graphs.length > 75 || nodes > 500)
      throw new SfFault('LIMIT_EXCEEDED', `too large a graph payload (${graphs.length} graphs, ${nodes} nodes)`);
    let failures = 0;
    return {
      graphs: graphs.map((g) => {
        if (failures >= 14) {
          return {
            graphId: g.graphId,
            isSuccessful: false,
            graphResponse: {
              compositeResponse: g.compositeRequest.map((s) => ({
                body: [{ errorCode: 'PROCESSING_HALTED', message: 'Too many graphs failed: processing halted.' }],
                httpStatusCode: 400,
                referenceId: s.referenceId,
              })),
            },
          };
        }
        for (const s of g.compositeRequest) {
          const path = new URL(s.url, 'https://x').pathname.replace(/^\/+services\/data\/v\d+\.\d+/, '');
          if (
            !/^\/sobjects\/[A-Za-z0-9_]+(\/[^/]+(\/[^/]+)?)?$/.test(path) ||
            (s.method === 'GET' && path.split('/').length < 4)
          ) {
            throw new SfFault('INVALID_GRAPH', `graph nodes must be sObject rows: ${s.method} ${path}`);
          }
        }
        const result = this.composite({ compositeRequest: g.compositeRequest }, base) as { compositeResponse: SubResponse[] };
        const ok = result.compositeResponse.every((r) => r.httpStatusCode < 400);
        if (!ok) failures++;
        return { graphId: g.graphId, isSuccessful: ok, graphResponse: result };
      }),
    };
  }

  /** Bulk API 2.0 ingest (upsert on External_Id__c): the job runs when the upload is complete. */
  private ingest(method: string, parts: string[], body?: SfRow, raw?: string): unknown {
    const [jobId, sub] = parts;
    if (method === 'POST' && !jobId) {
      if (body?.operation !== 'upsert' || body.externalIdFieldName !== 'External_Id__c' || body.contentType !== 'CSV') {
        throw new SfFault('INVALIDJOB', 'only CSV upserts on External_Id__c are faked');
      }
      const id = `750FAKE${this.jobs.size}`;
      this.jobs.set(id, { object: body.object as string, state: 'Open', csv: '', failed: [], processed: 0 });
      return { id, state: 'Open', object: body.object };
    }
    const job = this.jobs.get(jobId ?? '');
    if (!job) throw new SfFault('NOT_FOUND', `no job ${jobId}`, 404);
    if (method === 'PUT' && sub === 'batches') {
      job.csv += raw ?? '';
      return null;
    }
    if (method === 'PATCH' && !sub) {
      if (body?.state === 'UploadComplete') this.runJob(job);
      return { id: jobId, state: job.state };
    }
    if (method === 'GET' && !sub) {
      return { id: jobId, state: job.state, numberRecordsProcessed: job.processed, numberRecordsFailed: job.failed.length };
    }
    if (method === 'GET' && sub === 'failedResults') return ['"sf__Id","sf__Error"', ...job.failed].join('\n');
    throw new SfFault('NOT_FOUND', 'no such job resource', 404);
  }

  private runJob(job: { object: string; state: string; csv: string; failed: string[]; processed: number }): void {
    const [header, ...lines] = parseCsv(job.csv);
    for (const line of lines) {
      const record: SfRow = {};
      header!.forEach((column, i) => {
        const v = line[i] ?? '';
        const value: unknown =
          v === '#N/A'
            ? null
            : v === 'true'
              ? true
              : v === 'false'
                ? false
                : /^-?\d+(\.\d+)?$/.test(v) && !/Date|External_Id|Code|Number/.test(column)
                  ? Number(v)
                  : v;
        if (column.endsWith('__r.External_Id__c'))
          record[column.split('.')[0]!] = value === null ? null : { External_Id__c: (value as string | number).toString() };
        else record[column] = value;
      });
      try {
        const ext = String(record.External_Id__c);
        delete record.External_Id__c;
        this.transaction(() => this.upsert(job.object, ext, record));
      } catch (error) {
        if (!(error instanceof SfFault)) throw error;
        job.failed.push(`"","${error.errorCode}: ${error.message}"`);
      }
      job.processed++;
    }
    job.state = 'JobComplete';
  }
}

/**
 * A name the platform gives a record it creates itself (a partner account's role "<Account> Partner User" and the
 * role's group): cut to the field's length, since the platform does not fail on the names it makes (an account
 * name may have 255 characters, Group.Name 40). Data a caller writes is never cut: it is STRING_TOO_LONG.
 */
export function platformName(type: string, field: string, text: string): string {
  return text.slice(0, maxLength(type, field) ?? text.length);
}

/**
 * A text value longer than its field's length is refused, never truncated (API 15.0 and later: "if a value is
 * too large, the operation fails and the fault code STRING_TOO_LONG is returned",
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_header_allowfieldtruncation.htm),
 * with the org's message "Name: data value too large: <value> (max length=80)" and the field in `fields`.
 */
function checkLength(type: string, field: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const max = maxLength(type, field);
  if (max === undefined || value.length <= max) return;
  throw new SfFault('STRING_TOO_LONG', `${field}: data value too large: ${value} (max length=${max})`, 400, [field]);
}

const ID_SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-character form of a 15-character record id: a suffix encoding which characters are upper case. */
export function toId18(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) if (/[A-Z]/.test(id15[chunk * 5 + i]!)) bits |= 1 << i;
    suffix += ID_SUFFIX[bits];
  }
  return id15 + suffix;
}

/** A record id as Salesforce accepts it: 15 case-sensitive characters, or 18 with their matching suffix. */
export function isSalesforceId(value: string): boolean {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value)) return false;
  return value.length === 15 || toId18(value.slice(0, 15)).toLowerCase() === value.toLowerCase();
}

/** A filter on Id with a value that is no record id is refused before any row is read, as an org does. */
function checkIdLiterals(c: Condition): void {
  switch (c.kind) {
    case 'and':
    case 'or':
      c.items.forEach(checkIdLiterals);
      return;
    case 'not':
      checkIdLiterals(c.item);
      return;
    case 'like':
      return;
    default:
      if (c.field !== 'Id') return;
      for (const l of c.kind === 'in' ? c.values : [c.value]) {
        if (typeof l === 'string' && !isSalesforceId(l))
          throw new SfFault('INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${l}`);
      }
  }
}

function conditionFields(c: Condition): string[] {
  switch (c.kind) {
    case 'and':
    case 'or':
      return c.items.flatMap(conditionFields);
    case 'not':
      return conditionFields(c.item);
    default:
      return [c.field];
  }
}

/**
 * A filter ContentDocumentLink accepts: an equals or IN on Id, ContentDocumentId or LinkedEntityId, alone or
 * AND-ed with other conditions.
 */
function filtersById(c: Condition): boolean {
  if (c.kind === 'and') return c.items.some(filtersById);
  const byId = (field: string): boolean => ['Id', 'ContentDocumentId', 'LinkedEntityId'].includes(field);
  if (c.kind === 'compare') return c.op === '=' && byId(c.field) && c.value !== null;
  if (c.kind === 'in') return !c.negated && byId(c.field);
  return false;
}

/**
 * A blob answered as jsforce answers it: a promise of the body parsed as text (bytes that are no UTF-8 do not
 * survive it) with `stream()`, the raw bytes, which is how jsforce's RecordReference.blob() reads a blob field.
 */
function blobResponse(blob: Blob): Promise<unknown> {
  const bytes = blob.arrayBuffer().then((b) => Buffer.from(b));
  const response = bytes.then((b) => b.toString('utf8'));
  return Object.assign(response, {
    stream: (): Readable =>
      Readable.from(
        (async function* () {
          yield await bytes;
        })(),
      ),
  });
}

/** A subrequest the composite limits count as "sObject Collections or query". */
function isCollectionOrQuery(url: string): boolean {
  const path = new URL(url, 'https://fake.my.salesforce.com').pathname.replace(/^\/+services\/data\/v\d+\.\d+/, '');
  return path.startsWith('/composite/sobjects') || path === '/query' || path.startsWith('/query/') || path === '/queryAll';
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
