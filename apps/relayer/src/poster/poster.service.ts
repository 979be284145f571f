import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ChainRegistry } from '../chains/chain-registry';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { BatchRepository } from '../store/batch.repository';
import { Database } from '../store/database';
import { DepositRepository } from '../store/deposit.repository';
import { PathwayHaltRepository } from '../solvency/pathway-halt.repository';
import { AttestationQuorumService } from '../attester/attestation-quorum.service';
import type { AttesterStatus, QuorumAttestationProvider } from '../attester/quorum-attestation-provider';
import { attesterSigners } from '../attester/attest-batch';
import type { AttestationProvider } from './attestation-provider';
import { BatchPreparer } from './batch-preparer';
import { DestinationPoster, type PosterStatus, type PostRoundResult } from './destination-poster';
import { SolanaReleaser } from '../solana/solana-releaser';
import { releaseSigners, solanaPoster } from '../solana/release-signers-of-config';

export type { PosterStatus, PostRoundResult } from './destination-poster';

/**
 * Every destination contract's poster (destination-poster.ts): the derivatives chain's receiver (credits, voids,
 * release results) and each source chain's vault (withdrawals). One attestation provider (this process's keys, on a
 * worker thread) signs for all of them; each destination has its own submitter (account nonce, gas, fees), built by
 * the chain registry for the chain's family (chains/destination-submitter.ts).
 */
@Injectable()
export class PosterService implements OnApplicationShutdown {
  private readonly preparer: AttestationProvider;
  private readonly quorum: QuorumAttestationProvider | undefined;
  private readonly localAttesters: AttesterStatus[];
  /** Every destination's poster: batch posters (EVM contracts) and Solana vaults' releasers. */
  readonly posters: (DestinationPoster | SolanaReleaser)[] = [];
  /** The receiver's poster (the one /health has always shown). */
  readonly main: DestinationPoster;

  constructor(
    config: AppConfig,
    chains: ChainRegistry,
    deposits: DepositRepository,
    batches: BatchRepository,
    db: Database,
    clock: Clock,
    metrics: MetricsRegistry,
    halts: PathwayHaltRepository,
    quorum: AttestationQuorumService,
  ) {
    const logger = new Logger('PosterService');
    const localKeys = config.attesterKeys.map((k) => k.reveal());
    // Remote attesters configured: every batch is proposed to them (and signed by the local keys, if any) until the
    // threshold is met; else today's mode, every local key signing on the worker thread.
    this.quorum = quorum.provider;
    this.preparer = this.quorum ?? new BatchPreparer(localKeys, logger);
    this.localAttesters = attesterSigners(localKeys).map(({ address }) => ({ name: address, address, url: null, state: 'ok', lastAnswerAt: null, lastSignedAt: null, lastProblem: null, signed: 0, refused: 0 }));
    const common = { attestation: this.preparer, config, deposits, batches, db, clock, metrics, logger };
    const destination = chains.destination();
    const key = config.posterKey.reveal();
    // Config validation guarantees the destination has a receiver and every source a vault.
    // The solvency job's halts stop a pathway both ways: its credits and voids (the receiver's poster) and the
    // withdrawals to its vault (that vault's poster).
    this.main = new DestinationPoster({ ...common, chain: destination, submitter: chains.submitter(destination.eid, 'receiver', key), halts });
    this.posters.push(this.main);
    for (const source of chains.sources()) {
      if (source.family === 'evm') this.posters.push(new DestinationPoster({ ...common, chain: source, submitter: chains.submitter(source.eid, 'vault', key), halts }));
      else this.posters.push(new SolanaReleaser({ ...common, chain: source, adapter: chains.solana(source.eid), poster: solanaPoster(config, source.eid), signers: releaseSigners(config), halts }));
    }
  }

  get status(): PosterStatus {
    return this.main.status;
  }

  posterAddress(): string {
    return this.main.posterAddress();
  }

  /** GET /health `attesters`: every attester — the keys this process holds, and each remote attester's last answer. */
  attesters(): AttesterStatus[] {
    return this.quorum?.status() ?? this.localAttesters.map((a) => ({ ...a }));
  }

  /** One round of every destination's poster (in parallel: each is its own chain and account nonce). */
  async post(): Promise<PostRoundResult> {
    const results = await Promise.allSettled(this.posters.map((p) => p.post()));
    const sum: PostRoundResult = { reconciled: 0, posted: 0, credited: 0, held: 0, waiting: 0 };
    let failure: unknown;
    for (const r of results) {
      if (r.status === 'rejected') {
        failure ??= r.reason;
        continue;
      }
      for (const k of Object.keys(sum) as (keyof PostRoundResult)[]) sum[k] += r.value[k]; // the keys of PostRoundResult
    }
    // A failing destination does not stop the others; its error is reported once they are done.
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows a destination's rejection reason as it was
    if (failure !== undefined && sum.posted === 0) throw failure;
    return sum;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.preparer.close();
  }
}
