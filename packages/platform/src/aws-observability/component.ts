import { parameters } from '@gitops/contract';
import type { Component } from '@gitops/core';
import { platformSyncWaves } from '../sync-waves';
import { FargateLogging } from './fargate-logging';

/** `gitops/<env>/aws-observability/`: Fargate pod logging to CloudWatch Logs, per the env's spec. */
export const awsObservability: Component = {
  name: 'aws-observability',
  parameters: [parameters.fargateLogGroupName],
  delivery: { syncWave: platformSyncWaves.fargateLogging },
  render(chart, ctx) {
    const logging = ctx.env.logging ?? {};
    new FargateLogging(chart, 'fargate-logging', {
      region: ctx.env.region,
      logGroupName: ctx.param(parameters.fargateLogGroupName),
      logStreamPrefix: logging.logStreamPrefix ?? `${ctx.env.name}-`,
      fluentBitProcessLogs: logging.fluentBitProcessLogs,
      lineFilters: logging.lineFilters,
      extraFilters: logging.extraFilters,
      parsers: logging.parsers,
    });
  },
};
