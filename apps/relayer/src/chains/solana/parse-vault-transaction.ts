import { type DepositMemo, MEMO_PROGRAM_ID, type MemoProblem, parseDepositMemos, parseReleaseMemo, type ReleaseMemo, solanaAddressToBytes32 } from '@ccr/messages';
import type { PublicKey, TokenBalance, VersionedTransactionResponse } from '@solana/web3.js';

/** The first SPL Memo program (v1): wallets still use it; its memos are read like v2's. */
const MEMO_V1_PROGRAM_ID = 'Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo';
const ZERO32 = `0x${'00'.repeat(32)}`;

/** A vault token account the parser looks for, by its base58 address. */
export type VaultAccountInfo = { mint: string; decimals: number };

/** What the parser needs to know of the vault: its token accounts, and the multisig that must sign a release. */
export type VaultShape = {
  accounts: ReadonlyMap<string, VaultAccountInfo>;
  multisigSigners: ReadonlySet<string>;
  threshold: number;
  nonceAccount: string;
  /** The derivatives chain a deposit memo must name. */
  dstEid: number;
};

/**
 * One vault token account's movement in one transaction, read from the transaction's meta (token balance deltas) and
 * memos alone — no program numbers it, so this is all an attester has to re-derive the same message:
 *  - `deposit`: the account's balance went up. `memo` is the parsed deposit memo, or the problem with it (missing,
 *    garbled, naming another eid): the deposit is stored all the same (the tokens are in the vault), with a zero
 *    account, and held until an operator voids and refunds it.
 *  - `release`: the multisig paid out of it with a release memo (status 1); or a release transaction signed by the
 *    multisig threshold that failed on chain (status 2: nothing moved, the durable nonce was used up).
 *  - `outflow`: the balance went down without a release memo (cannot happen without the multisig): reported, no message.
 */
export type VaultMovement =
  | { kind: 'deposit'; accountIndex: number; vaultAccount: string; mint: string; amount: bigint; depositor: string; memo: { ok: true; memo: DepositMemo } | { ok: false; problem: MemoProblem | 'wrong-eid'; detail: string } }
  | { kind: 'release'; accountIndex: number; vaultAccount: string; mint: string; amount: bigint; status: 1 | 2; memo: ReleaseMemo; recipient: string | null }
  | { kind: 'outflow'; accountIndex: number; vaultAccount: string; mint: string; amount: bigint };

/** The UTF-8 memos of a transaction's Memo instructions (undecodable bytes stay as U+FFFD, which no memo form accepts). */
export function memosOf(keys: readonly PublicKey[], instructions: readonly { programIdIndex: number; data: Uint8Array }[]): string[] {
  const decoder = new TextDecoder('utf-8');
  return instructions
    .filter((ix) => {
      const program = keys[ix.programIdIndex]?.toBase58();
      return program === MEMO_PROGRAM_ID || program === MEMO_V1_PROGRAM_ID;
    })
    .map((ix) => decoder.decode(ix.data));
}

function amountAt(balances: readonly TokenBalance[] | null | undefined, index: number, mint: string): bigint {
  const b = balances?.find((x) => x.accountIndex === index && x.mint === mint);
  return b === undefined ? 0n : BigInt(b.uiTokenAmount.amount);
}


/**
 * The owner (bytes32) of the token account of `mint` whose balance moved most in direction `sign` (−1: the one
 * debited — a deposit's depositor; +1: the one credited — a release's recipient), excluding the vault accounts.
 */
function counterparty(tx: VersionedTransactionResponse, mint: string, sign: 1 | -1, vaults: ReadonlyMap<string, VaultAccountInfo>, keys: readonly PublicKey[]): string | null {
  const pre = tx.meta?.preTokenBalances ?? [];
  const post = tx.meta?.postTokenBalances ?? [];
  const indexes = new Set([...pre, ...post].filter((b) => b.mint === mint).map((b) => b.accountIndex));
  let best: { owner: string; delta: bigint } | null = null;
  for (const i of [...indexes].sort((a, b) => a - b)) {
    if (vaults.has(keys[i]?.toBase58() ?? '')) continue;
    const delta = (amountAt(post, i, mint) - amountAt(pre, i, mint)) * BigInt(sign);
    const owner = [...post, ...pre].find((b) => b.accountIndex === i && b.mint === mint)?.owner;
    if (delta > 0n && owner !== undefined && (best === null || delta > best.delta)) best = { owner, delta };
  }
  return best === null ? null : solanaAddressToBytes32(best.owner);
}

