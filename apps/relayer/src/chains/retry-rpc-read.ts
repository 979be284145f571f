import { ChainRpcError } from './chain-errors';

/** The pauses between the boot check's attempts at a read that failed with an RPC error (0.5 s, then 2 s). */
export const BOOT_READ_RETRY_MS: readonly number[] = [500, 2_000];

/**
 * `read()`'s value, trying again after each of `retryDelaysMs` while it fails with a ChainRpcError (a node restarting,
 * one dropped request); the last error, or any other error at once, is thrown. For one-off reads such as the boot
 * check's: the pipeline's own reads are retried by their stage's next round instead.
 */
export async function retryRpcRead<T>(read: () => Promise<T>, retryDelaysMs: readonly number[] = BOOT_READ_RETRY_MS): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof ChainRpcError) || attempt >= retryDelaysMs.length) throw error;
      await new Promise((r) => setTimeout(r, retryDelaysMs[attempt]));
    }
  }
}
