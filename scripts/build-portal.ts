// npm run build:portal: compiles the force-app Lightning web components, the local portal shell and the
// lightning-base-components they use into a browser bundle (plugin/lib/portal), which `sf cpq preview`
// serves. The same lwc / @lwc/rollup-plugin 8.28.2 as sfdx-lwc-jest (TOOLCHAIN-NOTES.md). docs/PORTAL.md.
//   --dev    development mode of the LWC engine (warnings), not minified
//   --force  build even when no input changed since the last build (build.json holds the inputs' stamp)
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { gzipSync } from 'node:zlib';
import lwcPlugin from '@lwc/rollup-plugin';
import replacePlugin from '@rollup/plugin-replace';
import { transform } from 'esbuild';
import { rollup, type Plugin, type RollupCache } from 'rollup';

// CommonJS packages whose types declare `export default` (typed as the module namespace under NodeNext).
const lwc = interop(lwcPlugin) as typeof lwcPlugin.default;
const replace = interop(replacePlugin) as typeof replacePlugin.default;
function interop(module: unknown): unknown {
  return typeof module === 'function' ? module : (module as { default: unknown }).default;
}

const root = path.resolve(import.meta.dirname, '..');
export const LWC_DIR = path.join(root, 'force-app/main/default/lwc');
export const STATIC_RESOURCES_DIR = path.join(root, 'force-app/main/default/staticresources');
export const PORTAL_SRC = path.join(root, 'plugin/src/preview/portal');
export const PORTAL_OUT = path.join(root, 'plugin/lib/portal');

export type ModuleRecord = { name: string; path: string } | { dir: string } | { npm: string };

export type BuildPortalOptions = {
  outDir?: string;
  /** Entry modules (file paths) by output name; default `{ portal: <shell main.js> }`. */
  entries?: Record<string, string>;
  /** More LWC modules, e.g. the UI bench's pages. */
  extraModules?: ModuleRecord[];
  dev?: boolean;
  minify?: boolean;
  /** Keep rollup's compiled modules between builds (node_modules/.cache): a rebuild recompiles changed files only. */
  cache?: boolean;
};

export type BuildResult = {
  outDir: string;
  ms: number;
  files: { file: string; bytes: number; gzip: number }[];
  components: string[];
};

