// The org schema as the Apex runtime needs it: every object force-app deploys (fields with their type, scale and
// lookup target, from the object metadata) plus the standard objects and fields the Apex classes use. It types
// values crossing between Apex and the fake org (Number -> Decimal with the field's scale, Date, Datetime) and
// gives field names their canonical case (Apex field names are case-insensitive). Which fields exist in the org
// is the fake org's business (plugin/test/store/org/orgSchema.ts); a field unknown here is passed through as written.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const OBJECTS = path.join(root, 'force-app/main/default/objects');

const STANDARD = {
  Account: { Name: 'Text', IsPartner: 'Checkbox', OwnerId: 'Lookup:User' },
  Contact: { AccountId: 'Lookup:Account', FirstName: 'Text', LastName: 'Text', Name: 'Text', Email: 'Text' },
  User: {
    Name: 'Text',
    Email: 'Text',
    ContactId: 'Lookup:Contact',
    AccountId: 'Lookup:Account',
    Username: 'Text',
    IsActive: 'Checkbox',
    UserRoleId: 'Lookup:UserRole',
    ProfileId: 'Lookup:Profile',
    LastName: 'Text',
    FirstName: 'Text',
    Alias: 'Text',
    TimeZoneSidKey: 'Text',
    LocaleSidKey: 'Text',
    EmailEncodingKey: 'Text',
    LanguageLocaleKey: 'Text',
    PortalRole: 'Text',
    UserType: 'Text',
  },
  Product2: { Name: 'Text', ProductCode: 'Text', Family: 'Text', IsActive: 'Checkbox' },
  Profile: { Name: 'Text', UserLicenseId: 'Text' },
  UserRole: { Name: 'Text', DeveloperName: 'Text', PortalAccountId: 'Lookup:Account', PortalType: 'Text', PortalRole: 'Text' },
  Group: { Name: 'Text', DeveloperName: 'Text', Type: 'Text', RelatedId: 'Text' },
  GroupMember: { GroupId: 'Lookup:Group', UserOrGroupId: 'Text' },
  PermissionSet: { Name: 'Text', Label: 'Text' },
  AccountShare: {
    AccountId: 'Lookup:Account',
    UserOrGroupId: 'Text',
    AccountAccessLevel: 'Text',
    OpportunityAccessLevel: 'Text',
    CaseAccessLevel: 'Text',
    RowCause: 'Text',
  },
  PermissionSetAssignment: { AssigneeId: 'Lookup:User', PermissionSetId: 'Lookup:PermissionSet' },
  StaticResource: { Name: 'Text', Body: 'Text' },
  CronTrigger: { CronExpression: 'Text', State: 'Text', CronJobDetailId: 'Text' },
  AsyncApexJob: { Status: 'Text', JobType: 'Text' },
  Organization: { Name: 'Text' },
  // Files: the quote document saved on its quote (QuoteDocumentController, docs/DOCUMENT.md).
  ContentVersion: {
    Title: 'Text',
    PathOnClient: 'Text',
    VersionData: 'Blob',
    ContentDocumentId: 'Lookup:ContentDocument',
    FirstPublishLocationId: 'Text',
    NetworkId: 'Text',
    IsLatest: 'Checkbox',
  },
  ContentDocument: { Title: 'Text', LatestPublishedVersionId: 'Text' },
  ContentDocumentLink: {
    ContentDocumentId: 'Lookup:ContentDocument',
    LinkedEntityId: 'Text',
    ShareType: 'Text',
    Visibility: 'Text',
  },
  // Multi-currency with advanced currency management (config/project-scratch-def.json): ConversionRate is a
  // double with scale 6 in the org, read as Decimal here (Decimal.valueOf takes either).
  CurrencyType: {
    IsoCode: 'Text',
    IsActive: 'Checkbox',
    IsCorporate: 'Checkbox',
    DecimalPlaces: 'Number',
    ConversionRate: { type: 'Number', scale: 6 },
  },
  DatedConversionRate: {
    IsoCode: 'Text',
    StartDate: 'Date',
    NextStartDate: 'Date',
    ConversionRate: { type: 'Number', scale: 6 },
  },
};
const SYSTEM_FIELDS = {
  Id: 'Id',
  CreatedDate: 'DateTime',
  LastModifiedDate: 'DateTime',
  CreatedById: 'Lookup:User',
  LastModifiedById: 'Lookup:User',
  OwnerId: 'Lookup:User',
  SetupOwnerId: 'Text',
  Name: 'Text',
  IsDeleted: 'Checkbox',
};
const SHARE_FIELDS = { ParentId: 'Text', UserOrGroupId: 'Text', AccessLevel: 'Text', RowCause: 'Text' };

