import type { Logger } from '@nestjs/common';
import type { DestinationSubmitter, Fees } from '../chains/destination-submitter';
import type { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import type { ChainConfig } from '../config/config.schema';
import type { MetricsRegistry } from '../metrics/metrics-registry';
import type { BatchRepository } from '../store/batch.repository';
import type { Database } from '../store/database';
import type { DepositRepository } from '../store/deposit.repository';
import type { PosterStatus } from './poster-status';

/**
 * What every part of one destination's poster works with (destination-poster.ts builds it once and hands it to the
 * reconciler, the batch poster and the batch settler): the destination chain and its submitter, the store, the clock,
 * metrics, the logger and the poster's /health status.
 */
export type PosterContext = {
  destination: ChainConfig;
  submitter: DestinationSubmitter;
  config: AppConfig;
  deposits: DepositRepository;
  batches: BatchRepository;
  db: Database;
  clock: Clock;
  metrics: MetricsRegistry;
  logger: Logger;
  status: PosterStatus;
};

/**
 * A round's sending bookkeeping: the next account nonce, how many batches are SUBMITTED, the round's fees and the
 * block gas limit. Advanced by each broadcast (nonce, inFlight) and by each batch settled in the round (inFlight).
 */
export type SendCursor = { nonce: number; inFlight: number; fees: Fees; blockGasLimit: bigint };

/** A batch broadcast this round: its id and transaction hash (settled in the round if mined meanwhile). */
export type SentBatch = { id: number; hash: string };
