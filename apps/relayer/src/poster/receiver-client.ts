import { Contract, type ContractRunner, Interface, type JsonRpcProvider, Transaction, type TransactionReceipt, type TransactionResponse, Wallet, keccak256 } from 'ethers';
import { RECEIVER_ABI } from '../chains/evm/abis';
import { ChainRpcError } from '../chains/chain-errors';
import type { RpcPool } from '../chains/evm/rpc-pool';

export const receiverInterface = new Interface(RECEIVER_ABI);

/** A receiver custom error, decoded; `index` is the offending packet/signature when the error names one. */
export type DecodedRevert = { name: string; args: Record<string, string>; index: number | undefined; selector: string | undefined };

export type SimulationResult = { ok: true; gas: bigint } | { ok: false; revert: DecodedRevert };

export type SignedTx = { hash: string; raw: string; nonce: number; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

/** A receiver `Credited` event: which transaction credited a GUID. */
export type CreditedLog = { guid: string; txHash: string; blockNumber: number };

const CREDITED_TOPIC = receiverInterface.getEvent('Credited')!.topicHash;

/**
 * MarginCreditReceiver on an EVM destination: reads, simulation, signing with an explicit nonce, broadcast, receipts.
 * Every call goes through the destination's RpcPool (endpoint fallback); the wallet only signs, offline.
 */
export class ReceiverClient {
  readonly wallet: Wallet;

  constructor(
    readonly chainName: string,
    readonly chainId: number,
    readonly address: string,
    private readonly pool: RpcPool,
    posterKey: string,
  ) {
    this.wallet = new Wallet(posterKey);
  }

  private contract(runner: ContractRunner): Contract {
    return new Contract(this.address, RECEIVER_ABI, runner);
  }

  async lastNonce(srcEid: number, srcVault: string): Promise<bigint> {
    return this.rpc('lastNonce', async (p) => BigInt(await this.contract(p).getFunction('lastNonce').staticCall(srcEid, srcVault)));
  }

  /** staticCall then estimateGas, from the poster's address. A revert is decoded, never thrown. */
  async simulate(packets: string[], signatures: string[]): Promise<SimulationResult> {
    try {
      const gas = await this.pool.call('submitCredits.simulate', async (p) => {
        const fn = this.contract(p).getFunction('submitCredits');
        await fn.staticCall(packets, signatures, { from: this.wallet.address });
        return fn.estimateGas(packets, signatures, { from: this.wallet.address });
      });
      return { ok: true, gas };
    } catch (error) {
      const revert = decodeRevert(error);
      if (revert === undefined) throw error instanceof ChainRpcError ? error : new ChainRpcError(this.chainName, 'submitCredits.staticCall', error);
      return { ok: false, revert };
    }
  }

  /** `Credited` events of these GUIDs in [fromBlock, toBlock] (guid is the first indexed field: topic 1). */
  async creditedLogs(guids: readonly string[], fromBlock: number, toBlock: number): Promise<CreditedLog[]> {
    if (guids.length === 0 || toBlock < fromBlock) return [];
    const logs = await this.rpc('eth_getLogs(Credited)', (p) => p.getLogs({ address: this.address, topics: [CREDITED_TOPIC, [...guids]], fromBlock, toBlock }));
    return logs
      .filter((l) => l.address.toLowerCase() === this.address.toLowerCase() && !l.removed)
      .map((l) => ({ guid: (l.topics[1] ?? '').toLowerCase(), txHash: l.transactionHash.toLowerCase(), blockNumber: l.blockNumber }));
  }

  blockNumber(): Promise<number> {
    return this.pool.blockNumber();
  }

  /** Signs submitCredits with an explicit account nonce; nothing is sent. The hash is known before broadcast. */
  async sign(packets: string[], signatures: string[], gasLimit: bigint): Promise<SignedTx> {
    const nonce = await this.rpc('eth_getTransactionCount', (p) => p.getTransactionCount(this.wallet.address, 'pending'));
    const fee = await this.rpc('fee data', (p) => p.getFeeData());
    const data = receiverInterface.encodeFunctionData('submitCredits', [packets, signatures]);
    const maxFeePerGas = fee.maxFeePerGas ?? fee.gasPrice ?? 1_000_000_000n;
    const maxPriorityFeePerGas = fee.maxPriorityFeePerGas ?? 0n;
    const raw = await this.wallet.signTransaction({ to: this.address, data, nonce, gasLimit, chainId: this.chainId, type: 2, maxFeePerGas, maxPriorityFeePerGas });
    return { hash: keccak256(raw), raw, nonce, maxFeePerGas, maxPriorityFeePerGas };
  }

  /** The same transaction (to, data, nonce, gas limit) re-signed with other fees: a replacement. */
  async replace(raw: string, fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }): Promise<SignedTx> {
    const tx = Transaction.from(raw);
    const signed = await this.wallet.signTransaction({ to: tx.to, data: tx.data, nonce: tx.nonce, gasLimit: tx.gasLimit, chainId: tx.chainId, type: 2, ...fees });
    return { hash: keccak256(signed), raw: signed, nonce: tx.nonce, ...fees };
  }

  /** Broadcasts raw bytes. "already known" / "nonce too low" / "underpriced" are reported, not thrown: the caller checks receipts. */
  async broadcast(raw: string): Promise<'sent' | 'known' | 'nonce-used' | 'underpriced'> {
    try {
      await this.pool.call('eth_sendRawTransaction', (p) => p.broadcastTransaction(raw));
      return 'sent';
    } catch (error) {
      if (error instanceof ChainRpcError) throw error;
      const text = String((error as { message?: unknown }).message ?? error).toLowerCase();
      if (text.includes('already known') || text.includes('already imported')) return 'known';
      if (text.includes('nonce too low') || text.includes('nonce has already been used')) return 'nonce-used';
      if (text.includes('underpriced')) return 'underpriced';
      throw new ChainRpcError(this.chainName, 'eth_sendRawTransaction', error);
    }
  }

  receipt(hash: string): Promise<TransactionReceipt | null> {
    return this.rpc('eth_getTransactionReceipt', (p) => p.getTransactionReceipt(hash));
  }

  transaction(hash: string): Promise<TransactionResponse | null> {
    return this.rpc('eth_getTransactionByHash', (p) => p.getTransaction(hash));
  }

  /** Polls the receipt every `pollMs` until it exists or `timeoutMs` passed (null). */
  async waitForReceipt(hash: string, timeoutMs: number, pollMs = 200): Promise<TransactionReceipt | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const receipt = await this.receipt(hash);
      if (receipt !== null) return receipt;
      if (Date.now() >= deadline) return null;
      await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
    }
  }

  private async rpc<T>(what: string, call: (provider: JsonRpcProvider) => Promise<T>): Promise<T> {
    try {
      return await this.pool.call(what, call);
    } catch (error) {
      if (error instanceof ChainRpcError) throw error;
      throw new ChainRpcError(this.chainName, what, error);
    }
  }
}

