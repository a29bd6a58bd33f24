import { expect } from 'chai';
import fc from 'fast-check';
import type { AccountRecord, ContractRecord, SubscriptionRecord } from '../../src/core/records.js';
import {
  addDays,
  addMonths,
  planRenewals,
  prorateMonthsDaily,
  termHundredths,
  type RenewalPlan,
} from '../../src/core/renewals.js';

/**
 * Renewal planning against PRICING.md "Renewals" and the decisions in renewals.ts. Every expected figure
 * below is worked out by hand from the rules (the arithmetic is in the comments), not read off the code.
 */

type SubInput = Partial<SubscriptionRecord> & { id: string };
type ContractInput = Partial<Omit<ContractRecord, 'subscriptions'>> & { id: string; subscriptions?: SubInput[] };

function contract(input: ContractInput): ContractRecord {
  const { subscriptions = [], ...rest } = input;
  const base: Omit<ContractRecord, 'subscriptions'> = {
    number: `N-${input.id}`,
    orderId: `O-${input.id}`,
    resellerId: 'R1',
    distributorId: 'D1',
    endCustomerId: 'E1',
    currency: 'USD',
    startDate: '2025-07-01',
    endDate: '2026-06-30',
    termMonths: 12,
    renewalQuoteId: null,
    status: 'Active',
    ...rest,
  };
  return {
    ...base,
    subscriptions: subscriptions.map((s) => ({
      contractId: input.id,
      productId: 'P1',
      quantity: '30',
      termMonths: base.termMonths,
      customerUnit: '855.00',
      partnerUnit: '684.00',
      netUnit: '478.80',
      ...s,
    })),
  };
}

const noAccounts: ReadonlyMap<string, AccountRecord> = new Map();

function accounts(...list: AccountRecord[]): ReadonlyMap<string, AccountRecord> {
  return new Map(list.map((a) => [a.id, a]));
}

/** The renewal unit of the single line planned for one contract (fails the test if not exactly one). */
function unitOf(
  c: ContractRecord,
  options: { roundingMode?: 'halfUp' | 'halfEven'; acc?: ReadonlyMap<string, AccountRecord> } = {},
) {
  const plans = planRenewals({
    contracts: [c],
    accounts: options.acc ?? noAccounts,
    asOf: '2026-06-30',
    roundingMode: options.roundingMode,
  });
  expect(plans).to.have.length(1);
  expect(plans[0]!.lines).to.have.length(1);
  return plans[0]!.lines[0]!;
}

describe('renewals: dates', () => {
  it('addDays crosses months, years and leap days', () => {
    expect(addDays('2026-01-31', 1)).to.equal('2026-02-01');
    expect(addDays('2026-12-31', 1)).to.equal('2027-01-01');
    expect(addDays('2026-02-28', 1)).to.equal('2026-03-01'); // 2026 is not a leap year
    expect(addDays('2028-02-28', 1)).to.equal('2028-02-29');
    expect(addDays('2028-02-29', 1)).to.equal('2028-03-01');
    expect(addDays('2100-02-28', 1)).to.equal('2100-03-01'); // divisible by 100: not leap
    expect(addDays('2000-02-28', 1)).to.equal('2000-02-29'); // divisible by 400: leap
    expect(addDays('2028-01-01', 366)).to.equal('2029-01-01');
    expect(addDays('2026-06-30', 0)).to.equal('2026-06-30');
  });

  it('addDays goes back with negative days', () => {
    expect(addDays('2026-03-01', -1)).to.equal('2026-02-28');
    expect(addDays('2024-03-01', -1)).to.equal('2024-02-29');
    expect(addDays('2027-01-01', -1)).to.equal('2026-12-31');
    // 30 (June) + 31 (May) + 29 (April 30 back to April 1) = 90
    expect(addDays('2026-06-30', -90)).to.equal('2026-04-01');
    expect(addDays('0050-01-01', -1)).to.equal('0049-12-31'); // no two-digit-year quirk
  });

  it('addMonths clamps to the end of the month', () => {
    expect(addMonths('2026-01-31', 1)).to.equal('2026-02-28');
    expect(addMonths('2028-01-31', 1)).to.equal('2028-02-29');
    expect(addMonths('2026-03-31', 1)).to.equal('2026-04-30');
    expect(addMonths('2026-11-15', 3)).to.equal('2027-02-15');
    expect(addMonths('2026-01-31', -2)).to.equal('2025-11-30');
    expect(addMonths('2026-05-31', 12)).to.equal('2027-05-31');
    expect(addMonths('2028-02-29', 12)).to.equal('2029-02-28');
    expect(addMonths('2026-12-01', 0)).to.equal('2026-12-01');
  });

  it('refuses what is not a calendar date', () => {
    expect(() => addDays('2026-02-30', 1)).to.throw(RangeError);
    expect(() => addDays('2026-1-01', 1)).to.throw(RangeError);
    expect(() => addMonths('2026-13-01', 1)).to.throw(RangeError);
    expect(() => addDays('2026-01-01', 1.5)).to.throw(RangeError);
  });
});

