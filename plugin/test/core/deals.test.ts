import { expect } from 'chai';
import fc from 'fast-check';
import {
  addBusinessDays,
  assertNoConflict,
  channelConflictFamilies,
  canSeeRegistration,
  claimKeys,
  convertRegistration,
  dailyDealRun,
  DEFAULT_DEAL_RULES,
  decideRegistration,
  extendRegistration,
  findConflicts,
  holdsClaim,
  newRegistration,
  protectingRegistrations,
  protectionDaysLeft,
  withdrawRegistration,
  type DealActor,
  type DealRegistration,
  type DealRegistrationInput,
} from '../../src/core/deals.js';
import { CpqError } from '../../src/core/errors.js';

/** CHANNEL.md "Deal registration and rules of engagement"; expected dates are counted by hand on a calendar. */

const resellerA: DealActor = { userId: 'uA', role: 'resellerUser', accountId: 'RA' };
const resellerB: DealActor = { userId: 'uB', role: 'resellerUser', accountId: 'RB' };
const distributor: DealActor = { userId: 'uD', role: 'distributorUser', accountId: 'D1' };
const otherDistributor: DealActor = { userId: 'uD2', role: 'distributorUser', accountId: 'D2' };
const vendor: DealActor = { userId: 'uV', role: 'vendorAdmin', accountId: 'V' };

function input(over: Partial<DealRegistrationInput> = {}): DealRegistrationInput {
  return {
    id: 'DR1',
    number: 'DR-0001',
    resellerId: 'RA',
    distributorId: 'D1',
    endCustomer: { id: 'E1', name: 'Skärgård Logistics AB', country: 'SE' },
    families: [{ family: 'Security', estimatedQuantity: 50 }],
    estimatedValue: '12000.00',
    currency: 'EUR',
    expectedCloseDate: '2026-09-30',
    ...over,
  };
}

// 2026-07-01 is a Wednesday.
const submitted = (over: Partial<DealRegistrationInput> = {}, today = '2026-07-01'): DealRegistration =>
  newRegistration(input(over), 'uA', today, DEFAULT_DEAL_RULES);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof CpqError ? e.code : String(e);
  }
  return undefined;
}

