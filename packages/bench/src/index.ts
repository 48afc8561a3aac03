export { measureLiveCalls, SSM_PAGE_SIZE, type EnvCalls, type LiveCalls } from './live-calls';
export { repeat, runOnce, spreadOf, type Command, type Measurement, type Sample, type Spread } from './measure';
export { formatReport, loadAverageNow, machine, type BenchReport, type ScenarioResult, type Target } from './report';
export { clearStockOutput, committedStockWorkspace, makeStockProject, stockObjectCount, stockSynth } from './stock-cdk8s';
export {
  APP_SHAPES,
  appName,
  cloneAppSource,
  cloneParameterValue,
  createSyntheticWorkspace,
  linkWorkspacePackages,
  syntheticApps,
  type AppShape,
  type SyntheticWorkspace,
  type SyntheticWorkspaceOptions,
} from './synthetic-workspace';
