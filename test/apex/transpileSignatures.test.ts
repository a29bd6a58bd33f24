import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
// @ts-expect-error: a JavaScript module of the scripts, without types
import { transpile } from '../../scripts/apex-transpile.mjs';

/**
 * A real Apex compiler refuses a call whose argument count matches no method or constructor of that name
 * ("Method does not exist or incorrect signature", "Constructor not defined"); the Apex runtime must not run such
 * code (docs/APEX-RUNTIME.md). The transpiler refuses the calls whose target it knows; the runtime the others.
 */
const RUNTIME = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/apex-runtime.mjs')).href;
const run = transpile as (sources: string[], runtimeUrl: string) => string;

const HELPER = `public class Helper {
  public Integer base;
  public Helper() { this.base = 0; }
  public Helper(Integer base) { this.base = base; }
  public Integer twice(Integer x) { return x * 2; }
  public static Integer add(Integer a, Integer b) { return a + b; }
  public static Integer add(Integer a, Integer b, Integer c) { return a + b + c; }
}`;

const caller = (body: string): string => `public class Caller {
  public static Object go() { ${body} }
  private static Integer one(Integer x) { return x; }
}`;

describe('Apex transpiler: calls must match a signature', () => {
  it('compiles calls with the right number of arguments', () => {
    expect(() =>
      run([HELPER, caller('return one(1) + Helper.add(1, 2) + Helper.add(1, 2, 3) + new Helper(4).twice(2);')], RUNTIME),
    ).not.to.throw();
  });

  it('refuses an unqualified call with the wrong number of arguments', () => {
    expect(() => run([HELPER, caller('return one(1, 2);')], RUNTIME)).to.throw(
      /Method does not exist or incorrect signature: one with 2 arguments in Caller \(it takes 1\)/,
    );
  });

  it('refuses a static call Type.method(...) that matches no overload', () => {
    expect(() => run([HELPER, caller('return Helper.add(1);')], RUNTIME)).to.throw(
      /Method does not exist or incorrect signature: Helper.add with 1 argument in Caller \(it takes 2 or 3\)/,
    );
    expect(() => run([HELPER, caller('return Helper.nothing();')], RUNTIME)).to.throw(/Helper.nothing with 0 arguments/);
  });

  it('refuses new Type(...) and this(...) with no constructor of that arity', () => {
    expect(() => run([HELPER, caller('return new Helper(1, 2);')], RUNTIME)).to.throw(
      /Constructor not defined: Helper with 2 arguments in Caller \(it takes 0 or 1\)/,
    );
    const noCtor = 'public class Plain { public Integer x; }';
    expect(() => run([noCtor, caller('return new Plain(1);')], RUNTIME)).to.throw(
      /Constructor not defined: Plain with 1 argument/,
    );
    const chained = 'public class Chained { public Chained() { this(1, 2); } public Chained(Integer a) {} }';
    expect(() => run([chained], RUNTIME)).to.throw(/Constructor not defined: Chained with 2 arguments/);
  });

  it('at run time, refuses an instance call whose argument count matches no method of the object', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'apex-sig-'));
    const file = path.join(dir, 'classes.mjs');
    writeFileSync(file, run([HELPER, caller('Helper h = new Helper(); return h.twice(1, 2);')], RUNTIME));
    const mod = (await import(pathToFileURL(file).href)) as { Caller: { go: () => unknown } };
    expect(() => mod.Caller.go()).to.throw(
      /Method does not exist or incorrect signature: Helper.twice with 2 arguments \(it takes 1\)/,
    );
  });
});
