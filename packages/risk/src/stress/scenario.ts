import type { Fixed } from '../money/fixed';

/** A stablecoin loses its peg: `asset` is valued at `price` (e.g. USDC at 0.90). */
export type DepegScenario = { readonly kind: 'stablecoin-depeg'; readonly name?: string; readonly asset: string; readonly price: Fixed };

/**
 * An oracle fails for `asset`: `zero` values it at 0 (the feed is gone, nothing can be trusted); `last-good` values it
 * at the last good price (default: the current one) less a penalty fraction (e.g. 0.10), for an outage with a
 * known recent price; `refused` stops its price (no new mark: the receiver reports it stale and a venue refuses the
 * value): on the live book (stressLiveBook) its positions count 0 and the accounts holding it are flagged stale; in
 * `stressBook` (no staleness there) it is valued at 0, like `zero`.
 */
export type OracleFailureScenario =
  | { readonly kind: 'oracle-failure'; readonly name?: string; readonly asset: string; readonly mode: 'zero' }
  | { readonly kind: 'oracle-failure'; readonly name?: string; readonly asset: string; readonly mode: 'refused' }
  | {
      readonly kind: 'oracle-failure';
      readonly name?: string;
      readonly asset: string;
      readonly mode: 'last-good';
      readonly lastGoodPrice?: Fixed;
      readonly penalty: Fixed;
    };

/**
 * Tail price shocks. `shocks` are primary moves (signed fractions: −0.30 = price × 0.70). A `follower` is a
 * correlated or secondary asset that moves with a primary `driver`, dampened: its shock = driver's shock × dampening
 * (dampening ∈ [0, 1]; 1 = moves one for one, e.g. stETH with ETH; 0.5 = half the move). Assets neither shocked nor
 * following keep their price. A follower's driver must be a primary shock.
 */
export type SpotShockScenario = {
  readonly kind: 'spot-shock';
  readonly name?: string;
  readonly shocks: readonly { readonly asset: string; readonly shock: Fixed }[];
  readonly followers?: readonly { readonly asset: string; readonly driver: string; readonly dampening: Fixed }[];
};

/** Several scenarios at once, applied in order (e.g. ETH −30% while USDC depegs to 0.95). */
export type CombinedScenario = { readonly kind: 'combined'; readonly name?: string; readonly steps: readonly StressScenario[] };

export type StressScenario = DepegScenario | OracleFailureScenario | SpotShockScenario | CombinedScenario;

/** `name` if given, else a generated one: `spot-shock(ETH -0.3, BTC -0.2)`. */
export function scenarioName(s: StressScenario): string {
  if (s.name !== undefined) return s.name;
  switch (s.kind) {
    case 'stablecoin-depeg':
      return `stablecoin-depeg(${s.asset})`;
    case 'oracle-failure':
      return `oracle-failure(${s.asset}, ${s.mode})`;
    case 'spot-shock':
      return `spot-shock(${s.shocks.map((x) => x.asset).join(', ')})`;
    case 'combined':
      return s.steps.map(scenarioName).join(' + ');
  }
}
