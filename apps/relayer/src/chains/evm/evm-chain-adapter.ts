import { toBytes32 } from '../address-bytes32';
import { Interface, isError, type JsonRpcProvider, type Result, toQuantity } from 'ethers';
import { type ChainConfig, chainRpcUrls } from '../../config/config.schema';
import { MessageKind } from '../../store/message-kind';
import type { BlockRef, ChainAdapter, ChainMessage, FeedReading, LockEvent, ReceiverAsset, ReceiverBook, VaultHoldings } from '../chain-adapter';
import { ChainRpcError, FeedCallError, FeedMissingError, MissingContractError } from '../chain-errors';
import { decodedUint, ERC20_READ_ABI, FEED_ABI, RECEIVER_ABI, VAULT_ABI } from './abis';
import { type ProviderStatus, RpcPool } from './rpc-pool';

const vaultInterface = new Interface(VAULT_ABI);
const receiverInterface = new Interface(RECEIVER_ABI);
const erc20Interface = new Interface(ERC20_READ_ABI);
const feedInterface = new Interface(FEED_ABI);
const LOCKED_TOPIC = vaultInterface.getEvent('Locked')!.topicHash;
const RELEASE_RESULT_TOPIC = vaultInterface.getEvent('ReleaseResult')!.topicHash;
const WITHDRAWAL_REQUESTED_TOPIC = receiverInterface.getEvent('WithdrawalRequested')!.topicHash;

/** The events a watched contract emits that start a message, and where each keeps its GUID (topic index). */
type Watched = { address: string; topics: readonly string[]; guidTopic: ReadonlyMap<string, number> };

/** The pool of a chain's configured endpoints (rpcUrl / rpcUrls) with its timeout, stall and cooldown settings. */
export function makeRpcPool(chain: Pick<ChainConfig, 'name' | 'rpcUrl' | 'rpcUrls' | 'chainId' | 'rpcTimeoutMs' | 'rpcStallMs' | 'rpcCooldownMs'>): RpcPool {
  return new RpcPool({ chain: chain.name, chainId: chain.chainId, urls: chainRpcUrls(chain), timeoutMs: chain.rpcTimeoutMs, stallMs: chain.rpcStallMs, cooldownMs: chain.rpcCooldownMs });
}

/**
 * EVM chain: the configured vault's `Locked` logs (by address and topic), finality by tag or confirmations, feeds by
 * `latestRoundData`. Every call goes through the chain's RpcPool (fallback over several endpoints).
 */
export class EvmChainAdapter implements ChainAdapter {
  readonly family = 'evm' as const;
  readonly name: string;
  readonly eid: number;
  readonly pool: RpcPool;
  /** A source chain's vault (locks, release results) or the derivatives chain's receiver (withdrawal requests). */
  private readonly watched: Watched | undefined;
  private readonly feedDecimals = new Map<string, number>();

  constructor(private readonly chain: ChainConfig) {
    this.name = chain.name;
    this.eid = chain.eid;
    this.pool = makeRpcPool(chain);
    if (chain.role === 'source' && chain.vault !== undefined)
      this.watched = { address: chain.vault.toLowerCase(), topics: [LOCKED_TOPIC, RELEASE_RESULT_TOPIC], guidTopic: new Map([[LOCKED_TOPIC, 3], [RELEASE_RESULT_TOPIC, 1]]) };
    else if (chain.role === 'destination' && chain.receiver !== undefined)
      this.watched = { address: chain.receiver.toLowerCase(), topics: [WITHDRAWAL_REQUESTED_TOPIC], guidTopic: new Map([[WITHDRAWAL_REQUESTED_TOPIC, 1]]) };
  }

  head(): Promise<number> {
    return this.pool.blockNumber();
  }

  async blockHash(block: number): Promise<string | null> {
    const b = await this.rpc('eth_getBlockByNumber', (p) => p.getBlock(block));
    return b?.hash?.toLowerCase() ?? null;
  }

  async finalizedCursor(): Promise<number> {
    return (await this.finalityBound()).number;
  }

