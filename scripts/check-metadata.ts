// npm run check:metadata [-- <projectDir>]: the project's own metadata check. Salesforce source conversion is not a
// validator (malformed XML, missing -meta.xml files and unknown fields all "convert"), and no org is reachable, so
// this catches what a deploy would refuse, plus the channel's security rules for the permission sets.
// Every problem is printed as `<file>: <problem>`; exit 1 on any problem. Rules: docs/ORG-CHECKS.md.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface Problem {
  file: string;
  message: string;
}

/** Standard objects the metadata may reference, with the standard fields permission sets may name. */
const STANDARD_OBJECTS: Record<string, readonly string[]> = {
  Account: ['Name', 'Type', 'Industry', 'BillingCountry', 'ParentId', 'Phone', 'Website', 'Description'],
  Product2: ['Name', 'ProductCode', 'Family', 'Description', 'IsActive', 'QuantityUnitOfMeasure'],
  Contact: ['Name', 'AccountId', 'Email', 'Phone', 'Title'],
  User: ['Name', 'ContactId', 'Email'],
};

/**
 * Catalog objects every partner reads (list prices, discount schedules, default distributor routing): internal and
 * external sharing Read, because partner users own none of these records. Every other object is Private
 * (ControlledByParent for master-detail children): docs/ORG-SCHEMA.md, Sharing.
 */
export const READABLE_CATALOG_OBJECTS: readonly string[] = [
  'Cpq_Price__c',
  'Discount_Schedule__c',
  'Default_Distributor_Rule__c',
];

/** What a reseller never reads (docs/ORG-SCHEMA.md, FLS: not resellers): checked in the reseller permission set. */
export const RESELLER_PERMISSION_SET = 'Cpq_Reseller_User';
export const RESELLER_HIDDEN_OBJECTS: readonly string[] = ['Distributor_Inventory__c', 'Product_Family__c'];
export const RESELLER_HIDDEN_FIELDS: readonly string[] = [
  'Channel_Quote__c.Net_Total__c',
  'Channel_Quote_Line__c.Net_Unit__c',
  'Channel_Quote_Line__c.Net_Total__c',
  'Channel_Quote_Line__c.Distributor_Discount_Percent__c',
  'Channel_Order__c.Net_Total__c',
  'Channel_Order_Line__c.Net_Unit__c',
  'Channel_Order_Line__c.Net_Total__c',
  'Channel_Subscription__c.Net_Unit__c',
  // A price floor is a share of List the Net must reach: it reveals Net (PRICING.md, Who sees what).
  'Product2.Min_Net_Percent_Of_List__c',
  'Product_Family__c.Min_Net_Percent_Of_List__c',
];

const REPEATED = new Set([
  'fieldPermissions',
  'objectPermissions',
  'classAccesses',
  'tabSettings',
  'value',
  'packageDirectories',
  'userPermissions',
]);
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

type Xml = Record<string, unknown>;

/** The children a source-format object folder may hold, each in its folder with its suffix. */
const OBJECT_CHILD =
  /^(fields\/\w+\.field|sharingReasons\/\w+\.sharingReason|listViews\/\w+\.listView|compactLayouts\/\w+\.compactLayout|recordTypes\/\w+\.recordType|validationRules\/\w+\.validationRule|fieldSets\/\w+\.fieldSet|webLinks\/\w+\.webLink|businessProcesses\/\w+\.businessProcess)-meta\.xml$/;

interface FieldInfo {
  file: string;
  type: string;
  required: boolean;
  referenceTo?: string;
}

