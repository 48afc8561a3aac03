/** The modules workspace.ts `discoverModules` imports: clusters/<env>/env.ts and apps/<name>/src/index.ts, sorted. */
export function discoverModuleFiles(root: string): string[];
