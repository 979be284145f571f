import { Interface, type JsonRpcProvider, Transaction, type TransactionResponse, Wallet, keccak256, toQuantity } from 'ethers';
import { ChainRpcError } from '../chain-errors';
import type { BroadcastOutcome, CreditedLog, DecodedRevert, DestinationRole, DestinationSubmitter, Fees, SignedTx, SimulationResult, TxReceipt } from '../destination-submitter';
import { RECEIVER_ABI, VAULT_ABI } from './abis';
import { encodeCompactSubmit, encodeSubmit, submitSelector } from './encode-submit';
import { toBytes32 } from '../address-bytes32';
import type { RpcPool } from './rpc-pool';
import { signEip1559 } from './sign-eip1559';

export type { CreditedLog, DecodedRevert, SignedTx, SimulationResult, TxReceipt } from '../destination-submitter';

export const receiverInterface = new Interface(RECEIVER_ABI);
export const vaultInterface = new Interface(VAULT_ABI);

/** The contract a submitter posts to (destination-submitter.ts `DestinationRole`). */
export type TargetRole = DestinationRole;

/** Each contract's submit function and its calldata shape: the receiver takes messages only, the vault packets. */
const TARGETS: Readonly<Record<TargetRole, { iface: Interface; submit: string; inbound: string; encode: typeof encodeSubmit }>> = {
  receiver: { iface: receiverInterface, submit: 'submit', inbound: 'lastNonce', encode: encodeCompactSubmit },
  vault: { iface: vaultInterface, submit: 'submitReleases', inbound: 'inboundNonce', encode: encodeSubmit },
};

type RpcReceipt = { transactionHash: string; status: string; gasUsed: string; blockNumber: string };

const CREDITED_TOPIC = receiverInterface.getEvent('Credited')!.topicHash;

/**
 * The submitter of one destination contract on an EVM chain (the receiver, or a vault): reads, simulation, signing
 * with an explicit nonce, broadcast, receipts. Every call goes through the chain's RpcPool (endpoint fallback); the
 * wallet only signs, offline. The poster sees it as a `DestinationSubmitter` (chains/destination-submitter.ts).
 */
export class EvmSubmitter implements DestinationSubmitter {
  readonly wallet: Wallet;
  /** The destination contract as bytes32 (packets take it as is, without re-checksumming an address per packet). */
  readonly addressBytes32: string;
  private readonly target: (typeof TARGETS)[TargetRole];
  private readonly selector: Buffer;

  constructor(
    readonly chainName: string,
    readonly chainId: number,
    readonly address: string,
    private readonly pool: RpcPool,
    posterKey: string,
    readonly role: TargetRole = 'receiver',
  ) {
    this.wallet = new Wallet(posterKey);
    this.target = TARGETS[role];
    this.selector = submitSelector(this.target.iface, this.target.submit);
    this.addressBytes32 = toBytes32(address);
  }

  /** The poster account (checksummed EVM address). */
  get posterAddress(): string {
    return this.wallet.address;
  }

  /** The destination's inbound nonce of path (srcEid, sender): at the latest block, or at `block` (its finality bound). */
  async lastNonce(srcEid: number, sender: string, block?: number): Promise<bigint> {
    const fn = this.target.inbound;
    const data = this.target.iface.encodeFunctionData(fn, [srcEid, sender]);
    const tag = block === undefined ? 'latest' : toQuantity(block);
    // send() is untyped: eth_call answers the return data as a hex string
    const result = await this.rpc(fn, (p) => p.send('eth_call', [{ to: this.address, data }, tag]) as Promise<string>);
    // No code at that block (the finality bound is below the contract's deployment): nothing applied there yet.
    if (result === '0x') return 0n;
    return BigInt(this.target.iface.decodeFunctionResult(fn, result)[0] as bigint); // (uint64)
  }

  /** The submit calldata, encoded once per batch (simulated, signed and sent as the same bytes). */
  encode(packets: readonly string[], validUntil: bigint, signatures: readonly string[]): Buffer {
    return this.target.encode(this.selector, packets, validUntil, signatures);
  }

  /** Timestamp of the latest block (unix seconds): attestations expire relative to the chain's own clock. */
  async latestTimestamp(): Promise<bigint> {
    // send() is untyped: eth_getBlockByNumber answers a block (hex quantities) or null
    const block = await this.rpc('eth_getBlockByNumber(latest)', (p) => p.send('eth_getBlockByNumber', ['latest', false]) as Promise<{ timestamp: string } | null>);
    return block === null ? BigInt(Math.floor(Date.now() / 1000)) : BigInt(block.timestamp);
  }

