/**
 * Fargate's rules for the aws-logging ConfigMap, as documented in the EKS user guide
 * (https://docs.aws.amazon.com/eks/latest/userguide/fargate-logging.html). Fargate rejects or
 * ignores a ConfigMap that breaks one, and pods then ship no logs.
 */
export const fargateLoggingRules = {
  size: 'the ConfigMap holds at most 5300 characters',
  keys: 'the only keys are output.conf, filters.conf, parsers.conf and flb_log_cw',
  'flb-log-cw': 'flb_log_cw is "true" or "false"',
  sections: 'only [FILTER], [OUTPUT] and [PARSER] sections (SERVICE and INPUT are managed by AWS)',
  'section-key': 'each section under its own key: FILTER in filters.conf, OUTPUT in output.conf, PARSER in parsers.conf',
  layout: 'every line is a section header or a "Key value" line indented under it, consistently',
  'required-keys': 'FILTER and OUTPUT sections have Name and Match; PARSER sections have Name and Format',
  'filter-name': 'filters are one of grep, parser, record_modifier, rewrite_tag, throttle, nest, modify, kubernetes',
  'output-name': 'outputs are one of es, firehose, kinesis_firehose, cloudwatch, cloudwatch_logs, kinesis',
  variables: 'no ${...} environment variables',
  'kubernetes-filter-keys': 'the kubernetes filter sets none of Kube_URL, Kube_CA_File, Kube_Token_Command, Kube_Token_File',
  'kubernetes-filter-version': 'the kubernetes filter needs Kubernetes 1.23 or later',
  'output-required': 'at least one OUTPUT section',
  'cri-parser':
    'the first filter is a parser filter on Key_Name log whose Parser is a regex [PARSER] of parsers.conf capturing log, and the kubernetes filter comes after it (Fargate tails CRI lines; unparsed, log keeps the "<time> <stream> <tag>" prefix and JSON is never merged)',
  'grep-after-merge':
    'no grep on the log key after a kubernetes filter with Merge_Log On (a JSON line\'s log is replaced by its fields there, so the grep misses it); put it between the CRI parser and the kubernetes filter',
} as const;

export type FargateLoggingRule = keyof typeof fargateLoggingRules;

export const MAX_CHARACTERS = 5300;
export const ALLOWED_KEYS = ['output.conf', 'filters.conf', 'parsers.conf', 'flb_log_cw'] as const;
export const ALLOWED_FILTERS = ['grep', 'parser', 'record_modifier', 'rewrite_tag', 'throttle', 'nest', 'modify', 'kubernetes'] as const;
export const ALLOWED_OUTPUTS = ['es', 'firehose', 'kinesis_firehose', 'cloudwatch', 'cloudwatch_logs', 'kinesis'] as const;
export const FORBIDDEN_KUBERNETES_KEYS = ['Kube_URL', 'Kube_CA_File', 'Kube_Token_Command', 'Kube_Token_File'] as const;
/** The data key each section type belongs under. */
export const SECTION_KEYS = { FILTER: 'filters.conf', OUTPUT: 'output.conf', PARSER: 'parsers.conf' } as const;
