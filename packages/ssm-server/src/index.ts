export {
  encryptedValueOf,
  startSsmServer,
  type SsmFault,
  type SsmParameterInput,
  type SsmParameterType,
  type SsmRequest,
  type SsmServer,
  type SsmServerOptions,
} from './server';
