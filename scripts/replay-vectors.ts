// npm run vectors -- DIR [DIR|FILE ...]: replays pricing vector files and prints "N passed, N failed".
import { listVectorFiles, replayVectorFile } from '../plugin/src/vectors/files.js';

const targets = process.argv.slice(2);
if (targets.length === 0) {
  console.error('usage: npm run vectors -- DIR [DIR|FILE ...]');
  process.exit(2);
}
const files = await listVectorFiles(targets);
if (files.length === 0) {
  console.error(`no *.json vector files in ${targets.join(', ')}`);
  process.exit(2);
}
let passed = 0;
let failed = 0;
for (const file of files) {
  const outcome = await replayVectorFile(file);
  if (outcome.ok) {
    passed++;
    continue;
  }
  failed++;
  console.log(`FAIL ${file}`);
  for (const failure of outcome.failures) console.log(`  ${failure}`);
}
console.log(`vectors: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
