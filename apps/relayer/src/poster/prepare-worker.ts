/** Worker thread of BatchPreparer (batch-preparer.ts): prepares batches with the attester keys it was started with. */
import { parentPort, workerData } from 'node:worker_threads';
import { attesterSigners } from '../attester/attest-batch';
import { prepareBatch, type PrepareBatchParameters } from './prepare-batch';

export type PrepareRequest = { id: number; params: PrepareBatchParameters };
export type PrepareResponse = { id: number; ok: true; attestation: ReturnType<typeof prepareBatch>['attestation']; calldata: Uint8Array } | { id: number; ok: false; name: string; message: string };

const signers = attesterSigners((workerData as { keys: string[] }).keys); // set by BatchPreparer
const port = parentPort!; // only ever started as a worker

port.on('message', (request: PrepareRequest) => {
  let response: PrepareResponse;
  try {
    const { attestation, calldata } = prepareBatch(request.params, signers);
    response = { id: request.id, ok: true, attestation, calldata };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    response = { id: request.id, ok: false, name: e.name, message: e.message };
  }
  port.postMessage(response);
});
