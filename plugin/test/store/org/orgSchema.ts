import { existsSync, readFileSync, readdirSync } from 'node:fs';
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
  // Manual sharing of accounts (the accounts a partner deals with are shared with its role group).
  AccountShare: ['AccountId', 'UserOrGroupId', 'AccountAccessLevel', 'OpportunityAccessLevel', 'CaseAccessLevel', 'RowCause'],
  Product2: ['Name', 'ProductCode', 'Family', 'IsActive'],
  // Dated exchange rates (multi-currency with advanced currency management): the documented fields of
  // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_datedconversionrate.htm
  DatedConversionRate: ['IsoCode', 'StartDate', 'NextStartDate', 'ConversionRate'],
  // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_currencytype.htm
  CurrencyType: ['IsoCode', 'IsActive', 'IsCorporate', 'ConversionRate', 'DecimalPlaces'],
  // Files (the quote document, docs/DOCUMENT.md): the documented fields the Apex classes use of
  // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentversion.htm
  ContentVersion: [
    'Title',
    'PathOnClient',
    'VersionData',
    'ContentDocumentId',
    'FirstPublishLocationId',
    'NetworkId',
    'IsLatest',
  ],
  ContentDocument: ['Title', 'LatestPublishedVersionId'],
  // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentdocumentlink.htm
  ContentDocumentLink: ['ContentDocumentId', 'LinkedEntityId', 'ShareType', 'Visibility'],
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

/**
 * Field-level security as the deployed permission sets grant it (force-app/main/default/permissionsets):
 * `Object.Field` -> readable / editable, per permission set name. Required and master-detail fields take no
 * field permission (the platform refuses one): object access grants them.
 */
export type FieldGrant = { read: boolean; edit: boolean };
const PERMISSION_SETS = path.resolve(OBJECTS, '../permissionsets');
let grants: Map<string, Map<string, FieldGrant>> | undefined;
let alwaysAccessible: Set<string> | undefined;

const tagValues = (xml: string, tag: string): string[] =>
  [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
const tagValue = (xml: string, tag: string): string | undefined => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];

export function permissionSetNames(): string[] {
  return readdirSync(PERMISSION_SETS).map((f) => f.replace(/\.permissionset-meta\.xml$/, ''));
}

export function fieldGrants(permissionSet: string): Map<string, FieldGrant> {
  if (!grants) {
    grants = new Map();
    for (const name of permissionSetNames()) {
      const xml = readFileSync(path.join(PERMISSION_SETS, `${name}.permissionset-meta.xml`), 'utf8');
      const map = new Map<string, FieldGrant>();
      for (const block of tagValues(xml, 'fieldPermissions')) {
        map.set(tagValue(block, 'field')!, {
          read: tagValue(block, 'readable') === 'true',
          edit: tagValue(block, 'editable') === 'true',
        });
      }
      grants.set(name, map);
    }
  }
  return grants.get(permissionSet) ?? new Map<string, FieldGrant>();
}

/** True for a custom field that needs no field permission: required, or a master-detail relationship. */
export function needsNoFieldPermission(object: string, field: string): boolean {
  if (!alwaysAccessible) {
    alwaysAccessible = new Set();
    for (const name of readdirSync(OBJECTS)) {
      const dir = path.join(OBJECTS, name, 'fields');
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir)) {
        const xml = readFileSync(path.join(dir, file), 'utf8');
        if (tagValue(xml, 'required') === 'true' || tagValue(xml, 'type') === 'MasterDetail')
          alwaysAccessible.add(`${name}.${file.replace(/\.field-meta\.xml$/, '')}`);
      }
    }
  }
  return alwaysAccessible.has(`${object}.${field}`);
}

/** Custom settings (customSettingsType in the object metadata): readable by every profile, no field permissions. */
export function isCustomSetting(object: string): boolean {
  const file = path.join(OBJECTS, object, `${object}.object-meta.xml`);
  return existsSync(file) && readFileSync(file, 'utf8').includes('<customSettingsType>');
}

let uniques: Map<string, string[]> | undefined;

/**
 * The custom fields the metadata declares `<unique>true</unique>` on an object: an org refuses a second record
 * with the same value (DUPLICATE_VALUE), case-insensitively unless `<caseSensitive>true</caseSensitive>`
 * ("Custom Field Uniqueness", https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/custom_fields.htm).
 */
