import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { type ApexCheckResult, checkApex, formatApexProblem } from '../../scripts/check-apex.js';
import { ProjectCopy, repoRoot } from './project.js';

/**
 * npm run check:apex: each step catches one thing broken on purpose in a copy of the project with the sample
 * classes of fixtures/classes, and names the file, the line and the problem. apex-ls and PMD start a JVM each, so
 * each runs once per case (a few seconds, more on a loaded machine).
 */
const classes = 'force-app/main/default/classes';
const selector = `${classes}/SampleQuoteSelector.cls`;

const show = (result: ApexCheckResult) => result.problems.map(formatApexProblem).join('\n');

describe('check:apex', function () {
  this.timeout(240_000);
  let copy: ProjectCopy;
  beforeEach(() => (copy = new ProjectCopy({ withSampleClasses: true })));
  afterEach(() => copy.dispose());

  it('passes every step on a pristine copy with the sample classes', async () => {
    const result = await checkApex(copy.dir);
    expect(show(result)).to.equal('');
    expect(result.apexFiles).to.be.at.least(2);
    // The SOQL step reads the parse step's trees: one timing for both.
    expect(Object.keys(result.timings).sort()).to.deep.equal(['apexls', 'parse', 'pmd', 'prettier']);
  });

  it('parse: names the file, line and column of a syntax error', async () => {
    copy.edit(selector, 'quote.Status__c = ', 'quote.Status__c == = ');
    const result = await checkApex(copy.dir, ['parse']);
    expect(result.problems).to.have.length.at.least(1);
    expect(formatApexProblem(result.problems[0]!)).to.match(
      /^force-app\/main\/default\/classes\/SampleQuoteSelector\.cls:16:\d+: \[parse\] syntax error: /,
    );
  });

  it('prettier: names an unformatted class', async () => {
    copy.edit(selector, '  public static void markExpired', 'public   static void markExpired');
    const result = await checkApex(copy.dir, ['parse', 'prettier']);
    expect(show(result)).to.equal(`${selector}: [prettier] not formatted: run npx prettier --write on it`);
  });

  it('soql: names unknown fields and relationships in inline SOQL, which apex-ls does not check', async () => {
    copy.edit(
      selector,
      'SELECT Id, Name, Status__c, Customer_Total__c, Reseller__r.Name',
      'SELECT Id, Name, Satus__c, Resellr__r.Name',
    );
    copy.edit(selector, 'WHERE Id IN :quoteIds', 'WHERE Id IN :quoteIds AND End_Customer__r.Channel_Rol__c = null');
    const result = await checkApex(copy.dir, ['parse', 'soql']);
    expect(show(result)).to.equal(
      [
        `${selector}:7:24: [soql] Unknown field 'Satus__c' on Channel_Quote__c in SOQL`,
        `${selector}:7:34: [soql] Unknown relationship 'Resellr__r' on Channel_Quote__c in SOQL`,
        `${selector}:9:33: [soql] Unknown field 'Channel_Rol__c' on Account in SOQL`,
      ].join('\n'),
    );
  });

  it('apex-ls: names an unknown field of a project object and an unknown class', async () => {
    copy.edit(selector, "quote.Status__c = 'Expired';", "quote.Status__c = 'Expired';\n      quote.Satus__c = 'Expired';");
    copy.edit(selector, 'Database.update(quotes', 'QuoteGuard.check(quotes);\n    Database.update(quotes');
    const result = await checkApex(copy.dir, ['apexls']);
    expect(show(result)).to.equal(
      [
        `${selector}:17:7: [apexls] Missing: Unknown field 'Satus__c' on SObject 'Schema.Channel_Quote__c'`,
        `${selector}:19:5: [apexls] Missing: No variable or type found for 'QuoteGuard' on 'SampleQuoteSelector'`,
      ].join('\n'),
    );
  });

  it('pmd: names a SOQL query without USER_MODE and a test without asserts', async () => {
    copy.edit(selector, '      WITH USER_MODE\n', '');
    copy.edit(
      `${classes}/SampleQuoteSelectorTest.cls`,
      "Assert.areEqual(0, quotes.size(), 'no id, no quote');",
      'quotes.clear();',
    );
    const result = await checkApex(copy.dir, ['pmd']);
    expect(show(result)).to.equal(
      [
        `${selector}:6:12: [pmd] ApexCRUDViolation: Validate CRUD permission before SOQL/DML operation or enforce user mode`,
        `${classes}/SampleQuoteSelectorTest.cls:4:10: [pmd] ApexUnitTestClassShouldHaveAsserts: Apex unit tests should System.assert() or assertEquals() or assertNotEquals()`,
      ].join('\n'),
    );
  });

  it('exits 1 from the command line on a problem', () => {
    copy.edit(selector, 'quote.Status__c = ', 'quote.Status__c == = ');
    const script = path.join(repoRoot, 'scripts/check-apex.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, copy.dir, '--only', 'parse'], { encoding: 'utf8' });
    expect(run.status).to.equal(1);
    expect(run.stderr).to.contain(`${selector}:16:`);
    expect(run.stdout).to.match(/check:apex: \d+ Apex file\(s\); [1-9]\d* problem\(s\) \(parse \d+ ms\)/);
  });
});
