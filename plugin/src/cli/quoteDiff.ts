import { Decimal } from 'decimal.js';
import type { QuoteRecord } from '../core/records.js';
import type { PricedQuoteJson } from '../core/serialize.js';
import type { CpqStore } from '../store/port.js';

/** Prices of one line as the store last saved them (in an org: the fields the Apex pricing guard writes). */
export type StoredLinePrices = {
  lineId: string;
  list?: string | null;
  regular?: string | null;
  customer?: string | null;
  partner?: string | null;
  net?: string | null;
  customerTotal?: string | null;
  partnerTotal?: string | null;
  netTotal?: string | null;
};

/**
 * A store that keeps each line's prices offers them through this optional method (the org adapter can: the
 * lines carry List_Unit__c ... Net_Total__c). The SQLite store keeps only the quote's totals, so `sf cpq quote
 * price --local` compares totals.
 */
export type StoredLinePricing = { storedLinePrices(quoteId: string): Promise<StoredLinePrices[]> };

export function hasStoredLinePrices(store: CpqStore): store is CpqStore & StoredLinePricing {
  return typeof (store as Partial<StoredLinePricing>).storedLinePrices === 'function';
}

export type PriceDifference = {
  /** "totals" or the line id. */
  line: string;
  field: string;
  stored: string | null;
  computed: string | null;
};

/** Equal as exact decimals ("855.00" and "855.0000" are the same price); null only equals null. */
function same(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  return new Decimal(a).equals(new Decimal(b));
}

export function diffQuote(
  quote: QuoteRecord,
  priced: PricedQuoteJson,
  storedLines: StoredLinePrices[] | undefined,
): PriceDifference[] {
  const out: PriceDifference[] = [];
  const push = (line: string, field: string, stored: string | null | undefined, computed: string | null | undefined): void => {
    if (!same(stored, computed)) out.push({ line, field, stored: stored ?? null, computed: computed ?? null });
  };
  if (storedLines) {
    const byId = new Map(storedLines.map((l) => [l.lineId, l]));
    for (const line of priced.lines) {
      const stored = byId.get(line.lineId);
      if (!stored) {
        out.push({ line: line.lineId, field: 'line', stored: null, computed: 'priced' });
        continue;
      }
      for (const stage of ['list', 'regular', 'customer', 'partner', 'net'] as const) {
        if (stage in stored) push(line.lineId, `${stage}.unit`, stored[stage], line[stage].unit);
      }
      for (const stage of ['customer', 'partner', 'net'] as const) {
        const key = `${stage}Total` as const;
        if (key in stored) push(line.lineId, `${stage}.total`, stored[key], line[stage].total);
      }
    }
  }
  push('totals', 'customer', quote.customerTotal, priced.totals?.customer);
  push('totals', 'partner', quote.partnerTotal, priced.totals?.partner);
  push('totals', 'net', quote.netTotal, priced.totals?.net);
  if (quote.approvalRequired !== priced.approvalRequired) {
    out.push({
      line: 'totals',
      field: 'approvalRequired',
      stored: String(quote.approvalRequired),
      computed: String(priced.approvalRequired),
    });
  }
  return out;
}
