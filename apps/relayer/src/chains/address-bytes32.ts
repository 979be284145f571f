import { addressToBytes32 } from '@ccr/messages';

/** Addresses already normalised (a watcher meets the same vault, token and account addresses again and again). */
const BYTES32_CACHE = new Map<string, string>();
const BYTES32_CACHE_MAX = 10_000;

/**
 * Any chain's address in its own notation → lowercase bytes32, by `addressToBytes32` of @ccr/messages — the one place
 * addresses are normalised (it refuses anything else): a 20-byte EVM address left-padded, a base58 Solana key as its
 * 32 bytes, a bytes32 as is. Memoised for the hot paths.
 */
export function toBytes32(address: string): string {
  let b = BYTES32_CACHE.get(address);
  if (b === undefined) {
    b = addressToBytes32(address);
    if (BYTES32_CACHE.size < BYTES32_CACHE_MAX) BYTES32_CACHE.set(address, b);
  }
  return b;
}