/** The account keys of a transaction in index order (static keys, then those loaded from lookup tables). */
export function accountKeysOf(tx: VersionedTransactionResponse): PublicKey[] {
  return tx.transaction.message.getAccountKeys({ accountKeysFromLookups: tx.meta?.loadedAddresses ?? null }).keySegments().flat();
}

/** Every vault account movement of one transaction, in account-index order. */
export function parseVaultTransaction(tx: VersionedTransactionResponse, vault: VaultShape): VaultMovement[] {
  const keys = accountKeysOf(tx);
  const message = tx.transaction.message;
  const instructions = message.compiledInstructions.map((ix) => ({ programIdIndex: ix.programIdIndex, data: ix.data }));
  const memos = memosOf(keys, instructions);
  const releaseMemos = memos.map(parseReleaseMemo).filter((m): m is ReleaseMemo => m !== null);
  const out: VaultMovement[] = [];
  const failed = tx.meta === null || tx.meta.err !== null;
  keys.forEach((key, accountIndex) => {
    const vaultAccount = key.toBase58();
    const info = vault.accounts.get(vaultAccount);
    if (info === undefined) return;
    const { mint } = info;
    if (failed) {
      // Nothing moved; only a release the multisig threshold signed counts (its durable nonce is spent: reported failed).
      if (releaseMemos.length !== 1 || !signedByThreshold(tx, keys, vault)) return;
      const memo = releaseMemos[0]!;
      out.push({ kind: 'release', accountIndex, vaultAccount, mint, amount: memo.rawAmount, status: 2, memo, recipient: null });
      return;
    }
    const delta = amountAt(tx.meta?.postTokenBalances, accountIndex, mint) - amountAt(tx.meta?.preTokenBalances, accountIndex, mint);
    if (delta > 0n) {
      const parsed = parseDepositMemos(memos);
      const memo = parsed.ok && parsed.memo.dstEid !== vault.dstEid ? { ok: false as const, problem: 'wrong-eid' as const, detail: `the memo names eid ${parsed.memo.dstEid}, not the derivatives chain ${vault.dstEid}` } : parsed;
      out.push({ kind: 'deposit', accountIndex, vaultAccount, mint, amount: delta, depositor: counterparty(tx, mint, -1, vault.accounts, keys) ?? ZERO32, memo });
    } else if (delta < 0n) {
      const memo = releaseMemos.length === 1 ? releaseMemos[0]! : undefined;
      if (memo === undefined || memo.rawAmount !== -delta) out.push({ kind: 'outflow', accountIndex, vaultAccount, mint, amount: -delta });
      else out.push({ kind: 'release', accountIndex, vaultAccount, mint, amount: -delta, status: 1, memo, recipient: counterparty(tx, mint, 1, vault.accounts, keys) });
    }
  });
  return out;
}

/** Signed by at least `threshold` distinct multisig signers and advancing the vault's nonce account first (a release transaction's shape). */
function signedByThreshold(tx: VersionedTransactionResponse, keys: readonly PublicKey[], vault: VaultShape): boolean {
  const message = tx.transaction.message;
  const signers = keys.slice(0, message.header.numRequiredSignatures).map((k) => k.toBase58());
  const count = new Set(signers.filter((s) => vault.multisigSigners.has(s))).size;
  const first = message.compiledInstructions[0];
  const advancesNonce = first !== undefined && keys[first.programIdIndex]?.toBase58() === '11111111111111111111111111111111' && first.data.length >= 4 && first.data[0] === 4 && keys[first.accountKeyIndexes[0] ?? -1]?.toBase58() === vault.nonceAccount;
  return count >= vault.threshold && advancesNonce;
}