describe('deal registration core', () => {
  it('counts business days Monday to Friday', () => {
    expect(addBusinessDays('2026-07-01', 2)).to.equal('2026-07-03'); // Wed → Fri
    expect(addBusinessDays('2026-07-03', 2)).to.equal('2026-07-07'); // Fri → Tue
    expect(addBusinessDays('2026-07-04', 2)).to.equal('2026-07-07'); // Sat → Tue
    expect(addBusinessDays('2026-07-05', 1)).to.equal('2026-07-06'); // Sun → Mon
  });

  it('submits with a decision deadline two business days later and holds the claim', () => {
    const d = submitted({}, '2026-07-03');
    expect(d.status).to.equal('Submitted');
    expect(d.decisionDueDate).to.equal('2026-07-07');
    expect(d.claimActive).to.equal(true);
    expect(holdsClaim(d, '2027-01-01')).to.equal(true);
    expect(claimKeys(d)).to.deep.equal(['E1|SECURITY']);
  });

  it('refuses repeated families and a close date in the past, naming the field', () => {
    const families = [
      { family: 'Security', estimatedQuantity: 1 },
      { family: ' security ', estimatedQuantity: 2 },
    ];
    expect(() => submitted({ families })).to.throw(/families\.1\.family: repeats families\.0\.family/);
    expect(() => submitted({ expectedCloseDate: '2026-06-30' })).to.throw(/expectedCloseDate: must be today/);
  });

  it('approval protects for protectionDays from the approval day, inclusive', () => {
    const d = decideRegistration(submitted(), 'Approved', undefined, distributor, '2026-07-02', DEFAULT_DEAL_RULES);
    expect(d.protectedUntil).to.equal('2026-09-29'); // 2026-07-02 + 89 days
    expect(protectionDaysLeft(d, '2026-07-02')).to.equal(90);
    expect(protectionDaysLeft(d, '2026-09-29')).to.equal(1);
    expect(protectionDaysLeft(d, '2026-09-30')).to.equal(0);
    expect(holdsClaim(d, '2026-09-29')).to.equal(true);
    expect(holdsClaim(d, '2026-09-30')).to.equal(false);
    expect(d.history.map((h) => h.action)).to.deep.equal(['Submitted', 'Approved']);
  });

  it("only the registration's distributor or the vendor decides; a rejection needs a comment", () => {
    expect(
      codeOf(() => decideRegistration(submitted(), 'Approved', 'ok', otherDistributor, '2026-07-02', DEFAULT_DEAL_RULES)),
    ).to.equal('FORBIDDEN_ACTION');
    expect(codeOf(() => decideRegistration(submitted(), 'Approved', 'ok', resellerA, '2026-07-02', DEFAULT_DEAL_RULES))).to.equal(
      'FORBIDDEN_ACTION',
    );
    expect(
      codeOf(() => decideRegistration(submitted(), 'Rejected', '  ', distributor, '2026-07-02', DEFAULT_DEAL_RULES)),
    ).to.equal('INVALID_INPUT');
    const rejected = decideRegistration(
      submitted(),
      'Rejected',
      'Customer is served directly',
      vendor,
      '2026-07-02',
      DEFAULT_DEAL_RULES,
    );
    expect(rejected.status).to.equal('Rejected');
    expect(rejected.claimActive).to.equal(false);
    expect(codeOf(() => decideRegistration(rejected, 'Approved', 'x', vendor, '2026-07-02', DEFAULT_DEAL_RULES))).to.equal(
      'INVALID_STATE',
    );
  });

  it('extends once by the same period, only while protected', () => {
    const approved = decideRegistration(submitted(), 'Approved', undefined, distributor, '2026-07-02', DEFAULT_DEAL_RULES);
    const extended = extendRegistration(approved, distributor, '2026-09-01', DEFAULT_DEAL_RULES);
    expect(extended.protectedUntil).to.equal('2026-12-28'); // 2026-09-29 + 90 days
    expect(codeOf(() => extendRegistration(extended, distributor, '2026-10-01', DEFAULT_DEAL_RULES))).to.equal(
      'ALREADY_EXTENDED',
    );
    expect(codeOf(() => extendRegistration(approved, distributor, '2026-09-30', DEFAULT_DEAL_RULES))).to.equal('INVALID_STATE');
    expect(codeOf(() => extendRegistration(approved, resellerA, '2026-09-01', DEFAULT_DEAL_RULES))).to.equal('FORBIDDEN_ACTION');
  });

  it('withdraws (reseller only) and converts a protected Approved registration', () => {
    expect(codeOf(() => withdrawRegistration(submitted(), resellerB, '2026-07-02'))).to.equal('FORBIDDEN_ACTION');
    const withdrawn = withdrawRegistration(submitted(), resellerA, '2026-07-02');
    expect([withdrawn.status, withdrawn.claimActive]).to.deep.equal(['Withdrawn', false]);
    expect(codeOf(() => convertRegistration(submitted(), 'Q1', resellerA, '2026-07-02'))).to.equal('INVALID_STATE');
    const approved = decideRegistration(submitted(), 'Approved', undefined, distributor, '2026-07-02', DEFAULT_DEAL_RULES);
    const converted = convertRegistration(approved, 'Q1', resellerA, '2026-07-10');
    expect([converted.status, converted.quoteId, holdsClaim(converted, '2026-07-10')]).to.deep.equal(['Converted', 'Q1', true]);
    expect(codeOf(() => withdrawRegistration(converted, resellerA, '2026-07-11'))).to.equal('INVALID_STATE');
  });

  it('the daily job escalates late decisions once, expires lapsed protection and releases converted claims', () => {
    const s = submitted(); // due 2026-07-03
    expect(dailyDealRun([s], '2026-07-03')).to.deep.equal([]);
    const [escalated] = dailyDealRun([s], '2026-07-04');
    expect([escalated!.escalated, escalated!.status]).to.deep.equal([true, 'Submitted']);
    expect(dailyDealRun([escalated!], '2026-07-05')).to.deep.equal([]);
    const approved = decideRegistration(s, 'Approved', undefined, distributor, '2026-07-02', DEFAULT_DEAL_RULES);
    expect(dailyDealRun([approved], '2026-09-29')).to.deep.equal([]);
    const [expired] = dailyDealRun([approved], '2026-09-30');
    expect([expired!.status, expired!.claimActive]).to.deep.equal(['Expired', false]);
    const converted = convertRegistration(approved, 'Q1', resellerA, '2026-07-10');
    const [released] = dailyDealRun([converted], '2026-09-30');
    expect([released!.status, released!.claimActive]).to.deep.equal(['Converted', false]);
  });

  it("refuses another partner's held claim with DEAL_CONFLICT that never names the holder", () => {
    const holder = submitted({ number: 'DR-SECRET-42', resellerId: 'RA', distributorId: 'D1' });
    const candidate = submitted({
      id: 'DR2',
      resellerId: 'RB',
      // Another account id but the same company by normalised name and country.
      endCustomer: { id: 'E9', name: 'SKARGARD logistics', country: 'SE' },
      families: [
        { family: 'Backup', estimatedQuantity: 1 },
        { family: 'SECURITY', estimatedQuantity: 5 },
      ],
    });
    const conflicts = findConflicts(candidate, [holder], '2026-07-01');
    expect(conflicts.map((c) => [c.index, c.heldBy])).to.deep.equal([[1, 'other']]);
    let error: CpqError | undefined;
    try {
      assertNoConflict(conflicts, [holder]);
    } catch (e) {
      error = e as CpqError;
    }
    expect(error?.code).to.equal('DEAL_CONFLICT');
    expect(error?.status).to.equal(409);
    expect(error?.issues.map((i) => i.path)).to.deep.equal(['families.1.family']);
    const said = JSON.stringify({ m: error?.message, i: error?.issues });
    for (const secret of ['DR-SECRET-42', 'DR1', 'RA', 'D1', 'uA']) expect(said).not.to.include(secret);
    // Own claim: a different code that may name the reseller's own registration.
    const own = findConflicts({ ...candidate, resellerId: 'RA' }, [holder], '2026-07-01');
    expect(codeOf(() => assertNoConflict(own, [holder]))).to.equal('DEAL_ALREADY_REGISTERED');
    // Released claims (rejected, withdrawn, lapsed) no longer conflict.
    const rejected = decideRegistration(holder, 'Rejected', 'no', distributor, '2026-07-02', DEFAULT_DEAL_RULES);
    expect(findConflicts(candidate, [rejected], '2026-07-02')).to.deep.equal([]);
    const approved = decideRegistration(holder, 'Approved', undefined, distributor, '2026-07-02', DEFAULT_DEAL_RULES);
    expect(findConflicts(candidate, [approved], '2026-09-29')).to.have.length(1);
    expect(findConflicts(candidate, [approved], '2026-09-30')).to.deep.equal([]);
  });

  it('visibility: own reseller, its distributor, the vendor', () => {
    const d = submitted();
    expect([resellerA, resellerB, distributor, otherDistributor, vendor].map((a) => canSeeRegistration(d, a))).to.deep.equal([
      true,
      false,
      true,
      false,
      true,
    ]);
  });

  it('property: protection lasts exactly protectionDays (twice that when extended), conflicts only while held', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 900 }),
        fc.boolean(),
        (offset, protectionDays, probe, extend) => {
          const rules = { ...DEFAULT_DEAL_RULES, protectionDays };
          const day = (n: number): string => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
          const approvedOn = day(offset);
          let d = decideRegistration(
            submitted({ expectedCloseDate: '2099-12-31' }, approvedOn),
            'Approved',
            undefined,
            distributor,
            approvedOn,
            rules,
          );
          if (extend) d = extendRegistration(d, distributor, approvedOn, rules);
          const total = extend ? 2 * protectionDays : protectionDays;
          const today = day(offset + probe);
          const held = probe < total;
          const other = { ...d, id: 'X', resellerId: 'RB' };
          return (
            holdsClaim(d, today) === held &&
            protectionDaysLeft(d, today) === (held ? total - probe : 0) &&
            findConflicts(other, [d], today).length === (held ? 1 : 0) &&
            (dailyDealRun([d], today).length === 1) === !held
          );
        },
      ),
    );
  });

  it('property: the decision deadline is never on a weekend and counts exactly n weekdays', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 20 }), (offset, n) => {
        const start = new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000);
        const due = addBusinessDays(start.toISOString().slice(0, 10), n);
        let weekdays = 0;
        for (let t = start.getTime() + 86_400_000; t <= Date.parse(`${due}T00:00:00Z`); t += 86_400_000) {
          const w = new Date(t).getUTCDay();
          if (w !== 0 && w !== 6) weekdays++;
        }
        const w = new Date(`${due}T00:00:00Z`).getUTCDay();
        return w !== 0 && w !== 6 && weekdays === n;
      }),
    );
  });
});

