/* global console, process */
// Writes plugin/oclif.manifest.json from the built commands (plugin/lib), as `oclif manifest` does: run by the
// plugin's build (`npm run build`, and so by `npm ci` through `prepare`). With it oclif reads every command's
// id, flags and help from one file and imports only the command that runs; without it, it imported all of them
// (the org store, fastify, the deploy library...) on every start. A build product: not committed.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Plugin } from '@oclif/core';

const root = path.resolve(import.meta.dirname, '../plugin');
const plugin = new Plugin({ root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true });
await plugin.load();
const file = path.join(root, 'oclif.manifest.json');
await writeFile(file, JSON.stringify(plugin.manifest, null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), file)} (${Object.keys(plugin.manifest.commands).length} commands)`);
