import type { PricedLineJson, PricedQuoteJson } from './serialize.js';

/**
 * Who sees what (PRICING.md): a reseller never sees Net prices, distributor discounts or distributor
 * margins. The reseller's view is a different type with those fields absent (not blanked), so that
 * no response built from it can carry them by accident.
 */

export type ViewerRole = 'vendor' | 'distributor' | 'reseller';

export type ResellerLineJson = Omit<PricedLineJson, 'net' | 'distributorMargin' | 'distributorDiscount'>;

export type ResellerQuoteJson = Omit<PricedQuoteJson, 'lines' | 'totals' | 'distributor'> & {
  lines: ResellerLineJson[];
  totals: Omit<NonNullable<PricedQuoteJson['totals']>, 'net' | 'distributorMargin'> | null;
};

export type QuoteView = PricedQuoteJson | ResellerQuoteJson;

export function resellerLine(line: PricedLineJson): ResellerLineJson {
  const { net: _net, distributorMargin: _margin, distributorDiscount: _discount, ...visible } = line;
  return {
    ...visible,
    // The distributor's agreement may be missing; the reseller learns only that a discount is missing.
    warnings: visible.warnings.filter((w) => w.stage !== 'distributor'),
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
