/* global console, process */
// npm run apex:story: the partner story through the Apex controllers of force-app, run on Node by the Apex
// runtime (scripts/apex-org.mjs) against the fake org of the org-store tests, as the partner users of the
// portal tests' world (plugin/test/preview/fixtures.ts). The same steps run through the TypeScript controllers
// over a local SQLite store; every step must give the same figures, statuses and error codes on both sides
// (parity), and the figures named here are the portal tests' own (plugin/test/preview/quotes.test.ts).
// Each step prints the governor limits its Apex transaction used. Ends "N steps passed, 0 failed".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createControllers, invokeController, viewerOf } from '../plugin/src/preview/controllers.js';
import { hiddenKeyPaths, saveQuoteAnswerSchema } from '../plugin/src/preview/saveQuoteAnswer.js';
import { endCustomerKey, normalisedCompanyName, normalisedRegistrationNumber } from '../plugin/src/core/endCustomers.js';
import { generateRenewals } from '../plugin/src/services/renewals.js';
import { SqliteStore } from '../plugin/src/store/sqlite/sqliteStore.js';
import { REFERENCE, TODAY, USERS } from '../plugin/test/preview/fixtures.js';
import { seedOrg } from '../test/apex/world.js';
import { familyToSf } from '../plugin/src/store/org/mapping.js';
import { ApexOrg, fromPlain, loadClasses, rt, toPlain } from './apex-org.mjs';

const apex = await loadClasses();
const seeded = seedOrg(REFERENCE);
const org = new ApexOrg(seeded.org, apex, { today: TODAY });
const dir = mkdtempSync(path.join(tmpdir(), 'apex-story-'));
const store = SqliteStore.open(path.join(dir, 'cpq.db'));
await store.upsertReferenceData(REFERENCE);
const local = createControllers(store, () => TODAY);

// Records loaded by the CLI are not shared with the partners by it (docs/APEX.md, Sharing): as an org's admin
// would after `sf cpq deploy`, share the agreements and stock rows once with SharingService, as the vendor admin.
{
  const loaded = ['Partner_Agreement__c', 'Distributor_Inventory__c'].flatMap((type) =>
    seeded.org.records(type).map((r) => {
      const fields = type === 'Partner_Agreement__c' ? ['Partner__c', 'Seller__c'] : ['Distributor__c'];
      return rt.newSObject(type, [['Id', r.Id], ...fields.map((f) => [f, r[f]])]);
    }),
  );
  const r = org.transaction(seeded.userIds.get(USERS.vendor.id), () => apex.SharingService.share(new rt.ApexList(loaded)));
  if (r.error) throw r.error;
  console.log(`setup: SharingService.share over ${loaded.length} loaded agreements and stock rows (${r.usage.dmlRows} DML rows)`);
}

/** Apex: one transaction of the user calling Class.method with the named parameters (as Aura passes them). */
function callApex(user, target, params) {
  const [cls, method] = target.split('.');
  const meta = apex.$classes.get(cls);
  const names = meta.params[method];
  const args = names.map((n) => (params[n] === undefined ? null : toApexParam(params[n])));
  const r = org.transaction(seeded.userIds.get(USERS[user].id), () => apex[cls][method](...args));
  return { outcome: apexOutcome(r), usage: r.usage };
}
function toApexParam(v) {
  if (typeof v === 'number' && Number.isInteger(v)) return rt.int(v);
  return fromPlain(v);
}
function apexOutcome(r) {
  if (!r.error) return { ok: true, value: toPlain(r.value) };
  const e = r.error;
  if (e instanceof rt.AuraHandledException) {
    const body = JSON.parse(e.getMessage());
    return { ok: false, code: body.code, message: body.message, issues: body.issues.map((i) => i.path) };
  }
  return { ok: false, code: `UNCAUGHT ${e?.constructor?.name}`, message: String(e?.stack ?? e) };
}

/** TypeScript: the local portal's controller with the same parameters (the contracts name them as Apex does). */
async function callLocal(user, target, params) {
  const [cls, method] = target.split('.');
  const u = USERS[user];
  const body = { ...params };
  try {
    const value = await invokeController(local, cls, method, body, { user: u, viewer: viewerOf(u) });
    return { ok: true, value: JSON.parse(JSON.stringify(value ?? null)) };
  } catch (e) {
    const err = e;
    return { ok: false, code: err.code ?? 'INTERNAL', message: err.message, issues: (err.issues ?? []).map((i) => i.path) };
  }
}

const ids = { apex: {}, local: {} };
const versions = { apex: {}, local: {} };
const id = (side, key) => ids[side][key] ?? `missing-${key}`;
const account = (side, ext) => (side === 'apex' ? seeded.accountIds.get(ext) : ext);
const product = (side, ext) => (side === 'apex' ? seeded.org.records('Product2').find((p) => p.External_Id__c === ext).Id : ext);

/** A result without its record ids, numbers and timestamps (they differ between the two stores by nature). */
const stripIds = (v) => {
  if (Array.isArray(v)) return v.map(stripIds);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !/(^id$|Id$|Ids$|Number$|At$|^number$|^name$|Name$|^createdBy$|^placedBy$|By$)/.test(k))
        .map(([k, x]) => [k, stripIds(x)]),
    );
  return v;
};
const failure = (o) => ({ error: o.code });
const pick = (v, keys) => Object.fromEntries(keys.filter((k) => v && k in v).map((k) => [k, v[k]]));
const lineFigures = (p) =>
  (p?.lines ?? []).map((l) => ({
    customer: l.customer,
    partner: l.partner,
    net: l.net ?? null,
    approval: l.approvalRequired,
  }));
const quoteFacts = (o) =>
  o.ok
    ? {
        quote: pick(o.value.quote, ['status', 'version', 'currency', 'customerTotal', 'partnerTotal', 'netTotal', 'termMonths']),
        hasNet: 'netTotal' in (o.value.quote ?? {}),
        pricing: lineFigures(o.value.pricing),
        approvalRequired: o.value.pricing?.approvalRequired ?? null,
      }
    : failure(o);
