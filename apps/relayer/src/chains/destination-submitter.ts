/**
 * The destination side of a chain, as the poster sees it: one contract that takes attested batches, and the account
 * that sends them there. Chain-neutral — the poster (poster/destination-poster.ts and its parts) only ever talks to
 * this interface; `chains/evm/evm-submitter.ts` implements it for EVM chains, `poster/testing/fake-destination.fixture.ts`
 * in memory for unit tests, and a Solana submitter would implement it next. Built by `ChainRegistry.submitter`.
 *
 * Addresses are the chain's own notation (`address`, `posterAddress`); `addressBytes32` is the contract as packets
 * name it (0x-prefixed lowercase bytes32).
 */

/**
 * The two contracts that take attested batches: the derivatives chain's receiver (`submit`: credits, voids, release
 * results; inbound nonce `lastNonce`) and a source chain's vault (`submitReleases`: withdrawals; `inboundNonce`).
 */
export type DestinationRole = 'receiver' | 'vault';

/** EIP-1559-style fee fields of one transaction, in the chain's smallest unit (wei). */
export type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

/** A destination custom error, decoded; `index` is the offending packet/signature when the error names one. */
export type DecodedRevert = { name: string; args: Record<string, string>; index: number | undefined; selector: string | undefined };

/** What a simulation of a batch's calldata says: the gas it takes, or the decoded error it would revert with. */
export type SimulationResult = { ok: true; gas: bigint } | { ok: false; revert: DecodedRevert };

/** A signed transaction: its hash (known before broadcast), raw bytes, account nonce and fees. */
export type SignedTx = { hash: string; raw: string; nonce: number; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

/** What settlement needs of a mined transaction. `status` 1: success. */
export type TxReceipt = { hash: string; status: number; gasUsed: bigint; blockNumber: number };

/** A receiver `Credited` event: which transaction credited a GUID. */
export type CreditedLog = { guid: string; txHash: string; blockNumber: number };

/**
 * What a broadcast got back: accepted (`sent`), already in the node's pool (`known`), its account nonce already mined
 * by another transaction (`nonce-used`), or refused as too cheap to replace the pending one (`underpriced`).
 */
export type BroadcastOutcome = 'sent' | 'known' | 'nonce-used' | 'underpriced';

/** The submitter of ONE destination contract: reads, simulation, signing with an explicit nonce, broadcast, receipts. */
export interface DestinationSubmitter {
  /** Which contract this is (decides the EIP-712 domain of its attestations). */
  readonly role: DestinationRole;
  /** The destination contract, in the chain's notation (an EVM address: the EIP-712 verifyingContract). */
  readonly address: string;
  /** The destination contract as packets name it (0x lowercase bytes32). */
  readonly addressBytes32: string;
  /** The poster account that signs and sends the transactions. */
  readonly posterAddress: string;

  /** The destination's inbound nonce of path (srcEid, sender): at the latest block, or at `block` (its finality bound). */
  lastNonce(srcEid: number, sender: string, block?: number): Promise<bigint>;
  /** The submit calldata of a batch (the first 4 bytes select the submit function). */
  encode(packets: readonly string[], validUntil: bigint, signatures: readonly string[]): Buffer;
  /** Simulates the calldata at the pending block: its gas, or the decoded revert (never thrown). */
  simulate(calldata: Buffer): Promise<SimulationResult>;
  /** True when a transaction of this calldata with exactly `gas` succeeds at the pending block; false for any refusal. */
  succeedsWithGas(calldata: Buffer, gas: bigint): Promise<boolean>;
  /** The latest block's gas limit: no transaction may ask for more. */
  blockGasLimit(): Promise<bigint>;
  /** The poster account's next nonce counting its pending transactions. */
  pendingNonce(): Promise<number>;
  /** Fees for new transactions. */
  fees(): Promise<Fees>;
  /** Timestamp of the latest block (unix seconds): attestations expire relative to the chain's own clock. */
  latestTimestamp(): Promise<bigint>;
  /** The chain's finalized block number (-1 when it has none yet). */
  finalizedBlock(): Promise<number>;
  /** The latest block number. */
  blockNumber(): Promise<number>;
  /** Signs the calldata with an explicit account nonce, gas limit and fees; nothing is sent. */
  sign(data: Buffer, nonce: number, gasLimit: bigint, fees: Fees): SignedTx;
  /** The same transaction (destination, data, nonce, gas limit) re-signed with other fees: a replacement. */
  replace(raw: string, fees: Fees): Promise<SignedTx>;
  /** Broadcasts raw signed bytes; the usual refusals are reported, not thrown. */
  broadcast(raw: string): Promise<BroadcastOutcome>;
  /** The receipt of a mined transaction, null while it is not mined (or unknown). */
  receipt(hash: string): Promise<TxReceipt | null>;
  /** True when the node knows the transaction (pending or mined). */
  hasTransaction(hash: string): Promise<boolean>;
  /** Polls the receipt until it exists or `timeoutMs` passed (null). */
  waitForReceipt(hash: string, timeoutMs: number, pollMs?: number): Promise<TxReceipt | null>;
  /** `Credited` events of these GUIDs in [fromBlock, toBlock] (none on a vault). */
  creditedLogs(guids: readonly string[], fromBlock: number, toBlock: number): Promise<CreditedLog[]>;
}
