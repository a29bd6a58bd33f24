/* global console, process */
// npm run apex:test: runs the project's own Apex test classes (force-app/**/*Test.cls) in the Apex runtime on
// Node (scripts/apex-org.mjs) against a fake org, as `sf apex run test` would in an org: each class's
// @TestSetup once, then every test method from that state (its writes undone afterwards), as a System
// Administrator user that runs the test. Prints each method's result and `N passed, M failed`; `--json`
// prints the results as JSON. Exit 1 when a test fails (a test that cannot run here counts as failed: the
// reason is printed and listed in docs/APEX-RUNTIME.md).
import { FakeOrg } from '../plugin/test/store/org/fakeOrg.js';
import { REFERENCE, USERS } from '../plugin/test/preview/fixtures.js';
import { seedOrg } from '../test/apex/world.js';
import { ApexOrg, loadClasses, notificationTypeId, rt } from './apex-org.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.filter((a) => !a.startsWith('--'));

// The runtime's governor limits and transaction rules first, with a probe class (what the tests rest on).
const PROBE = `public with sharing class RuntimeProbe {
  public static String tooLong() {
    try {
      insert new Account(Name = 'x'.repeat(256));
      return 'inserted';
    } catch (DmlException e) {
      return e.getDmlType(0) + '|' + e.getDmlFieldNames(0) + '|' + e.getMessage();
    }
  }
  public static String userNames() {
    return UserInfo.getName() + '|' + UserInfo.getUserName() + '|' + UserInfo.getFirstName() + '|' + UserInfo.getLastName();
  }
  public static Integer queries(Integer n) {
    Integer rows = 0;
    for (Integer i = 0; i < n; i++) {
      rows += [SELECT Id FROM Account].size();
    }
    return rows;
  }
  public static void dmlStatements(Integer n) {
    for (Integer i = 0; i < n; i++) {
      insert new Account(Name = 'probe ' + i);
    }
  }
  public static void dmlRows(Integer n) {
    List<Account> accounts = new List<Account>();
    for (Integer i = 0; i < n; i++) {
      accounts.add(new Account(Name = 'probe ' + i));
    }
    insert accounts;
  }
  public static String catchLimit() {
    try {
      queries(101);
    } catch (Exception e) {
      return 'caught';
    }
    return 'not thrown';
  }
  public static void insertThenFail() {
    insert new Account(Name = 'rolled back');
    Integer x = null;
    x++;
  }
  public static Integer savepoint() {
    Savepoint sp = Database.setSavepoint();
    insert new Account(Name = 'undone');
    Database.rollback(sp);
    return [SELECT COUNT() FROM Account WHERE Name = 'undone'];
  }
  public static Integer netAsUser() {
    return [SELECT Id, Net_Total__c FROM Channel_Quote__c WITH USER_MODE].size();
  }
  public static Integer netInWhereAsUser() {
    return [SELECT Id FROM Channel_Quote__c WHERE Net_Total__c > 0 WITH USER_MODE].size();
  }
  public static Integer quotesWithSharing() {
    return [SELECT Id FROM Channel_Quote__c].size();
  }
  public static Integer quotesAsUser() {
    return [SELECT Id, Name FROM Channel_Quote__c WITH USER_MODE].size();
  }
  public static void writeNetAsUser(Id quoteId) {
    update as user new Channel_Quote__c(Id = quoteId, Net_Total__c = 1);
  }
  public static String notQueried() {
    Account a = [SELECT Id FROM Account LIMIT 1];
    return a.Name;
  }
  public static void emails(Integer n, Id userId) {
    for (Integer i = 0; i < n; i++) {
      Messaging.SingleEmailMessage mail = new Messaging.SingleEmailMessage();
      mail.setTargetObjectId(userId);
      mail.setSaveAsActivity(false);
      mail.setSubject('probe ' + i);
      mail.setPlainTextBody('probe');
      Messaging.sendEmail(new List<Messaging.SingleEmailMessage>{ mail });
    }
  }
  public static String withoutRecipient(Boolean allOrNone) {
    Messaging.SingleEmailMessage mail = new Messaging.SingleEmailMessage();
    mail.setSubject('nobody');
    mail.setPlainTextBody('nobody');
    List<Messaging.SendEmailResult> results = Messaging.sendEmail(new List<Messaging.SingleEmailMessage>{ mail }, allOrNone);
    return results[0].isSuccess() ? 'sent' : 'not sent: ' + results[0].getErrors()[0].getStatusCode();
  }
  public static void emailThenFail(Id userId) {
    emails(1, userId);
    Integer x = null;
    x++;
  }
  public static void push(String typeId, Id targetId, Id userId) {
    Messaging.CustomNotification n = new Messaging.CustomNotification();
    n.setNotificationTypeId(typeId);
    n.setTitle('probe');
    n.setBody('probe');
    n.setTargetId(targetId);
    n.send(new Set<String>{ userId });
  }
  public static void pushTo(String typeId, Id targetId, Integer n) {
    Set<String> users = new Set<String>();
    for (Integer i = 0; i < n; i++) {
      users.add('005' + String.valueOf(100000000 + i) + '000AAA');
    }
    Messaging.CustomNotification note = new Messaging.CustomNotification();
    note.setNotificationTypeId(typeId);
    note.setTitle('probe');
    note.setBody('probe');
    note.setTargetId(targetId);
    note.send(users);
  }
  public static void reserve(Integer n) {
    Messaging.reserveSingleEmailCapacity(n);
  }
}`;
const apex = await loadClasses(undefined, [PROBE]);
selfCheck();

