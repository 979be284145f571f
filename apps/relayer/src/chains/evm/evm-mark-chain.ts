import type { Hex } from '@ccr/messages';
import { type JsonRpcProvider, toQuantity } from 'ethers';
import type { ChainConfig } from '../../config/config.schema';
import { RelayerError } from '../../common/relayer-error';
import type { AssetRef, MarkChain, MarkSnapshot, ReceiverAssetConfig, SentMarks } from '../../marks/mark-chain';
import type { OnChainMark } from '../../marks/decide-mark';
import type { SimulationResult, TxReceipt } from '../destination-submitter';
import { ChainRpcError } from '../chain-errors';
import { EvmSubmitter, receiverInterface } from './evm-submitter';
import type { RpcPool } from './rpc-pool';

/** A `submitMarks` broadcast the node refused (its nonce taken meanwhile, or too cheap): sent again next round. */
export class MarksBroadcastError extends RelayerError {
  override readonly name = 'MarksBroadcastError' as const;
  constructor(readonly outcome: string, readonly hash: string) {
    super(`submitMarks broadcast refused: ${outcome}`, { details: { outcome, hash } });
  }
}

/** Gas limit = the estimate × 1.2 (the poster's margin for a first batch). */
const GAS_MARGIN_NUM = 12n;
const GAS_MARGIN_DEN = 10n;

/**
 * The marker's side of the derivatives chain on EVM: `markOf` / `assetConfig` reads through the chain's RpcPool (all at
 * one block number, one eth_call each, in parallel), and `submitMarks` sent from the marker's own account (an
 * EvmSubmitter of the receiver with the marks key: simulation with decoded reverts, explicit-nonce signing, broadcast,
 * receipts).
 */
export class EvmMarkChain implements MarkChain {
  readonly receiver: string;
  readonly chainId: number;
  private readonly submitter: EvmSubmitter;

  constructor(
    private readonly chain: ChainConfig,
    private readonly pool: RpcPool,
    senderKey: string,
  ) {
    if (chain.receiver === undefined) throw new ChainRpcError(chain.name, 'submitMarks', new Error('no receiver configured'));
    this.receiver = chain.receiver;
    this.chainId = chain.chainId;
    this.submitter = new EvmSubmitter(chain.name, chain.chainId, chain.receiver, pool, senderKey, 'receiver');
  }

  get senderAddress(): string {
    return this.submitter.posterAddress;
  }

  async read(assets: readonly AssetRef[]): Promise<MarkSnapshot> {
    // send() is untyped: eth_getBlockByNumber answers a block (hex quantities) or null
    const block = await this.rpc('eth_getBlockByNumber(latest)', (p) => p.send('eth_getBlockByNumber', ['latest', false]) as Promise<{ number: string; timestamp: string } | null>);
    if (block === null) throw new ChainRpcError(this.chain.name, 'eth_getBlockByNumber(latest)', new Error('no latest block'));
    const tag = toQuantity(BigInt(block.number));
    const call = async (fn: 'markOf' | 'assetConfig', a: AssetRef): Promise<readonly unknown[]> => {
      const data = receiverInterface.encodeFunctionData(fn, [a.srcEid, a.asset]);
      // send() is untyped: eth_call answers the return data as a hex string
      const result = await this.rpc(fn, (p) => p.send('eth_call', [{ to: this.receiver, data }, tag]) as Promise<string>);
      return receiverInterface.decodeFunctionResult(fn, result);
    };
    const [marks, configs] = await Promise.all([
      Promise.all(assets.map(async (a): Promise<OnChainMark> => {
        const [price, haircut, timestamp, nonce] = await call('markOf', a); // (uint128, uint64, uint64, uint64)
        return { price: BigInt(price as bigint), haircut: BigInt(haircut as bigint), timestamp: BigInt(timestamp as bigint), nonce: BigInt(nonce as bigint) };
      })),
      Promise.all(assets.map(async (a): Promise<ReceiverAssetConfig> => {
        const [registered, decimals, heartbeat, cap] = await call('assetConfig', a); // (bool, uint8, uint32, uint128)
        return { registered: Boolean(registered), decimals: Number(decimals), heartbeat: BigInt(heartbeat as bigint), cap: BigInt(cap as bigint) };
      })),
    ]);
    return { blockNumber: Number(block.number), blockTimestamp: BigInt(block.timestamp), marks, configs };
  }

  encode(marks: Hex, validUntil: bigint, signatures: Hex): Buffer {
    return Buffer.from(receiverInterface.encodeFunctionData('submitMarks', [marks, validUntil, signatures]).slice(2), 'hex');
  }

  simulate(calldata: Buffer): Promise<SimulationResult> {
    return this.submitter.simulate(calldata);
  }

  async send(calldata: Buffer, gasEstimate: bigint): Promise<SentMarks> {
    const [nonce, fees] = await Promise.all([this.submitter.pendingNonce(), this.submitter.fees()]);
    const signed = this.submitter.sign(calldata, nonce, (gasEstimate * GAS_MARGIN_NUM) / GAS_MARGIN_DEN, fees);
    const outcome = await this.submitter.broadcast(signed.raw);
    if (outcome !== 'sent' && outcome !== 'known') throw new MarksBroadcastError(outcome, signed.hash);
    return { hash: signed.hash, nonce };
  }

  waitForReceipt(hash: string, timeoutMs: number): Promise<TxReceipt | null> {
    return this.submitter.waitForReceipt(hash, timeoutMs);
  }

  hasTransaction(hash: string): Promise<boolean> {
    return this.submitter.hasTransaction(hash);
  }

  private rpc<T>(what: string, call: (provider: JsonRpcProvider) => Promise<T>): Promise<T> {
    return this.pool.read(what, call);
  }
}
