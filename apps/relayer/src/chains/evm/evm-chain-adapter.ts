import { Contract, FetchRequest, Interface, JsonRpcProvider, type Log } from 'ethers';
import type { ChainConfig } from '../../config/config.schema';
import type { ChainAdapter, FeedReading, LockEvent } from '../chain-adapter';
import { ChainRpcError } from '../chain-errors';
import { FEED_ABI, VAULT_ABI } from './abis';

const vaultInterface = new Interface(VAULT_ABI);
const LOCKED_TOPIC = vaultInterface.getEvent('Locked')!.topicHash;

/**
 * An ethers v6 JSON-RPC provider with no request cache (a cached nonce or head is wrong on fast chains), a per-call
 * timeout, no request batching (one slow call cannot hold up others) and 1 s receipt polling.
 */
export function makeProvider(chain: Pick<ChainConfig, 'rpcUrl' | 'chainId' | 'rpcTimeoutMs'>): JsonRpcProvider {
  const request = new FetchRequest(chain.rpcUrl);
  request.timeout = chain.rpcTimeoutMs;
  return new JsonRpcProvider(request, chain.chainId, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1, pollingInterval: 1000 });
}

/** EVM chain: the configured vault's `Locked` logs (by address and topic), finality by tag or confirmations, feeds by `latestRoundData`. */
export class EvmChainAdapter implements ChainAdapter {
  readonly family = 'evm' as const;
  readonly name: string;
  readonly eid: number;
  readonly provider: JsonRpcProvider;
  private readonly vault: string | undefined;
  private readonly feedDecimals = new Map<string, number>();

  constructor(private readonly chain: ChainConfig) {
    this.name = chain.name;
    this.eid = chain.eid;
    this.vault = chain.vault?.toLowerCase();
    this.provider = makeProvider(chain);
  }

  async head(): Promise<number> {
    return this.rpc('eth_blockNumber', () => this.provider.getBlockNumber());
  }

  async finalizedCursor(): Promise<number> {
    const finality = this.chain.finality;
    if (finality.mode === 'confirmations') return Math.max(-1, (await this.head()) - finality.confirmations);
    const block = await this.rpc('eth_getBlockByNumber(finalized)', () => this.provider.getBlock('finalized'));
    return block === null ? -1 : block.number;
  }

  async fetchLocks(fromBlock: number, toBlock: number): Promise<LockEvent[]> {
    const vault = this.vault;
    if (vault === undefined || toBlock < fromBlock) return [];
    const logs = await this.rpc('eth_getLogs', () => this.provider.getLogs({ address: vault, topics: [LOCKED_TOPIC], fromBlock, toBlock }));
    return logs.filter((log) => log.address.toLowerCase() === vault && !log.removed).map((log) => this.decodeLock(log));
  }

  async readFeed(address: string): Promise<FeedReading> {
    const feed = new Contract(address, FEED_ABI, this.provider);
    const key = address.toLowerCase();
    let decimals = this.feedDecimals.get(key);
    if (decimals === undefined) {
      decimals = Number(await this.rpc('decimals', () => feed.getFunction('decimals').staticCall() as Promise<bigint>));
      this.feedDecimals.set(key, decimals);
    }
    const block = await this.rpc('eth_getBlockByNumber(latest)', () => this.provider.getBlock('latest'));
    if (block === null) throw new ChainRpcError(this.name, 'eth_getBlockByNumber(latest)', new Error('no latest block'));
    // latestRoundData returns a 5-tuple of bigints per FEED_ABI; read at the block whose timestamp we report.
    const round = (await this.rpc('latestRoundData', () => feed.getFunction('latestRoundData').staticCall({ blockTag: block.number }))) as unknown as [
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
    ];
    return { roundId: round[0], answer: round[1], decimals, updatedAt: round[3], blockTimestamp: BigInt(block.timestamp) };
  }

  destroy(): void {
    this.provider.destroy();
  }

  private decodeLock(log: Log): LockEvent {
    const parsed = vaultInterface.parseLog({ topics: log.topics, data: log.data });
    if (parsed === null) throw new ChainRpcError(this.name, 'decode Locked', new Error(`undecodable log ${log.transactionHash}:${log.index}`));
    const a = parsed.args;
    return {
      guid: String(a.getValue('guid')).toLowerCase(),
      srcEid: this.eid,
      srcVault: toBytes32(log.address),
      dstEid: Number(a.getValue('dstEid')),
      nonce: BigInt(a.getValue('nonce') as bigint),
      depositor: toBytes32(String(a.getValue('depositor'))),
      account: String(a.getValue('account')).toLowerCase(),
      token: toBytes32(String(a.getValue('token'))),
      amount: BigInt(a.getValue('amount') as bigint),
      blockNumber: log.blockNumber,
      blockHash: log.blockHash.toLowerCase(),
      txHash: log.transactionHash.toLowerCase(),
      logIndex: log.index,
    };
  }

  private async rpc<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new ChainRpcError(this.name, what, error);
    }
  }
}

/** 20-byte EVM address → lowercase bytes32 (left-padded). */
export function toBytes32(address: string): string {
  return `0x${address.toLowerCase().replace(/^0x/, '').padStart(64, '0')}`;
}
