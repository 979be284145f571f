import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@nestjs/common';
import { type AttesterSigners, attesterSigners } from '../attester/attest-batch';
import { RelayerError } from '../common/relayer-error';
import { prepareBatch, type PrepareBatchParameters, type PreparedBatch } from './prepare-batch';
import type { PrepareRequest, PrepareResponse } from './prepare-worker';
import type { AttestationProvider } from './attestation-provider';

/** A batch the worker thread could not prepare (its error, by name and message). */
export class PrepareBatchError extends RelayerError {
  override readonly name = 'PrepareBatchError' as const;
  constructor(readonly errorName: string, message: string) {
    super(`${errorName}: ${message}`, { details: { errorName } });
  }
}

/**
 * Prepares batches (packets, attestation, calldata: prepare-batch.ts) on a worker thread, so the ~0.5 ms of hashing
 * and signing per credit runs on another core while the main thread simulates, persists and broadcasts the batch
 * before it. In process when the worker cannot run (sources run through a TypeScript loader, as under jest) or has
 * died. Results are the same either way: the worker runs the same function with the same keys.
 */
export class BatchPreparer implements AttestationProvider {
  private readonly signers: AttesterSigners;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (b: PreparedBatch) => void; reject: (e: Error) => void }>();
  private seq = 0;

  constructor(
    private readonly keys: readonly string[],
    private readonly logger: Logger,
  ) {
    this.signers = attesterSigners(keys);
    const file = join(__dirname, 'prepare-worker.js');
    if (__filename.endsWith('.js') && existsSync(file)) this.start(file);
  }

  /** True when batches are prepared on the worker thread. */
  get threaded(): boolean {
    return this.worker !== undefined;
  }

  prepare(params: PrepareBatchParameters): Promise<PreparedBatch> {
    const worker = this.worker;
    if (worker === undefined) return new Promise((resolve) => resolve(prepareBatch(params, this.signers)));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: PrepareRequest = { id, params };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) await worker.terminate();
    this.failPending(new PrepareBatchError('Closed', 'batch preparer closed'));
  }

  private start(file: string): void {
    const worker = new Worker(file, { workerData: { keys: [...this.keys] } });
    worker.unref();
    worker.on('message', (response: PrepareResponse) => {
      const waiter = this.pending.get(response.id);
      if (waiter === undefined) return;
      this.pending.delete(response.id);
      if (response.ok) {
        const { calldata } = response;
        waiter.resolve({ attestation: response.attestation, calldata: Buffer.from(calldata.buffer, calldata.byteOffset, calldata.byteLength) });
      } else waiter.reject(new PrepareBatchError(response.name, response.message));
    });
    const down = (why: string): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.logger.warn(`batch preparer worker ${why}: preparing batches in process from now on`);
      this.failPending(new PrepareBatchError('WorkerDown', why));
    };
    worker.on('error', (error) => down(`failed (${error.message})`));
    worker.on('exit', (code) => down(`exited (${code})`));
    this.worker = worker;
  }

  private failPending(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
