import { readFileSync } from 'node:fs';
import { format, inspect } from 'node:util';
import { Command, Flags } from '@oclif/core';

/**
 * A command that starts fast: a plain oclif Command with the `--json` answer and error shapes of SfCommand
 * (@salesforce/sf-plugins-core), without importing it. sf-plugins-core loads @salesforce/core, its logger and an
 * ink/React table renderer: about 1 s of a 2-core machine before the command's first line runs, which is most of
 * `sf cpq price` (an offline engine command). Commands that talk to an org keep SfCommand.
 *
 * Shapes kept: success `{ status, result, warnings }`; error `{ name, message, exitCode, actions, context, data,
 * stack, warnings, code, status, commandName }` on stdout with --json, else `Error (Name): message` and
 * `Try this:` with the actions on stderr; exit code 1 (2 for a usage error).
 */

/** The messages of plugin/messages/<bundle>.md, read the way @salesforce/core's Messages reads markdown. */
export class LiteMessages {
  private constructor(
    private readonly bundle: string,
    private readonly map: Map<string, string | string[]>,
  ) {}

  public static load(bundle: string): LiteMessages {
    const text = readFileSync(new URL(`../../messages/${bundle}.md`, import.meta.url), 'utf8');
    const map = new Map<string, string | string[]>();
    for (const section of text.split(/^#\s*/m).filter((s) => s.trim() !== '')) {
      const lines = section.split('\n');
      const key = lines.shift()?.trim();
      const rest = lines.join('\n').trim();
      if (!key || rest === '') continue;
      const nonEmpty = lines.filter((l) => l.trim() !== '');
      // Every line a list row (or its indented continuation): a list, one entry per item.
      if (nonEmpty.every((l) => /^[*-]\s+|^ {2}/.test(l))) {
        const items = rest.split(/^[*-]\s+/m).filter((i) => i.trim() !== '');
        map.set(
          key,
          items.map((i) =>
            i
              .split('\n')
              .filter((l) => l.trim() !== '')
              .map((l) => l.trim())
              .join('\n'),
          ),
        );
      } else {
        map.set(key, rest);
      }
    }
    return new LiteMessages(bundle, map);
  }

  public getMessage(key: string, tokens: readonly unknown[] = []): string {
    return this.getMessages(key, tokens).join('\n');
  }

  /** Each entry with its `%s` filled from the tokens in turn (an entry without a specifier takes none). */
  public getMessages(key: string, tokens: readonly unknown[] = []): string[] {
    const value = this.map.get(key);
    if (value === undefined) throw new Error(`Missing message ${this.bundle}:${key}`);
    let next = 0;
    return (Array.isArray(value) ? value : [value]).map((entry) => {
      const count = entry.match(/%[sdifjoO]/g)?.length ?? 0;
      if (count === 0) return entry;
      const used = tokens.slice(next, next + count);
      next += count;
      return format(entry, ...used);
    });
  }
}

/** An error with a name (the code shown), actions and data, as SfError carries them. */
export class CommandError extends Error {
  public constructor(
    message: string,
    name: string,
    public readonly actions: string[] = [],
    public readonly exitCode = 1,
    public data?: unknown,
  ) {
    super(message);
    this.name = name;
  }

  public setData(data: unknown): this {
    this.data = data;
    return this;
  }
}

type Printed = Error & { skipOclifErrorHandling?: boolean; oclif?: { exit?: number } };

/** sf-plugins-core's computeErrorCode: a TypeError exits 10, an oclif error its exit, else its exitCode or 1. */
function exitCodeOf(error: Printed & { exitCode?: unknown; code?: unknown }): number {
  const typeError = (e: unknown): boolean =>
    e instanceof Error &&
    (e instanceof TypeError ||
      e.name === 'TypeError' ||
      e.message.includes('TypeError') ||
      Boolean(e.stack?.includes('TypeError')) ||
      typeError(e.cause));
  if (typeError(error)) return 10;
  if (typeof error.oclif?.exit === 'number') return error.oclif.exit;
  if (typeof error.exitCode === 'number') return error.exitCode;
  if ('code' in error) return typeof error.code === 'number' ? error.code : 1;
  return typeof process.exitCode === 'number' ? process.exitCode : 1;
}

type ParseRaw = { type: string; flag?: string; input: string };

export abstract class LiteCommand<T> extends Command {
  public static override enableJsonFlag = true;

