import { Interface, type JsonRpcProvider, type Result, toQuantity } from 'ethers';
import type { ChainConfig } from '../../config/config.schema';
import type { BookBlock, BookChain, ReceiverAssetState, ReceiverPosition } from '../../stress/book-chain';
import { ChainRpcError, MissingContractError } from '../chain-errors';
import { decodedUint, RECEIVER_ABI } from './abis';
import type { RpcPool } from './rpc-pool';

const receiverInterface = new Interface(RECEIVER_ABI);
const OPEN_TIER = (1n << 128n) - 1n;

/**
 * The live-book stress's reads of the MarginCreditReceiver on EVM, through the chain's RpcPool: one `eth_call` each,
 * all at one block number, in parallel (assetCount → assetAt(i) → assetConfig, sizeTiers, markOf, valueOf(…, 0) for the
 * receiver's own `stale`; positions(account)).
 */
export class EvmBookChain implements BookChain {
  private readonly receiver: string;

  constructor(
    private readonly chain: ChainConfig,
    private readonly pool: RpcPool,
  ) {
    if (chain.receiver === undefined) throw new MissingContractError(chain.name, 'receiver');
    this.receiver = chain.receiver;
  }

  async latestBlock(): Promise<BookBlock> {
    // send() is untyped: eth_getBlockByNumber answers a block (hex quantities) or null
    const block = await this.rpc('eth_getBlockByNumber(latest)', (p) => p.send('eth_getBlockByNumber', ['latest', false]) as Promise<{ number: string; timestamp: string } | null>);
    if (block === null) throw new ChainRpcError(this.chain.name, 'eth_getBlockByNumber(latest)', new Error('no latest block'));
    return { number: Number(BigInt(block.number)), timestamp: BigInt(block.timestamp) };
  }

  async assets(block: number): Promise<ReceiverAssetState[]> {
    const count = Number((await this.view('assetCount', [], block))[0]); // uint256, a small count
    const ids = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const [srcEid, asset] = await this.view('assetAt', [i], block); // (uint32, bytes32)
        return { srcEid: Number(srcEid), asset: String(asset).toLowerCase() };
      }),
    );
    return Promise.all(
      ids.map(async ({ srcEid, asset }): Promise<ReceiverAssetState> => {
        const [config, tiers, mark, value] = await Promise.all([
          this.view('assetConfig', [srcEid, asset], block), // (bool registered, uint8 decimals, uint32 heartbeat, uint128 cap)
          this.view('sizeTiers', [srcEid, asset], block), // ((uint128 upTo, uint64 weight)[])
          this.view('markOf', [srcEid, asset], block), // (uint128 price, uint64 haircut, uint64 timestamp, uint64 nonce)
          this.view('valueOf', [srcEid, asset, 0], block), // (uint256 value, bool stale): the receiver's staleness rule
        ]);
        return {
          srcEid,
          asset,
          decimals: Number(config.getValue('decimals')),
          heartbeat: decodedUint(config.getValue('heartbeat')),
          tiers: (tiers[0] as Result[]).map((t) => { // sizeTiers returns one tuple array: ethers decodes it to Results
            const upTo = decodedUint(t[0]);
            return { upTo: upTo === OPEN_TIER ? null : upTo, weight: decodedUint(t[1]) };
          }),
          mark: {
            price: decodedUint(mark.getValue('price')),
            haircut: decodedUint(mark.getValue('haircut')),
            timestamp: decodedUint(mark.getValue('timestamp')),
            nonce: decodedUint(mark.getValue('nonce')),
          },
          stale: Boolean(value[1]),
        };
      }),
    );
  }

  async positions(account: string, block: number): Promise<ReceiverPosition[]> {
    const [list] = await this.view('positions', [account], block);
    // (uint32 srcEid, bytes32 asset, uint128 rawAmount, uint128 frozen, uint256 value, bool stale)[]
    return (list as Result[]).map((p) => ({ // a tuple array: ethers decodes it to Results
      srcEid: Number(p[0]),
      asset: String(p[1]).toLowerCase(),
      rawAmount: decodedUint(p[2]),
      frozen: decodedUint(p[3]),
      value: decodedUint(p[4]),
      stale: Boolean(p[5]),
    }));
  }

  /** One receiver view at `block`, decoded; any error as a ChainRpcError naming the function. */
  private async view(fn: string, args: readonly unknown[], block: number): Promise<Result> {
    const data = receiverInterface.encodeFunctionData(fn, args);
    // send() is untyped: eth_call answers the return data as a hex string
    const raw = await this.rpc(fn, (p) => p.send('eth_call', [{ to: this.receiver, data }, toQuantity(block)]) as Promise<string>);
    try {
      return receiverInterface.decodeFunctionResult(fn, raw);
    } catch (error) {
      throw new ChainRpcError(this.chain.name, fn, error);
    }
  }

  private rpc<T>(what: string, call: (provider: JsonRpcProvider) => Promise<T>): Promise<T> {
    return this.pool.read(what, call);
  }
}
