import { compileCatalog } from './catalog.js';
import { compileQuote, priceQuote } from './pricing.js';
import type { Scenario } from './scenario.js';
import { serializePricedQuote, type PricedQuoteJson } from './serialize.js';
import { parseScenario, type ScenarioIssue } from './validation.js';

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
