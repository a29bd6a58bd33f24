import { expect } from 'chai';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { cpq, repoRoot as root } from '../../helpers/cli.js';
const example1 = path.join(root, 'test/vectors/example-01-sequential-waterfall.json');

describe('sf cpq price', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-price-'));
  });

  it('prints the waterfall of PRICING.md example 1 as a table', async () => {
    const { code, stdout } = await cpq('price', '--scenario', example1);
    expect(code).to.equal(0);
    for (const figure of ['1000.00', '900.00', '855.00', '684.00', '478.80', '25650.00', '14364.00']) {
      expect(stdout).to.contain(figure);
    }
    expect(stdout).to.contain('Orderable: yes');
  });

  it('returns the full priced quote with --json', async () => {
    const { code, stdout } = await cpq('price', '--scenario', example1, '--json');
    expect(code).to.equal(0);
    const json = JSON.parse(stdout) as {
      status: number;
      result: { lines: { net: { unit: string } }[]; totals: Record<string, string> };
    };
    expect(json.status).to.equal(0);
    expect(json.result.lines[0]!.net.unit).to.equal('478.80');
    expect(json.result.totals).to.include({
      customer: '25650.00',
      partner: '20520.00',
      net: '14364.00',
      distributorMargin: '6156.00',
    });
  });

  it('shows a reseller no Net price, distributor discount or distributor margin', async () => {
    const { code, stdout } = await cpq('price', '--scenario', example1, '--view', 'reseller', '--json');
    expect(code).to.equal(0);
    expect(stdout).not.to.match(/"net"|"distributorMargin"|"distributorDiscount"|"distributor"|478\.80|14364\.00/);
    expect(stdout).to.contain('"684.00"');
    const table = await cpq('price', '--scenario', example1, '--view', 'reseller');
    expect(table.stdout).not.to.match(/Net|Distributor Margin|478\.80/);
  });

  it('names the path of every bad field and exits 1', async () => {
    const scenario = JSON.parse(await readFile(example1, 'utf8')) as { quote: { lines: Record<string, unknown>[] } };
    scenario.quote.lines[0]!.additionalDiscountPercent = '120';
    scenario.quote.lines[0]!.qty = 3;
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(scenario));
    const { code, stderr } = await cpq('price', '--scenario', file);
    expect(code).to.equal(1);
    expect(stderr).to.contain('quote.lines.0.additionalDiscountPercent: must be a percentage between 0 and 100 (got "120")');
    expect(stderr).to.contain('quote.lines.0.qty: "qty" is not a known field here');

    const json = await cpq('price', '--scenario', file, '--json');
    expect(json.code).to.equal(1);
    const error = JSON.parse(json.stdout) as { name: string; data: { issues: { path: string; code: string }[] } };
    expect(error.name).to.equal('InvalidScenario');
    expect(error.data.issues.map((i) => i.path)).to.deep.equal(['quote.lines.0.additionalDiscountPercent', 'quote.lines.0.qty']);
  });

  describe('input bounds', () => {
    const linesOf = (n: number, line: (i: number) => Record<string, unknown>): Promise<string> =>
      readFile(example1, 'utf8').then((text) => {
        const scenario = JSON.parse(text) as { quote: { lines: unknown[] } };
        scenario.quote.lines = Array.from({ length: n }, (_, i) => line(i));
        return JSON.stringify(scenario, null, 2);
      });

    it('refuses a scenario file above 10 MB before reading it (a 150,000-line quote)', async () => {
      const file = path.join(dir, 'huge.json');
      await writeFile(file, await linesOf(150_000, (i) => ({ id: `L${i + 1}`, productId: 'LIC-PRO', quantity: '30' })));
      const started = Date.now();
      const out = await cpq('price', '--scenario', file, '--json');
      expect(out.code).to.equal(1);
      const error = JSON.parse(out.stdout) as { name: string; message: string };
      expect(error.name).to.equal('ScenarioTooLarge');
      expect(error.message).to.match(
        /^The scenario .*huge\.json is [\d,]+ bytes: a scenario file may be at most 10,000,000 bytes \(10 MB\)\.$/,
      );
      // Refused from the file's size, without reading or parsing it.
      expect(Date.now() - started).to.be.below(15_000);
    });

    it('refuses a quote of more lines than a quote may hold, naming quote.lines', async () => {
      // 150,000 lines written compactly fit in 10 MB; the quote is refused from its line count before validation.
      const compact = path.join(dir, 'many.json');
      const scenario = JSON.parse(await linesOf(150_000, () => ({ productId: 'LIC-PRO', quantity: 1 }))) as unknown;
      await writeFile(compact, JSON.stringify(scenario));
      const out = await cpq('price', '--scenario', compact, '--json');
      expect(out.code).to.equal(1);
      const error = JSON.parse(out.stdout) as { name: string; data: { issues: { path: string; message: string }[] } };
      expect(error.name).to.equal('InvalidScenario');
      expect(error.data.issues).to.deep.equal([
        {
          code: 'INVALID_INPUT',
          path: 'quote.lines',
          message: 'holds 150000 lines: a quote may hold at most 2000 lines; split it into several quotes',
        },
      ]);
    });

    it('writes a --json error whole to a pipe (it was cut at 65,536 bytes)', async () => {
      // 1,500 lines with a negative quantity: about 480 KB of issues.
      const file = path.join(dir, 'bad-lines.json');
      await writeFile(file, await linesOf(1500, (i) => ({ productId: `NOPE-${i}`, quantity: '-1' })));
      const out = await cpq('price', '--scenario', file, '--json'); // execFile: stdout is a pipe
      expect(out.code).to.equal(1);
      expect(out.stdout.length).to.be.above(65_536);
      const error = JSON.parse(out.stdout) as { name: string; data: { issues: unknown[] } };
      expect(error.name).to.equal('InvalidScenario');
      expect(error.data.issues).to.have.length(1500);
      // The same without --json, on stderr.
      const human = await cpq('price', '--scenario', file);
      expect(human.code).to.equal(1);
      expect(human.stderr).to.contain('quote.lines.1499.quantity: must be greater than zero');
    });
  });

  it('says when the file is not JSON', async () => {
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{"quote": ');
    const { code, stderr } = await cpq('price', '--scenario', file);
    expect(code).to.equal(1);
    expect(stderr).to.contain('is not valid JSON');
  });
});
