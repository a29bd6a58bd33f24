/**
 * The browser entry of the pricing engine: what `c/cpqEngine` (the generated LWC module) exports for the
 * quote line editor to re-price as the user types. Server pricing on save stays authoritative.
 * Pure and dependency-free at run time (zod, currency data and decimal helpers are bundled in).
 */
export { compileCatalog, type PricingCatalog } from './catalog.js';
export { compileQuote, priceQuote, type CompiledQuote, type PricedQuote } from './pricing.js';
export { serializeLine, serializePricedQuote, type PricedLineJson, type PricedQuoteJson } from './serialize.js';
export { viewFor, resellerQuote, type QuoteView, type ViewerRole } from './visibility.js';
export { formatIssues, parseScenario, type ScenarioIssue } from './validation.js';
export { scenarioSchema, type Scenario } from './scenario.js';
export { minorUnits } from './currency.js';
export { MAX_QUOTE_LINES, tooManyLines } from './limits.js';
export { priceScenario, priceValidScenario } from './priceScenario.js';
