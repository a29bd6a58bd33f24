/**
 * The Channel CPQ pricing engine: pure TypeScript, no I/O. Everything of docs PRICING.md.
 * `priceScenario` is the one-call entry; the editor and the services keep a compiled catalog and
 * re-price compiled quotes with `priceQuote` on every change.
 */
import { compileCatalog } from './catalog.js';
import { compileQuote, priceQuote } from './pricing.js';
import type { Scenario } from './scenario.js';
import { serializePricedQuote, type PricedQuoteJson } from './serialize.js';
import { parseScenario, type ScenarioIssue } from './validation.js';

export * from './exact.js';
export * from './currency.js';
export * from './scenario.js';
export * from './validation.js';
export * from './catalog.js';
export * from './agreements.js';
export * from './pricing.js';
export * from './serialize.js';
export * from './visibility.js';
export * from './records.js';
export * from './errors.js';
export * from './defaultDistributor.js';
export * from './renewals.js';
export * from './ids.js';

/** Prices a validated scenario's quote. */
export function priceValidScenario(scenario: Scenario): PricedQuoteJson {
  return serializePricedQuote(priceQuote(compileCatalog(scenario), compileQuote(scenario.quote)));
}

/** Validates and prices a scenario document. */
export function priceScenario(input: unknown): { ok: true; quote: PricedQuoteJson } | { ok: false; issues: ScenarioIssue[] } {
  const parsed = parseScenario(input);
  if (!parsed.ok) return parsed;
  return { ok: true, quote: priceValidScenario(parsed.value) };
}
