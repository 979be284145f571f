import { validateDecimals } from '../money/asset';
import { type Fixed, ONE, pow10 } from '../money/fixed';
import type { Usd } from '../money/usd';
import type { SizeTier } from './config';
import { weightedValueScaled } from './sizeTiers';
import type { PricedAsset } from './valueCollateral';

// Module-level copy: imported constants can be getters under CommonJS interop.
const UNIT_SQUARED: bigint = ONE * ONE;

/**
 * A priced asset at one token decimals, reduced to constants for the hot path of health checks (100,000 accounts
 * per tick). `kernelValue(kernel, amount)` equals `collateralValue(priced, amount, decimals)` bit for bit:
 *
 * ```
 * gross = floor(amount · price / 10^decimals)                    = floor(amount · grossNum / grossDen)
 * value = floor(tiers(gross) · (1 − haircut))   (scale 10^36 → 18)
 * ```
 *
 * Each fraction is reduced by its gcd once per tick (exact: a·(n/g) / (d/g) = a·n / d), so a price that is a
 * multiple of 10^-decimals USD (integer prices; 8-decimal oracle prices for tokens of ≤ 10 decimals) leaves
 * `grossDen = 1`: gross needs no division, and both floors collapse into one — value = floor(amount · directNum /
 * firstDen), one multiplication and one division per position. Otherwise gross is floored first, as documented:
 * floor(floor(x) · y) ≠ floor(x · y) in general, so the two steps are never merged then.
 *
 * While gross stays in the first tier (every position without tiers; amount ≤ `firstTierMaxAmount`) the tier walk
 * is skipped: tiers(gross) = gross · firstWeight.
 */
export type CollateralKernel = {
  readonly priced: PricedAsset;
  readonly decimals: number;
  readonly liquidationThreshold: Fixed;
  readonly ltv: Fixed;
  /** gross = floor(amount · grossNum / grossDen). */
  readonly grossNum: bigint;
  readonly grossDen: bigint;
  /** False when every amount stays in the first tier (no tiers, an open first tier, or a price of 0). */
  readonly bounded: boolean;
  /** The largest amount whose gross is ≤ the first tier's bound (when `bounded`). */
  readonly firstTierMaxAmount: bigint;
  /** In the first tier: value = floor(gross · firstNum / firstDen) = floor(gross · w₀ · (1 − h) / 10^36). */
  readonly firstNum: bigint;
  readonly firstDen: bigint;
  /** grossNum · firstNum: with grossDen = 1, value = floor(amount · directNum / firstDen). */
  readonly directNum: bigint;
  /** Above the first tier: value = floor(weightedValueScaled(gross, tiers) · tailNum / tailDen). */
  readonly tiers: readonly SizeTier[] | undefined;
  readonly tailNum: bigint;
  readonly tailDen: bigint;
};

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** n / d in lowest terms (d > 0, n ≥ 0); 0 / d → 0 / 1. */
function reduced(n: bigint, d: bigint): readonly [bigint, bigint] {
  const g = gcd(n, d);
  return [n / g, d / g];
}

/** Build the kernel of a priced asset at `decimals` (validated, integer in [0, 77]). */
export function buildCollateralKernel(priced: PricedAsset, decimals: number): CollateralKernel {
  validateDecimals(decimals);
  const config = priced.config;
  const [grossNum, grossDen] = reduced(priced.valuationPrice, pow10(decimals));
  const keep = ONE - priced.haircut; // 1 − h, in [0, 1]
  const first = config.tiers?.[0];
  const firstWeight = first?.weight ?? ONE;
  const [firstNum, firstDen] = reduced(firstWeight * keep, UNIT_SQUARED);
  const [tailNum, tailDen] = reduced(keep, UNIT_SQUARED);
  const bound = first?.upTo ?? null;
  // floor(a · n / d) ≤ b  ⇔  a · n < (b + 1) · d  ⇔  a ≤ floor(((b + 1) · d − 1) / n)   (n > 0)
  const bounded = bound !== null && grossNum > 0n;
  const firstTierMaxAmount = bounded ? ((bound + 1n) * grossDen - 1n) / grossNum : 0n;
  return {
    priced,
    decimals,
    liquidationThreshold: config.liquidationThreshold,
    ltv: config.ltv,
    grossNum,
    grossDen,
    bounded,
    firstTierMaxAmount,
    firstNum,
    firstDen,
    directNum: grossNum * firstNum,
    tiers: config.tiers,
    tailNum,
    tailDen,
  };
}

const kernels = new WeakMap<PricedAsset, Map<number, CollateralKernel>>();

/** The kernel of a priced asset at `decimals`, built once per priced asset (a new tick or scenario is a new PricedAsset). */
export function collateralKernel(priced: PricedAsset, decimals: number): CollateralKernel {
  let byDecimals = kernels.get(priced);
  if (byDecimals === undefined) {
    byDecimals = new Map();
    kernels.set(priced, byDecimals);
  }
  let kernel = byDecimals.get(decimals);
  if (kernel === undefined) {
    kernel = buildCollateralKernel(priced, decimals);
    byDecimals.set(decimals, kernel);
  }
  return kernel;
}

/**
 * The credited value of `amount` base units (≥ 0: bigint `/` truncates, which is floor only for non-negative
 * operands; callers check the sign): `collateralValue(kernel.priced, amount, kernel.decimals)`, exactly.
 */
export function kernelValue(kernel: CollateralKernel, amount: bigint): Usd {
  if (!kernel.bounded || amount <= kernel.firstTierMaxAmount) {
    if (kernel.grossDen === 1n) return kernel.firstDen === 1n ? amount * kernel.directNum : (amount * kernel.directNum) / kernel.firstDen;
    const gross = (amount * kernel.grossNum) / kernel.grossDen;
    return kernel.firstDen === 1n ? gross * kernel.firstNum : (gross * kernel.firstNum) / kernel.firstDen;
  }
  const gross = kernel.grossDen === 1n ? amount * kernel.grossNum : (amount * kernel.grossNum) / kernel.grossDen;
  return (weightedValueScaled(gross, kernel.tiers) * kernel.tailNum) / kernel.tailDen;
}
