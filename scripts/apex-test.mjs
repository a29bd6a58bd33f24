/* global console, process */
// npm run apex:test: runs the project's own Apex test classes (force-app/**/*Test.cls) in the Apex runtime on
// Node (scripts/apex-org.mjs) against a fake org, as `sf apex run test` would in an org: each class's
// @TestSetup once, then every test method from that state (its writes undone afterwards), as a System
// Administrator user that runs the test. Prints each method's result and `N passed, M failed`; `--json`
// prints the results as JSON. Exit 1 when a test fails (a test that cannot run here counts as failed: the
// reason is printed and listed in docs/APEX-RUNTIME.md).
import { FakeOrg } from '../plugin/test/store/org/fakeOrg.js';
import { ApexOrg, loadClasses, rt } from './apex-org.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.filter((a) => !a.startsWith('--'));

const apex = await loadClasses();
const fake = new FakeOrg();
// What every org has: the profiles and permission sets the tests look up, and the user running the tests.
fake.insert('Profile', { Name: 'System Administrator', UserType: 'Standard' });
fake.insert('Profile', { Name: 'Partner Community User', UserType: 'PowerPartner' });
for (const name of ['Cpq_Admin', 'Cpq_Reseller_User', 'Cpq_Distributor_User'])
  fake.insert('PermissionSet', { Name: name, Label: name });
const runner = fake.insert('User', { Name: 'Test Runner', LastName: 'Runner', Username: 'runner@cpq.invalid', IsActive: true });
const org = new ApexOrg(fake, apex);
rt.test.setRunning(true);

const results = [];
const base = org.snapshot();
for (const [, meta] of apex.$classes) {
  if (!meta.isTestClass || meta.tests.length === 0) continue;
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
  console.log(`${passed} passed, ${failed} failed`);
}
process.exitCode = failed === 0 ? 0 : 1;
if (process.env.APEX_DEBUG) for (const e of rt.caughtLog) console.error('caught:', e?.$js?.stack ?? e?.stack ?? e);
