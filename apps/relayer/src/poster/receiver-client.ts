import { Contract, Interface, type JsonRpcProvider, type TransactionReceipt, type TransactionResponse, Wallet, keccak256 } from 'ethers';
import { RECEIVER_ABI } from '../chains/evm/abis';
import { ChainRpcError } from '../chains/chain-errors';

export const receiverInterface = new Interface(RECEIVER_ABI);

/** A receiver custom error, decoded; `index` is the offending packet/signature when the error names one. */
export type DecodedRevert = { name: string; args: Record<string, string>; index: number | undefined; selector: string | undefined };

export type SimulationResult = { ok: true; gas: bigint } | { ok: false; revert: DecodedRevert };

export type SignedTx = { hash: string; raw: string; nonce: number };

/** MarginCreditReceiver on an EVM destination: reads, simulation, signing with an explicit nonce, broadcast, receipts. */
export class ReceiverClient {
  private readonly contract: Contract;
  readonly wallet: Wallet;

  constructor(
    readonly chainName: string,
    readonly chainId: number,
    readonly address: string,
    private readonly provider: JsonRpcProvider,
    posterKey: string,
  ) {
    this.contract = new Contract(address, RECEIVER_ABI, provider);
    this.wallet = new Wallet(posterKey, provider);
  }

  async lastNonce(srcEid: number, srcVault: string): Promise<bigint> {
    return this.rpc('lastNonce', async () => BigInt(await this.contract.getFunction('lastNonce').staticCall(srcEid, srcVault)));
  }

  /** staticCall then estimateGas, from the poster's address. A revert is decoded, never thrown. */
  async simulate(packets: string[], signatures: string[]): Promise<SimulationResult> {
    const fn = this.contract.getFunction('submitCredits');
    try {
      await fn.staticCall(packets, signatures, { from: this.wallet.address });
      const gas = await fn.estimateGas(packets, signatures, { from: this.wallet.address });
      return { ok: true, gas };
    } catch (error) {
      const revert = decodeRevert(error);
      if (revert === undefined) throw new ChainRpcError(this.chainName, 'submitCredits.staticCall', error);
      return { ok: false, revert };
    }
  }

  /** Signs submitCredits with an explicit account nonce; nothing is sent. The hash is known before broadcast. */
  async sign(packets: string[], signatures: string[], gasLimit: bigint): Promise<SignedTx> {
    const nonce = await this.rpc('eth_getTransactionCount', () => this.provider.getTransactionCount(this.wallet.address, 'pending'));
    const fee = await this.rpc('fee data', () => this.provider.getFeeData());
    const data = receiverInterface.encodeFunctionData('submitCredits', [packets, signatures]);
    const raw = await this.wallet.signTransaction({
      to: this.address,
      data,
      nonce,
      gasLimit,
      chainId: this.chainId,
      type: 2,
      maxFeePerGas: fee.maxFeePerGas ?? fee.gasPrice ?? 1_000_000_000n,
      maxPriorityFeePerGas: fee.maxPriorityFeePerGas ?? 0n,
    });
    return { hash: keccak256(raw), raw, nonce };
  }

  /** Broadcasts raw bytes. "already known" / "nonce too low" are reported, not thrown: the caller checks the receipt. */
  async broadcast(raw: string): Promise<'sent' | 'known' | 'nonce-used'> {
    try {
      await this.provider.broadcastTransaction(raw);
      return 'sent';
    } catch (error) {
      const text = String((error as { message?: unknown }).message ?? error).toLowerCase();
      if (text.includes('already known') || text.includes('already imported')) return 'known';
      if (text.includes('nonce too low') || text.includes('nonce has already been used')) return 'nonce-used';
      throw new ChainRpcError(this.chainName, 'eth_sendRawTransaction', error);
    }
  }

  receipt(hash: string): Promise<TransactionReceipt | null> {
    return this.rpc('eth_getTransactionReceipt', () => this.provider.getTransactionReceipt(hash));
  }

  transaction(hash: string): Promise<TransactionResponse | null> {
    return this.rpc('eth_getTransactionByHash', () => this.provider.getTransaction(hash));
  }

  waitForReceipt(hash: string, timeoutMs: number): Promise<TransactionReceipt | null> {
    return this.rpc('wait for receipt', async () => {
      try {
        return await this.provider.waitForTransaction(hash, 1, timeoutMs);
      } catch (error) {
        if ((error as { code?: unknown }).code === 'TIMEOUT') return null;
        throw error;
      }
    });
  }

  private async rpc<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
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
