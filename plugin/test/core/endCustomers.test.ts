import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  FOLD_FROM,
  FOLD_TO,
  LEGAL_FORMS,
  endCustomerKey,
  normalisedCompanyName,
  sameEndCustomer,
} from '../../src/core/endCustomers.js';

describe('core: end-customer de-duplication (CHANNEL.md)', () => {
  it('ignores case, accents, spacing, punctuation and legal forms at either end', () => {
    expect(normalisedCompanyName('Skärgård Logistics AB')).to.equal('skargard logistics');
    expect(normalisedCompanyName('  SKARGARD   logistics, ab.')).to.equal('skargard logistics');
    expect(normalisedCompanyName('AB Volvo')).to.equal('volvo');
    expect(normalisedCompanyName('Bergmann Maschinenbau GmbH')).to.equal('bergmann maschinenbau');
    expect(normalisedCompanyName('Æble & Co.')).to.equal('aeble');
    expect(normalisedCompanyName('Łódź Straße Ltd')).to.equal('lodz strasse');
    // A legal form alone stays the name: a name is never emptied by the rule.
    expect(normalisedCompanyName('Ltd')).to.equal('ltd');
  });

  it('is the same company: same registration number, or same name in the same country', () => {
    expect(sameEndCustomer({ name: 'Acme AB', country: 'se' }, { name: 'ACME', country: 'SE' })).to.equal(true);
    expect(sameEndCustomer({ name: 'Acme AB', country: 'SE' }, { name: 'Acme', country: 'NO' })).to.equal(false);
    expect(sameEndCustomer({ name: 'Acme', country: 'SE' }, { name: 'Acme', country: null })).to.equal(false);
    expect(sameEndCustomer({ registrationNumber: '556012-5790' }, { name: 'Other', registrationNumber: '5560125790' })).to.equal(
      true,
    );
    expect(sameEndCustomer({ registrationNumber: '' }, { registrationNumber: '' })).to.equal(false);
    // Names with nothing left to compare (a script the fold table does not cover) are never the same.
    expect(sameEndCustomer({ name: 'Яндекс', country: 'RU' }, { name: 'Газпром', country: 'RU' })).to.equal(false);
    expect(endCustomerKey({ name: 'Яндекс', country: 'RU' })).to.equal(undefined);
    expect(endCustomerKey({ name: 'Acme Inc.', country: 'us' })).to.equal('US:acme');
  });

  it('uses the same fold table and legal forms as the Apex (EndCustomerService.cls)', () => {
    const apex = readFileSync(
      path.resolve(import.meta.dirname, '../../../force-app/main/default/classes/EndCustomerService.cls'),
      'utf8',
    );
    expect(apex).to.contain(`FOLD_FROM = '${FOLD_FROM}'`);
    expect(apex).to.contain(`FOLD_TO = '${FOLD_TO}'`);
    const legal = apex.slice(apex.indexOf('LEGAL_FORMS = new Set<String>{'), apex.indexOf('};', apex.indexOf('LEGAL_FORMS')));
    expect([...legal.matchAll(/'([a-z]+)'/g)].map((m) => m[1])).to.deep.equal([...LEGAL_FORMS]);
  });
});
