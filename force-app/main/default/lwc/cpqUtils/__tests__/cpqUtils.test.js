import {
  QUOTE_STATUS_LABELS,
  approvalSentence,
  errorMessages,
  formatDate,
  formatMoney,
  isConflict,
  parseError,
  quoteBadges,
  quotePage,
} from 'c/cpqUtils';

describe('c/cpqUtils', () => {
  it('reads the local portal error shape', () => {
    const error = {
      status: 400,
      body: {
        code: 'INVALID_INPUT',
        message: 'lines.0.quantity: is required',
        issues: [{ path: 'lines.0.quantity', message: 'is required' }],
      },
    };
    expect(parseError(error).code).toBe('INVALID_INPUT');
    expect(errorMessages(error)).toEqual(['lines.0.quantity: is required']);
  });

  it('reads the JSON message of an AuraHandledException from an org', () => {
    const error = {
      status: 500,
      body: { message: JSON.stringify({ code: 'CONFLICT', message: 'Somebody changed this quote.', issues: [] }) },
    };
    expect(isConflict(error)).toBe(true);
    expect(errorMessages(error)).toEqual(['Somebody changed this quote.']);
  });

  it('says how many problems the server counted beyond the 100 it named', () => {
    const issues = Array.from({ length: 100 }, (_, i) => ({ path: `lines.${i}.quantity`, message: 'is required' }));
    const local = { status: 400, body: { code: 'INVALID_INPUT', message: 'too many', issues, issueCount: 340 } };
    const org = {
      status: 500,
      body: { message: JSON.stringify({ code: 'INVALID_INPUT', message: 'too many', issues, issueCount: 340 }) },
    };
    for (const error of [local, org]) {
      const messages = errorMessages(error);
      expect(messages).toHaveLength(101);
      expect(messages[100]).toBe('and 240 more problems');
    }
  });

  it('keeps a plain Apex message', () => {
    expect(parseError({ body: { message: 'Insufficient access' } }).message).toBe('Insufficient access');
    expect(parseError(new Error('network down')).message).toBe('network down');
  });

  it('formats decimal strings without floats', () => {
    expect(formatMoney('1234567.05', 'USD')).toBe('USD 1,234,567.05');
    expect(formatMoney('-12.50')).toBe('-12.50');
    expect(formatMoney('90071992547409.93')).toBe('90,071,992,547,409.93');
    expect(formatMoney(null)).toBe('');
  });

  it('writes amounts in the user’s locale, exactly (digits beyond a float’s reach kept)', () => {
    expect(formatMoney('1234567.05', 'EUR', 'de-DE')).toBe('EUR 1.234.567,05');
    expect(formatMoney('-12.50', undefined, 'de-DE')).toBe('-12,50');
    expect(formatMoney('1234567.05', 'SEK', 'sv-SE')).toBe('SEK 1\u00a0234\u00a0567,05');
    expect(formatMoney('-12.50', undefined, 'sv-SE')).toBe('\u221212,50');
    expect(formatMoney('90071992547409.93', 'GBP', 'en-GB')).toBe('GBP 90,071,992,547,409.93');
    expect(formatMoney('9007199254740993.01', undefined, 'en-US')).toBe('9,007,199,254,740,993.01');
    expect(formatMoney('1234.5', 'CAD', 'fr-CA')).toBe('CAD 1\u00a0234,5');
  });

  it('writes dates one way, in the user’s locale, without moving a day', () => {
    expect(formatDate('2026-12-05', 'en-US')).toBe('Dec 5, 2026');
    expect(formatDate('2026-12-05', 'en-GB')).toBe('5 Dec 2026');
    expect(formatDate('2026-12-05', 'de-DE')).toBe('05.12.2026');
    expect(formatDate('2026-01-01T23:30:00.000Z', 'en-US')).toBe('Jan 1, 2026');
    expect(formatDate('2026-12-05')).toBe('Dec 5, 2026');
    expect(formatDate(null)).toBe('');
    expect(formatDate('soon')).toBe('soon');
  });

  it('derives the badges of a quote from its status and flags, over every status', () => {
    const labels = (quote) => quoteBadges(quote).map((b) => b.label);
    const flagged = { approvalRequired: true, orderRequested: true, isRenewal: true };
    // Each status with every flag raised: what the list and the editor show.
    const expected = {
      Draft: ['Draft', 'Renewal', 'Approval needed', 'Order requested'],
      NeedsApproval: ['Needs approval', 'Renewal', 'Order requested'],
      Approved: ['Approved', 'Renewal', 'Order requested'],
      Rejected: ['Rejected', 'Renewal', 'Approval needed', 'Order requested'],
      Accepted: ['Accepted', 'Renewal', 'Order requested'],
      Ordered: ['Ordered', 'Renewal'],
      Expired: ['Expired', 'Renewal', 'Order requested'],
    };
    expect(Object.keys(expected)).toEqual(Object.keys(QUOTE_STATUS_LABELS));
    for (const [status, badges] of Object.entries(expected)) {
      expect(labels({ status, ...flagged })).toEqual(badges);
      // No flag: the status alone.
      expect(labels({ status })).toEqual([QUOTE_STATUS_LABELS[status]]);
    }
  });

  it('says what a line above the cap means for the quote in each status', () => {
    expect(approvalSentence('Draft')).toContain('the distributor must approve this quote');
    expect(approvalSentence('Rejected')).toContain('the distributor must approve this quote');
    expect(approvalSentence('NeedsApproval')).toContain("waits for the distributor's approval");
    for (const status of ['Approved', 'Accepted', 'Ordered']) {
      expect(approvalSentence(status)).toContain('the distributor approved it');
    }
    // An expired quote may never have been approved: no claim either way.
    expect(approvalSentence('Expired')).toBe("The additional discount is above the agreement's cap.");
  });

  it('builds record page references for quotes', () => {
    expect(quotePage('q1').attributes).toEqual({ recordId: 'q1', objectApiName: 'Channel_Quote__c', actionName: 'view' });
  });
});
