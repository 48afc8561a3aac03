// Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity): a decimal number with
// an optional exponent, then a binary suffix (Ki..Ei), a decimal one (n, u, m, k, M..E) or none.
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

const MULTIPLIERS: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a quantity (`250m` → 0.25, `1Gi` → 1073741824), or undefined when it is not one. */
export function parseQuantity(quantity: string | number): number | undefined {
  if (typeof quantity === 'number') return Number.isFinite(quantity) && quantity >= 0 ? quantity : undefined;
  const match = QUANTITY.exec(quantity);
  if (!match) return undefined;
  const [, mantissa = '0', exponent, suffix = ''] = match;
  const value = Number(mantissa) * 10 ** Number(exponent ?? 0) * (MULTIPLIERS[suffix] ?? 1);
  return value >= 0 ? value : undefined;
}