  /**
   * The simulation: `eth_estimateGas` of the calldata from the poster's address at the `pending` block, so batches
   * already broadcast (in the node's pool, nonce-ordered) count. A revert there carries the same custom error data as
   * a staticCall and is decoded, never thrown.
   */
  async simulate(calldata: Buffer): Promise<SimulationResult> {
    const data = `0x${calldata.toString('hex')}`;
    try {
      // send() is untyped: eth_estimateGas answers a hex quantity
      const gas = await this.pool.call(`${this.target.submit}.estimateGas`, (p) => p.send('eth_estimateGas', [{ from: this.wallet.address, to: this.address, data }, 'pending']) as Promise<string>);
      return { ok: true, gas: BigInt(gas) };
    } catch (error) {
      const revert = decodeRevert(error, this.target.iface);
      if (revert === undefined) throw error instanceof ChainRpcError ? error : new ChainRpcError(this.chainName, `${this.target.submit}.estimateGas`, error);
      return { ok: false, revert };
    }
  }

  /**
   * eth_call of the calldata from the poster's address at the `pending` block with exactly `gas`: true means a
   * transaction with that gas limit succeeds there (one EVM execution; eth_estimateGas searches with several).
   * false for any answer of the node (revert, out of gas): the caller then asks `simulate`, whose verdict counts.
   */
  async succeedsWithGas(calldata: Buffer, gas: bigint): Promise<boolean> {
    const data = `0x${calldata.toString('hex')}`;
    try {
      await this.pool.call(`${this.target.submit}.call`, (p) => p.send('eth_call', [{ from: this.wallet.address, to: this.address, data, gas: toQuantity(gas) }, 'pending']));
      return true;
    } catch (error) {
      if (error instanceof ChainRpcError) throw error; // every endpoint failed: not an answer
      return false;
    }
  }

  /** The chain's `finalized` block number (-1 when it has none yet). */
  async finalizedBlock(): Promise<number> {
    // send() is untyped: eth_getBlockByNumber answers a block (hex quantities) or null before the chain has one
    const block = await this.rpc('eth_getBlockByNumber(finalized)', (p) => p.send('eth_getBlockByNumber', ['finalized', false]) as Promise<{ number: string } | null>);
    return block === null ? -1 : Number(block.number);
  }

  /** The latest block's gas limit: no transaction may ask for more. */
  async blockGasLimit(): Promise<bigint> {
    // send() is untyped: eth_getBlockByNumber answers a block (hex quantities) or null
    const block = await this.rpc('eth_getBlockByNumber(latest)', (p) => p.send('eth_getBlockByNumber', ['latest', false]) as Promise<{ gasLimit: string } | null>);
    return block === null ? 0n : BigInt(block.gasLimit);
  }

  /** The poster account's next nonce counting its pending transactions. */
  pendingNonce(): Promise<number> {
    return this.rpc('eth_getTransactionCount', (p) => p.getTransactionCount(this.wallet.address, 'pending'));
  }

  /** EIP-1559 fees for new transactions (read once per poster round). */
  async fees(): Promise<Fees> {
    const fee = await this.rpc('fee data', (p) => p.getFeeData());
    return { maxFeePerGas: fee.maxFeePerGas ?? fee.gasPrice ?? 1_000_000_000n, maxPriorityFeePerGas: fee.maxPriorityFeePerGas ?? 0n };
  }

  /** `Credited` events of these GUIDs in [fromBlock, toBlock] (guid is the first indexed field: topic 1). */
  async creditedLogs(guids: readonly string[], fromBlock: number, toBlock: number): Promise<CreditedLog[]> {
    if (guids.length === 0 || toBlock < fromBlock || this.role !== 'receiver') return [];
    const logs = await this.rpc('eth_getLogs(Credited)', (p) => p.getLogs({ address: this.address, topics: [CREDITED_TOPIC, [...guids]], fromBlock, toBlock }));
    return logs
      .filter((l) => l.address.toLowerCase() === this.address.toLowerCase() && !l.removed)
      .map((l) => ({ guid: (l.topics[1] ?? '').toLowerCase(), txHash: l.transactionHash.toLowerCase(), blockNumber: l.blockNumber }));
  }

  blockNumber(): Promise<number> {
    return this.pool.blockNumber();
  }

  /** Signs the calldata with an explicit account nonce and fees; nothing is sent. The hash is known before broadcast. */
  sign(data: Buffer, nonce: number, gasLimit: bigint, fees: Fees): SignedTx {
    const { raw, hash } = signEip1559(this.wallet.signingKey, { chainId: this.chainId, nonce, gasLimit, to: this.address, data, ...fees });
    return { hash, raw, nonce, ...fees };
  }