/** Receiver errors whose `index` names a packet (the signature errors' index names a signature). */
const PACKET_ERRORS = new Set([
  'InvalidPacketLength',
  'UnsupportedPacketVersion',
  'WrongDstEid',
  'WrongReceiver',
  'GuidMismatch',
  'InvalidMessage',
  'MessageHeaderMismatch',
  'GuidAlreadyUsed',
  'UnexpectedNonce',
]);

/** Decodes a receiver custom error from an ethers call exception (`revert` when ethers parsed it, else `data`). */
export function decodeRevert(error: unknown): DecodedRevert | undefined {
  const e = error as { revert?: { name: string; args: unknown[] } | null; data?: unknown; info?: { error?: { data?: unknown } } };
  const data = typeof e.data === 'string' ? e.data : typeof e.info?.error?.data === 'string' ? e.info.error.data : undefined;
  if (data === undefined || data === '0x') return e.revert === undefined || e.revert === null ? undefined : { name: e.revert.name, args: {}, index: undefined, selector: undefined };
  const parsed = receiverInterface.parseError(data);
  if (parsed === null) return { name: 'UnknownError', args: { data }, index: undefined, selector: data.slice(0, 10) };
  const args: Record<string, string> = {};
  parsed.fragment.inputs.forEach((input, i) => {
    args[input.name] = String(parsed.args[i]);
  });
  const index = PACKET_ERRORS.has(parsed.name) ? Number(args.index) : undefined;
  return { name: parsed.name, args, index, selector: parsed.selector };
}