/** User mode and sharing against the portal tests' world: a reseller never reads or writes Net, nor another's quote. */
function securityCheck() {
  const seeded = seedOrg(REFERENCE);
  const o = new ApexOrg(seeded.org, apex);
  const P = apex.RuntimeProbe;
  const account = (ext) => seeded.accountIds.get(ext);
  // R2's quote, not shared with R1 (and R1's own, shared with R1's role group as SharingService does).
  const quote = (reseller) =>
    seeded.org.insert('Channel_Quote__c', {
      Reseller__c: account(reseller),
      Distributor__c: account('D1'),
      End_Customer__c: account('E1'),
      Net_Total__c: 100,
    });
  const other = quote('R2');
  const own = quote('R1');
  const group = seeded.org
    .records('Group')
    .find((g) => seeded.org.records('UserRole').some((r) => r.Id === g.RelatedId && r.PortalAccountId === account('R1')));
  seeded.org.insert('Channel_Quote__Share', {
    ParentId: own,
    UserOrGroupId: group.Id,
    AccessLevel: 'Edit',
    RowCause: 'Channel_Party__c',
  });
  void other;
  const r1 = seeded.userIds.get(USERS.r1.id);
  const admin = seeded.userIds.get(USERS.vendor.id);
  const checks = [
    [
      'a reseller cannot select Net in user mode',
      r1,
      () => P.netAsUser(),
      /^System\.QueryException: No such column 'Net_Total__c'/,
    ],
    ['nor filter on it', r1, () => P.netInWhereAsUser(), /^System\.QueryException: No such column 'Net_Total__c'/],
    ['with sharing, a reseller sees only the quote shared with it', r1, () => P.quotesWithSharing(), /^1$/],
    ['in user mode too', r1, () => P.quotesAsUser(), /^1$/],
    ['the vendor admin (View All) sees both', admin, () => P.quotesAsUser(), /^2$/],
    [
      'a reseller cannot write Net in user mode',
      r1,
      () => P.writeNetAsUser(own),
      /^System\.DmlException: .*INSUFFICIENT_ACCESS_OR_READONLY/,
    ],
  ];
  for (const [name, user, fn, want] of checks) {
    const r = o.transaction(user, fn);
    const got = r.error
      ? `${r.error.getTypeName?.() ?? r.error.constructor.name}: ${r.error.getMessage?.() ?? r.error.message}`
      : rt.str(r.value);
    if (!want.test(got)) throw new Error(`apex runtime self-check "${name}": expected ${want}, got ${got}`);
  }
  return checks.length;
}

