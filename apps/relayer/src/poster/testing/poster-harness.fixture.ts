import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeGuid } from '@ccr/messages';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ManualClock } from '../../common/clock';
import type { AppConfig } from '../../config/app-config';
import { FIXTURE_ENV, fixtureConfig } from '../../config/config.fixture';
import type { FinalityConfig, RelayerConfigInput } from '../../config/config.schema';
import { buildConfig } from '../../config/load-config';
import { MetricsRegistry } from '../../metrics/metrics-registry';
import { BatchRepository } from '../../store/batch.repository';
import { Batch } from '../../store/batch.entity';
import { dataSourceOptions } from '../../store/data-source-options';
import { Database } from '../../store/database';
import { DepositState } from '../../store/deposit-state';
import type { Deposit } from '../../store/deposit.entity';
import { DepositRepository } from '../../store/deposit.repository';
import { insertObserved } from '../../store/transition';
import { BatchPreparer } from '../batch-preparer';
import { DestinationPoster } from '../destination-poster';
import type { DestinationRole } from '../../chains/destination-submitter';
import { MessageKind } from '../../store/message-kind';
import type { PosterContext } from '../poster-context';
import { FakeDestination } from './fake-destination.fixture';

/** The chain's (and the relayer's) "now" at the start of every test, unix seconds. */
export const NOW = 1_750_000_000;
export const SRC_EID = 40101;
export const DST_EID = 40200;
/** The fixture's source vault (config.fixture.ts) as bytes32: the sender of every credit path. */
export const SRC_VAULT = `0x${'00'.repeat(12)}5fbdb2315678afecb367f032d93f642f64180aa3`;
const RECEIVER = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
/** The receiver as bytes32: the sender of every withdrawal path. */
export const RECEIVER_BYTES32 = `0x${'00'.repeat(12)}${RECEIVER.slice(2).toLowerCase()}`;
const VAULT = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

/** One log line the poster wrote. */
export type LogLine = { level: 'log' | 'warn' | 'error'; message: string };

/** A Nest logger that keeps what it is told (tests read the poster's log lines). */
export class CapturingLogger extends Logger {
  readonly lines: LogLine[] = [];
  override log(message: unknown): void {
    this.lines.push({ level: 'log', message: String(message) });
  }
  override warn(message: unknown): void {
    this.lines.push({ level: 'warn', message: String(message) });
  }
  override error(message: unknown): void {
    this.lines.push({ level: 'error', message: String(message) });
  }
  /** The messages containing `text`. */
  matching(text: string): string[] {
    return this.lines.filter((l) => l.message.includes(text)).map((l) => l.message);
  }
}

export type HarnessOptions = {
  /** Which destination the poster serves: the derivatives chain's receiver (default) or the source chain's vault. */
  role?: DestinationRole;
  /** The destination's finality (default: its `finalized` tag, which the fake chain reports as `chain.finalized`). */
  finality?: FinalityConfig;
  pipeline?: NonNullable<RelayerConfigInput['pipeline']>;
  batch?: NonNullable<RelayerConfigInput['batch']>;
};

/**
 * One destination poster (the receiver, or the source chain's vault) over a real SQLite file and a FakeDestination: the store, the clock, metrics,
 * a capturing logger, the in-process attestation provider with the fixture's attester key, and a `PosterContext`
 * over the same objects for driving one part (reconciler, settler) directly.
 */
export class PosterHarness {
  readonly clock = new ManualClock(new Date(NOW * 1000));
  readonly metrics = new MetricsRegistry();
  readonly logger = new CapturingLogger();
  readonly chain: FakeDestination;
  readonly config: AppConfig;
  readonly deposits: DepositRepository;
  readonly batches: BatchRepository;
  readonly db: Database;
  readonly poster: DestinationPoster;
  readonly ctx: PosterContext;
  private readonly preparer: BatchPreparer;

  private constructor(
    private readonly dir: string,
    private readonly ds: DataSource,
    options: HarnessOptions,
  ) {
    const role = options.role ?? 'receiver';
    this.chain = new FakeDestination(role, role === 'receiver' ? RECEIVER : VAULT, BigInt(NOW));
    const served = role === 'receiver' ? 'destination' : 'source';
    const raw = fixtureConfig();
    const chains = raw.chains.map((c) => (c.role === served && options.finality !== undefined ? { ...c, finality: options.finality } : c));
    this.config = buildConfig({ ...raw, chains, batch: { maxWaitMs: 0, ...options.batch }, pipeline: { autoStart: false, ...options.pipeline }, retry: { unitMs: 1000 } }, { env: FIXTURE_ENV, baseDir: dir }); // AppConfig is RelayerConfig by declaration merging
    this.db = new Database(ds);
    this.deposits = new DepositRepository(this.db, this.clock);
    this.batches = new BatchRepository(this.db);
    this.preparer = new BatchPreparer(
      this.config.attesterKeys.map((k) => k.reveal()),
      this.logger,
    );
    const destination = this.config.chains.find((c) => c.role === served)!; // the fixture has one source and one destination
    const common = { config: this.config, deposits: this.deposits, batches: this.batches, db: this.db, clock: this.clock, metrics: this.metrics, logger: this.logger };
    this.poster = new DestinationPoster({ ...common, chain: destination, submitter: this.chain, attestation: this.preparer });
    this.ctx = { ...common, destination, submitter: this.chain, status: { lastRoundAt: null, lastResult: null, lastRevert: null, lastError: null } };
  }

