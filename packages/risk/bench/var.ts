/**
 * Parametric VaR of a 20-asset account (validation + Cholesky + wᵀΣw), µs per call.
 * Run: `pnpm bench:risk` (all) or `npx tsx packages/risk/bench/var.ts`.
 */
import { performance } from 'node:perf_hooks';
import { parseDecimal as d } from '../src/money/fixed';
import { parametricVar, type ParametricVarParameters } from '../src/var';
import type { BenchRow } from './valuation';

const N = 20;

function account(): ParametricVarParameters {
  const assets = Array.from({ length: N }, (_, i) => ({ symbol: `A${i}`, annualVol: 0.3 + 0.05 * i }));
  // One-factor correlation: ρᵢⱼ = βᵢβⱼ (positive semidefinite by construction), unit diagonal.
  const beta = assets.map((_, i) => 0.3 + (0.6 * i) / N);
  const correlation = assets.map((_, i) => assets.map((__, j) => (i === j ? 1 : beta[i]! * beta[j]!)));
  const exposures = assets.map((a, i) => ({ asset: a.symbol, usd: (i % 3 === 0 ? -1n : 1n) * d(String(10_000 + 1_000 * i)) }));
  return { assets, correlation, exposures, confidence: 0.99, horizonDays: 1 };
}

export function run(): BenchRow[] {
  const input = account();
  for (let i = 0; i < 2_000; i++) parametricVar(input); // warm-up
  const iterations = 20_000;
  const t0 = performance.now();
  let last = 0n;
  for (let i = 0; i < iterations; i++) last = parametricVar(input).valueAtRisk;
  const ms = performance.now() - t0;
  return [
    {
      bench: 'var',
      metric: `parametric VaR, ${N} assets (validate + Cholesky + wᵀΣw)`,
      value: `${((ms * 1000) / iterations).toFixed(2)} µs/op (${iterations.toLocaleString('en-US')} ops, VaR ${(Number(last) / 1e18).toFixed(2)} USD)`,
    },
  ];
}

if (require.main === module) console.table(run());
