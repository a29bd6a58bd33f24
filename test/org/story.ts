// npm run org:story: the admin's whole path on an org, against the fake org, through the real commands:
// `sf cpq deploy --seed` (deploy, Cpq_Admin, the demo seeded as the admin and real partner users, every seeded
// record shared, the renewal job scheduled), `sf cpq agreements import`, `sf cpq share`, a partner quote
// created and saved through the Apex controllers as a partner user, `sf cpq quote price` (the Apex figures are
// the engine's), `sf cpq orders place`, `sf cpq renewals generate` twice. One fake org for all of it
// (plugin/test/store/org/fakeOrg.ts): the commands reach it through jsforce (TestContext fakes the
// connection's requests), and the anonymous Apex they send, and the portal's controller calls, run on the Apex
// runtime (scripts/apex-org.mjs) against the same rows. Prints each step; ends `N steps passed, M failed`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { instantiateContext, MockTestOrgData, restoreContext, stubContext } from '@salesforce/core/testSetup';
import type { AnyJson } from '@salesforce/ts-types';
import { stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import CpqAgreementsImport from '../../plugin/src/commands/cpq/agreements/import.js';
import CpqDeploy, { type CpqDeployResult } from '../../plugin/src/commands/cpq/deploy.js';
import CpqLogo, { type CpqLogoResult } from '../../plugin/src/commands/cpq/logo.js';
import CpqOrdersPlace from '../../plugin/src/commands/cpq/orders/place.js';
import CpqQuotePrice from '../../plugin/src/commands/cpq/quote/price.js';
import CpqRenewalsGenerate from '../../plugin/src/commands/cpq/renewals/generate.js';
import CpqShare from '../../plugin/src/commands/cpq/share.js';
import { DEMO_LOGO_PNG_BASE64 } from '../../plugin/src/store/demoLogo.js';
import { FakeOrg, type SfFault } from '../../plugin/test/store/org/fakeOrg.js';
import { metadataDeployAnswer } from '../../plugin/test/store/org/fakeMetadataDeploy.js';
import { adminWithCpqAdmin } from '../../plugin/test/store/org/fakeOrgStore.js';
// @ts-expect-error: the Apex runtime is JavaScript without types (a test harness, docs/APEX-RUNTIME.md)
import { ApexOrg, fromPlain, loadClasses, rt, toPlain } from '../../scripts/apex-org.mjs';

type Row = Record<string, unknown>;
const TODAY = '2026-12-05';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const $$ = instantiateContext();
stubContext($$);
stubSfCommandUx($$.SANDBOX);
stubSpinner($$.SANDBOX);
process.env.CPQ_DEPLOY_POLL_MS = '10';
process.env.CPQ_SHARE_POLL_MS = '10';

const org = new FakeOrg();
const admin = adminWithCpqAdmin(org);
org.insert('Profile', { Name: 'Partner Community User', UserType: 'PowerPartner' });
const testOrg = new MockTestOrgData();
testOrg.orgId = org.orgId;
testOrg.userId = admin;
await $$.stubAuths(testOrg);
const username = testOrg.username;

/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument */
const apex = await loadClasses();
const apexOrg = new ApexOrg(org, apex, { today: TODAY });
const scheduledJobs = rt.scheduledJobs as { id: string; name: string }[];
let sharingBatches = { runs: 0, errors: 0 };

/** Anonymous Apex the CLI sends (`executeAnonymous`), run as the admin on the runtime, then its queued batches. */
function anonymous(body: string): Row {
  const calls: Record<string, () => unknown> = {
    'ChannelSharingRecalculation.runAll();': () => apex.ChannelSharingRecalculation.runAll(),
    'RenewalJob.scheduleDaily();': () => apex.RenewalJob.scheduleDaily(),
  };
  const call = calls[body.trim()];
  if (!call)
    return { compiled: false, success: false, compileProblem: `the story runs no such anonymous Apex: ${body}`, line: 1 };
  const r = apexOrg.transaction(admin, call);
  if (r.error) return { compiled: true, success: false, exceptionMessage: String(r.error?.getMessage?.() ?? r.error), line: 1 };
  rt.batchErrors.length = 0;
  rt.runQueued();
  if (body.includes('ChannelSharingRecalculation'))
    sharingBatches = { runs: sharingBatches.runs + 1, errors: rt.batchErrors.length };
  return { compiled: true, success: true, line: -1, column: -1, compileProblem: null, exceptionMessage: null };
}

$$.fakeConnectionRequest = (request: AnyJson): Promise<AnyJson> => {
  const r = (typeof request === 'string' ? { url: request, method: 'GET' } : request) as { url: string; method?: string };
  const url = decodeURIComponent(r.url);
  const deploy = metadataDeployAnswer(r.method, url);
  if (deploy) return Promise.resolve(deploy as AnyJson);
  if (url.includes('/tooling/executeAnonymous')) {
    const body = new URL(r.url, 'https://x').searchParams.get('anonymousBody') ?? '';
    return Promise.resolve(anonymous(body) as AnyJson);
  }
  // The jobs the runtime ran: its scheduled jobs, and the sharing batches (finished, as they ran synchronously).
  if (url.includes('FROM CronTrigger')) {
    const jobs = scheduledJobs.filter((j) => url.includes(`'${j.name}'`));
    return Promise.resolve({ totalSize: jobs.length, done: true, records: jobs.map((j) => ({ Id: j.id })) } as AnyJson);
  }
  if (url.includes('FROM AsyncApexJob')) {
    const records = Array.from({ length: 5 }, (_, i) => ({
      Id: `7070000000000${sharingBatches.runs}${i}AAA`,
      Status: sharingBatches.errors ? 'Failed' : 'Completed',
      JobItemsProcessed: 1,
      TotalJobItems: 1,
      NumberOfErrors: sharingBatches.errors,
      ExtendedStatus: null,
    }));
    return Promise.resolve({ totalSize: 5, done: true, records } as AnyJson);
  }
  return org.handle(request) as Promise<AnyJson>;
};

/** A controller method in Apex as `userId`, with named parameters as Aura passes them. */
function callApex(userId: string, target: string, params: Row): { ok: boolean; value?: Row; code?: string; message?: string } {
  const [cls, method] = target.split('.') as [string, string];
  const names: string[] = apex.$classes.get(cls).params[method];
  const args = names.map((n) => {
    const v = params[n];
    if (v === undefined) return null;
    return typeof v === 'number' && Number.isInteger(v) ? rt.int(v) : fromPlain(v);
  });
  const r = apexOrg.transaction(userId, () => apex[cls][method](...args));
  if (!r.error) return { ok: true, value: toPlain(r.value) };
  if (r.error instanceof rt.AuraHandledException) {
    const body = JSON.parse(r.error.getMessage()) as { code: string; message: string };
    return { ok: false, code: body.code, message: body.message };
  }
  return { ok: false, code: 'UNCAUGHT', message: String(r.error?.stack ?? r.error) };
}
/* eslint-enable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument */

// Steps

const results: { name: string; ok: boolean; detail: string }[] = [];
function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}
async function step(name: string, run: () => Promise<string> | string): Promise<void> {
  process.chdir(root);
  try {
    const detail = await run();
    results.push({ name, ok: true, detail });
    console.log(`pass  ${name}: ${detail}`);
  } catch (error) {
    const e = error as Error & Partial<SfFault>;
    results.push({ name, ok: false, detail: e.message });
    console.log(`FAIL  ${name}: ${e.message}`);
  }
}
const byExt = (type: string, ext: string): Row | undefined => org.records(type).find((r) => r.External_Id__c === ext);
const partnerUser = (accountExt: string): string => {
  const account = byExt('Account', accountExt)!;
  return org.records('User').find((u) => u.AccountId === account.Id)!.Id as string;
};
const roleGroups = (accountId: unknown): Set<unknown> => {
  const roles = new Set(
    org
      .records('UserRole')
      .filter((x) => x.PortalAccountId === accountId)
      .map((x) => x.Id),
  );
  return new Set(
    org
      .records('Group')
      .filter((g) => g.Type === 'Role' && roles.has(g.RelatedId))
      .map((g) => g.Id),
  );
};
/** Records of `type` none of whose parties' role groups holds a Channel_Party__c share. */
function unshared(type: string, parties: string[]): Row[] {
  const shares = org.records(type.replace(/__c$/, '__Share')).filter((s) => s.RowCause === 'Channel_Party__c');
  return org.records(type).filter((rec) =>
    parties.some((p) => {
      if (!rec[p]) return false;
      const groups = roleGroups(rec[p]);
      if (groups.size === 0) return false; // a party without partner users (the vendor) has no role to share with
      return !shares.some((s) => s.ParentId === rec.Id && groups.has(s.UserOrGroupId));
    }),
  );
}