/** QuoteController.saveQuote's slim answer: its figures, whether it keeps the contract, and any hidden key. */
const savedFacts = (o) =>
  o.ok
    ? {
        ...quoteFacts(o),
        contract: (saveQuoteAnswerSchema.safeParse(o.value).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`),
        hidden: hiddenKeyPaths(o.value),
        lineCount: o.value.quote?.lineIds?.length ?? null,
      }
    : failure(o);
const remember = (key) => (o, side) => {
  if (o.ok) {
    ids[side][key] = o.value.quote?.id ?? o.value.id;
    versions[side][key] = o.value.quote?.version ?? o.value.version;
  }
};
const expectEqual = (path, want) => (facts) => {
  const got = path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), facts);
  return isDeepStrictEqual(got, want) ? null : `${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
};
const all =
  (...checks) =>
  (f) =>
    checks.map((c) => c(f)).find((x) => x) ?? null;

const tampered = { customerUnit: '1.00', partnerUnit: '1.00', netUnit: '1.00', customerTotal: '10.00' };
const newQuote = (s, name, quantity) => ({
  quote: {
    name,
    endCustomerId: account(s, 'E1'),
    currency: 'USD',
    startDate: '2026-04-01',
    termMonths: 12,
    lines: [{ productId: product(s, 'LIC'), quantity, ...tampered }],
  },
});
const saveParams = (s, version, lineFields) => ({
  quoteId: id(s, 'quote'),
  version,
  name: 'Apex story',
  endCustomerId: account(s, 'E1'),
  startDate: '2026-04-01',
  termMonths: 12,
  lines: [{ id: id(s, 'line'), productId: product(s, 'LIC'), quantity: '10', ...tampered, ...lineFields }],
});
const rememberLine = (o, side) => {
  remember('quote')(o, side);
  if (o.ok) ids[side].line = o.value.quote.lines[0].id;
};
const statusFacts = (o) => (o.ok ? pick(o.value.quote ?? o.value, ['status', 'version']) : failure(o));
const orderFacts = (o) =>
  o.ok
    ? {
        ...pick(o.value, ['status', 'kind', 'currency', 'customerTotal', 'partnerTotal', 'netTotal']),
        lines: o.value.lines?.length,
      }
    : failure(o);

const steps = [
  ...['r1', 'd1', 'vendor'].map((user) => ({
    name: `${USERS[user].role} signs in: who the portal says it is`,
    user,
    target: 'SessionController.getCurrentUser',
    params: () => ({}),
    facts: (o) => (o.ok ? stripIds(o.value) : failure(o)),
  })),
  {
    name: 'reseller creates a quote; the prices it sends are ignored',
    user: 'r1',
    target: 'QuoteController.createQuote',
    params: (s) => newQuote(s, 'Apex story', '10'),
    facts: quoteFacts,
    expect: all(
      expectEqual('quote.status', 'Draft'),
      expectEqual('pricing.0.customer', { unit: '900.00', total: '9000.00' }),
      expectEqual('pricing.0.partner', { unit: '720.00', total: '7200.00' }),
      expectEqual('quote.customerTotal', '9000.00'),
      expectEqual('quote.partnerTotal', '7200.00'),
      expectEqual('hasNet', false),
    ),
    after: rememberLine,
  },
  {
    name: 'reseller saves it; tampered prices ignored again',
    user: 'r1',
    target: 'QuoteController.saveQuote',
    params: (s) => saveParams(s, versions[s].quote, {}),
    facts: savedFacts,
    // The slim answer (issue 14): the line's figures are those of version 1 (900.00 / 720.00), so it is left out.
    expect: all(
      expectEqual('quote.version', 2),
      expectEqual('pricing', []),
      expectEqual('lineCount', 1),
      expectEqual('quote.customerTotal', '9000.00'),
      expectEqual('quote.partnerTotal', '7200.00'),
      expectEqual('hasNet', false),
      expectEqual('contract', []),
      expectEqual('hidden', []),
    ),
    after: remember('quote'),
  },
  {
    name: 'a save of the stale version is refused',
    user: 'r1',
    target: 'QuoteController.saveQuote',
    params: (s) => saveParams(s, versions[s].quote - 1, { quantity: '12' }),
    facts: quoteFacts,
    expect: expectEqual('error', 'CONFLICT'),
  },
  {
    name: 'the distributor reads the quote, Net included',
    user: 'd1',
    target: 'QuoteController.getQuote',
    params: (s) => ({ quoteId: id(s, 'quote') }),
    facts: (o) => (o.ok ? { ...quoteFacts(o), full: stripIds(o.value) } : failure(o)),
    expect: all(expectEqual('quote.netTotal', '5040.00'), expectEqual('hasNet', true)),
  },
  {
    name: 'the reseller reads it: no Net anywhere',
    user: 'r1',
    target: 'QuoteController.getQuote',
    params: (s) => ({ quoteId: id(s, 'quote') }),
    facts: (o) => (o.ok ? { ...quoteFacts(o), full: stripIds(o.value) } : failure(o)),
    expect: expectEqual('hasNet', false),
  },
  {
    name: 'a save with a negative quantity names the field',
    user: 'r1',
    target: 'QuoteController.saveQuote',
    params: (s) => saveParams(s, versions[s].quote, { quantity: '-1' }),
    facts: (o) => (o.ok ? { saved: true } : { error: o.code, paths: o.issues }),
    expect: all(expectEqual('error', 'INVALID_INPUT'), expectEqual('paths', ['lines.0.quantity'])),
  },
  {
    name: 'a save of 2,001 lines is refused: 2,000 is the limit',
    user: 'r1',
    target: 'QuoteController.saveQuote',
    params: (s) => ({
      ...saveParams(s, versions[s].quote, {}),
      lines: Array.from({ length: 2001 }, () => ({ productId: product(s, 'LIC'), quantity: '1' })),
    }),
    // The message after the field: the prefix before it names the call differently on the two sides.
    facts: (o) =>
      o.ok ? { saved: true } : { error: o.code, paths: o.issues, says: o.message.slice(o.message.indexOf('lines: ')) },
    expect: all(
      expectEqual('error', 'INVALID_INPUT'),
      expectEqual('paths', ['lines']),
      expectEqual('says', 'lines: holds 2001 lines: a quote may hold at most 2000 lines; split it into several quotes'),
    ),
  },
  {
    name: 'a reseller may not choose the channel mode of its quote',
    user: 'r1',
    target: 'QuoteController.createQuote',
    params: (s) => ({ quote: { ...newQuote(s, 'offList', '1').quote, channelMode: 'offList' } }),
    facts: (o) => (o.ok ? { created: true } : { error: o.code, paths: o.issues }),
    expect: all(expectEqual('error', 'INVALID_INPUT'), expectEqual('paths', ['quote.channelMode'])),
  },
  {
    name: 'nor quote through a distributor it holds no agreement with',
    user: 'r1',
    target: 'QuoteController.createQuote',
    params: (s) => ({ quote: { ...newQuote(s, 'via D2', '1').quote, distributorId: account(s, 'D2') } }),
    facts: (o) => (o.ok ? { created: true } : { error: o.code, paths: o.issues }),
    expect: all(expectEqual('error', 'INVALID_INPUT'), expectEqual('paths', ['quote.distributorId'])),
  },
  {
    name: 'a quote discount of 10 % prices the line without a discount of its own (PRICING-NOTES, Quote discount)',
    user: 'r1',
    target: 'QuoteController.createQuote',
    params: (s) => ({ quote: { ...newQuote(s, 'quote discount', '10').quote, additionalDiscountPercent: '10' } }),
    facts: (o) =>
      o.ok
        ? {
            ...quoteFacts(o),
            quoteDiscount: o.value.quote.additionalDiscountPercent ?? null,
            additional: o.value.pricing.lines.map((l) => [
              l.additionalDiscount?.percent ?? null,
              l.additionalDiscount?.fromQuote ?? false,
            ]),
          }
        : failure(o),
    // Regular 900.00 less 10 % = 810.00; Partner 20 % of it = 648.00 (the sequential waterfall).
    expect: all(
      expectEqual('pricing.0.customer', { unit: '810.00', total: '8100.00' }),
      expectEqual('pricing.0.partner', { unit: '648.00', total: '6480.00' }),
      expectEqual('quoteDiscount', '10'),
      expectEqual('additional', [['10', true]]),
      expectEqual('hasNet', false),
    ),
  },
  {
    name: 'a quote discount above 100 % names the field',
    user: 'r1',
    target: 'QuoteController.saveQuote',
    params: (s) => ({ ...saveParams(s, versions[s].quote, {}), additionalDiscountPercent: '101' }),
    facts: (o) => (o.ok ? { saved: true } : { error: o.code, paths: o.issues }),
    expect: all(expectEqual('error', 'INVALID_INPUT'), expectEqual('paths', ['additionalDiscountPercent'])),
  },
  {
    name: 'a distributor may not create quotes',
    user: 'd1',
    target: 'QuoteController.createQuote',
    params: (s) => newQuote(s, 'not mine', '1'),
    facts: (o) => (o.ok ? { created: true } : failure(o)),
    expect: expectEqual('error', 'FORBIDDEN'),
  },
  {
    name: 'reseller gives 20 % additional discount, over its 15 % cap',
    user: 'r1',
    target: 'QuoteController.saveQuote',
    params: (s) => saveParams(s, versions[s].quote, { additionalDiscountPercent: '20' }),
    facts: savedFacts,
    expect: all(
      expectEqual('approvalRequired', true),
      expectEqual('quote.version', 3),
      expectEqual('pricing.0.approval', true),
      expectEqual('contract', []),
      expectEqual('hidden', []),
    ),
    after: remember('quote'),
  },
  {
    name: 'reseller submits it for approval',
    user: 'r1',
    target: 'QuoteController.submitForApproval',
    params: (s) => ({ quoteId: id(s, 'quote'), version: versions[s].quote, comment: 'Strategic customer' }),
    facts: statusFacts,
    expect: expectEqual('status', 'NeedsApproval'),
    after: remember('quote'),
  },
  {
    name: 'distributor approves it',
    user: 'd1',
    target: 'ApprovalController.decide',
    params: (s) => ({ quoteId: id(s, 'quote'), version: versions[s].quote, decision: 'approve', comment: 'ok' }),
    facts: statusFacts,
    expect: expectEqual('status', 'Approved'),
    after: remember('quote'),
  },
  {
    name: 'reseller accepts it',
    user: 'r1',
    target: 'QuoteController.acceptQuote',
    params: (s) => ({ quoteId: id(s, 'quote'), version: versions[s].quote }),
    facts: quoteFacts,
    expect: all(expectEqual('quote.status', 'Accepted'), expectEqual('hasNet', false)),
    after: remember('quote'),
  },
  {
    name: 'reseller requests the order',
    user: 'r1',
    target: 'OrderController.requestOrder',
    params: (s) => ({ quoteId: id(s, 'quote'), version: versions[s].quote, comment: 'please order' }),
    facts: statusFacts,
    expect: expectEqual('status', 'Accepted'),
    after: remember('quote'),
  },
  {
    name: 'reseller creates a quote for 600, more than the distributor stocks (500)',
    user: 'r1',
    target: 'QuoteController.createQuote',
    params: (s) => newQuote(s, 'Too many', '600'),
    facts: quoteFacts,
    after: remember('big'),
  },
  {
    name: 'reseller accepts the 600 quote',
    user: 'r1',
    target: 'QuoteController.acceptQuote',
    params: (s) => ({ quoteId: id(s, 'big'), version: versions[s].big }),
    facts: statusFacts,
    expect: expectEqual('status', 'Accepted'),
  },
  {
    name: 'distributor cannot place it: stock short',
    user: 'd1',
    target: 'OrderController.placeOrder',
    params: (s) => ({ quoteId: id(s, 'big') }),
    facts: orderFacts,
    expect: expectEqual('error', 'INSUFFICIENT_STOCK'),
  },
  {
    name: 'distributor places the story quote from stock',
    user: 'd1',
    target: 'OrderController.placeOrder',
    params: (s) => ({ quoteId: id(s, 'quote') }),
    facts: orderFacts,
    expect: expectEqual('status', 'Placed'),
    after: (o, side) => {
      if (o.ok) ids[side].order = o.value.id;
    },
  },
  {
    name: 'distributor activates the order: the contract is created',
    user: 'd1',
    target: 'OrderController.activateOrder',
    params: (s) => ({ orderId: id(s, 'order') }),
    facts: orderFacts,
    expect: expectEqual('status', 'Activated'),
  },
  {
    name: 'reseller sees the contract',
    user: 'r1',
    target: 'RenewalController.listContracts',
    params: () => ({}),
    facts: (o) =>
      o.ok
        ? o.value.map((c) => pick(c, ['status', 'startDate', 'endDate', 'termMonths', 'currency', 'customerTotal']))
        : failure(o),
    expect: expectEqual('0.endDate', '2027-03-31'),
    after: (o, side) => {
      if (o.ok && o.value[0]) ids[side].contract = o.value[0].id;
    },
  },
  {
    name: 'the distributor lists its orders',
    user: 'd1',
    target: 'OrderController.listOrders',
    params: () => ({}),
    facts: (o) => (o.ok ? o.value.map((x) => stripIds(x)) : failure(o)),
  },
  {
    name: "the distributor's channel dashboard",
    user: 'd1',
    target: 'DashboardController.getChannelDashboard',
    params: () => ({ months: 12, currencyCode: 'USD' }),
    facts: (o) => (o.ok ? stripIds(o.value) : failure(o)),
  },
  {
    name: "the reseller's own scorecard (no Net figure)",
    user: 'r1',
    target: 'DashboardController.getPartnerScorecard',
    params: () => ({ months: 12, currencyCode: 'USD' }),
    facts: (o) => (o.ok ? stripIds(o.value) : failure(o)),
    expect: (f) =>
      JSON.stringify(f).includes('netTotal') || 'distributorMargin' in f ? 'a Net figure reached the reseller' : null,
  },
  {
    name: "the distributor's scorecard of its reseller, over explicit dates",
    user: 'd1',
    target: 'DashboardController.getPartnerScorecard',
    params: (s) => ({ partnerId: account(s, 'R1'), fromDate: '2026-01-01', toDate: '2026-03-01' }),
    facts: (o) => (o.ok ? stripIds(o.value) : failure(o)),
  },
  {
    name: "another reseller's scorecard is NOT_FOUND",
    user: 'r2',
    target: 'DashboardController.getPartnerScorecard',
    params: (s) => ({ partnerId: account(s, 'R1') }),
    facts: (o) => (o.ok ? { read: true } : { error: o.code }),
    expect: expectEqual('error', 'NOT_FOUND'),
  },
  {
    name: 'a period ending before it starts names fromDate',
    user: 'd1',
    target: 'DashboardController.getChannelDashboard',
    params: () => ({ fromDate: '2026-02-01', toDate: '2026-01-31' }),
    facts: (o) => (o.ok ? { read: true } : { error: o.code, paths: o.issues }),
    expect: all(expectEqual('error', 'INVALID_INPUT'), expectEqual('paths', ['fromDate'])),
  },
  {
    name: "the reseller's agreement standing",
    user: 'r1',
    target: 'AgreementController.getAgreementStanding',
    params: () => ({}),
    facts: (o) => (o.ok ? stripIds(o.value) : failure(o)),
  },
  {
    name: 'a stock purchase of 2,001 lines is refused',
    user: 'd1',
    target: 'OrderController.replenish',
    params: (s) => ({
      currencyCode: 'USD',
      lines: Array.from({ length: 2001 }, () => ({ productId: product(s, 'LIC'), quantity: '1' })),
    }),
    facts: (o) => (o.ok ? { placed: true } : { error: o.code, paths: o.issues }),
    expect: all(expectEqual('error', 'INVALID_INPUT'), expectEqual('paths', ['lines'])),
  },
  {
    name: 'the distributor buys 20 licences of stock at Net',
    user: 'd1',
    target: 'OrderController.replenish',
    params: (s) => ({ currencyCode: 'USD', lines: [{ productId: product(s, 'LIC'), quantity: '20' }] }),
    facts: orderFacts,
    expect: expectEqual('kind', 'replenishment'),
  },
  {
    name: 'its stock after the sale and the purchase',
    user: 'd1',
    target: 'OrderController.listInventory',
    params: () => ({}),
    facts: (o) => (o.ok ? stripIds(o.value) : failure(o)),
  },
  {
    name: 'the vendor admin lists every quote',
    user: 'vendor',
    target: 'QuoteController.listQuotes',
    params: () => ({}),
    facts: (o) => (o.ok ? stripIds(o.value) : failure(o)),
  },
  {
    name: "the vendor's channel dashboard",
    user: 'vendor',
    target: 'DashboardController.getChannelDashboard',
    params: () => ({ months: 12, currencyCode: 'USD' }),
    facts: (o) => (o.ok ? stripIds(o.value) : failure(o)),
  },
  renewalRun('RenewalJob as of 2027-01-15 creates the renewal quote', 1),
  {
    name: "the reseller's bell tells of its renewal quote",
    user: 'r1',
    target: 'NotificationController.listNotifications',
    params: () => ({ unreadOnly: false }),
    facts: (o) =>
      o.ok
        ? o.value.notifications
            .filter((n) => n.kind === 'renewalCreated')
            .map((n) => ({ kind: n.kind, recordType: n.recordType, title: maskQuote(n.title), body: n.body }))
        : failure(o),
    expect: (f) => (Array.isArray(f) && f.length === 1 ? null : `expected one renewal notification, got ${JSON.stringify(f)}`),
  },
  renewalDelivery('and is pushed and emailed to its users only', ['rita@r1.example']),
  renewalRun('RenewalJob run again creates nothing', 0),
  {
    name: 'reseller sees one renewal quote',
    user: 'r1',
    target: 'RenewalController.listRenewalQuotes',
    params: () => ({}),
    facts: (o) =>
      o.ok ? o.value.map((q) => pick(q, ['status', 'startDate', 'termMonths', 'customerTotal', 'partnerTotal'])) : failure(o),
    expect: all(expectEqual('length', 1), expectEqual('0.startDate', '2027-04-01')),
    after: (o, side) => {
      if (o.ok && o.value[0]) {
        ids[side].renewal = o.value[0].id;
        versions[side].renewal = o.value[0].version;
      }
    },
  },
  {
    name: 'a reseller may not override the channel mode of its quote',
    user: 'r1',
    target: 'QuoteController.setChannelMode',
    params: (s) => ({ quoteId: id(s, 'renewal'), version: versions[s].renewal, channelMode: 'offList' }),
    facts: (o) => (o.ok ? { changed: true } : { error: o.code }),
    expect: expectEqual('error', 'FORBIDDEN'),
  },
  {
    name: 'the vendor admin sets the renewal quote to offList: recorded, repriced',
    user: 'vendor',
    target: 'QuoteController.setChannelMode',
    params: (s) => ({ quoteId: id(s, 'renewal'), version: versions[s].renewal, channelMode: 'offList' }),
    facts: (o) =>
      o.ok
        ? {
            ...quoteFacts(o),
            channelMode: o.value.quote.channelMode,
            mode: o.value.pricing.channelMode,
            setByName: o.value.quote.channelModeSetByName,
          }
        : failure(o),
    expect: all(expectEqual('channelMode', 'offList'), expectEqual('mode', 'offList'), expectEqual('setByName', 'Val Vendor')),
  },
  ...[
    ['QuoteController.getQuote', 'story quote', (s) => ({ quoteId: id(s, 'quote') })],
    ['QuoteController.saveQuote', 'story quote', (s) => saveParams(s, versions[s].quote, {})],
    ['QuoteController.acceptQuote', '600 quote', (s) => ({ quoteId: id(s, 'big'), version: versions[s].big })],
    ['QuoteController.cloneQuote', 'story quote', (s) => ({ quoteId: id(s, 'quote') })],
    ['QuoteController.deleteQuote', '600 quote', (s) => ({ quoteId: id(s, 'big'), version: versions[s].big })],
    ['QuoteController.getPricingContext', 'story quote', (s) => ({ quoteId: id(s, 'quote') })],
    ['QuoteController.getQuote', 'renewal quote', (s) => ({ quoteId: id(s, 'renewal') })],
    ['OrderController.getOrder', 'order', (s) => ({ orderId: id(s, 'order') })],
  ].map(([target, record, params]) => ({
    name: `another reseller: ${target.split('.')[1]} of the first's ${record} is NOT_FOUND`,
    user: 'r2',
    target,
    params,
    facts: (o) => (o.ok ? { leaked: true } : failure(o)),
    expect: expectEqual('error', 'NOT_FOUND'),
  })),
  ...[
    ['QuoteController.listQuotes', 'quotes'],
    ['RenewalController.listRenewalQuotes', 'renewal quotes'],
    ['RenewalController.listContracts', 'contracts'],
    ['OrderController.listOrders', 'orders'],
  ].map(([target, what]) => ({
    name: `another reseller: none of the first's ${what} in its list`,
    user: 'r2',
    target,
    params: () => ({}),
    facts: (o, side) => (o.ok ? { leaked: o.value.filter((x) => Object.values(ids[side]).includes(x.id)).length } : failure(o)),
    expect: expectEqual('leaked', 0),
  })),
  // End customers: each partner lists those its records name or it added; one company is one account.
  endCustomerList("another reseller: none of the first's end customers in its list", 'r2', []),
  endCustomerList('reseller lists the end customers it quotes', 'r1', ['Acme & Sons']),
  {
    ...endCustomerAdd(
      'another reseller adds a new end customer',
      'r2',
      { name: 'Initech Svenska AB', country: 'se', registrationNumber: '556012-5790' },
      { created: true, name: 'Initech Svenska AB', country: 'SE' },
    ),
    // Both resellers see it once the first adds the same company: the deal registration steps claim it.
    after: (o, side) => {
      if (o.ok) ids[side].sharedCustomer = o.value.endCustomer.id;
    },
  },
  endCustomerAdd(
    'reseller adds the same company: found, not added',
    'r1',
    { name: '  INITECH svenska, ab ', country: 'SE' },
    { created: false, name: 'Initech Svenska AB', country: 'SE' },
  ),
  endCustomerAdd(
    'the same registration number is the same company',
    'r1',
    { name: 'Initech Norge', country: 'NO', registrationNumber: '5560125790' },
    { created: false, name: 'Initech Svenska AB', country: 'SE' },
  ),
  endCustomerList('reseller now lists it', 'r1', ['Acme & Sons', 'Initech Svenska AB']),
  endCustomerList('the vendor admin lists every end customer', 'vendor', ['Acme & Sons', 'Globex', 'Initech Svenska AB']),
  {
    name: 'an end customer with a country that is not a code names the field',
    user: 'r1',
    target: 'QuoteController.createEndCustomer',
    params: () => ({ endCustomer: { name: 'Umbrella', country: 'Sweden' } }),
    facts: (o) => (o.ok ? { added: true } : { error: o.code, paths: o.issues }),
    expect: all(expectEqual('error', 'INVALID_INPUT'), expectEqual('paths', ['endCustomer.country'])),
  },
  {
    name: 'a distributor may not add end customers',
    user: 'd1',
    target: 'QuoteController.createEndCustomer',
    params: () => ({ endCustomer: { name: 'Umbrella', country: 'SE' } }),
    facts: (o) => (o.ok ? { added: true } : failure(o)),
    expect: expectEqual('error', 'FORBIDDEN'),
  },
  // Reseller orders with auto-fulfil and a credit limit (docs/ORDERS.md): R2 buys LIC from D1 at 15 % off,
  // 850.00 a licence (1 to 10 licences: no volume discount).
  {
    name: 'distributor switches on auto-fulfil for its reseller, credit limit 2000.00',
    user: 'd1',
    target: 'AgreementController.setOrderTerms',
    params: (s) => ({ resellerId: account(s, 'R2'), autoFulfil: true, creditLimit: '2000' }),
    facts: termsFacts,
    expect: all(expectEqual('creditLimit', '2000.00'), expectEqual('openOrderValue', '0.00')),
  },
  {
    name: 'another distributor cannot set terms for that reseller',
    user: 'd2',
    target: 'AgreementController.setOrderTerms',
    params: (s) => ({ resellerId: account(s, 'R2'), autoFulfil: false }),
    facts: termsFacts,
    expect: expectEqual('error', 'NOT_FOUND'),
  },
  {
    name: 'a negative credit limit names the field',
    user: 'd1',
    target: 'AgreementController.setOrderTerms',
    params: (s) => ({ resellerId: account(s, 'R2'), autoFulfil: true, creditLimit: '-1' }),
    facts: (o) => (o.ok ? termsFacts(o) : { error: o.code, paths: o.issues }),
    expect: all(expectEqual('error', 'INVALID_INPUT'), expectEqual('paths', ['creditLimit'])),
  },
  {
    name: 'the reseller reads its own order terms',
    user: 'r2',
    target: 'AgreementController.listOrderTerms',
    params: () => ({}),
    facts: (o) => (o.ok ? o.value.map((t) => termsFacts({ ok: true, value: t })) : failure(o)),
    expect: expectEqual('0.autoFulfil', true),
  },
  ...autoFulfilOrder('1', 'auto1'),
  {
    name: 'the reseller orders the 1-licence quote: placed at once (850.00 within 2000.00)',
    user: 'r2',
    target: 'OrderController.submitOrder',
    params: (s) => ({ quoteId: id(s, 'auto1'), version: versions[s].auto1 }),
    facts: submitFacts,
    expect: all(expectEqual('outcome', 'placed'), expectEqual('order.partnerTotal', '850.00')),
  },
  ...autoFulfilOrder('2', 'auto2'),
  {
    name: 'the reseller orders the 2-licence quote: an order request, 550.00 over the limit',
    user: 'r2',
    target: 'OrderController.submitOrder',
    params: (s) => ({ quoteId: id(s, 'auto2'), version: versions[s].auto2, comment: 'over the limit' }),
    facts: submitFacts,
    expect: all(
      expectEqual('outcome', 'requested'),
      expectEqual('reasons', [
        'credit limit 2000.00 USD exceeded by 550.00 USD (open orders 850.00 USD + this order 1700.00 USD)',
      ]),
    ),
  },
  // Deal registration (docs/DEALS.md): the same answers and error codes in Apex and locally.
  {
    name: 'the reseller registers a deal for its end customer',
    user: 'r1',
    target: 'DealRegistrationController.registerDeal',
    params: (s) => ({ registration: dealRegistration(s) }),
    facts: dealFacts,
    expect: all(expectEqual('status', 'Submitted'), expectEqual('number', 'DR-00001')),
    after: remember('deal'),
  },
  {
    name: 'another reseller registering the same customer and family: DEAL_CONFLICT, the holder unnamed',
    user: 'r2',
    target: 'DealRegistrationController.registerDeal',
    params: (s) => ({ registration: dealRegistration(s) }),
    facts: (o) => (o.ok ? { registered: true } : { error: o.code, namesHolder: /DR-00001|R1|Reseller One/.test(o.message) }),
    expect: all(expectEqual('error', 'DEAL_CONFLICT'), expectEqual('namesHolder', false)),
  },
  {
    name: 'another distributor deciding the registration: NOT_FOUND',
    user: 'd2',
    target: 'DealRegistrationController.decideDeal',
    params: (s) => ({ dealId: id(s, 'deal'), version: versions[s].deal, decision: 'Approved' }),
    facts: (o) => (o.ok ? { decided: true } : failure(o)),
    expect: expectEqual('error', 'NOT_FOUND'),
  },
  {
    name: 'another reseller lists no registration',
    user: 'r2',
    target: 'DealRegistrationController.listDeals',
    params: () => ({}),
    facts: (o) => (o.ok ? { count: o.value.length } : failure(o)),
    expect: expectEqual('count', 0),
  },
  {
    name: 'its distributor approves: 90 days of protection',
    user: 'd1',
    target: 'DealRegistrationController.decideDeal',
    params: (s) => ({ dealId: id(s, 'deal'), version: versions[s].deal, decision: 'Approved', comment: 'go' }),
    facts: dealFacts,
    expect: all(expectEqual('status', 'Approved'), expectEqual('protectionDaysLeft', 90)),
    after: remember('deal'),
  },
  // A new end customer typed on the registration (CHANNEL.md): de-duplicated by the same rules on both sides.
  normalisationParity(),
  {
    name: 'another reseller registers a new company typed on the form: added with the registration',
    user: 'r2',
    target: 'DealRegistrationController.registerDeal',
    params: (s) => ({ registration: typedRegistration(s, { name: 'Skärgård Logistik AB', country: 'se', region: 'Norr' }) }),
    facts: (o) =>
      o.ok ? { ...dealFacts(o), endCustomer: pick(o.value.endCustomer, ['name', 'country', 'region']) } : failure(o),
    expect: all(
      expectEqual('status', 'Submitted'),
      expectEqual('endCustomer', { name: 'Skärgård Logistik AB', country: 'SE', region: 'Norr' }),
    ),
  },
  {
    name: 'the same company typed otherwise by the first reseller is that account: DEAL_CONFLICT, the holder unnamed',
    user: 'r1',
    target: 'DealRegistrationController.registerDeal',
    params: (s) => ({ registration: typedRegistration(s, { name: '  SKARGARD logistik, ab. ', country: 'SE' }) }),
    facts: (o) => (o.ok ? { registered: true } : { error: o.code, namesHolder: /DR-0000|R2|Reseller Two/.test(o.message) }),
    expect: all(expectEqual('error', 'DEAL_CONFLICT'), expectEqual('namesHolder', false)),
  },
  {
    name: "a refused registration adds no account and shares none: not in the first reseller's end customers",
    user: 'r1',
    target: 'QuoteController.listEndCustomers',
    params: () => ({}),
    facts: (o) => (o.ok ? { names: o.value.map((c) => c.name).filter((n) => /rg/.test(n)) } : failure(o)),
    expect: expectEqual('names', []),
  },
  {
    name: 'both an end customer id and a typed company: the field is named',
    user: 'r1',
    target: 'DealRegistrationController.registerDeal',
    params: (s) => ({
      registration: { ...typedRegistration(s, { name: 'Umbrella', country: 'SE' }), endCustomerId: id(s, 'sharedCustomer') },
    }),
    facts: (o) => (o.ok ? { registered: true } : { error: o.code, paths: o.issues }),
    expect: all(expectEqual('error', 'INVALID_INPUT'), expectEqual('paths', ['registration.endCustomerId'])),
  },
  {
    name: 'a typed company whose country is not a code: the field is named',
    user: 'r1',
    target: 'DealRegistrationController.registerDeal',
    params: (s) => ({ registration: typedRegistration(s, { name: 'Umbrella', country: 'Sweden' }) }),
    facts: (o) => (o.ok ? { registered: true } : { error: o.code, paths: o.issues }),
    expect: all(expectEqual('error', 'INVALID_INPUT'), expectEqual('paths', ['registration.endCustomer.country'])),
  },
  {
    name: 'a family the catalog does not have: the field is named under the parameter',
    user: 'r1',
    target: 'DealRegistrationController.registerDeal',
    params: (s) => ({
      registration: {
        ...typedRegistration(s, { name: 'Umbrella', country: 'SE' }),
        families: [{ family: 'Hardware', estimatedQuantity: 1 }],
      },
    }),
    facts: (o) => (o.ok ? { registered: true } : { error: o.code, paths: o.issues }),
    expect: all(expectEqual('error', 'INVALID_INPUT'), expectEqual('paths', ['registration.families.0.family'])),
  },
  ...channelConflictSteps(),
];

/** A registration of a company typed on the form, through D1, for Licenses. */
function typedRegistration(s, endCustomer) {
  const registration = { ...dealRegistration(s), endCustomer };
  delete registration.endCustomerId;
  return registration;
}

/**
 * The company-name normalisation of EndCustomerService (Apex) and core/endCustomers.ts (TypeScript) on names meant
 * to trip one of them: accents, ligatures, case, spacing, punctuation, legal forms first or last, digits, scripts
 * the fold table does not cover; and the keys and registration numbers built from them.
 */
function normalisationParity() {
  const names = [
    'Acme AB',
    'ACME',
    'acme',
    'AB Acme',
    'Acme, Inc.',
    'Acme Inc',
    'A.C.M.E. GmbH',
    'Acme  &  Co',
    '  acme\tltd ',
    'Skärgård Logistik AB',
    'SKARGARD   logistik, ab.',
    'Æble & Co.',
    'Łódź Straße Ltd',
    'Œuvre Þórs',
    'Ça Va SARL',
    'Société Générale S.A.',
    'Müller-Lüdenscheidt GmbH & Co. KG',
    'Ltd',
    'AB',
    'Inc. Ltd',
    '3M',
    'Foo-Bar_Baz',
    'Ïñtërnâtiônàlizætiøn Oyj',
    'ĞİŞ Holding',
    'Яндекс',
    '東京 株式会社',
    '',
  ];
  const numbers = ['556012-5790', ' 556012 5790 ', 'fi-1234567-8', 'DE 123.456.789', '', 'ß-1'];
  const tsFacts = () => ({
    names: names.map((n) => normalisedCompanyName(n)),
    keys: names.map((n) => endCustomerKey({ name: n, country: 'se' }) ?? null),
    numbers: numbers.map((n) => normalisedRegistrationNumber(n)),
  });
  return {
    name: `company names normalise alike in Apex and TypeScript (${names.length} names, ${numbers.length} numbers)`,
    user: 'vendor',
    target: 'EndCustomerService',
    params: () => ({}),
    custom: {
      apex: () => {
        const S = apex.EndCustomerService;
        const r = org.transaction(seeded.userIds.get(USERS.vendor.id), () => ({
          names: names.map((n) => toPlain(S.normalisedCompanyName(n))),
          keys: names.map((n) => toPlain(S.dedupeKey('se', n))),
          numbers: numbers.map((n) => toPlain(S.normalisedRegistrationNumber(n))),
        }));
        return { outcome: r.error ? apexOutcome(r) : { ok: true, value: r.value }, usage: r.usage };
      },
      local: async () => ({ ok: true, value: tsFacts() }),
    },
    facts: (o) => (o.ok ? o.value : failure(o)),
    expect: (f) => {
      const want = tsFacts();
      const apexMisses = ['names', 'keys', 'numbers'].flatMap((k) =>
        (want[k] ?? []).flatMap((w, i) =>
          f[k]?.[i] === w ? [] : [`${k}[${i}]: apex ${JSON.stringify(f[k]?.[i])}, core ${JSON.stringify(w)}`],
        ),
      );
      const sameCompany = want.keys[0] === want.keys[1] && want.keys[9] === want.keys[10] ? [] : ['"Acme AB" and "ACME" differ'];
      return [...apexMisses, ...sameCompany].join('; ') || null;
    },
  };
}

/**
 * Channel conflict (CHANNEL.md, docs/DEALS.md): R2's quote for the customer R1 registered carries CHANNEL_CONFLICT
 * on its Licenses line without naming the holder, cannot be accepted, waits for the vendor alone, and is accepted
 * once the vendor approves; R1's own quote has no conflict. The same facts in Apex and locally.
 */
function channelConflictSteps() {
  const namesHolder = (v) => /DR-00001|Reseller One|Rita One|"R1"/.test(JSON.stringify(v));
  const conflictFacts = (o) =>
    o.ok
      ? {
          status: o.value.quote.status,
          warnings: o.value.pricing.lines.map((l) => l.warnings.map((w) => `${w.code}: ${w.message}`)),
          lineVendorApproval: o.value.pricing.lines.map((l) => l.vendorApprovalRequired),
          vendorApprovalRequired: o.value.pricing.vendorApprovalRequired,
          approvalRequired: o.value.pricing.approvalRequired,
          namesHolder: namesHolder(o.value),
        }
      : failure(o);
  const conflictQuote = (s) => ({
    quote: {
      name: 'Conflict',
      endCustomerId: id(s, 'sharedCustomer'),
      currency: 'USD',
      startDate: '2026-04-01',
      lines: [{ productId: product(s, 'LIC'), quantity: '2' }],
    },
  });
  const conflictWarning =
    'CHANNEL_CONFLICT: another partner has registered this end customer for Licenses: the vendor must approve';
  return [
    {
      name: "another reseller's quote for the registered customer: CHANNEL_CONFLICT on the line, the holder unnamed",
      user: 'r2',
      target: 'QuoteController.createQuote',
      params: conflictQuote,
      facts: conflictFacts,
      expect: all(
        expectEqual('warnings', [[conflictWarning]]),
        expectEqual('vendorApprovalRequired', true),
        expectEqual('approvalRequired', false),
        expectEqual('namesHolder', false),
      ),
      after: remember('conflict'),
    },
    {
      name: "its editor's pricing context carries the family only",
      user: 'r2',
      target: 'QuoteController.getPricingContext',
      params: (s) => ({ quoteId: id(s, 'conflict') }),
      facts: (o) =>
        o.ok
          ? { families: o.value.scenario.quote.channelConflictFamilies ?? null, namesHolder: namesHolder(o.value) }
          : failure(o),
      expect: all(expectEqual('families', ['Licenses']), expectEqual('namesHolder', false)),
    },
    {
      name: 'accepting it before the vendor approves: NOT_ACCEPTABLE, the holder unnamed',
      user: 'r2',
      target: 'QuoteController.acceptQuote',
      params: (s) => ({ quoteId: id(s, 'conflict'), version: versions[s].conflict }),
      facts: (o) =>
        o.ok
          ? { accepted: true }
          : // Line ids differ between the stores by nature.
            { error: o.code, message: o.message.replace(/line \S+:/g, 'line …:'), namesHolder: namesHolder(o.message) },
      expect: all(expectEqual('error', 'NOT_ACCEPTABLE'), expectEqual('namesHolder', false)),
    },
    {
      name: 'the reseller submits it: the vendor decides alone',
      user: 'r2',
      target: 'QuoteController.submitForApproval',
      params: (s) => ({ quoteId: id(s, 'conflict'), version: versions[s].conflict, comment: 'The customer asked us' }),
      facts: (o) => (o.ok ? { ...statusFacts(o), levels: o.value.approvals.map((a) => `${a.level} ${a.status}`) } : failure(o)),
      expect: all(expectEqual('status', 'NeedsApproval'), expectEqual('levels', ['Vendor Pending'])),
      after: remember('conflict'),
    },
    {
      name: 'the distributor cannot approve the conflict away: FORBIDDEN',
      user: 'd1',
      target: 'ApprovalController.decide',
      params: (s) => ({ quoteId: id(s, 'conflict'), version: versions[s].conflict, decision: 'approve', comment: 'fine' }),
      facts: (o) => (o.ok ? { decided: true } : failure(o)),
      expect: expectEqual('error', 'FORBIDDEN'),
    },
    {
      name: "the vendor's inbox names the registration that protects the customer",
      user: 'vendor',
      target: 'ApprovalController.listPendingApprovals',
      params: () => ({}),
      facts: (o, side) =>
        o.ok ? { conflicts: o.value.find((p) => p.quote.id === id(side, 'conflict'))?.channelConflicts ?? null } : failure(o),
      expect: expectEqual('conflicts', [
        { registrationNumber: 'DR-00001', resellerName: 'Reseller One', families: ['Licenses'], protectedUntil: '2026-05-29' },
      ]),
    },
    {
      name: 'the vendor approves it',
      user: 'vendor',
      target: 'ApprovalController.decide',
      params: (s) => ({
        quoteId: id(s, 'conflict'),
        version: versions[s].conflict,
        decision: 'approve',
        comment: 'R2 has served them for years',
      }),
      facts: statusFacts,
      expect: expectEqual('status', 'Approved'),
      after: remember('conflict'),
    },
    {
      name: 'the reseller accepts it now',
      user: 'r2',
      target: 'QuoteController.acceptQuote',
      params: (s) => ({ quoteId: id(s, 'conflict'), version: versions[s].conflict }),
      facts: statusFacts,
      expect: expectEqual('status', 'Accepted'),
    },
    {
      name: "the holder's own quote for the customer has no conflict",
      user: 'r1',
      target: 'QuoteController.createQuote',
      params: conflictQuote,
      facts: conflictFacts,
      expect: all(expectEqual('warnings', [[]]), expectEqual('vendorApprovalRequired', false)),
    },
  ];
}

function termsFacts(o) {
  return o.ok ? pick(o.value, ['autoFulfil', 'creditLimit', 'creditLimitCurrency', 'openOrderValue']) : failure(o);
}

function submitFacts(o) {
  return o.ok
    ? {
        outcome: o.value.outcome,
        reasons: o.value.reasons,
        order: o.value.order ? { ...orderFacts({ ok: true, value: o.value.order }), hasNet: 'netTotal' in o.value.order } : null,
        quote: pick(o.value.quote.quote, ['status', 'version']),
      }
    : failure(o);
}

/** R2 creates and accepts a quote for `quantity` licences, remembered as `key`. */
function autoFulfilOrder(quantity, key) {
  return [
    {
      name: `the reseller creates a quote for ${quantity} licence(s)`,
      user: 'r2',
      target: 'QuoteController.createQuote',
      params: (s) => ({
        quote: {
          name: `Auto ${quantity}`,
          endCustomerId: account(s, 'E2'),
          currency: 'USD',
          startDate: '2026-04-01',
          lines: [{ productId: product(s, 'LIC'), quantity }],
        },
      }),
      facts: quoteFacts,
      after: remember(key),
    },
    {
      name: `the reseller accepts it`,
      user: 'r2',
      target: 'QuoteController.acceptQuote',
      params: (s) => ({ quoteId: id(s, key), version: versions[s][key] }),
      facts: statusFacts,
      expect: expectEqual('status', 'Accepted'),
      after: remember(key),
    },
  ];
}

function dealRegistration(s) {
  return {
    distributorId: account(s, 'D1'),
    endCustomerId: id(s, 'sharedCustomer'),
    families: [{ family: 'Licenses', estimatedQuantity: 40 }],
    estimatedValue: '24000.00',
    currencyCode: 'USD',
    expectedCloseDate: '2026-06-30',
    note: 'Fleet renewal',
  };
}

function dealFacts(o) {
  if (!o.ok) return failure(o);
  const d = o.value;
  return {
    ...pick(d, [
      'number',
      'status',
      'families',
      'estimatedValue',
      'currency',
      'expectedCloseDate',
      'note',
      'submittedDate',
      'decisionDueDate',
      'decidedDate',
      'protectedUntil',
      'escalated',
      'extended',
      'claimActive',
      'version',
      'protectionDaysLeft',
    ]),
    history: d.history.map((h) => pick(h, ['date', 'action', 'comment'])),
  };
}

function endCustomerList(name, user, names) {
  return {
    name,
    user,
    target: 'QuoteController.listEndCustomers',
    params: () => ({}),
    facts: (o) => (o.ok ? { names: o.value.map((c) => c.name) } : failure(o)),
    expect: expectEqual('names', names),
  };
}

function endCustomerAdd(name, user, endCustomer, want) {
  return {
    name,
    user,
    target: 'QuoteController.createEndCustomer',
    params: () => ({ endCustomer }),
    facts: (o) =>
      o.ok ? { created: o.value.created, name: o.value.endCustomer.name, country: o.value.endCustomer.country } : failure(o),
    expect: (f) => (isDeepStrictEqual(f, want) ? null : `expected ${JSON.stringify(want)}, got ${JSON.stringify(f)}`),
  };
}

function renewalRun(name, created) {
  return {
    name,
    user: 'vendor',
    target: 'RenewalJob',
    params: () => ({}),
    custom: {
      apex: () => {
        const before = seeded.org.records('Channel_Quote__c').length;
        const job = () => {
          const run = new apex.RenewalJob(rt.globals.Date.valueOf('2027-01-15'), rt.int(90));
          rt.globals.Database.executeBatch(run, apex.RenewalJob.CHUNK_SIZE);
        };
        const r = org.transaction(seeded.userIds.get(USERS.vendor.id), job);
        if (r.error) return { outcome: apexOutcome(r), usage: r.usage };
        rt.batchUsages.length = 0;
        rt.batchErrors.length = 0;
        rt.runQueued();
        const usage = maxUsage([r.usage, ...rt.batchUsages.map((b) => ({ ...b.usage, cpuMs: rt.cpuMs(b.usage) }))]);
        if (rt.batchErrors.length) return { outcome: apexOutcome({ error: rt.batchErrors[0] }), usage };
        return { outcome: { ok: true, value: { created: seeded.org.records('Channel_Quote__c').length - before } }, usage };
      },
      local: async () => {
        const run = await generateRenewals(store, { asOf: '2027-01-15', leadDays: 90 });
        return { ok: true, value: { created: run.created } };
      },
    },
    facts: (o) => (o.ok ? o.value : failure(o)),
    expect: expectEqual('created', created),
  };
}
/** A text with its quote number masked (the two stores number quotes each in their own way). */
const maskQuote = (t) => t.replace(/quote \S+/g, 'quote #');

/**
 * Who was told of the renewal outside the portal: in the org, the custom notifications and the emails the
 * Messaging fakes recorded (an email only once its transaction committed); locally, the outbox's emails (each with
 * its bell notification, the local portal's push).
 */
function renewalDelivery(name, recipients) {
  const isRenewal = (subject) => /^Channel CPQ: Renewal quote /.test(subject ?? '');
  return {
    name,
    user: 'vendor',
    target: 'NotificationService (platform)',
    params: () => ({}),
    custom: {
      apex: () => {
        const emailOf = new Map(seeded.org.records('User').map((u) => [u.Id, u.Email]));
        const emailed = rt.messaging.emails
          .filter((m) => isRenewal(m.subject))
          .map((m) => ({ to: emailOf.get(m.toUser) ?? m.toUser, subject: maskQuote(m.subject), delivered: m.delivered }));
        const pushed = rt.messaging.notifications
          .filter((n) => /^Renewal quote /.test(n.title ?? ''))
          .flatMap((n) => n.recipients.map((r) => ({ to: emailOf.get(r) ?? r, title: maskQuote(n.title) })));
        return {
          outcome: { ok: true, value: { emailed, pushed } },
          usage: { queries: 0, queryRows: 0, dmlStatements: 0, dmlRows: 0, cpuMs: 0, heap: 0 },
        };
      },
      local: async () => {
        const outbox = await invokeController(
          local,
          'NotificationController',
          'listOutbox',
          {},
          {
            user: USERS.vendor,
            viewer: viewerOf(USERS.vendor),
          },
        );
        const renewals = outbox.filter((m) => m.kind === 'renewalCreated');
        return {
          ok: true,
          value: {
            emailed: renewals.map((m) => ({ to: m.emailTo, subject: maskQuote(m.emailSubject), delivered: true })),
            pushed: renewals.map((m) => ({ to: m.emailTo, title: maskQuote(m.emailSubject.replace(/^Channel CPQ: /, '')) })),
          },
        };
      },
    },
    facts: (o) => (o.ok ? o.value : failure(o)),
    expect: (f) => {
      const to = [...new Set([...(f.emailed ?? []), ...(f.pushed ?? [])].map((m) => m.to))].sort();
      return isDeepStrictEqual(to, recipients) && f.emailed.length === recipients.length
        ? null
        : `expected one push and one email to ${recipients.join(', ')}, got ${JSON.stringify(f)}`;
    },
  };
}
function maxUsage(list) {
  const keys = ['queries', 'queryRows', 'dmlStatements', 'dmlRows', 'heap', 'cpuMs'];
  return Object.fromEntries(keys.map((k) => [k, Math.max(...list.map((u) => u[k] ?? 0))]));
}

/** Where two values differ, as paths: `quote.netTotal: apex "1" != local "2"`. */
function differences(a, b, at = '') {
  if (isDeepStrictEqual(a, b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => differences(a[k], b[k], at ? `${at}.${k}` : k));
  }
  return [`${at || '(value)'}: apex ${JSON.stringify(a)} != local ${JSON.stringify(b)}`];
}

// A product family's price floor (PRICING.md, productFamilies; Product_Family__c in the org), loaded as `sf cpq`
// loads reference data, then a reseller's quote of the Services product, which sets no floor of its own: both
// sides flag the line for the vendor; the reseller reads neither the floor nor the Net, the vendor reads both.
const SERVICES_FLOOR = { family: 'Services', minNetPercentOfList: '70' };
const floorFacts = (o) =>
  o.ok
    ? {
        vendorApprovalRequired: o.value.pricing?.vendorApprovalRequired ?? null,
        lines: (o.value.pricing?.lines ?? []).map((l) => ({
          vendorApprovalRequired: l.vendorApprovalRequired,
          priceFloor: l.priceFloor ?? 'hidden',
          net: l.net ?? 'hidden',
          warnings: l.warnings.map((w) => w.code).sort(),
        })),
      }
    : failure(o);
steps.push(
  {
    name: 'the vendor loads a Services family floor of 70 % (Product_Family__c)',
    user: 'vendor',
    custom: {
      apex: () => {
        seeded.org.insert('Product_Family__c', familyToSf(SERVICES_FLOOR));
        const floors = seeded.org.records('Product_Family__c').map((r) => [r.External_Id__c, r.Min_Net_Percent_Of_List__c]);
        return {
          outcome: { ok: true, value: floors.map(([family, percent]) => ({ family, percent: String(percent) })) },
          usage: { queries: 0, queryRows: 0, dmlStatements: 0, dmlRows: 0, cpuMs: 0, heap: 0 },
        };
      },
      local: async () => {
        await store.upsertReferenceData({ productFamilies: [SERVICES_FLOOR] });
        const floors = await store.listProductFamilies();
        return { ok: true, value: floors.map((f) => ({ family: f.family, percent: f.minNetPercentOfList })) };
      },
    },
    facts: (o) => (o.ok ? o.value : failure(o)),
    expect: expectEqual('0', { family: 'Services', percent: '70' }),
  },
  {
    name: 'reseller quotes the service below its family floor: the vendor must approve, floor and Net unseen',
    user: 'r1',
    target: 'QuoteController.createQuote',
    params: (s) => ({
      quote: {
        name: 'Family floor',
        endCustomerId: account(s, 'E1'),
        currency: 'USD',
        startDate: '2026-04-01',
        termMonths: 12,
        lines: [{ productId: product(s, 'SVC'), quantity: '2' }],
      },
    }),
    facts: floorFacts,
    expect: all(
      expectEqual('vendorApprovalRequired', true),
      expectEqual('lines.0.priceFloor', 'hidden'),
      expectEqual('lines.0.net', 'hidden'),
      expectEqual('lines.0.warnings', ['VENDOR_APPROVAL_REQUIRED']),
    ),
    after: remember('floorQuote'),
  },
  {
    name: 'the vendor reads the floor and whose it is: the family\u2019s',
    user: 'vendor',
    target: 'QuoteController.getQuote',
    params: (s) => ({ quoteId: id(s, 'floorQuote') }),
    facts: floorFacts,
    expect: all(
      expectEqual('lines.0.vendorApprovalRequired', true),
      expectEqual('lines.0.priceFloor', { percent: '70', source: 'family' }),
    ),
  },
);

const rows = [];
const calibration = [];
let passed = 0;
let failed = 0;
for (const [i, step] of steps.entries()) {
  const a = step.custom ? step.custom.apex() : callApex(step.user, step.target, step.params('apex'));
  const l = step.custom ? await step.custom.local() : await callLocal(step.user, step.target, step.params('local'));
  const fa = step.facts(a.outcome, 'apex');
  const fl = step.facts(l, 'local');
  if (process.env.APEX_MESSAGES && !a.outcome.ok) console.log(`${i + 1}\n  apex:  ${a.outcome.message}\n  local: ${l.message}`);
  const problems = [];
  if (!a.outcome.ok && a.outcome.code?.startsWith('UNCAUGHT')) problems.push(`apex: ${a.outcome.message}`);
  const want = step.expect?.(fa);
  if (want) problems.push(`apex ${want}`);
  if (!isDeepStrictEqual(fa, fl)) problems.push(`parity: ${differences(fa, fl).slice(0, 8).join('; ')}`);
  step.after?.(a.outcome, 'apex');
  step.after?.(l, 'local');
  const u = a.usage;
  if (u.nodeMs !== undefined) calibration.push(u);
  rows.push([
    String(i + 1),
    step.name,
    USERS[step.user].name,
    a.outcome.ok ? 'ok' : String(a.outcome.code),
    `${u.queries}/100`,
    `${u.queryRows}`,
    `${u.dmlStatements}/150`,
    `${u.dmlRows}`,
    `${u.cpuMs}`,
    `${Math.round(u.heap / 1000)}k`,
    problems.length ? 'FAIL' : 'pass',
  ]);
  if (problems.length) {
    failed++;
    for (const p of problems) console.error(`step ${i + 1} (${step.name}): ${p}`);
  } else passed++;
}

const header = ['#', 'step', 'as', 'apex result', 'SOQL', 'rows', 'DML', 'DML rows', 'CPU ms', 'heap', ''];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
const line = (r) => r.map((x, c) => x.padEnd(widths[c])).join('  ');
console.log(line(header));
for (const r of rows) console.log(line(r));
if (process.env.APEX_CALIBRATE) {
  const ops = calibration.reduce((n, u) => n + u.ops, 0);
  const ms = calibration.reduce((n, u) => n + u.nodeMs, 0);
  console.log(`calibration: ${ops} operations in ${ms.toFixed(1)} ms of Node time: ${(ops / ms).toFixed(0)} operations per ms`);
}
console.log(`${passed} steps passed, ${failed} failed`);
await store.close();
rmSync(dir, { recursive: true, force: true });
process.exitCode = failed === 0 ? 0 : 1;
if (process.env.APEX_DEBUG) for (const e of rt.caughtLog) console.error('caught:', e?.stack ?? e);
