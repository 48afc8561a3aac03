export { APP_FILE, discoverModules, ENV_FILE, layoutProblems, SHARED_FILE, specFolders, type SpecModule, type WorkspaceModules } from './discover';
export { loadWorkspace, selectEnvironments, type Workspace } from './load';
