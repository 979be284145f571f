import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ChainAdapter, FeedReading } from '../chains/chain-adapter';
import type { ChainRegistry } from '../chains/chain-registry';
import { ManualClock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { FIXTURE_ENV, fixtureConfig } from '../config/config.fixture';
import type { RelayerConfigInput } from '../config/config.schema';
import { buildConfig } from '../config/load-config';
import { LimitAdmission } from '../limits/limit-admission.entity';
import { LimitsRepository } from '../limits/limits.repository';
import { LimitsService } from '../limits/limits.service';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { dataSourceOptions } from '../store/data-source-options';
import { Database } from '../store/database';
import { DepositState, HeldReason } from '../store/deposit-state';
import { DepositRepository } from '../store/deposit.repository';
import { insertObserved } from '../store/transition';
import { AssetRegistry } from './asset-registry';
import { ValuationService } from './valuation.service';

/**
 * Valuation with limits on the source chain, on a real SQLite file: 10,000 USD per 20 s window, single transfers above
 * 6,000 USD wait 8 s from finality. USDC at exactly 1 USD, haircut 2 %: 4,000 USDC → 3,920 USD.
 */
const T0 = 1_750_000_000_000;
const USD = 10n ** 18n;
const USDC = `0x000000000000000000000000${'9fe46736679d2d9a65f0992f2272de9f3c7fa6e0'}`;
const VAULT = `0x${'11'.repeat(32)}`;
const OTHER_VAULT = `0x${'12'.repeat(32)}`;
const W = 20_000;
const DELAY = 8_000;

let dir: string;
let ds: DataSource;
let db: Database;
let repo: DepositRepository;
let clock: ManualClock;
let config: AppConfig;
let metrics: MetricsRegistry;
let limits: LimitsService;
let service: ValuationService;
let feed: FeedReading;
let n = 0;

function limitedConfig(): RelayerConfigInput {
  const base = fixtureConfig();
  const [src, dst] = base.chains;
  return { ...base, retry: { unitMs: 1000 }, chains: [{ ...src!, limits: { notionalLimitUsd: '10000', windowSeconds: W / 1000, singleTransferLimitUsd: '6000', largeTransferDelaySeconds: DELAY / 1000 } }, dst!] };
}

function build(): void {
  limits = new LimitsService(config, new LimitsRepository(db), clock, metrics);
  const adapter: Pick<ChainAdapter, 'readFeed'> = { readFeed: () => Promise.resolve({ ...feed, blockTimestamp: BigInt(Math.floor(clock.now().getTime() / 1000)) }) };
  const chains = { get: () => adapter } as unknown as ChainRegistry; // only get().readFeed is used by the service
  service = new ValuationService(repo, new AssetRegistry(config), chains, clock, config, limits);
}

beforeAll(() => {
  Logger.overrideLogger(false);
});

beforeEach(async () => {
  n = 0;
  dir = mkdtempSync(join(tmpdir(), 'ccr-limits-'));
  ds = await new DataSource(dataSourceOptions(join(dir, 'relayer.sqlite'))).initialize();
  db = new Database(ds);
  clock = new ManualClock(new Date(T0));
  repo = new DepositRepository(db, clock);
  config = buildConfig(limitedConfig(), { env: FIXTURE_ENV, baseDir: dir }); // AppConfig is RelayerConfig by declaration merging
  metrics = new MetricsRegistry();
  feed = { roundId: 1n, answer: 100_000_000n, decimals: 8, updatedAt: BigInt(T0 / 1000), blockTimestamp: BigInt(T0 / 1000) };
  build();
});

afterEach(async () => {
  await ds.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** A FINAL USDC deposit of `usdc` whole tokens, next nonce of `vault`'s path, final now. */
async function finalDeposit(usdc: bigint, vault = VAULT): Promise<string> {
  n++;
  const guid = `0x${n.toString(16).padStart(64, '0')}`;
  await db.write((em) =>
    insertObserved(
      em,
      { guid, srcEid: 40101, srcVault: vault, dstEid: 40200, nonce: BigInt(n), depositor: `0x${'22'.repeat(32)}`, account: `0x${'33'.repeat(32)}`, token: USDC, amount: (usdc * 10n ** 6n).toString(), blockNumber: n, blockHash: guid, txHash: guid, logIndex: 0 },
      clock.now(),
    ),
  );
  await repo.move(guid, DepositState.OBSERVED, DepositState.FINAL);
  return guid;
}

/** What the poster does to a VALUED deposit, up to CREDITED now. */
async function credit(guid: string): Promise<void> {
  for (const [from, to] of [
    [DepositState.VALUED, DepositState.ATTESTED],
    [DepositState.ATTESTED, DepositState.SUBMITTED],
    [DepositState.SUBMITTED, DepositState.CONFIRMING],
  ] as const)
    await repo.move(guid, from, to);
  await repo.move(guid, DepositState.CONFIRMING, DepositState.CREDITED, { patch: { creditedAt: clock.now() } });
}

/** The admin retry's transition (api.service.ts retryTransition): HELD/FAILED → HELD 'manual', due now. */
async function operatorRetry(guid: string): Promise<void> {
  const d = await repo.get(guid);
  await repo.move(guid, d.state, DepositState.HELD, { reason: HeldReason.Manual, detail: { previousReason: d.reason }, patch: { nextAttemptAt: clock.now(), attempts: 0, reasonDetail: d.reasonDetail } });
}

const state = async (guid: string): Promise<[string, string | null, number | null]> => {
  const d = await repo.get(guid);
  return [d.state, d.reason, d.nextAttemptAt?.getTime() ?? null];
};

describe('valuation with limits', () => {
  it('credits within the window; the next one waits (rate-limited) until the expiry that makes room, the one behind it waits its turn', async () => {
    const a = await finalDeposit(4_000n);
    const b = await finalDeposit(4_000n);
    expect(await service.valueDue()).toEqual({ valued: 2, held: 0 });
    await credit(a);
    clock.advance(1_000);
    await credit(b);
    clock.advance(1_000);
    const c = await finalDeposit(3_000n); // 2,940 USD: 7,840 + 2,940 > 10,000; A's expiry frees 3,920
    const d = await finalDeposit(100n); // 98 USD would fit, but it is behind C on the path
    expect(await service.valueDue()).toEqual({ valued: 0, held: 2 });
    expect(await state(c)).toEqual([DepositState.HELD, HeldReason.RateLimited, T0 + W]);
    expect(await state(d)).toEqual([DepositState.HELD, HeldReason.LimitQueued, T0 + W]);
    const held = await repo.get(c);
    expect(held.haircutValue).toBe((2_940n * USD).toString()); // its valuation is shown while it waits
    expect(held.attempts).toBe(0);
    expect(held.reasonDetail).toBe("2940 USD would take the chain's window to 10780 USD, over its 10000 USD limit per 20s; it fits at 2025-06-15T15:07:00.000Z");
    expect(await repo.blockerOf(await repo.get(d))).toBe(c);

    // GET /limits and the gauges.
    const status = await limits.status();
    expect(status.chains).toEqual([
      {
        chain: 'src',
        eid: 40101,
        enabled: true,
        notionalLimitUsd: (10_000n * USD).toString(),
        windowSeconds: 20,
        singleTransferLimitUsd: (6_000n * USD).toString(),
        largeTransferDelaySeconds: 8,
        usedUsd: (7_840n * USD).toString(),
        creditedUsd: (7_840n * USD).toString(),
        inFlightUsd: '0',
        remainingUsd: (2_160n * USD).toString(),
        nextExpiryAt: new Date(T0 + W).toISOString(),
        nextExpiryUsd: (3_920n * USD).toString(),
        waiting: { 'rate-limited': 1, 'large-transfer-delay': 0, 'limit-queued': 1, 'over-limit': 0 },
      },
    ]);
    expect([metrics.gauge('ccr_limit_used_usd', { chain: 'src', eid: 40101 }), metrics.gauge('ccr_limit_remaining_usd', { chain: 'src', eid: 40101 })]).toEqual([7840, 2160]);

    // Not a millisecond early (no history churn either), then both at once, in order.
    clock.set(new Date(T0 + W - 1));
    expect(await service.valueDue()).toEqual({ valued: 0, held: 0 });
    clock.set(new Date(T0 + W));
    expect(await service.valueDue()).toEqual({ valued: 2, held: 0 });
    expect((await repo.history(c)).map((t) => [t.to, t.reason])).toEqual([
      [DepositState.OBSERVED, null],
      [DepositState.FINAL, null],
      [DepositState.HELD, HeldReason.RateLimited],
      [DepositState.VALUED, null],
    ]);
    expect((await repo.get(d)).state).toBe(DepositState.VALUED);
    // Window now: B credited (3,920) + C and D on their way.
    expect((await limits.status()).chains[0]).toMatchObject({ usedUsd: (3_920n * USD + 2_940n * USD + 98n * USD).toString(), inFlightUsd: (3_038n * USD).toString() });
  });

  it('what is left of the limit is taken to the last unit; with nothing credited yet, one over looks again a whole window later', async () => {
    const a = await finalDeposit(5_000n); // 4,900
    const b = await finalDeposit(5_000n); // 4,900: 9,800
    const c = await finalDeposit(204n); // 199.92 → 9,999.92
    await service.valueDue();
    expect((await Promise.all([a, b, c].map(state))).map((s) => s[0])).toEqual([DepositState.VALUED, DepositState.VALUED, DepositState.VALUED]);
    const exact = await finalDeposit(0n); // 0.08 USD left: a deposit worth just under that fits
    await ds.query(`UPDATE "deposit" SET "amount" = ? WHERE "guid" = ?`, [String(81_632n), exact]); // 0.081632 USDC · 0.98 = 0.07999936 USD
    const over = await finalDeposit(1n); // 0.98 USD: over
    await service.valueDue();
    expect(await state(exact)).toEqual([DepositState.VALUED, null, null]);
    expect(await state(over)).toEqual([DepositState.HELD, HeldReason.RateLimited, T0 + W]); // everything is on its way: nothing expires before a window
  });

  it('a transfer above the single-transfer limit waits its delay from finality, then is valued', async () => {
    const big = await finalDeposit(7_000n); // 6,860 USD > 6,000
    const finalAt = (await repo.history(big)).find((t) => t.to === String(DepositState.FINAL))!.at.getTime();
    clock.advance(500);
    await service.valueDue();
    expect(await state(big)).toEqual([DepositState.HELD, HeldReason.LargeTransferDelay, finalAt + DELAY]);
    expect((await repo.get(big)).reasonDetail).toBe(
      `6860 USD is above the chain's single-transfer limit of 6000 USD: it waits 8s from its finality, until ${new Date(finalAt + DELAY).toISOString()} (an operator retry releases it)`,
    );
    clock.set(new Date(finalAt + DELAY - 1));
    expect(await service.valueDue()).toEqual({ valued: 0, held: 0 });
    clock.set(new Date(finalAt + DELAY));
    expect(await service.valueDue()).toEqual({ valued: 1, held: 0 });
    expect(await ds.getRepository(LimitAdmission).findOneByOrFail({ guid: big })).toMatchObject({ srcEid: 40101, haircutValue: (6_860n * USD).toString(), released: 0 });
  });

  it('an operator retry releases a large transfer early, whatever the window (it still counts)', async () => {
    const first = await finalDeposit(5_000n); // 4,900 on its way
    await service.valueDue();
    const big = await finalDeposit(7_000n);
    await service.valueDue();
    expect((await state(big))[1]).toBe(HeldReason.LargeTransferDelay);
    await operatorRetry(big);
    expect(await service.valueDue()).toEqual({ valued: 1, held: 0 });
    expect((await repo.get(big)).state).toBe(DepositState.VALUED);
    expect(await ds.getRepository(LimitAdmission).findOneByOrFail({ guid: big })).toMatchObject({ released: 1 });
    expect((await limits.status()).chains[0]).toMatchObject({ usedUsd: (11_760n * USD).toString(), remainingUsd: '0' });
    expect((await repo.get(first)).state).toBe(DepositState.VALUED);
    // A retry of a rate-limited deposit is no release: it is looked at again, and waits again.
    const next = await finalDeposit(10n);
    await service.valueDue();
    expect((await state(next))[1]).toBe(HeldReason.RateLimited);
    await operatorRetry(next);
    await service.valueDue();
    expect(await state(next)).toEqual([DepositState.HELD, HeldReason.RateLimited, T0 + W]);
  });

  it('a deposit above the whole limit is FAILED over-limit (an operator decides); its path waits; a retry releases it', async () => {
    const huge = await finalDeposit(12_000n); // 11,760 USD > 10,000
    const behind = await finalDeposit(10n);
    const elsewhere = await finalDeposit(10n, OTHER_VAULT); // another path of the chain is not held
    expect(await service.valueDue()).toEqual({ valued: 1, held: 2 });
    expect(await state(huge)).toEqual([DepositState.FAILED, HeldReason.OverLimit, null]);
    expect((await repo.history(huge)).slice(2).map((t) => [t.from, t.to, t.reason])).toEqual([
      [DepositState.FINAL, DepositState.HELD, HeldReason.OverLimit],
      [DepositState.HELD, DepositState.FAILED, HeldReason.OverLimit],
    ]);
    expect(await state(behind)).toEqual([DepositState.HELD, HeldReason.LimitQueued, T0 + W]);
    expect((await repo.get(elsewhere)).state).toBe(DepositState.VALUED);
    clock.advance(3 * W); // time alone never releases it
    await service.valueDue();
    expect((await state(huge))[0]).toBe(DepositState.FAILED);

    await operatorRetry(huge);
    expect(await service.valueDue()).toEqual({ valued: 1, held: 0 }); // released: admitted whatever the window
    expect((await repo.get(huge)).state).toBe(DepositState.VALUED);
    // Next round the one behind it is woken (before its own time) and meets the window: 11,760 on its way holds it.
    const now = clock.now().getTime();
    expect(await service.valueDue()).toEqual({ valued: 0, held: 1 });
    expect(await state(behind)).toEqual([DepositState.HELD, HeldReason.RateLimited, now + W]);
  });

  it('an admitted deposit that falls back to HELD still counts at its admitted value and is not checked again', async () => {
    const a = await finalDeposit(4_000n);
    const b = await finalDeposit(4_000n, OTHER_VAULT);
    await service.valueDue();
    await repo.hold({ guid: a, from: DepositState.VALUED, reason: HeldReason.WouldRevert, detail: 'test', unitMs: 1000, maxAttempts: 66 });
    expect((await limits.status()).chains[0]!.usedUsd).toBe((7_840n * USD).toString());
    feed = { ...feed, answer: 150_000_000n }; // re-valued at 1.50: 5,880 — a new check would refuse it
    clock.advance(5_000);
    expect(await service.valueDue()).toEqual({ valued: 1, held: 0 });
    expect((await repo.get(a)).haircutValue).toBe((5_880n * USD).toString());
    expect((await limits.status()).chains[0]!.usedUsd).toBe((7_840n * USD).toString());
    expect((await repo.get(b)).state).toBe(DepositState.VALUED);
  });

  it('reads the window from the store: a restart (new service) sees the same usage and the same holds', async () => {
    const a = await finalDeposit(4_000n);
    const b = await finalDeposit(4_000n);
    await service.valueDue();
    await credit(a);
    await credit(b);
    const c = await finalDeposit(3_000n);
    await service.valueDue();
    const before = await limits.status();
    build(); // a new process: nothing in memory
    expect((await limits.status()).chains).toEqual(before.chains);
    // Its first round looks at the limits holds again: same decision, nothing rewritten.
    const history = (await repo.history(c)).length;
    expect(await service.valueDue()).toEqual({ valued: 0, held: 0 });
    expect((await repo.history(c)).length).toBe(history);
    expect(await state(c)).toEqual([DepositState.HELD, HeldReason.RateLimited, T0 + W]);
  });

  it('limits removed from the config: the limits holds are released at the next round', async () => {
    await finalDeposit(6_000n); // 5,880
    const wait = await finalDeposit(5_000n); // 4,900: over
    await service.valueDue();
    expect((await state(wait))[1]).toBe(HeldReason.RateLimited);
    const base = fixtureConfig();
    config = buildConfig({ ...base, retry: { unitMs: 1000 } }, { env: FIXTURE_ENV, baseDir: dir }); // AppConfig is RelayerConfig by declaration merging
    build();
    expect(await service.valueDue()).toEqual({ valued: 1, held: 0 });
    expect((await limits.status()).chains).toEqual([expect.objectContaining({ chain: 'src', enabled: false, usedUsd: null })]);
  });
});