describe('renewals: pricing of a line', () => {
  it('same: carries the customer unit exactly', () => {
    const line = unitOf(contract({ id: 'C1', subscriptions: [{ id: 'S1', customerUnit: '855.00' }] }));
    expect(line.method).to.equal('same');
    expect(line.renewalCustomerUnit).to.equal('855.00');
    expect(line.upliftPercent).to.equal(null);
  });

  it('uplift 5% on 855.00 gives 897.75', () => {
    // 855.00 × 1.05 = 897.75 exactly
    const line = unitOf(
      contract({ id: 'C1', renewalPricingMethod: 'uplift', renewalUpliftPercent: '5', subscriptions: [{ id: 'S1' }] }),
    );
    expect(line.method).to.equal('uplift');
    expect(line.upliftPercent).to.equal('5');
    expect(line.renewalCustomerUnit).to.equal('897.75');
  });

  it('uplift 3% on 33.33 gives 34.33 (34.3299)', () => {
    const line = unitOf(
      contract({
        id: 'C1',
        subscriptions: [{ id: 'S1', customerUnit: '33.33', renewalPricingMethod: 'uplift', renewalUpliftPercent: '3' }],
      }),
    );
    expect(line.renewalCustomerUnit).to.equal('34.33');
  });

  it('halfUp and halfEven on exact halves', () => {
    const c = (unit: string) =>
      contract({
        id: 'C1',
        renewalPricingMethod: 'uplift',
        renewalUpliftPercent: '50',
        subscriptions: [{ id: 'S1', customerUnit: unit }],
      });
    // 0.05 × 1.5 = 0.075: 7.5 cents, both modes go to 8 (8 is even)
    expect(unitOf(c('0.05'), { roundingMode: 'halfUp' }).renewalCustomerUnit).to.equal('0.08');
    expect(unitOf(c('0.05'), { roundingMode: 'halfEven' }).renewalCustomerUnit).to.equal('0.08');
    // 0.15 × 1.5 = 0.225: 22.5 cents, halfUp 23, halfEven 22
    expect(unitOf(c('0.15'), { roundingMode: 'halfUp' }).renewalCustomerUnit).to.equal('0.23');
    expect(unitOf(c('0.15'), { roundingMode: 'halfEven' }).renewalCustomerUnit).to.equal('0.22');
    // default is halfUp
    expect(unitOf(c('0.15')).renewalCustomerUnit).to.equal('0.23');
  });

  it('JPY has no decimals', () => {
    // 1849 × 1.075 = 1987.675 → 1988
    const line = unitOf(
      contract({
        id: 'C1',
        currency: 'JPY',
        renewalPricingMethod: 'uplift',
        renewalUpliftPercent: '7.5',
        subscriptions: [{ id: 'S1', customerUnit: '1849' }],
      }),
    );
    expect(line.renewalCustomerUnit).to.equal('1988');
    const same = unitOf(contract({ id: 'C2', currency: 'JPY', subscriptions: [{ id: 'S1', customerUnit: '1999' }] }));
    expect(same.renewalCustomerUnit).to.equal('1999');
  });

  it('KWD has 3 decimals', () => {
    // 10.015 × 1.10 = 11.0165: halfUp 11.017, halfEven 11.016
    const c = contract({
      id: 'C1',
      currency: 'KWD',
      renewalPricingMethod: 'uplift',
      renewalUpliftPercent: '10',
      subscriptions: [{ id: 'S1', customerUnit: '10.015' }],
    });
    expect(unitOf(c, { roundingMode: 'halfUp' }).renewalCustomerUnit).to.equal('11.017');
    expect(unitOf(c, { roundingMode: 'halfEven' }).renewalCustomerUnit).to.equal('11.016');
    const same = unitOf(contract({ id: 'C2', currency: 'KWD', subscriptions: [{ id: 'S1', customerUnit: '2.5' }] }));
    expect(same.renewalCustomerUnit).to.equal('2.500');
  });

  it('list gives no unit (priced afresh) and no uplift percent', () => {
    const line = unitOf(
      contract({ id: 'C1', renewalUpliftPercent: '5', subscriptions: [{ id: 'S1', renewalPricingMethod: 'list' }] }),
    );
    expect(line.method).to.equal('list');
    expect(line.renewalCustomerUnit).to.equal(null);
    expect(line.upliftPercent).to.equal(null);
  });

  it('uplift with no percent anywhere defaults to 0', () => {
    const line = unitOf(contract({ id: 'C1', subscriptions: [{ id: 'S1', renewalPricingMethod: 'uplift' }] }));
    expect(line.upliftPercent).to.equal('0');
    expect(line.renewalCustomerUnit).to.equal('855.00');
  });

  it('method precedence: subscription > contract > end customer account > same', () => {
    const acc = accounts({ id: 'E1', type: 'endCustomer', renewalPricingMethod: 'list' });
    const sub = contract({
      id: 'C1',
      renewalPricingMethod: 'uplift',
      subscriptions: [{ id: 'S1', renewalPricingMethod: 'same' }],
    });
    expect(unitOf(sub, { acc }).method).to.equal('same');
    const con = contract({ id: 'C1', renewalPricingMethod: 'same', subscriptions: [{ id: 'S1' }] });
    expect(unitOf(con, { acc }).method).to.equal('same');
    const fromAccount = contract({ id: 'C1', subscriptions: [{ id: 'S1' }] });
    expect(unitOf(fromAccount, { acc }).method).to.equal('list');
    // Only the end customer's account counts, not the reseller's.
    const resellerOnly = accounts({ id: 'R1', type: 'reseller', renewalPricingMethod: 'list' });
    expect(unitOf(fromAccount, { acc: resellerOnly }).method).to.equal('same');
    expect(unitOf(fromAccount).method).to.equal('same');
  });

  it('uplift precedence: subscription > contract > end customer account > 0', () => {
    const acc = accounts({ id: 'E1', type: 'endCustomer', renewalPricingMethod: 'uplift', renewalUpliftPercent: '2' });
    // 855.00 × 1.10 = 940.50
    const sub = contract({
      id: 'C1',
      renewalUpliftPercent: '5',
      subscriptions: [{ id: 'S1', renewalUpliftPercent: '10' }],
    });
    expect(unitOf(sub, { acc })).to.include({ upliftPercent: '10', renewalCustomerUnit: '940.50' });
    // 855.00 × 1.05 = 897.75
    const con = contract({ id: 'C1', renewalUpliftPercent: '5', subscriptions: [{ id: 'S1' }] });
    expect(unitOf(con, { acc })).to.include({ upliftPercent: '5', renewalCustomerUnit: '897.75' });
    // 855.00 × 1.02 = 872.10
    const fromAccount = contract({ id: 'C1', subscriptions: [{ id: 'S1' }] });
    expect(unitOf(fromAccount, { acc })).to.include({ upliftPercent: '2', renewalCustomerUnit: '872.10' });
    const none = contract({ id: 'C1', renewalPricingMethod: 'uplift', subscriptions: [{ id: 'S1' }] });
    expect(unitOf(none)).to.include({ upliftPercent: '0', renewalCustomerUnit: '855.00' });
  });

  it('refuses a customer unit finer than the currency allows', () => {
    const c = contract({ id: 'C1', subscriptions: [{ id: 'S1', customerUnit: '10.005' }] });
    expect(() => planRenewals({ contracts: [c], accounts: noAccounts, asOf: '2026-06-30' })).to.throw(RangeError, /C1.*S1/);
  });
});

