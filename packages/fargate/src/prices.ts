/**
 * Fargate on-demand prices, Linux/x86, USD: per vCPU-hour and per GB-hour of the provisioned
 * pod size, billed per second with a one-minute minimum.
 *
 * Where each figure comes from (the official price page, aws.amazon.com/fargate/pricing/, was out
 * of reach when this was written, and its stored text shows no regional figures, which it renders
 * with JavaScript; no maintained npm package that ships Fargate prices was found):
 *
 * - `fgcalc`: theuves/fgcalc on GitHub (MIT), `src/utils/data.js`: on-demand figures added
 *   2021-01-10 (commit 5049a5e), last changed 2021-01-14 (e29aefb), the same at 6e1547c
 *   (2025-11-25). Its README says they come from AWS's official pricing. Every commercial region
 *   it lists is carried here; its GovCloud figures are not (not a commercial region).
 * - `quotes-2026`: us-east-1 as quoted by vantage.sh, wring.co (2026) and factualminds (2026-06).
 *   They equal fgcalc's us-east-1 figures: there at least, the prices have not changed since.
 * - `clyr-2025`: ap-northeast-1 as quoted by clyr.co.jp (2025-09). fgcalc gives $0.00553 per
 *   GB-hour where this quote gives $0.005536; the newer quote is kept, the two differ by 0.1 %.
 *
 * Any other region has no sourced figure and is priced "unknown", never at another region's
 * price (a wrong figure is worse than none). Among them are the commercial regions fgcalc does
 * not list: ap-northeast-3, and those opened after January 2021 (ap-east-2, ap-south-2,
 * ap-southeast-3, -4, -5 and -7, ca-west-1, eu-central-2, eu-south-2, il-central-1,
 * me-central-1, mx-central-1, and any newer). A figure belongs here only with a source named above.
 */
export interface FargatePrice {
  /** USD per vCPU-hour. */
  readonly vcpuHour: number;
  /** USD per GB-hour. */
  readonly gbHour: number;
  /** Where the figures come from, as the cost line shows it. */
  readonly source: string;
}

const SOURCES = {
  fgcalc: 'official price page as transcribed by theuves/fgcalc, 2021-01',
  'quotes-2026': 'vantage.sh, wring.co and factualminds quotes, 2026',
  'clyr-2025': 'clyr.co.jp quote, 2025-09',
} as const;

type Row = readonly [vcpuHour: number, gbHour: number, source: keyof typeof SOURCES];

const PRICES: Readonly<Record<string, Row>> = {
  'af-south-1': [0.0546, 0.006, 'fgcalc'],
  'ap-east-1': [0.0556, 0.0061, 'fgcalc'],
  'ap-northeast-1': [0.05056, 0.005536, 'clyr-2025'],
  'ap-northeast-2': [0.04656, 0.00511, 'fgcalc'],
  'ap-south-1': [0.04256, 0.004655, 'fgcalc'],
  'ap-southeast-1': [0.05056, 0.00553, 'fgcalc'],
  'ap-southeast-2': [0.04856, 0.00532, 'fgcalc'],
  'ca-central-1': [0.04456, 0.004865, 'fgcalc'],
  'eu-central-1': [0.04656, 0.00511, 'fgcalc'],
  'eu-north-1': [0.0445, 0.0049, 'fgcalc'],
  'eu-south-1': [0.0486, 0.0053, 'fgcalc'],
  'eu-west-1': [0.04048, 0.004445, 'fgcalc'],
  'eu-west-2': [0.04656, 0.00511, 'fgcalc'],
  'eu-west-3': [0.0486, 0.0053, 'fgcalc'],
  'me-south-1': [0.0526, 0.0058, 'fgcalc'],
  'sa-east-1': [0.0696, 0.0076, 'fgcalc'],
  'us-east-1': [0.04048, 0.004445, 'quotes-2026'],
  'us-east-2': [0.04048, 0.004445, 'fgcalc'],
  'us-west-1': [0.04656, 0.00511, 'fgcalc'],
  'us-west-2': [0.04048, 0.004445, 'fgcalc'],
};

/** Every region with a sourced price, in name order. */
export const PRICED_REGIONS: readonly string[] = Object.keys(PRICES).sort();

/** Fargate's Linux/x86 on-demand price in `region`, or undefined when no source gives one. */
export function fargatePrice(region: string): FargatePrice | undefined {
  const row = Object.hasOwn(PRICES, region) ? PRICES[region] : undefined;
  return row && { vcpuHour: row[0], gbHour: row[1], source: SOURCES[row[2]] };
}
