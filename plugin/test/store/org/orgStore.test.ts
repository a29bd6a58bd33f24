import { expect } from 'chai';
import { NotFoundError, StateError } from '../../../src/core/errors.js';
import type { OrderRecord, QuoteRecord } from '../../../src/core/records.js';
import type { InventoryDelta } from '../../../src/store/port.js';
import { generateRenewals } from '../../../src/services/renewals.js';
import { date, likeContains, literal, quote, raw, soql } from '../../../src/store/org/soql.js';
import { DEMO_LOGO_PNG_BASE64 } from '../../../src/store/demoLogo.js';
import { USER_IDS, worldReference } from '../../fixtures/world.js';
import { expectRejection, insertContracts, storeContract } from '../contract.js';
import type { FakeOrg } from './fakeOrg.js';
import { useFakeOrg } from './fakeOrgStore.js';
import { parseSoql } from './soqlParser.js';

const HOSTILE = "x' OR Name != 'y\\' -- \n%_";

describe('org store over the fake org', () => {
  const open = useFakeOrg();
  storeContract('org (fake org)', async (reference) => (await open(reference)).store);

  describe('SOQL with bound values', () => {
    it('escapes quotes, backslashes and control characters in string literals', () => {
      expect(quote("O'Brien")).to.equal("'O\\'Brien'");
      expect(quote('back\\slash')).to.equal("'back\\\\slash'");
      expect(quote('say "hi"\n\t')).to.equal('\'say \\"hi\\"\\n\\t\'');
      expect(soql`SELECT Id FROM Account WHERE Name = ${"a' OR Name != 'b"}`).to.equal(
        "SELECT Id FROM Account WHERE Name = 'a\\' OR Name != \\'b'",
      );
      // What the escaped query means: one comparison with the whole text as its value.
      const parsed = parseSoql(soql`SELECT Id FROM Account WHERE Name = ${HOSTILE}`);
      expect(parsed.where).to.deep.equal({ kind: 'compare', field: 'Name', op: '=', value: HOSTILE.replace('%_', '%_') });
    });

    it('formats numbers, dates, booleans, null and IN lists, and refuses what is not a value', () => {
      expect(soql`x = ${12.5} AND y = ${date('2026-01-01')} AND z = ${true} AND w = ${null} AND v IN ${['a', "b'"]}`).to.equal(
        "x = 12.5 AND y = 2026-01-01 AND z = TRUE AND w = NULL AND v IN ('a', 'b\\'')",
      );
      expect(() => literal(Number.NaN)).to.throw(RangeError);
      expect(() => literal([])).to.throw(RangeError);
      expect(() => date("2026-01-01' OR 1=1")).to.throw(RangeError);
      expect(literal(raw('Name'))).to.equal('Name');
    });

    it('escapes LIKE wildcards so they match themselves', () => {
      expect(likeContains('100%_a\\b').text).to.equal("'%100\\%\\_a\\\\b%'");
      const parsed = parseSoql(`SELECT Id FROM Account WHERE Name LIKE ${likeContains("it's").text}`);
      expect(parsed.where).to.deep.equal({ kind: 'like', field: 'Name', pattern: "%it\\'s%" });
    });

    it('never sends unescaped input: every query of a hostile session parses, with the input only inside literals', async () => {
      const { store, org } = await open(worldReference());
      await store.getQuote(HOSTILE);
      await store.listQuotes({ resellerId: HOSTILE, distributorId: HOSTILE, search: HOSTILE, statuses: ['Draft'] });
      await store.listAgreements([HOSTILE, 'R1']);
      await store.getOrderByQuote(HOSTILE);
      await store.listContracts({ resellerId: HOSTILE });
      await store.listApprovals([HOSTILE]);
      await store.getUser(HOSTILE);
      await store.listInventory(HOSTILE);
      await store.listBookings([{ partnerId: HOSTILE, sellerId: 'D1' }], '2026-01-01', '2027-01-01');
      const queries = org.requests
        .filter((r) => r.method === 'GET')
        .map((r) => new URL(r.url, 'https://x').searchParams.get('q'))
        .filter((q): q is string => q !== null);
      expect(queries.length).to.be.greaterThan(8);
      for (const q of queries) {
        expect(() => parseSoql(q), q).to.not.throw();
        expect(q, q).to.not.include("x' OR");
        expect(q, q).to.not.include("'y\\'");
      }
    });
  });

  it('adds one account when two add the same company at once, by name or by registration number alone', async () => {
    const { store, org } = await open(worldReference());
    const customer = (id: string, name: string, registrationNumber?: string) => ({
      id,
      type: 'endCustomer' as const,
      name,
      country: 'SE',
      ...(registrationNumber ? { registrationNumber } : {}),
    });
    // Both look-ups run before either insert: the unique Registration_Key__c (or Dedupe_Key__c) decides.
    const byNumber = await Promise.all([
      store.addEndCustomer(customer('N1', 'Initech Svenska AB', '556012-5790')),
      store.addEndCustomer(customer('N2', 'Initech Nordic', '5560125790')),
    ]);
    expect(byNumber.map((r) => r.account.id)).to.deep.equal(['N1', 'N1']);
    expect(byNumber.map((r) => r.created)).to.deep.equal([true, false]);
    const byName = await Promise.all([
      store.addEndCustomer(customer('M1', 'Hooli AB')),
      store.addEndCustomer(customer('M2', 'HOOLI')),
    ]);
    expect(byName.map((r) => r.account.id)).to.deep.equal(['M1', 'M1']);
    const initech = org.records('Account').filter((a) => a.Registration_Key__c === '5560125790');
    expect(initech.map((a) => a.External_Id__c)).to.deep.equal(['N1']);
  });

  it('retries an order whose stock moved between its read and its write (compare-and-set)', async () => {
    const { store, org } = await open(worldReference());
    const order = (id: string): OrderRecord => ({
      id,
      number: id,
      kind: 'replenishment',
      quoteId: null,
      distributorId: 'D1',
      resellerId: null,
      endCustomerId: null,
      currency: 'USD',
      status: 'Placed',
      placedBy: USER_IDS.d1,
      placedAt: '2026-06-01T00:00:00.000Z',
      orderDate: '2026-06-01',
      customerTotal: null,
      partnerTotal: null,
      netTotal: '0.00',
      lines: [],
    });
    const draw = (quantity: string): InventoryDelta[] => [{ distributorId: 'D1', productId: 'LIC', delta: `-${quantity}` }];
    await Promise.all([store.placeOrder(order('O1'), draw('30')), store.placeOrder(order('O2'), draw('25'))]);
    expect(await store.listInventory('D1')).to.deep.equal([{ distributorId: 'D1', productId: 'LIC', quantity: '45' }]);
    const composites = org.requests.filter((r) => r.url.endsWith('/composite'));
    // Both read 100: the second compare-and-set fails, rolls back, and goes through on its second try.
    expect(composites).to.have.length(3);
    await expectRejection(store.placeOrder(order('O3'), draw('46')), StateError, /LIC: 1 missing \(in stock 45\)/);
  });

  describe('API calls', () => {
    it('counts every HTTP request it makes', async () => {
      const { store, org } = await open(worldReference());
      const before = store.apiCalls();
      await store.listQuotes({});
      await store.getSettings();
      expect(store.apiCalls() - before).to.equal(org.requests.length);
      expect(org.requests.length).to.equal(2);
    });

    it('pages large query results with queryMore', async () => {
      const { store, org } = await open(worldReference());
      org.pageSize = 2;
      const accounts = await store.listAccounts();
      expect(accounts.map((a) => a.id)).to.deep.equal(['C1', 'C2', 'D1', 'D2', 'R1', 'R2', 'V']);
      expect(org.requests.map((r) => r.url.includes('/query/'))).to.deep.equal([false, true, true, true]);
    });

    it('loads more than 2,000 records of an object with one Bulk API 2.0 job', async () => {
      const { store, org } = await open(worldReference());
      // 676 currency codes (XAA..XZZ; XBA is the 27th, price 26.5) for each of 3 products: 2,028 entries, above 2,000.
      const codes = Array.from({ length: 676 }, (_, i) => `X${String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26))}`);
      const more = ['LIC', 'SUB', 'SRV'].flatMap((productId) =>
        codes.map((currency, i) => ({ productId, currency, listPrice: `${i}.5` })),
      );
      await store.upsertReferenceData({ priceBook: more });
      const paths = org.requests.map(
        (r) => `${r.method} ${new URL(r.url, 'https://x').pathname.replace(/^\/services\/data\/v[\d.]+/, '')}`,
      );
      expect(paths.filter((p) => p.includes('/jobs/ingest'))).to.have.length.within(4, 6);
      expect(paths.filter((p) => p.includes('/composite/sobjects'))).to.deep.equal([]);
      // The world's 3 USD prices plus the 2,028 loaded.
      expect((await store.listPriceBook()).length).to.equal(3 + more.length);
      expect(org.records('Cpq_Price__c').find((r) => r.External_Id__c === 'SUB:XBA')?.List_Price__c).to.equal(26.5);
    });

    it('reports a failed bulk record', async () => {
      const { store } = await open(worldReference());
      // 2,001 distinct three-letter codes (Currency_Code__c holds 3 characters): QAA, QAB, ..., then RAA, ...
      const code = (i: number): string =>
        String.fromCharCode(81 + Math.floor(i / 676), 65 + (Math.floor(i / 26) % 26), 65 + (i % 26));
      const bad = Array.from({ length: 2001 }, (_, i) => ({
        productId: i === 7 ? 'NOPE' : 'LIC',
        currency: code(i),
        listPrice: '1',
      }));
      let failure: unknown;
      try {
        await store.upsertReferenceData({ priceBook: bad });
      } catch (error) {
        failure = error;
      }
      expect((failure as Error).message).to.match(/Cpq_Price__c: 1 records failed.*NOPE/);
    });

    it('creates 1,000 renewals of contracts with 5 lines each in a bounded number of calls', async function () {
      this.timeout(120_000);
      const { store, org } = await open(worldReference());
      for (let batch = 0; batch < 10; batch++) await insertContracts(store, 100, `B${batch}-`, 5);
      const before = store.apiCalls();
      const requestsBefore = org.requests.length;
      const run = await generateRenewals(store, { asOf: '2026-12-01' });
      const calls = store.apiCalls() - before;
      expect(run.created).to.equal(1000);
      const quotes = org.records('Channel_Quote__c');
      expect(quotes).to.have.length(1000);
      expect(org.records('Channel_Quote_Line__c')).to.have.length(5000);
      expect(org.records('Channel_Contract__c').every((c) => typeof c.Renewal_Quote__c === 'string')).to.equal(true);
      const kinds = org.requests.slice(requestsBefore).map((r) => (r.url.includes('/composite/graph') ? 'graph' : r.method));
      const graphs = kinds.filter((k) => k === 'graph').length;
      // 7 nodes per renewal (quote, 5 lines, 1 contract), at most 500 per call: 1000 * 7 / 500 = 14 at best;
      // two service batches of 500 make it 2 * ceil(500 / 71) = 16. Reads: about 20 (contracts and their
      // 5,000 subscriptions over 4 pages, catalog, bookings, numbers, the pre-check of links).
      expect(graphs).to.equal(16);
      expect(calls).to.be.at.most(40);
      console.log(
        `      API calls for 1,000 renewals (5 lines each): ${calls} (${graphs} composite graph writes, ${calls - graphs} reads)`,
      );
      // A second run finds nothing to do, in a handful of reads.
      const again = store.apiCalls();
      expect((await generateRenewals(store, { asOf: '2026-12-01' })).created).to.equal(0);
      expect(store.apiCalls() - again).to.be.at.most(3);
    });

    it('sends halted graphs again when more than 14 graphs of a request fail', async () => {
      const { store, org } = await open(worldReference());
      await insertContracts(store, 30, 'H', 1);
      const renewal = (id: string, i: number): { quote: QuoteRecord; contractIds: string[] } => ({
        quote: {
          id: `tmp-${i}`,
          number: `Q-${String(100 + i)}`,
          name: 'Renewal',
          resellerId: 'R1',
          distributorId: 'D1',
          endCustomerId: 'C1',
          currency: 'USD',
          status: 'Draft',
          startDate: '2027-02-01',
          expiryDate: '2027-01-31',
          version: 1,
          renewalOfContractIds: [id],
          createdBy: 'system',
          createdAt: '2026-12-01T00:00:00.000Z',
          updatedAt: '2026-12-01T00:00:00.000Z',
          lines: [{ id: `tmp-${i}-l`, productId: 'SUB', quantity: '1' }],
          customerTotal: null,
          partnerTotal: null,
          netTotal: null,
          approvalRequired: false,
        },
        contractIds: [id],
      });
      const ids = Array.from({ length: 30 }, (_, i) => `H${i + 1}`);
      // Quotes already there under the renewal keys of the first 20 contracts (another run's, crashed
      // before linking): their graphs fail on DUPLICATE_VALUE, and the graphs after the 14th failure halt.
      for (const id of ids.slice(0, 20))
        org.insert('Channel_Quote__c', { External_Id__c: `renewal:${id}`, Quote_Number__c: `Q-X${id}` });
      const created = await store.createRenewalQuotes(ids.map(renewal));
      expect(created).to.deep.equal(ids.map((_, i) => i >= 20));
      expect(org.requests.filter((r) => r.url.includes('/composite/graph')).length).to.equal(2);
    });
  });

  describe('reseller logos as Files (docs/DOCUMENT.md, "In an org")', () => {
    const png = Buffer.from(DEMO_LOGO_PNG_BASE64, 'base64');
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
    const logo = (data: Buffer, contentType: 'image/png' | 'image/jpeg' = 'image/png') => ({
      accountId: 'R1',
      contentType,
      data,
      updatedBy: USER_IDS.r1,
      updatedAt: '2026-03-15T10:00:00.000Z',
    });
    /** The documents linked to an account whose latest version is titled "Quote logo", and those versions. */
    const logoFiles = (org: FakeOrg, accountSfId: string): { documents: string[]; latest: Record<string, unknown>[] } => {
      const documents = org
        .records('ContentDocumentLink')
        .filter((l) => l.LinkedEntityId === accountSfId)
        .map((l) => l.ContentDocumentId as string);
      const latest = org
        .records('ContentVersion')
        .filter((v) => documents.includes(v.ContentDocumentId as string) && v.IsLatest === true && v.Title === 'Quote logo');
      return { documents: latest.map((v) => v.ContentDocumentId as string), latest };
    };

    it('sets the logo as a File on the account, replaces it by a new version, and leaves exactly one', async () => {
      const { store, org } = await open(worldReference());
      const account = org.records('Account').find((a) => a.External_Id__c === 'R1')!.Id as string;
      await store.logos!.setLogo(logo(png));
      const posts = org.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/sobjects/ContentVersion'));
      expect(posts).to.have.length(1);
      expect(JSON.parse(posts[0]!.body!)).to.deep.equal({
        Title: 'Quote logo',
        PathOnClient: 'quote-logo.png',
        VersionData: DEMO_LOGO_PNG_BASE64,
        FirstPublishLocationId: account,
      });
      const first = logoFiles(org, account);
      expect(first.documents).to.have.length(1);

      await store.logos!.setLogo(logo(jpeg, 'image/jpeg'));
      const second = logoFiles(org, account);
      expect(second.documents, 'the same File, a new version').to.deep.equal(first.documents);
      expect(Buffer.from(second.latest[0]!.VersionData as string, 'base64').equals(jpeg)).to.equal(true);
      expect(org.records('ContentVersion').filter((v) => v.ContentDocumentId === first.documents[0])).to.have.length(2);
    });

    it('deletes a second File titled "Quote logo" added by hand, keeping the newest, which the page prints', async () => {
      const { store, org } = await open(worldReference());
      const account = org.records('Account').find((a) => a.External_Id__c === 'R1')!.Id as string;
      await store.logos!.setLogo(logo(png));
      // An admin also uploads a File with the same title on the account (newer: the one the page would print).
      const manual = org.insert('ContentVersion', {
        Title: 'Quote logo',
        PathOnClient: 'logo-by-hand.jpg',
        VersionData: jpeg.toString('base64'),
        FirstPublishLocationId: account,
      });
      const manualDocument = org.records('ContentVersion').find((v) => v.Id === manual)!.ContentDocumentId as string;
      expect(logoFiles(org, account).documents).to.have.length(2);
      expect((await store.logos!.getLogo('R1'))?.data.equals(jpeg), 'the newest is the logo').to.equal(true);

      await store.logos!.setLogo(logo(png));
      const after = logoFiles(org, account);
      expect(after.documents, 'the new version went to the newest File').to.deep.equal([manualDocument]);
      expect(org.records('ContentDocument')).to.have.length(1);
      expect((await store.logos!.getLogo('R1'))?.data.equals(png)).to.equal(true);

      expect(await store.logos!.removeLogo('R1')).to.equal(true);
      expect(org.records('ContentDocument')).to.have.length(0);
      expect(org.records('ContentVersion')).to.have.length(0);
      expect(org.records('ContentDocumentLink')).to.have.length(0);
    });

    it('reads as no logo a File titled "Quote logo" that is no PNG or JPEG, as the page does', async () => {
      const { store, org } = await open(worldReference());
      const account = org.records('Account').find((a) => a.External_Id__c === 'R1')!.Id as string;
      org.insert('ContentVersion', {
        Title: 'Quote logo',
        PathOnClient: 'logo.gif',
        VersionData: Buffer.from('GIF89a\x01\x00', 'latin1').toString('base64'),
        FirstPublishLocationId: account,
      });
      expect(await store.logos!.getLogo('R1')).to.equal(undefined);
      await expectRejection(store.logos!.getLogo('NO-SUCH'), NotFoundError, /Account NO-SUCH/);
    });
  });
});
