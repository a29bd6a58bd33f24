import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from '@lwc/compiler';
import type * as EngineModule from '../plugin/src/core/engine.js';
import { replayVector } from '../plugin/src/vectors/vector.js';

/**
 * c/cpqEngine is the generated bundle the quote line editor re-prices with: it must be the same engine
 * (every vector, priced by the bundle, gives the vector's numbers) and a module the LWC compiler accepts.
 */
const root = path.resolve(import.meta.dirname, '..');
const bundlePath = path.join(root, 'force-app/main/default/lwc/cpqEngine/cpqEngine.js');
const vectorsDir = path.join(root, 'test/vectors');

type Engine = typeof EngineModule;

describe('c/cpqEngine (generated bundle)', () => {
  let engine: Engine;
  let source: Pick<Engine, 'priceScenario'>;
  before(async () => {
    engine = (await import(pathToFileURL(bundlePath).href)) as Engine;
    source = await import('../plugin/src/core/priceScenario.js');
  });

  it('prices PRICING.md example 1 to the cent', () => {
    const scenario: unknown = JSON.parse(readFileSync(path.join(vectorsDir, 'example-01-sequential-waterfall.json'), 'utf8'));
    const result = engine.priceScenario(scenario);
    if (!result.ok) throw new Error(engine.formatIssues(result.issues));
    const line = result.quote.lines[0]!;
    expect([line.list.unit, line.regular.unit, line.customer.unit, line.partner.unit, line.net.unit]).to.deep.equal([
      '1000.00',
      '900.00',
      '855.00',
      '684.00',
      '478.80',
    ]);
  });

  it('gives exactly what the source engine gives on every vector', () => {
    for (const name of readdirSync(vectorsDir).filter((n) => n.endsWith('.json'))) {
      const document: unknown = JSON.parse(readFileSync(path.join(vectorsDir, name), 'utf8'));
      // The source engine passes the vector, and the bundle gives the very same answer (figures or issues).
      expect(replayVector(document).ok, name).to.equal(true);
      expect(JSON.stringify(engine.priceScenario(document)), name).to.equal(JSON.stringify(source.priceScenario(document)));
    }
  });

  it('compiles with the LWC compiler as a module of namespace c', () => {
    const source = readFileSync(bundlePath, 'utf8');
    const output = transformSync(source, 'cpqEngine.js', { namespace: 'c', name: 'cpqEngine' });
    expect(output.code.length).to.be.greaterThan(1000);
    expect(output.warnings ?? []).to.deep.equal([]);
  });
});
