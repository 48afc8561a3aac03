import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem, SynthError } from '@gitops/core';
import { loadWorkspace } from '@gitops/workspace';
import { buildInfraApp } from '../src/infra-app';

// `cdk deploy` runs this with CDK_OUTDIR set; `pnpm --filter @gitops/infra synth` writes cdk.out here.
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(packageDir, '../..');

try {
  const workspace = await loadWorkspace(root);
  const { app, stacks } = buildInfraApp({ workspace, outdir: process.env.CDK_OUTDIR ?? join(packageDir, 'cdk.out') });
  const assembly = app.synth();
  const errors = assembly.stacks.flatMap((stack) =>
    Object.values(stack.manifest.metadata ?? {}).flatMap((entries) =>
      entries.filter((entry) => entry.type === 'aws:cdk:error').map((entry) => `${stack.stackName}: ${String(entry.data)}`),
    ),
  );
  // A context lookup would make the templates depend on AWS answers at synth time.
  for (const missing of assembly.manifest.missing ?? []) errors.push(`synth needs a context lookup (${missing.key}); everything must be explicit`);
  if (errors.length > 0) {
    for (const error of errors) process.stderr.write(`error: ${error}\n`);
    process.exit(1);
  }
  for (const [env, stack] of stacks) {
    process.stdout.write(`${env}: ${stack.stackName} (${stack.account}/${stack.region}) -> ${assembly.directory}/${stack.templateFile}\n`);
  }
} catch (error) {
  // Bad input: one line per problem. Anything else (a cdk-nag or CloudFormation schema finding,
  // whose report CDK has already printed): its message.
  if (error instanceof SynthError) for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  else process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exit(1);
}
