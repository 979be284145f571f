import { solanaAddressToBytes32 } from '@ccr/messages';
import { PublicKey } from '@solana/web3.js';
import { toBytes32 } from '../chains/address-bytes32';
import { decodeReleaseMessage, type ReleaseIntent, ReleaseMessageError } from '../chains/solana/release-transaction';
import type { SolanaChainAdapter } from '../chains/solana/solana-chain-adapter';
import { describeError } from '../common/relayer-error';
import { DepositState } from '../store/deposit-state';
import type { Deposit } from '../store/deposit.entity';
import { MessageKind } from '../store/message-kind';
import { RefusalReason } from '../attester/attest-api';

/** Refused with one of the attester API's reasons a release can have: malformed, not-seen, not-final, field-mismatch, already-released, nonce-moved, not-a-signer, rpc-error. */
export type ReleaseCheck = { ok: true; intent: ReleaseIntent } | { ok: false; reason: RefusalReason; detail: string };

export type VerifyReleaseParameters = {
  adapter: SolanaChainAdapter;
  message: Uint8Array;
  /** The withdrawal rows of this process's own store (its watcher's), by GUID. */
  rows: { getMany(guids: readonly string[]): Promise<Deposit[]> };
  /** The key that would sign (null: just check the message, e.g. the relayer before asking). */
  signer: PublicKey | null;
  /** How long to wait for the withdrawal to reach this store at finality (`attester.awaitMs`; the relayer: 0). */
  awaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

const POLL_MS = 100;

const FINAL_OR_LATER = new Set<DepositState>([DepositState.FINAL, DepositState.ATTESTED, DepositState.SUBMITTED, DepositState.CONFIRMING, DepositState.DELIVERED, DepositState.HELD, DepositState.FAILED]);

/**
 * An independent attester's check of a Solana release before it adds its multisig signature (docs/solana.md
 * "Releases"). A release transaction has no program to refuse a second payment of one withdrawal, so these rules are
 * what makes each withdrawal pay out at most once:
 *  1. the message is exactly the release layout for this vault (decodeReleaseMessage: durable nonce first, the vault
 *     token account of a configured mint, the multisig with exactly its threshold of signers, one release memo);
 *  2. its memo names a WITHDRAWAL this attester's own watcher stored at its finality, addressed to this vault, and the
 *     message pays exactly it: account, raw amount, mint, withdrawal nonce, recipient;
 *  3. the finalized history has no release of that withdrawal yet (success or failure), and the nonce account holds
 *     the message's nonce at BOTH `finalized` and `confirmed` — the nonce only moves by an executed transaction, so an
 *     earlier release of the same withdrawal would be in the finalized history, and a signed message whose nonce has
 *     moved on can never execute.
 * Any read error is a refusal, never a signature.
 */
export async function verifyRelease(p: VerifyReleaseParameters): Promise<ReleaseCheck> {
  const no = (reason: RefusalReason, detail: string): ReleaseCheck => ({ ok: false, reason, detail });
  const { adapter } = p;
  let intent: ReleaseIntent;
  try {
    const shape = await adapter.vaultShape();
    const vaults = new Map([...shape.accounts].map(([account, info]) => [info.mint, { account: new PublicKey(account), decimals: info.decimals }]));
    intent = decodeReleaseMessage(p.message, { nonceAccount: adapter.nonceAccount, multisig: adapter.multisig, multisigSigners: [...shape.multisigSigners].map((s) => new PublicKey(s)), threshold: shape.threshold, vaults });
  } catch (error) {
    if (error instanceof ReleaseMessageError) return no(RefusalReason.Malformed, error.message);
    return no(RefusalReason.RpcError, describeError(error));
  }
  if (p.signer !== null && !intent.signers.some((s) => s.equals(p.signer!))) return no(RefusalReason.NotASigner, `${p.signer.toBase58()} is not one of the transfer's signers`);
  const guid = intent.memo.withdrawalGuid.toLowerCase();
  // This attester's watcher may be a round behind the relayer's: wait for the withdrawal, as POST /attest does.
  const sleep = p.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + (p.awaitMs ?? 0);
  let [row] = await p.rows.getMany([guid]);
  while ((row === undefined || !FINAL_OR_LATER.has(row.state)) && Date.now() < deadline) {
    await sleep(POLL_MS);
    [row] = await p.rows.getMany([guid]);
  }
  if (row === undefined) return no(RefusalReason.NotSeen, `no withdrawal ${guid} in this attester's store`);
  if (!FINAL_OR_LATER.has(row.state)) return no(RefusalReason.NotFinal, `withdrawal ${guid} is ${row.state} here`);
  const mismatch = fieldMismatch(row, intent, adapter);
  if (mismatch !== null) return no(RefusalReason.FieldMismatch, mismatch);
  try {
    // The nonce first, with the slot it was read at; then the history at least up to that slot. (The other order
    // could see a nonce advanced by a release of this very withdrawal finalized between the two reads, and not the
    // release itself.)
    const [atFinal, atConfirmed] = await Promise.all([adapter.durableNonce('finalized'), adapter.durableNonce('confirmed')]);
    await adapter.ledger.syncTo(atFinal.slot);
    if (adapter.ledger.finalSlot < atFinal.slot) return no(RefusalReason.RpcError, `the finalized history reaches slot ${adapter.ledger.finalSlot}, not the nonce's slot ${atFinal.slot} yet`);
    if (adapter.ledger.hasResult(guid)) return no(RefusalReason.AlreadyReleased, `withdrawal ${guid} already has a release in the finalized history`);
    return checkNonce(intent, atFinal.nonce, atConfirmed.nonce);
  } catch (error) {
    return no(RefusalReason.RpcError, describeError(error));
  }
}

/** The message's nonce must be the nonce account's at both commitments. */
function checkNonce(intent: ReleaseIntent, atFinal: string | null, atConfirmed: string | null): ReleaseCheck {
  if (atFinal !== intent.nonceValue || atConfirmed !== intent.nonceValue)
    return { ok: false, reason: RefusalReason.NonceMoved, detail: `the message's nonce is ${intent.nonceValue}; the nonce account holds ${atFinal ?? 'nothing'} at finalized, ${atConfirmed ?? 'nothing'} at confirmed` };
  return { ok: true, intent };
}

/** The first field in which the message differs from the stored withdrawal, or null. */
function fieldMismatch(row: Deposit, intent: ReleaseIntent, adapter: SolanaChainAdapter): string | null {
  const memo = intent.memo;
  const checks: [string, string, string][] = [
    ['kind', row.kind, MessageKind.Withdrawal],
    ['vault eid', String(row.dstEid), String(adapter.eid)],
    ['vault', row.receiver ?? '', toBytes32(adapter.multisig.toBase58())],
    ['account', row.account, memo.account.toLowerCase()],
    ['amount', row.amount, memo.rawAmount.toString()],
    ['nonce', row.nonce.toString(), memo.withdrawalNonce.toString()],
    ['asset', row.token, solanaAddressToBytes32(intent.mint.toBase58())],
    ['recipient', row.recipient ?? '', solanaAddressToBytes32(intent.recipient.toBase58())],
  ];
  for (const [field, stored, message] of checks) if (stored !== message) return `${field}: the withdrawal has ${stored}, the message ${message}`;
  return null;
}