let storyQuote = { id: '', number: '', version: 0 };

await step('sf cpq deploy -o ORG --seed', async () => {
  const result: CpqDeployResult = await CpqDeploy.run(['-o', username, '--seed', '--today', TODAY, '--json']);
  const statuses = result.steps.map((s) => `${s.step} ${s.status}`).join(', ');
  check(
    result.steps.every((s) => s.status !== 'failed'),
    statuses,
  );
  const partners = org.records('User').filter((u) => u.ContactId);
  check(partners.length === 7, `7 partner users expected, found ${partners.length}`);
  check(
    partners.every((u) => u.UserRoleId),
    'every partner user has its partner role',
  );
  const notShared = [
    ...unshared('Channel_Quote__c', ['Reseller__c', 'Distributor__c']),
    ...unshared('Channel_Order__c', ['Reseller__c', 'Distributor__c']),
    ...unshared('Channel_Contract__c', ['Reseller__c', 'Distributor__c']),
    ...unshared('Partner_Agreement__c', ['Partner__c', 'Seller__c']),
    ...unshared('Distributor_Inventory__c', ['Distributor__c']),
  ];
  check(notShared.length === 0, `${notShared.length} seeded records not shared with their partners`);
  check(scheduledJobs.length === 1, 'the renewal job is scheduled once');
  // The demo's Services family floor (50 %) is reference data the seed loads into Product_Family__c.
  const families = org
    .records('Product_Family__c')
    .map((f) => `${String(f.External_Id__c)} ${String(f.Min_Net_Percent_Of_List__c)}`);
  check(
    families.join(', ') === 'Services 50',
    `the demo's family floors: Services 50 expected, found ${families.join(', ') || 'none'}`,
  );
  return `${statuses}; ${org.records('Channel_Quote__c').length} quotes, ${partners.length} partner users, every seeded record shared, family floors ${families.join(', ')}`;
});