describe('renewals: which contracts are due', () => {
  const plan = (contracts: ContractRecord[], asOf: string, leadDays?: number) =>
    planRenewals({ contracts, accounts: noAccounts, asOf, leadDays });

  it('is due exactly leadDays (90) before the end date, not the day before', () => {
    // 2026-06-30 − 90 days = 2026-04-01
    const c = contract({ id: 'C1', endDate: '2026-06-30', subscriptions: [{ id: 'S1' }] });
    expect(plan([c], '2026-03-31')).to.deep.equal([]);
    const due = plan([c], '2026-04-01');
    expect(due).to.have.length(1);
    expect(due[0]).to.include({ key: 'contract:C1', startDate: '2026-07-01', termMonths: 12 });
  });

  it('honours a custom leadDays (30)', () => {
    // 2026-06-30 − 30 days = 2026-05-31
    const c = contract({ id: 'C1', endDate: '2026-06-30', subscriptions: [{ id: 'S1' }] });
    expect(plan([c], '2026-05-30', 30)).to.deep.equal([]);
    expect(plan([c], '2026-05-31', 30)).to.have.length(1);
    expect(plan([c], '2026-04-01', 30)).to.deep.equal([]); // would be due with the default 90
  });

  it('skips already renewed and Expired contracts', () => {
    const renewed = contract({ id: 'C1', renewalQuoteId: 'Q1', subscriptions: [{ id: 'S1' }] });
    const expired = contract({ id: 'C2', status: 'Expired', subscriptions: [{ id: 'S2' }] });
    const active = contract({ id: 'C3', subscriptions: [{ id: 'S3' }] });
    const plans = plan([renewed, expired, active], '2026-06-30');
    expect(plans.map((p) => p.key)).to.deep.equal(['contract:C3']);
  });

  it('still plans a contract whose end passed without a renewal', () => {
    const c = contract({ id: 'C1', endDate: '2026-06-30', subscriptions: [{ id: 'S1' }] });
    const plans = plan([c], '2026-09-15');
    expect(plans).to.have.length(1);
    expect(plans[0]!.startDate).to.equal('2026-07-01');
  });

  it('copies parties, currency, products and quantities; lines ordered by subscription id', () => {
    const c = contract({
      id: 'C1',
      resellerId: 'R9',
      distributorId: 'D9',
      endCustomerId: 'E9',
      currency: 'EUR',
      endDate: '2026-12-31',
      termMonths: 24,
      subscriptions: [
        { id: 'S2', productId: 'P2', quantity: '2.5', termMonths: 24, customerUnit: '10.00' },
        { id: 'S1', productId: 'P1', quantity: '30', termMonths: 24, customerUnit: '855.00' },
      ],
    });
    const plans = plan([c], '2026-12-01');
    expect(plans).to.deep.equal([
      {
        key: 'contract:C1',
        contractIds: ['C1'],
        resellerId: 'R9',
        distributorId: 'D9',
        endCustomerId: 'E9',
        currency: 'EUR',
        startDate: '2027-01-01',
        // 2027-01-01 + 24 months = 2029-01-01, less one day
        endDate: '2028-12-31',
        termMonths: 24,
        lines: [
          {
            subscriptionId: 'S1',
            contractId: 'C1',
            productId: 'P1',
            quantity: '30',
            startDate: '2027-01-01',
            termMonths: 24,
            method: 'same',
            upliftPercent: null,
            renewalCustomerUnit: '855.00',
          },
          {
            subscriptionId: 'S2',
            contractId: 'C1',
            productId: 'P2',
            quantity: '2.5',
            startDate: '2027-01-01',
            termMonths: 24,
            method: 'same',
            upliftPercent: null,
            renewalCustomerUnit: '10.00',
          },
        ],
      },
    ] satisfies RenewalPlan[]);
  });
});