function selfCheck() {
  const probeOrg = new FakeOrg();
  probeOrg.insert('Account', { Name: 'one' });
  const user = probeOrg.insert('User', {
    FirstName: 'Pat',
    LastName: 'Probe',
    Username: 'pat.probe@runtime.test',
    IsActive: true,
  });
  const o = new ApexOrg(probeOrg, apex, { access: false });
  const P = apex.RuntimeProbe;
  const checks = [
    ['100 SOQL queries are allowed', () => P.queries(rt.int(100)), null],
    ['the 101st SOQL query fails', () => P.queries(rt.int(101)), 'System.LimitException: Too many SOQL queries: 101'],
    ['150 DML statements are allowed', () => P.dmlStatements(rt.int(150)), null],
    ['the 151st DML statement fails', () => P.dmlStatements(rt.int(151)), 'System.LimitException: Too many DML statements: 151'],
    ['10,000 DML rows are allowed', () => P.dmlRows(rt.int(10000)), null],
    ['the 10,001st DML row fails', () => P.dmlRows(rt.int(10001)), 'System.LimitException: Too many DML rows: 10001'],
    ['a LimitException cannot be caught', () => P.catchLimit(), 'System.LimitException: Too many SOQL queries: 101'],
    [
      'reading a field not queried fails',
      () => P.notQueried(),
      'System.SObjectException: SObject row was retrieved via SOQL without querying the requested field: Account.Name',
    ],
    // Messaging (docs/ORG-CHECKS.md, Messaging).
    ['10 sendEmail calls are allowed', () => P.emails(rt.int(10), user), null],
    ['the 11th sendEmail call fails', () => P.emails(rt.int(11), user), 'System.LimitException: Too many Email Invocations: 11'],
    [
      'an email without a recipient fails an all-or-none sendEmail',
      () => P.withoutRecipient(true),
      'System.EmailException: SendEmail failed. First exception on row 0; first error: REQUIRED_FIELD_MISSING, Missing target address (target, to, cc, bcc)',
    ],
    ['and is a failed result with allOrNone false', () => P.withoutRecipient(false), null],
    [
      'a custom notification needs a target',
      () => P.push(notificationTypeId(0), null, user),
      'System.InvalidParameterValueException: a custom notification needs a target: targetId or targetPageRef',
    ],
    [
      'and a notification type',
      () => P.push(null, user, user),
      'System.InvalidParameterValueException: a custom notification needs its notification type id',
    ],
    ['a custom notification reaches 10,000 users', () => P.pushTo(notificationTypeId(0), user, rt.int(10000)), null],
    [
      'not 10,001',
      () => P.pushTo(notificationTypeId(0), user, rt.int(10001)),
      'System.InvalidParameterValueException: 10001 recipients: a custom notification reaches at most 10,000 users',
    ],
    [
      'reserving past the daily single email limit fails',
      () => P.reserve(rt.int(5001)),
      'System.HandledException: The daily limit for the org would be exceeded by this request.',
    ],
  ];
  const clean = o.snapshot();
  for (const [name, fn, want] of checks) {
    o.restore(clean);
    const r = o.transaction(user, fn);
    const got = r.error
      ? `${r.error.getTypeName?.() ?? r.error.constructor.name}: ${r.error.getMessage?.() ?? r.error.message}`
      : null;
    if (got !== want)
      throw new Error(
        `apex runtime self-check "${name}": expected ${want ?? 'no error'}, got ${got ?? 'no error'}\n${r.error?.stack}`,
      );
  }
  o.restore(clean);
  // Emails go out when their transaction commits, none when it rolls back; a result says which failed.
  rt.messaging.reset();
  const sent = o.transaction(user, () => P.emails(rt.int(2), user));
  const dropped = o.transaction(user, () => P.emailThenFail(user));
  const result = o.transaction(user, () => P.withoutRecipient(false));
  const pushed = o.transaction(user, () => P.push(notificationTypeId(0), user, user));
  if (sent.error || !dropped.error || rt.messaging.emails.length !== 2 || rt.messaging.emails[0].toUser !== user)
    throw new Error('apex runtime self-check: emails are sent when their transaction commits, and only then');
  if (rt.str(result.value) !== 'not sent: REQUIRED_FIELD_MISSING')
    throw new Error(`apex runtime self-check: sendEmail(allOrNone false) answers a failed result, got ${rt.str(result.value)}`);
  if (pushed.error || rt.messaging.notifications.length !== 1 || rt.messaging.notifications[0].recipients[0] !== user)
    throw new Error('apex runtime self-check: a custom notification is recorded with its recipients');
  rt.messaging.reset();
  const security = securityCheck();
  const before = probeOrg.records('Account').length;
  const failed = o.transaction(user, () => P.insertThenFail());
  if (!(failed.error instanceof rt.NullPointerException) || probeOrg.records('Account').length !== before)
    throw new Error('apex runtime self-check: an uncaught exception must roll the transaction back');
  const sp = o.transaction(user, () => P.savepoint());
  if (sp.error || sp.value.toPlainString() !== '0') throw new Error('apex runtime self-check: Database.rollback(savepoint)');
  // A text longer than its field is STRING_TOO_LONG (the fake org's rule, docs/ORG-CHECKS.md), as a DmlException.
  const tooLong = o.transaction(user, () => P.tooLong());
  const tooLongWant = `STRING_TOO_LONG|(Name)|Insert failed. First exception on row 0; first error: STRING_TOO_LONG, Name: data value too large: ${'x'.repeat(256)} (max length=255): [Name]`;
  if (tooLong.error || rt.str(tooLong.value) !== tooLongWant)
    throw new Error(`apex runtime self-check: STRING_TOO_LONG in Apex, got ${tooLong.error?.message ?? rt.str(tooLong.value)}`);
  // UserInfo.getName() is the user's full name, getUserName() its login (as in an org; docs/APEX-RUNTIME.md).
  const names = o.transaction(user, () => P.userNames());
  if (names.error || rt.str(names.value) !== 'Pat Probe|pat.probe@runtime.test|Pat|Probe')
    throw new Error(`apex runtime self-check: UserInfo names, got ${names.error?.message ?? rt.str(names.value)}`);
  if (!json)
    console.log(`apex runtime self-check: ${checks.length + 7 + security} limit, transaction, messaging and security rules hold`);
}
const fake = new FakeOrg();
// What every org has: the profiles and permission sets the tests look up, and the user running the tests.
const adminProfile = fake.insert('Profile', { Name: 'System Administrator', UserType: 'Standard' });
fake.insert('Profile', { Name: 'Partner Community User', UserType: 'PowerPartner' });
for (const name of ['Cpq_Admin', 'Cpq_Reseller_User', 'Cpq_Distributor_User'])
  fake.insert('PermissionSet', { Name: name, Label: name });