/** Every component folder of force-app with its main module (a folder without one is still being written). */
export function forceAppComponents(dir = LWC_DIR): { name: string; path: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, `${d.name}.js`)))
    .map((d) => ({ name: `c/${d.name}`, path: path.join(dir, d.name, `${d.name}.js`) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const shim = (file: string): string => path.join(PORTAL_SRC, 'shims', file);

const LBC_SRC = path.join(root, 'node_modules/lightning-base-components/src/lightning');
const ICON_CATEGORIES = ['utility', 'standard', 'action', 'doctype', 'custom'] as const;
const ICON_NAME = /\b(utility|standard|action|doctype|custom):([a-z0-9_]+)\b/g;
// lightning-toast builds `utility:${variant}`: the only icon name of LBC that no source spells out.
const COMPOSED_ICONS = ['utility:info', 'utility:success', 'utility:warning', 'utility:error'];

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && /\.(js|html)$/.test(d.name) && !d.parentPath.includes('iconSvgTemplates'))
    .map((d) => path.join(d.parentPath, d.name));
}

/**
 * The SLDS icons the portal can show, as lightning-primitive-icon's template libraries. LBC imports a whole
 * category's inline SVG templates (utility alone is 677 KB of script) the first time one icon of it renders;
 * these modules stand in for them with only the icons named anywhere in our components, the portal shell or
 * LBC's own sources (a name missing here renders an empty icon, never an error). One module per category,
 * written to node_modules/.cache and resolved ahead of LBC's.
 */
function iconSubsetModules(): { name: string; path: string }[] {
  const names = new Set<string>(COMPOSED_ICONS);
  for (const dir of [LWC_DIR, PORTAL_SRC, LBC_SRC])
    for (const file of sourceFiles(dir)) for (const m of readFileSync(file, 'utf8').matchAll(ICON_NAME)) names.add(m[0]);
  const outDir = path.join(root, 'node_modules/.cache/cpq-portal/icons');
  mkdirSync(outDir, { recursive: true });
  return ICON_CATEGORIES.map((category) => {
    const library = `iconSvgTemplates${category[0]!.toUpperCase()}${category.slice(1)}`;
    const templates = path.join(LBC_SRC, library, 'buildTemplates', category);
    const icons = [...names]
      .filter((n) => n.startsWith(`${category}:`))
      .map((n) => n.slice(category.length + 1))
      .filter((icon) => existsSync(path.join(templates, `${icon}.html`)))
      .sort();
    const file = path.join(outDir, `${library}.js`);
    const code =
      icons.map((icon) => `import ${category}_${icon} from ${JSON.stringify(path.join(templates, `${icon}.html`))};`).join('\n') +
      `\nexport default { ${icons.map((icon) => `${category}_${icon}`).join(', ')} };\n`;
    if (!existsSync(file) || readFileSync(file, 'utf8') !== code) writeFileSync(file, code);
    return { name: `lightning/${library}`, path: file };
  });
}

/**
 * The platform's modules, which only an org provides: Apex methods become POSTs to the local server,
 * static resources URLs under /resources, the user id comes from the page; `virtual:cpq-components`
 * maps every force-app component name to a lazy import, so the shell creates whichever exist.
 */
function platformModules(components: { name: string }[]): Plugin {
  const APEX = '\0cpq-apex:';
  const RESOURCE = '\0cpq-resource:';
  const COMPONENTS = '\0cpq-components';
  const APEX_RUNTIME = '\0cpq-apex-runtime';
  return {
    name: 'cpq-platform-modules',
    resolveId(source) {
      if (source.startsWith('@salesforce/apex/')) return `${APEX}${source.slice('@salesforce/apex/'.length)}`;
      if (source === '@salesforce/apex') return APEX_RUNTIME;
      if (source.startsWith('@salesforce/resourceUrl/')) return `${RESOURCE}${source.slice('@salesforce/resourceUrl/'.length)}`;
      if (source === '@salesforce/user/Id') return shim('userId.js');
      if (source === '@salesforce/i18n/locale') return shim('i18nLocale.js');
      if (source === 'virtual:cpq-components') return COMPONENTS;
      return null;
    },
    load(id) {
      if (id.startsWith(APEX)) {
        const target = id.slice(APEX.length);
        const match = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/.exec(target);
        if (!match) this.error(`@salesforce/apex/${target}: expected @salesforce/apex/Class.method`);
        const [, cls, method] = match;
        return `import { callApex } from ${JSON.stringify(shim('apex.js'))};
export default function ${cls}_${method}(params) { return callApex(${JSON.stringify(cls)}, ${JSON.stringify(method)}, params); }`;
      }
      if (id === APEX_RUNTIME) {
        // Components call Apex imperatively (LWC-CONVENTIONS.md): nothing is cached, so refresh is a no-op.
        return `export function refreshApex() { return Promise.resolve(); }
export function getSObjectValue(record, field) { return record == null ? undefined : record[typeof field === 'string' ? field : field.fieldApiName]; }`;
      }
      if (id.startsWith(RESOURCE)) {
        const name = id.slice(RESOURCE.length);
        if (!/^[\w-]+$/.test(name)) this.error(`@salesforce/resourceUrl/${name}: not a static resource name`);
        return `export default ${JSON.stringify(`/resources/${name}`)};`;
      }
      if (id === COMPONENTS) {
        const entries = components.map((c) => `  ${JSON.stringify(c.name)}: () => import(${JSON.stringify(c.name)}),`);
        return `export default {\n${entries.join('\n')}\n};`;
      }
      return null;
    },
  };
}

/** Minifies each chunk with esbuild (already installed for the engine bundle): fast enough for npm install. */
function minifyChunks(): Plugin {
  return {
    name: 'cpq-minify',
    async renderChunk(code) {
      const result = await transform(code, { minify: true, format: 'esm', target: 'es2020', legalComments: 'none' });
      return { code: result.code, map: null };
    },
  };
}

/** Copies force-app's static resources to <out>/resources and writes their content types (resources.json). */
export function copyStaticResources(
  outDir: string,
  from = STATIC_RESOURCES_DIR,
): Record<string, { contentType: string; file: string }> {
  const manifest: Record<string, { contentType: string; file: string }> = {};
  if (!existsSync(from)) return manifest;
  const target = path.join(outDir, 'resources');
  mkdirSync(target, { recursive: true });
  for (const meta of readdirSync(from).filter((f) => f.endsWith('.resource-meta.xml'))) {
    const name = meta.slice(0, -'.resource-meta.xml'.length);
    const contentType = /<contentType>\s*([^<\s]+)\s*<\/contentType>/.exec(readFileSync(path.join(from, meta), 'utf8'))?.[1];
    const content = readdirSync(from).find(
      (f) => f !== meta && (f === name || f.startsWith(`${name}.`)) && !f.endsWith('-meta.xml'),
    );
    if (!content || !contentType) continue;
    const source = path.join(from, content);
    if (statSync(source).isDirectory()) {
      cpSync(source, path.join(target, name), { recursive: true });
      manifest[name] = { contentType, file: `${name}/` };
    } else {
      cpSync(source, path.join(target, name));
      manifest[name] = { contentType, file: name };
    }
  }
  writeFileSync(path.join(outDir, 'resources.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Rollup's cache is only valid for the same build code and options: both are in its file name. */
function cacheFile(key: string): string {
  const hash = createHash('sha256')
    .update(readFileSync(import.meta.filename))
    .update(key)
    .digest('hex')
    .slice(0, 16);
  return path.join(root, 'node_modules/.cache/cpq-portal', `rollup-${hash}.bin`);
}

function readCache(file: string): RollupCache | undefined {
  try {
    return deserialize(readFileSync(file)) as RollupCache;
  } catch {
    return undefined;
  }
}

export async function buildPortal(options: BuildPortalOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const outDir = options.outDir ?? PORTAL_OUT;
  const dev = options.dev ?? false;
  const components = forceAppComponents();
  const modules: ModuleRecord[] = [
    ...components,
    ...(options.extraModules ?? []),
    { dir: path.join(PORTAL_SRC, 'modules') },
    // lightning-base-components takes these from `force/*`, which only an org has.
    { name: 'lightning/navigation', path: shim('navigation.js') },
    { name: 'lightning/platformShowToastEvent', path: shim('platformShowToastEvent.js') },
    { name: 'lightning/platformResourceLoader', path: shim('platformResourceLoader.js') },
    ...iconSubsetModules(),
    { npm: 'lightning-base-components' },
  ];
  const input = options.entries ?? { portal: path.join(PORTAL_SRC, 'main.js') };
  const useCache = options.cache ?? true;
  const cachePath = cacheFile(JSON.stringify({ dev, input, extra: options.extraModules ?? [] }));
  const bundle = await rollup({
    input,
    cache: useCache ? readCache(cachePath) : false,
    plugins: [
      platformModules(components),
      // LBC form components use ElementInternals, which synthetic shadow only has when the compiler enables it.
      lwc({ rootDir: root, modules, enableDynamicComponents: true, enableSyntheticElementInternals: true, sourcemap: false }),
      replace({
        preventAssignment: true,
        values: {
          'import.meta.env.SSR': 'false',
          'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production'),
        },
      }),
    ],
    onwarn(warning, warn) {
      // LBC's modules are full of `this` at the top level and circular imports: harmless and noisy.
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      // LBC's own template warnings are not ours to fix; the force-app components' are shown.
      if (warning.id?.includes(`${path.sep}node_modules${path.sep}lightning-base-components${path.sep}`)) return;
      warn(warning);
    },
  });
  rmSync(outDir, { recursive: true, force: true });
  const { output } = await bundle.write({
    dir: outDir,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    plugins: (options.minify ?? !dev) ? [minifyChunks()] : [],
  });
  if (useCache && bundle.cache) {
    mkdirSync(path.dirname(cachePath), { recursive: true });
    // v8 serialization: the cached ASTs hold BigInt literals (the pricing engine), which JSON cannot.
    writeFileSync(cachePath, serialize(bundle.cache));
  }
  await bundle.close();
  copyStaticResources(outDir);
  const files = output
    .filter((o) => o.type === 'chunk')
    .map((o) => ({ file: o.fileName, bytes: Buffer.byteLength(o.code), gzip: gzipSync(o.code).length }))
    .sort((a, b) => b.bytes - a.bytes);
  return { outDir, ms: performance.now() - started, files, components: components.map((c) => c.name) };
}

/** A stamp of every input of the build (paths, sizes, modification times) and its options. */
export function inputStamp(extra: string): string {
  const hash = createHash('sha256').update(extra);
  const walk = (entry: string): void => {
    if (!existsSync(entry)) return;
    const info = statSync(entry);
    if (info.isDirectory()) {
      for (const child of readdirSync(entry).sort()) if (child !== 'node_modules') walk(path.join(entry, child));
    } else {
      hash.update(`${path.relative(root, entry)}\0${info.size}\0${info.mtimeMs}\n`);
    }
  };
  for (const input of [LWC_DIR, STATIC_RESOURCES_DIR, PORTAL_SRC, import.meta.filename, path.join(root, 'package-lock.json')])
    walk(input);
  return hash.digest('hex');
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

if (import.meta.filename === path.resolve(process.argv[1] ?? '')) {
  const dev = process.argv.includes('--dev');
  const stampFile = path.join(PORTAL_OUT, 'build.json');
  const stamp = inputStamp(dev ? 'dev' : 'production');
  let previous: { stamp?: string } = {};
  try {
    previous = JSON.parse(readFileSync(stampFile, 'utf8')) as { stamp?: string };
  } catch {
    // never built
  }
  if (!process.argv.includes('--force') && previous.stamp === stamp && existsSync(path.join(PORTAL_OUT, 'portal.js'))) {
    console.log(`portal bundle: ${path.relative(root, PORTAL_OUT)} is up to date (npm run build:portal -- --force rebuilds)`);
    process.exit(0);
  }
  const result = await buildPortal({ dev });
  writeFileSync(
    stampFile,
    `${JSON.stringify({ stamp, builtAt: new Date().toISOString(), dev, files: result.files }, null, 2)}\n`,
  );
  const total = result.files.reduce((sum, f) => sum + f.bytes, 0);
  const gzip = result.files.reduce((sum, f) => sum + f.gzip, 0);
  console.log(
    `portal bundle: ${path.relative(root, result.outDir)}, ${result.files.length} files, ${kb(total)} (${kb(gzip)} gzip)` +
      `${dev ? ', development mode' : ''}, ${result.components.length} components, built in ${(result.ms / 1000).toFixed(1)} s`,
  );
  for (const f of result.files.slice(0, 5)) console.log(`  ${f.file}  ${kb(f.bytes)} (${kb(f.gzip)} gzip)`);
}