await step('sf cpq agreements import -o ORG', async () => {
  const result = await CpqAgreementsImport.run([
    '-o',
    username,
    '--file',
    path.join(root, 'config/examples/agreements.csv'),
    '--json',
  ]);
  check(result.loaded > 0, 'nothing loaded');
  return `${result.agreements} agreement(s), ${result.rules} rule(s), ${result.tiers} tier(s)`;
});

await step('sf cpq share -o ORG: the imported agreement reaches its partners', async () => {
  const before = unshared('Partner_Agreement__c', ['Partner__c', 'Seller__c']).length;
  const result = await CpqShare.run(['-o', username, '--json']);
  const after = unshared('Partner_Agreement__c', ['Partner__c', 'Seller__c']).length;
  check(before > 0 && after === 0, `agreements not shared: ${before} before, ${after} after`);
  return `${result.jobs.length} batches; ${before} agreement(s) shared that were not`;
});

await step('a reseller creates and saves a quote through the Apex controllers, as its partner user', () => {
  const astrid = partnerUser('r-nordic');
  const lines = [{ productId: byExt('Product2', 'lic-analytics-std')!.Id, quantity: '12' }];
  const created = callApex(astrid, 'QuoteController.createQuote', {
    quote: { name: 'Org story', endCustomerId: byExt('Account', 'c-skargard')!.Id, currency: 'SEK', startDate: TODAY, lines },
  });
  check(created.ok, `createQuote: ${created.code} ${created.message}`);
  const quote = (created.value as { quote: { id: string; number: string; version: number; lines: { id: string }[] } }).quote;
  const saved = callApex(astrid, 'QuoteController.saveQuote', {
    quoteId: quote.id,
    version: quote.version,
    lines: [{ id: quote.lines[0]!.id, productId: lines[0]!.productId, quantity: '60', additionalDiscountPercent: '5' }],
  });
  check(saved.ok, `saveQuote: ${saved.code} ${saved.message}`);
  const value = saved.value as {
    quote: { version: number; customerTotal: string; number: string; distributorName: string; endCustomerName: string };
    pricing: unknown;
  };
  // The reseller reads the accounts it names (shared with it), so their names, not ids, come back.
  check(
    value.quote.endCustomerName === 'Skärgård Logistics AB' && value.quote.distributorName === 'Nordlys Distribution AB',
    `names: ${value.quote.endCustomerName} / ${value.quote.distributorName}`,
  );
  check(!JSON.stringify(saved.value).includes('"net'), 'a reseller never gets Net figures');
  const stale = callApex(astrid, 'QuoteController.saveQuote', { quoteId: quote.id, version: quote.version, lines: [] });
  check(!stale.ok && stale.code === 'CONFLICT', `a stale save must be CONFLICT, got ${stale.code}`);
  const highest = Math.max(
    ...org.records('Channel_Quote__c').map((q) => (q.Id === quote.id ? 0 : Number(String(q.Quote_Number__c).slice(2)))),
  );
  const expected = `Q-${String(highest + 1).padStart(5, '0')}`;
  check(value.quote.number === expected, `Apex numbers the quote ${value.quote.number}; the CLI's sequence says ${expected}`);
  storyQuote = { id: quote.id, number: value.quote.number, version: value.quote.version };
  return `${value.quote.number} saved at version ${value.quote.version}, customer total SEK ${value.quote.customerTotal}; a stale save is CONFLICT`;
});

