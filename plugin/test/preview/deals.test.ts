import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { startPortalServer, type PortalServer } from '../../src/preview/server.js';
import type { DealView } from '../../src/services/deals.js';
import type { QuoteDetail } from '../../src/services/quotes.js';
import { TODAY, buildWorld, signedIn, type ErrorReply, type PortalClient, type UserKey } from './fixtures.js';

/**
 * DealRegistrationController over HTTP (docs/DEALS.md): every rule of engagement and visibility rule the
 * issue names. The fixture world: D1 sells to R1 and R2, D2 to R3 (test/preview/fixtures.ts); TODAY is
 * 2026-03-01, a Sunday, so a registration made today is due for decision on Tuesday 2026-03-03.
 */

const registration = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  distributorId: 'D1',
  endCustomer: { name: 'Nordic Freight AB', country: 'SE' },
  families: [{ family: 'Licenses', estimatedQuantity: 40 }],
  estimatedValue: '24000.00',
  currencyCode: 'EUR',
  expectedCloseDate: '2026-06-30',
  note: 'Fleet renewal',
  ...over,
});

describe('preview server: deal registrations', () => {
  let dir: string;
  let dbFile: string;
  let server: PortalServer;
  let today = TODAY;
  const as = {} as Record<UserKey, PortalClient>;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-deals-'));
    dbFile = path.join(dir, 'cpq.db');
    await buildWorld(dbFile);
    server = await startPortalServer({ dbFile, port: 0, today: () => today, log: () => undefined });
    for (const key of ['vendor', 'd1', 'd2', 'r1', 'r2', 'r3'] as const) as[key] = await signedIn(server, key);
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const count = (sql: string): number => {
    const db = new Database(dbFile, { readonly: true });
    try {
      return (db.prepare(sql).get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  async function refused(
    client: PortalClient,
    target: string,
    params: unknown,
    status: number,
    code: string,
  ): Promise<ErrorReply> {
    const reply = await client.apex<ErrorReply>(target, params);
    expect(reply.status, `${target}: ${reply.text}`).to.equal(status);
    expect(reply.body.error.code).to.equal(code);
    return reply.body;
  }

  let first: DealView;

  it('a reseller registers through its distributor: Submitted, decision due in 2 business days', async () => {
    first = await as.r1.ok<DealView>('DealRegistrationController.registerDeal', { registration: registration() });
    expect(first.number).to.equal('DR-00001');
    expect([first.status, first.resellerId, first.distributorId, first.decisionDueDate]).to.deep.equal([
      'Submitted',
      'R1',
      'D1',
      '2026-03-03',
    ]);
    expect(first.endCustomer.name).to.equal('Nordic Freight AB');
    expect(first.protectionDaysLeft).to.equal(0);
  });

  it('refuses a distributor the reseller holds no Active agreement with (400 naming the field)', async () => {
    const body = await refused(
      as.r1,
      'DealRegistrationController.registerDeal',
      { registration: registration({ distributorId: 'D2' }) },
      400,
      'INVALID_INPUT',
    );
    expect(body.error.message).to.contain('registration.distributorId');
    expect(JSON.stringify(body)).to.contain('no Active agreement');
  });

  it('refuses an unknown family and an end customer the reseller cannot see (400 naming the field)', async () => {
    const body = await refused(
      as.r1,
      'DealRegistrationController.registerDeal',
      { registration: registration({ families: [{ family: 'Hardware', estimatedQuantity: 1 }] }) },
      400,
      'INVALID_INPUT',
    );
    expect(body.error.message).to.contain('registration.families.0.family');
    // R2's quotes name E2 only (fixtures.ts): E1 exists but R2 cannot see it.
    const hidden = await refused(
      as.r2,
      'DealRegistrationController.registerDeal',
      { registration: registration({ endCustomer: undefined, endCustomerId: 'E1' }) },
      400,
      'INVALID_INPUT',
    );
    expect(hidden.error.message).to.contain('registration.endCustomerId');
  });

  it("another reseller's registration of the same company and family: DEAL_CONFLICT (409), holder unnamed, nothing written", async () => {
    const before = [
      count('SELECT COUNT(*) AS n FROM deal_registrations'),
      count("SELECT COUNT(*) AS n FROM accounts WHERE type = 'endCustomer'"),
    ];
    const accountJson = (): string =>
      (
        new Database(dbFile, { readonly: true }).prepare('SELECT json FROM accounts WHERE id = ?').get(first.endCustomer.id) as {
          json: string;
        }
      ).json;
    const accountBefore = accountJson();
    const body = await refused(
      as.r2,
      'DealRegistrationController.registerDeal',
      // The same company written differently: de-duplicated to the same account.
      { registration: registration({ endCustomer: { name: 'NORDIC  freight', country: 'se' } }) },
      409,
      'DEAL_CONFLICT',
    );
    const said = JSON.stringify(body);
    expect(said).to.contain('already registered by another partner');
    for (const secret of ['R1', 'Reseller One', 'DR-00001', first.id, 'u-r1', 'Rita']) expect(said).not.to.contain(secret);
    expect([
      count('SELECT COUNT(*) AS n FROM deal_registrations'),
      count("SELECT COUNT(*) AS n FROM accounts WHERE type = 'endCustomer'"),
    ]).to.deep.equal(before);
    expect(accountJson()).to.equal(accountBefore); // R2 was not even given sight of the account
    // Another family of the same customer is free.
    const other = await as.r2.ok<DealView>('DealRegistrationController.registerDeal', {
      registration: registration({
        endCustomer: { name: 'Nordic Freight', country: 'SE' },
        families: [{ family: 'Services', estimatedQuantity: 3 }],
      }),
    });
    expect(other.endCustomer.id).to.equal(first.endCustomer.id);
  });

  it('the same reseller registering its own claim again: DEAL_ALREADY_REGISTERED naming its registration', async () => {
    const body = await refused(
      as.r1,
      'DealRegistrationController.registerDeal',
      { registration: registration() },
      409,
      'DEAL_ALREADY_REGISTERED',
    );
    expect(body.error.message).to.contain('DR-00001');
  });

  it("visibility: a reseller never sees another reseller's registration; a distributor sees only its resellers'", async () => {
    const numbers = async (key: UserKey): Promise<string[]> =>
      (await as[key].ok<DealView[]>('DealRegistrationController.listDeals', {})).map((d) => d.number).sort();
    expect(await numbers('r1')).to.deep.equal(['DR-00001']);
    expect(await numbers('r2')).to.deep.equal(['DR-00002']);
    expect(await numbers('r3')).to.deep.equal([]);
    expect(await numbers('d1')).to.deep.equal(['DR-00001', 'DR-00002']);
    expect(await numbers('d2')).to.deep.equal([]);
    expect(await numbers('vendor')).to.deep.equal(['DR-00001', 'DR-00002']);
    await refused(as.r2, 'DealRegistrationController.getDeal', { dealId: first.id }, 404, 'NOT_FOUND');
    await refused(as.d2, 'DealRegistrationController.getDeal', { dealId: first.id }, 404, 'NOT_FOUND');
    expect((await as.d1.ok<DealView>('DealRegistrationController.getDeal', { dealId: first.id })).number).to.equal('DR-00001');
  });

  it('decisions: another distributor gets 404, a reseller 403, a rejection needs a comment; D1 approves', async () => {
    const decide = { dealId: first.id, version: first.version, decision: 'Approved' };
    await refused(as.d2, 'DealRegistrationController.decideDeal', decide, 404, 'NOT_FOUND');
    await refused(as.r1, 'DealRegistrationController.decideDeal', decide, 403, 'FORBIDDEN');
    await refused(as.d1, 'DealRegistrationController.decideDeal', { ...decide, decision: 'Rejected' }, 400, 'INVALID_INPUT');
    await refused(as.d1, 'DealRegistrationController.decideDeal', { ...decide, version: first.version + 1 }, 409, 'CONFLICT');
    today = '2026-03-02';
    first = await as.d1.ok<DealView>('DealRegistrationController.decideDeal', { ...decide, comment: 'Go' });
    expect([first.status, first.protectedUntil, first.protectionDaysLeft]).to.deep.equal(['Approved', '2026-05-30', 90]);
    await refused(as.d1, 'DealRegistrationController.decideDeal', { ...decide, version: first.version }, 422, 'INVALID_STATE');
  });

  it('extends once (distributor only), then converts to a Draft quote for the same customer', async () => {
    await refused(as.r1, 'DealRegistrationController.extendDeal', { dealId: first.id, version: first.version }, 403, 'FORBIDDEN');
    first = await as.d1.ok<DealView>('DealRegistrationController.extendDeal', { dealId: first.id, version: first.version });
    expect([first.protectedUntil, first.extended]).to.deep.equal(['2026-08-28', true]);
    await refused(
      as.d1,
      'DealRegistrationController.extendDeal',
      { dealId: first.id, version: first.version },
      422,
      'ALREADY_EXTENDED',
    );
    await refused(
      as.r2,
      'DealRegistrationController.convertToQuote',
      { dealId: first.id, version: first.version },
      404,
      'NOT_FOUND',
    );
    const converted = await as.r1.ok<{ deal: DealView; quoteId: string }>('DealRegistrationController.convertToQuote', {
      dealId: first.id,
      version: first.version,
    });
    expect(converted.deal.status).to.equal('Converted');
    const quote = await as.r1.ok<QuoteDetail>('QuoteController.getQuote', { quoteId: converted.quoteId });
    expect([quote.quote.status, quote.quote.endCustomerId, quote.quote.distributorId, quote.quote.currency]).to.deep.equal([
      'Draft',
      first.endCustomer.id,
      'D1',
      'EUR',
    ]);
    // CHANNEL.md: a Licenses line of the converted quote earns A-R1-D1's 5 points on top of its 20 %, and its
    // trace names the registration; the same line on an ordinary quote of R1 gets 20 %.
    const saved = await as.r1.ok<QuoteDetail>('QuoteController.saveQuote', {
      quoteId: converted.quoteId,
      version: quote.quote.version,
      lines: [{ productId: 'LIC', quantity: '1' }],
    });
    expect(saved.quote.registeredDeal).to.deep.include({ number: first.number, families: ['Licenses'] });
    expect(saved.pricing.lines[0]!.partnerDiscount).to.deep.include({
      rulePercent: '20',
      registeredDealId: first.number,
      registeredDealBonusPercent: '5',
      percent: '25',
    });
    const plain = await as.r1.ok<QuoteDetail>('QuoteController.createQuote', {
      quote: {
        endCustomerId: first.endCustomer.id,
        distributorId: 'D1',
        currency: 'EUR',
        startDate: today,
        lines: [{ productId: 'LIC', quantity: '1' }],
      },
    });
    expect(plain.pricing.lines[0]!.partnerDiscount).to.deep.include({ percent: '20' });
    expect(plain.pricing.lines[0]!.partnerDiscount).not.to.have.property('registeredDealId');
    await refused(
      as.r1,
      'DealRegistrationController.withdrawDeal',
      { dealId: first.id, version: converted.deal.version },
      422,
      'INVALID_STATE',
    );
  });

  it('withdrawal releases the claim: another reseller may then register the family', async () => {
    const [mine] = await as.r2.ok<DealView[]>('DealRegistrationController.listDeals', {});
    await refused(
      as.r1,
      'DealRegistrationController.withdrawDeal',
      { dealId: mine!.id, version: mine!.version },
      404,
      'NOT_FOUND',
    );
    const withdrawn = await as.r2.ok<DealView>('DealRegistrationController.withdrawDeal', {
      dealId: mine!.id,
      version: mine!.version,
    });
    expect(withdrawn.status).to.equal('Withdrawn');
    const again = await as.r1.ok<DealView>('DealRegistrationController.registerDeal', {
      registration: registration({ families: [{ family: 'Services', estimatedQuantity: 1 }] }),
    });
    expect(again.status).to.equal('Submitted');
  });

  it('the daily job at server start escalates late decisions and expires lapsed protection', async () => {
    // R3 registers through D2; nobody decides it.
    const late = await as.r3.ok<DealView>('DealRegistrationController.registerDeal', {
      registration: registration({ distributorId: 'D2', endCustomer: { name: 'Pacific Rail', country: 'US' } }),
    });
    expect(late.decisionDueDate).to.equal('2026-03-04'); // submitted Monday 2026-03-02
    const d2Approves = await as.r3.ok<DealView>('DealRegistrationController.registerDeal', {
      registration: registration({ distributorId: 'D2', endCustomer: { name: 'Atlantic Air', country: 'US' } }),
    });
    await as.d2.ok<DealView>('DealRegistrationController.decideDeal', {
      dealId: d2Approves.id,
      version: d2Approves.version,
      decision: 'Approved',
    });
    await server.close();
    const logs: string[] = [];
    today = '2026-05-31'; // Atlantic Air protected through 2026-05-30
    server = await startPortalServer({ dbFile, port: 0, today: () => today, log: (line) => logs.push(line) });
    for (const key of ['vendor', 'd1', 'd2', 'r1', 'r2', 'r3'] as const) as[key] = await signedIn(server, key);
    expect(logs.join('\n')).to.match(/Deal registrations escalated: .*DR-00004/);
    expect(logs.join('\n')).to.match(/Deal registrations expired: DR-00005/);
    const after = await as.d2.ok<DealView[]>('DealRegistrationController.listDeals', {});
    expect(after.map((d) => [d.number, d.status, d.escalated])).to.deep.equal([
      ['DR-00005', 'Expired', false],
      ['DR-00004', 'Submitted', true],
    ]);
    // The converted registration is still protected (extended to 2026-08-28).
    const converted = await as.r1.ok<DealView>('DealRegistrationController.getDeal', { dealId: first.id });
    expect([converted.status, converted.protectionDaysLeft]).to.deep.equal(['Converted', 90]);
  });
  it('two resellers registering the same new company and family at once: exactly one wins (5 rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const params = { registration: registration({ endCustomer: { name: `Race Target ${round} GmbH`, country: 'DE' } }) };
      const replies = await Promise.all([
        as.r1.apex<ErrorReply>('DealRegistrationController.registerDeal', params),
        as.r2.apex<ErrorReply>('DealRegistrationController.registerDeal', params),
      ]);
      expect(replies.map((r) => r.status).sort(), replies.map((r) => r.text).join('\n')).to.deep.equal([200, 409]);
      expect(replies.find((r) => r.status === 409)!.body.error.code).to.equal('DEAL_CONFLICT');
    }
    const raced = "SELECT id FROM deal_registrations WHERE json_extract(json, '$.endCustomer.name') LIKE 'Race Target%'";
    expect(count(`SELECT COUNT(*) AS n FROM (${raced})`)).to.equal(5);
    expect(count(`SELECT COUNT(*) AS n FROM deal_claims WHERE active = 1 AND deal_id IN (${raced})`)).to.equal(5);
  });
});
