import { RelayerError, describeError } from '../common/relayer-error';

/** An RPC call failed or timed out. Retried by the stage that made it. */
export class ChainRpcError extends RelayerError {
  override readonly name = 'ChainRpcError' as const;
  constructor(readonly chain: string, readonly call: string, cause: unknown) {
    super(`${chain}: ${call} failed: ${describeError(cause)}`, { details: { chain, call }, cause });
  }
}

export class UnknownChainError extends RelayerError {
  override readonly name = 'UnknownChainError' as const;
  constructor(readonly eid: number) {
    super(`no chain with eid ${eid} is configured`, { details: { eid } });
  }
}

/** A read needs a contract the chain's config does not name (a vault read on the derivatives chain, or the reverse). */
export class MissingContractError extends RelayerError {
  override readonly name = 'MissingContractError' as const;
  constructor(readonly chain: string, readonly contract: 'vault' | 'receiver') {
    super(`${chain} has no ${contract} configured`, { details: { chain, contract } });
  }
}

/** A price feed's address has no code on its chain (not deployed there, or misconfigured): held `feed-missing`. */
export class FeedMissingError extends RelayerError {
  override readonly name = 'FeedMissingError' as const;
  constructor(readonly chain: string, readonly feed: string, readonly block: number | 'latest') {
    super(`${chain}: price feed ${feed} has no code at block ${block}`, { details: { chain, feed, block } });
  }
}

/**
 * A price feed's call reverted, or answered something that is not its ABI's answer (empty, undecodable): a problem
 * of the feed, not of the RPC endpoint (which is not deprioritized for it). Held `feed-error`.
 */
export class FeedCallError extends RelayerError {
  override readonly name = 'FeedCallError' as const;
  constructor(readonly chain: string, readonly feed: string, readonly call: string, cause: unknown) {
    super(`${chain}: price feed ${feed} ${call}() failed: ${describeError(cause)}`, { details: { chain, feed, call }, cause });
  }
}
