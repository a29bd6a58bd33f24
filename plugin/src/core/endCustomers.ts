/**
 * End-customer de-duplication (CHANNEL.md, Deal registration): the same company registration number, or the
 * same normalised name in the same country, is the same account. Apex applies the same rules with the same
 * tables (EndCustomerService.normalisedCompanyName); `npm run apex:story` checks the two agree.
 */

/**
 * Letters with accents folded to plain Latin letters, by an explicit table (Apex has no Unicode normaliser, and
 * both sides must fold alike): FOLD_FROM[i] becomes FOLD_TO[i]; ligatures and ß become two letters.
 */
export const FOLD_FROM = 'àáâãäåāăąçćčďđðèéêëēėęěìíîïīįıłľĺñńňòóôõöøōőŕřśšşșťţțùúûüūůűųýÿźżž';
export const FOLD_TO = 'aaaaaaaaacccdddeeeeeeeeiiiiiiilllnnnoooooooorrsssstttuuuuuuuuyyzzz';
const LIGATURES: Record<string, string> = { æ: 'ae', œ: 'oe', ß: 'ss', þ: 'th' };

/** Legal-form words ignored at the start or end of a name ("AB Volvo", "Acme Ltd."), already folded. */
export const LEGAL_FORMS: readonly string[] = [
  'ab',
  'ag',
  'aps',
  'as',
  'asa',
  'bv',
  'co',
  'corp',
  'corporation',
  'gmbh',
  'inc',
  'incorporated',
  'kg',
  'kk',
  'limited',
  'llc',
  'llp',
  'ltd',
  'nv',
  'oy',
  'oyj',
  'plc',
  'pty',
  'sa',
  'sarl',
  'sas',
  'spa',
  'srl',
];
const LEGAL = new Set(LEGAL_FORMS);

/**
 * A company name as compared: lower case, accents folded, punctuation and spacing ignored, legal-form words at
 * either end dropped ("Skärgård Logistics AB" and "SKARGARD  logistics" are the same).
 */
export function normalisedCompanyName(name: string): string {
  let folded = '';
  for (const ch of name.toLowerCase()) {
    const at = FOLD_FROM.indexOf(ch);
    folded += at >= 0 ? FOLD_TO[at] : (LIGATURES[ch] ?? ch);
  }
  const words = folded
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  while (words.length > 1 && LEGAL.has(words[words.length - 1]!)) words.pop();
  while (words.length > 1 && LEGAL.has(words[0]!)) words.shift();
  return words.join(' ');
}

/** A registration number as compared: letters and digits only, upper case ("556012-5790" = "5560125790"). */
export function normalisedRegistrationNumber(value: string | undefined | null): string {
  return (value ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export type EndCustomerIdentity = { name?: string | null; country?: string | null; registrationNumber?: string | null };

/** The same company: the same registration number, or the same normalised name in the same country. */
export function sameEndCustomer(a: EndCustomerIdentity, b: EndCustomerIdentity): boolean {
  const regA = normalisedRegistrationNumber(a.registrationNumber);
  if (regA !== '' && regA === normalisedRegistrationNumber(b.registrationNumber)) return true;
  const keyA = endCustomerKey(a);
  return keyA !== undefined && keyA === endCustomerKey(b);
}

/**
 * "COUNTRY:normalised name", the value of the unique Account.Dedupe_Key__c that keeps two concurrent inserts of
 * one company apart in an org; none when the name has no letter or digit left to compare (a name in a script
 * the fold table does not cover is then never taken for another).
 */
export function endCustomerKey(a: EndCustomerIdentity): string | undefined {
  if (!a.name || !a.country) return undefined;
  const name = normalisedCompanyName(a.name);
  return name === '' ? undefined : `${a.country.toUpperCase()}:${name}`;
}
