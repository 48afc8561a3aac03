/** An application, as `apps/<name>/src/index.ts` default-exports it. */
export interface AppDefinition {
  /** DNS label; also the folder name under `apps/` and, by default, the namespace. */
  readonly name: string;
  /** Container image without a tag override, e.g. `public.ecr.aws/nginx/nginx:1.27`. */
  readonly image: string;
  /** @default the app's name */
  readonly namespace?: string;
}

/** Types an app definition. */
export function defineApp(definition: AppDefinition): AppDefinition {
  return definition;
}
