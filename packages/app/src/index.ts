export { appComponent } from './app-component';
export { defineApp, type AlbExposure, type AppDefinition, type AwsAccess, type IamPolicyStatement } from './definition';
