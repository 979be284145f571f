import type { Usd } from '../money/usd';

/** Collateral of one asset held on one chain, in that chain's token base units. */
export type CollateralPosition = {
  readonly asset: string;
  readonly chain: string;
  readonly amount: bigint;
  /** The token's decimals on that chain; default: the asset config's decimals. */
  readonly decimals?: number;
};

/** An account: collateral positions across chains and its debt (USD, Fixed; margin used, borrowed). */
export type Account = {
  readonly id: string;
  readonly positions: readonly CollateralPosition[];
  readonly debt: Usd;
};
