import type { Component, ComponentOutline, EnvironmentSpec } from '@gitops/core';

/** One rendered object, with its component and its file. */
export interface RenderedObject {
  readonly component: string;
  /** Path inside `gitops/<env>/`, e.g. `app-web/deployment-web.yaml`. */
  readonly file: string;
  readonly manifest: Readonly<Record<string, any>>;
}

/**
 * What the checks of a whole env read: its components as outlines and its objects, which synth
 * may hand over cut down to the paths a check declares.
 */
export interface RenderedOutline {
  readonly env: EnvironmentSpec;
  readonly components: readonly ComponentOutline[];
  readonly objects: readonly RenderedObject[];
}

/** One env's output as synth hands it to checks (synth's RenderedEnvironment has this shape). */
export interface RenderedOutput extends RenderedOutline {
  readonly components: readonly Component[];
  /** File contents by path inside `gitops/<env>/`. */
  readonly files: ReadonlyMap<string, string>;
}
