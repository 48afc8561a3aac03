import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppDefinition } from '@gitops/app';
import type { EnvironmentSpec } from '@gitops/core';
import { formatProblem, loadWorkspace, SynthError } from '@gitops/synth';
import { ScaffoldError } from './edit';

/** What the scaffolding commands read about the repository before they write anything. */
export interface Repository {
  readonly root: string;
  readonly environments: ReadonlyMap<string, EnvironmentSpec>;
  readonly apps: ReadonlyMap<string, AppDefinition>;
  /** `clusters/shared.ts`'s exports. */
  readonly shared: Readonly<Record<string, unknown>>;
  /** packages/infra's settings by env (`environments/index.ts`), as plain data. */
  readonly infra: Readonly<Record<string, any>>;
}

export const INFRA_ENVIRONMENTS = 'packages/infra/src/environments';

/** Loads envs and apps the way synth does (so a broken one stops the command), plus shared.ts and the infra settings. */
export async function readRepository(root: string): Promise<Repository> {
  let workspace;
  try {
    workspace = await loadWorkspace(root);
  } catch (error) {
    if (error instanceof SynthError) {
      const first = formatProblem(error.problems[0]!);
      // An app written a moment ago (by new:app) whose workspace dependencies are not linked yet.
      const hint = /Cannot find (?:package|module) '@gitops\//.test(first) ? '; run `pnpm install` first' : '';
      throw new ScaffoldError(`the repository does not load as it is (${first.replace(/^error: /, '')})${hint}`);
    }
    throw error;
  }
  const load = async (path: string) => (existsSync(join(root, path)) ? ((await import(pathToFileURL(join(root, path)).href)) as Record<string, unknown>) : {});
  const shared = await load('clusters/shared.ts');
  const infra = ((await load(`${INFRA_ENVIRONMENTS}/index.ts`)).infraSettings ?? {}) as Record<string, any>;
  return { root, environments: workspace.environments, apps: workspace.apps, shared, infra };
}

/** Whether an ACM certificate name covers a host: itself, or `*.zone` for one label under the zone (as packages/infra checks). */
export function certificateCovers(name: string, host: string): boolean {
  if (name === host) return true;
  return name.startsWith('*.') && host.slice(host.indexOf('.') + 1) === name.slice(2);
}

/** The host an env serves an app's `host` under when its certificate does not cover it: the first label under the env's zone. */
export function hostInZone(host: string, settings: any): string | undefined {
  const certificate = settings?.certificate;
  if (!certificate || 'arn' in certificate) return undefined;
  const names: string[] = [certificate.domainName, ...(certificate.alternativeNames ?? [])];
  if (names.some((name) => certificateCovers(name, host))) return undefined;
  const zone: string = settings.dns?.zoneName ?? String(certificate.domainName).replace(/^\*\./, '');
  return `${host.split('.')[0]}.${zone}`;
}

export const DNS_LABEL = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
