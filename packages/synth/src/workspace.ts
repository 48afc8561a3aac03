// Loading lives below synth and infra, in packages/workspace; synth's modules keep importing it from here.
export { discoverModules, loadWorkspace, selectEnvironments, type Workspace, type WorkspaceModules } from '@gitops/workspace';
