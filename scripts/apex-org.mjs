// The Apex classes of force-app running on Node against the fake org of the org-store tests
// (plugin/test/store/org/fakeOrg.ts): one data model for both. This module transpiles every class
// (scripts/apex-transpile.mjs), binds the runtime's SOQL and DML to a FakeOrg, and runs each call as one Apex
// transaction: statics reset, governor limits counted from zero, every write rolled back when an exception
// escapes. A test harness (docs/APEX-RUNTIME.md); it never ships in the product.
import { Buffer } from 'node:buffer';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { transpile } from './apex-transpile.mjs';
import { loadSchema } from './apex-schema.mjs';
import * as rt from './apex-runtime.mjs';
import { createAccess, useErrors } from './apex-access.mjs';
import { parseSoql } from '../plugin/test/store/org/soqlParser.js';
import { platformName } from '../plugin/test/store/org/fakeOrg.js';

const root = path.resolve(import.meta.dirname, '..');
const classesDir = path.join(root, 'force-app/main/default/classes');

export const schema = loadSchema();

/** Transpiles every class of force-app (or the given names) into one module and imports it. */
export async function loadClasses(names, extraSources = []) {
  const all =
    names ??
    readdirSync(classesDir)
      .filter((f) => f.endsWith('.cls'))
      .map((f) => f.slice(0, -4));
  const sources = all.map((n) => readFileSync(path.join(classesDir, `${n}.cls`), 'utf8')).concat(extraSources);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'apex-org-')), 'classes.mjs');
  const runtimeUrl = pathToFileURL(path.join(root, 'scripts/apex-runtime.mjs')).href;
  writeFileSync(file, transpile(sources, runtimeUrl, { sobjects: schema.names() }));
  return import(pathToFileURL(file).href);
}

// ---------------------------------------------------------------------------------------------------------------
// Values between Apex and the org

function toOrg(v) {
  if (v === null || v === undefined) return null;
  if (v instanceof rt.ApexDecimal) return Number(v.toPlainString());
  if (v instanceof rt.ApexDate) return v.toString();
  if (v instanceof rt.ApexDatetime) return new Date(v.ms).toISOString().replace('Z', '+0000');
  // A Blob field travels as base64 text, as in the REST API.
  if (v?.$blob) return (v.bytes ?? Buffer.from(v.toString(), 'utf8')).toString('base64');
  return v;
}

function fromOrg(type, field, v) {
  const f = schema.field(type, field);
  const t = f?.type;
  // A checkbox is never null in an org (false unless set).
  if (t === 'Checkbox') return v === true;
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    const d = rt.ApexDecimal.of(numberText(v), 'Decimal');
    return f && f.scale !== undefined && ['Number', 'Currency', 'Percent'].includes(t) ? d.setScale(rt.int(f.scale)) : d;
  }
  if (t === 'Blob' && typeof v === 'string') return rt.blobOfBytes(Buffer.from(v, 'base64'));
  if (t === 'Date' && typeof v === 'string') return rt.globals.Date.valueOf(v.slice(0, 10));
  if (t === 'DateTime' && typeof v === 'string') return new rt.ApexDatetime(Date.parse(v.replace(/\+0000$/, 'Z')));
  return v;
}
const numberText = (n) => {
  const t = String(n);
  if (!/e/i.test(t)) return t;
  return BigInt(Math.round(n)).toString();
};

