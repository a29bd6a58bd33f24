import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import sinon from 'sinon';
import CpqAgreementsImport, { type CpqAgreementsImportResult } from '../../../src/commands/cpq/agreements/import.js';
import CpqOrdersPlace, { type CpqOrdersPlaceResult } from '../../../src/commands/cpq/orders/place.js';
import CpqQuotePrice, { type CpqQuotePriceResult } from '../../../src/commands/cpq/quote/price.js';
import CpqRenewalsGenerate, { type CpqRenewalsGenerateResult } from '../../../src/commands/cpq/renewals/generate.js';
import { QuoteService } from '../../../src/services/quotes.js';
import { TODAY, USER_IDS, viewers, worldReference } from '../../fixtures/world.js';
import { useFakeOrg } from '../../store/org/fakeOrgStore.js';

/**
 * The data commands with -o ORG, run in-process against the orgstore helper's fake org (TestContext fakes
 * the connection's requests): what they write lands in the org's objects, and the requests are counted.
 */

const HEADER =
  'agreementKey,agreementName,partner,seller,validFrom,validTo,status,kind,scope,value,minQuantity,discountPercent,maxAdditionalDiscountPercent,tierName,minBookings,bonusPercent';

describe('sf cpq data commands with -o ORG (fake org)', () => {
  const open = useFakeOrg();
  const sandbox = sinon.createSandbox();
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-org-commands-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));
  beforeEach(() => stubSfCommandUx(sandbox));
  afterEach(() => {
    sandbox.restore();
    process.exitCode = undefined;
  });

  const csv = async (name: string, rows: string[]): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, [HEADER, ...rows].join('\n') + '\n');
    return file;
  };

  it('agreements import -o: upserts agreements, rules and tiers by external id, and counts its requests', async () => {
    const { org, connection } = await open(worldReference());
    const file = await csv('org.csv', [
      'A-R2-D2,Reseller Two via D2,R2,D2,2026-01-01,2026-12-31,Active,rule,all,,,6,10,,,',
      'A-R2-D2,,,,,,,rule,family,Licenses,20,9,,,,',
      'A-R2-D2,,,,,,,tier,,,,,,Gold,1000.00,1.5',
    ]);
    const result: CpqAgreementsImportResult = await CpqAgreementsImport.run([
      '-o',
      connection.getUsername()!,
      '--file',
      file,
      '--json',
    ]);
    expect(result).to.include({ loaded: 1, agreements: 1, rules: 2, tiers: 1 });
    expect(result.target).to.equal(`org ${connection.getUsername()}`);
    // Every request the command made was counted (the fake records all of them).
    // Every request of the store was counted; the one other is @salesforce/core's Org reading the Organization.
    const storeRequests = org.requests.filter((r) => !decodeURIComponent(r.url).includes('FROM Organization'));
    expect(org.requests.length - storeRequests.length).to.equal(1);
    expect(result.apiCalls).to.equal(storeRequests.length);
    console.log(`      agreements import -o, 3 rows: ${result.apiCalls} requests`);
    const agreement = org.records('Partner_Agreement__c').find((a) => a.External_Id__c === 'A-R2-D2')!;
    expect(agreement).to.include({ Status__c: 'Active', Valid_From__c: '2026-01-01' });
    const rules = org.records('Agreement_Rule__c').filter((r) => r.Partner_Agreement__c === agreement.Id);
    expect(rules.map((r) => r.External_Id__c).sort()).to.deep.equal(['A-R2-D2:r1', 'A-R2-D2:r2']);
    expect(org.records('Agreement_Tier__c').filter((t) => t.Partner_Agreement__c === agreement.Id)).to.have.length(1);
  });

  it('agreements import -o: a refused file makes only read requests', async () => {
    const { org, connection } = await open(worldReference());
    // A-R1-D1 is stored and Active for R1 buying from D1 through 2026: this one overlaps it.
    const file = await csv('org-bad.csv', ['A-R1-D1-2026B,Again,R1,D1,2026-06-01,,Active,rule,all,,,5,,,,']);
    let error: Error & { name: string } = new Error('not thrown');
    try {
      await CpqAgreementsImport.run(['-o', connection.getUsername()!, '--file', file, '--json']);
    } catch (e) {
      error = e as Error;
    }
    expect(error.name).to.equal('InvalidAgreementsFile');
    expect(error.message).to.contain('row 2, validFrom: agreements A-R1-D1 and A-R1-D1-2026B are both Active');
    expect(org.requests.length).to.be.greaterThan(0);
    expect(org.requests.filter((r) => r.method !== 'GET')).to.deep.equal([]);
  });

  it('agreements import -o: writes a reseller’s order terms on its Partner_Agreement__c, in the same upsert', async () => {
    const { org, connection } = await open(worldReference());
    const file = path.join(dir, 'org-terms.csv');
    await writeFile(
      file,
      [
        `${HEADER},autoFulfil,creditLimit`,
        'A-R2-D2,Reseller Two via D2,R2,D2,2026-01-01,2026-12-31,Active,rule,all,,,6,10,,,,true,12000.5',
        'A-R2-D2,,,,,,,rule,family,Licenses,20,9,,,,,,',
      ].join('\n') + '\n',
    );
    const result: CpqAgreementsImportResult = await CpqAgreementsImport.run([
      '-o',
      connection.getUsername()!,
      '--file',
      file,
      '--json',
    ]);
    expect(result).to.include({ loaded: 1, agreements: 1, rules: 2, orderTerms: 1 });
    const agreement = org.records('Partner_Agreement__c').find((a) => a.External_Id__c === 'A-R2-D2')!;
    expect(agreement).to.include({
      Status__c: 'Active',
      Auto_Fulfil__c: true,
      Credit_Limit__c: 12000.5,
      Credit_Limit_Currency__c: 'USD',
    });
    // One write of the agreement: its order terms did not cost a request of their own.
    const agreementWrites = org.requests.filter((r) => r.method !== 'GET' && JSON.stringify(r).includes('Partner_Agreement__c'));
    expect(agreementWrites).to.have.length(1);
  });

  it('agreements import -o: order terms on a distributor’s agreement with the vendor are refused by row and column, with only reads', async () => {
    const { org, connection } = await open(worldReference());
    const file = path.join(dir, 'org-terms-bad.csv');
    await writeFile(
      file,
      [
        `${HEADER},autoFulfil,creditLimit`,
        'A-R2-D2,Reseller Two via D2,R2,D2,2026-01-01,2026-12-31,Active,rule,all,,,6,10,,,,true,12000.50',
        'A-D1-V-2027,D1 next year,D1,V,2027-01-01,2027-12-31,Draft,rule,all,,,20,,,,,,5000',
      ].join('\n') + '\n',
    );
    let error: Error & { name: string } = new Error('not thrown');
    try {
      await CpqAgreementsImport.run(['-o', connection.getUsername()!, '--file', file, '--json']);
    } catch (e) {
      error = e as Error;
    }
    expect(error.name).to.equal('InvalidAgreementsFile');
    expect(error.message).to.contain(
      'row 3, creditLimit: agreement A-D1-V-2027: order terms belong to a reseller’s agreement with its distributor, not to D1 (a distributor) buying from V (a vendor): leave creditLimit empty',
    );
    expect(org.requests.filter((r) => r.method !== 'GET')).to.deep.equal([]);
    expect(org.records('Partner_Agreement__c').map((a) => a.External_Id__c)).to.not.include('A-R2-D2');
  });

  it('agreements import -o: 10,000 rows (requests and time printed, not asserted)', async () => {
    const { org, connection } = await open(worldReference());
    const rows: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const year = 2030 + Math.floor(i / 12);
      const month = String((i % 12) + 1).padStart(2, '0');
      const key = `ag-perf-${i}`;
      rows.push(`${key},Perf ${i},R2,D2,${year}-${month}-01,${year}-${month}-28,Active,rule,all,,,5,10,,,`);
      rows.push(`${key},,,,,,,rule,family,Licenses,,7,,,,`);
      rows.push(`${key},,,,,,,rule,product,LIC,25,9.5,,,,`);
      rows.push(`${key},,,,,,,tier,,,,,,Silver,0.00,0`);
      rows.push(`${key},,,,,,,tier,,,,,,Gold,25000.00,1.25`);
    }
    const file = await csv('org-big.csv', rows);
    const started = Date.now();
    const result: CpqAgreementsImportResult = await CpqAgreementsImport.run([
      '-o',
      connection.getUsername()!,
      '--file',
      file,
      '--json',
    ]);
    expect(result).to.include({ rows: 10000, loaded: 2000 });
    expect(org.records('Agreement_Rule__c').filter((r) => String(r.External_Id__c).startsWith('ag-perf-'))).to.have.length(6000);
    const t = result.timings;
    console.log(
      `      agreements import -o, 10,000 rows: ${result.apiCalls} requests; parse ${t.parseMs} ms, validate ${t.validateMs} ms, load ${t.loadMs} ms (fake org), ${Date.now() - started} ms in all`,
    );
  });

  it('quote price -o, orders place -o and renewals generate -o on a quote the services created in the org', async () => {
    const { store, org, connection } = await open(worldReference());
    const username = connection.getUsername()!;
    const quotes = new QuoteService(store, () => TODAY);
    let detail = await quotes.createQuote(viewers.r1, {
      endCustomerId: 'C1',
      currency: 'USD',
      startDate: '2026-06-01',
      termMonths: 12,
      lines: [
        { productId: 'LIC', quantity: '30' },
        { productId: 'SUB', quantity: 10 },
      ],
    });
    detail = await quotes.acceptQuote(viewers.r1, detail.quote.id, detail.quote.version);
    expect(detail.quote.status).to.equal('Accepted');

    const priced: CpqQuotePriceResult = await CpqQuotePrice.run(['-o', username, '--quote-id', detail.quote.number, '--json']);
    expect(priced).to.include({ matches: true, quoteNumber: detail.quote.number });
    expect(priced.computed.totals!.customer).to.equal(detail.quote.customerTotal);
    expect(process.exitCode ?? 0).to.equal(0);

    const before = org.requests.length;
    const placed: CpqOrdersPlaceResult = await CpqOrdersPlace.run(['-o', username, '--quote-id', detail.quote.number, '--json']);
    expect(placed.placedAs).to.deep.equal({ id: USER_IDS.d1, name: 'Dan D1', accountId: 'D1' });
    expect(placed.order).to.include({ status: 'Placed', customerTotal: detail.quote.customerTotal });
    expect(placed.stock).to.deep.equal([{ productId: 'LIC', before: '100', after: '70', change: '-30' }]);
    console.log(`      orders place -o: ${org.requests.length - before} requests`);
    const stock = org.records('Distributor_Inventory__c').find((i) => i.External_Id__c === 'D1:LIC')!;
    expect(Number(stock.Quantity__c)).to.equal(70);
    expect((await store.getQuote(detail.quote.id))!.status).to.equal('Ordered');

    const renewals: CpqRenewalsGenerateResult = await CpqRenewalsGenerate.run([
      '-o',
      username,
      '--as-of',
      TODAY,
      '--dry-run',
      '--json',
    ]);
    expect(renewals).to.include({ dryRun: true, created: 0 });
  });
});
