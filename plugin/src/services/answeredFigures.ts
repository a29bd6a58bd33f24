/**
 * The line figures this server last answered for each quote version (issue 14, the slim save answer): a
 * save answers only the lines whose figures differ from those of the version the client edited.
 *
 * Sound by construction: an entry is used only when every answer this process gave for that version carried
 * the same figures (a second answer for the version with other figures, e.g. a getQuote after a price book
 * change, marks it ambiguous). Unknown or ambiguous (a restarted server, an evicted entry, another process):
 * every line counts as changed, which is always a correct answer. Lines are compared with `same`: by default
 * as JSON values (`sameJson`); the quote service passes core/samePricedLine.ts, a comparison written for the
 * engine's priced lines (a generic deep comparison was 13 % of a save's CPU).
 *
 * The quote service keeps the engine's priced lines (core/pricing.ts PricedLine), not their JSON: a line's
 * JSON is a function of its priced line alone (core/serialize.ts serializeLine), so equal priced lines have
 * equal JSON, and a save need not turn the unchanged lines' figures into strings to tell them apart. (The
 * converse may fail, e.g. a slab's percent kept as another fraction of the same value: then an unchanged
 * line is answered, which is still correct.)
 */
export class AnsweredFigures<L extends { lineId: string }> {
  private readonly entries = new Map<string, { version: number; lines: Map<string, L>; ambiguous: boolean }>();

  public constructor(
    private readonly maxQuotes = 512,
    /** Equal lines must have equal answered JSON (then an unchanged line is never left out of an answer). */
    private readonly same: (a: L, b: L) => boolean = sameJson,
  ) {}

  /** Notes the figures answered for `quoteId` at `version` (every QuoteDetail or save answer). */
  public record(quoteId: string, version: number, lines: readonly L[]): void {
    const entry = this.entries.get(quoteId);
    if (entry?.version === version) {
      if (!entry.ambiguous && !sameLines(entry.lines, lines, this.same)) entry.ambiguous = true;
      return;
    }
    this.entries.delete(quoteId);
    // Oldest first (Map keeps insertion order): a quote answered again moves to the end.
    while (this.entries.size >= this.maxQuotes) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(quoteId, { version, lines: new Map(lines.map((l) => [l.lineId, l])), ambiguous: false });
  }

  /**
   * The lines of `lines` whose figures may differ from those answered for `quoteId` at `version` (the
   * version the client edited): all of them when that answer is not known for sure.
   */
  public changedSince(quoteId: string, version: number, lines: readonly L[]): L[] {
    const entry = this.entries.get(quoteId);
    if (entry?.version !== version || entry.ambiguous) return [...lines];
    return lines.filter((line) => {
      const before = entry.lines.get(line.lineId);
      return before === undefined || !this.same(before, line);
    });
  }

  /**
   * Another thread answered `quoteId` at `version` (the portal's pricing workers route each quote's calls to one
   * worker; this guards the case where another one answered anyway): that version's figures are no longer known.
   */
  public markAmbiguous(quoteId: string, version: number): void {
    const entry = this.entries.get(quoteId);
    if (entry && entry.version > version) return;
    this.entries.delete(quoteId);
    this.entries.set(quoteId, { version, lines: new Map(), ambiguous: true });
  }

  /** An answer whose lines could not be recorded: what the client holds for this quote is unknown. */
  public forget(quoteId: string): void {
    this.entries.delete(quoteId);
  }
}

function sameLines<L extends { lineId: string }>(
  before: ReadonlyMap<string, L>,
  lines: readonly L[],
  same: (a: L, b: L) => boolean,
): boolean {
  if (before.size !== lines.length) return false;
  return lines.every((line) => {
    const old = before.get(line.lineId);
    return old !== undefined && same(old, line);
  });
}

/** Deep equality of JSON values (objects, arrays, strings, numbers, booleans, null; undefined keys ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const key in x) {
    if (x[key] === undefined) continue;
    count++;
    if (!sameJson(x[key], y[key])) return false;
  }
  for (const key in y) if (y[key] !== undefined) count--;
  return count === 0;
}