describe('renewals: co-termination', () => {
  // C1 ends 2026-06-30 after 12 months; C2 (same group and parties) ends 2026-11-15 after 36 months.
  // The plan: starts 2026-07-01, 12 months (C1's term), common end 2027-06-30 (2027-07-01 less one day).
  // C2's line: 2026-11-16..2027-06-30 = 7 whole months (to 2027-06-15) + 15 days of June (30 days) = 7.50.
  const c1 = (extra: Partial<ContractInput> = {}) =>
    contract({
      id: 'C1',
      contractGroup: 'G',
      endDate: '2026-06-30',
      termMonths: 12,
      subscriptions: [{ id: 'S1', customerUnit: '855.00', termMonths: 12 }],
      ...extra,
    });
  const c2 = (extra: Partial<ContractInput> = {}) =>
    contract({
      id: 'C2',
      contractGroup: 'G',
      startDate: '2023-11-16',
      endDate: '2026-11-15',
      termMonths: 36,
      subscriptions: [{ id: 'S2', productId: 'P2', quantity: '5', customerUnit: '1000.00', termMonths: 36 }],
      ...extra,
    });

  it('groups contracts: start = earliest end + 1, term of the earliest, each line from its own end to the common end', () => {
    const plans = planRenewals({ contracts: [c2(), c1()], accounts: noAccounts, asOf: '2026-04-01' });
    expect(plans).to.have.length(1);
    const p = plans[0]!;
    expect(p).to.include({ key: 'group:G:C1,C2', startDate: '2026-07-01', endDate: '2027-06-30', termMonths: 12 });
    expect(p.contractIds).to.deep.equal(['C1', 'C2']);
    expect(
      p.lines.map((l) => [l.contractId, l.subscriptionId, l.startDate, l.termMonths, l.quantity, l.renewalCustomerUnit]),
    ).to.deep.equal([
      ['C1', 'S1', '2026-07-01', 12, '30', '855.00'],
      // 1000.00 × 7.50 / 36 = 208.333… → 208.33
      ['C2', 'S2', '2026-11-16', 7.5, '5', '208.33'],
    ]);
  });

  it('a group is not due before its earliest contract is', () => {
    expect(planRenewals({ contracts: [c1(), c2()], accounts: noAccounts, asOf: '2026-03-31' })).to.deep.equal([]);
  });

  it('uplift first, then the proration to the line term, each rounded', () => {
    // 1000.00 × 1.10 = 1100.00; × 7.50/36 = 229.1666… → 229.17
    // (proration first would give 208.33 × 1.10 = 229.163 → 229.16)
    const plans = planRenewals({
      contracts: [c1(), c2({ renewalPricingMethod: 'uplift', renewalUpliftPercent: '10' })],
      accounts: noAccounts,
      asOf: '2026-06-30',
    });
    expect(plans[0]!.lines[1]).to.include({ subscriptionId: 'S2', upliftPercent: '10', renewalCustomerUnit: '229.17' });
  });

  it('prorates up when the earliest contract has the longer term', () => {
    // C1 24 months ending 2026-06-30: plan 2026-07-01..2028-06-30. C2 (12-month unit 100.01) ends 2026-09-30:
    // its line 2026-10-01..2028-06-30 = 21 whole months (2026-10-01 + 21 = 2028-07-01), no day left.
    // 100.01 × 21/12 = 175.0175 → 175.02
    const plans = planRenewals({
      contracts: [
        c1({ termMonths: 24, subscriptions: [{ id: 'S1', termMonths: 24 }] }),
        c2({ endDate: '2026-09-30', termMonths: 12, subscriptions: [{ id: 'S2', customerUnit: '100.01', termMonths: 12 }] }),
      ],
      accounts: noAccounts,
      asOf: '2026-06-30',
    });
    expect(plans[0]!).to.include({ termMonths: 24, endDate: '2028-06-30' });
    expect(plans[0]!.lines[1]).to.include({ startDate: '2026-10-01', termMonths: 21, renewalCustomerUnit: '175.02' });
  });

  it('the issue 12 case: contracts ending 2027-03-19 and 2027-05-31 renew on one quote', () => {
    // A: 12 months ending 2027-03-19, 1 line 855.00 / 12 months. B: 12 months ending 2027-05-31, 1 line 1000.00.
    // Due on 2026-12-19 (2027-03-19 - 90 days). Plan: 2027-03-20..2028-03-19 (2027-03-20 + 12 months = 2028-03-20).
    // B's line: 2027-06-01..2028-03-19: 9 whole months (2027-06-01 + 9 = 2028-03-01), then 2028-03-01..19 =
    // 19 days of March (31): 9 + 19/31 = 9.6129… → 9.61. Unit: 1000.00 × 9.61/12 = 800.8333… → 800.83.
    const a = contract({ id: 'A', contractGroup: 'ACME', endDate: '2027-03-19', subscriptions: [{ id: 'SA' }] });
    const b = contract({
      id: 'B',
      contractGroup: 'ACME',
      endDate: '2027-05-31',
      subscriptions: [{ id: 'SB', customerUnit: '1000.00' }],
    });
    expect(planRenewals({ contracts: [a, b], accounts: noAccounts, asOf: '2026-12-18' })).to.deep.equal([]);
    const plans = planRenewals({ contracts: [a, b], accounts: noAccounts, asOf: '2026-12-19' });
    expect(plans.map((p) => [p.key, p.startDate, p.endDate, p.termMonths])).to.deep.equal([
      ['group:ACME:A,B', '2027-03-20', '2028-03-19', 12],
    ]);
    expect(plans[0]!.lines.map((l) => [l.subscriptionId, l.startDate, l.termMonths, l.renewalCustomerUnit])).to.deep.equal([
      ['SA', '2027-03-20', 12, '855.00'],
      ['SB', '2027-06-01', 9.61, '800.83'],
    ]);
  });

  it('a member ending on or after the common end date is not part of this renewal', () => {
    // Plan of C1: 2026-07-01..2027-06-30. C3 ends on 2027-06-30 (already co-terminous), C4 on 2027-07-01 (after).
    const c3 = contract({ id: 'C3', contractGroup: 'G', endDate: '2027-06-30', subscriptions: [{ id: 'S3' }] });
    const c4 = contract({ id: 'C4', contractGroup: 'G', endDate: '2027-07-01', subscriptions: [{ id: 'S4' }] });
    const plans = planRenewals({ contracts: [c1(), c2(), c3, c4], accounts: noAccounts, asOf: '2026-06-30' });
    expect(plans.map((p) => [p.key, p.contractIds])).to.deep.equal([['group:G:C1,C2', ['C1', 'C2']]]);
    expect(plans[0]!.lines.map((l) => l.subscriptionId)).to.deep.equal(['S1', 'S2']);
  });

  it('members with different pricing methods keep each their own', () => {
    // C1 list (priced afresh: no unit), C2 same: 208.33 as above.
    const plans = planRenewals({
      contracts: [c1({ renewalPricingMethod: 'list' }), c2()],
      accounts: noAccounts,
      asOf: '2026-06-30',
    });
    expect(plans[0]!.lines.map((l) => [l.method, l.renewalCustomerUnit])).to.deep.equal([
      ['list', null],
      ['same', '208.33'],
    ]);
  });

  it('ties on the earliest end date take the term of the lowest contract id', () => {
    const a = contract({ id: 'CB', contractGroup: 'G', termMonths: 24, subscriptions: [{ id: 'S1', termMonths: 24 }] });
    const b = contract({ id: 'CA', contractGroup: 'G', termMonths: 12, subscriptions: [{ id: 'S2', termMonths: 12 }] });
    const plans = planRenewals({ contracts: [a, b], accounts: noAccounts, asOf: '2026-06-30' });
    expect(plans).to.have.length(1);
    expect(plans[0]).to.include({ key: 'group:G:CA,CB', termMonths: 12 });
    // 855.00 × 12/24 = 427.50
    expect(plans[0]!.lines.map((l) => l.renewalCustomerUnit)).to.deep.equal(['855.00', '427.50']);
  });

  it('same group name with a different reseller makes two plans', () => {
    const plans = planRenewals({
      contracts: [c1(), c2({ resellerId: 'R2', endDate: '2026-06-30', termMonths: 12 })],
      accounts: noAccounts,
      asOf: '2026-06-30',
    });
    expect(plans.map((p) => [p.key, p.resellerId])).to.deep.equal([
      ['group:G:C1', 'R1'],
      ['group:G:C2', 'R2'],
    ]);
  });

  it('different currency or end customer also splits a group name', () => {
    const plans = planRenewals({
      contracts: [
        c1(),
        c2({ currency: 'EUR', endDate: '2026-06-30' }),
        contract({ id: 'C3', contractGroup: 'G', endCustomerId: 'E2' }),
      ],
      accounts: noAccounts,
      asOf: '2026-06-30',
    });
    expect(plans.map((p) => p.key)).to.deep.equal(['group:G:C1', 'group:G:C2', 'group:G:C3']);
  });

  it('an already renewed member stays out; the rest still co-terminate', () => {
    const c3 = contract({ id: 'C3', contractGroup: 'G', endDate: '2026-05-31', renewalQuoteId: 'Q9' });
    const plans = planRenewals({ contracts: [c1(), c2(), c3], accounts: noAccounts, asOf: '2026-04-01' });
    expect(plans.map((p) => [p.key, p.startDate])).to.deep.equal([['group:G:C1,C2', '2026-07-01']]);
  });

  it('an empty group name is no group', () => {
    const plans = planRenewals({
      contracts: [contract({ id: 'C1', contractGroup: '' }), contract({ id: 'C2', contractGroup: '' })],
      accounts: noAccounts,
      asOf: '2026-06-30',
    });
    expect(plans.map((p) => p.key)).to.deep.equal(['contract:C1', 'contract:C2']);
  });
});

