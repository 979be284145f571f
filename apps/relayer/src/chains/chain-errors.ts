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
