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
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Script } from 'node:vm';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const SYNTH_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO = resolve(SYNTH_DIR, '../..');
const CLI = join(SYNTH_DIR, 'src', 'cli.ts');
const TREE_THREAD = join(SYNTH_DIR, 'src', 'tree-thread.ts');
const TREE_THREAD_ENTRY = fileURLToPath(new URL('./tree-thread.cjs', import.meta.url));
const LOCKFILE = join(REPO, 'pnpm-lock.yaml');
const CACHE = process.env.GITOPS_CACHE_DIR ? join(resolve(process.env.GITOPS_CACHE_DIR), 'synth') : join(REPO, 'node_modules', '.cache', 'gitops-synth');
const BUILDER = fileURLToPath(new URL('./bundle.mjs', import.meta.url));
// The render cache (packages/synth/src/render-cache.ts): deleting it is always safe, too.
const RENDER_CACHE = process.env.GITOPS_CACHE_DIR ? join(resolve(process.env.GITOPS_CACHE_DIR), 'render') : join(REPO, 'node_modules', '.cache', 'gitops-synth-render');
/** Folders of data files the workspace code reads at run time (the schema check reads the CRDs). */
const RUN_TIME_DATA = [join(REPO, 'packages', 'schemas', 'crds')];

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

/** Whether every file the cached workspace bundle was made from still has the content it had. */
function upToDate(library) {
  for (const [path, hash] of Object.entries(library.inputs)) {
    let content;
    try {
      content = readFileSync(path);
    } catch {
      return false;
    }
    if (sha1(content) !== hash) return false;
  }
  return isFile(join(CACHE, library.bundle)) && isFile(join(CACHE, library.vendor)) && library.treeThread !== undefined && isFile(join(CACHE, library.treeThread));
}

function writeAtomically(path, data) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/**
 * A file's text. An ASCII file is decoded as Latin-1, which is the same text: Node's UTF-8
 * decoder took 78–92 ms for the 4.4 MB vendor bundle on the benchmark machine, Latin-1 a few.
 */
