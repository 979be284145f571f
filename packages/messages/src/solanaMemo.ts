/**
 * The Solana memos (docs/solana.md): the ONE TypeScript file of their format, replayed against
 * `packages/messages/vectors/solana-memos.json`. A Solana vault has no program of its own, so what an EVM vault's
 * `lock(account, …)` arguments say travels as an SPL Memo instruction in the same transaction:
 *
 *  - DEPOSIT memo, in the transaction that `transferChecked`s tokens into a vault token account:
 *      `ccr:v1:<dstEid>:<account>`
 *    `dstEid` is the derivatives chain's endpoint id (decimal, no leading zeros), `account` the derivatives-chain
 *    account credited: `0x` + 40 hex digits (an EVM address) or `0x` + 64 hex digits (bytes32), any case.
 *  - RELEASE memo, in the multisig transaction that pays a withdrawal out of a vault token account:
 *      `ccr:release:v1:<withdrawalGuid>:<withdrawalNonce>:<account>:<rawAmount>`
 *    the WITHDRAWAL's GUID (0x + 64 hex), its nonce and raw amount (decimal), and its account (0x + 64 hex): what the
 *    RELEASE_RESULT reported to the derivatives chain needs, read back from chain data alone.
 *
 * Parsing is strict (one form, nothing around it): anything else is `invalid` with a reason, never guessed at.
 */
import { isBytes32 } from './bytes32';
import type { Hex } from './hex';

export const DEPOSIT_MEMO_PREFIX = 'ccr:v1:';
export const RELEASE_MEMO_PREFIX = 'ccr:release:v1:';
/** The SPL Memo program (v2) that carries both. */
export const MEMO_PROGRAM_ID = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr';

const UINT32_MAX = 0xffff_ffffn;
const UINT64_MAX = (1n << 64n) - 1n;
const UINT128_MAX = (1n << 128n) - 1n;
const DECIMAL = /^(0|[1-9][0-9]*)$/;
const ACCOUNT = /^0x([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/;

/** Why a memo is not a deposit memo (persisted in a held deposit's detail; only ever extended). */
export type MemoProblem = 'missing' | 'ambiguous' | 'not-ccr' | 'bad-format' | 'bad-eid' | 'bad-account' | 'zero-account';

export type DepositMemo = { dstEid: number; account: Hex };
export type ParseDepositMemoReturnType = { ok: true; memo: DepositMemo } | { ok: false; problem: MemoProblem; detail: string };

/** Lowercase bytes32 of a memo account (an EVM address left-padded). */
function accountBytes32(account: string): Hex {
  const hex = account.slice(2).toLowerCase();
  return `0x${hex.padStart(64, '0')}`;
}

/** `ccr:v1:<dstEid>:<account>` → its fields; the memos of one transaction go in `parseDepositMemos`. */
export function parseDepositMemo(memo: string): ParseDepositMemoReturnType {
  if (!memo.startsWith('ccr:')) return { ok: false, problem: 'not-ccr', detail: `memo does not start with "ccr:"` };
  if (!memo.startsWith(DEPOSIT_MEMO_PREFIX)) return { ok: false, problem: 'bad-format', detail: `expected "${DEPOSIT_MEMO_PREFIX}<dstEid>:<account>"` };
  const parts = memo.slice(DEPOSIT_MEMO_PREFIX.length).split(':');
  if (parts.length !== 2) return { ok: false, problem: 'bad-format', detail: `expected "${DEPOSIT_MEMO_PREFIX}<dstEid>:<account>", found ${parts.length} fields after the prefix` };
  const [eid, account] = parts as [string, string]; // two parts, checked just above
  if (!DECIMAL.test(eid) || BigInt(eid) > UINT32_MAX) return { ok: false, problem: 'bad-eid', detail: `dstEid "${eid}" is not a uint32 in decimal` };
  if (!ACCOUNT.test(account)) return { ok: false, problem: 'bad-account', detail: `account "${account}" is not 0x + 40 or 64 hex digits` };
  const bytes32 = accountBytes32(account);
  if (/^0x0+$/.test(bytes32)) return { ok: false, problem: 'zero-account', detail: 'account is zero' };
  return { ok: true, memo: { dstEid: Number(eid), account: bytes32 } };
}

/**
 * The deposit memo of a transaction from all of its memos: exactly one of them may start with `ccr:` (others are
 * ignored: wallets add their own); none → 'missing', two → 'ambiguous'.
 */
export function parseDepositMemos(memos: readonly string[]): ParseDepositMemoReturnType {
  const ours = memos.filter((m) => m.startsWith('ccr:') && !m.startsWith(RELEASE_MEMO_PREFIX));
  if (ours.length === 0) return { ok: false, problem: 'missing', detail: memos.length === 0 ? 'the transaction carries no memo' : 'no memo starts with "ccr:"' };
  if (ours.length > 1) return { ok: false, problem: 'ambiguous', detail: `${ours.length} memos start with "ccr:"` };
  return parseDepositMemo(ours[0]!);
}

export function encodeDepositMemo(memo: DepositMemo): string {
  if (!Number.isInteger(memo.dstEid) || memo.dstEid < 0 || BigInt(memo.dstEid) > UINT32_MAX) throw new RangeError(`dstEid ${memo.dstEid} is not a uint32`);
  if (!ACCOUNT.test(memo.account)) throw new RangeError(`account ${memo.account} is not 0x + 40 or 64 hex digits`);
  return `${DEPOSIT_MEMO_PREFIX}${memo.dstEid}:${memo.account.toLowerCase()}`;
}

export type ReleaseMemo = { withdrawalGuid: Hex; withdrawalNonce: bigint; account: Hex; rawAmount: bigint };

export function encodeReleaseMemo(memo: ReleaseMemo): string {
  for (const [name, value] of [['withdrawalGuid', memo.withdrawalGuid], ['account', memo.account]] as const)
    if (!isBytes32(value)) throw new RangeError(`${name} ${String(value)} is not a bytes32`);
  if (memo.withdrawalNonce <= 0n || memo.withdrawalNonce > UINT64_MAX) throw new RangeError(`withdrawalNonce ${memo.withdrawalNonce} is not a uint64 above 0`);
  if (memo.rawAmount <= 0n || memo.rawAmount > UINT128_MAX) throw new RangeError(`rawAmount ${memo.rawAmount} is not a uint128 above 0`);
  return `${RELEASE_MEMO_PREFIX}${memo.withdrawalGuid.toLowerCase()}:${memo.withdrawalNonce}:${memo.account.toLowerCase()}:${memo.rawAmount}`;
}

/** `ccr:release:v1:…` → its fields, or null when it is not exactly that form. */
export function parseReleaseMemo(memo: string): ReleaseMemo | null {
  if (!memo.startsWith(RELEASE_MEMO_PREFIX)) return null;
  const parts = memo.slice(RELEASE_MEMO_PREFIX.length).split(':');
  if (parts.length !== 4) return null;
  const [guid, nonce, account, amount] = parts as [string, string, string, string]; // four parts, checked just above
  if (!/^0x[0-9a-f]{64}$/.test(guid) || !/^0x[0-9a-f]{64}$/.test(account) || !DECIMAL.test(nonce) || !DECIMAL.test(amount)) return null;
  const withdrawalNonce = BigInt(nonce);
  const rawAmount = BigInt(amount);
  if (withdrawalNonce === 0n || withdrawalNonce > UINT64_MAX || rawAmount === 0n || rawAmount > UINT128_MAX) return null;
  return { withdrawalGuid: guid as Hex, withdrawalNonce, account: account as Hex, rawAmount }; // both matched 0x + 64 hex digits above
}
