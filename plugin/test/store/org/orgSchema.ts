import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The fields each object has in the org Channel CPQ deploys: the custom fields of force-app's object
 * metadata plus the standard fields the adapter uses. The fake org refuses any other field, as an org
 * does ("No such column"), so the org adapter and the metadata cannot drift apart unnoticed.
 */
const OBJECTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../force-app/main/default/objects');

const SYSTEM = ['Id', 'CreatedDate', 'LastModifiedDate', 'CreatedById', 'LastModifiedById', 'OwnerId', 'SetupOwnerId'];
const STANDARD: Record<string, string[]> = {
  Account: ['Name', 'IsPartner'],
  Contact: ['AccountId', 'FirstName', 'LastName', 'Name', 'Email'],
  User: [
    'Name',
    'FirstName',
    'LastName',
    'Email',
    'ContactId',
    'AccountId',
    'Username',
    'IsActive',
    'UserRoleId',
    'ProfileId',
    'Alias',
    'CommunityNickname',
    'TimeZoneSidKey',
    'LocaleSidKey',
    'EmailEncodingKey',
    'LanguageLocaleKey',
  ],
  // Setup objects the Apex classes read (partner roles and their groups, permission set assignments).
  Profile: ['Name', 'UserType'],
  UserRole: ['Name', 'DeveloperName', 'PortalAccountId', 'PortalType'],
  Group: ['Name', 'DeveloperName', 'Type', 'RelatedId'],
  PermissionSet: ['Name', 'Label'],
  PermissionSetAssignment: ['AssigneeId', 'PermissionSetId'],
  Product2: ['Name', 'ProductCode', 'Family', 'IsActive'],
};

let cache: Map<string, Set<string>> | undefined;

function load(): Map<string, Set<string>> {
  const objects = new Map<string, Set<string>>();
  for (const [name, standard] of Object.entries(STANDARD)) objects.set(name, new Set([...SYSTEM, ...standard]));
  for (const name of readdirSync(OBJECTS)) {
    const set = objects.get(name) ?? new Set([...SYSTEM, 'Name']);
    const dir = path.join(OBJECTS, name, 'fields');
    if (existsSync(dir)) for (const file of readdirSync(dir)) set.add(file.replace(/\.field-meta\.xml$/, ''));
    objects.set(name, set);
    // Apex managed sharing: each custom object's share object (ParentId, UserOrGroupId, AccessLevel, RowCause).
    if (name.endsWith('__c') && name !== 'Cpq_Settings__c')
      objects.set(name.replace(/__c$/, '__Share'), new Set([...SYSTEM, 'ParentId', 'UserOrGroupId', 'AccessLevel', 'RowCause']));
  }
  return objects;
}

/** True when the object is in the schema and has the field (a relationship `X__r` counts as its `X__c`). */
export function hasField(object: string, field: string): boolean {
  cache ??= load();
  const fields = cache.get(object);
  if (!fields) return false;
  if (field.endsWith('__r')) return fields.has(field.replace(/__r$/, '__c'));
  if (fields.has(field)) return true;
  // a standard relationship (Contact, Account) is read through its Id field
  return fields.has(`${field}Id`);
}

export function hasObject(object: string): boolean {
  cache ??= load();
  return cache.has(object);
}