/** A REST row of the fake org as an SObject read by SOQL: typed fields, parent relationships as SObjects. */
function toSObject(type, row) {
  const r = new rt.SObject(schema.objectName(type), true);
  const url = row.attributes?.url;
  if (url && !('Id' in row)) r.Id = url.slice(url.lastIndexOf('/') + 1);
  for (const [k, v] of Object.entries(row)) {
    if (k === 'attributes') continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const target = v.attributes?.type ?? schema.relationship(type, k)?.target ?? 'SObject';
      r[schema.canon(type, k)] = toSObject(target, v);
    } else r[schema.canon(type, k)] = fromOrg(type, k, v);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// SOQL: binds, WITH USER_MODE / SYSTEM_MODE, FOR UPDATE, aggregates (COUNT(), SUM/COUNT/MIN/MAX with GROUP BY)

function literal(v) {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof v === 'boolean') return String(v);
  if (v instanceof rt.ApexDecimal) return v.toPlainString();
  if (v instanceof rt.ApexDate) return v.toString();
  if (v instanceof rt.ApexDatetime) return new Date(v.ms).toISOString().replace('.000Z', 'Z');
  if (v instanceof rt.SObject) return literal(v.Id);
  if (v instanceof rt.ApexList || v instanceof rt.ApexSet) {
    const items = [...v].map(literal);
    // An empty IN list matches nothing (Apex); the fake's parser needs a value: one no record has, shaped
    // as a record id so that an Id filter takes it (the fake org refuses a malformed id, as an org does).
    return `(${items.length ? items.join(', ') : "'000000000000000AAA'"})`;
  }
  throw new Error(`apex-org: cannot bind ${v?.constructor?.name}`);
}

const AGG = /^(COUNT|SUM|MIN|MAX|AVG|COUNT_DISTINCT)\s*\(\s*([\w.]*)\s*\)\s*(\w+)?$/i;

export function prepareSoql(text, binds) {
  let mode = null;
  let s = text.replace(/:\s*([$\w]+)/g, (m, name) => {
    if (!binds.has(name)) throw new rt.QueryException(`Variable does not exist: ${name}`);
    return literal(binds.get(name));
  });
  s = s.replace(/\bWITH\s+(USER_MODE|SYSTEM_MODE|SECURITY_ENFORCED)\b/i, (m, w) => {
    mode = w.toUpperCase();
    return '';
  });
  const forUpdate = /\bFOR\s+UPDATE\b/i.test(s);
  s = s.replace(/\bFOR\s+(UPDATE|VIEW|REFERENCE)\b/gi, '');
  // SELECT list, FROM object, GROUP BY
  const m = /^\s*SELECT\s+(.*?)\s+FROM\s+(\w+)(.*)$/is.exec(s);
  if (!m) throw new rt.QueryException(`unexpected query: ${text}`);
  const select = splitTop(m[1]);
  let rest = m[3];
  let groupBy = null;
  rest = rest.replace(/\bGROUP\s+BY\s+([\w.,\s]+?)(?=\s+ORDER\s+BY|\s+LIMIT|\s*$)/i, (g, fields) => {
    groupBy = fields.split(',').map((f) => f.trim());
    return '';
  });
  const aggregate = groupBy !== null || select.some((f) => AGG.test(f));
  return { text: s.trim(), mode, forUpdate, object: m[2], select, rest, groupBy, aggregate };
}
/** The fields a query's WHERE and ORDER BY name (user mode checks their field-level security too). */
function clauseFields(text) {
  const q = parseSoql(text);
  const out = q.orderBy.map((o) => o.field);
  const walk = (c) => {
    if (!c) return;
    if (c.kind === 'and' || c.kind === 'or') c.items.forEach(walk);
    else if (c.kind === 'not') walk(c.item);
    else out.push(c.field);
  };
  walk(q.where);
  return out;
}

