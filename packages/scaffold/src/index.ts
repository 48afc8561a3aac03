export { ScaffoldError } from './edit';
export { main } from './cli';
export { planNewApp, type NewAppOptions } from './new-app';
export { planNewEnv, type FileSet, type NewEnvOptions } from './new-env';
