#!/usr/bin/env node
// `pnpm synth` / `pnpm params:pull`: runs packages/synth/src/cli.ts with plain Node, no TypeScript
// loader. The workspace TypeScript (cli, packages, and the discovered clusters/*/env.ts and
// apps/*/src/index.ts of --root) is bundled by esbuild into a cached CommonJS file, and the npm
// dependencies into a second one; both run from V8's code cache. Measured on a 2-core machine
// (`pnpm bench`): running through tsx cost ~0.45 s of loader start-up, and importing the
// CommonJS packages from ESM cost another ~0.3 s in Node's export lexer, on every run.
//
// Everything the bundles are built from is recorded with its content hash; any change (a source
// file, an added app or env, the lockfile, this launcher) rebuilds them on the next run. The cache
// lives in node_modules/.cache/gitops-synth (or $GITOPS_CACHE_DIR/synth): deleting it is always safe.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Script } from 'node:vm';

const SYNTH_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO = resolve(SYNTH_DIR, '../..');
const CLI = join(SYNTH_DIR, 'src', 'cli.ts');
const LOCKFILE = join(REPO, 'pnpm-lock.yaml');
const CACHE = process.env.GITOPS_CACHE_DIR ? join(resolve(process.env.GITOPS_CACHE_DIR), 'synth') : join(REPO, 'node_modules', '.cache', 'gitops-synth');
const BUILDER = fileURLToPath(new URL('./bundle.mjs', import.meta.url));

const sha1 = (data) => createHash('sha1').update(data).digest('hex');

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The repository root synth will use: the same rule as cli.ts (--root, then $GITOPS_ROOT, then cwd). */
function rootOf(argv) {
  const { values } = parseArgs({ args: argv, strict: false, allowPositionals: true, options: { root: { type: 'string' } } });
  return resolve(typeof values.root === 'string' ? values.root : (process.env.GITOPS_ROOT ?? process.cwd()));
}

/** The modules packages/workspace `discoverModules` imports: clusters/<env>/env.ts, clusters/shared.ts and apps/<name>/src/index.ts. */
export function discoverModuleFiles(root) {
  const found = [join(root, 'clusters', 'shared.ts')].filter(isFile);
  for (const [folder, file] of [['clusters', 'env.ts'], ['apps', join('src', 'index.ts')]]) {
    let entries;
    try {
      entries = readdirSync(join(root, folder), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(root, folder, entry.name, file);
      if (isFile(path)) found.push(path);
    }
  }
  return found.sort();
}

/** Whether every file a cached build was made from still has the content it had. */
function upToDate(manifest) {
  for (const [path, hash] of Object.entries(manifest.inputs)) {
    let content;
    try {
      content = readFileSync(path);
    } catch {
      return false;
    }
    if (sha1(content) !== hash) return false;
  }
  return isFile(join(CACHE, manifest.bundle)) && isFile(join(CACHE, manifest.vendor));
}

function writeAtomically(path, data) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/**
 * Runs a CommonJS bundle from V8's code cache when there is one. `saveCodeCache` is called after
 * the command ran, so the cache also holds the functions compiled lazily while it ran.
 */
function runBundle(file, requireFn, vendor) {
  const source = readFileSync(file, 'utf8');
  const codeCachePath = `${file}.v8`;
  let cachedData;
  try {
    cachedData = readFileSync(codeCachePath);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __gitopsVendor) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, requireFn, module, file, dirname(file), vendor);
  return {
    exports: module.exports,
    saveCodeCache() {
      if (cachedData && !script.cachedDataRejected) return;
      try {
        writeAtomically(codeCachePath, script.createCachedData());
      } catch {
        // A read-only cache folder only costs speed.
      }
    },
  };
}

/**
 * Keeps the cache from growing without bound (tests and the benchmark synthesize temporary
 * workspaces): the newest manifests and what they use stay, and anything older than an hour
 * beyond them goes. The hour leaves a concurrent run's fresh files alone.
 */
function prune() {
  const KEEP = 16;
  const HOUR = 3_600_000;
  const entries = readdirSync(CACHE).map((name) => {
    try {
      return { name, mtime: statSync(join(CACHE, name)).mtimeMs };
    } catch {
      return { name, mtime: Date.now() };
    }
  });
  const old = (entry) => Date.now() - entry.mtime > HOUR;
  const manifests = entries.filter((entry) => entry.name.endsWith('.json')).sort((a, b) => b.mtime - a.mtime);
  const used = new Set();
  for (const [index, entry] of manifests.entries()) {
    if (index >= KEEP && old(entry)) {
      rmSync(join(CACHE, entry.name), { force: true });
      continue;
    }
    try {
      const manifest = JSON.parse(readFileSync(join(CACHE, entry.name), 'utf8'));
      used.add(manifest.bundle).add(manifest.vendor);
    } catch {
      // Being written by another run, or broken: its files age out.
    }
  }
  for (const entry of entries) {
    const bundle = entry.name.replace(/\.v8$/, '');
    if (/^(workspace|vendor)-[0-9a-f]+\.cjs$/.test(bundle) && !used.has(bundle) && old(entry)) rmSync(join(CACHE, entry.name), { force: true });
  }
}

