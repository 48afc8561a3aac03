import type { Component, EnvironmentSpec } from '@gitops/core';

/** One env's output as synth hands it to checks (synth's RenderedEnvironment has this shape). */
export interface RenderedOutput {
  readonly env: EnvironmentSpec;
  readonly components: readonly Component[];
  readonly objects: readonly {
    readonly component: string;
    /** Path inside `gitops/<env>/`, e.g. `app-web/deployment-web.yaml`. */
    readonly file: string;
    readonly manifest: Readonly<Record<string, any>>;
  }[];
  /** File contents by path inside `gitops/<env>/`. */
  readonly files: ReadonlyMap<string, string>;
}
