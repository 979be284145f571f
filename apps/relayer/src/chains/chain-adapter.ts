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
  /** The same bound, with its hash when the chain's answer carried it (the `finalized` tag's block); else hash null. */
  finalityBound(): Promise<BlockRef>;
  /**
   * The watched contract's outbound nonce towards (dstEid, to) at `block` — a vault's towards the receiver (its locks
   * and release results), the receiver's towards a vault (its withdrawals); 0 before the contract exists.
   */
  outboundNonce(dstEid: number, to: string, block: number): Promise<bigint>;
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
  /** Latest round of a price feed on this chain (FeedMissingError: no code there; FeedCallError: it reverted or answered garbage). */
  readFeed(address: string): Promise<FeedReading>;
  /** A token's `decimals()` on this chain; null when it has none (no code, reverts, or does not answer a uint8). */
  tokenDecimals(token: string): Promise<number | null>;
  /** Source chains: the watched vault's books of `token` at `block` (solvency/). */
  vaultHoldings(token: string, block: number): Promise<VaultHoldings>;
  /** The derivatives chain: the receiver's book of (srcEid, asset) and its lastNonce for (srcEid, vault), at `block` (solvency/). */
  receiverBook(srcEid: number, vault: string, asset: string, block: number): Promise<ReceiverBook>;
  /** The derivatives chain: the receiver's registration of (srcEid, asset) (boot check). */
  receiverAsset(srcEid: number, asset: string): Promise<ReceiverAsset>;
  /** The native balance (wei, lamports) of an account in the chain's notation: what its poster has to pay fees with. */
  nativeBalance(address: string): Promise<bigint>;
  /** Status of each configured RPC endpoint, in config order. */
  rpcStatus(): ProviderStatus[];
  /** Asks every endpoint for its head, so /health shows fresh statuses and deprioritized endpoints can recover. */
  probe(): Promise<void>;
}

/** A block by number, and its hash when known (lowercase 0x). */
export type BlockRef = { number: number; hash: string | null };

/** What a vault holds of one token at one block: the amount its books say is locked, and its token balance. */
export type VaultHoldings = {
  /** `assets(token).totalLocked`: locked minus released, token base units. */
  totalLocked: bigint;
  /** The token's `balanceOf(vault)`. */
  balance: bigint;
};

/** What the receiver owes on (srcEid, asset) at one block, and how far it applied the vault's path. */
export type ReceiverBook = {
  /** Credited across all accounts, raw (token base units). */
  credited: bigint;
  /** Frozen by withdrawals and refunds requested and not settled (a failed refund stays frozen), raw. */
  frozen: bigint;
  /** `lastNonce(srcEid, vault)`: the last message applied on the path. */
  lastNonce: bigint;
};

/** The receiver's registration of a source chain's asset. */
export type ReceiverAsset = { registered: boolean; decimals: number };

/** Chain families with an adapter (chain-registry.ts builds one per configured chain by family). */
export type ChainFamily = 'evm' | 'solana';
