import {
  ALLOWED_FILTERS,
  ALLOWED_KEYS,
  ALLOWED_OUTPUTS,
  FORBIDDEN_KUBERNETES_KEYS,
  MAX_CHARACTERS,
  SECTION_KEYS,
  fargateLoggingRules,
  type FargateLoggingRule,
} from './rules';

/** One broken rule: which rule, where (data key and line), and what exactly is wrong. */
export interface FargateLoggingViolation {
  readonly rule: FargateLoggingRule;
  /** The ConfigMap data key, when the violation is inside one. */
  readonly key?: string;
  /** 1-based line inside `key`. */
  readonly line?: number;
  /** `rule "<rule>" (<what the rule says>): <what is wrong>`. */
  readonly message: string;
}

export interface FargateLoggingValidationOptions {
  /** Kubernetes minor version of the cluster, for the kubernetes filter's minimum. @default not checked */
  readonly kubernetesMinor?: number;
}

interface ParsedSection {
  readonly type: string;
  readonly key: string;
  readonly line: number;
  readonly entries: { readonly name: string; readonly value: string; readonly line: number }[];
}

const lower = (value: string) => value.toLowerCase();

/**
 * Every way the data of an aws-logging ConfigMap breaks Fargate's documented rules; empty when
 * Fargate accepts it. Reads Fluent Bit's classic configuration format the way Fargate's parser
 * expects it (section headers at the start of a line, indented `Key value` lines).
 */
export function validateFargateLogging(
  data: Readonly<Record<string, string>>,
  options: FargateLoggingValidationOptions = {},
): FargateLoggingViolation[] {
  const violations: FargateLoggingViolation[] = [];
  const report = (rule: FargateLoggingRule, detail: string, key?: string, line?: number) =>
    violations.push({ rule, key, line, message: `rule "${rule}" (${fargateLoggingRules[rule]}): ${detail}` });

  const size = Object.entries(data).reduce((total, [key, value]) => total + key.length + value.length, 0);
  if (size > MAX_CHARACTERS) report('size', `${size} characters counting every key and value, ${size - MAX_CHARACTERS} over`);

  const sections: ParsedSection[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!(ALLOWED_KEYS as readonly string[]).includes(key)) {
      report('keys', `unknown key "${key}"`, key);
      continue;
    }
    if (key === 'flb_log_cw') {
      if (value !== 'true' && value !== 'false') report('flb-log-cw', `value "${value}"`, key);
      continue;
    }
    sections.push(...parseSections(key, value, report));
  }

  for (const section of sections) {
    const at = (rule: FargateLoggingRule, detail: string, line = section.line) => report(rule, detail, section.key, line);
    const type = section.type.toUpperCase();
    if (!(type in SECTION_KEYS)) {
      at('sections', `[${section.type}] section`);
      continue;
    }
    const expectedKey = SECTION_KEYS[type as keyof typeof SECTION_KEYS];
    if (section.key !== expectedKey) at('section-key', `[${type}] section under ${section.key}, it belongs under ${expectedKey}`);

    const value = (name: string) => section.entries.find((entry) => lower(entry.name) === lower(name))?.value;
    const required = type === 'PARSER' ? ['Name', 'Format'] : ['Name', 'Match'];
    for (const name of required) if (value(name) === undefined) at('required-keys', `[${type}] section without ${name}`);

    const plugin = value('Name');
    if (plugin === undefined) continue;
    if (type === 'FILTER' && !(ALLOWED_FILTERS as readonly string[]).includes(lower(plugin))) at('filter-name', `filter "${plugin}"`);
    if (type === 'OUTPUT' && !(ALLOWED_OUTPUTS as readonly string[]).includes(lower(plugin))) at('output-name', `output "${plugin}"`);
    if (type === 'FILTER' && lower(plugin) === 'kubernetes') {
      for (const entry of section.entries) {
        if (FORBIDDEN_KUBERNETES_KEYS.some((forbidden) => lower(forbidden) === lower(entry.name))) {
          at('kubernetes-filter-keys', `${entry.name} is set`, entry.line);
        }
      }
      if (options.kubernetesMinor !== undefined && options.kubernetesMinor < 23) {
        at('kubernetes-filter-version', `the cluster runs Kubernetes 1.${options.kubernetesMinor}`);
      }
    }
  }

  if (!sections.some((section) => section.type.toUpperCase() === 'OUTPUT')) report('output-required', 'no [OUTPUT] section');
  checkPipeline(sections, report);
  return violations;
}