  /** The same transaction (to, data, nonce, gas limit) re-signed with other fees: a replacement. */
  async replace(raw: string, fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }): Promise<SignedTx> {
    const tx = Transaction.from(raw);
    const signed = await this.wallet.signTransaction({ to: tx.to, data: tx.data, nonce: tx.nonce, gasLimit: tx.gasLimit, chainId: tx.chainId, type: 2, ...fees });
    return { hash: keccak256(signed), raw: signed, nonce: tx.nonce, ...fees };
  }

  /** Broadcasts raw bytes. "already known" / "nonce too low" / "underpriced" are reported, not thrown: the caller checks receipts. */
  async broadcast(raw: string): Promise<BroadcastOutcome> {
    try {
      // The raw JSON-RPC call: broadcastTransaction would parse the bytes again and recover the sender.
      await this.pool.call('eth_sendRawTransaction', (p) => p.send('eth_sendRawTransaction', [raw]));
      return 'sent';
    } catch (error) {
      if (error instanceof ChainRpcError) throw error;
      // a node's rejection is an Error; its message is only read as unknown and stringified
      const text = String((error as { message?: unknown }).message ?? error).toLowerCase();
      if (text.includes('already known') || text.includes('already imported')) return 'known';
      if (text.includes('nonce too low') || text.includes('nonce has already been used')) return 'nonce-used';
      if (text.includes('underpriced')) return 'underpriced';
      throw new ChainRpcError(this.chainName, 'eth_sendRawTransaction', error);
    }
  }

  /** The receipt's settlement fields, from the raw JSON-RPC answer (ethers would format and checksum all its logs). */
  async receipt(hash: string): Promise<TxReceipt | null> {
    // send() is untyped: eth_getTransactionReceipt answers the JSON-RPC receipt, or null while not mined
    const raw = await this.rpc('eth_getTransactionReceipt', (p) => p.send('eth_getTransactionReceipt', [hash]) as Promise<RpcReceipt | null>);
    if (raw === null) return null;
    return { hash: raw.transactionHash.toLowerCase(), status: Number(raw.status), gasUsed: BigInt(raw.gasUsed), blockNumber: Number(raw.blockNumber) };
  }

  transaction(hash: string): Promise<TransactionResponse | null> {
    return this.rpc('eth_getTransactionByHash', (p) => p.getTransaction(hash));
  }

  /** True when the node knows the transaction (`eth_getTransactionByHash` answers it: pending or mined). */
  async hasTransaction(hash: string): Promise<boolean> {
    return (await this.transaction(hash)) !== null;
  }

  /** Polls the receipt every `pollMs` until it exists or `timeoutMs` passed (null). */
  async waitForReceipt(hash: string, timeoutMs: number, pollMs = 200): Promise<TxReceipt | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const receipt = await this.receipt(hash);
      if (receipt !== null) return receipt;
      if (Date.now() >= deadline) return null;
      await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
    }
  }

  private rpc<T>(what: string, call: (provider: JsonRpcProvider) => Promise<T>): Promise<T> {
    return this.pool.read(what, call);
  }
}

/** Errors whose `index` names a signature, not a packet. */
const SIGNATURE_ERRORS = new Set(['InvalidSignature', 'MalleableSignature', 'SignerNotAttester', 'DuplicateSigner', 'SignersNotOrdered']);

/**
 * Decodes a destination contract's custom error from an ethers call exception (`revert` when ethers parsed it, else
 * `data`) with that contract's ABI. `index` is the offending packet when the error names one (its first argument
 * `index`, for every error but the signature ones).
 */
export function decodeRevert(error: unknown, iface: Interface = receiverInterface): DecodedRevert | undefined {
  // ethers' CallExceptionError fields, all optional; data is typeof-checked before use
  const e = error as { revert?: { name: string; args: unknown[] } | null; data?: unknown; info?: { error?: { data?: unknown } } };
  const data = typeof e.data === 'string' ? e.data : typeof e.info?.error?.data === 'string' ? e.info.error.data : undefined;
  if (data === undefined || data === '0x') return e.revert === undefined || e.revert === null ? undefined : { name: e.revert.name, args: {}, index: undefined, selector: undefined };
  const parsed = iface.parseError(data);
  if (parsed === null) return { name: 'UnknownError', args: { data }, index: undefined, selector: data.slice(0, 10) };
  const args: Record<string, string> = {};
  parsed.fragment.inputs.forEach((input, i) => {
    args[input.name] = String(parsed.args[i]);
  });
  const index = args.index !== undefined && !SIGNATURE_ERRORS.has(parsed.name) ? Number(args.index) : undefined;
  return { name: parsed.name, args, index, selector: parsed.selector };
}
