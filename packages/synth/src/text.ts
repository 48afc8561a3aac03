import { isAscii } from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

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