await step('another reseller gets NOT_FOUND on that quote', () => {
  const jonas = partnerUser('r-dach');
  const r = callApex(jonas, 'QuoteController.getQuote', { quoteId: storyQuote.id });
  check(!r.ok && r.code === 'NOT_FOUND', `got ${r.ok ? 'the quote' : r.code}`);
  return 'NOT_FOUND';
});

await step('sf cpq logo -o ORG: the reseller\u2019s logo is the File the Apex quote document prints', async () => {
  const nordic = byExt('Account', 'r-nordic')!.Id as string;
  const astrid = partnerUser('r-nordic');
  /** The Files titled "Quote logo" linked to Fjord IT (the latest version of each). */
  const logoFiles = (): Row[] => {
    const documents = org
      .records('ContentDocumentLink')
      .filter((l) => l.LinkedEntityId === nordic)
      .map((l) => l.ContentDocumentId);
    return org
      .records('ContentVersion')
      .filter((v) => documents.includes(v.ContentDocumentId) && v.IsLatest === true && v.Title === 'Quote logo');
  };
  /* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return */
  const documentAs = (userId: string): { hasLogo: boolean; logoDataUri: string | null } => {
    const r = apexOrg.transaction(userId, () =>
      new apex.QuoteDocumentService(apex.CpqViewer.current()).templateData(storyQuote.id, null),
    );
    if (r.error) throw new Error(`templateData: ${String(r.error?.getMessage?.() ?? r.error)}`);
    return { hasLogo: r.value.hasLogo === true, logoDataUri: r.value.logoDataUri ?? null };
  };
  /* eslint-enable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return */
  // The demo seed gave Fjord IT its logo: a File on the account, on the document Astrid's quote prints.
  const seeded = documentAs(astrid);
  check(
    seeded.logoDataUri === `data:image/png;base64,${DEMO_LOGO_PNG_BASE64}` && logoFiles().length === 1,
    `the seeded logo: ${logoFiles().length} File(s), document logo ${seeded.logoDataUri?.slice(0, 40) ?? 'none'}`,
  );
  // Astrid replaces it with her own PNG (different bytes: the demo image and a trailing comment chunk's worth).
  const png = Buffer.concat([Buffer.from(DEMO_LOGO_PNG_BASE64, 'base64'), Buffer.from('fjord-2027')]);
  const dir = mkdtempSync(path.join(tmpdir(), 'org-story-logo-'));
  writeFileSync(path.join(dir, 'fjord.png'), png);
  const result: CpqLogoResult = await CpqLogo.run([
    '-o',
    username,
    '--as',
    astrid,
    '--file',
    path.join(dir, 'fjord.png'),
    '--json',
  ]);
  check(result.accountId === 'r-nordic' && result.logo?.bytes === png.length, `sf cpq logo: ${JSON.stringify(result)}`);
  check(logoFiles().length === 1, `exactly one File titled "Quote logo" on the account, found ${logoFiles().length}`);
  const replaced = documentAs(astrid);
  check(
    replaced.hasLogo && replaced.logoDataUri === `data:image/png;base64,${png.toString('base64')}`,
    'QuoteDocumentService.templateData prints the logo just set',
  );
  // Another reseller may not touch Fjord IT's logo.
  let refused = '';
  try {
    await CpqLogo.run(['-o', username, '--as', partnerUser('r-dach'), '--account', 'r-nordic', '--remove', '--json']);
  } catch (error) {
    refused = (error as Error).message;
  }
  check(refused.includes('does not exist or is not visible'), `another reseller removing it: ${refused || 'accepted'}`);
  check(documentAs(astrid).hasLogo, 'the logo is still there');
  return `one File titled "Quote logo" on r-nordic (${png.length} bytes); QuoteDocumentService.templateData prints it; another reseller is refused`;
});

await step('sf cpq quote price -o ORG: the prices Apex saved are the engine\u2019s', async () => {
  process.exitCode = undefined;
  const result = await CpqQuotePrice.run(['-o', username, '--quote-id', storyQuote.number, '--json']);
  check(result.matches && process.exitCode !== 1, `differences: ${JSON.stringify(result.differences)}`);
  return `${storyQuote.number}: stored and re-priced totals agree`;
});

