import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from './measure';
import { linkWorkspacePackages } from './synthetic-workspace';

const STOCK_APP = fileURLToPath(new URL('./stock-app.ts', import.meta.url));

/**
 * Makes `dir` (a workspace with clusters/ and apps/) a stock cdk8s TypeScript project rendering
 * the same charts: main.ts (stock-app.ts), a cdk8s.yaml whose app command runs it with ts-node,
 * and a tsconfig.json. `cdk8s init typescript-app` writes `npx ts-node main.ts`; on Node 20 the
 * ESM sources need ts-node's ESM loader, so the app command is `node --loader ts-node/esm main.ts`
 * (ts-node type-checks as it compiles, as the stock setup does).
 */
export function makeStockProject(repo: string, dir: string): void {
  copyFileSync(STOCK_APP, join(dir, 'main.ts'));
  writeFileSync(join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node --loader ts-node/esm main.ts\n');
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'bundler',
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      resolveJsonModule: true,
      types: ['node'],
      // The repository's @types/node: cdk8s-cli's pnpm shim sets NODE_PATH to a folder with an older one.
      typeRoots: [join(repo, 'node_modules', '@types')],
    },
    'ts-node': { esm: true, experimentalSpecifierResolution: 'node' },
  };
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
}

/** `cdk8s synth` in `dir`, run by Node from the cdk8s-cli package (as a global install runs it). */
export function stockSynth(repo: string, dir: string): Command {
  return { command: process.execPath, args: [join(repo, 'packages', 'bench', 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth'], cwd: dir };
}

/** Objects the last stock run wrote: one file per resource (YamlOutputType.FILE_PER_RESOURCE). */
export function stockObjectCount(dir: string): number {
  const dist = join(dir, 'dist');
  if (!existsSync(dist)) return 0;
  return (readdirSync(dist, { recursive: true }) as string[]).filter((path) => path.endsWith('.k8s.yaml')).length;
}

/** Removes what the last stock run wrote, so every run renders everything. */
export function clearStockOutput(dir: string): void {
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
}

/**
 * A folder that is the committed repository to the stock app: clusters/ and apps/ linked, the
 * workspace packages linked into node_modules, as in a synthetic workspace.
 */
export function committedStockWorkspace(repo: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'committed-stock', private: true, type: 'module' }, null, 2)}\n`);
  for (const folder of ['clusters', 'apps']) symlinkSync(join(repo, folder), join(dir, folder), 'dir');
  linkWorkspacePackages(repo, dir);
}
