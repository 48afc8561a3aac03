import type { AwsEnvironment } from './aws-environment';
import { partitionOf } from './partition';
import type { Checked, ValueKind } from './values';

// Validators of the identifiers an Ingress-made ALB and ExternalDNS need (issue 12). They sit
// beside values.ts so that file's validators stay as they are; values.ts re-exports these.

/** `arn:<partition>:<service>:<env region>:<env account>:<resource>`, each part checked and named when wrong. */
function regionalArn(what: string, service: string, resourceShape: string, resource: RegExp): ValueKind<string> {
  const describe = (env: AwsEnvironment) =>
    `${what} in ${env.region}/${env.account} (arn:${partitionOf(env.region)}:${service}:${env.region}:${env.account}:${resourceShape})`;
  return {
    describe,
    check(raw, env): Checked<string> {
      const parts = raw.split(':');
      if (parts.length < 6 || parts[0] !== 'arn') return { ok: false, expected: describe(env), reason: 'it is not an ARN' };
      const [, partition, arnService, region, account] = parts as [string, string, string, string, string];
      const reasons: string[] = [];
      if (partition !== partitionOf(env.region)) reasons.push(`its partition is ${partition || '(none)'}, but env ${env.name} (${env.region}) is in partition ${partitionOf(env.region)}`);
      if (arnService !== service) reasons.push(`its service is ${arnService || '(none)'}, not ${service}`);
      // An ALB takes a certificate and a web ACL of its own region only (ACM and WAFv2 regional scope).
      if (region !== env.region) reasons.push(`its region is ${region || '(none)'}, but env ${env.name} is in ${env.region}`);
      if (account !== env.account) reasons.push(`its account is ${account || '(none)'}, but env ${env.name} is in account ${env.account}`);
      const rest = parts.slice(5).join(':');
      if (!resource.test(rest)) reasons.push(`its resource "${rest}" is not ${resourceShape}`);
      return reasons.length === 0 ? { ok: true, value: raw } : { ok: false, expected: describe(env), reason: reasons.join('; ') };
    },
  };
}

/** `arn:aws:acm:<region>:<account>:certificate/<uuid>` (ACM ARNs name certificates by UUID). */
export const acmCertificateArn = regionalArn(
  'an ACM certificate ARN',
  'acm',
  'certificate/<id>',
  /^certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
);

/**
 * `arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>`: an ALB takes a REGIONAL web ACL
 * only (CloudFront ones live in us-east-1 under `global/`). Names are 1-128 of `[\w-]`.
 */
export const wafv2RegionalWebAclArn = regionalArn(
  'a regional WAFv2 web ACL ARN',
  'wafv2',
  'regional/webacl/<name>/<id>',
  /^regional\/webacl\/[\w-]{1,128}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
);

/** A Route 53 hosted zone ID: `Z` and up to 31 upper-case letters and digits (Route 53 API, HostedZone.Id). */
export const hostedZoneId: ValueKind<string> = {
  describe: () => 'a Route 53 hosted zone ID (Z followed by upper-case letters and digits, without /hostedzone/)',
  check(raw, env) {
    if (raw.startsWith('/hostedzone/')) return { ok: false, expected: this.describe(env), reason: 'it carries the /hostedzone/ prefix; publish the bare ID' };
    return /^Z[A-Z0-9]{1,31}$/.test(raw) ? { ok: true, value: raw } : { ok: false, expected: this.describe(env) };
  },
};

/**
 * A hosted zone's domain as Route 53 names it, without the trailing dot: lower-case labels of
 * letters, digits and inner hyphens, at least two labels, at most 253 characters (RFC 1035).
 */
export const dnsZoneName: ValueKind<string> = {
  describe: () => 'a DNS domain name in lower case without a trailing dot (e.g. dev.example.com)',
  check(raw, env) {
    const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
    const labels = raw.split('.');
    const ok = raw.length <= 253 && labels.length >= 2 && labels.every((part) => label.test(part));
    if (ok) return { ok: true, value: raw };
    const reason = raw.endsWith('.') ? 'it ends with a dot' : raw !== raw.toLowerCase() ? 'it is not lower case' : undefined;
    return { ok: false, expected: this.describe(env), ...(reason ? { reason } : {}) };
  },
};

/** A VPC subnet ID: `subnet-` and 8 or 17 hex digits. */
export const subnetId: ValueKind<string> = {
  describe: () => 'a subnet ID (subnet- followed by 8 or 17 hex digits)',
  check(raw, env) {
    return /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(raw) ? { ok: true, value: raw } : { ok: false, expected: this.describe(env) };
  },
};
