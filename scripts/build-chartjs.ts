// Part of `npm run build:engine`: copies Chart.js (node_modules/chart.js/dist/chart.umd.js, MIT) into the
// static resource force-app/main/default/staticresources/chartjs.js that the channelDashboard component loads
// with loadScript. With --check it fails when the committed copy is not the installed chart.js.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = path.join(root, 'node_modules/chart.js');
const source = path.join(pkg, 'dist/chart.umd.js');
const { version } = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string };
const dir = path.join(root, 'force-app/main/default/staticresources');
const files: [string, string][] = [
  [path.join(dir, 'chartjs.js'), readFileSync(source, 'utf8')],
  [
    path.join(dir, 'chartjs.resource-meta.xml'),
    `<?xml version="1.0" encoding="UTF-8" ?>
<StaticResource xmlns="http://soap.sforce.com/2006/04/metadata">
    <cacheControl>Public</cacheControl>
    <contentType>application/javascript</contentType>
    <description>Chart.js ${version} (MIT), copied from node_modules/chart.js/dist/chart.umd.js by npm run build:engine</description>
</StaticResource>
`,
  ],
];

if (process.argv.includes('--check')) {
  const stale = files.filter(([file, content]) => {
    try {
      return readFileSync(file, 'utf8') !== content;
    } catch {
      return true;
    }
  });
  if (stale.length > 0) {
    console.error(`${stale.map(([f]) => path.relative(root, f)).join(', ')} stale: run \`npm run build:engine\` and commit.`);
    process.exit(1);
  }
  console.log(`chartjs static resource is fresh (Chart.js ${version})`);
} else {
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of files) writeFileSync(file, content);
  console.log(`wrote force-app/main/default/staticresources/chartjs.js (Chart.js ${version}, ${files[0]![1].length} bytes)`);
}
