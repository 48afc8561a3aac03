export { checkAwsEnvironment, partitionOf, type AwsEnvironment } from './aws-environment';
export { checkParameterName, parameterArn } from './parameter-name';
export {
  checkParameter,
  parameterName,
  parameters,
  type ParameterCheck,
  type ParameterDefinition,
  type ParameterType,
  type RawParameter,
} from './parameters';
export * as values from './values';
export type { Checked, ValueKind } from './values';
