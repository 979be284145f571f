import { Injectable, Logger, Optional } from '@nestjs/common';
import { VoidReason } from '@ccr/messages';
import { type CollateralValuation, OracleError, RiskError, valueCollateral } from '@ccr/risk';
import type { FeedReading } from '../chains/chain-adapter';
import { ChainRegistry } from '../chains/chain-registry';
import { Clock } from '../common/clock';
import { describeError } from '../common/relayer-error';
import { AppConfig } from '../config/app-config';
import { DepositRepository, type ValuedItem } from '../store/deposit.repository';
import { LimitsService, type LimitsRoundItem } from '../limits/limits.service';
import type { WindowUsage } from '../limits/window';
import { DepositState, HeldReason } from '../store/deposit-state';
import type { Deposit } from '../store/deposit.entity';
import { AssetRegistry, type KnownAsset } from './asset-registry';
import { feedHoldReason, feedToOraclePrice, guardNow } from './feed-price';

export type ValuationRoundResult = { valued: number; held: number };

const MAX_UINT128 = (1n << 128n) - 1n;
const MAX_UINT64 = (1n << 64n) - 1n;
/** Deposits valued per round (a full page means more may be due: the loop goes again at once). */
export const VALUATION_PAGE = 250;

/** A deposit the round could not value, and why. */
type Hold = { deposit: Deposit; reason: HeldReason; detail: string };

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
 * ('unsupported-asset'), never dropped; an RPC failure is held ('rpc-error'), a feed that reverts or has no code
 * ('feed-error' / 'feed-missing'), and retried.
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
    // Always injected by the app (ValuationModule imports LimitsModule); a service built by hand without it has no limits.
    @Optional() private readonly limits?: LimitsService,
  ) {}

  /**
   * One round: every due deposit is priced in memory (each feed read once per round), then the limits of its source
   * chain decide whether a valued one goes on (limits/: their admissions and holds are written first, in one
   * transaction), then all the rest is written in ONE transaction (bulk VALUED per source state, plus the holds).
   * Without `limits` on a chain its deposits pass untouched.
   */
  async valueDue(): Promise<ValuationRoundResult> {
    await this.expireStaleValuations();
    const now = this.clock.now();
    const windows = (await this.limits?.windows(now)) ?? new Map<number, WindowUsage>();
    const due = await this.deposits.dueForValuation(now, VALUATION_PAGE);
    // Limits holds whose cause went away before their release time join the round, in nonce order with the rest.
    const woken = (await this.limits?.wakeable(now, due, VALUATION_PAGE)) ?? [];
    const round = woken.length === 0 ? due : [...due, ...woken].sort((a, b) => a.srcEid - b.srcEid || (a.nonce < b.nonce ? -1 : a.nonce > b.nonce ? 1 : 0));
    if (round.length === 0) return { valued: 0, held: 0 };
    const feeds = new Map<string, Promise<FeedReading>>();
    const valued: ValuedItem[] = [];
    const holds: Hold[] = [];
    const items: LimitsRoundItem[] = [];
    for (const deposit of round) {
      const outcome = await this.valueOne(deposit, feeds);
      if ('hold' in outcome) {
        holds.push(outcome.hold);
        items.push({ deposit, valued: null });
      } else {
        valued.push(outcome.valued);
        items.push({ deposit, valued: { haircutValue: BigInt(outcome.valued.patch.haircutValue ?? 0), patch: outcome.valued.patch } });
      }
    }
    const limits = (await this.limits?.plan(now, items, windows)) ?? { pass: new Set(valued.map((v) => v.guid)), admissions: [], holds: [] };
    const limitHeld = (await this.limits?.record(limits.admissions, limits.holds)) ?? [];
    const written = await this.write(
      valued.filter((v) => limits.pass.has(v.guid)),
      holds,
    );
    await this.voidAccountless(holds);
    if (limitHeld.length > 0) this.logger.log(`limits held ${limitHeld.length}`);
    this.logger.log(`valued ${written.valued}, held ${written.held}`);
    return { valued: written.valued, held: written.held + limitHeld.length };
  }

  private async valueOne(deposit: Deposit, feeds: Map<string, Promise<FeedReading>>): Promise<{ valued: ValuedItem } | { hold: Hold }> {
    const hold = (reason: HeldReason, detail: string): { hold: Hold } => ({ hold: { deposit, reason, detail } });
    // A Solana deposit whose memo is missing, garbled or names another eid names no account (docs/solana.md): it can
    // never be credited; the relayer voids it (voidAccountless below: VOID invalid-deposit, refunded to its depositor).
    if (/^0x0{64}$/.test(deposit.account))
      return hold(HeldReason.InvalidDeposit, 'the deposit names no derivatives-chain account (a Solana deposit without a valid "ccr:v1:<dstEid>:<account>" memo for this chain): void it to refund the depositor');
    const asset = this.assets.find(deposit.srcEid, deposit.token);
    if (asset === undefined) return hold(HeldReason.UnsupportedAsset, `token ${deposit.token} on eid ${deposit.srcEid} is not configured`);
    let reading: FeedReading;
    try {
      reading = await this.readFeed(asset, feeds);
    } catch (error) {
      return hold(feedHoldReason(error), describeError(error));
    }
    let valuation: CollateralValuation;
    try {
      const now = guardNow(reading, this.clock.now()); // the later of the wall clock and the feed chain's block time
      valuation = valueCollateral({
        amount: BigInt(deposit.amount),
        decimals: asset.config.decimals,
        price: feedToOraclePrice(reading, `${asset.config.symbol}/USD@${asset.config.feed.address}`),
        config: asset.risk,
        now,
      });
    } catch (error) {
      if (error instanceof OracleError) return hold(ORACLE_REASON[error.reason] ?? HeldReason.RiskRefused, error.shortMessage);
      if (error instanceof RiskError) return hold(HeldReason.RiskRefused, error.message);
      throw error;
    }
    if (valuation.haircutValue > MAX_UINT128 || valuation.price > MAX_UINT128 || BigInt(deposit.amount) > MAX_UINT128 || valuation.priceTimestamp > MAX_UINT64 || valuation.priceTimestamp < 0n)
      return hold(HeldReason.InvalidDeposit, 'a value does not fit the credit message (uint128/uint64)');
    return {
      valued: {
        guid: deposit.guid,
        from: deposit.state,
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
      },
    };
  }

  /**
   * A deposit that names no account (a Solana deposit without a valid memo) can never be credited, and HELD it would
   * block every later deposit of its vault (one ordered path): the relayer voids it at once (VOID 'invalid-deposit',
   * the refund to its depositor follows the release path). Its history keeps the invalid-deposit hold, which is what
   * an independent attester's own store must show before it signs that VOID. Attesters never void.
   */
  private async voidAccountless(holds: readonly Hold[]): Promise<void> {
    if (this.config.role !== 'relayer') return;
    const rows = holds.filter((h) => h.reason === HeldReason.InvalidDeposit && /^0x0{64}$/.test(h.deposit.account)).map((h) => h.deposit.guid);
    if (rows.length === 0) return;
    for (const d of await this.deposits.getMany(rows)) {
      if (d.state !== DepositState.HELD && d.state !== DepositState.FAILED) continue;
      // No account was debited (tokens minted straight into the vault account): nobody to refund; it stays held for the operator.
      if (/^0x0{64}$/.test(d.depositor)) continue;
      await this.deposits.move(d.guid, d.state, DepositState.VOIDING, {
        reason: HeldReason.Voided,
        detail: { voidReason: 'invalid-deposit', previousReason: d.reason, automatic: true },
        patch: { voidReason: VoidReason.InvalidDeposit, nextAttemptAt: null, attempts: 0, reasonDetail: `voided automatically (invalid-deposit: it names no account): a VOID is posted at nonce ${d.nonce}; the collateral is refunded to ${d.depositor}` },
      });
      this.logger.warn(`deposit ${d.guid} names no account: voided (invalid-deposit), refund to ${d.depositor}`);
    }
  }

  /**
   * A VALUED deposit waiting behind a held one keeps the price it was valued at; once that price is older than
   * the feed's heartbeat it must not be posted: it goes back through valuation (HELD 'stale-price', retried).
   * Only deposits priced before now − (shortest heartbeat) are read.
   */
  private async expireStaleValuations(): Promise<void> {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const shortest = Math.min(...this.assets.all().map((a) => a.config.feed.heartbeatSeconds));
    if (!Number.isFinite(shortest)) return;
    const holds: Hold[] = [];
    for (const d of await this.deposits.valuedPricedBefore(nowSeconds - shortest)) {
      const asset = this.assets.find(d.srcEid, d.token);
      if (asset === undefined || d.priceTimestamp === null) continue;
      if (d.priceTimestamp + asset.config.feed.heartbeatSeconds >= nowSeconds) continue;
      holds.push({ deposit: d, reason: HeldReason.StalePrice, detail: `valued at a price from ${d.priceTimestamp}, older than the ${asset.config.feed.heartbeatSeconds}s heartbeat before it could be posted; re-valuing` });
    }
    if (holds.length > 0) await this.write([], holds);
  }

  /** Writes a round (one transaction) and logs the holds that are news. */
  private async write(valued: readonly ValuedItem[], holds: readonly Hold[]): Promise<ValuationRoundResult> {
    const { retry } = this.config;
    const written = await this.deposits.applyValuations(
      valued,
      holds.map((h) => ({ guid: h.deposit.guid, from: h.deposit.state, reason: h.reason, detail: h.detail, unitMs: retry.unitMs, maxAttempts: retry.maxAttempts })),
    );
    for (const h of holds) {
      const to = written.held.get(h.deposit.guid);
      if (to !== undefined && (h.deposit.state !== DepositState.HELD || h.deposit.reason !== h.reason)) this.logger.warn(`deposit ${h.deposit.guid} ${to}: ${h.reason} (${h.detail})`);
    }
    return { valued: written.valued.length, held: written.held.size };
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
}
