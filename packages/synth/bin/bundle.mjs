// Builds the bundles synth.mjs runs; loaded only when one is missing or stale.
//
// - A module bundle per env and app module found under --root (clusters/<env>/env.ts,
//   apps/<name>/src/index.ts): that file's own code only, every import left as a call into the
//   workspace bundle (`gitops-lib:<path>`) or the vendor bundle (`gitops-vendor:<path>`). One
//   app changed rebuilds one module bundle: at 3 envs × 1000 apps, rebuilding the single bundle
//   that held them all took esbuild ~1 s.
// - The workspace bundle: cli.ts and every workspace file it or a module imports, as one
//   CommonJS file exporting `main`, `renderWorker` and `library` (path → module namespace, for
//   the module bundles).
// - The vendor bundle: every npm package those import, each behind a function, so a package
//   (the AWS SDK, used only by --live) is evaluated only when code that imports it first runs.
//   Keyed by the lockfile and the set of packages, it is rebuilt only when dependencies change.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
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

/**
 * Keeps a module bundle to its entry file: every import it makes is resolved as esbuild would,
 * then left as `require("gitops-vendor:<path>")` (an npm package) or `require("gitops-lib:<path>")`
 * (any other file, served by the workspace bundle), recorded in `imports`.
 */
function entryOnly(imports, discovered) {
  return {
    name: 'entry-only',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData?.probing || args.path.startsWith('node:')) return undefined;
        const result = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { probing: true } });
        if (result.errors.length > 0 || result.external) return undefined;
        // Another env or app module (an env importing clusters/shared.ts) is the same instance
        // packages/workspace loads: served by the launcher from its module bundle.
        if (discovered.has(result.path)) return { path: pathToFileURL(result.path).href, external: true };
        const kind = inNodeModules(result.path) ? 'vendor' : 'lib';
        (imports.get(args.importer) ?? imports.set(args.importer, []).get(args.importer)).push([kind, result.path]);
        return { path: `gitops-${kind}:${result.path}`, external: true };
      });
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
  // launcher can answer from the module bundles.
  supported: { 'dynamic-import': false },
  minifyWhitespace: true,
};

const builderHash = () => sha1(readFileSync(fileURLToPath(import.meta.url)));

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
 * Builds the module bundles of `modules` (paths, some of the `discovered` ones) in `cacheDir`;
 * returns, per module, its bundle's file name, what it imports (`[kind, path]`, kind `lib` or
 * `vendor`) and the duplicate keys in its source.
 */
export async function buildModules({ modules, discovered, resolveDir, cacheDir }) {
  if (modules.length === 0) return {};
  const imports = new Map();
  let result;
  try {
    result = await build({
      ...COMMON,
      entryPoints: modules,
      outdir: join(cacheDir, 'modules'),
      outbase: resolveDir,
      absWorkingDir: resolveDir,
      plugins: [entryOnly(imports, new Set(discovered)), ownLocation],
    });
  } catch (error) {
    for (const message of error?.errors ?? []) addInstallHint(message, resolveDir);
    throw error;
  }
  const duplicates = duplicateKeys(result.warnings);
  const builder = builderHash();
  const outputs = new Map(result.outputFiles.map((file) => [file.path, file.contents]));
  const built = {};
  for (const path of modules) {
    const output = outputs.get(join(cacheDir, 'modules', relative(resolveDir, path)).replace(/\.[cm]?[jt]sx?$/, '.js'));
    if (!output) throw new Error(`synth launcher: esbuild wrote no output for ${path}`);
    // In a `"type": "module"` package esbuild reads a default import of a required file the
    // way Node does (the whole `module.exports`). A workspace file or another module is an ES
    // module served with `__esModule` set: its default import is its default export.
    const code = new TextDecoder().decode(output).replace(/__toESM\((require\("(?:gitops-lib:|file:)[^"]+"\)),\s*1\)/g, '__toESM($1)');
    const bundle = `module-${sha1(`${builder}\n${path}\n${sha1(code)}`).slice(0, 20)}.cjs`;
    writeAtomically(join(cacheDir, bundle), code);
    built[path] = {
      bundle,
      imports: (imports.get(path) ?? []).sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0)),
      duplicateKeys: duplicates.filter(({ file }) => join(resolveDir, file) === path),
    };
  }
  return built;
}

/**
 * Builds (or reuses) the workspace and vendor bundles in `cacheDir`, the workspace bundle
 * exposing `exposed` (paths the module bundles import) in `library`; returns their file names and
 * every workspace file the workspace bundle was built from.
 */
export async function buildBundles({ entry, treeThreadEntry, exposed, moduleVendor, resolveDir, cacheDir, lockfile }) {
  const vendored = new Set(moduleVendor);
  const entryCode = [
    `export { main, renderWorker } from ${JSON.stringify(entry)};`,
    ...exposed.map((path, index) => `import * as library${index} from ${JSON.stringify(path)};`),
    // `__esModule` makes esbuild's `require` interop in a module bundle keep `default` as the module's.
    `export const library = new Map([${exposed.map((path, index) => `[${JSON.stringify(path)}, { __esModule: true, ...library${index} }]`).join(', ')}]);`,
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
  const vendor = `vendor-${sha1(JSON.stringify({ packages, builder: builderHash(), lock: sha1(readFileSync(lockfile)) })).slice(0, 20)}.cjs`;
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

  // The tree thread (packages/synth/src/tree-thread.ts) on its own, for the worker thread that
  // looks at and writes gitops/ while the workspace bundle renders: it imports only Node's modules.
  const threaded = await build({ ...COMMON, entryPoints: [treeThreadEntry], outfile: join(cacheDir, 'tree-thread.cjs'), plugins: [ownLocation] });
  const threadCode = threaded.outputFiles[0].contents;
  const treeThread = `tree-thread-${sha1(threadCode).slice(0, 20)}.cjs`;
  writeAtomically(join(cacheDir, treeThread), threadCode);

  const inputs = Object.keys(workspace.metafile.inputs)
    .filter((input) => !input.startsWith('vendor:') && input !== 'synth-entry.js' && !input.startsWith('<'))
    .map((input) => join(resolveDir, input));
  return { bundle, vendor, treeThread, inputs, packages, duplicateKeys: duplicateKeys(workspace.warnings) };
}
