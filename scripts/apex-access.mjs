// Who may read and write what, for the Apex runtime's user mode and `with sharing` (scripts/apex-org.mjs), from
// the deployed metadata and the fake org's rows: object permissions and field-level security of the permission
// sets assigned to the running user (force-app/main/default/permissionsets) and of its profile; record access
// from the objects' sharing model (objects/*.object-meta.xml), ownership, and the share rows (X__Share) the
// Apex writes for the user's role group. A test harness (docs/APEX-RUNTIME.md).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const META = path.join(root, 'force-app/main/default');

const blocks = (xml, tag) => [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]);
const value = (xml, tag) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1] ?? null;

function loadPermissionSets() {
  const sets = new Map();
  const dir = path.join(META, 'permissionsets');
  for (const file of readdirSync(dir)) {
    const xml = readFileSync(path.join(dir, file), 'utf8');
    const objects = new Map();
    for (const b of blocks(xml, 'objectPermissions')) {
      objects.set(value(b, 'object'), {
        read: value(b, 'allowRead') === 'true',
        create: value(b, 'allowCreate') === 'true',
        edit: value(b, 'allowEdit') === 'true',
        delete: value(b, 'allowDelete') === 'true',
        viewAll: value(b, 'viewAllRecords') === 'true',
        modifyAll: value(b, 'modifyAllRecords') === 'true',
      });
    }
    const fields = new Map();
    for (const b of blocks(xml, 'fieldPermissions'))
      fields.set(value(b, 'field'), { read: value(b, 'readable') === 'true', edit: value(b, 'editable') === 'true' });
    sets.set(file.split('.')[0], { objects, fields });
  }
  return sets;
}

function loadObjects() {
  const objects = new Map();
  const dir = path.join(META, 'objects');
  for (const name of readdirSync(dir)) {
    let model = null;
    let externalModel = null;
    try {
      const xml = readFileSync(path.join(dir, name, `${name}.object-meta.xml`), 'utf8');
      model = value(xml, 'sharingModel');
      externalModel = value(xml, 'externalSharingModel') ?? model;
    } catch {
      // a standard object: only its custom fields are in force-app
    }
    const required = new Set();
    const fieldsDir = path.join(dir, name, 'fields');
    try {
      for (const f of readdirSync(fieldsDir)) {
        const xml = readFileSync(path.join(fieldsDir, f), 'utf8');
        if (value(xml, 'required') === 'true' || value(xml, 'type') === 'MasterDetail') required.add(f.split('.')[0]);
      }
    } catch {
      // no fields
    }
    objects.set(name, { model, externalModel, required });
  }
  return objects;
}

// Org-wide defaults not in force-app, as a new org has them: Account Public Read/Write internally and Private
// externally (a partner user sees its own account), Contact controlled by its account, Product2 readable.
const STANDARD_MODEL = { Account: 'ReadWrite', Contact: 'ControlledByParent', Product2: 'Read' };
const STANDARD_EXTERNAL = { Account: 'Private', Contact: 'ControlledByParent', Product2: 'Read' };
// What the Partner Community User profile grants on standard objects (read only).
const PARTNER_PROFILE = { Account: 'read', Contact: 'read', Product2: 'read', User: 'read' };
// Setup objects are outside object permissions and sharing for these reads.
const SETUP = new Set(['User', 'Profile', 'UserRole', 'Group', 'PermissionSet', 'PermissionSetAssignment']);

