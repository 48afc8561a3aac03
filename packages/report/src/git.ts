import { execFileSync, spawnSync } from 'node:child_process';

/** A problem the report cannot get past (an unknown ref, a dirty index, a base with nothing to read): one line, exit 1. */
export class ReportError extends Error {}

function git(root: string, args: readonly string[], input?: string): { status: number; stdout: Buffer; stderr: string } {
  const result = spawnSync('git', ['-C', root, ...args], { input, maxBuffer: 1 << 30, env: { ...process.env, LC_ALL: 'C' } });
  if (result.error) throw new ReportError(`report: cannot run git: ${result.error.message}`);
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr.toString('utf8').trim() };
}

/** The repository's top folder, or a ReportError when `root` is not in a Git working tree. */
export function topLevel(root: string): string {
  const result = git(root, ['rev-parse', '--show-toplevel']);
  if (result.status !== 0) throw new ReportError(`report: ${root} is not inside a Git working tree`);
  return result.stdout.toString('utf8').trim();
}

/** The commit `ref` names, or a ReportError naming the ref. */
export function resolveCommit(root: string, ref: string): string {
  // `--end-of-options` keeps a ref such as `--all` from being read as an option.
  const result = git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (result.status !== 0) {
    throw new ReportError(`report: unknown git ref "${ref}": no commit by that name (in CI, check out with fetch-depth: 0 so the base is present)`);
  }
  return result.stdout.toString('utf8').trim();
}

/**
 * Refuses an index that is neither HEAD nor the working tree: staged changes, or unmerged paths
 * of a merge or rebase in progress. The report compares the working tree with the base; a
 * staged-but-uncommitted state is what nobody will push, so a report of it would mislead.
 */
export function checkIndex(root: string): void {
  const unmerged = git(root, ['ls-files', '--unmerged']).stdout.toString('utf8').trim();
  if (unmerged !== '') throw new ReportError('report: the index has unmerged paths (a merge or rebase in progress); finish or abort it first');
  if (git(root, ['rev-parse', '--verify', '--quiet', 'HEAD']).status !== 0) return;
  const staged = git(root, ['diff', '--cached', '--quiet', '--exit-code']);
  if (staged.status === 1) throw new ReportError('report: the index has staged changes (git diff --cached); commit or unstage them, so the report describes the working tree');
  if (staged.status !== 0) throw new ReportError(`report: git diff --cached failed: ${staged.stderr.split('\n')[0]}`);
}

/** Every file under `paths` at `commit`, by repository-relative path, read in one `git cat-file --batch`. */
export function readCommitFiles(root: string, commit: string, paths: readonly string[]): Map<string, string> {
  const listing = git(root, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...paths]);
  if (listing.status !== 0) throw new ReportError(`report: cannot list ${paths.join(', ')} at ${commit.slice(0, 12)}: ${listing.stderr.split('\n')[0]}`);
  const entries = listing.stdout
    .toString('utf8')
    .split('\0')
    .filter((line) => line !== '')
    .map((line) => {
      const [meta, path] = line.split('\t') as [string, string];
      const [, type, object] = meta.split(' ') as [string, string, string];
      return { type, object, path };
    })
    .filter((entry) => entry.type === 'blob');
  const files = new Map<string, string>();
  if (entries.length === 0) return files;
  const output = execFileSync('git', ['-C', root, 'cat-file', '--batch'], {
    input: entries.map((entry) => entry.object).join('\n') + '\n',
    maxBuffer: 1 << 30,
  });
  let offset = 0;
  for (const entry of entries) {
    const headerEnd = output.indexOf(0x0a, offset);
    const size = Number(output.subarray(offset, headerEnd).toString('latin1').split(' ')[2]);
    files.set(entry.path, output.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'));
    offset = headerEnd + 1 + size + 1;
  }
  return files;
}