function splitTop(list) {
  const out = [];
  let depth = 0;
  let cur = '';
  for (const c of list) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * The Apex side of a fake org: runs controller methods as users, each call one transaction.
 * `access` (optional) answers the security questions for user mode and sharing: { canRead(userId, type,
 * record), fieldReadable(userId, type, field), canWrite(...) } - set from the fake org's user API when it has one.
 */
export class ApexOrg {
  constructor(fake, apex, options = {}) {
    this.fake = fake;
    this.apex = apex;
    this.today = options.today ?? null;
    // Object and field permissions, sharing: on unless a caller asks for a bare system-mode org.
    this.access = options.access === false ? null : createAccess(fake, schema);
    useErrors(rt.QueryException, dmlError);
    this.lastUsage = null;
    this.bind();
  }

  bind() {
    const org = rt.org;
    org.schema = schema;
    org.orgId = this.fake.orgId;
    org.query = (text, ctx) => this.query(text, ctx);
    org.dml = (op, records, options) => this.dml(op, records, options);
    org.settingsRow = (type) => {
      const row = this.fake.records(type).find((r) => r.SetupOwnerId === this.fake.orgId);
      if (!row) return null;
      const r = toSObject(type, row);
      r.$queried = false;
      return r;
    };
    org.typeOfId = (id) => this.fake.typeOf(id) ?? null;
    // UserInfo.getLocale(): the running user's LocaleSidKey (a required field of every User).
    org.userLocale = () => this.fake.records('User').find((u) => u.Id === org.userId)?.LocaleSidKey ?? 'en_US';
    // UserInfo.getName() / getUserName() / ...: the running user's Name (its first and last names), Username, ...
    org.userField = (field) => this.fake.records('User').find((u) => u.Id === org.userId)?.[field] ?? null;
    org.savepoint = () => this.snapshot();
    org.rollback = (sp) => this.restore(sp);
    if (this.today) {
      const ms = Date.parse(`${this.today}T12:00:00Z`);
      rt.clock.now = () => ms;
      // Records written on that day carry it as CreatedDate (fakeOrg.ts advanceClock).
      this.fake.advanceClock?.(ms);
    }
  }

  // The fake org's tables and unique index, copied (rows are replaced on write, never mutated).
  snapshot() {
    const f = this.fake;
    if (!(f.tables instanceof Map) || !(f.unique instanceof Map))
      throw new Error('apex-org: FakeOrg keeps its rows elsewhere now: update ApexOrg.snapshot/restore');
    return {
      tables: new Map([...f.tables].map(([k, t]) => [k, new Map(t)])),
      unique: new Map([...f.unique].map(([k, t]) => [k, new Map(t)])),
    };
  }
  restore(sp) {
    const f = this.fake;
    f.tables.clear();
    for (const [k, t] of sp.tables) f.tables.set(k, new Map(t));
    f.unique.clear();
    for (const [k, t] of sp.unique) f.unique.set(k, new Map(t));
  }

  fault(e, Exception) {
    if (e && e.errorCode) {
      const x = new Exception(`${e.errorCode}: ${e.message}`);
      x.$errors = [{ statusCode: e.errorCode, message: e.message, fields: e.fields ?? [] }];
      return x;
    }
    return e;
  }

  query(text, ctx) {
    const q = prepareSoql(text, ctx.binds ?? new Map());
    if (/^(StaticResource|CronTrigger|CustomNotificationType)$/i.test(q.object)) return this.platformQuery(q);
    // USER_MODE: object, field and record access of the user; otherwise the class's sharing decides records.
    const mode = ctx.accessLevel ?? q.mode ?? 'SYSTEM_MODE';
    let rows;
    const fields = q.aggregate
      ? [
          ...new Set(
            q.select
              .flatMap((f) => (AGG.exec(f)?.[2] ? [AGG.exec(f)[2]] : AGG.test(f) ? [] : [f.split(/\s+/)[0]]))
              .concat(q.groupBy ?? []),
          ),
        ]
      : q.select;
    const raw = `SELECT ${fields.length ? fields.join(', ') : 'Id'} FROM ${q.object}${q.rest}`;
    try {
      rows = this.fake.query(raw);
    } catch (e) {
      throw this.fault(e, rt.QueryException);
    }
    if (this.access && (mode === 'USER_MODE' || ctx.sharing === 'with'))
      rows = this.access.filter(rt.org.userId, q.object, rows, { mode, fields: [...fields, ...clauseFields(raw)] });
    let records;
    if (q.aggregate) {
      if (q.select.length === 1 && /^COUNT\(\s*\)$/i.test(q.select[0]) && !q.groupBy) {
        rt.countQuery(1, 16);
        return rt.int(rows.length);
      }
      records = this.aggregate(q, rows);
    } else records = rows.map((r) => toSObject(q.object, r));
    const bytes = rows.reduce((n, r) => n + JSON.stringify(r).length, 0);
    rt.countQuery(q.aggregate ? records.length : rows.length, bytes);
    const list = new rt.ApexList(records);
    list.soql = true;
    return list;
  }

  /**
   * Metadata and job records an org keeps outside its data: static resources (the deployed files of
   * force-app/main/default/staticresources) and the CronTrigger of each System.schedule. Only `WHERE Name = `
   * / `WHERE Id = ` lookups, which is what the classes do.
   */
  platformQuery(q) {
    const where = /WHERE\s+(Name|Id|DeveloperName)\s*=\s*'([^']*)'/i.exec(q.rest);
    if (!where) throw new Error(`apex-org: ${q.object} queries need WHERE Name/Id/DeveloperName = '...': ${q.rest}`);
    let rows;
    if (/CustomNotificationType/i.test(q.object)) {
      // The deployed custom notification types (force-app/main/default/notificationtypes), by DeveloperName or Id.
      const dir = path.join(root, 'force-app/main/default/notificationtypes');
      const names = existsSync(dir)
        ? readdirSync(dir)
            .filter((f) => f.endsWith('.notiftype-meta.xml'))
            .map((f) => f.replace(/\.notiftype-meta\.xml$/, ''))
            .sort()
        : [];
      rows = names
        .map((name, i) => ({ name, id: notificationTypeId(i) }))
        .filter((t) => (/^DeveloperName$/i.test(where[1]) ? t.name === where[2] : t.id === where[2]))
        .map((t) => Object.assign(new rt.SObject('CustomNotificationType', true), { Id: t.id, DeveloperName: t.name }));
    } else if (/StaticResource/i.test(q.object)) {
      const dir = path.join(root, 'force-app/main/default/staticresources');
      const file = readdirSync(dir).find((f) => f.split('.')[0] === where[2] && !f.endsWith('-meta.xml'));
      rows = file
        ? [
            Object.assign(new rt.SObject('StaticResource', true), {
              Name: where[2],
              Body: blob(readFileSync(path.join(dir, file), 'utf8')),
            }),
          ]
        : [];
    } else {
      rows = rt.scheduledJobs
        .filter((j) => j.id === where[2])
        .map((j) => {
          const r = new rt.SObject('CronTrigger', true);
          r.Id = j.id;
          r.CronExpression = j.cron;
          r.CronJobDetail = Object.assign(new rt.SObject('CronJobDetail', true), { Name: j.name });
          return r;
        });
    }
    rt.countQuery(rows.length, 0);
    const list = new rt.ApexList(rows);
    list.soql = true;
    return list;
  }

  aggregate(q, rows) {
    const groups = new Map();
    const keyFields = q.groupBy ?? [];
    const valueAt = (row, f) => f.split('.').reduce((o, p) => (o == null ? null : o[p]), row);
    for (const row of rows) {
      const key = JSON.stringify(keyFields.map((f) => valueAt(row, f)));
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(row);
    }
    if (groups.size === 0 && keyFields.length === 0) groups.set('[]', []);
    let n = 0;
    return [...groups.values()].map((members) => {
      const r = new rt.SObject('AggregateResult', true);
      n = 0;
      for (const item of q.select) {
        const a = AGG.exec(item);
        if (a) {
          const alias = a[3] ?? `expr${n++}`;
          const fn = a[1].toUpperCase();
          const values = a[2] ? members.map((m) => valueAt(m, a[2])).filter((v) => v !== null && v !== undefined) : members;
          let v;
          if (fn === 'COUNT') v = rt.int(values.length);
          else if (fn === 'COUNT_DISTINCT') v = rt.int(new Set(values).size);
          else if (values.length === 0) v = null;
          else if (fn === 'SUM' || fn === 'AVG') {
            let sum = rt.ApexDecimal.of('0', 'Decimal');
            for (const x of values) sum = rt.add(sum, fromOrg(q.object, a[2], x));
            v = fn === 'SUM' ? sum : rt.div(sum, rt.int(values.length));
          } else {
            const typed = values.map((x) => fromOrg(q.object, a[2], x));
            v = typed.reduce((best, x) => (best === null || (fn === 'MIN' ? rt.lt(x, best) : rt.gt(x, best)) ? x : best), null);
          }
          r[alias] = v;
        } else {
          const [field, alias] = item.split(/\s+/);
          r[alias ?? field.split('.').pop()] = fromOrg(q.object, field, valueAt(members[0], field));
        }
      }
      return r;
    });
  }

  dml(op, records, options) {
    rt.countDml(records.length);
    const results = [];
    const sp = options.allOrNone ? this.snapshot() : null;
    for (const [i, r] of records.entries()) {
      if (!(r instanceof rt.SObject)) throw new rt.TypeException('DML needs SObjects');
      try {
        this.access?.checkWrite(rt.org.userId, op, r, options);
        this.write(op, r, options);
        results.push(saveResult(r.Id, true, []));
      } catch (e) {
        const error = e?.errorCode
          ? { statusCode: e.errorCode, message: e.message, fields: e.fields ?? [] }
          : e instanceof rt.DmlException
            ? e.$errors[0]
            : null;
        if (!error) throw e;
        if (options.allOrNone) {
          this.restore(sp);
          const x = new rt.DmlException(
            `${op[0].toUpperCase()}${op.slice(1)} failed. First exception on row ${i}${r.Id ? ` with id ${r.Id}` : ''}; first error: ${error.statusCode}, ${error.message}: [${error.fields.join(', ')}]`,
          );
          x.$errors = [{ ...error, index: i }];
          throw x;
        }
        results.push(saveResult(r.Id ?? null, false, [error]));
      }
    }
    return results;
  }

  write(op, r, options) {
    const type = r.$type;
    const body = {};
    for (const [k, v] of Object.entries(r)) {
      if (['Id', 'CreatedDate', 'LastModifiedDate', 'CreatedById', 'LastModifiedById', 'SystemModstamp'].includes(k)) continue;
      if (v instanceof rt.SObject) continue; // parent records read by SOQL are not written
      body[k] = toOrg(v);
    }
    switch (op) {
      case 'insert':
        if (r.Id) throw dmlError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call');
        if (type === 'User') this.partnerUser(body);
        // The running user owns what it creates (objects with an owner: not master-detail children).
        if (
          !body.OwnerId &&
          schema.isField(type, 'OwnerId') &&
          !isChild(type) &&
          !['User', 'Cpq_Settings__c'].includes(type) &&
          !type.startsWith('Permission') &&
          !/__Share$/.test(type) &&
          !['UserRole', 'Group', 'Profile'].includes(type)
        )
          body.OwnerId = rt.org.userId;
        r.Id = this.fake.insert(type, body);
        break;
      case 'update':
        if (!r.Id) throw dmlError('MISSING_ARGUMENT', 'Id not specified in an update call');
        this.fake.update(type, r.Id, body);
        break;
      case 'upsert': {
        const field = options.field ? schema.canon(type, options.field) : 'Id';
        if (field === 'Id') {
          if (r.Id) this.fake.update(type, r.Id, body);
          else r.Id = this.fake.insert(type, body);
        } else {
          if (field !== 'External_Id__c') throw new Error(`apex-org: upsert on ${field}`);
          r.Id = this.fake.upsert(type, body.External_Id__c, body).id;
        }
        break;
      }
      case 'delete':
        if (!r.Id) throw dmlError('MISSING_ARGUMENT', 'Id not specified in a delete call');
        this.fake.delete(r.Id);
        break;
      default:
        throw new Error(`apex-org: ${op}`);
    }
  }

  /**
   * What the platform does when a portal user is created: User.AccountId is its contact's account, and the
   * account's partner role (UserRole with PortalAccountId) and the role's group (Group of Type 'Role') exist
   * from its first partner user on. A partner user is one whose profile's UserType is PowerPartner.
   */
  partnerUser(body) {
    if (!body.ContactId) return;
    const contact = this.fake.records('Contact').find((c) => c.Id === body.ContactId);
    const accountId = contact?.AccountId ?? null;
    body.AccountId = accountId;
    const profile = this.fake.records('Profile').find((p) => p.Id === body.ProfileId);
    if (!accountId || profile?.UserType !== 'PowerPartner') return;
    let role = this.fake.records('UserRole').find((x) => x.PortalAccountId === accountId);
    if (!role) {
      const account = this.fake.records('Account').find((a) => a.Id === accountId);
      const roleId = this.fake.insert('UserRole', {
        Name: platformName('UserRole', 'Name', `${account?.Name} Partner User`),
        PortalAccountId: accountId,
        PortalType: 'Partner',
      });
      this.fake.insert('Group', {
        Name: platformName('Group', 'Name', `${account?.Name} Partner User`),
        Type: 'Role',
        RelatedId: roleId,
      });
      role = { Id: roleId };
    }
    body.UserRoleId = role.Id;
  }

  /**
   * Runs fn() as one Apex transaction of `userId`: statics fresh, limits from zero; an exception escaping it
   * rolls every write back. Returns { value, error, usage } (usage: the limits it used).
   */
  transaction(userId, fn, { async = false } = {}) {
    this.bind();
    this.apex.$reset();
    rt.org.userId = userId;
    rt.resetUsage(async);
    rt.test.reset();
    rt.messaging.begin();
    const sp = this.snapshot();
    let value;
    let error = null;
    const started = performance.now();
    try {
      value = fn();
      rt.addHeap(rt.serialize(value ?? null).length);
      // Emails are sent when the transaction commits, never when it rolls back (docs/ORG-CHECKS.md, Messaging).
      rt.messaging.commit();
    } catch (e) {
      error = e;
      this.restore(sp);
      rt.messaging.discard();
    }
    const usage = { ...rt.usage, cpuMs: rt.cpuMs(), nodeMs: performance.now() - started };
    this.lastUsage = usage;
    return { value, error, usage };
  }
}