export function uniqueFields(object: string): readonly string[] {
  if (!uniques) {
    uniques = new Map();
    for (const name of readdirSync(OBJECTS)) {
      const dir = path.join(OBJECTS, name, 'fields');
      if (!existsSync(dir)) continue;
      const list = readdirSync(dir)
        .filter((file) => tagValue(readFileSync(path.join(dir, file), 'utf8'), 'unique') === 'true')
        .map((file) => file.replace(/\.field-meta\.xml$/, ''));
      uniques.set(name, list);
    }
  }
  return uniques.get(object) ?? [];
}

/**
 * The documented lengths of the standard text fields the adapter and the Apex write, per object, from the
 * Salesforce Field Reference (the "Length" column: "The maximum number of characters in the field ... You can't
 * set it to a value longer than" it, https://developer.salesforce.com/docs/atlas.en-us.sfFieldRef.meta/sfFieldRef/salesforce_field_reference.htm)
 * and the object reference pages of each object (docs/ORG-CHECKS.md lists them).
 */
const STANDARD_LENGTHS: Record<string, Record<string, number>> = {
  Account: { Name: 255 },
  Contact: { FirstName: 40, LastName: 80, Email: 80 },
  User: {
    FirstName: 40,
    LastName: 80,
    Email: 128,
    Username: 80,
    Alias: 8,
    CommunityNickname: 40,
    TimeZoneSidKey: 40,
    LocaleSidKey: 40,
    EmailEncodingKey: 40,
    LanguageLocaleKey: 40,
  },
  Profile: { Name: 255 },
  UserRole: { Name: 80, DeveloperName: 80 },
  Group: { Name: 40, DeveloperName: 80 },
  PermissionSet: { Name: 80, Label: 80 },
  Product2: { Name: 255, ProductCode: 255, Family: 40 },
  CurrencyType: { IsoCode: 3 },
  DatedConversionRate: { IsoCode: 3 },
  ContentVersion: { Title: 255, PathOnClient: 500 },
  ContentDocument: { Title: 255 },
};

/**
 * Lengths of the custom field types that have one but no `<length>` in their metadata: Text Area 255, Email 80, Phone 40,
 * URL 255 ("Custom Field Types", https://help.salesforce.com/s/articleView?id=sf.custom_field_types.htm), a
 * picklist value 255 ("Picklist Limits", https://help.salesforce.com/s/articleView?id=sf.picklist_limitations.htm).
 */
const TYPE_LENGTHS: Record<string, number> = { TextArea: 255, Email: 80, Phone: 40, Url: 255, Picklist: 255 };
/** The field types whose `<length>` the org enforces on every write. */
const LENGTH_TYPES = new Set(['Text', 'TextArea', 'LongTextArea', 'Html', 'EncryptedText']);
/**
 * A custom object's Name field of type Text holds up to 80 characters ("Record Name: Text ... up to 80
 * characters", https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customobject.htm `nameField`).
 */
const CUSTOM_NAME_LENGTH = 80;

let lengths: Map<string, Map<string, number>> | undefined;

function loadLengths(): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const [object, fields] of Object.entries(STANDARD_LENGTHS)) out.set(object, new Map(Object.entries(fields)));
  for (const name of readdirSync(OBJECTS)) {
    const map = out.get(name) ?? new Map<string, number>();
    const objectFile = path.join(OBJECTS, name, `${name}.object-meta.xml`);
    if (name.endsWith('__c') && existsSync(objectFile)) {
      const nameField = /<nameField>([\s\S]*?)<\/nameField>/.exec(readFileSync(objectFile, 'utf8'))?.[1];
      if (nameField && tagValue(nameField, 'type') === 'Text') map.set('Name', CUSTOM_NAME_LENGTH);
    }
    const dir = path.join(OBJECTS, name, 'fields');
    if (existsSync(dir)) {
      for (const file of readdirSync(dir)) {
        const xml = readFileSync(path.join(dir, file), 'utf8');
        const type = tagValue(xml, 'type') ?? '';
        const declared = tagValue(xml, 'length');
        const length = LENGTH_TYPES.has(type) && declared !== undefined ? Number(declared) : TYPE_LENGTHS[type];
        if (length !== undefined) map.set(file.replace(/\.field-meta\.xml$/, ''), length);
      }
    }
    out.set(name, map);
  }
  return out;
}

/** The maximum number of characters of a text field (custom: its metadata; standard: the field reference), if any. */
export function maxLength(object: string, field: string): number | undefined {
  lengths ??= loadLengths();
  return lengths.get(object)?.get(field);
}
