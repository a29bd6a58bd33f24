/**
 * The size limits of the product, in one place: the portal and its services, the CLI and the org store, the
 * quote line editor (through c/cpqEngine) and Apex (`CpqInput.MAX_QUOTE_LINES`, which a test keeps equal).
 *
 * 2,000 lines per quote is the largest quote whose Apex save keeps at least half of every governor limit free
 * (heap, CPU, DML rows; measured by `npm run apex:limits`, docs/APEX-RUNTIME.md): the same limit holds in the
 * local portal, so that a quote built locally can always be saved in an org. An order is made from one quote,
 * and a distributor's stock purchase is held to the same size.
 */
export const MAX_QUOTE_LINES = 2000;
export const MAX_ORDER_LINES = MAX_QUOTE_LINES;

/** The refusal of a quote or order above its limit, in the same words in TypeScript and Apex. */
export function tooManyLines(what: 'quote' | 'order', count: number): string {
  const max = what === 'quote' ? MAX_QUOTE_LINES : MAX_ORDER_LINES;
  return `holds ${count} lines: a${what === 'order' ? 'n' : ''} ${what} may hold at most ${max} lines; split it into several ${what}s`;
}

/**
 * `sf cpq price --scenario FILE`: a scenario file is refused above this size before it is read (10 MB holds a
 * 2,000-line quote many times over, with a large catalog); its quote is held to MAX_QUOTE_LINES, as any quote.
 * Without these a 150,000-line scenario ran the command out of memory.
 */
export const MAX_SCENARIO_BYTES = 10_000_000;

/** The refusal of a scenario file above MAX_SCENARIO_BYTES. */
export function scenarioTooLarge(file: string, bytes: number): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  return `The scenario ${file} is ${n(bytes)} bytes: a scenario file may be at most ${n(MAX_SCENARIO_BYTES)} bytes (10 MB).`;
}