export function readText(file) {
  const bytes = readFileSync(file);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/**
 * `file` compiled as a function of `params`, from V8's code cache when there is one.
 * `saveCodeCache` is called after the command ran, so the cache also holds the functions
 * compiled lazily while it ran.
 */
function compiled(file, params) {
  const source = readText(file);
  const codeCachePath = `${file}.v8`;
  let cachedData;
  try {
    cachedData = readFileSync(codeCachePath);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(`(function (${params}) {${source}\n})`, { filename: file, cachedData });
  return {
    run: script.runInThisContext(),
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

/** Runs a CommonJS bundle; returns its exports and its code-cache saver. */
function runBundle(file, requireFn, vendor) {
  const { run, saveCodeCache } = compiled(file, 'exports, require, module, __filename, __dirname, __gitopsVendor');
  const module = { exports: {} };
  run.call(module.exports, module.exports, requireFn, module, file, dirname(file), vendor);
  return { exports: module.exports, saveCodeCache };
}

/** One module bundle as a function of (exports, require, module, __filename, __dirname), as it stands in `combined`. */
const moduleScript = (file) => compiled(file, 'exports, require, module, __filename, __dirname');

/**
 * Keeps the cache from growing without bound (tests and the benchmark synthesize temporary
 * workspaces): the newest manifests and what they use stay, and anything older than an hour
 * beyond them goes. The hour leaves a concurrent run's fresh files alone. Nothing can have aged
 * past the hour within minutes of the last pruning, so a run skips it then (it read every
 * manifest and stat'ed every file: ~18 ms of a one-app change at 3 × 200 apps).
 */
function prune() {
  const KEEP = 16;
  const HOUR = 3_600_000;
  const marker = join(CACHE, '.pruned');
  try {
    if (Date.now() - statSync(marker).mtimeMs < 10 * 60_000) return;
  } catch {
    // Never pruned here.
  }
  try {
    writeFileSync(marker, '');
  } catch {
    // A read-only cache folder only costs speed.
  }
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
      used.add(manifest.library.bundle).add(manifest.library.vendor).add(manifest.library.treeThread).add(manifest.combined);
      for (const module of Object.values(manifest.modules)) used.add(module.bundle);
    } catch {
      // Being written by another run, or broken: its files age out.
    }
  }
  for (const entry of entries) {
    const bundle = entry.name.replace(/\.v8$/, '');
    if (/^(workspace|vendor|tree-thread|modules|module)-[0-9a-f]+\.cjs$/.test(bundle) && !used.has(bundle) && old(entry)) rmSync(join(CACHE, entry.name), { force: true });
  }
}

const sameList = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Module bundles run on their own beside `combined` before they are joined into a new one. */
const MAX_SEPARATE = 8;

/**
 * The bundles for `root` (bundle.mjs), each rebuilt only when what it was made from changed: a
 * module bundle when its file did, the workspace bundle when one of its files did or the module
 * bundles import another workspace file, the vendor bundle when the npm packages imported or the
 * lockfile did. The module bundles are joined into one file (`combined`), which runs from V8's
 * code cache. A module changed since is run from its own bundle (`separate`, with a code cache of
 * its own) in place of its part of `combined`, until more than MAX_SEPARATE are: then they are
 * joined again. Joining all again on every change cost the one-app pull request a compile of
 * every module without a code cache (~0.1 s at 200 apps, 2-core benchmark machine).
 */
async function bundlesFor(root, { rebuild = false } = {}) {
  const modules = discoverModuleFiles(root);
  const manifestPath = join(CACHE, `${sha1(JSON.stringify({ node: process.version, cli: CLI, root }))}.json`);
  let previous;
  if (!rebuild) {
    try {
      previous = JSON.parse(readFileSync(manifestPath, 'utf8'));
    } catch {
      // No usable manifest: build everything.
    }
  }
  const builder = previous?.builder === sha1(readFileSync(BUILDER)) && previous?.launcher === sha1(readFileSync(fileURLToPath(import.meta.url))) ? previous : undefined;
  const entries = {};
  const stale = [];
  for (const path of modules) {
    const hash = sha1(readFileSync(path));
    const old = builder?.modules?.[path];
    if (old && old.hash === hash && isFile(join(CACHE, old.bundle))) entries[path] = old;
    else {
      entries[path] = { hash };
      stale.push(path);
    }
  }
  let changed = stale.length > 0 || !builder || Object.keys(builder.modules).length !== modules.length;
  if (stale.length > 0) {
    const { buildModules } = await import(BUILDER);
    mkdirSync(CACHE, { recursive: true });
    const built = await buildModules({ modules: stale, discovered: modules, resolveDir: root, cacheDir: CACHE });
    for (const path of stale) Object.assign(entries[path], built[path]);
  }
  const imported = (kind) => [...new Set(modules.flatMap((path) => entries[path].imports.filter(([of]) => of === kind).map(([, file]) => file)))].sort();
  const exposed = imported('lib');
  const moduleVendor = imported('vendor');
  let library = builder?.library;
  if (!library || !sameList(library.exposed, exposed) || !sameList(library.moduleVendor, moduleVendor) || !upToDate(library)) {
    const { buildBundles } = await import(BUILDER);
    mkdirSync(CACHE, { recursive: true });
    const built = await buildBundles({ entry: CLI, treeThreadEntry: TREE_THREAD, exposed, moduleVendor, resolveDir: root, cacheDir: CACHE, lockfile: LOCKFILE });
    const launcherInputs = [fileURLToPath(import.meta.url), BUILDER, LOCKFILE, join(REPO, 'tsconfig.json')].filter(isFile);
    const inputs = {};
    for (const path of [...launcherInputs, ...built.inputs].sort()) inputs[path] = sha1(readFileSync(path));
    library = { bundle: built.bundle, vendor: built.vendor, treeThread: built.treeThread, exposed, moduleVendor, inputs, duplicateKeys: built.duplicateKeys };
    changed = true;
  }
  const joined = Object.fromEntries(modules.map((path) => [path, entries[path].bundle]));
  const earlier = builder?.combined && builder.joined && isFile(join(CACHE, builder.combined)) ? builder : undefined;
  const differing = earlier ? modules.filter((path) => earlier.joined[path] !== joined[path]) : modules;
  let combined;
  let separate = [];
  if (earlier && differing.length <= MAX_SEPARATE) {
    combined = earlier.combined;
    separate = differing.map((path) => [path, joined[path]]);
  } else {
    combined = `modules-${sha1(JSON.stringify(Object.entries(joined))).slice(0, 20)}.cjs`;
    if (!isFile(join(CACHE, combined))) {
      const parts = modules.map((path) => `  ${JSON.stringify(pathToFileURL(path).href)}: function (exports, require, module, __filename, __dirname) {\n${readFileSync(join(CACHE, joined[path]), 'utf8')}\n},`);
      writeAtomically(join(CACHE, combined), `module.exports = {\n${parts.join('\n')}\n};\n`);
    }
  }
  const manifest = {
    builder: sha1(readFileSync(BUILDER)),
    launcher: sha1(readFileSync(fileURLToPath(import.meta.url))),
    library,
    modules: entries,
    combined,
    joined: combined === earlier?.combined ? earlier.joined : joined,
    separate,
  };
  if (changed || manifest.combined !== previous?.combined || !sameList(manifest.separate, previous?.separate)) {
    writeAtomically(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
    prune();
  }
  return manifest;
}

/**
 * The render cache's code identity: every file the workspace bundle was built from except the
 * env and app modules under --root (what those define enters each key as data: render-cache.ts),
 * the launcher, the lockfile (so every npm package), the data files read at run time, and Node.
 */
function codeIdentity(root, manifest) {
  const own = [join(root, 'apps') + sep, join(root, 'clusters') + sep];
  const parts = [process.version];
  for (const [path, hash] of Object.entries(manifest.library.inputs)) {
    if (!own.some((prefix) => path.startsWith(prefix))) parts.push(`${relative(REPO, path)} ${hash}`);
  }
  for (const folder of RUN_TIME_DATA) {
    let names = [];
    try {
      names = readdirSync(folder).sort();
    } catch {
      // No such folder: nothing read from it.
    }
    for (const name of names) if (isFile(join(folder, name))) parts.push(`${relative(REPO, join(folder, name))} ${sha1(readFileSync(join(folder, name)))}`);
  }
  return sha1(parts.join('\n'));
}

// A run of synth that passed is kept (cli.ts `RememberedRun`: each env folder's expected files and
// what the run printed) under a key of everything it read: the code and every workspace file the
// bundles were built from, the env and app modules, the data files read at run time, each env's
// parameter snapshot, the arguments and Node. A later run with the same key only looks at
// gitops/: when every env folder holds exactly the expected files it prints what that run printed,
// without loading the bundles or the workspace (an unchanged tree of 3 × 200 apps: ~0.6 → ~0.25 s
// on the benchmark machine); otherwise synth runs, and puts the tree back.

/** The arguments of a run that can be kept: `synth` with --check, --env, --refuse-placeholders, --root; undefined for any other (--live reads SSM). */
function keptArguments(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        env: { type: 'string', multiple: true },
        check: { type: 'boolean', default: false },
        'refuse-placeholders': { type: 'boolean', default: false },
        root: { type: 'string' },
        debug: { type: 'boolean', default: false },
      },
    });
  } catch {
    return undefined;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== 'synth') return undefined;
  return { check: values.check, envs: values.env ?? [], refusePlaceholders: values['refuse-placeholders'], trace: Boolean(process.env.GITOPS_SYNTH_TRACE) };
}

