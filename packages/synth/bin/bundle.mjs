// Builds the two bundles synth.mjs runs; loaded only when the cache is missing or stale.
//
// - The workspace bundle: cli.ts and every workspace package it reaches, plus the env and app
//   modules found under --root, as one CommonJS file exporting `main` and `modules` (file URL →
//   module namespace, for workspace.ts's `import(url)`, which esbuild turns into `require`).
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
  // workspace.ts imports env and app modules with `import(url)`; as `require(url)` the
  // launcher can answer from the bundle.
  supported: { 'dynamic-import': false },
};

/**
 * Builds (or reuses) both bundles in `cacheDir`; returns their file names and every workspace
 * file the workspace bundle was built from.
 */
export async function buildBundles({ entry, modules, resolveDir, cacheDir, lockfile }) {
  const vendored = new Set();
  const entryCode = [
    `export { main } from ${JSON.stringify(entry)};`,
    ...modules.map((path, index) => `import * as module${index} from ${JSON.stringify(path)};`),
    // `__esModule` makes esbuild's `import()`-as-`require` interop keep `default` as the module's.
    `export const modules = new Map([${modules.map((path, index) => `[${JSON.stringify(pathToFileURL(path).href)}, { __esModule: true, ...module${index} }]`).join(', ')}]);`,
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
  return { bundle, vendor, inputs };
}
