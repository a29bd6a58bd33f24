import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { replayVectorFile } from '../plugin/src/vectors/files.js';

// Every vector file in test/vectors is replayed; its numbers come from PRICING.md and hand calculation.
const dir = path.join(import.meta.dirname, 'vectors');
const files = readdirSync(dir)
  .filter((n) => n.endsWith('.json'))
  .sort();

describe('pricing vectors (test/vectors)', () => {
  it('has at least 40 vectors', () => {
    expect(files.length).to.be.at.least(40);
  });
  for (const name of files) {
    it(name, async () => {
      const outcome = await replayVectorFile(path.join(dir, name));
      expect(outcome.failures, outcome.failures.join('\n')).to.deep.equal([]);
    });
  }
});
