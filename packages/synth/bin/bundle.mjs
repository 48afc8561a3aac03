// Builds the two bundles synth.mjs runs; loaded only when the cache is missing or stale.
//
// - The workspace bundle: cli.ts and every workspace package it reaches, plus the env and app
//   modules found under --root, as one CommonJS file exporting `main` and `modules` (file URL →
//   a function loading that module, for packages/workspace's `import(url)`, which esbuild turns into `require`).
// - The vendor bundle: every npm package those import, each behind a function, so a package
//   (the AWS SDK, used only by --live) is evaluated only when code that imports it first runs.
//   Keyed by the lockfile and the set of packages, it is rebuilt only when dependencies change.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const sha1 = (data) => createHash('sha1').update(data).digest('hex');
const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.json': 'json' };

function writeAtomically(path, data) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/**
 * A bundled file no longer sits where it was written, so what it learns about its own location
 * is fixed to the original: `import.meta.url` (schemas reads crds/ relative to it), and in
 * CommonJS packages `__filename` and `__dirname`.
 */
const ownLocation = {
  name: 'own-location',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      const loader = LOADERS[extname(args.path)];
      let contents = readFileSync(args.path, 'utf8');
      if (contents.includes('import.meta')) {
        contents = contents
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll('import.meta.filename', JSON.stringify(args.path))
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)));
      }
      if (/\b__(?:file|dir)name\b/.test(contents) && (loader === 'js' || loader === 'jsx')) {
        contents = `var __filename = ${JSON.stringify(args.path)}, __dirname = ${JSON.stringify(dirname(args.path))};\n${contents}`;
      }
      return { contents, loader };
    });
  },
};

const inNodeModules = (path) => path.split(sep).includes('node_modules');

/** Leaves npm packages out of the workspace bundle, as calls into the vendor bundle. */
function vendorImports(found) {
  return {
    name: 'vendor-imports',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.probing || args.path.startsWith('node:')) return undefined;
        const result = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { probing: true },
        });
        if (result.errors.length > 0 || result.external || !inNodeModules(result.path)) return undefined;
        found.add(result.path);
        return { path: result.path, namespace: 'vendor' };
      });
      build.onLoad({ filter: /.*/, namespace: 'vendor' }, (args) => ({
        contents: `module.exports = __gitopsVendor(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

/** The package.json nearest to `file` (walking up to `stop`), parsed, with its path; undefined when none. */
function owningManifest(file, stop) {
  for (let dir = dirname(file); dir.startsWith(stop); dir = dirname(dir)) {
    try {
      return { path: join(dir, 'package.json'), json: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) };
    } catch {
      if (dir === dirname(dir)) return undefined;
    }
  }
  return undefined;
}

/**
 * esbuild says only `Could not resolve "@gitops/app"` when a package declares a dependency that
 * was never linked: an app added (apps/<name>/package.json) without running `pnpm install`.
 * That case gets a note saying so.
 */
function addInstallHint(message, resolveDir) {
  const specifier = /^Could not resolve "([^"]+)"/.exec(message.text ?? '')?.[1];
  if (!specifier || specifier.startsWith('.') || specifier.startsWith('/') || !message.location?.file) return;
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  const manifest = owningManifest(join(resolveDir, message.location.file), resolveDir);
  if (!manifest) return;
  const { dependencies = {}, devDependencies = {} } = manifest.json;
  if (!(name in dependencies) && !(name in devDependencies)) return;
  const where = manifest.path.startsWith(resolveDir) ? manifest.path.slice(resolveDir.length + 1) : manifest.path;
  // esbuild's own note (mark the path external) would be the wrong fix here.
  message.notes = [{ text: `${where} declares "${name}", but it is not installed: run \`pnpm install\` (and commit pnpm-lock.yaml)` }];
}

const COMMON = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: `node${process.versions.node.split('.')[0]}`,
  write: false,
  logLevel: 'silent',
  // packages/workspace imports env and app modules with `import(url)`; as `require(url)` the
  // launcher can answer from the bundle.
  supported: { 'dynamic-import': false },
};

