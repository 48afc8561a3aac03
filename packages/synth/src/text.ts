import { isAscii } from 'node:buffer';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';

// Reading and writing the render cache's files (render-cache.ts, tree-thread.ts): Node's modules
// only, so the tree thread's bundle stays small.

/**
 * A file's text. An ASCII file (what synth writes in its cache, mostly) is decoded as Latin-1,
 * which gives the same text: Node's UTF-8 decoder took 25–90 ms for a few MB on the benchmark
 * machine, Latin-1 a few.
 */
export function readText(path: string): string {
  return decoded(readFileSync(path));
}

const decoded = (bytes: Buffer) => (isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8'));

/** The first line of a file (without its newline), read without the rest; the whole file when it has one line. */
export function readFirstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    const chunk = Buffer.allocUnsafe(1 << 16);
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) return decoded(Buffer.concat(chunks));
      const end = chunk.subarray(0, read).indexOf(10);
      if (end !== -1) return decoded(Buffer.concat([...chunks, chunk.subarray(0, end)]));
      chunks.push(Buffer.from(chunk.subarray(0, read)));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a cache file through a temporary file and a rename, so no reader sees half of it;
 * `writeTo` writes the content to the open file. A read-only or full cache folder only costs
 * speed: nothing is thrown, and no half-written file is left behind.
 */
export function writeWhole(file: string, writeTo: (fd: number) => void): void {
  const temporary = `${file}.${process.pid}.${threadId}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    const fd = openSync(temporary, 'w');
    try {
      writeTo(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}
