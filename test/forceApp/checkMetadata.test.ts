import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { checkMetadata, type Problem } from '../../scripts/check-metadata.js';
import { ProjectCopy, repoRoot } from './project.js';

/**
 * npm run check:metadata: each rule is shown to catch one thing broken on purpose in a copy of the project, and to
 * name the file and the problem; the project itself passes.
 */
const objects = 'force-app/main/default/objects';
const reseller = 'force-app/main/default/permissionsets/Cpq_Reseller_User.permissionset-meta.xml';
const admin = 'force-app/main/default/permissionsets/Cpq_Admin.permissionset-meta.xml';

const show = (problems: Problem[]) => problems.map((p) => `${p.file}: ${p.message}`).join('\n');

function expectOneProblem(problems: Problem[], file: string, message: RegExp): void {
  expect(problems, show(problems)).to.have.length(1);
  expect(problems[0]!.file).to.equal(file);
  expect(problems[0]!.message).to.match(message);
}

describe('check:metadata', () => {
  let copy: ProjectCopy;
  beforeEach(() => (copy = new ProjectCopy({ withSampleClasses: true })));
  afterEach(() => copy.dispose());

  it('passes on the project and on a pristine copy with sample classes', () => {
    expect(show(checkMetadata(repoRoot))).to.equal('');
    expect(show(checkMetadata(copy.dir))).to.equal('');
  });

  it('has every object of ORG-SCHEMA.md with its sharing model', () => {
    // A sample of the schema's facts, read from the XML the org receives.
    expect(copy.read(`${objects}/Channel_Quote__c/Channel_Quote__c.object-meta.xml`)).to.contain(
      '<externalSharingModel>Private</externalSharingModel>',
    );
    expect(copy.read(`${objects}/Channel_Quote_Line__c/Channel_Quote_Line__c.object-meta.xml`)).to.contain(
      '<sharingModel>ControlledByParent</sharingModel>',
    );
    expect(copy.read(`${objects}/Channel_Quote__c/sharingReasons/Channel_Party__c.sharingReason-meta.xml`)).to.contain(
      '<label>Channel Party</label>',
    );
    expect(copy.read(`${objects}/Cpq_Settings__c/Cpq_Settings__c.object-meta.xml`)).to.contain(
      '<customSettingsType>Hierarchy</customSettingsType>',
    );
    expect(copy.read(reseller)).not.to.contain('Net_Total__c').and.not.to.contain('Distributor_Inventory__c');
  });

  it('catches malformed XML', () => {
    const file = `${objects}/Channel_Quote__c/fields/Status__c.field-meta.xml`;
    copy.edit(file, '</valueSet>', '</valueSett>');
    const problems = checkMetadata(copy.dir);
    expectOneProblem(problems, file, /^malformed XML at line \d+, column \d+: .*valueSet/);
  });

  it('catches an Apex class without its -meta.xml', () => {
    copy.remove('force-app/main/default/classes/SampleQuoteSelector.cls-meta.xml');
    expectOneProblem(
      checkMetadata(copy.dir),
      'force-app/main/default/classes/SampleQuoteSelector.cls-meta.xml',
      /^missing: every Apex class needs its \.cls-meta\.xml/,
    );
  });

  it('catches an API version that differs from sourceApiVersion (Apex and LWC)', () => {
    copy.edit('force-app/main/default/classes/SampleQuoteSelectorTest.cls-meta.xml', '64.0', '62.0');
    copy.edit('force-app/main/default/lwc/cpqUtils/cpqUtils.js-meta.xml', '64.0', '63.0');
    const problems = checkMetadata(copy.dir);
    expect(show(problems)).to.equal(
      [
        'force-app/main/default/classes/SampleQuoteSelectorTest.cls-meta.xml: apiVersion 62.0 differs from sfdx-project.json sourceApiVersion 64.0',
        'force-app/main/default/lwc/cpqUtils/cpqUtils.js-meta.xml: apiVersion 63.0 differs from sfdx-project.json sourceApiVersion 64.0',
      ].join('\n'),
    );
  });

  it('catches an LWC bundle without its .js-meta.xml', () => {
    copy.remove('force-app/main/default/lwc/cpqUtils/cpqUtils.js-meta.xml');
    expectOneProblem(
      checkMetadata(copy.dir),
      'force-app/main/default/lwc/cpqUtils/cpqUtils.js-meta.xml',
      /^missing: every LWC bundle/,
    );
  });

  it('catches a permission set naming a field that does not exist', () => {
    copy.edit(reseller, 'Channel_Quote__c.Customer_Total__c', 'Channel_Quote__c.Customer_Totl__c');
    expectOneProblem(
      checkMetadata(copy.dir),
      reseller,
      /^fieldPermissions names Channel_Quote__c\.Customer_Totl__c, which does not exist \(no objects\/Channel_Quote__c\/fields\/Customer_Totl__c\.field-meta\.xml\)$/,
    );
  });

  it('catches classAccesses of a class that does not exist, and a tab that does not exist', () => {
    copy.edit(
      admin,
      '<hasActivationRequired>',
      '<classAccesses><apexClass>NoSuchController</apexClass><enabled>true</enabled></classAccesses><tabSettings><tab>Nope__c</tab><visibility>Visible</visibility></tabSettings><hasActivationRequired>',
    );
    expect(show(checkMetadata(copy.dir))).to.equal(
      [
        `${admin}: classAccesses names Apex class NoSuchController, which does not exist (no classes/NoSuchController.cls)`,
        `${admin}: tabSettings names tab Nope__c, which does not exist`,
      ].join('\n'),
    );
  });

  it('catches a controller that no permission set grants', () => {
    const file = 'force-app/main/default/classes/SampleController.cls';
    copy.write(
      file,
      "public with sharing class SampleController {\n  @AuraEnabled\n  public static String ping() {\n    return 'pong';\n  }\n}\n",
    );
    copy.write(`${file}-meta.xml`, copy.read('force-app/main/default/classes/SampleQuoteSelector.cls-meta.xml'));
    expectOneProblem(checkMetadata(copy.dir), file, /^SampleController has @AuraEnabled methods but no permission set grants it/);
  });

  it('catches field permissions on required and master-detail fields (the platform refuses them)', () => {
    copy.edit(
      admin,
      '<hasActivationRequired>',
      '<fieldPermissions><editable>true</editable><field>Cpq_Price__c.List_Price__c</field><readable>true</readable></fieldPermissions>' +
        '<fieldPermissions><editable>false</editable><field>Channel_Quote_Line__c.Channel_Quote__c</field><readable>true</readable></fieldPermissions><hasActivationRequired>',
    );
    expect(show(checkMetadata(copy.dir))).to.equal(
      [
        `${admin}: fieldPermissions on required field Cpq_Price__c.List_Price__c: the platform refuses them`,
        `${admin}: fieldPermissions on master-detail field Channel_Quote_Line__c.Channel_Quote__c: the platform refuses them`,
      ].join('\n'),
    );
  });

  it('catches a reseller permission set that reads Net prices or distributor inventory', () => {
    copy.edit(
      reseller,
      '<hasActivationRequired>',
      '<fieldPermissions><editable>false</editable><field>Channel_Quote_Line__c.Net_Unit__c</field><readable>true</readable></fieldPermissions><hasActivationRequired>',
    );
    copy.edit(
      reseller,
      '<tabSettings>',
      '<objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Distributor_Inventory__c</object><viewAllRecords>false</viewAllRecords></objectPermissions><tabSettings>',
    );
    expect(show(checkMetadata(copy.dir))).to.equal(
      [
        `${reseller}: resellers must not read Channel_Quote_Line__c.Net_Unit__c (Net prices and distributor figures are hidden from resellers)`,
        `${reseller}: resellers must not read Distributor_Inventory__c`,
      ].join('\n'),
    );
  });

  it('catches a reseller permission set that reads a price floor, of a product or of a family', () => {
    copy.edit(
      reseller,
      '<hasActivationRequired>',
      '<fieldPermissions><editable>false</editable><field>Product2.Min_Net_Percent_Of_List__c</field><readable>true</readable></fieldPermissions><hasActivationRequired>',
    );
    copy.edit(
      reseller,
      '<tabSettings>',
      '<objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Product_Family__c</object><viewAllRecords>false</viewAllRecords></objectPermissions><tabSettings>',
    );
    expect(show(checkMetadata(copy.dir))).to.equal(
      [
        `${reseller}: resellers must not read Product2.Min_Net_Percent_Of_List__c (Net prices and distributor figures are hidden from resellers)`,
        `${reseller}: resellers must not read Product_Family__c`,
      ].join('\n'),
    );
  });

  it('catches object permissions the platform refuses (Modify All without View All)', () => {
    const file = reseller;
    const text = copy.read(file);
    const quote = text.indexOf('<object>Channel_Quote__c</object>');
    const start = text.lastIndexOf('<objectPermissions>', quote);
    copy.write(file, text.slice(0, start) + text.slice(start).replace('<modifyAllRecords>false', '<modifyAllRecords>true'));
    expectOneProblem(checkMetadata(copy.dir), file, /^Channel_Quote__c: Modify All needs View All, edit and delete$/);
  });

  it('catches a master-detail child that is not ControlledByParent and an object that is not Private', () => {
    const line = `${objects}/Channel_Quote_Line__c/Channel_Quote_Line__c.object-meta.xml`;
    const order = `${objects}/Channel_Order__c/Channel_Order__c.object-meta.xml`;
    copy.edit(line, '<sharingModel>ControlledByParent</sharingModel>', '<sharingModel>Private</sharingModel>');
    copy.edit(order, '<externalSharingModel>Private</externalSharingModel>', '<externalSharingModel>Read</externalSharingModel>');
    expect(show(checkMetadata(copy.dir))).to.equal(
      [
        `${order}: externalSharingModel must be Private (has Read)`,
        `${line}: master-detail child needs sharingModel and externalSharingModel ControlledByParent (has Private/ControlledByParent)`,
      ].join('\n'),
    );
  });

  it('catches a picklist without values and a required lookup that does not restrict deletes', () => {
    const kind = `${objects}/Channel_Order__c/fields/Kind__c.field-meta.xml`;
    const text = copy.read(kind);
    copy.write(kind, text.replace(/<valueSet>[\s\S]*<\/valueSet>/, ''));
    const distributor = `${objects}/Channel_Order__c/fields/Distributor__c.field-meta.xml`;
    copy.edit(distributor, '<deleteConstraint>Restrict</deleteConstraint>', '<deleteConstraint>SetNull</deleteConstraint>');
    expect(show(checkMetadata(copy.dir))).to.equal(
      [
        `${distributor}: required lookup needs deleteConstraint Restrict (has SetNull)`,
        `${kind}: picklist field has no values (valueSet)`,
      ].join('\n'),
    );
  });

  it('catches a misnamed file in an object folder (the deploy would ignore it)', () => {
    const file = `${objects}/Channel_Quote__c/fields/Status__c.field.xml`;
    copy.write(file, copy.read(`${objects}/Channel_Quote__c/fields/Status__c.field-meta.xml`));
    expectOneProblem(checkMetadata(copy.dir), file, /^not an object file: expected Channel_Quote__c\.object-meta\.xml or /);
  });

  it('catches a .forceignore that would deploy the LWC jest tests', () => {
    copy.edit('.forceignore', '**/__tests__/**\n', '');
    expectOneProblem(checkMetadata(copy.dir), '.forceignore', /^must list \*\*\/__tests__\/\*\*/);
  });

  it('checks the custom notification type NotificationService pushes with', () => {
    const file = 'force-app/main/default/notificationtypes/Channel_CPQ_Notification.notiftype-meta.xml';
    expect(copy.read(file)).to.contain('<mobile>true</mobile>').and.to.contain('<desktop>true</desktop>');
    copy.edit(file, '    <mobile>true</mobile>\n', '');
    expectOneProblem(checkMetadata(copy.dir), file, /^mobile is required: true or false \(has none\)$/);
    copy.edit(
      file,
      '<customNotifTypeName>Channel CPQ Notification</customNotifTypeName>',
      `<customNotifTypeName>${'N'.repeat(81)}</customNotifTypeName>`,
    );
    copy.edit(file, '<desktop>true</desktop>', '<desktop>true</desktop><mobile>false</mobile>');
    expectOneProblem(checkMetadata(copy.dir), file, /^customNotifTypeName has 81 characters \(at most 80\)$/);
  });

  it('catches a notification type file named as the deploy would not read it', () => {
    const file = 'force-app/main/default/notificationtypes/Channel_CPQ_Notification.notificationtype-meta.xml';
    copy.write(file, copy.read('force-app/main/default/notificationtypes/Channel_CPQ_Notification.notiftype-meta.xml'));
    expectOneProblem(
      checkMetadata(copy.dir),
      file,
      /^not a notification type file: expected notificationtypes\/<Name>\.notiftype-meta\.xml$/,
    );
  });

  it('exits 1 naming the file and the problem from the command line, 0 on the project', () => {
    copy.edit(reseller, 'Channel_Quote__c.Customer_Total__c', 'Channel_Quote__c.Customer_Totl__c');
    const script = path.join(repoRoot, 'scripts/check-metadata.ts');
    const broken = spawnSync(process.execPath, ['--import', 'tsx', script, copy.dir], { encoding: 'utf8' });
    expect(broken.status).to.equal(1);
    expect(broken.stderr).to.contain(`${reseller}: fieldPermissions names Channel_Quote__c.Customer_Totl__c`);
    const pristine = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    expect(pristine.status, pristine.stderr).to.equal(0);
  });
});