/**
 * esbuild's duplicate-key warnings for the env and app sources under the root (`clusters/`,
 * `apps/`), as `{ file, key, lines }` with the line of each occurrence: a key written twice in
 * an object literal (an env listing one app twice under `apps`) keeps the last value silently.
 * Found while bundling, they are kept in the cache manifest, so a cached run reports them too.
 */
export function duplicateKeys(warnings) {
  // Each warning links an occurrence to the one before it; occurrences linked into one chain are
  // one key of one object literal.
  const chains = new Map();
  for (const warning of warnings) {
    const match = /^Duplicate key "(.*)" in object literal$/.exec(warning.text);
    const file = warning.location?.file;
    const previous = warning.notes[0]?.location?.line;
    if (!match || !file || previous === undefined || !/^(clusters|apps)\//.test(file)) continue;
    const id = (line) => `${file}\0${match[1]}\0${line}`;
    const before = chains.get(id(previous));
    const after = chains.get(id(warning.location.line));
    const chain = before ?? after ?? { file, key: match[1], lines: [] };
    if (before && after && before !== after) chain.lines.push(...after.lines);
    chain.lines.push(previous, warning.location.line);
    for (const line of chain.lines) chains.set(id(line), chain);
  }
  return [...new Set(chains.values())]
    .map((chain) => ({ ...chain, lines: [...new Set(chain.lines)].sort((a, b) => a - b) }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.lines[0] - b.lines[0]));
}

/**
 * Builds (or reuses) both bundles in `cacheDir`; returns their file names, every workspace file
 * the workspace bundle was built from, and the duplicate keys found in the env and app sources.
 */
export async function buildBundles({ entry, modules, resolveDir, cacheDir, lockfile }) {
  const vendored = new Set();
  // Each env and app module is evaluated only when packages/workspace imports it (esbuild wraps a
  // required module in a lazy initializer), so a module that throws while loading is a problem
  // line naming its file, not a crash of the whole bundle. `require` of an ES module gives its
  // namespace marked `__esModule`, which keeps `default` as the module's through `import()`.
  const entryCode = [
    `export { main } from ${JSON.stringify(entry)};`,
    `export const modules = new Map([${modules.map((path) => `[${JSON.stringify(pathToFileURL(path).href)}, () => require(${JSON.stringify(path)})]`).join(', ')}]);`,
  ].join('\n');
  let workspace;
  try {
    workspace = await build({
      ...COMMON,
      stdin: { contents: entryCode, resolveDir, sourcefile: 'synth-entry.js', loader: 'js' },
      outfile: join(cacheDir, 'workspace.cjs'),
      absWorkingDir: resolveDir,
      metafile: true,
      plugins: [vendorImports(vendored), ownLocation],
    });
  } catch (error) {
    for (const message of error?.errors ?? []) addInstallHint(message, resolveDir);
    throw error;
  }
  const bundleCode = workspace.outputFiles[0].contents;
  const bundle = `workspace-${sha1(bundleCode).slice(0, 20)}.cjs`;
  writeAtomically(join(cacheDir, bundle), bundleCode);

  const packages = [...vendored].sort();
  const builder = sha1(readFileSync(fileURLToPath(import.meta.url)));
  const vendor = `vendor-${sha1(JSON.stringify({ packages, builder, lock: sha1(readFileSync(lockfile)) })).slice(0, 20)}.cjs`;
  let exists;
  try {
    exists = statSync(join(cacheDir, vendor)).isFile();
  } catch {
    exists = false;
  }
  if (!exists) {
    const vendorCode = `module.exports = {\n${packages.map((path) => `  ${JSON.stringify(path)}: () => require(${JSON.stringify(path)}),`).join('\n')}\n};\n`;
    const result = await build({
      ...COMMON,
      stdin: { contents: vendorCode, resolveDir: cacheDir, sourcefile: 'synth-vendor.js', loader: 'js' },
      outfile: join(cacheDir, 'vendor.cjs'),
      plugins: [ownLocation],
    });
    writeAtomically(join(cacheDir, vendor), result.outputFiles[0].contents);
  }

  const inputs = Object.keys(workspace.metafile.inputs)
    .filter((input) => !input.startsWith('vendor:') && input !== 'synth-entry.js' && !input.startsWith('<'))
    .map((input) => join(resolveDir, input));
  return { bundle, vendor, inputs, duplicateKeys: duplicateKeys(workspace.warnings) };
}
