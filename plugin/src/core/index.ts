/**
 * The Channel CPQ pricing engine: pure TypeScript, no I/O. Everything of docs PRICING.md.
 * `priceScenario` is the one-call entry; the editor and the services keep a compiled catalog and
 * re-price compiled quotes with `priceQuote` on every change.
 */

export * from './priceScenario.js';
export * from './exact.js';
export * from './currency.js';
export * from './scenario.js';
export * from './validation.js';
export * from './catalog.js';
export * from './agreements.js';
export * from './rates.js';
export * from './ledger.js';
export * from './pricing.js';
export * from './serialize.js';
export * from './visibility.js';
export * from './records.js';
export * from './errors.js';
export * from './defaultDistributor.js';
export * from './renewals.js';
export * from './ids.js';
export * from './limits.js';
