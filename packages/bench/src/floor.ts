import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Every file under `dir` with its content, by path relative to it. */
export function listFiles(dir: string): [string, string][] {
  const files: [string, string][] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push([relative(dir, path), readFileSync(path, 'utf8')]);
    }
  };
  walk(dir);
  return files;
}

/**
 * The write floor: the same files written by a plain loop into `dir` (one mkdir per folder, one
 * writeFileSync per file), the least any tool writing them one by one can spend on this disk.
 * Returns the milliseconds it took.
 */
export function writeFloor(files: readonly (readonly [string, string])[], dir: string): number {
  const started = process.hrtime.bigint();
  const folders = new Set<string>();
  for (const [path, content] of files) {
    const target = join(dir, path);
    const folder = dirname(target);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    writeFileSync(target, content);
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}