const runner = fake.insert('User', {
  Name: 'Test Runner',
  LastName: 'Runner',
  Username: 'runner@cpq.invalid',
  ProfileId: adminProfile,
  IsActive: true,
});
const org = new ApexOrg(fake, apex);
rt.test.setRunning(true);

const results = [];
const base = org.snapshot();
for (const [, meta] of apex.$classes) {
  if (!meta.isTestClass || meta.tests.length === 0 || meta.name === 'RuntimeProbe') continue;
  if (only.length && !only.includes(meta.name)) continue;
  org.restore(base);
  let setupError = null;
  for (const setup of meta.setup) {
    const r = org.transaction(runner, () => meta.cls[setup]());
    if (r.error) setupError = r.error;
  }
  const afterSetup = org.snapshot();
  for (const method of meta.tests) {
    org.restore(afterSetup);
    if (setupError) {
      results.push({ test: `${meta.name}.${method}`, passed: false, error: `@TestSetup failed: ${describe(setupError)}` });
      continue;
    }
    const r = org.transaction(runner, () => {
      meta.cls[method]();
      rt.runQueued();
    });
    results.push({
      test: `${meta.name}.${method}`,
      passed: !r.error,
      error: r.error ? describe(r.error) : undefined,
      queries: r.usage.queries,
      dml: r.usage.dmlStatements,
      cpuMs: r.usage.cpuMs,
    });
  }
}
org.restore(base);

function describe(e) {
  if (e instanceof rt.TestFailure) return e.message;
  if (e instanceof rt.ApexException) return `${e.getTypeName()}: ${e.getMessage() ?? ''}${e.$sent ? ` ${e.$sent}` : ''}`;
  return `${e?.constructor?.name}: ${e?.message} ${
    String(e?.stack ?? '')
      .split('\n')[1]
      ?.trim() ?? ''
  }`;
}

const passed = results.filter((r) => r.passed).length;
const failed = results.length - passed;
if (json) console.log(JSON.stringify({ passed, failed, results }, null, 2));
else {
  for (const r of results) console.log(`${r.passed ? 'pass' : 'FAIL'} ${r.test}${r.error ? `: ${r.error.slice(0, 300)}` : ''}`);
  const heaviest = (key) => results.filter((r) => r[key] !== undefined).sort((a, b) => b[key] - a[key])[0];
  const q = heaviest('queries');
  const c = heaviest('cpuMs');
  if (q && c) console.log(`most SOQL: ${q.test} (${q.queries}); most CPU: ${c.test} (${c.cpuMs} ms, approximated)`);
  console.log(`${passed} passed, ${failed} failed`);
}
process.exitCode = failed === 0 ? 0 : 1;
if (process.env.APEX_DEBUG) for (const e of rt.caughtLog) console.error('caught:', e?.$js?.stack ?? e?.stack ?? e);
