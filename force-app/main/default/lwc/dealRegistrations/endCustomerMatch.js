/**
 * The portal's copy of the end-customer de-duplication rule (plugin/src/core/endCustomers.ts, CHANNEL.md):
 * the same normalised name in the same country is the same company. Used to offer the existing account
 * before a new one is typed in; the server applies the rule again (registration number included) whatever
 * the page sends. The tables are the core's; the jest test checks the core's own examples.
 */

const FOLD_FROM = 'àáâãäåāăąçćčďđðèéêëēėęěìíîïīįıłľĺñńňòóôõöøōőŕřśšşșťţțùúûüūůűųýÿźżž';
const FOLD_TO = 'aaaaaaaaacccdddeeeeeeeeiiiiiiilllnnnoooooooorrsssstttuuuuuuuuyyzzz';
const LIGATURES = { æ: 'ae', œ: 'oe', ß: 'ss', þ: 'th' };
const LEGAL = new Set([
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
]);

export function normalisedCompanyName(name) {
  let folded = '';
  for (const ch of String(name ?? '').toLowerCase()) {
    const at = FOLD_FROM.indexOf(ch);
    folded += at >= 0 ? FOLD_TO[at] : (LIGATURES[ch] ?? ch);
  }
  const words = folded
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  while (words.length > 1 && LEGAL.has(words[words.length - 1])) words.pop();
  while (words.length > 1 && LEGAL.has(words[0])) words.shift();
  return words.join(' ');
}

/** The existing end customer that is the same company as the one typed, if the reseller can see it. */
export function matchingEndCustomer(typed, customers) {
  const key = normalisedCompanyName(typed.name);
  const country = String(typed.country ?? '')
    .trim()
    .toUpperCase();
  if (!key || !country) return undefined;
  return customers.find((c) => (c.country ?? '').toUpperCase() === country && normalisedCompanyName(c.name) === key);
}