describe('renewals: output', () => {
  it('sorted by start date then key, whatever the input order', () => {
    const contracts = [
      contract({ id: 'C9', endDate: '2026-05-31' }),
      contract({ id: 'C2', endDate: '2026-06-30' }),
      contract({ id: 'C10', endDate: '2026-06-30' }),
      contract({ id: 'A1', contractGroup: 'Z', endDate: '2026-06-30' }),
      contract({ id: 'C1', endDate: '2026-04-30' }),
    ];
    const expected = [
      ['contract:C1', '2026-05-01'],
      ['contract:C9', '2026-06-01'],
      // same start: keys in code-unit order ("C10" < "C2"; "contract" < "group")
      ['contract:C10', '2026-07-01'],
      ['contract:C2', '2026-07-01'],
      ['group:Z:A1', '2026-07-01'],
    ];
    const a = planRenewals({ contracts, accounts: noAccounts, asOf: '2026-06-30' });
    expect(a.map((p) => [p.key, p.startDate])).to.deep.equal(expected);
    const b = planRenewals({ contracts: [...contracts].reverse(), accounts: noAccounts, asOf: '2026-06-30' });
    expect(b).to.deep.equal(a);
  });

  it('does not mutate its input', () => {
    const contracts = [contract({ id: 'C1', subscriptions: [{ id: 'S2' }, { id: 'S1' }] })];
    const before = JSON.stringify(contracts);
    planRenewals({ contracts, accounts: noAccounts, asOf: '2026-06-30' });
    expect(JSON.stringify(contracts)).to.equal(before);
  });

  it('refuses bad arguments', () => {
    const contracts = [contract({ id: 'C1' })];
    expect(() => planRenewals({ contracts, accounts: noAccounts, asOf: '2026-02-30' })).to.throw(RangeError);
    expect(() => planRenewals({ contracts, accounts: noAccounts, asOf: '2026-06-30', leadDays: -1 })).to.throw(RangeError);
    expect(() => planRenewals({ contracts: [...contracts, ...contracts], accounts: noAccounts, asOf: '2026-06-30' })).to.throw(
      /duplicate/,
    );
  });
});