/** Where the kept run of these arguments in `root` is: one per repository and arguments. */
const keptRunFile = (root, args) => join(RENDER_CACHE, 'run', `${sha1(JSON.stringify({ root, args }))}.json`);

/**
 * The key of everything a run reads besides gitops/ and its arguments (which name the file the
 * run is kept in): `code` (the render cache's code identity: Node, the CRDs, the library), every
 * workspace file the bundles were built from, the modules, the snapshots.
 */
function runKey(root, manifest, code) {
  const snapshots = {};
  let envs = [];
  try {
    envs = readdirSync(join(root, 'clusters'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch {
    // No envs: synth says so.
  }
  for (const env of envs) {
    try {
      snapshots[env] = sha1(readFileSync(join(root, 'clusters', env, 'ssm-snapshot.json')));
    } catch {
      snapshots[env] = null;
    }
  }
  const modules = Object.fromEntries(Object.entries(manifest.modules).map(([path, module]) => [path, module.hash]));
  return sha1(JSON.stringify({ code, library: manifest.library.inputs, modules, snapshots }));
}

/**
 * Answers a run as the kept run of the same key did, when gitops/ holds what that run left there
 * (looked at holding the repository's synth lock); false when it cannot.
 */
function replayed(root, args, manifest, key) {
  let kept;
  try {
    kept = JSON.parse(readFileSync(keptRunFile(root, args), 'utf8'));
  } catch {
    return false;
  }
  if (kept.key !== key) return false;
  // The lock synth takes (packages/synth/src/lock.ts, proper-lockfile: one mkdir): held here only
  // while looking; a run holding it now goes the long way, which waits for it.
  const lock = join(root, '.gitops-synth.lock');
  try {
    mkdirSync(lock);
  } catch {
    return false;
  }
  try {
    const gitops = join(root, 'gitops');
    if (args.envs.length === 0) {
      let folders = [];
      try {
        folders = readdirSync(gitops, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);
      } catch {
        // No gitops/ yet.
      }
      const envs = new Set(kept.run.envs.map(({ env }) => env));
      if (folders.length !== envs.size || !folders.every((folder) => envs.has(folder))) return false;
    }
    const threadFile = join(CACHE, manifest.library.treeThread);
    const { holdsExactly } = runBundle(threadFile, createRequire(threadFile), undefined).exports;
    if (!kept.run.envs.every(({ env, expected }) => holdsExactly(RENDER_CACHE, join(gitops, env), expected))) return false;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  if (args.trace && kept.run.trace) process.stderr.write(`${kept.run.trace}\n`);
  if (kept.run.stdout) process.stdout.write(`${kept.run.stdout}\n`);
  return true;
}

/** Keeps a run that passed, for `replayed`. */
function keepRun(root, args, key, run) {
  const file = keptRunFile(root, args);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeAtomically(file, JSON.stringify({ key, run }));
  } catch {
    // A read-only cache folder only costs speed.
  }
}

/** Runs the bundles a manifest names; returns the workspace bundle's exports and a code-cache saver. */
function loadBundles(manifest) {
  const vendorFile = join(CACHE, manifest.library.vendor);
  const vendor = runBundle(vendorFile, createRequire(vendorFile), undefined);
  const vendorModule = (path) => vendor.exports[path]();
  const bundleFile = join(CACHE, manifest.library.bundle);
  const nodeRequire = createRequire(bundleFile);
  const modulesFile = join(CACHE, manifest.combined);
  const moduleSources = runBundle(modulesFile, nodeRequire, vendorModule);
  const separate = new Map(manifest.separate.map(([path, bundle]) => [pathToFileURL(path).href, moduleScript(join(CACHE, bundle))]));
  let bundled;
  // A module bundle's imports: the workspace bundle's files, npm packages, other env and app
  // modules, Node's builtins.
  const moduleRequire = (id) => {
    if (id.startsWith('gitops-lib:')) return bundled.exports.library.get(id.slice('gitops-lib:'.length));
    if (id.startsWith('gitops-vendor:')) return vendorModule(id.slice('gitops-vendor:'.length));
    return requireFn(id);
  };
  const evaluated = new Map();
  // The bundle turns `import(url)` (packages/workspace importing env and app modules) into
  // `require(url)`: serve those from the module bundles (each evaluated when first imported, so
  // a module that throws is a problem line naming its file), everything else from Node.
  const requireFn = (id) => {
    if (id.startsWith('file:')) {
      if (!evaluated.has(id)) {
        const source = separate.get(id)?.run ?? moduleSources.exports[id];
        if (!source) throw new Error(`synth launcher: ${fileURLToPath(id)} was not bundled; discoverModuleFiles() and packages/workspace disagree`);
        const module = { exports: {} };
        const file = fileURLToPath(id);
        source.call(module.exports, module.exports, moduleRequire, module, file, dirname(file));
        evaluated.set(id, module.exports);
      }
      return evaluated.get(id);
    }
    return nodeRequire(id);
  };
  bundled = runBundle(bundleFile, requireFn, vendorModule);
  return {
    exports: bundled.exports,
    saveCodeCache() {
      vendor.saveCodeCache();
      bundled.saveCodeCache();
      moduleSources.saveCodeCache();
      for (const module of separate.values()) module.saveCodeCache();
    },
  };
}

/**
 * Worker threads for synth (packages/synth/src/parallel.ts), each running this file in worker
 * mode on the same bundles. GITOPS_SYNTH_THREADS sets the number of threads and starts them
 * whatever the amount of rendering (1: single-threaded); by default, one per core but one, when
 * at least 300 components are to be rendered (~0.1 s of rendering, about what a worker costs to
 * start). The core left is the garbage collector's: a single-threaded cold render at 3 × 1000
 * apps kept a second core a third busy (user 5.9 s in 4.6 s), and on 2 cores a worker thread
 * gained nothing and cost 20–30 MiB (`pnpm bench`, README).
 */
function parallelismFor(manifest) {
  const forced = process.env.GITOPS_SYNTH_THREADS;
  const threads = forced ? Math.max(1, Number.parseInt(forced, 10) || 1) : Math.max(1, availableParallelism() - 1);
  return {
    threads,
    minRenders: forced ? 0 : 300,
    start: (request) => new Worker(fileURLToPath(import.meta.url), { workerData: { gitopsSynthWorker: { manifest, request } } }),
  };
}

/**
 * The tree thread (packages/synth/src/tree-thread.ts: it looks at gitops/ and writes new env
 * folders while synth renders), started before the bundles load (~0.15 s) so it is ready when
 * synth, holding the repository's lock, sends it the folders to look at (a thread took ~80 ms to
 * start on the benchmark machine). One synth does not ask for is stopped when the command ends.
 */
function earlyTreeThread() {
  let worker = new Worker(TREE_THREAD_ENTRY);
  let exited = false;
  worker.unref();
  // A thread that failed to start is replaced when asked for.
  worker.on('error', () => undefined);
  worker.on('exit', () => (exited = true));
  let started = false;
  return {
    ready: (bundle) => ({
      start(request) {
        if (started || exited) worker = new Worker(TREE_THREAD_ENTRY);
        started = true;
        worker.ref();
        worker.postMessage({ bundle, request });
        return worker;
      },
    }),
    stop: () => (started ? undefined : worker.terminate()),
  };
}

let treeThread;

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
  if (![manifest.library.vendor, manifest.library.bundle, manifest.library.treeThread, manifest.combined, ...manifest.separate.map(([, bundle]) => bundle)].every((name) => isFile(join(CACHE, name)))) {
    manifest = await bundlesFor(root, { rebuild: true });
  }
  const args = keptArguments(argv);
  const identity = codeIdentity(root, manifest);
  const key = args && runKey(root, manifest, identity);
  if (args && replayed(root, args, manifest, key)) return 0;
  treeThread = earlyTreeThread();
  const bundled = loadBundles(manifest);
  const duplicateKeys = [...manifest.library.duplicateKeys, ...Object.values(manifest.modules).flatMap((module) => module.duplicateKeys)].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.lines[0] - b.lines[0],
  );
  const code = await bundled.exports.main(argv, {
    duplicateKeys,
    cache: { dir: RENDER_CACHE, code: identity },
    parallelism: parallelismFor(manifest),
    treeThread: treeThread.ready(join(CACHE, manifest.library.treeThread)),
    ...(args ? { remember: (run) => keepRun(root, args, key, run) } : {}),
  });
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

if (!isMainThread && workerData?.gitopsSynthWorker) {
  const { manifest, request } = workerData.gitopsSynthWorker;
  await loadBundles(manifest).exports.renderWorker(request, (message) => parentPort.postMessage(message));
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  try {
    process.exitCode = await launch(argv);
  } catch (error) {
    process.exitCode = reportLaunchFailure(error, argv);
  } finally {
    await treeThread?.stop();
  }
}
