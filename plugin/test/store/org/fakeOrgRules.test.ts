import { expect } from 'chai';
import { FakeOrg, isSalesforceId, toId18 } from './fakeOrg.js';
import { adminWithCpqAdmin } from './fakeOrgStore.js';

/**
 * The platform rules the fake org enforces (docs/ORG-CHECKS.md, "Platform rules the fake org enforces"),
 * each shown refused with the error an org gives. Requests go through `handle`, as jsforce sends them.
 */

type Fault = { errorCode: string; message: string; fields?: string[] };
const V = '/services/data/v64.0';

async function refusal(org: FakeOrg, method: string, url: string, body?: unknown): Promise<Fault> {
  try {
    await org.handle({ method, url: `${V}${url}`, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    return error as Fault;
  }
  return expect.fail(`${method} ${url} was accepted`);
}

const q = (soql: string): string => `/query?q=${encodeURIComponent(soql)}`;

describe('fake org: platform rules', () => {
  let org: FakeOrg;
  beforeEach(() => {
    org = new FakeOrg();
    adminWithCpqAdmin(org);
  });

  it('a user’s Name is its first and last names, on insert and on update', () => {
    const id = org.insert('User', { FirstName: 'Astrid', LastName: 'Holm', Username: 'astrid@x.test', Email: 'a@x.test' });
    expect(org.records('User').find((u) => u.Id === id)?.Name).to.equal('Astrid Holm');
    org.update('User', id, { LastName: 'Berg' });
    expect(org.records('User').find((u) => u.Id === id)?.Name).to.equal('Astrid Berg');
    const only = org.insert('User', { LastName: 'cpq-reseller', Username: 'r@x.test', Email: 'r@x.test' });
    expect(org.records('User').find((u) => u.Id === only)?.Name).to.equal('cpq-reseller');
  });

  it('files: FirstPublishLocationId links the new File to the record; a new version replaces the latest', async () => {
    const account = org.insert('Account', { Name: 'Fjord IT' });
    const created = (await org.handle({
      method: 'POST',
      url: `${V}/sobjects/ContentVersion`,
      body: JSON.stringify({
        Title: 'Quote logo',
        PathOnClient: 'a.png',
        VersionData: 'iVBORw0KGgo=',
        FirstPublishLocationId: account,
      }),
    })) as { id: string };
    const first = org.records('ContentVersion').find((v) => v.Id === created.id)!;
    const document = first.ContentDocumentId as string;
    expect(org.records('ContentDocumentLink')).to.deep.include.members([
      org.records('ContentDocumentLink').find((l) => l.ContentDocumentId === document && l.LinkedEntityId === account)!,
    ]);
    expect(org.records('ContentDocumentLink')).to.have.length(1);
    const second = org.insert('ContentVersion', {
      Title: 'Quote logo',
      PathOnClient: 'b.png',
      VersionData: 'iVBORw0KGgo=',
      ContentDocumentId: document,
    });
    const versions = org.records('ContentVersion');
    expect(versions.map((v) => [v.Id, v.IsLatest])).to.deep.equal([
      [created.id, false],
      [second, true],
    ]);
    expect(org.records('ContentDocument')[0]).to.include({ LatestPublishedVersionId: second });
    // A REST query answers the URL of a blob, whose bytes GET .../VersionData answers.
    const page = (await org.handle({
      method: 'GET',
      url: `${V}${q(`SELECT VersionData FROM ContentVersion WHERE Id = '${second}'`)}`,
    })) as { records: { VersionData: string }[] };
    expect(page.records[0]!.VersionData).to.equal(`/services/data/v62.0/sobjects/ContentVersion/${second}/VersionData`);
    const blob = org.handle({ method: 'GET', url: `${V}/sobjects/ContentVersion/${second}/VersionData` }) as Promise<unknown> & {
      stream: () => AsyncIterable<Buffer>;
    };
    const chunks: Buffer[] = [];
    for await (const chunk of blob.stream()) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString('base64')).to.equal('iVBORw0KGgo=');
    // Binary data: never a subrequest of a composite request.
    const composite = (await org.handle({
      method: 'POST',
      url: `${V}/composite`,
      body: JSON.stringify({
        allOrNone: true,
        compositeRequest: [{ method: 'GET', url: `${V}/sobjects/ContentVersion/${second}/VersionData`, referenceId: 'blob' }],
      }),
    })) as { compositeResponse: { httpStatusCode: number; body: Fault[] }[] };
    expect(composite.compositeResponse[0]!.httpStatusCode).to.equal(400);
    expect(composite.compositeResponse[0]!.body[0]).to.include({ errorCode: 'INVALID_URL' });
  });

  it('files: ContentDocumentLink is queried by Id, ContentDocumentId or LinkedEntityId only', async () => {
    const account = org.insert('Account', { Name: 'Fjord IT' });
    org.insert('ContentVersion', { Title: 'x', PathOnClient: 'x.png', VersionData: 'eA==', FirstPublishLocationId: account });
    for (const soql of [
      'SELECT Id FROM ContentDocumentLink',
      "SELECT Id FROM ContentDocumentLink WHERE ShareType = 'V'",
      `SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId != '${account}'`,
      `SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '${account}' OR ShareType = 'V'`,
    ]) {
      const fault = await refusal(org, 'GET', q(soql));
      expect(fault, soql).to.include({ errorCode: 'MALFORMED_QUERY' });
      expect(fault.message).to.match(/^Implementation restriction: ContentDocumentLink requires a filter by a single Id/);
    }
    expect(
      org.query(`SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '${account}' AND ShareType = 'V'`),
    ).to.have.length(1);
  });

  it('files: deleting a ContentDocument deletes its versions and links; a ContentVersion cannot be deleted', async () => {
    const account = org.insert('Account', { Name: 'Fjord IT' });
    const version = org.insert('ContentVersion', {
      Title: 'x',
      PathOnClient: 'x.png',
      VersionData: 'eA==',
      FirstPublishLocationId: account,
    });
    const document = org.records('ContentVersion')[0]!.ContentDocumentId as string;
    expect(await refusal(org, 'DELETE', `/sobjects/ContentVersion/${version}`)).to.include({
      errorCode: 'INVALID_TYPE_FOR_OPERATION',
    });
    await org.handle({ method: 'DELETE', url: `${V}/sobjects/ContentDocument/${document}` });
    expect([org.records('ContentDocument'), org.records('ContentVersion'), org.records('ContentDocumentLink')]).to.deep.equal([
      [],
      [],
      [],
    ]);
    expect(org.records('Account')).to.have.length(1);
  });

  it('files: a JSON request carries at most 37.5 MB of base64-encoded blob data', async () => {
    const account = org.insert('Account', { Name: 'Fjord IT' });
    const body = (bytes: number): unknown => ({
      Title: 'big',
      PathOnClient: 'big.bin',
      VersionData: Buffer.alloc(bytes).toString('base64'),
      FirstPublishLocationId: account,
    });
    const fault = await refusal(org, 'POST', '/sobjects/ContentVersion', body(37.5 * 1024 * 1024 + 1));
    expect(fault).to.include({ errorCode: 'JSON_PARSER_ERROR' });
    expect(org.records('ContentDocument')).to.have.length(0);
    await org.handle({ method: 'POST', url: `${V}/sobjects/ContentVersion`, body: JSON.stringify(body(37.5 * 1024 * 1024)) });
    expect(org.records('ContentDocument')).to.have.length(1);
  });

  it('currencies: a dated rate needs an active currency of the org (restricted picklist), a currency is unique', async () => {
    const rate = { IsoCode: 'EUR', StartDate: '2026-01-01', ConversionRate: 0.9 };
    const unknown = await refusal(org, 'POST', '/sobjects/DatedConversionRate', rate);
    expect(unknown).to.include({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
    expect(unknown.message).to.equal('Currency ISO Code: bad value for restricted picklist field: EUR');
    org.insert('CurrencyType', { IsoCode: 'EUR', IsActive: false, DecimalPlaces: 2, ConversionRate: 0.9 });
    expect(await refusal(org, 'POST', '/sobjects/DatedConversionRate', rate)).to.include({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    });
    const twice = await refusal(org, 'POST', '/sobjects/CurrencyType', {
      IsoCode: 'EUR',
      IsActive: true,
      DecimalPlaces: 2,
      ConversionRate: 1,
    });
    expect(twice).to.include({ errorCode: 'DUPLICATE_VALUE' });
    // The corporate currency of the scratch definition exists from the start.
    expect(org.records('CurrencyType').find((c) => c.IsCorporate === true)).to.include({ IsoCode: 'USD', IsActive: true });
    expect(org.records('DatedConversionRate')).to.have.length(0);
  });

  it('ids: 15 characters, or 18 whose suffix encodes the upper-case letters; generated ids are valid', () => {
    expect(toId18('001000000000001')).to.equal('001000000000001AAA');
    // '00E00': the upper-case E is the third character of the first chunk: bit 2, value 4, 'E'.
    expect(toId18('00E000000000001')).to.equal('00E000000000001EAA');
    expect(isSalesforceId('00E000000000001EAA')).to.equal(true);
    expect(isSalesforceId('00E000000000001AAA')).to.equal(false);
    expect(isSalesforceId('u-vendor')).to.equal(false);
    const id = org.insert('UserRole', { Name: 'R' });
    expect(isSalesforceId(id), id).to.equal(true);
  });

  it('a filter on Id with no record id in it is INVALID_QUERY_FILTER_OPERATOR, rows or none', async () => {
    const fault = await refusal(org, 'GET', q("SELECT Id FROM User WHERE Id = 'u-vendor'"));
    expect(fault).to.include({ errorCode: 'INVALID_QUERY_FILTER_OPERATOR' });
    expect(fault.message).to.equal('invalid ID field: u-vendor');
  });

  it('field-level security: a field no permission set of the user grants is "No such column" to read and refused to write', async () => {
    // Cpq_Admin grants Quote_Number__c; strip the admin's assignment and the same field disappears.
    await org.handle({ method: 'GET', url: `${V}${q('SELECT Quote_Number__c FROM Channel_Quote__c')}` });
    for (const a of org.records('PermissionSetAssignment')) org.delete(a.Id as string);
    const read = await refusal(org, 'GET', q('SELECT Quote_Number__c FROM Channel_Quote__c'));
    expect(read.errorCode).to.equal('INVALID_FIELD');
    expect(read.message).to.match(/^No such column 'Quote_Number__c' on entity 'Channel_Quote__c'/);
    const filter = await refusal(org, 'GET', q("SELECT Id FROM Channel_Quote__c WHERE Quote_Number__c = 'Q-1'"));
    expect(filter.errorCode).to.equal('INVALID_FIELD');
    const write = await refusal(org, 'POST', '/sobjects/Channel_Quote__c', { Quote_Number__c: 'Q-1' });
    expect(write.errorCode).to.equal('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(write.message).to.match(/^Unable to create\/update fields: Quote_Number__c\. Please check the security settings/);
    expect(org.records('Channel_Quote__c')).to.have.length(0);
  });

  it('composite: at most 5 of its subrequests may be sObject Collections or queries', async () => {
    const query = (i: number): unknown => ({ method: 'GET', url: `${V}${q('SELECT Id FROM Account')}`, referenceId: `q${i}` });
    await org.handle({
      method: 'POST',
      url: `${V}/composite`,
      body: JSON.stringify({ allOrNone: true, compositeRequest: [0, 1, 2, 3, 4].map(query) }),
    });
    const fault = await refusal(org, 'POST', '/composite', { allOrNone: true, compositeRequest: [0, 1, 2, 3, 4, 5].map(query) });
    expect(fault.errorCode).to.equal('LIMIT_EXCEEDED');
    expect(fault.message).to.contain('at most 5 sObject Collections or query subrequests (got 6)');
  });

  it('composite graph: at most 500 nodes per request', async () => {
    const node = (i: number): unknown => ({
      method: 'POST',
      url: `${V}/sobjects/Account`,
      referenceId: `a${i}`,
      body: { Name: `A${i}` },
    });
    const graphs = [0, 1].map((g) => ({
      graphId: `g${g}`,
      compositeRequest: Array.from({ length: 251 }, (_, i) => node(g * 251 + i)),
    }));
    const fault = await refusal(org, 'POST', '/composite/graph', { graphs });
    expect(fault.errorCode).to.equal('LIMIT_EXCEEDED');
    expect(org.records('Account')).to.have.length(0);
  });

  it('the daily API allowance: the Limits resource reports it, and past it every request is REQUEST_LIMIT_EXCEEDED', async () => {
    org.dailyApiMax = 3;
    await org.handle({ method: 'GET', url: '/services/data' }); // the versions list is not counted
    await org.handle({ method: 'GET', url: `${V}${q('SELECT Id FROM Account')}` });
    expect(await org.handle({ method: 'GET', url: `${V}/limits` })).to.deep.equal({ DailyApiRequests: { Max: 3, Remaining: 1 } });
    await org.handle({ method: 'GET', url: `${V}${q('SELECT Id FROM Account')}` });
    const refused = await refusal(org, 'GET', q('SELECT Id FROM Account'));
    expect(refused).to.include({ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' });
  });

  it('unique fields refuse a second record with the same value, whatever its case; a lookup must name a record', async () => {
    const customer = { Name: 'Hooli Oy', Channel_Role__c: 'endCustomer', Dedupe_Key__c: 'FI:hooli' };
    await org.handle({ method: 'POST', url: `${V}/sobjects/Account`, body: JSON.stringify(customer) });
    const duplicate = await refusal(org, 'POST', '/sobjects/Account', { ...customer, Name: 'HOOLI', Dedupe_Key__c: 'fi:HOOLI' });
    expect(duplicate.errorCode).to.equal('DUPLICATE_VALUE');
    const dangling = await refusal(org, 'POST', '/sobjects/Distributor_Inventory__c', {
      Distributor__c: toId18('001000000000999'),
      Product__c: toId18('01t000000000999'),
      Quantity__c: 1,
    });
    expect(dangling.errorCode).to.equal('INVALID_CROSS_REFERENCE_KEY');
  });

  it('a text value longer than its field is STRING_TOO_LONG, never truncated: insert, update, upsert, collections', async () => {
    // Account.Name: 255 (field reference); Account.Quote_Terms__c: LongTextArea of length 4000 (its metadata);
    // Channel_Quote__c's Name: a Text name field, 80.
    const fault = await refusal(org, 'POST', '/sobjects/Account', { Name: 'N'.repeat(256) });
    expect(fault).to.include({ errorCode: 'STRING_TOO_LONG' });
    expect(fault.message).to.equal(`Name: data value too large: ${'N'.repeat(256)} (max length=255)`);
    expect(fault.fields).to.deep.equal(['Name']);
    expect(org.records('Account')).to.have.length(0);
    const id = org.insert('Account', { Name: 'N'.repeat(255), Quote_Terms__c: 'T'.repeat(4000) });
    const update = await refusal(org, 'PATCH', `/sobjects/Account/${id}`, { Quote_Terms__c: 'T'.repeat(4001) });
    expect(update).to.include({ errorCode: 'STRING_TOO_LONG' });
    expect(update.message).to.match(/^Quote_Terms__c: data value too large: T+ \(max length=4000\)$/);
    expect(org.records('Account')[0]!.Quote_Terms__c).to.have.length(4000);
    const upsert = await refusal(org, 'PATCH', '/sobjects/Channel_Quote__c/External_Id__c/q-1', { Name: 'Q'.repeat(81) });
    expect(upsert).to.include({ errorCode: 'STRING_TOO_LONG' });
    expect(upsert.fields).to.deep.equal(['Name']);
    expect(() => org.insert('User', { LastName: 'x', Alias: 'ninechars' })).to.throw(/Alias: data value too large/);
    // sObject Collections, allOrNone: the long record fails, the valid one is rolled back.
    const results = (await org.handle({
      method: 'POST',
      url: `${V}/composite/sobjects`,
      body: JSON.stringify({
        allOrNone: true,
        records: [
          { attributes: { type: 'Account' }, Name: 'fine' },
          { attributes: { type: 'Account' }, Name: 'L'.repeat(300) },
        ],
      }),
    })) as { success: boolean; errors: Fault[] }[];
    expect(results.map((r) => r.errors[0]?.errorCode)).to.deep.equal(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'STRING_TOO_LONG']);
    expect(results[1]!.errors[0]!.fields).to.deep.equal(['Name']);
    expect(org.records('Account')).to.have.length(1);
  });

  it('the names the platform makes itself fit their fields: a partner role and its group for a long account name', () => {
    const account = org.insert('Account', { Name: 'A'.repeat(60) });
    const contact = org.insert('Contact', { LastName: 'P', AccountId: account });
    const profile = org.insert('Profile', { Name: 'Partner Community User', UserType: 'PowerPartner' });
    org.insert('User', { LastName: 'P', Username: 'p@x.test', ContactId: contact, ProfileId: profile });
    expect(org.records('UserRole').find((r) => r.PortalAccountId === account)?.Name).to.equal(`${'A'.repeat(60)} Partner User`);
    expect(org.records('Group').find((g) => g.Type === 'Role')?.Name).to.equal('A'.repeat(40));
  });

  it('sObject Collections: at most 200 records per call', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `A${i}` }));
    const fault = await refusal(org, 'POST', '/composite/sobjects', { allOrNone: true, records });
    expect(fault.errorCode).to.equal('EXCEEDED_ID_LIMIT');
    expect(org.records('Account')).to.have.length(0);
  });
  it('files: a version needs PathOnClient and VersionData and creates its document; a link needs a ShareType and a known record', async () => {
    const missing = await refusal(org, 'POST', '/sobjects/ContentVersion', { Title: 'Q-1 v1' });
    expect(missing).to.include({ errorCode: 'REQUIRED_FIELD_MISSING' });
    expect(missing.message).to.equal('Required fields are missing: [PathOnClient, VersionData]');
    const versionId = org.insert('ContentVersion', { Title: 'Q-1 v1', PathOnClient: 'Q-1-v1.pdf', VersionData: 'JVBERi0=' });
    const version = org.records('ContentVersion').find((r) => r.Id === versionId)!;
    const documents = org.records('ContentDocument');
    expect(documents).to.have.length(1);
    expect(version).to.include({ ContentDocumentId: documents[0]!.Id, IsLatest: true });
    expect(documents[0]).to.include({ Title: 'Q-1 v1', LatestPublishedVersionId: versionId });
    const account = org.insert('Account', { Name: 'Linked' });
    const link = { ContentDocumentId: documents[0]!.Id, LinkedEntityId: account, Visibility: 'AllUsers' };
    expect(await refusal(org, 'POST', '/sobjects/ContentDocumentLink', link)).to.include({ errorCode: 'REQUIRED_FIELD_MISSING' });
    expect(await refusal(org, 'POST', '/sobjects/ContentDocumentLink', { ...link, ShareType: 'X' })).to.include({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    });
    expect(
      await refusal(org, 'POST', '/sobjects/ContentDocumentLink', { ...link, ShareType: 'V', Visibility: 'Everyone' }),
    ).to.include({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
    expect(
      await refusal(org, 'POST', '/sobjects/ContentDocumentLink', {
        ...link,
        ShareType: 'V',
        LinkedEntityId: toId18('001000000000999'),
      }),
    ).to.include({ errorCode: 'INVALID_CROSS_REFERENCE_KEY' });
    org.insert('ContentDocumentLink', { ...link, ShareType: 'V' });
    expect(org.records('ContentDocumentLink')).to.have.length(1);
  });
});
