export { compareTrees, type ApplicationChange, type Comparison, type EnvSummary, type FargateTotals, type Flag, type FlagKind, type ObjectChange, type ParameterChange } from './compare';
export { ENV_README_READS, envReadme, parameterLinks, trafficDiagram, type EnvReadmeInput } from './env-readme';
export { ReportError } from './git';
export { GITHUB_COMMENT_LIMIT, toMarkdown, type ReportHeader, type SourcesState } from './markdown';
export { maskText, maskValue } from './mask';
export { buildReport, synthCheck, type Report, type ReportOptions } from './report';
export { parseTree, type RenderedTree, type TreeObject } from './tree';
export { yamlLinePaths } from './yaml-path';
