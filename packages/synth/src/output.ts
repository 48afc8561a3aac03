import { createHash } from 'node:crypto';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Code-point order: the same on every machine, whatever its locale. */
const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** File contents by path relative to one `gitops/<env>/` folder. */
export type FileTree = ReadonlyMap<string, string>;

/** Every file under `dir`, by path relative to it (`/`-separated, in code-point order). */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return new Map([...files].sort(([a], [b]) => byPath(a, b)));
}

export interface TreeDiff {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

export function diffTrees(before: FileTree, after: FileTree): TreeDiff {
  const added: string[] = [];
  const changed: string[] = [];
  for (const [path, content] of after) {
    const previous = before.get(path);
    if (previous === undefined) added.push(path);
    else if (previous !== content) changed.push(path);
  }
  const removed = [...before.keys()].filter((path) => !after.has(path));
  return { added: added.sort(byPath), changed: changed.sort(byPath), removed: removed.sort(byPath) };
}

export const isUnchanged = (diff: TreeDiff) => diff.added.length + diff.changed.length + diff.removed.length === 0;

/** SHA-1 of a file's bytes (a string is hashed as UTF-8, as it is written). */
export const digestOf = (content: string | Buffer) => createHash('sha1').update(content).digest('hex');


/** `[mtimeMs, ctimeMs, ino]` of a folder, `[size, mtimeMs, ctimeMs, ino]` of a file. */
type FolderStat = readonly [number, number, number];
type FileStat = readonly [number, number, number, number];

/**
 * What one `gitops/<env>/` folder held when it was last looked at: each folder's stat and
 * entries, each file's stat and digest. The next look trusts a folder's entries and a file's
 * digest when its stat is unchanged, as Git's index does: a file's ctime, mtime, size or inode
 * changes when it is written, replaced or renamed, and a folder's when an entry is added,
 * removed or renamed. An entry changed within `racyMs` before the look is read again next
 * time, since a change in the same clock tick would keep its times (Git's "racy clean").
 */
export interface TreeState {
  readonly recordedAt: number;
  readonly racyMs: number;
  readonly folders: Readonly<Record<string, { readonly stat: FolderStat; readonly entries: readonly (readonly [string, 'd' | 'f'])[] }>>;
  readonly files: Readonly<Record<string, { readonly stat: FileStat; readonly digest: string }>>;
}

/** A tree as observed: each file's digest, and the state to trust next time. */
export interface ObservedTree {
  readonly digests: ReadonlyMap<string, string>;
  readonly state: TreeState | undefined;
  /** Files read and folders listed: what the previous state did not vouch for. */
  readonly read: number;
}

const folderStat = (stat: Stats): FolderStat => [stat.mtimeMs, stat.ctimeMs, stat.ino];
const fileStat = (stat: Stats): FileStat => [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
const sameStat = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((value, index) => value === b[index]);

/** The entry of `gitops/<env>/` a path is in: its component folder (or the file itself, at the top). */
export const unitOf = (path: string) => path.split('/')[0]!;

/**
 * The entries `previous` holds for the top-level entry `unit` of its folder (a component folder
 * and everything in it, or a file), when every one of them was beyond doubt when recorded (stat
 * older than the racy window): they can stand for a folder nothing has written to since.
 */
function settledEntries(previous: TreeState): (unit: string) => { folders: [string, TreeState['folders'][string]][]; files: [string, TreeState['files'][string]][] } | undefined {
  const settled = (changedAt: number) => changedAt < previous.recordedAt - previous.racyMs;
  const byUnit = new Map<string, { folders: [string, TreeState['folders'][string]][]; files: [string, TreeState['files'][string]][]; doubtful: boolean }>();
  const of = (path: string) => {
    const unit = unitOf(path);
    if (!byUnit.has(unit)) byUnit.set(unit, { folders: [], files: [], doubtful: false });
    return byUnit.get(unit)!;
  };
  for (const [path, folder] of Object.entries(previous.folders)) {
    if (path === '') continue;
    const entry = of(path);
    entry.folders.push([path, folder]);
    // A symbolic link has no file record (it is read every time): its folder is looked at.
    entry.doubtful ||= !settled(folder.stat[1]) || folder.entries.some(([name, kind]) => kind === 'f' && previous.files[`${path}/${name}`] === undefined);
  }
  for (const [path, file] of Object.entries(previous.files)) {
    const entry = of(path);
    entry.files.push([path, file]);
    entry.doubtful ||= !settled(file.stat[2]);
  }
  return (unit) => {
    const entry = byUnit.get(unit);
    return entry && !entry.doubtful ? entry : undefined;
  };
}

/**
 * Every file's digest under `dir`, trusting `previous` where the stats allow; `known` gives the
 * digests of files this run has just written. Ext4, XFS, APFS and NTFS keep sub-second times, and
 * Linux stamps them from a clock that ticks every 1-10 ms: 100 ms covers a tick. A tree whose
 * times are all whole seconds (FAT, ext3, some network file systems) gets 2 s.
 *
 * `written`, with `previous` recorded by this run before it wrote, names the top-level entries
 * it replaced: the others are taken from `previous` without a stat, where every entry of theirs
 * was settled then (after a one-app change at 3 envs × 1000 apps, that is 3 folders looked at
 * instead of 18,000 files).
 */
export function observeTree(dir: string, previous?: TreeState, known?: ReadonlyMap<string, string>, written?: ReadonlySet<string>): ObservedTree {
  const digests = new Map<string, string>();
  let root: Stats;
  try {
    root = lstatSync(dir);
  } catch {
    return { digests, state: undefined, read: 0 };
  }
  if (!root.isDirectory()) return { digests, state: undefined, read: 0 };
  const recordedAt = Date.now();
  const trusted = (changedAt: number) => previous !== undefined && changedAt < previous.recordedAt - previous.racyMs;
  const folders: Record<string, TreeState['folders'][string]> = {};
  const files: Record<string, TreeState['files'][string]> = {};
  let wholeSeconds = true;
  let read = 0;
  const untouched = previous && written ? settledEntries(previous) : undefined;
  /** Takes a top-level entry this run did not write from `previous`; false when it cannot. */
  const carry = (name: string): boolean => {
    const entries = written!.has(name) ? undefined : untouched!(name);
    if (!entries) return false;
    for (const [path, folder] of entries.folders) {
      folders[path] = folder;
      if (folder.stat[0] % 1000 !== 0) wholeSeconds = false;
    }
    for (const [path, file] of entries.files) {
      files[path] = file;
      digests.set(path, file.digest);
      if (file.stat[1] % 1000 !== 0) wholeSeconds = false;
    }
    return true;
  };
  const visit = (relativePath: string, stat: Stats) => {
    const path = relativePath === '' ? dir : join(dir, relativePath);
    const own = folderStat(stat);
    if (stat.mtimeMs % 1000 !== 0) wholeSeconds = false;
    const before = previous?.folders[relativePath];
    const entries =
      before && sameStat(before.stat, own) && trusted(stat.ctimeMs)
        ? before.entries
        : readdirSync(path, { withFileTypes: true })
            .map((entry) => [entry.name, entry.isDirectory() ? 'd' : 'f'] as const)
            .sort(([a], [b]) => byPath(a, b));
    if (entries !== before?.entries) read += 1;
    folders[relativePath] = { stat: own, entries };
    for (const [name, kind] of entries) {
      const child = relativePath === '' ? name : `${relativePath}/${name}`;
      if (untouched && relativePath === '' && carry(name)) continue;
      const childStat = lstatSync(join(dir, child));
      if (kind === 'd') {
        if (!childStat.isDirectory()) throw new Error(`${join(dir, child)} changed while synth read it`);
        visit(child, childStat);
        continue;
      }
      const statOf = fileStat(childStat);
      const earlier = previous?.files[child];
      let digest: string;
      if (childStat.isFile() && earlier && sameStat(earlier.stat, statOf) && trusted(childStat.ctimeMs)) digest = earlier.digest;
      else if (childStat.isFile() && known?.has(child)) digest = known.get(child)!;
      else {
        digest = digestOf(readFileSync(join(dir, child)));
        read += 1;
      }
      digests.set(child, digest);
      // A symbolic link's own stat says nothing of its target: it is read every time.
      if (childStat.isFile()) files[child] = { stat: statOf, digest };
    }
  };
  visit('', root);
  return { digests: new Map([...digests].sort(([a], [b]) => byPath(a, b))), state: { recordedAt, racyMs: wholeSeconds ? 2000 : 100, folders, files }, read };
}

/** Hard-links `target` to the regular file `source`; false when it cannot. */
function linked(source: string, target: string): boolean {
  try {
    if (!lstatSync(source).isFile()) return false;
    linkSync(source, target);
    return true;
  } catch {
    return false;
  }
}

/**
 * Replaces what changed in `gitops/<env>/` folders: each changed component folder (an entry of
 * `gitops/<env>/`) is written whole to a staging folder beside them, then swapped in with renames,
 * so a failure at any point leaves `gitops/` as it was. An env folder that does not exist yet is
 * staged and renamed in whole; `null` removes an env's folder (an env no longer in `clusters/`).
 *
 * `diffs` says, per env, what differs from the live folder; without one the whole env folder is
 * replaced. Only the component folders a diff names are staged and swapped: after a one-app
 * change at 3 envs × 1000 apps that is 3 folders of ~6 files, where replacing whole env folders
 * linked ~18,000 files into the staging folder and unlinked as many from the retired ones. In a
 * staged folder, files the diff does not name are hard-linked from the live folder instead of
 * written (a file that cannot be linked, on a file system without hard links, is written).
 */
export function replaceEnvironmentFolders(
  gitopsDir: string,
  trees: ReadonlyMap<string, FileTree | null>,
  diffs: ReadonlyMap<string, TreeDiff> = new Map(),
): void {
  mkdirSync(gitopsDir, { recursive: true });
  // A fresh name per run: a folder left by a killed run (same pid, later) is never reused.
  const staging = mkdtempSync(join(gitopsDir, '.synth-'));
  const retired = join(staging, '.retired');
  /** Renames to make: `path` (relative to an env folder, '' for the folder itself) of `env`. */
  const moves: { env: string; path: string; retire: boolean; install: boolean }[] = [];
  /** Moves made so far, to undo in reverse order. */
  const swapped: { env: string; path: string; retired: boolean; installed: boolean }[] = [];
  let restored = true;
  const folders = new Set<string>();
  const folderOf = (target: string) => {
    const folder = dirname(target);
    // One mkdir per folder, not per file: at 3 envs × 200 apps, 7,000 redundant mkdirs cost ~0.4 s.
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    return target;
  };
  try {
    for (const [env, tree] of trees) {
      const live = join(gitopsDir, env);
      const diff = diffs.get(env);
      if (tree === null) {
        moves.push({ env, path: '', retire: true, install: false });
        continue;
      }
      if (!diff || !existsSync(live)) {
        mkdirSync(join(staging, env), { recursive: true });
        for (const [path, content] of tree) writeFileSync(folderOf(join(staging, env, path)), content);
        moves.push({ env, path: '', retire: existsSync(live), install: true });
        continue;
      }
      const differs = new Set([...diff.added, ...diff.changed]);
      const units = new Set([...differs, ...diff.removed].map(unitOf));
      const installed = new Set<string>();
      for (const [path, content] of tree) {
        const unit = unitOf(path);
        if (!units.has(unit)) continue;
        installed.add(unit);
        const target = folderOf(join(staging, env, path));
        if (differs.has(path) || !linked(join(live, path), target)) writeFileSync(target, content);
      }
      for (const unit of [...units].sort(byPath)) moves.push({ env, path: unit, retire: true, install: installed.has(unit) });
    }
    mkdirSync(retired);
    for (const { env, path, retire, install } of moves) {
      const live = join(gitopsDir, env, path);
      const aside = join(retired, env, path);
      const step = { env, path, retired: false, installed: false };
      swapped.push(step);
      if (retire && existsSync(live)) {
        mkdirSync(dirname(aside), { recursive: true });
        renameSync(live, aside);
        step.retired = true;
      }
      if (install) {
        renameSync(join(staging, env, path), live);
        step.installed = true;
      }
    }
  } catch (error) {
    for (const step of swapped.reverse()) {
      const live = join(gitopsDir, step.env, step.path);
      try {
        if (step.installed) rmSync(live, { recursive: true, force: true });
        if (step.retired) renameSync(join(retired, step.env, step.path), live);
      } catch {
        restored = false;
      }
    }
    if (!restored) {
      throw new Error(`${(error as Error).message}; restoring gitops/ failed too: the previous folders are in ${retired}`, { cause: error });
    }
    throw error;
  } finally {
    if (restored) rmSync(staging, { recursive: true, force: true });
  }
}