await step(
  'a reseller registers a new company in Apex, its distributor approves, the converted quote earns the registered-deal bonus, and `sf cpq quote price` agrees',
  async () => {
    // The vendor grants a 5-point registered-deal bonus on Astrid's agreement with Nordlys (Partner_Agreement__c field).
    const agreement = byExt('Partner_Agreement__c', 'ag-r-nordic-d-emea')!;
    org.update('Partner_Agreement__c', agreement.Id as string, { Registered_Deal_Bonus_Percent__c: 5 });
    const astrid = partnerUser('r-nordic');
    const registered = callApex(astrid, 'DealRegistrationController.registerDeal', {
      registration: {
        distributorId: byExt('Account', 'd-emea')!.Id,
        endCustomer: { name: 'Vättern Fiske AB', country: 'se', region: 'EMEA' },
        families: [{ family: 'Licenses', estimatedQuantity: 20 }],
        estimatedValue: '250000.00',
        currencyCode: 'SEK',
        expectedCloseDate: '2027-01-31',
      },
    });
    check(registered.ok, `registerDeal: ${registered.code} ${registered.message}`);
    const deal = registered.value as { id: string; number: string; version: number; endCustomer: { id: string; name: string } };
    const accounts = org.records('Account').filter((a) => a.Dedupe_Key__c === 'SE:vattern fiske');
    check(
      accounts.length === 1 && accounts[0]!.Id === deal.endCustomer.id,
      'the new company is one account, the registration\u2019s',
    );
    const approved = callApex(partnerUser('d-emea'), 'DealRegistrationController.decideDeal', {
      dealId: deal.id,
      version: deal.version,
      decision: 'Approved',
      comment: 'go',
    });
    check(approved.ok, `decideDeal: ${approved.code} ${approved.message}`);
    const converted = callApex(astrid, 'DealRegistrationController.convertToQuote', {
      dealId: deal.id,
      version: (approved.value as { version: number }).version,
    });
    check(converted.ok, `convertToQuote: ${converted.code} ${converted.message}`);
    const quoteId = (converted.value as { quoteId: string }).quoteId;
    const opened = callApex(astrid, 'QuoteController.getQuote', { quoteId });
    check(opened.ok, `getQuote: ${opened.code} ${opened.message}`);
    const saved = callApex(astrid, 'QuoteController.saveQuote', {
      quoteId,
      version: (opened.value as { quote: { version: number } }).quote.version,
      lines: [{ productId: byExt('Product2', 'lic-analytics-std')!.Id, quantity: '20' }],
    });
    check(saved.ok, `saveQuote: ${saved.code} ${saved.message}`);
    const value = saved.value as {
      quote: { number: string };
      pricing: { lines: { partnerDiscount: { registeredDealId?: string; registeredDealBonusPercent?: string } }[] };
    };
    const trace = value.pricing.lines[0]!.partnerDiscount;
    check(
      trace.registeredDealId === deal.number && trace.registeredDealBonusPercent === '5',
      `Apex bonus trace: ${JSON.stringify(trace)}`,
    );
    process.exitCode = undefined;
    const result = await CpqQuotePrice.run(['-o', username, '--quote-id', value.quote.number, '--json']);
    check(result.matches && process.exitCode !== 1, `the CLI prices it otherwise: ${JSON.stringify(result.differences)}`);
    return `${deal.number} for ${deal.endCustomer.name} (a new account) -> ${value.quote.number}: +5 points on Licenses in Apex, and the CLI's re-pricing agrees`;
  },
);

await step('sf cpq orders place -o ORG: the demo\u2019s accepted quote', async () => {
  const accepted = org.records('Channel_Quote__c').find((q) => q.Status__c === 'Accepted')!;
  const before = org.records('Channel_Order__c').length;
  const result = await CpqOrdersPlace.run(['-o', username, '--quote-id', String(accepted.Quote_Number__c), '--json']);
  check(org.records('Channel_Order__c').length === before + 1, 'one order more');
  return `${String(accepted.Quote_Number__c)} -> order ${result.order.number}`;
});

for (const run of [1, 2]) {
  await step(`sf cpq renewals generate -o ORG (run ${run})`, async () => {
    const result = await CpqRenewalsGenerate.run(['-o', username, '--as-of', '2027-10-15', '--json']);
    check(run === 1 ? result.created >= 1 : result.created === 0, `created ${result.created}`);
    return `${result.contractsDue} contract(s) due, ${result.created} renewal quote(s) created`;
  });
}

restoreContext($$);
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
