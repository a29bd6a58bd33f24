/**
 * What c/cpqEngine (force-app/main/default/lwc/cpqEngine/cpqEngine.js) must be, checked by
 * `npm run build:engine` (and its `--check` in `npm run lint`) and by test/engineBundle.test.ts
 * (docs/EDITOR.md, "The engine bundle"):
 * - at most 150,000 bytes: it is downloaded by every quote line editor, and Salesforce refuses a component
 *   file above 1,000,000 bytes;
 * - no code generated at run time (`new Function`, `Function(...)`, an alias of `Function`, `eval(...)`),
 *   which a strict Content Security Policy (Lightning Locker, Lightning Web Security) refuses;
 * - no use of `globalThis`: the engine keeps no state in, and writes nothing to, the page's globals.
 */
export const MAX_ENGINE_BUNDLE_BYTES = 150_000;

const forbidden: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /\bnew\s+Function\b/, why: 'calls the Function constructor (new Function)' },
  { pattern: /(?<![\w$.])Function\s*\(/, why: 'calls the Function constructor (Function(...))' },
  { pattern: /[=:(,]\s*Function\s*[;,)}\n]/, why: 'takes the Function constructor as a value (an alias of Function)' },
  { pattern: /(?<![\w$.])eval\s*\(/, why: 'calls eval' },
  { pattern: /\bglobalThis\b/, why: 'uses globalThis (the engine must not read or write page globals)' },
];

/** The reasons `code` is not an acceptable c/cpqEngine bundle (none: it is). */
export function engineBundleProblems(code: string): string[] {
  const problems: string[] = [];
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes > MAX_ENGINE_BUNDLE_BYTES) {
    problems.push(`is ${bytes} bytes, above its budget of ${MAX_ENGINE_BUNDLE_BYTES} bytes`);
  }
  const lines = code.split('\n');
  for (const { pattern, why } of forbidden) {
    const line = lines.findIndex((text) => pattern.test(text));
    if (line >= 0) problems.push(`${why}, line ${line + 1}: ${lines[line]!.trim().slice(0, 120)}`);
  }
  return problems;
}
