import type { Fees } from '../chains/destination-submitter';

/** EIP-1559 fee fields of one transaction, wei (declared with the destination interface). */
export type { Fees };

export type BumpFeesParameters = {
  /** Fees of the transaction in the mempool now. */
  current: Fees;
  /** Fees of the first signing (the estimate): the cap is a multiple of these. */
  estimate: Fees;
  /** Per replacement, in percent (Hyperlane: 10). */
  percent?: number;
  /** Never above this multiple of the estimate (Hyperlane: 3). */
  capMultiplier?: number;
};

/**
 * Fees for a replacement of a stuck transaction (same nonce): each field × (1 + percent/100), rounded UP (nodes
 * refuse a replacement that is not at least 10 % dearer on both fields), capped at capMultiplier × the estimate.
 * Returns null when the capped fees would no longer be a full bump (nothing more to do: wait, or an operator acts).
 */
export function bumpFees({ current, estimate, percent = 10, capMultiplier = 3 }: BumpFeesParameters): Fees | null {
  const up = (v: bigint): bigint => (v * BigInt(100 + percent) + 99n) / 100n;
  const cap = (v: bigint): bigint => v * BigInt(capMultiplier);
  const next = { maxFeePerGas: up(current.maxFeePerGas), maxPriorityFeePerGas: up(current.maxPriorityFeePerGas) };
  if (next.maxFeePerGas > cap(estimate.maxFeePerGas) || next.maxPriorityFeePerGas > cap(estimate.maxPriorityFeePerGas)) return null;
  return next;
}