const valueOf = (section: ParsedSection, name: string) => section.entries.find((entry) => lower(entry.name) === lower(name))?.value;
const isFilter = (section: ParsedSection, plugin: string) =>
  section.type.toUpperCase() === 'FILTER' && section.key === 'filters.conf' && lower(valueOf(section, 'Name') ?? '') === plugin;

/**
 * The order of filters.conf: the CRI parser first (on `log`, with a parser of parsers.conf that
 * captures `log`), hence before the kubernetes filter, and no grep on `log` after a kubernetes filter
 * that merges JSON.
 */
function checkPipeline(
  sections: readonly ParsedSection[],
  report: (rule: FargateLoggingRule, detail: string, key?: string, line?: number) => void,
): void {
  const filters = sections.filter((section) => section.type.toUpperCase() === 'FILTER' && section.key === 'filters.conf');
  const parsers = new Map(
    sections
      .filter((section) => section.type.toUpperCase() === 'PARSER' && section.key === 'parsers.conf')
      .map((section) => [valueOf(section, 'Name') ?? '', section]),
  );
  const first = filters[0];
  if (!first) {
    report('cri-parser', 'filters.conf has no filter', 'filters.conf');
    return;
  }
  const at = (rule: FargateLoggingRule, detail: string, section: ParsedSection) => report(rule, detail, section.key, section.line);
  if (!isFilter(first, 'parser')) {
    at('cri-parser', `the first filter is "${valueOf(first, 'Name') ?? '?'}", not the CRI parser`, first);
  } else if (valueOf(first, 'Key_Name') !== 'log') {
    at('cri-parser', `the parser filter reads Key_Name ${valueOf(first, 'Key_Name') ?? '(none)'}, not log`, first);
  } else {
    const name = valueOf(first, 'Parser') ?? '';
    const parser = parsers.get(name);
    if (!parser) at('cri-parser', `Parser "${name}" is not a [PARSER] of parsers.conf`, first);
    else if (lower(valueOf(parser, 'Format') ?? '') !== 'regex' || !(valueOf(parser, 'Regex') ?? '').includes('(?<log>')) {
      at('cri-parser', `parser "${name}" is not a regex capturing (?<log>...)`, parser);
    }
  }
  filters.forEach((section, index) => {
    const merging = filters.slice(0, index).some((earlier) => isFilter(earlier, 'kubernetes') && lower(valueOf(earlier, 'Merge_Log') ?? '') === 'on');
    if (!merging || !isFilter(section, 'grep')) return;
    for (const entry of section.entries) {
      if (['regex', 'exclude'].includes(lower(entry.name)) && /^log\s/.test(entry.value)) {
        report('grep-after-merge', `${entry.name} ${entry.value.split(/\s+/)[0]} after the kubernetes filter`, section.key, entry.line);
      }
    }
  });
}

/** Splits one data value into sections, reporting lines Fluent Bit or Fargate would refuse. */
function parseSections(
  key: string,
  text: string,
  report: (rule: FargateLoggingRule, detail: string, key?: string, line?: number) => void,
): ParsedSection[] {
  const sections: ParsedSection[] = [];
  let indent: string | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/\s+$/, '');
    const trimmed = content.trim();
    for (const variable of trimmed.match(/\$\{[^}]*\}/g) ?? []) report('variables', `${variable}`, key, line);
    if (trimmed === '' || trimmed.startsWith('#')) return;

    const leading = /^\s*/.exec(content)![0];
    const header = /^\[([^\]]*)\]$/.exec(trimmed);
    if (header) {
      if (leading !== '') report('layout', `section header "${trimmed}" is indented`, key, line);
      sections.push({ type: header[1]!.trim(), key, line, entries: [] });
      return;
    }
    if (trimmed.startsWith('@')) {
      report('sections', `directive "${trimmed.split(/\s+/)[0]}" (includes and variables are not allowed)`, key, line);
      return;
    }
    const current = sections.at(-1);
    if (!current) {
      report('layout', `"${trimmed}" is outside any section`, key, line);
      return;
    }
    if (leading === '') {
      report('layout', `"${trimmed}" is not indented under its section header`, key, line);
    } else if (indent === undefined) {
      indent = leading;
    } else if (leading !== indent) {
      report('layout', `"${trimmed}" is indented differently from the lines above it`, key, line);
    }
    const pair = /^(\S+)\s+(\S.*)$/.exec(trimmed);
    if (!pair) {
      report('layout', `"${trimmed}" has no value`, key, line);
      return;
    }
    current.entries.push({ name: pair[1]!, value: pair[2]!, line });
  });
  return sections;
}
