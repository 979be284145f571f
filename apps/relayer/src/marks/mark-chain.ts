import type { Hex } from '@ccr/messages';
import type { SimulationResult, TxReceipt } from '../chains/destination-submitter';
import type { OnChainMark } from './decide-mark';

/** An asset as the receiver names it: its source chain's eid and the token as bytes32 (0x lowercase). */
export type AssetRef = { srcEid: number; asset: string };

/** An asset's registration on the receiver (`assetConfig`). */
export type ReceiverAssetConfig = {
  registered: boolean;
  decimals: number;
  /** Seconds a mark stays fresh for the receiver's consumers (`collateralValue` is `stale` after it). */
  heartbeat: bigint;
  cap: bigint;
};

/** Every asset's mark and registration, read at one block, with that block's time. */
export type MarkSnapshot = {
  blockNumber: number;
  /** Unix seconds of that block. */
  blockTimestamp: bigint;
  /** In the order of the assets asked for. */
  marks: OnChainMark[];
  configs: ReceiverAssetConfig[];
};

/** A `submitMarks` transaction signed and broadcast. */
export type SentMarks = { hash: string; nonce: number };

/**
 * What the marker needs from the derivatives chain: the receiver's marks and asset registrations, and a sending
 * account of its own for `submitMarks` (never the credit poster's, so their account nonces cannot race).
 * Chain-neutral: chains/evm/evm-mark-chain.ts implements it for EVM chains; marks/testing/fake-mark-chain.fixture.ts
 * in memory for unit tests.
 */
export interface MarkChain {
  /** The receiver, in the chain's notation (the EIP-712 verifyingContract). */
  readonly receiver: string;
  readonly chainId: number;
  /** The marker's sending account. */
  readonly senderAddress: string;
  /** `markOf` and `assetConfig` of every asset at the latest block. */
  read(assets: readonly AssetRef[]): Promise<MarkSnapshot>;
  /** The `submitMarks(marks, validUntil, signatures)` calldata. */
  encode(marks: Hex, validUntil: bigint, signatures: Hex): Buffer;
  /** Simulates the calldata from the sending account at the pending block: its gas, or the decoded revert (never thrown). */
  simulate(calldata: Buffer): Promise<SimulationResult>;
  /** Signs the calldata (gas limit: the simulation's estimate with a margin) with the account's next pending nonce and current fees, and broadcasts it. */
  send(calldata: Buffer, gasEstimate: bigint): Promise<SentMarks>;
  /** Polls the receipt until it exists or `timeoutMs` passed (null). */
  waitForReceipt(hash: string, timeoutMs: number): Promise<TxReceipt | null>;
  /** True when the node knows the transaction (pending or mined). */
  hasTransaction(hash: string): Promise<boolean>;
}
