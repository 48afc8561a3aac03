import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ScaffoldError } from './edit';
import { planNewApp } from './new-app';
import { planNewEnv, type FileSet } from './new-env';

const USAGE = `usage:
  new:env <name> --account <12 digits> --region <region> [--from <env>] [--root <dir>]
  new:app <name> [--expose <host>] [--aws] [--env <env>]... [--root <dir>]`;

/** Writes every file (each through a temporary file and a rename), only once all of them were planned. */
function writeAll(root: string, files: FileSet): void {
  for (const [path, text] of files) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(`${target}.${process.pid}.tmp`, text);
    renameSync(`${target}.${process.pid}.tmp`, target);
  }
}

/** Runs `new:env` or `new:app`; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        account: { type: 'string' },
        region: { type: 'string' },
        from: { type: 'string' },
        expose: { type: 'string' },
        aws: { type: 'boolean', default: false },
        env: { type: 'string', multiple: true },
        root: { type: 'string' },
      },
    });
  } catch (error) {
    console.error(`${command ?? 'scaffold'}: ${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  const { values, positionals } = parsed;
  const root = resolve(values.root ?? process.env.GITOPS_ROOT ?? fileURLToPath(new URL('../../..', import.meta.url)));
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0 || (command !== 'new:env' && command !== 'new:app')) {
    console.error(USAGE);
    return 1;
  }
  try {
    let files: FileSet;
    let next: string[];
    if (command === 'new:env') {
      if (values.expose !== undefined || values.aws || values.env) throw new ScaffoldError('new:env takes --account, --region and --from only');
      if (!values.account || !values.region) throw new ScaffoldError('new:env needs --account <12 digits> and --region <region>');
      files = await planNewEnv(root, { name, account: values.account, region: values.region, ...(values.from ? { from: values.from } : {}) });
      next = [
        `pnpm synth && pnpm --filter @gitops/infra synth   # render gitops/${name}/ (from placeholder parameters) and check the stack offline`,
        `deploy the stack, then \`pnpm params:pull --env ${name}\` replaces the placeholders (see "First day of a new environment")`,
      ];
    } else {
      if (values.account !== undefined || values.region !== undefined || values.from !== undefined) throw new ScaffoldError('new:app takes --expose, --aws and --env only');
      const invocation = ['pnpm new:app', name, ...(values.expose ? ['--expose', values.expose] : []), ...(values.aws ? ['--aws'] : []), ...(values.env ?? []).flatMap((env) => ['--env', env])].join(' ');
      files = await planNewApp(root, { name, ...(values.expose ? { expose: values.expose } : {}), aws: values.aws, ...(values.env ? { envs: values.env } : {}) }, invocation);
      next = [
        'pnpm install && pnpm synth   # link the new workspace package, then render; commit pnpm-lock.yaml with the rest',
        "deploy infra (its target group and role), then `pnpm params:pull --env <env>` replaces the placeholders; CI's synth --check --refuse-placeholders waits for that in deployed envs",
      ];
    }
    writeAll(root, files);
    for (const path of [...files.keys()].sort()) console.log(`wrote ${path}`);
    for (const line of next) console.log(`next: ${line}`);
    return 0;
  } catch (error) {
    if (error instanceof ScaffoldError) {
      console.error(`${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
