/**
 * What the live-book stress reads from the derivatives chain's receiver, chain-neutral (addresses as lowercase bytes32).
 * Every read of one snapshot names the same block, so marks, tiers and positions are one state of the receiver.
 * EVM: chains/evm/evm-book-chain.ts.
 */
export type BookBlock = { number: number; /** Unix seconds. */ timestamp: bigint };

/** A size tier as the receiver keeps it; `upTo` null is the open end (type(uint128).max on EVM). */
export type ReceiverSizeTier = { upTo: bigint | null; weight: bigint };

/** One registered asset: its registration, size tiers and current mark, and whether the receiver calls the mark stale. */
export type ReceiverAssetState = {
  srcEid: number;
  asset: string;
  decimals: number;
  /** Seconds a mark stays fresh. */
  heartbeat: bigint;
  tiers: ReceiverSizeTier[];
  /** All zero before the first mark. */
  mark: { price: bigint; haircut: bigint; timestamp: bigint; nonce: bigint };
  /** The receiver's own `stale` (missing, or older than the heartbeat at the block read). */
  stale: boolean;
};

/** One entry of the receiver's `positions(account)`, valued by the receiver at its mark. */
export type ReceiverPosition = { srcEid: number; asset: string; rawAmount: bigint; frozen: bigint; value: bigint; stale: boolean };

export interface BookChain {
  /** The chain's latest block: the snapshot's block. */
  latestBlock(): Promise<BookBlock>;
  /** Every asset registered on the receiver at `block`, in registration order. */
  assets(block: number): Promise<ReceiverAssetState[]>;
  /** The account's non-empty positions at `block`. */
  positions(account: string, block: number): Promise<ReceiverPosition[]>;
}
