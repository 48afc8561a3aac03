import type { FluentBitParameters } from '@gitops/core';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { renderFluentBit, type FluentBitSection } from './fluent-bit';

/** Namespace and ConfigMap names Fargate looks for, exactly. */
export const AWS_OBSERVABILITY_NAMESPACE = 'aws-observability';
export const AWS_LOGGING_CONFIGMAP = 'aws-logging';

/** Tag Fargate's managed input gives container logs (`Tag kube.*`, tailing /var/log/containers). */
const CONTAINER_LOGS = 'kube.*';

export interface FargateLoggingProps {
  /** Region of the CloudWatch log group. */
  readonly region: string;
  /** CloudWatch log group for pod logs; infrastructure code creates it and sets its retention. */
  readonly logGroupName: string;
  /** Prefix of every log stream name. */
  readonly logStreamPrefix: string;
  /** Fluent Bit's own logs to `<cluster>-fluent-bit-logs`. @default false */
  readonly fluentBitProcessLogs?: boolean;
  /** `[FILTER]` sections between the CRI parser and the kubernetes filter (see FargateLoggingSpec). @default none */
  readonly lineFilters?: readonly FluentBitParameters[];
  /** `[FILTER]` sections after the kubernetes filter. @default none */
  readonly extraFilters?: readonly FluentBitParameters[];
  /** `[PARSER]` sections after the CRI parser. @default none */
  readonly parsers?: readonly FluentBitParameters[];
}

/** Name of the CRI parser in parsers.conf, which the first filter applies. */
export const CRI_PARSER = 'cri';

/**
 * Fargate's log router tails the container runtime's CRI log files, where every line is
 * `<RFC 3339 time> <stdout|stderr> <P|F> <message>` (P: a partial line, F: the final part), and
 * hands the whole line on as `log` (EKS user guide, fargate-logging). This parser, Fluent Bit's
 * own `cri` parser, splits it: `log` becomes the message, so the kubernetes filter can merge a
 * JSON message (Merge_Log) and a grep on `log` sees what the app wrote.
 */
const criParser: FluentBitSection = {
  type: 'PARSER',
  parameters: {
    Name: CRI_PARSER,
    Format: 'regex',
    Regex: '^(?<time>[^ ]+) (?<stream>stdout|stderr) (?<logtag>[^ ]*) (?<log>.*)$',
    Time_Key: 'time',
    Time_Format: '%Y-%m-%dT%H:%M:%S.%L%z',
  },
};

const criParserFilter: FluentBitSection = {
  type: 'FILTER',
  parameters: {
    Name: 'parser',
    Match: CONTAINER_LOGS,
    Key_Name: 'log',
    Parser: CRI_PARSER,
    // Keeps any other key of the record (none today) beside the parsed ones.
    Reserve_Data: 'On',
  },
};

/** The aws-logging ConfigMap's data: Fluent Bit configuration in the keys Fargate reads. */
export function awsLoggingData(props: FargateLoggingProps): Record<string, string> {
  const output: FluentBitSection = {
    type: 'OUTPUT',
    parameters: {
      Name: 'cloudwatch_logs',
      Match: CONTAINER_LOGS,
      region: props.region,
      log_group_name: props.logGroupName,
      log_stream_prefix: props.logStreamPrefix,
      // The log group belongs to infrastructure code (with its retention and encryption); a
      // group created here would have neither, and the pod execution role need not create one.
      auto_create_group: 'false',
    },
  };
  // Adds pod, namespace and container metadata to each record. Fargate supplies the API
  // connection itself, so none of the Kube_URL/Kube_CA_File/Kube_Token_* keys may be set.
  const kubernetes: FluentBitSection = {
    type: 'FILTER',
    parameters: {
      Name: 'kubernetes',
      Match: CONTAINER_LOGS,
      Merge_Log: 'On',
      Keep_Log: 'Off',
      Buffer_Size: '0',
      // Fargate's default is 30 minutes; five keeps labels of a redeployed pod current.
      Kube_Meta_Cache_TTL: '300s',
    },
  };
  const asFilters = (list: readonly FluentBitParameters[] | undefined) => (list ?? []).map((parameters): FluentBitSection => ({ type: 'FILTER', parameters }));
  // CRI parser first, then the line filters on the message text, then pod metadata and JSON
  // merging, then filters that read the metadata.
  const filters = [criParserFilter, ...asFilters(props.lineFilters), kubernetes, ...asFilters(props.extraFilters)];
  const parsers = [criParser, ...(props.parsers ?? []).map((parameters): FluentBitSection => ({ type: 'PARSER', parameters }))];
  return {
    'output.conf': renderFluentBit([output]),
    'filters.conf': renderFluentBit(filters),
    'parsers.conf': renderFluentBit(parsers),
    flb_log_cw: String(props.fluentBitProcessLogs ?? false),
  };
}

/**
 * Fargate's built-in log router configuration: the `aws-observability` namespace, labelled so
 * Fargate reads it, and the `aws-logging` ConfigMap. Fargate runs no DaemonSets, so this is how
 * pod logs leave a Fargate cluster. Fargate applies it to pods started after it exists.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-logging.html
 */
export class FargateLogging extends Construct {
  constructor(scope: Construct, id: string, props: FargateLoggingProps) {
    super(scope, id);
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: { name: AWS_OBSERVABILITY_NAMESPACE, labels: { 'aws-observability': 'enabled' } },
    });
    new k8s.KubeConfigMap(this, 'config-map', {
      metadata: { name: AWS_LOGGING_CONFIGMAP, namespace: AWS_OBSERVABILITY_NAMESPACE },
      data: awsLoggingData(props),
    });
  }
}