async function bundlesFor(root, { rebuild = false } = {}) {
  const modules = discoverModuleFiles(root);
  const launcherInputs = [fileURLToPath(import.meta.url), BUILDER, LOCKFILE, join(REPO, 'tsconfig.json')].filter(isFile);
  const key = sha1(JSON.stringify({ node: process.version, cli: CLI, modules }));
  const manifestPath = join(CACHE, `${key}.json`);
  if (!rebuild) {
    try {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      if (upToDate(manifest)) return manifest;
    } catch {
      // No usable manifest: build.
    }
  }
  const { buildBundles } = await import(BUILDER);
  mkdirSync(CACHE, { recursive: true });
  const built = await buildBundles({ entry: CLI, modules, resolveDir: root, cacheDir: CACHE, lockfile: LOCKFILE });
  const inputs = {};
  for (const path of [...launcherInputs, ...built.inputs].sort()) inputs[path] = sha1(readFileSync(path));
  const manifest = { bundle: built.bundle, vendor: built.vendor, inputs, duplicateKeys: built.duplicateKeys };
  writeAtomically(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
  prune();
  return manifest;
}

async function launch(argv) {
  const root = rootOf(argv);
  let manifest;
  try {
    manifest = await bundlesFor(root);
  } catch (error) {
    if (!error?.errors) throw error;
    // esbuild's own lines name the file, line and column of each syntax or import error.
    const { formatMessages } = await import('esbuild');
    for (const line of await formatMessages(error.errors, { kind: 'error', color: process.stderr.isTTY })) process.stderr.write(line);
    console.error('synth: the TypeScript sources above did not compile; gitops/ was not changed');
    return 1;
  }

  // A concurrent run's prune may have removed an old bundle this manifest named: build it again.
  if (!isFile(join(CACHE, manifest.vendor)) || !isFile(join(CACHE, manifest.bundle))) manifest = await bundlesFor(root, { rebuild: true });
  const vendorFile = join(CACHE, manifest.vendor);
  const vendor = runBundle(vendorFile, createRequire(vendorFile), undefined);
  const bundleFile = join(CACHE, manifest.bundle);
  const nodeRequire = createRequire(bundleFile);
  let bundled;
  // The bundle turns `import(url)` (packages/workspace importing env and app modules) into
  // `require(url)`: serve those from the bundle, everything else (node: builtins) from Node.
  const requireFn = (id) => {
    if (id.startsWith('file:')) {
      const load = bundled.exports.modules.get(id);
      if (!load) throw new Error(`synth launcher: ${fileURLToPath(id)} was not bundled; discoverModuleFiles() and packages/workspace disagree`);
      return load();
    }
    return nodeRequire(id);
  };
  bundled = runBundle(bundleFile, requireFn, (path) => vendor.exports[path]());
  const code = await bundled.exports.main(argv, { duplicateKeys: manifest.duplicateKeys });
  vendor.saveCodeCache();
  bundled.saveCodeCache();
  return code;
}

/**
 * What the launcher itself could not do (an unwritable cache, a missing dependency), as one
 * problem line like the CLI's own: the path and the system's words for a file system error, the
 * message otherwise; the stack trace only with --debug.
 */
function reportLaunchFailure(error, argv) {
  if (argv.includes('--debug')) console.error(error?.stack ?? String(error));
  const what = error?.code && error?.path ? `${error.path}: ${error.code === 'EACCES' || error.code === 'EPERM' ? 'permission denied' : error.code} (${error.code}${error.syscall ? `, ${error.syscall}` : ''}); check the owner and mode of that path` : String(error?.message ?? error).split('\n')[0];
  console.error(`error: synth launcher: ${what}${argv.includes('--debug') ? '' : ' (run with --debug for the stack trace)'}`);
  console.error('1 problem; gitops/ was not changed');
  return 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  try {
    process.exitCode = await launch(argv);
  } catch (error) {
    process.exitCode = reportLaunchFailure(error, argv);
  }
}