  async finalityBound(): Promise<BlockRef> {
    const finality = this.chain.finality;
    if (finality.mode === 'confirmations') return { number: Math.max(-1, (await this.head()) - finality.confirmations), hash: null };
    const block = await this.rpc('eth_getBlockByNumber(finalized)', (p) => p.getBlock('finalized'));
    return block === null ? { number: -1, hash: null } : { number: block.number, hash: block.hash?.toLowerCase() ?? null };
  }

  async outboundNonce(dstEid: number, to: string, block: number): Promise<bigint> {
    const w = this.watched;
    if (w === undefined) throw new MissingContractError(this.name, this.chain.role === 'source' ? 'vault' : 'receiver');
    // The same getter on both contracts: a vault's outboundNonce(dstEid, receiver), the receiver's outboundNonce(vaultEid, vault).
    const data = vaultInterface.encodeFunctionData('outboundNonce', [dstEid, to]);
    const raw = await this.rpc('outboundNonce', (p) => p.call({ to: w.address, data, blockTag: block }));
    if (raw === '0x') return 0n; // no code at that block yet: nothing sent
    try {
      return decodedUint(vaultInterface.decodeFunctionResult('outboundNonce', raw)[0]); // uint64
    } catch (error) {
      throw new ChainRpcError(this.name, 'outboundNonce', error);
    }
  }

  async fetchMessagesByGuid(guids: readonly string[], fromBlock: number, toBlock: number): Promise<ChainMessage[]> {
    const w = this.watched;
    if (w === undefined || toBlock < fromBlock || guids.length === 0) return [];
    const out: ChainMessage[] = [];
    // One eth_getLogs per event: the GUID is in another topic in each (OR-ed over the GUIDs there).
    for (const [topic, at] of w.guidTopic) {
      const topics: (string | string[] | null)[] = [topic, null, null, null].slice(0, at);
      topics.push([...guids]);
      const logs = await this.rawLogs('eth_getLogs(guid)', { address: w.address, topics, fromBlock, toBlock });
      out.push(...this.decodeAll(logs));
    }
    return out.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  }

  rpcStatus(): ProviderStatus[] {
    return this.pool.status();
  }

  probe(): Promise<void> {
    return this.pool.probeAll();
  }

  async fetchMessages(fromBlock: number, toBlock: number): Promise<ChainMessage[]> {
    const w = this.watched;
    if (w === undefined || toBlock < fromBlock) return [];
    const logs = await this.rawLogs('eth_getLogs', { address: w.address, topics: [[...w.topics]], fromBlock, toBlock });
    return this.decodeAll(logs);
  }

  /**
   * `decimals()` (once per feed) and `latestRoundData()` at the latest block. A feed that reverts or answers nothing
   * decodable throws FeedCallError, one without code FeedMissingError: the feed's problem, not the endpoint's (the
   * pool neither fails over nor deprioritizes for them). Endpoint faults: ChainRpcError.
   */
  nativeBalance(address: string): Promise<bigint> {
    return this.pool.read('eth_getBalance', (p) => p.getBalance(address, 'latest'));
  }

  async readFeed(address: string): Promise<FeedReading> {
    const key = address.toLowerCase();
    let decimals = this.feedDecimals.get(key);
    if (decimals === undefined) {
      decimals = Number((await this.feedCall(address, 'decimals', 'latest'))[0]); // uint8
      this.feedDecimals.set(key, decimals);
    }
    const block = await this.rpc('eth_getBlockByNumber(latest)', (p) => p.getBlock('latest'));
    if (block === null) throw new ChainRpcError(this.name, 'eth_getBlockByNumber(latest)', new Error('no latest block'));
    // latestRoundData returns a 5-tuple of bigints per FEED_ABI; read at the block whose timestamp we report.
    const round = await this.feedCall(address, 'latestRoundData', block.number);
    return { roundId: round[0] as bigint, answer: round[1] as bigint, decimals, updatedAt: round[3] as bigint, blockTimestamp: BigInt(block.timestamp) }; // uint80/int256/uint256 words: bigints
  }

