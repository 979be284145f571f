import type { MessageKind } from '../store/message-kind';
import type { ProviderStatus } from './evm/rpc-pool';

/** One RPC endpoint's health (see chains/evm/rpc-pool.ts). */
export type { ProviderStatus };

/**
 * What the pipeline needs from a chain, independent of the chain family. Addresses are 0x-prefixed lowercase
 * bytes32 (an EVM address left-padded, a Solana key as its 32 bytes); block numbers are heights/slots.
 */
export type LockEvent = {
  /** Which message this event starts: a lock → credit, a withdrawal request → withdrawal, a release → result. */
  kind: MessageKind;
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
  /** The contract the packet goes to on dstEid (bytes32), when the event names it (results, withdrawals). */
  receiver: string | null;
  /** Withdrawal: who is paid on the source chain. */
  recipient: string | null;
  /** Withdrawal: the voided deposit nonce it refunds; null for an ordinary withdrawal. */
  voidedNonce: bigint | null;
  /** Release result: the withdrawal it answers, and 1 released / 2 failed. */
  withdrawalGuid: string | null;
  withdrawalNonce: bigint | null;
  releaseStatus: number | null;
};

/** Every message a chain's watched contract emits, normalised (a lock is the first kind; see store/message-kind.ts). */
export type ChainMessage = LockEvent;

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
  readonly family: ChainFamily;
  /** Latest block. */
  head(): Promise<number>;
  /** Highest block that counts as final under the chain's configured finality mode. */
  finalizedCursor(): Promise<number>;
  /**
   * The messages the chain's watched contract emitted in [fromBlock, toBlock] (inclusive; callers keep ranges to the
   * chunk size): a source chain's vault — locks and release results; the derivatives chain's receiver — withdrawal
   * requests (refunds included).
   */
  fetchMessages(fromBlock: number, toBlock: number): Promise<ChainMessage[]>;
  /** Hash of a canonical block (lowercase 0x), null when the chain has no such block (yet). */
  blockHash(block: number): Promise<string | null>;
  /** The watched contract's messages carrying one of these GUIDs, in [fromBlock, toBlock]. */
  fetchMessagesByGuid(guids: readonly string[], fromBlock: number, toBlock: number): Promise<ChainMessage[]>;
  /** Latest round of a price feed on this chain. */
  readFeed(address: string): Promise<FeedReading>;
  /** Status of each configured RPC endpoint, in config order. */
  rpcStatus(): ProviderStatus[];
  /** Asks every endpoint for its head, so /health shows fresh statuses and deprioritized endpoints can recover. */
  probe(): Promise<void>;
}

/** Chain families with an adapter (chain-registry.ts builds one per configured chain by family). */
export type ChainFamily = 'evm';
