import { Contract, type ContractRunner } from 'ethers';
import type { FeedReading } from '../chains/chain-adapter';
import { ChainRpcError } from '../chains/chain-errors';
import { FEED_ABI } from '../chains/evm/abis';
import type { RpcPool } from '../chains/evm/rpc-pool';

/** What the attester reads of a chain besides its own store: a feed's round by its `updatedAt`, and the chain's clock. */
export interface FeedRounds {
  /**
   * The round of `feed` whose `updatedAt` is `updatedAt`: latestRoundData first, then getRoundData walking back one
   * round at a time — at most `maxBack` rounds (0: the latest round only), stopping at an older round or one the feed
   * has no data for. null when there is none. `blockTimestamp` is the latest block's (the chain's "now" the price is guarded at).
   */
  roundAt(feed: string, updatedAt: bigint, maxBack: number): Promise<FeedReading | null>;
  /** The chain's latest block timestamp (unix seconds). */
  latestTimestamp(): Promise<bigint>;
}

type Round = { roundId: bigint; answer: bigint; updatedAt: bigint };

/**
 * FeedRounds of an EVM chain, over the chain adapter's RPC pool (endpoint fallback). The valuation stage prices a
 * deposit at the feed's latestRoundData when it values it (valuation.service.ts); a CREDIT carries that round's
 * `updatedAt` as its priceTimestamp, so an attester asked later — after newer rounds — finds the same round again
 * here, deterministically, and values it exactly as the relayer did. Rounds found are cached (a round's data does
 * not change); the walk is one getRoundData per round, all at one block.
 */
export class EvmFeedRounds implements FeedRounds {
  private readonly decimals = new Map<string, number>();
  private readonly found = new Map<string, Round>();

  constructor(
    private readonly chain: string,
    private readonly pool: RpcPool,
  ) {}

  async latestTimestamp(): Promise<bigint> {
    const block = await this.pool.read('eth_getBlockByNumber(latest)', (p) => p.getBlock('latest'));
    if (block === null) throw new ChainRpcError(this.chain, 'eth_getBlockByNumber(latest)', new Error('no latest block'));
    return BigInt(block.timestamp);
  }

  async roundAt(feed: string, updatedAt: bigint, maxBack: number): Promise<FeedReading | null> {
    const contract = (p: ContractRunner): Contract => new Contract(feed, FEED_ABI, p);
    const key = feed.toLowerCase();
    let decimals = this.decimals.get(key);
    if (decimals === undefined) {
      decimals = Number(await this.pool.read('decimals', (p) => contract(p).getFunction('decimals').staticCall() as Promise<bigint>)); // uint8 per FEED_ABI
      this.decimals.set(key, decimals);
    }
    const block = await this.pool.read('eth_getBlockByNumber(latest)', (p) => p.getBlock('latest'));
    if (block === null) throw new ChainRpcError(this.chain, 'eth_getBlockByNumber(latest)', new Error('no latest block'));
    const blockTimestamp = BigInt(block.timestamp);
    const reading = (r: Round): FeedReading => ({ roundId: r.roundId, answer: r.answer, decimals: decimals, updatedAt: r.updatedAt, blockTimestamp });
    // (maxBack 0 asks for the latest round itself: a cached round may have been superseded since.)
    const cached = maxBack === 0 ? undefined : this.found.get(`${key}:${updatedAt}`);
    if (cached !== undefined) return reading(cached);
    // (roundId, answer, startedAt, updatedAt, answeredInRound), per FEED_ABI; every read at the same block.
    type Tuple = [bigint, bigint, bigint, bigint, bigint];
    const latest = (await this.pool.read('latestRoundData', (p) => contract(p).getFunction('latestRoundData').staticCall({ blockTag: block.number }))) as unknown as Tuple; // the 5-tuple of FEED_ABI
    let round: Round = { roundId: latest[0], answer: latest[1], updatedAt: latest[3] };
    for (let back = 0; round.updatedAt !== updatedAt; back++) {
      // Rounds only move forward in time: once one is older than the price, no earlier one can carry it.
      if (back >= maxBack || round.updatedAt < updatedAt || round.roundId <= 1n) return null;
      const id = round.roundId - 1n;
      let r: Tuple;
      try {
        r = await this.pool.call<Tuple>('getRoundData', (p) => contract(p).getFunction('getRoundData').staticCall(id, { blockTag: block.number })); // staticCall answers `any`: the 5-tuple of FEED_ABI
      } catch (error) {
        if (error instanceof ChainRpcError) throw error; // every endpoint failed
        return null; // the feed's own answer: no data for that round (Chainlink reverts, e.g. NoDataPresent)
      }
      round = { roundId: r[0], answer: r[1], updatedAt: r[3] };
    }
    if (this.found.size >= 1024) this.found.clear(); // a bounded cache: the rounds of the last batches
    this.found.set(`${key}:${updatedAt}`, round);
    return reading(round);
  }
}