  /** One call of a feed, decoded: raw eth_call (an empty answer is not an ethers decode error blamed on the endpoint). */
  private async feedCall(feed: string, fn: 'decimals' | 'latestRoundData', block: number | 'latest'): Promise<Result> {
    const data = feedInterface.encodeFunctionData(fn);
    let raw: string;
    try {
      raw = await this.pool.call(fn, (p) => p.call({ to: feed, data, blockTag: block }));
    } catch (error) {
      if (error instanceof ChainRpcError) throw error; // every endpoint faulted
      if (isError(error, 'CALL_EXCEPTION')) throw new FeedCallError(this.name, feed, fn, error); // the feed reverted
      throw new ChainRpcError(this.name, fn, error);
    }
    if (raw === '0x') {
      if ((await this.rpc('eth_getCode', (p) => p.getCode(feed, block))) === '0x') throw new FeedMissingError(this.name, feed, block);
      throw new FeedCallError(this.name, feed, fn, new Error('empty answer'));
    }
    try {
      return feedInterface.decodeFunctionResult(fn, raw);
    } catch (error) {
      throw new FeedCallError(this.name, feed, fn, error);
    }
  }

  async tokenDecimals(token: string): Promise<number | null> {
    if ((await this.rpc('eth_getCode', (p) => p.getCode(token))) === '0x') return null;
    let raw: string;
    try {
      raw = await this.pool.call('decimals', (p) => p.call({ to: token, data: erc20Interface.encodeFunctionData('decimals') }));
    } catch (error) {
      if (isError(error, 'CALL_EXCEPTION') || isError(error, 'BAD_DATA')) return null;
      if (error instanceof ChainRpcError) throw error;
      throw new ChainRpcError(this.name, 'decimals', error);
    }
    // One ABI word holding a uint8, read strictly (the ABI coder would mask a wider value down to 8 bits).
    if (!/^0x[0-9a-fA-F]{64}$/.test(raw) || BigInt(raw) > 255n) return null;
    return Number(BigInt(raw));
  }

  async vaultHoldings(token: string, block: number): Promise<VaultHoldings> {
    const vault = this.chain.vault;
    if (this.chain.role !== 'source' || vault === undefined) throw new MissingContractError(this.name, 'vault');
    const [asset, balance] = await Promise.all([
      this.view(vault, vaultInterface, 'assets', [token], block),
      this.view(token, erc20Interface, 'balanceOf', [vault], block),
    ]);
    return { totalLocked: decodedUint(asset.getValue('totalLocked')), balance: decodedUint(balance[0]) };
  }

  async receiverBook(srcEid: number, vault: string, asset: string, block: number): Promise<ReceiverBook> {
    const receiver = this.receiverAddress();
    const [book, nonce] = await Promise.all([
      this.view(receiver, receiverInterface, 'book', [srcEid, asset], block),
      this.view(receiver, receiverInterface, 'lastNonce', [srcEid, vault], block),
    ]);
    return { credited: decodedUint(book.getValue('credited')), frozen: decodedUint(book.getValue('frozen')), lastNonce: decodedUint(nonce[0]) };
  }

  async receiverAsset(srcEid: number, asset: string): Promise<ReceiverAsset> {
    const r = await this.view(this.receiverAddress(), receiverInterface, 'assetConfig', [srcEid, asset], 'latest');
    return { registered: Boolean(r.getValue('registered')), decimals: Number(r.getValue('decimals')) };
  }

  destroy(): void {
    this.pool.destroy();
  }

  private receiverAddress(): string {
    const receiver = this.chain.receiver;
    if (this.chain.role !== 'destination' || receiver === undefined) throw new MissingContractError(this.name, 'receiver');
    return receiver;
  }

  /** One view call at `block` (eth_call with its block tag), decoded; any error as a ChainRpcError naming the function. */
  private async view(to: string, iface: Interface, fn: string, args: readonly unknown[], block: number | 'latest'): Promise<Result> {
    const data = iface.encodeFunctionData(fn, args);
    const raw = await this.rpc(fn, (p) => p.call({ to, data, blockTag: block }));
    try {
      return iface.decodeFunctionResult(fn, raw);
    } catch (error) {
      throw new ChainRpcError(this.name, fn, error);
    }
  }