  static async open(options: HarnessOptions = {}): Promise<PosterHarness> {
    const dir = mkdtempSync(join(tmpdir(), 'ccr-poster-'));
    const ds = await new DataSource(dataSourceOptions(join(dir, 'relayer.sqlite'))).initialize();
    return new PosterHarness(dir, ds, options);
  }

  async close(): Promise<void> {
    await this.preparer.close();
    await this.ds.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The GUID of credit `nonce` on the fixture's path (source vault → this receiver). */
  guid(nonce: bigint): string {
    return computeGuid({ nonce, srcEid: SRC_EID, sender: SRC_VAULT, dstEid: DST_EID, receiver: this.chain.addressBytes32 });
  }

  /** Credits with these nonces, VALUED (priced, haircut), ready to post. Returns their GUIDs in order. */
  async valuedCredits(...nonces: bigint[]): Promise<string[]> {
    const guids: string[] = [];
    for (const nonce of nonces) {
      const guid = this.guid(nonce);
      const at = this.clock.now();
      await this.db.write((em) =>
        insertObserved(
          em,
          {
            guid,
            srcEid: SRC_EID,
            srcVault: SRC_VAULT,
            dstEid: DST_EID,
            nonce,
            depositor: `0x${'22'.repeat(32)}`,
            account: `0x${'33'.repeat(32)}`,
            token: `0x${'00'.repeat(12)}9fe46736679d2d9a65f0992f2272de9f3c7fa6e0`,
            amount: String(1_000_000n * nonce),
            blockNumber: 10,
            blockHash: `0x${'55'.repeat(32)}`,
            txHash: `0x${'66'.repeat(32)}`,
            logIndex: Number(nonce),
          },
          at,
        ),
      );
      await this.deposits.move(guid, DepositState.OBSERVED, DepositState.FINAL);
      await this.deposits.move(guid, DepositState.FINAL, DepositState.VALUED, {
        patch: {
          symbol: 'USDC',
          assetDecimals: 6,
          price: '1000000000000000000',
          priceTimestamp: NOW - 60,
          haircut: '20000000000000000',
          sizeWeight: '1000000000000000000',
          haircutValue: String(980_000_000_000n * nonce),
          valuedAt: at,
        },
      });
      guids.push(guid);
    }
    return guids;
  }

  /** Withdrawals (receiver → this vault) with these nonces, FINAL: ready to post. Returns their GUIDs in order. */
  async finalWithdrawals(...nonces: bigint[]): Promise<string[]> {
    const guids: string[] = [];
    for (const nonce of nonces) {
      const guid = computeGuid({ nonce, srcEid: DST_EID, sender: RECEIVER_BYTES32, dstEid: SRC_EID, receiver: this.chain.addressBytes32 });
      await this.db.write((em) =>
        insertObserved(
          em,
          {
            guid,
            kind: MessageKind.Withdrawal,
            srcEid: DST_EID,
            srcVault: RECEIVER_BYTES32,
            dstEid: SRC_EID,
            receiver: this.chain.addressBytes32,
            recipient: `0x${'00'.repeat(12)}${'77'.repeat(20)}`,
            nonce,
            depositor: `0x${'33'.repeat(32)}`,
            account: `0x${'33'.repeat(32)}`,
            token: `0x${'00'.repeat(12)}9fe46736679d2d9a65f0992f2272de9f3c7fa6e0`,
            amount: String(1_000n * nonce),
            blockNumber: 20,
            blockHash: `0x${'88'.repeat(32)}`,
            txHash: `0x${'99'.repeat(32)}`,
            logIndex: Number(nonce),
          },
          this.clock.now(),
        ),
      );
      await this.deposits.move(guid, DepositState.OBSERVED, DepositState.FINAL);
      guids.push(guid);
    }
    return guids;
  }

  row(guid: string): Promise<Deposit> {
    return this.deposits.get(guid);
  }

  /** Each row's state and reason, in the given order. */
  async states(guids: readonly string[]): Promise<[string, string | null][]> {
    const out: [string, string | null][] = [];
    for (const guid of guids) {
      const d = await this.deposits.get(guid);
      out.push([d.state, d.reason]);
    }
    return out;
  }

  /** A row's history as [from, to, reason] triples, oldest first. */
  async history(guid: string): Promise<[string | null, string, string | null][]> {
    return (await this.deposits.history(guid)).map((t) => [t.from, t.to, t.reason]);
  }

  /** Every batch of the destination, by id. */
  allBatches(): Promise<Batch[]> {
    return this.db.reader.find(Batch, { order: { id: 'ASC' } });
  }
}