const tag = (xml, name) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? null;

export function loadSchema() {
  /** object lower -> { name, fields: Map(lower -> { name, type, scale, ref }) } */
  const objects = new Map();
  const addObject = (name, fields) => {
    const o = { name, fields: new Map() };
    for (const [f, t] of Object.entries({ ...SYSTEM_FIELDS, ...fields })) {
      const [type, ref] = typeof t === 'string' ? t.split(':') : [t.type, t.ref];
      o.fields.set(f.toLowerCase(), { name: f, type, scale: typeof t === 'object' ? t.scale : 0, ref: ref ?? null });
    }
    objects.set(name.toLowerCase(), o);
    return o;
  };
  for (const [name, fields] of Object.entries(STANDARD)) addObject(name, fields);
  for (const name of readdirSync(OBJECTS)) {
    const dir = path.join(OBJECTS, name, 'fields');
    const fields = {};
    if (existsSync(dir))
      for (const file of readdirSync(dir)) {
        const xml = readFileSync(path.join(dir, file), 'utf8');
        const type = tag(xml, 'type');
        const ref = tag(xml, 'referenceTo');
        fields[file.replace(/\.field-meta\.xml$/, '')] = { type, scale: Number(tag(xml, 'scale') ?? 0), ref };
      }
    const existing = objects.get(name.toLowerCase());
    const o = existing ?? addObject(name, {});
    for (const [f, t] of Object.entries(fields)) o.fields.set(f.toLowerCase(), { name: f, ...t });
    if (name.endsWith('__c')) addObject(name.replace(/__c$/, '__Share'), SHARE_FIELDS);
  }
  return new Schema(objects);
}

class Schema {
  constructor(objects) {
    this.objects = objects;
  }
  names() {
    return [...this.objects.values()].map((o) => o.name).concat(['AggregateResult', 'SObject']);
  }
  objectName(type) {
    return this.objects.get(String(type).toLowerCase())?.name ?? type;
  }
  field(type, name) {
    const o = this.objects.get(String(type).toLowerCase());
    return o?.fields.get(String(name).toLowerCase()) ?? null;
  }
  canon(type, name) {
    const f = this.field(type, name);
    if (f) return f.name;
    const rel = this.relationship(type, name);
    return rel ? rel.name : name;
  }
  isField(type, name) {
    return this.field(type, name) !== null;
  }
  /** `Reseller__r` -> the lookup Reseller__c; `Account` -> AccountId. */
  relationship(type, name) {
    const lower = String(name).toLowerCase();
    const idField = lower.endsWith('__r') ? lower.replace(/__r$/, '__c') : `${lower}id`;
    const f = this.field(type, idField);
    if (!f || !f.ref) return null;
    return {
      name: lower.endsWith('__r') ? f.name.replace(/__c$/, '__r') : f.name.replace(/Id$/, ''),
      idField: f.name,
      target: f.ref,
    };
  }
  isRelationship(type, name) {
    return this.relationship(type, name) !== null;
  }
  fieldNames(type) {
    const o = this.objects.get(String(type).toLowerCase());
    return o ? [...o.fields.values()].map((f) => f.name) : [];
  }
}
