import currencyCodes from 'currency-codes';

/**
 * ISO 4217 minor units from the currency-codes package (the ISO list). Precious metals, testing and
 * fund codes (X.., except the real currencies XAF, XCD, XOF, XPF) have no minor unit and are not
 * currencies anyone quotes in, so they are refused.
 */
const NOT_MONEY = new Set(['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX']);

const MINOR_UNITS: ReadonlyMap<string, number> = new Map(
  currencyCodes.data.filter((c) => !NOT_MONEY.has(c.code)).map((c) => [c.code, c.digits]),
);

/** The number of decimals of an ISO 4217 currency, or undefined for an unknown code. */
export function minorUnits(currency: string): number | undefined {
  return MINOR_UNITS.get(currency);
}

export function isCurrency(code: string): boolean {
  return MINOR_UNITS.has(code);
}