export function createAccess(fake, schema) {
  const masterDetail = {};
  for (const o of schema.objects.values())
    for (const f of o.fields.values()) if (f.type === 'MasterDetail') masterDetail[o.name] = f.name;
  const permissionSets = loadPermissionSets();
  const objects = loadObjects();
  const byId = (type, id) => fake.records(type).find((r) => r.Id === id);

  function user(userId) {
    const u = byId('User', userId);
    if (!u) throw new Error(`apex-access: no user ${userId}`);
    const profile = u.ProfileId ? byId('Profile', u.ProfileId) : null;
    const sets = fake
      .records('PermissionSetAssignment')
      .filter((a) => a.AssigneeId === userId)
      .map((a) => byId('PermissionSet', a.PermissionSetId)?.Name)
      .filter(Boolean)
      .map((n) => permissionSets.get(n))
      .filter(Boolean);
    const groups = new Set(
      fake
        .records('Group')
        .filter((g) => g.Type === 'Role' && u.UserRoleId && g.RelatedId === u.UserRoleId)
        .map((g) => g.Id),
    );
    return {
      id: userId,
      accountId: u.AccountId ?? null,
      admin: profile?.Name === 'System Administrator',
      partner: profile?.UserType === 'PowerPartner' || Boolean(u.ContactId),
      sets,
      groups,
    };
  }

  const objectPerm = (u, type, what) => {
    if (u.admin || SETUP.has(type) || type.endsWith('__Share')) return true;
    if (u.partner && PARTNER_PROFILE[type] === 'read' && what === 'read') return true;
    return u.sets.some((s) => s.objects.get(type)?.[what]);
  };
  const fieldPerm = (u, type, field, what) => {
    if (u.admin || SETUP.has(type) || type.endsWith('__Share')) return true;
    if (!field.endsWith('__c')) return true; // standard fields follow the object permission
    if (objects.get(type)?.required.has(field)) return true; // required fields have no field-level security
    return u.sets.some((s) => s.fields.get(`${type}.${field}`)?.[what]);
  };

  function shared(u, type, id, edit) {
    if (type === 'Account') {
      // AccountShare: AccountId, UserOrGroupId, AccountAccessLevel (Read | Edit | All).
      return fake
        .records('AccountShare')
        .some(
          (s) =>
            s.AccountId === id &&
            (s.UserOrGroupId === u.id || u.groups.has(s.UserOrGroupId)) &&
            (!edit || s.AccountAccessLevel === 'Edit' || s.AccountAccessLevel === 'All'),
        );
    }
    const shareType = type.replace(/__c$/, '__Share');
    if (!schema.objects.has(shareType.toLowerCase())) return false;
    return fake
      .records(shareType)
      .some(
        (s) =>
          s.ParentId === id &&
          (s.UserOrGroupId === u.id || u.groups.has(s.UserOrGroupId)) &&
          (!edit || s.AccessLevel === 'Edit' || s.AccessLevel === 'All'),
      );
  }

  /** Record access: the sharing model, viewAll/modifyAll, ownership, share rows (parent's for master-detail). */
  function canAccess(u, type, record, edit) {
    if (!record) return false;
    if (u.admin || SETUP.has(type) || type.endsWith('__Share')) return true;
    if (u.sets.some((s) => s.objects.get(type)?.[edit ? 'modifyAll' : 'viewAll'])) return true;
    const meta = objects.get(type);
    const model =
      (u.partner ? (meta?.externalModel ?? STANDARD_EXTERNAL[type]) : (meta?.model ?? STANDARD_MODEL[type])) ?? 'Private';
    if (model === 'ControlledByParent') {
      const parentField = masterDetail[type] ?? (type === 'Contact' ? 'AccountId' : null);
      const parentType = parentField ? schema.field(type, parentField)?.ref : null;
      return parentType ? canAccess(u, parentType, byId(parentType, record[parentField]), edit) : false;
    }
    if (model === 'ReadWrite' || (model === 'Read' && !edit)) return true;
    if (record.OwnerId === u.id) return true;
    if (type === 'Account' && record.Id === u.accountId) return !edit;
    return shared(u, type, record.Id, edit);
  }

  return {
    user,
    /** Rows of a query the user may see; USER_MODE also checks the object and the fields it names. */
    filter(userId, type, rows, { mode, fields }) {
      const u = user(userId);
      if (mode === 'USER_MODE') {
        if (!objectPerm(u, type, 'read')) throw queryError(`sObject type '${type}' is not supported.`);
        for (const f of fields) checkPath(u, type, f);
      }
      const records = new Map(fake.records(type).map((r) => [r.Id, r]));
      return rows.filter((row) => canAccess(u, type, records.get(idOf(row)), false)).map((row) => hideParents(u, type, row));
    },
    /** A DML row: object and field permissions in user mode; record edit access with sharing or in user mode. */
    checkWrite(userId, op, record, { mode, sharing }) {
      const u = user(userId);
      const type = record.$type;
      if (mode === 'USER_MODE') {
        const what = { insert: 'create', update: 'edit', upsert: record.Id ? 'edit' : 'create', delete: 'delete' }[op];
        if (!objectPerm(u, type, what))
          throw dmlError('INSUFFICIENT_ACCESS_OR_READONLY', `insufficient access rights on object ${type}`);
        if (op !== 'delete')
          for (const [k, v] of Object.entries(record)) {
            if (k === 'Id' || k === 'OwnerId' || (v && typeof v === 'object' && v.$type)) continue;
            if (!fieldPerm(u, type, k, 'edit'))
              throw dmlError('INSUFFICIENT_ACCESS_OR_READONLY', `insufficient access rights on field ${type}.${k}`, [k]);
          }
      }
      // Cross-reference access: a lookup written in user mode must name a record the user can read.
      if (mode === 'USER_MODE' && op !== 'delete') {
        for (const [k, v] of Object.entries(record)) {
          if (typeof v !== 'string' || k === 'Id' || k === 'OwnerId') continue;
          const target = schema.field(type, k)?.ref;
          if (!target || SETUP.has(target)) continue;
          if (!canAccess(u, target, byId(target, v), false))
            throw dmlError(
              'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
              `insufficient access rights on cross-reference id: ${v}`,
              [k],
            );
        }
      }
      if (
        (mode === 'USER_MODE' || sharing === 'with') &&
        (op === 'update' || op === 'delete' || (op === 'upsert' && record.Id))
      ) {
        if (!canAccess(u, type, byId(type, record.Id), true))
          throw dmlError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on cross-reference id');
      }
    },
  };

  function checkPath(u, type, pathText) {
    const parts = pathText.split('.');
    let current = type;
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1) {
        if (!fieldPerm(u, current, schema.canon(current, part), 'read'))
          throw queryError(
            `No such column '${part}' on entity '${current}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`,
          );
        return;
      }
      const rel = schema.relationship(current, part);
      if (!rel) return;
      if (!fieldPerm(u, current, rel.idField, 'read'))
        throw queryError(`Didn't understand relationship '${part}' in field path.`);
      current = rel.target;
    }
  }

  /** A parent record the user may not see reads as null through its relationship. */
  function hideParents(u, type, row) {
    let out = row;
    for (const [k, v] of Object.entries(row)) {
      if (k === 'attributes' || !v || typeof v !== 'object') continue;
      const rel = schema.relationship(type, k);
      if (!rel) continue;
      const parent = byId(rel.target, row[rel.idField] ?? fake.records(type).find((r) => r.Id === idOf(row))?.[rel.idField]);
      if (!canAccess(u, rel.target, parent, false)) out = { ...out, [k]: null };
    }
    return out;
  }
}

const idOf = (row) => row.Id ?? row.attributes?.url?.split('/').pop();
let queryErrorClass = Error;
let dmlErrorFactory = (code, message) => Object.assign(new Error(message), { errorCode: code });
export function useErrors(QueryException, dml) {
  queryErrorClass = QueryException;
  dmlErrorFactory = dml;
}
const queryError = (m) => new queryErrorClass(m);
const dmlError = (code, message, fields = []) => dmlErrorFactory(code, message, fields);