describe('channel conflict: which registrations protect a quote’s end customer (CHANNEL.md)', () => {
  // Approved 2026-07-02 with 90 days: protected through 2026-09-29.
  const approve = (d: DealRegistration): DealRegistration =>
    decideRegistration(d, 'Approved', undefined, distributor, '2026-07-02', DEFAULT_DEAL_RULES);
  const quoteOfB = { resellerId: 'RB', endCustomerId: 'E1' };

  it('another reseller’s Approved or Converted registration protects; Submitted, Rejected, Withdrawn and lapsed ones do not', () => {
    const approved = approve(submitted({ families: [{ family: 'Security', estimatedQuantity: 1 }] }));
    const converted = convertRegistration(
      approve(submitted({ id: 'DR2', families: [{ family: 'Backup', estimatedQuantity: 1 }] })),
      'Q1',
      resellerA,
      '2026-07-03',
    );
    const pending = submitted({ id: 'DR3', families: [{ family: 'Storage', estimatedQuantity: 1 }] });
    const rejected = decideRegistration(
      submitted({ id: 'DR4', families: [{ family: 'Network', estimatedQuantity: 1 }] }),
      'Rejected',
      'no',
      distributor,
      '2026-07-02',
      DEFAULT_DEAL_RULES,
    );
    const withdrawn = withdrawRegistration(
      approve(submitted({ id: 'DR5', families: [{ family: 'Mail', estimatedQuantity: 1 }] })),
      resellerA,
      '2026-07-03',
    );
    const all = [approved, converted, pending, rejected, withdrawn];
    expect(protectingRegistrations(all, quoteOfB, '2026-07-10').map((d) => d.id)).to.deep.equal(['DR1', 'DR2']);
    expect(channelConflictFamilies(all, quoteOfB, '2026-07-10')).to.deep.equal(['Backup', 'Security']);
    // The last protected day still counts; the day after, nothing does.
    expect(channelConflictFamilies(all, quoteOfB, '2026-09-29')).to.deep.equal(['Backup', 'Security']);
    expect(channelConflictFamilies(all, quoteOfB, '2026-09-30')).to.deep.equal([]);
  });

  it('the reseller’s own registration and other end customers never conflict; families come out once', () => {
    const mine = approve(submitted());
    const again = approve(submitted({ id: 'DR2', resellerId: 'RC', families: [{ family: 'Security', estimatedQuantity: 9 }] }));
    expect(channelConflictFamilies([mine], { resellerId: 'RA', endCustomerId: 'E1' }, '2026-07-10')).to.deep.equal([]);
    expect(channelConflictFamilies([mine], { resellerId: 'RB', endCustomerId: 'E2' }, '2026-07-10')).to.deep.equal([]);
    expect(channelConflictFamilies([mine, again], quoteOfB, '2026-07-10')).to.deep.equal(['Security']);
  });
});
