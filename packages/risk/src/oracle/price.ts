import type { Fixed } from '../money/fixed';

/** One observation of a feed: USD per whole token (Fixed, 18 dp) at a unix time in seconds. */
export type OraclePrice = {
  readonly price: Fixed;
  /** Unix seconds when the feed published the price. */
  readonly timestamp: bigint;
  /** One standard error of the price, in USD (Pyth's `conf`), when the feed gives one. */
  readonly confidence?: Fixed;
  /** Feed name, for errors and logs. */
  readonly source?: string;
};
