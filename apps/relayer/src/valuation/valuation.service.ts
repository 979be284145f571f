import { Injectable, Logger } from '@nestjs/common';
import { type CollateralValuation, OracleError, RiskError, valueCollateral } from '@ccr/risk';
import type { FeedReading } from '../chains/chain-adapter';
import { ChainRegistry } from '../chains/chain-registry';
import { Clock } from '../common/clock';
import { describeError } from '../common/relayer-error';
import { AppConfig } from '../config/app-config';
import { DepositRepository } from '../store/deposit.repository';
import { DepositState, HeldReason } from '../store/deposit-state';
import type { Deposit } from '../store/deposit.entity';
import { AssetRegistry, type KnownAsset } from './asset-registry';
import { feedToOraclePrice } from './feed-price';

export type ValuationRoundResult = { valued: number; held: number };

const MAX_UINT128 = (1n << 128n) - 1n;
const MAX_UINT64 = (1n << 64n) - 1n;
const BATCH = 1000;

/** Oracle refusal reasons (from @ccr/risk) → the persisted HeldReason. */
const ORACLE_REASON: Record<string, HeldReason> = {
  'stale-price': HeldReason.StalePrice,
  'non-positive-price': HeldReason.NonPositivePrice,
  'future-price': HeldReason.FuturePrice,
  'price-deviation': HeldReason.PriceDeviation,
  'low-confidence': HeldReason.LowConfidence,
  'no-price': HeldReason.NoPrice,
};

/**
 * FINAL deposits (and HELD ones whose retry time has come) → price from the asset's feed → @ccr/risk
 * (guard with the feed's own heartbeat, then valueCollateral) → VALUED with every valuation field.
 * A refusal holds the deposit with its reason and the next retry time; an unknown asset is held
 * ('unsupported-asset'), never dropped; an RPC failure is held ('rpc-error') and retried.
 */
@Injectable()
export class ValuationService {
  private readonly logger = new Logger(ValuationService.name);

  constructor(
    private readonly deposits: DepositRepository,
    private readonly assets: AssetRegistry,
    private readonly chains: ChainRegistry,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async valueDue(): Promise<ValuationRoundResult> {
    await this.expireStaleValuations();
    const due = await this.deposits.dueForValuation(this.clock.now(), BATCH);
    const feeds = new Map<string, Promise<FeedReading>>();
    let valued = 0;
    let held = 0;
    for (const deposit of due) {
      const ok = await this.valueOne(deposit, feeds);
      if (ok) valued++;
      else held++;
    }
    if (due.length > 0) this.logger.log(`valued ${valued}, held ${held}`);
    return { valued, held };
  }

  private async valueOne(deposit: Deposit, feeds: Map<string, Promise<FeedReading>>): Promise<boolean> {
    const asset = this.assets.find(deposit.srcEid, deposit.token);
    if (asset === undefined) {
      await this.hold(deposit, HeldReason.UnsupportedAsset, `token ${deposit.token} on eid ${deposit.srcEid} is not configured`);
      return false;
    }
    let reading: FeedReading;
    try {
      reading = await this.readFeed(asset, feeds);
    } catch (error) {
      await this.hold(deposit, HeldReason.RpcError, describeError(error));
      return false;
    }
    let valuation: CollateralValuation;
    try {
      const wallNow = BigInt(Math.floor(this.clock.now().getTime() / 1000));
      // The later of wall clock and the feed chain's block time: staleness still advances with the wall clock if the chain halts,
      // and a devnet whose blocks run ahead of the wall clock does not look like a future-dated price.
      const now = wallNow > reading.blockTimestamp ? wallNow : reading.blockTimestamp;
      valuation = valueCollateral({
        amount: BigInt(deposit.amount),
        decimals: asset.config.decimals,
        price: feedToOraclePrice(reading, `${asset.config.symbol}/USD@${asset.config.feed.address}`),
        config: asset.risk,
        now,
      });
    } catch (error) {
      if (error instanceof OracleError) {
        await this.hold(deposit, ORACLE_REASON[error.reason] ?? HeldReason.RiskRefused, error.shortMessage);
        return false;
      }
      if (error instanceof RiskError) {
        await this.hold(deposit, HeldReason.RiskRefused, error.message);
        return false;
      }
      throw error;
    }
    if (valuation.haircutValue > MAX_UINT128 || valuation.price > MAX_UINT128 || BigInt(deposit.amount) > MAX_UINT128 || valuation.priceTimestamp > MAX_UINT64 || valuation.priceTimestamp < 0n) {
      await this.hold(deposit, HeldReason.InvalidDeposit, 'a value does not fit the credit message (uint128/uint64)');
      return false;
    }
    await this.deposits.move(deposit.guid, deposit.state, DepositState.VALUED, {
      detail: { price: valuation.price, priceTimestamp: valuation.priceTimestamp, haircutValue: valuation.haircutValue, roundId: reading.roundId },
      patch: {
        symbol: asset.config.symbol,
        assetDecimals: asset.config.decimals,
        price: valuation.price.toString(),
        priceTimestamp: Number(valuation.priceTimestamp),
        haircut: valuation.haircut.toString(),
        sizeWeight: valuation.sizeWeight.toString(),
        haircutValue: valuation.haircutValue.toString(),
        valuedAt: this.clock.now(),
        attempts: 0,
        nextAttemptAt: null,
      },
    });
    return true;
  }

  /**
   * A VALUED deposit waiting behind a held one keeps the price it was valued at; once that price is older than
   * the feed's heartbeat it must not be posted: it goes back through valuation (HELD 'stale-price', retried).
   */
  private async expireStaleValuations(): Promise<void> {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    for (const d of await this.deposits.inState([DepositState.VALUED])) {
      const asset = this.assets.find(d.srcEid, d.token);
      if (asset === undefined || d.priceTimestamp === null) continue;
      if (d.priceTimestamp + asset.config.feed.heartbeatSeconds >= nowSeconds) continue;
      await this.hold(d, HeldReason.StalePrice, `valued at a price from ${d.priceTimestamp}, older than the ${asset.config.feed.heartbeatSeconds}s heartbeat before it could be posted; re-valuing`);
    }
  }

  private readFeed(asset: KnownAsset, cache: Map<string, Promise<FeedReading>>): Promise<FeedReading> {
    const key = `${asset.config.feed.eid}:${asset.config.feed.address.toLowerCase()}`;
    let reading = cache.get(key);
    if (reading === undefined) {
      reading = this.chains.get(asset.config.feed.eid).readFeed(asset.config.feed.address);
      cache.set(key, reading);
    }
    return reading;
  }

  private async hold(deposit: Deposit, reason: HeldReason, detail: string): Promise<void> {
    const to = await this.deposits.hold({
      guid: deposit.guid,
      from: deposit.state,
      reason,
      detail,
      unitMs: this.config.retry.unitMs,
      maxAttempts: this.config.retry.maxAttempts,
    });
    if (deposit.state !== DepositState.HELD || deposit.reason !== reason) this.logger.warn(`deposit ${deposit.guid} ${to}: ${reason} (${detail})`);
  }
}
