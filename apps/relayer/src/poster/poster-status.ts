/** What the poster did last, for /health ("why is nothing moving?"). */
export type PosterStatus = {
  lastRoundAt: string | null;
  lastResult: PostRoundResult | null;
  /** The last simulation that refused a batch: decoded receiver error, when, how many credits it carried. */
  lastRevert: { name: string; detail: string; at: string; batchSize: number } | null;
  lastError: string | null;
  /** The last batch whose pending transaction reached the fee cap (no further replacement). */
  lastFeeCap?: { batchId: number; txHash: string; maxFeePerGas: string; at: string } | undefined;
};

/** What one poster round did: messages reconciled from chain state, posted, confirmed from receipts, held, left waiting. */
export type PostRoundResult = { reconciled: number; posted: number; credited: number; held: number; waiting: number };
