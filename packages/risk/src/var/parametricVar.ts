import { InvalidInputError } from '../errors';
import { join } from '../fieldPath';
import { type Fixed, fromFloat, toFloat } from '../money/fixed';
import { validateCorrelationMatrix } from './correlation';
import { inverseNormalCdf } from './inverseNormalCdf';

export type VarAsset = {
  readonly symbol: string;
  /** Annualised volatility of the asset's price (0.6 = 60%). */
  readonly annualVol: number;
};

export type VarExposure = {
  readonly asset: string;
  /** Signed USD exposure (Fixed): long spot + long perp positive, short negative. Same-asset exposures net. */
  readonly usd: Fixed;
};

export type ParametricVarParameters = {
  /** Risk factors, in the order of the correlation matrix. */
  readonly assets: readonly VarAsset[];
  /** n×n correlation matrix in the order of `assets`. */
  readonly correlation: readonly (readonly number[])[];
  readonly exposures: readonly VarExposure[];
  /** One-sided confidence, e.g. 0.99. */
  readonly confidence: number;
  /** Horizon in days (365-day year). */
  readonly horizonDays: number;
};

export type ParametricVarResult = {
  /** z · √(wᵀΣw) · √(h/365), rounded UP (a requirement). */
  readonly valueAtRisk: Fixed;
  readonly z: number;
  /** √(wᵀΣw): one-year standard deviation of the account's USD value. */
  readonly annualStdDevUsd: number;
  /** Net USD exposure per asset, in the order of `assets`. */
  readonly netExposures: readonly Fixed[];
};

/**
 * Parametric (delta-normal) VaR of a multi-asset account: VaR = z · √(wᵀ Σ w) · √(h / 365), with
 * wᵢ = net USD exposure to asset i and Σᵢⱼ = σᵢ ρᵢⱼ σⱼ. The correlation matrix is validated and must be
 * positive semidefinite (NonPositiveDefiniteMatrixError otherwise). Float maths inside; the result rounds up.
 */
export function parametricVar(parameters: ParametricVarParameters): ParametricVarResult {
  const { assets, exposures } = parameters;
  const n = assets.length;
  const index = new Map<string, number>();
  assets.forEach((asset, i) => {
    const field = join(join('assets', i), 'annualVol');
    if (!Number.isFinite(asset.annualVol) || asset.annualVol < 0) throw new InvalidInputError('volatility must be a finite number ≥ 0', { field });
    if (index.has(asset.symbol)) throw new InvalidInputError(`duplicate asset ${asset.symbol}`, { field: join(join('assets', i), 'symbol') });
    index.set(asset.symbol, i);
  });
  if (!Number.isFinite(parameters.horizonDays) || parameters.horizonDays <= 0)
    throw new InvalidInputError('horizonDays must be a positive number', { field: 'horizonDays' });
  const L = validateCorrelationMatrix(parameters.correlation, n);
  const z = inverseNormalCdf(parameters.confidence);

  const net: Fixed[] = new Array<Fixed>(n).fill(0n);
  exposures.forEach((e, k) => {
    const i = index.get(e.asset);
    if (i === undefined) throw new InvalidInputError(`no volatility/correlation for asset ${e.asset}`, { field: join(join('exposures', k), 'asset') });
    net[i] = net[i]! + e.usd;
  });

  // wᵀΣw = ‖Lᵀ s‖² with s = w ∘ σ (Σ = D R D, R = L Lᵀ): a sum of squares, never negative.
  const s = net.map((w, i) => toFloat(w) * assets[i]!.annualVol);
  let variance = 0;
  for (let j = 0; j < n; j++) {
    let y = 0;
    for (let i = j; i < n; i++) y += L[i]![j]! * s[i]!;
    variance += y * y;
  }
  const annualStdDevUsd = Math.sqrt(variance);
  const valueAtRisk = fromFloat(Math.max(0, z) * annualStdDevUsd * Math.sqrt(parameters.horizonDays / 365), 'up');
  return { valueAtRisk, z, annualStdDevUsd, netExposures: net };
}
