import { RelayerError } from '../common/relayer-error';
import type { DepositState } from './deposit-state';

/** The state machine refuses this change (see STATE_MACHINES in message-kind.ts). */
export class IllegalTransitionError extends RelayerError {
  override readonly name = 'IllegalTransitionError' as const;
  constructor(readonly guid: string, readonly from: DepositState | null, readonly to: DepositState) {
    super(`illegal transition ${from ?? '(new)'} → ${to} for ${guid}`, { details: { guid, from, to } });
  }
}

/** The deposit changed state under us (another writer got there first). */
export class StaleStateError extends RelayerError {
  override readonly name = 'StaleStateError' as const;
  constructor(readonly guid: string, readonly expected: DepositState, readonly actual: DepositState | undefined) {
    super(`deposit ${guid} is ${actual ?? 'missing'}, expected ${expected}`, { details: { guid, expected, actual } });
  }
}

export class DepositNotFoundError extends RelayerError {
  override readonly name = 'DepositNotFoundError' as const;
  constructor(readonly guid: string) {
    super(`no deposit ${guid}`, { details: { guid } });
  }
}