  /**
   * eth_getLogs as the node sends it (`provider.send`): ethers' getLogs would wrap every log in a Log object with a
   * checksummed address (one keccak each), which on a 2,000-lock chunk costs more than the decoding.
   */
  private async rawLogs(what: string, filter: { address: string; topics: (string | string[] | null)[]; fromBlock: number; toBlock: number }): Promise<LockLog[]> {
    // send() is untyped: eth_getLogs answers the JSON-RPC log objects (hex quantities)
    const raw = await this.rpc(what, (p) => p.send('eth_getLogs', [{ address: filter.address, topics: filter.topics, fromBlock: toQuantity(filter.fromBlock), toBlock: toQuantity(filter.toBlock) }]) as Promise<RpcLog[]>);
    return raw.map((l) => ({
      address: l.address,
      topics: l.topics,
      data: l.data,
      blockNumber: Number(l.blockNumber),
      blockHash: l.blockHash,
      transactionHash: l.transactionHash,
      index: Number(l.logIndex),
      removed: l.removed === true,
    }));
  }

  /** The watched contract's logs (removed ones and other addresses dropped), each as the message it starts. */
  private decodeAll(logs: readonly LockLog[]): ChainMessage[] {
    const address = this.watched?.address;
    return logs.filter((log) => log.address.toLowerCase() === address && !log.removed).map((log) => this.decode(log));
  }

  private decode(log: LockLog): ChainMessage {
    const topic = log.topics[0]?.toLowerCase();
    if (topic === LOCKED_TOPIC) return decodeLockedFast(log, this.eid) ?? this.decodeLockWithAbi(log);
    if (topic === RELEASE_RESULT_TOPIC) return this.decodeReleaseResult(log);
    if (topic === WITHDRAWAL_REQUESTED_TOPIC) return this.decodeWithdrawalRequested(log);
    throw new ChainRpcError(this.name, 'decode log', new Error(`unexpected log ${log.transactionHash}:${log.index} (topic ${topic})`));
  }

  private parse(iface: Interface, log: LockLog, what: string): Result {
    const parsed = iface.parseLog({ topics: [...log.topics], data: log.data });
    if (parsed === null) throw new ChainRpcError(this.name, `decode ${what}`, new Error(`undecodable log ${log.transactionHash}:${log.index}`));
    return parsed.args;
  }

  /** `ReleaseResult` of a vault: the RELEASE_RESULT packet vault → receiver, on the path its locks use. */
  private decodeReleaseResult(log: LockLog): ChainMessage {
    const a = this.parse(vaultInterface, log, 'ReleaseResult');
    const account = String(a.getValue('account')).toLowerCase();
    return {
      kind: MessageKind.Result,
      guid: String(a.getValue('guid')).toLowerCase(),
      srcEid: this.eid,
      srcVault: toBytes32(log.address),
      dstEid: Number(a.getValue('dstEid')),
      receiver: String(a.getValue('receiver')).toLowerCase(),
      nonce: decodedUint(a.getValue('nonce')),
      depositor: account,
      account,
      token: String(a.getValue('asset')).toLowerCase(),
      amount: decodedUint(a.getValue('rawAmount')),
      recipient: null,
      voidedNonce: null,
      withdrawalGuid: String(a.getValue('withdrawalGuid')).toLowerCase(),
      withdrawalNonce: decodedUint(a.getValue('withdrawalNonce')),
      releaseStatus: Number(a.getValue('status')),
      ...logPosition(log),
    };
  }

  /** `WithdrawalRequested` of the receiver: the WITHDRAWAL packet receiver → vault (refunds of voided deposits too). */
  private decodeWithdrawalRequested(log: LockLog): ChainMessage {
    const a = this.parse(receiverInterface, log, 'WithdrawalRequested');
    const account = String(a.getValue('account')).toLowerCase();
    const voided = decodedUint(a.getValue('voidedNonce'));
    return {
      kind: MessageKind.Withdrawal,
      guid: String(a.getValue('guid')).toLowerCase(),
      srcEid: this.eid,
      srcVault: toBytes32(log.address),
      dstEid: Number(a.getValue('vaultEid')),
      receiver: String(a.getValue('vault')).toLowerCase(),
      nonce: decodedUint(a.getValue('nonce')),
      depositor: account,
      account,
      token: String(a.getValue('asset')).toLowerCase(),
      amount: decodedUint(a.getValue('rawAmount')),
      recipient: String(a.getValue('recipient')).toLowerCase(),
      voidedNonce: voided === 0n ? null : voided,
      withdrawalGuid: null,
      withdrawalNonce: null,
      releaseStatus: null,
      ...logPosition(log),
    };
  }

