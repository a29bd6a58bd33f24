import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const fixtureClasses = path.join(import.meta.dirname, 'fixtures/classes');

/**
 * A throwaway copy of the Salesforce project (force-app and the configuration the checks read), optionally with the
 * sample Apex classes of fixtures/classes, to break one thing on purpose.
 */
export class ProjectCopy {
  readonly dir: string;

  constructor(options: { withSampleClasses?: boolean } = {}) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'cpq-forceapp-'));
    for (const entry of ['force-app', 'sfdx-project.json', '.forceignore', '.prettierrc.json', 'config'])
      cpSync(path.join(repoRoot, entry), path.join(this.dir, entry), { recursive: true });
    if (options.withSampleClasses)
      cpSync(fixtureClasses, path.join(this.dir, 'force-app/main/default/classes'), { recursive: true });
  }

  path(relative: string): string {
    return path.join(this.dir, relative);
  }

  read(relative: string): string {
    return readFileSync(this.path(relative), 'utf8');
  }

  write(relative: string, text: string): void {
    writeFileSync(this.path(relative), text);
  }

  /** Replaces `from` (which must occur) by `to` in a file of the copy. */
  edit(relative: string, from: string, to: string): void {
    const text = this.read(relative);
    if (!text.includes(from)) throw new Error(`${relative} does not contain ${from}`);
    this.write(relative, text.replace(from, to));
  }

  remove(relative: string): void {
    rmSync(this.path(relative), { recursive: true, force: true });
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
