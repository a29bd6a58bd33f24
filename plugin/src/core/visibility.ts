import type { PricedLineJson, PricedQuoteJson } from './serialize.js';

/**
 * Who sees what (PRICING.md): a reseller never sees Net prices, distributor discounts or distributor
 * margins. The reseller's view is a different type with those fields absent (not blanked), so that
 * no response built from it can carry them by accident.
 */

export type ViewerRole = 'vendor' | 'distributor' | 'reseller';

export type ResellerLineJson = Omit<PricedLineJson, 'net' | 'distributorMargin' | 'distributorDiscount' | 'priceFloor'>;

/**
 * What a reseller reads of a line below the price floor: that the vendor must approve, not why in Net terms
 * (the floor compares the vendor's Net with List; neither the floor nor the Net is the reseller's to see).
 */
export const RESELLER_FLOOR_WARNING = {
  code: 'VENDOR_APPROVAL_REQUIRED',
  message: 'the vendor must approve the price of this line',
} as const;

export type ResellerQuoteJson = Omit<PricedQuoteJson, 'lines' | 'totals' | 'distributor'> & {
  lines: ResellerLineJson[];
  totals: Omit<NonNullable<PricedQuoteJson['totals']>, 'net' | 'distributorMargin'> | null;
};

export type QuoteView = PricedQuoteJson | ResellerQuoteJson;

export function resellerLine(line: PricedLineJson): ResellerLineJson {
  const { net: _net, distributorMargin: _margin, distributorDiscount: _discount, priceFloor: _floor, ...visible } = line;
  return {
    ...visible,
    // The distributor's agreement may be missing; the reseller learns only that a discount is missing.
    warnings: visible.warnings
      .filter((w) => w.stage !== 'distributor')
      .map((w) => (w.code === 'BELOW_PRICE_FLOOR' ? { ...RESELLER_FLOOR_WARNING } : w)),
  };
}

export function resellerQuote(quote: PricedQuoteJson): ResellerQuoteJson {
  const { distributor: _distributor, lines, totals, ...visible } = quote;
  let visibleTotals: ResellerQuoteJson['totals'] = null;
  if (totals) {
    const { net: _net, distributorMargin: _margin, ...rest } = totals;
    visibleTotals = rest;
  }
  return { ...visible, lines: lines.map(resellerLine), totals: visibleTotals };
}

/** The quote as `role` may see it. Vendor and distributor see everything of a quote they can reach. */
export function viewFor(quote: PricedQuoteJson, role: ViewerRole): QuoteView {
  return role === 'reseller' ? resellerQuote(quote) : quote;
}