interface ObjectInfo {
  name: string;
  file?: string; // the .object-meta.xml; absent for standard objects extended with fields only
  meta?: Xml;
  fields: Map<string, FieldInfo>;
}

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    // jest tests of LWC bundles are forceignored (.forceignore): not deployed, not checked.
    if (entry === '__tests__' || entry === 'node_modules' || entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

function hasTestsFolder(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir).some((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() && (entry === '__tests__' || (entry !== 'node_modules' && hasTestsFolder(full)));
  });
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const truthy = (v: unknown): boolean => text(v) === 'true';

export function checkMetadata(projectDir: string): Problem[] {
  const problems: Problem[] = [];
  const rel = (file: string) => path.relative(projectDir, file) || file;
  const report = (file: string, message: string) => problems.push({ file: rel(file), message });

  const projectFile = path.join(projectDir, 'sfdx-project.json');
  if (!existsSync(projectFile)) return [{ file: 'sfdx-project.json', message: 'missing' }];
  const project = JSON.parse(readFileSync(projectFile, 'utf8')) as {
    sourceApiVersion?: string;
    packageDirectories?: { path: string }[];
  };
  const apiVersion = project.sourceApiVersion;
  if (!apiVersion) report(projectFile, 'sourceApiVersion is missing');
  const files = (project.packageDirectories ?? []).flatMap((p) => walk(path.join(projectDir, p.path)));

  // 0. LWC jest tests are never deployed: .forceignore must cover every __tests__ folder.
  const forceignore = existsSync(path.join(projectDir, '.forceignore'))
    ? readFileSync(path.join(projectDir, '.forceignore'), 'utf8')
        .split('\n')
        .map((l) => l.trim())
    : [];
  const hasTests = (project.packageDirectories ?? []).some((p) => hasTestsFolder(path.join(projectDir, p.path)));
  if (hasTests && !forceignore.includes('**/__tests__/**'))
    report(path.join(projectDir, '.forceignore'), 'must list **/__tests__/** (LWC jest tests are not deployable)');

  // 1. Every XML file is well-formed; parsed documents are kept for the checks below.
  const docs = new Map<string, Xml>();
  for (const file of files.filter((f) => f.endsWith('.xml'))) {
    const source = readFileSync(file, 'utf8');
    const valid = XMLValidator.validate(source);
    if (valid !== true) {
      report(file, `malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
      continue;
    }
    docs.set(file, parser.parse(source) as Xml);
  }
  const root = (file: string, tag: string): Xml | undefined => {
    const doc = docs.get(file);
    const node = doc?.[tag];
    if (doc && (node === undefined || typeof node !== 'object')) {
      report(file, `root element must be <${tag}>`);
      return undefined;
    }
    return node as Xml | undefined;
  };
  const checkApiVersion = (metaFile: string, tag: string, what: string) => {
    if (!existsSync(metaFile)) {
      report(metaFile, `missing: every ${what} needs its ${path.basename(metaFile).replace(/^[^.]+/, '')}`);
      return;
    }
    const meta = root(metaFile, tag);
    if (!meta) return;
    const version = text(meta.apiVersion);
    if (version !== apiVersion)
      report(metaFile, `apiVersion ${version ?? '(none)'} differs from sfdx-project.json sourceApiVersion ${apiVersion}`);
  };

  // 2. Apex classes and triggers have their -meta.xml with the project's API version (and no orphan -meta.xml).
  for (const file of files) {
    if (file.endsWith('.cls')) checkApiVersion(`${file}-meta.xml`, 'ApexClass', 'Apex class');
    else if (file.endsWith('.trigger')) checkApiVersion(`${file}-meta.xml`, 'ApexTrigger', 'Apex trigger');
    else if (/\.(cls|trigger)-meta\.xml$/.test(file) && !existsSync(file.replace(/-meta\.xml$/, '')))
      report(file, `no ${path.basename(file).replace(/-meta\.xml$/, '')} next to this -meta.xml`);
  }

  // 3. Every LWC bundle has <name>.js and <name>.js-meta.xml with the project's API version.
  const lwcDirs = new Set(
    files.filter((f) => path.basename(path.dirname(path.dirname(f))) === 'lwc').map((f) => path.dirname(f)),
  );
  for (const dir of lwcDirs) {
    const name = path.basename(dir);
    if (!existsSync(path.join(dir, `${name}.js`)) && !existsSync(path.join(dir, `${name}.ts`)))
      report(dir, `LWC bundle ${name} has no ${name}.js`);
    checkApiVersion(path.join(dir, `${name}.js-meta.xml`), 'LightningComponentBundle', 'LWC bundle');
  }

  // 4. Objects and fields.
  const objects = new Map<string, ObjectInfo>();
  const objectOf = (name: string): ObjectInfo => {
    let info = objects.get(name);
    if (!info) objects.set(name, (info = { name, fields: new Map() }));
    return info;
  };
  for (const file of files) {
    const parts = file.split(path.sep);
    const i = parts.lastIndexOf('objects');
    if (i < 0) continue;
    if (parts.length === i + 2) {
      report(file, 'not in an object folder: objects/ holds one folder per object');
      continue;
    }
    const objectName = parts[i + 1]!;
    const base = path.basename(file);
    const inObject = parts.slice(i + 2).join('/');
    if (inObject !== `${objectName}.object-meta.xml` && !OBJECT_CHILD.test(inObject)) {
      // The deploy tooling would take it as part of the object and the org would ignore it: a misnamed file.
      report(
        file,
        `not an object file: expected ${objectName}.object-meta.xml or <folder>/<Name>.<type>-meta.xml (fields/X.field-meta.xml, ...)`,
      );
      continue;
    }
    if (!docs.has(file)) {
      // Malformed (reported above): the object or field still exists, so that nothing else is reported for it.
      if (base === `${objectName}.object-meta.xml`)
        Object.assign(objectOf(objectName), { file, meta: { customSettingsType: '?' } });
      else if (parts[i + 2] === 'fields')
        objectOf(objectName).fields.set(base.replace(/\.field-meta\.xml$/, ''), { file, type: '', required: false });
      continue;
    }
    if (base === `${objectName}.object-meta.xml`) {
      const info = objectOf(objectName);
      info.file = file;
      info.meta = root(file, 'CustomObject');
    } else if (parts[i + 2] === 'fields' && base.endsWith('.field-meta.xml')) {
      const field = root(file, 'CustomField');
      if (!field) continue;
      const api = base.replace(/\.field-meta\.xml$/, '');
      if (text(field.fullName) !== api)
        report(file, `fullName ${text(field.fullName) ?? '(none)'} differs from the file name ${api}`);
      const type = text(field.type) ?? '';
      if (!type) report(file, 'field has no <type>');
      objectOf(objectName).fields.set(api, {
        file,
        type,
        required: truthy(field.required),
        referenceTo: text(field.referenceTo),
      });
      if (type === 'Picklist' || type === 'MultiselectPicklist') {
        const valueSet = field.valueSet as Xml | undefined;
        const definition = valueSet?.valueSetDefinition as Xml | undefined;
        const values = (definition?.value as Xml[] | undefined) ?? [];
        if (!text(valueSet?.valueSetName) && values.length === 0) report(file, 'picklist field has no values (valueSet)');
        const names = values.map((v) => text(v.fullName));
        if (names.some((n) => !n)) report(file, 'picklist value without fullName');
        if (new Set(names).size !== names.length) report(file, 'picklist values repeat');
      }
      if (type === 'Lookup') {
        const constraint = text(field.deleteConstraint);
        if (truthy(field.required) && constraint !== 'Restrict')
          report(file, `required lookup needs deleteConstraint Restrict (has ${constraint ?? 'none'})`);
      }
      if ((type === 'Lookup' || type === 'MasterDetail') && !text(field.relationshipName))
        report(file, `${type} field has no relationshipName`);
      if (type === 'Text' && !text(field.length)) report(file, 'Text field has no length');
      if (type === 'Number' && (!text(field.precision) || text(field.scale) === undefined))
        report(file, 'Number field needs precision and scale');
    } else if (parts[i + 2] === 'sharingReasons' && base.endsWith('.sharingReason-meta.xml')) {
      const reason = root(file, 'SharingReason');
      const api = base.replace(/\.sharingReason-meta\.xml$/, '');
      if (reason && text(reason.fullName) !== api)
        report(file, `fullName ${text(reason.fullName) ?? '(none)'} differs from ${api}`);
      if (reason && !text(reason.label)) report(file, 'sharing reason has no label');
      if (!api.endsWith('__c')) report(file, `sharing reason ${api} must end in __c`);
    }
  }
  const objectExists = (name: string) => name in STANDARD_OBJECTS || objects.get(name)?.meta !== undefined;
  const fieldExists = (object: string, field: string) =>
    objects.get(object)?.fields.has(field) === true || (STANDARD_OBJECTS[object]?.includes(field) ?? false);

  for (const info of objects.values()) {
    if (!info.meta) {
      if (!(info.name in STANDARD_OBJECTS))
        report(
          path.dirname([...info.fields.values()][0]?.file ?? info.name),
          `objects/${info.name} has no ${info.name}.object-meta.xml`,
        );
      continue;
    }
    const file = info.file!;
    for (const [api, field] of info.fields)
      if ((field.type === 'Lookup' || field.type === 'MasterDetail') && field.referenceTo && !objectExists(field.referenceTo))
        report(field.file, `${api} references ${field.referenceTo}, which is not an object of the project`);
    if (text(info.meta.customSettingsType)) continue; // custom settings have no sharing model
    const sharing = text(info.meta.sharingModel);
    const external = text(info.meta.externalSharingModel);
    const isDetail = [...info.fields.values()].some((f) => f.type === 'MasterDetail');
    if (!text(info.meta.label)) report(file, 'object has no label');
    if (isDetail) {
      if (sharing !== 'ControlledByParent' || external !== 'ControlledByParent')
        report(
          file,
          `master-detail child needs sharingModel and externalSharingModel ControlledByParent (has ${sharing}/${external})`,
        );
    } else {
      const allowed = READABLE_CATALOG_OBJECTS.includes(info.name) ? 'Read' : 'Private';
      if (sharing !== allowed) report(file, `sharingModel must be ${allowed} (has ${sharing ?? 'none'})`);
      if (external !== allowed) report(file, `externalSharingModel must be ${allowed} (has ${external ?? 'none'})`);
    }
    const reasonsDir = path.join(path.dirname(file), 'sharingReasons');
    if (existsSync(reasonsDir) && readdirSync(reasonsDir).length > 0 && sharing !== 'Private' && sharing !== 'Read')
      report(file, `Apex sharing reasons need sharingModel Private or Read (has ${sharing})`);
  }

  // 5. Tabs name existing objects.
  for (const file of files.filter((f) => f.endsWith('.tab-meta.xml'))) {
    const tab = root(file, 'CustomTab');
    const name = path.basename(file).replace(/\.tab-meta\.xml$/, '');
    if (tab && truthy(tab.customObject) && !objects.get(name)?.meta)
      report(file, `tab for ${name}, which is not an object of the project`);
    if (tab && truthy(tab.customObject) && !text(tab.motif)) report(file, 'custom object tab has no motif');
  }

  // 6. Permission sets: everything they name exists, the platform's FLS rules, and the reseller's security rules.
  const classes = new Set(files.filter((f) => f.endsWith('.cls')).map((f) => path.basename(f, '.cls')));
  const granted = new Set<string>();
  const tabs = new Set(
    files.filter((f) => f.endsWith('.tab-meta.xml')).map((f) => path.basename(f).replace(/\.tab-meta\.xml$/, '')),
  );
  for (const file of files.filter((f) => f.endsWith('.permissionset-meta.xml'))) {
    const set = root(file, 'PermissionSet');
    if (!set) continue;
    const setName = path.basename(file).replace(/\.permissionset-meta\.xml$/, '');
    if (!text(set.label)) report(file, 'permission set has no label');
    const seen = new Set<string>();
    for (const fp of (set.fieldPermissions as Xml[] | undefined) ?? []) {
      const name = text(fp.field) ?? '';
      const [object = '', field = ''] = name.split('.');
      if (seen.has(name)) report(file, `fieldPermissions for ${name} appear twice`);
      seen.add(name);
      if (!fieldExists(object, field)) {
        report(
          file,
          `fieldPermissions names ${name}, which does not exist (no objects/${object}/fields/${field}.field-meta.xml)`,
        );
        continue;
      }
      const info = objects.get(object)?.fields.get(field);
      if (info?.type === 'MasterDetail')
        report(file, `fieldPermissions on master-detail field ${name}: the platform refuses them`);
      else if (info?.required) report(file, `fieldPermissions on required field ${name}: the platform refuses them`);
      if (truthy(fp.editable) && !truthy(fp.readable)) report(file, `${name} is editable but not readable`);
      if (setName === RESELLER_PERMISSION_SET && RESELLER_HIDDEN_FIELDS.includes(name) && truthy(fp.readable))
        report(file, `resellers must not read ${name} (Net prices and distributor figures are hidden from resellers)`);
    }
    for (const op of (set.objectPermissions as Xml[] | undefined) ?? []) {
      const object = text(op.object) ?? '';
      if (!objectExists(object)) report(file, `objectPermissions names ${object}, which is not an object of the project`);
      const [read, create, edit, del, viewAll, modifyAll] = [
        op.allowRead,
        op.allowCreate,
        op.allowEdit,
        op.allowDelete,
        op.viewAllRecords,
        op.modifyAllRecords,
      ].map(truthy);
      if ((create || edit || del || viewAll) && !read) report(file, `${object}: create, edit, delete and View All need read`);
      if (del && !edit) report(file, `${object}: delete needs edit`);
      if (modifyAll && !(viewAll && edit && del)) report(file, `${object}: Modify All needs View All, edit and delete`);
      if (setName === RESELLER_PERMISSION_SET && RESELLER_HIDDEN_OBJECTS.includes(object) && read)
        report(file, `resellers must not read ${object}`);
    }
    for (const ca of (set.classAccesses as Xml[] | undefined) ?? []) {
      const name = text(ca.apexClass) ?? '';
      if (!classes.has(name))
        report(file, `classAccesses names Apex class ${name}, which does not exist (no classes/${name}.cls)`);
      if (truthy(ca.enabled)) granted.add(name);
    }
    for (const ts of (set.tabSettings as Xml[] | undefined) ?? []) {
      const name = text(ts.tab) ?? '';
      if (!name.startsWith('standard-') && !tabs.has(name)) report(file, `tabSettings names tab ${name}, which does not exist`);
      if (!['Visible', 'Available', 'None'].includes(text(ts.visibility) ?? ''))
        report(file, `tabSettings ${name}: visibility must be Visible, Available or None`);
    }
  }
  // 7. Every controller (a class with @AuraEnabled methods) is granted by a permission set, or no user can call it.
  for (const file of files.filter((f) => f.endsWith('.cls'))) {
    const name = path.basename(file, '.cls');
    if (/@AuraEnabled/i.test(readFileSync(file, 'utf8')) && !granted.has(name))
      report(file, `${name} has @AuraEnabled methods but no permission set grants it (classAccesses)`);
  }

  // 8. Custom notification types (notificationtypes/<Name>.notiftype-meta.xml): the Metadata API's required fields
  // and lengths (docs/ORG-CHECKS.md, Custom notification types).
  for (const file of files.filter((f) => path.basename(path.dirname(f)) === 'notificationtypes')) {
    const base = path.basename(file);
    if (!/^[A-Za-z]\w*\.notiftype-meta\.xml$/.test(base)) {
      report(file, 'not a notification type file: expected notificationtypes/<Name>.notiftype-meta.xml');
      continue;
    }
    if (!docs.has(file)) continue;
    const type = root(file, 'CustomNotificationType');
    if (!type) continue;
    const name = text(type.customNotifTypeName);
    if (!name) report(file, 'customNotifTypeName is required');
    else if (name.length > 80) report(file, `customNotifTypeName has ${name.length} characters (at most 80)`);
    if (!text(type.masterLabel)) report(file, 'masterLabel is required');
    const description = text(type.description);
    if (description && description.length > 255) report(file, `description has ${description.length} characters (at most 255)`);
    for (const channel of ['desktop', 'mobile'])
      if (!['true', 'false'].includes(text(type[channel]) ?? ''))
        report(file, `${channel} is required: true or false (has ${text(type[channel]) ?? 'none'})`);
  }

  // By file (a stable sort keeps each file's problems in the order of the rules).
  return problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const projectDir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..'));
  const started = Date.now();
  const problems = checkMetadata(projectDir);
  for (const p of problems) console.error(`${p.file}: ${p.message}`);
  console.log(
    problems.length === 0
      ? `check:metadata: metadata is consistent (${Date.now() - started} ms)`
      : `check:metadata: ${problems.length} problem(s)`,
  );
  process.exitCode = problems.length === 0 ? 0 : 1;
}