  /** As SfCommand's: the sf CLI reads the directory (its preparse hook); declared so that sf can pass it. */
  public static override baseFlags = {
    'flags-dir': Flags.directory({ summary: 'Import flag values from a directory.', helpGroup: 'GLOBAL' }),
  };

  protected override toSuccessJson(result: unknown): { status: number; result: unknown; warnings: unknown[] } {
    return { status: typeof process.exitCode === 'number' ? process.exitCode : 0, result, warnings: [] };
  }

  public override catch(error: Printed & { exitCode?: number; actions?: string[]; data?: unknown }): Promise<never> {
    const exitCode = exitCodeOf(error);
    const name = error.name || 'Error';
    const actions = [...(error.actions ?? [])];
    // As SfCommandError.from: a CommandError (an SfError) shows its name as code and has no cause; any other error
    // is wrapped, so it is its own cause, and shows its own code or else the exit code.
    const own = (error as { code?: unknown }).code;
    const code =
      error instanceof CommandError
        ? name
        : (typeof own === 'string' || typeof own === 'number') && own
          ? String(own)
          : String(exitCode);
    const cause = error instanceof CommandError ? undefined : error;
    if (exitCode === 2 && error.message.includes('Unexpected argument')) actions.push(...suggestions(error));
    process.exitCode = exitCode;
    if (this.jsonEnabled()) {
      this.logJson({
        name,
        message: error.message,
        exitCode,
        ...(actions.length > 0 ? { actions } : {}),
        context: this.constructor.name,
        ...(error.data === undefined ? {} : { data: error.data }),
        stack: error.stack,
        cause: inspect(cause),
        warnings: [],
        code,
        status: exitCode,
        commandName: this.constructor.name,
      });
    } else {
      // formatError's lines: the message, an empty line, then "Try this:" and the actions.
      const tryThis = actions.length > 0 ? ['\nTry this:\n', ...actions] : [];
      process.stderr.write([`Error (${code}): ${error.message}`, '', ...tryThis, ''].join('\n') + '\n');
    }
    // Printed: oclif's handler only sets the exit code.
    const printed: Printed = Object.assign(new Error(error.message), { skipOclifErrorHandling: true, oclif: { exit: exitCode } });
    return Promise.reject(printed);
  }

  /**
   * A table drawn as sf-plugins-core's table draws it (box borders, one space of padding, column names in title
   * case), its title on the line above and an empty line after.
   */
  protected table(title: string, rows: readonly Record<string, string>[]): void {
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const head = keys.map((k) => k.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()));
    const widths = keys.map((k, i) => Math.max(head[i]!.length, ...rows.map((r) => (r[k] ?? '').length)));
    const rule = (left: string, middle: string, right: string): string =>
      left + widths.map((w) => '─'.repeat(w + 2)).join(middle) + right;
    const line = (cells: string[]): string => '│' + cells.map((c, i) => ` ${c.padEnd(widths[i]!)} `).join('│') + '│';
    this.log(title);
    this.log(rule('┌', '┬', '┐'));
    this.log(line(head));
    this.log(rule('├', '┼', '┤'));
    for (const r of rows) this.log(line(keys.map((k) => r[k] ?? '')));
    this.log(rule('└', '┴', '┘'));
    this.log('');
  }

  public abstract override run(): Promise<T>;
}

/** SfCommandError.appendErrorSuggestions: `--flag "several words"` for a value given without quotes. */
function suggestions(error: Error): string[] {
  const raw = error as unknown as { parse?: { output?: { raw?: ParseRaw[] } } };
  const output = raw.parse?.output?.raw ?? [];
  const found: string[] = [];
  output.forEach((k, i) => {
    let next = i + 1;
    if (k.type === 'flag' && output[next]?.type === 'arg') {
      const args = [k.input];
      while (output[next]?.type === 'arg') args.push(output[next++]!.input);
      found.push(`--${k.flag} "${args.join(' ')}"`);
    }
  });
  return found;
}