describe('renewals: properties', () => {
  const day = fc.integer({ min: 0, max: 730 }).map((n) => addDays('2026-01-01', n));
  const contractArb = (id: string) =>
    fc
      .record({
        group: fc.constantFrom(undefined, '', 'G1', 'G2'),
        reseller: fc.constantFrom('R1', 'R2'),
        currency: fc.constantFrom('USD', 'EUR'),
        endDate: day,
        termMonths: fc.constantFrom(1, 12, 24, 36),
        renewed: fc.boolean(),
        expired: fc.boolean(),
        subs: fc.integer({ min: 0, max: 3 }),
      })
      .map((r) =>
        contract({
          id,
          contractGroup: r.group,
          resellerId: r.reseller,
          currency: r.currency,
          endDate: r.endDate,
          termMonths: r.termMonths,
          renewalQuoteId: r.renewed ? `Q-${id}` : null,
          status: r.expired ? 'Expired' : 'Active',
          subscriptions: Array.from({ length: r.subs }, (_, i) => ({ id: `${id}-S${i}`, termMonths: r.termMonths })),
        }),
      );
  const contractsArb = fc
    .integer({ min: 0, max: 12 })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => contractArb(`C${i}`))))
    .map((cs): ContractRecord[] => cs);

  it('never plans a contract twice, nor one already renewed or not Active; plans every due one', () => {
    fc.assert(
      fc.property(contractsArb, day, fc.integer({ min: 0, max: 120 }), (contracts, asOf, leadDays) => {
        const plans = planRenewals({ contracts, accounts: noAccounts, asOf, leadDays });
        const byId = new Map(contracts.map((c) => [c.id, c]));
        const planned = plans.flatMap((p) => p.contractIds);
        expect(new Set(planned).size).to.equal(planned.length);
        for (const id of planned) {
          const c = byId.get(id)!;
          expect(c.renewalQuoteId).to.equal(null);
          expect(c.status).to.equal('Active');
        }
        const sameGroup = (c: ContractRecord, p: RenewalPlan) => {
          const m = byId.get(p.contractIds[0]!)!;
          return (
            Boolean(c.contractGroup) &&
            c.contractGroup === m.contractGroup &&
            c.resellerId === m.resellerId &&
            c.currency === m.currency
          );
        };
        for (const c of contracts) {
          const due = c.status === 'Active' && c.renewalQuoteId === null && addDays(c.endDate, -leadDays) <= asOf;
          // A due contract is planned, unless its group's plan ends on or before its own end (it waits for
          // the next term of the group).
          if (due && !planned.includes(c.id)) {
            expect(plans.some((p) => sameGroup(c, p) && p.endDate <= c.endDate)).to.equal(true);
          }
        }
        for (const p of plans) {
          const members = p.contractIds.map((id) => byId.get(id)!);
          expect(members.every((m) => m.resellerId === p.resellerId && m.currency === p.currency)).to.equal(true);
          const earliest = members.map((m) => m.endDate).sort()[0]!;
          expect(p.startDate).to.equal(addDays(earliest, 1));
          expect(p.endDate).to.equal(addDays(addMonths(p.startDate, p.termMonths), -1));
          expect(members.every((m) => m.endDate < p.endDate)).to.equal(true);
          expect(p.lines.length).to.equal(members.reduce((n, m) => n + m.subscriptions.length, 0));
          for (const l of p.lines) {
            expect(l.startDate).to.equal(addDays(byId.get(l.contractId)!.endDate, 1));
            expect(l.termMonths).to.be.greaterThan(0).and.at.most(p.termMonths);
          }
        }
        const shuffled = [...contracts].reverse();
        expect(planRenewals({ contracts: shuffled, accounts: noAccounts, asOf, leadDays })).to.deep.equal(plans);
      }),
      { numRuns: 500 },
    );
  });

  it('addDays and addMonths agree with each other and invert', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), fc.integer({ min: -5000, max: 5000 }), (base, n) => {
        const d = addDays('2000-01-01', base);
        expect(addDays(addDays(d, n), -n)).to.equal(d);
        // An independent reference: the UTC milliseconds of Date, 86,400,000 per day.
        const reference = new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
        expect(addDays(d, n)).to.equal(reference);
        // Adding 12 months to a day other than 29 February lands on the same month and day.
        if (!d.endsWith('-02-29')) expect(addMonths(d, 12).slice(4)).to.equal(d.slice(4));
      }),
      { numRuns: 2000 },
    );
  });

  it('prorateMonthsDaily: whole terms are whole months; otherwise agrees with a day-by-day count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: 1, max: 60 }),
        (base, len, n) => {
          const start = addDays('2000-01-01', base);
          // A term of n whole months (to the day before the same day n months on) is exactly n months.
          expect(prorateMonthsDaily(start, addDays(addMonths(start, n), -1))).to.equal(n * 100);
          // Any term: an independent count, month by month with Date, then day by day in floats.
          const end = addDays(start, len);
          let months = 0;
          while (addMonths(start, months + 1) <= addDays(end, 1)) months++;
          // The remaining days over the length of the term's next month, in floats.
          const next = addMonths(start, months);
          const monthLength = (Date.parse(addMonths(start, months + 1)) - Date.parse(next)) / 86_400_000;
          const fraction = (Date.parse(addDays(end, 1)) - Date.parse(next)) / 86_400_000 / monthLength;
          const expected = months * 100 + Math.round(fraction * 100 + 1e-9);
          expect(prorateMonthsDaily(start, end), `${start}..${end}`).to.equal(expected);
          // One more day never shortens a term.
          expect(prorateMonthsDaily(start, addDays(end, 1))).to.be.at.least(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('renewals: monthly + daily proration (by hand)', () => {
  it('counts whole months from the start, then the days ÷ the days of the month they fall in', () => {
    // 2027-06-01..2028-03-19: 9 months to 2028-02-29, then 19 days of March (31): 9 + 0.6129 = 9.61
    expect(prorateMonthsDaily('2027-06-01', '2028-03-19')).to.equal(961);
    // 2027-03-20..2028-03-19: exactly 12 months
    expect(prorateMonthsDaily('2027-03-20', '2028-03-19')).to.equal(1200);
    // 2026-11-16..2027-06-30: 7 months to 2027-06-15, then 15 days of June (30) = 7.50
    expect(prorateMonthsDaily('2026-11-16', '2027-06-30')).to.equal(750);
    // 2027-06-20..2028-03-10: 8 months to 2028-02-19, then 20 days (2028-02-20..2028-03-10) of the term's next
    // month 2028-02-20..2028-03-19 (29 days, 2028 is a leap year): 20/29 = 0.6897 → 8.69
    expect(prorateMonthsDaily('2027-06-20', '2028-03-10')).to.equal(869);
    // 2000-01-13..2001-02-11: 12 months to 2001-01-12, then 30 of the 31 days of 2001-01-13..2001-02-12: 12.97,
    // and one day later exactly 13 months
    expect(prorateMonthsDaily('2000-01-13', '2001-02-11')).to.equal(1297);
    expect(prorateMonthsDaily('2000-01-13', '2001-02-12')).to.equal(1300);
    // One day of February 2027 (28 days): 1/28 = 0.0357 → 0.04; of a 31-day month: 0.0323 → 0.03
    expect(prorateMonthsDaily('2027-02-10', '2027-02-10')).to.equal(4);
    expect(prorateMonthsDaily('2027-03-10', '2027-03-10')).to.equal(3);
    // Month ends clamp as addMonths does: 2027-01-31 + 1 month = 2027-02-28, so 2027-01-31..2027-02-27 is 1 month;
    // 2027-01-31..2027-03-20: 1 month, then 21 days of 2027-02-28..2027-03-30 (31 days): 0.677 → 1.68
    expect(prorateMonthsDaily('2027-01-31', '2027-02-27')).to.equal(100);
    expect(prorateMonthsDaily('2027-01-31', '2027-03-20')).to.equal(168);
    expect(() => prorateMonthsDaily('2027-03-10', '2027-03-09')).to.throw(RangeError);
  });

  it('termHundredths takes at most 2 decimals of a month', () => {
    expect(termHundredths(9.61, 'term')).to.equal(961);
    expect(termHundredths(12, 'term')).to.equal(1200);
    expect(() => termHundredths(9.615, 'term')).to.throw(/at most 2 decimals/);
    expect(() => termHundredths(0, 'term')).to.throw(RangeError);
  });
});