/** A custom notification type's id in this runtime: 0ML, then its place among the deployed types. */
export const notificationTypeId = (i) => `0ML${String(i + 1).padStart(12, '0')}AAA`;
const isChild = (type) => schema.fieldNames(type).some((f) => schema.field(type, f).type === 'MasterDetail');
const blob = (text) => ({ toString: () => text, size: () => rt.int(text.length) });

function dmlError(statusCode, message, fields = []) {
  const e = new rt.DmlException(`${statusCode}: ${message}`);
  e.$errors = [{ statusCode, message, fields }];
  return e;
}
function saveResult(id, success, errors) {
  return {
    getId: () => id,
    isSuccess: () => success,
    isCreated: () => success,
    getErrors: () =>
      new rt.ApexList(
        errors.map((e) => ({
          getStatusCode: () => e.statusCode,
          getMessage: () => e.message,
          getFields: () => new rt.ApexList(e.fields),
        })),
      ),
  };
}

/** Apex values -> plain JSON values (what Aura hands the LWC): Decimals as numbers would lose digits, so strings. */
export function toPlain(v) {
  return JSON.parse(rt.serialize(v ?? null));
}
/** Plain JSON -> Apex values, as Aura deserialises a controller's parameters. */
export function fromPlain(v) {
  return rt.globals.JSON.deserializeUntyped(JSON.stringify(v));
}
export { rt };