  private decodeLockWithAbi(log: LockLog): LockEvent {
    const a = this.parse(vaultInterface, log, 'Locked');
    return {
      ...NO_EXTRAS,
      guid: String(a.getValue('guid')).toLowerCase(),
      srcEid: this.eid,
      srcVault: toBytes32(log.address),
      dstEid: Number(a.getValue('dstEid')),
      nonce: decodedUint(a.getValue('nonce')),
      depositor: toBytes32(String(a.getValue('depositor'))),
      account: String(a.getValue('account')).toLowerCase(),
      token: toBytes32(String(a.getValue('token'))),
      amount: decodedUint(a.getValue('amount')),
      blockNumber: log.blockNumber,
      blockHash: log.blockHash.toLowerCase(),
      txHash: log.transactionHash.toLowerCase(),
      logIndex: log.index,
    };
  }

  private rpc<T>(what: string, call: (provider: JsonRpcProvider) => Promise<T>): Promise<T> {
    return this.pool.read(what, call);
  }
}

/** A lock (credit) names no receiver (the watcher checks the GUID against the configured one) and has no extras. */
const NO_EXTRAS = { kind: MessageKind.Credit, receiver: null, recipient: null, voidedNonce: null, withdrawalGuid: null, withdrawalNonce: null, releaseStatus: null } as const;

function logPosition(log: LockLog): Pick<ChainMessage, 'blockNumber' | 'blockHash' | 'txHash' | 'logIndex'> {
  return { blockNumber: log.blockNumber, blockHash: log.blockHash.toLowerCase(), txHash: log.transactionHash.toLowerCase(), logIndex: log.index };
}

/** A log as eth_getLogs returns it (hex quantities as the node sends them). */
type RpcLog = { address: string; topics: string[]; data: string; blockNumber: string; blockHash: string; transactionHash: string; logIndex: string; removed?: boolean };
/** The fields of a log the watcher uses, quantities as numbers. */
export type LockLog = { address: string; topics: readonly string[]; data: string; blockNumber: number; blockHash: string; transactionHash: string; index: number; removed: boolean };

const WORD = 64;
const ADDRESS_PADDING = '0'.repeat(24);
const UINT32_MASK = (1n << 32n) - 1n;
const UINT64_MASK = (1n << 64n) - 1n;

/**
 * `Locked(uint32 indexed dstEid, uint64 indexed nonce, bytes32 indexed guid, address depositor, bytes32 account,
 * address token, uint256 amount)` decoded by slicing the hex (topics 1–3, four data words), with the ABI coder's
 * rules (integers masked to their width, addresses the low 20 bytes). undefined for any other shape (the caller
 * falls back to the ABI decoder, which reports it). Several times faster than Interface.parseLog on a 2,000-log chunk.
 */
export function decodeLockedFast(log: Omit<LockLog, 'removed'>, srcEid: number): LockEvent | undefined {
  const [topic0, dstEid, nonce, guid] = log.topics;
  if (log.topics.length !== 4 || topic0?.toLowerCase() !== LOCKED_TOPIC || dstEid === undefined || nonce === undefined || guid === undefined) return undefined;
  const data = log.data.toLowerCase();
  if (!/^0x[0-9a-f]{256}$/.test(data)) return undefined;
  const word = (i: number): string => data.slice(2 + i * WORD, 2 + (i + 1) * WORD);
  const address = (i: number): string | undefined => (word(i).startsWith(ADDRESS_PADDING) ? `0x${word(i)}` : undefined);
  const depositor = address(0);
  const token = address(2);
  if (depositor === undefined || token === undefined) return undefined;
  return {
    ...NO_EXTRAS,
    guid: guid.toLowerCase(),
    srcEid,
    srcVault: toBytes32(log.address),
    dstEid: Number(BigInt(dstEid) & UINT32_MASK),
    nonce: BigInt(nonce) & UINT64_MASK,
    depositor,
    account: `0x${word(1)}`,
    token,
    amount: BigInt(`0x${word(3)}`),
    blockNumber: log.blockNumber,
    blockHash: log.blockHash.toLowerCase(),
    txHash: log.transactionHash.toLowerCase(),
    logIndex: log.index,
  };
}

export { toBytes32 };
