import type { AccountRecord, DefaultDistributorRule } from './records.js';
import type { Agreement } from './scenario.js';

/**
 * The default distributor of a new quote (PRICING.md, Parties): the most specific matching rule by
 * product family, country and region (family > country > region; a rule matches when every criterion it
 * sets matches), provided the reseller holds an Active agreement with that distributor on the date.
 */
export function chooseDefaultDistributor(input: {
  reseller: AccountRecord;
  families: readonly string[];
  rules: readonly DefaultDistributorRule[];
  agreements: readonly Agreement[];
  date: string;
}): string | undefined {
  const { reseller, families, rules, agreements, date } = input;
  const holdsAgreement = (distributorId: string): boolean => holdsActiveAgreement(agreements, reseller.id, distributorId, date);
  const matches = (r: DefaultDistributorRule): boolean =>
    (r.family === undefined || families.includes(r.family)) &&
    (r.country === undefined || r.country === reseller.country) &&
    (r.region === undefined || r.region === reseller.region);
  const specificity = (r: DefaultDistributorRule): number =>
    (r.family === undefined ? 0 : 4) + (r.country === undefined ? 0 : 2) + (r.region === undefined ? 0 : 1);
  const ranked = rules.filter(matches).sort((a, b) => specificity(b) - specificity(a) || a.id.localeCompare(b.id));
  return ranked.find((r) => holdsAgreement(r.distributorId))?.distributorId;
}

/** Whether the partner holds an Active agreement with the seller valid on the date (dates inclusive). */
export function holdsActiveAgreement(
  agreements: readonly Agreement[],
  partnerId: string,
  sellerId: string,
  date: string,
): boolean {
  return agreements.some(
    (a) =>
      a.partnerId === partnerId &&
      a.sellerId === sellerId &&
      a.status === 'Active' &&
      a.validFrom <= date &&
      date <= (a.validTo ?? '9999-12-31'),
  );
}
