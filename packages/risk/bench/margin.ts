/**
 * Scenario margin of a 100-option, 3-expiry account (plus base and a perp), "test" parameters (21 scenarios):
 * 100 × (21 + 3) Black-76 prices per evaluation. Prints mean and p99 over 2,000 runs after 200 warm-up runs.
 * `npx tsx packages/risk/bench/margin.ts`, or `run()` from the bench runner.
 */
import { scenarioMargin } from '../src/margin/scenarioMargin';
import type { Market, OptionPosition, Portfolio } from '../src/margin/types';
import { parseDecimal } from '../src/money/fixed';

const d = (x: string | number): bigint => parseDecimal(String(x));

export function benchAccount(): { portfolio: Portfolio; market: Market } {
  const expiries = [
    { expiry: '7d', secondsToExpiry: 7 * 86_400, forward: d('2001.5'), rate: 0.02, vol: 0.55 },
    { expiry: '30d', secondsToExpiry: 30 * 86_400, forward: d('2006.2'), rate: 0.025, vol: 0.5 },
    { expiry: '90d', secondsToExpiry: 90 * 86_400, forward: d('2019.8'), rate: 0.03, vol: 0.45 },
  ];
  const options: OptionPosition[] = [];
  for (let i = 0; i < 100; i++) {
    const e = expiries[i % 3]!;
    options.push({
      expiry: e.expiry,
      strike: d(1200 + 25 * (i % 64)), // 1200 … 2775
      kind: i % 2 === 0 ? 'call' : 'put',
      amount: d(((i * 7) % 11) - 5 === 0 ? 1 : ((i * 7) % 11) - 5), // −5 … +5, never 0
      ...(i % 10 === 0 ? { vol: 0.6 + (i % 7) / 100 } : {}),
    });
  }
  return {
    portfolio: { cash: d('50000'), base: d('3'), perp: { amount: d('-2.5'), entryPrice: d('1990') }, options },
    market: { spot: d('2000'), stablePrice: d('1'), perpPrice: d('2001'), spotConfidence: 0.9, expiries },
  };
}

export function run(): void {
  const { portfolio, market } = benchAccount();
  const warmUp = 200;
  const runs = 2_000;
  let sink = 0n;
  for (let i = 0; i < warmUp; i++) sink ^= scenarioMargin({ portfolio, market }).im;
  const times = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    sink ^= scenarioMargin({ portfolio, market }).im;
    times[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  times.sort();
  const mean = times.reduce((a, b) => a + b, 0) / runs;
  const p99 = times[Math.floor(runs * 0.99)]!;
  const r = scenarioMargin({ portfolio, market });
  console.log(
    `margin: scenario PM, 100 options / 3 expiries / 21 scenarios — mean ${mean.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms over ${runs} runs` +
      ` (IM ${(Number(r.im) / 1e18).toFixed(2)}, MM ${(Number(r.mm) / 1e18).toFixed(2)}; check ${sink & 1n})`,
  );
}

if (require.main === module) run();
