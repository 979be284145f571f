import type { ProviderStatus } from './evm/rpc-pool';

/** One RPC endpoint's health (see chains/evm/rpc-pool.ts). */
export type { ProviderStatus };

/**
 * What the pipeline needs from a chain, independent of the chain family. Addresses are 0x-prefixed lowercase
 * bytes32 (an EVM address left-padded, a Solana key as its 32 bytes); block numbers are heights/slots.
 */
export type LockEvent = {
  guid: string;
  srcEid: number;
  srcVault: string;
  dstEid: number;
  nonce: bigint;
  depositor: string;
  account: string;
  token: string;
  amount: bigint;
  blockNumber: number;
  blockHash: string;
  txHash: string;
  logIndex: number;
};

/** A Chainlink-style `latestRoundData` reading, with the feed's decimals. */
export type FeedReading = {
  roundId: bigint;
  answer: bigint;
  decimals: number;
  /** Unix seconds. */
  updatedAt: bigint;
  /** Timestamp of the block the reading was taken at (the chain's own "now"). */
  blockTimestamp: bigint;
};

export interface ChainAdapter {
  readonly name: string;
  readonly eid: number;
  readonly family: 'evm';
  /** Latest block. */
  head(): Promise<number>;
  /** Highest block that counts as final under the chain's configured finality mode. */
  finalizedCursor(): Promise<number>;
  /** The configured vault's lock events in [fromBlock, toBlock] (inclusive; callers keep ranges to the chunk size). */
  fetchLocks(fromBlock: number, toBlock: number): Promise<LockEvent[]>;
  /** Hash of a canonical block (lowercase 0x), null when the chain has no such block (yet). */
  blockHash(block: number): Promise<string | null>;
  /** The configured vault's lock events carrying one of these GUIDs, in [fromBlock, toBlock]. */
  fetchLocksByGuid(guids: readonly string[], fromBlock: number, toBlock: number): Promise<LockEvent[]>;
  /** Latest round of a price feed on this chain. */
  readFeed(address: string): Promise<FeedReading>;
  /** Status of each configured RPC endpoint, in config order. */
  rpcStatus(): ProviderStatus[];
  /** Asks every endpoint for its head, so /health shows fresh statuses and deprioritized endpoints can recover. */
  probe(): Promise<void>;
}
