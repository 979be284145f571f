/** What one transaction's meta and memos say about the vault's token accounts (the chain data every attester re-derives). */
import { encodeDepositMemo, encodeReleaseMemo, MEMO_PROGRAM_ID, solanaAddressToBytes32 } from '@ccr/messages';
import { createTransferCheckedInstruction } from '@solana/spl-token';
import { Keypair, PublicKey, SystemProgram, TransactionInstruction, TransactionMessage, type TokenBalance, type VersionedTransactionResponse, VersionedTransaction } from '@solana/web3.js';
import { parseVaultTransaction, type VaultShape } from './parse-vault-transaction';

const mint = Keypair.generate().publicKey;
const vault = Keypair.generate().publicKey;
const user = Keypair.generate().publicKey;
const userAta = Keypair.generate().publicKey;
const nonce = Keypair.generate().publicKey;
const signers = [Keypair.generate().publicKey, Keypair.generate().publicKey, Keypair.generate().publicKey];
const multisig = Keypair.generate().publicKey;
const ACCOUNT = `0x${'00'.repeat(12)}${'ab'.repeat(20)}` as const;
const GUID = `0x${'cd'.repeat(32)}` as const;

const shape: VaultShape = {
  accounts: new Map([[vault.toBase58(), { mint: mint.toBase58(), decimals: 6 }]]),
  multisigSigners: new Set(signers.map((s) => s.toBase58())),
  threshold: 2,
  nonceAccount: nonce.toBase58(),
  dstEid: 40200,
};

const memo = (text: string): TransactionInstruction => new TransactionInstruction({ programId: new PublicKey(MEMO_PROGRAM_ID), keys: [], data: Buffer.from(text, 'utf8') });

/** A transaction response as getTransaction gives it: the message of `instructions`, and token balances of (account, owner) before/after. */
function tx(payer: PublicKey, instructions: TransactionInstruction[], balances: { account: PublicKey; owner: PublicKey; pre: bigint; post: bigint }[], err: unknown = null): VersionedTransactionResponse {
  const message = new TransactionMessage({ payerKey: payer, recentBlockhash: '11111111111111111111111111111111', instructions }).compileToLegacyMessage();
  const keys = message.accountKeys.map((k) => k.toBase58());
  const entry = (b: (typeof balances)[number], amount: bigint): TokenBalance => ({ accountIndex: keys.indexOf(b.account.toBase58()), mint: mint.toBase58(), owner: b.owner.toBase58(), uiTokenAmount: { amount: amount.toString(), decimals: 6, uiAmount: null } });
  return {
    slot: 10,
    blockTime: null,
    transaction: new VersionedTransaction(message),
    meta: { err, fee: 5000, preBalances: [], postBalances: [], preTokenBalances: balances.map((b) => entry(b, b.pre)), postTokenBalances: balances.map((b) => entry(b, b.post)), logMessages: [], innerInstructions: [], loadedAddresses: { writable: [], readonly: [] } },
  } as unknown as VersionedTransactionResponse; // the fields the parser reads, as the RPC answers them
}

const deposit = (memos: string[], amount = 100n): VersionedTransactionResponse =>
  tx(user, [createTransferCheckedInstruction(userAta, mint, vault, user, amount, 6), ...memos.map(memo)], [
    { account: userAta, owner: user, pre: 1000n, post: 1000n - amount },
    { account: vault, owner: multisig, pre: 5n, post: 5n + amount },
  ]);

describe('parseVaultTransaction', () => {
  it('a transfer into the vault account with a deposit memo: its delta, depositor and account', () => {
    const [m] = parseVaultTransaction(deposit([encodeDepositMemo({ dstEid: 40200, account: ACCOUNT })]), shape);
    expect(m).toMatchObject({ kind: 'deposit', amount: 100n, mint: mint.toBase58(), depositor: solanaAddressToBytes32(user.toBase58()), memo: { ok: true, memo: { dstEid: 40200, account: ACCOUNT } } });
  });

  it.each([
    ['no memo', 'missing', []],
    ['a wallet memo only', 'missing', ['thanks']],
    ['a garbled memo', 'bad-account', ['ccr:v1:40200:0xzz']],
    ['two deposit memos', 'ambiguous', [encodeDepositMemo({ dstEid: 40200, account: ACCOUNT }), encodeDepositMemo({ dstEid: 40200, account: ACCOUNT })]],
    ['a memo for another eid', 'wrong-eid', [encodeDepositMemo({ dstEid: 30110, account: ACCOUNT })]],
  ])('%s: still a deposit (the tokens are in the vault), with the memo problem %s', (_what, problem, memos) => {
    const [m] = parseVaultTransaction(deposit(memos), shape);
    expect(m).toMatchObject({ kind: 'deposit', amount: 100n, memo: { ok: false, problem } });
  });

  it('a failed transaction moves nothing: no deposit', () => {
    const failed = { ...deposit([encodeDepositMemo({ dstEid: 40200, account: ACCOUNT })]) };
    failed.meta = { ...failed.meta!, err: { InstructionError: [0, 'InsufficientFunds'] }, postTokenBalances: failed.meta!.preTokenBalances! };
    expect(parseVaultTransaction(failed, shape)).toEqual([]);
  });

  it('a transaction that does not touch a vault account has no movement', () => {
    expect(parseVaultTransaction(tx(user, [memo(encodeDepositMemo({ dstEid: 40200, account: ACCOUNT }))], []), shape)).toEqual([]);
  });

  const release = (memoText: string | null, amount: bigint, err: unknown = null, by: PublicKey[] = signers.slice(0, 2)): VersionedTransactionResponse =>
    tx(
      user,
      [
        SystemProgram.nonceAdvance({ noncePubkey: nonce, authorizedPubkey: user }),
        createTransferCheckedInstruction(vault, mint, userAta, multisig, amount, 6, by),
        ...(memoText === null ? [] : [memo(memoText)]),
      ],
      [
        { account: vault, owner: multisig, pre: 500n, post: err === null ? 500n - amount : 500n },
        { account: userAta, owner: user, pre: 0n, post: err === null ? amount : 0n },
      ],
      err,
    );
  const releaseMemo = (amount: bigint): string => encodeReleaseMemo({ withdrawalGuid: GUID, withdrawalNonce: 7n, account: ACCOUNT, rawAmount: amount });

  it('a payout with its release memo is a release (status 1) to the credited account', () => {
    const [m] = parseVaultTransaction(release(releaseMemo(40n), 40n), shape);
    expect(m).toMatchObject({ kind: 'release', status: 1, amount: 40n, recipient: solanaAddressToBytes32(user.toBase58()), memo: { withdrawalGuid: GUID, withdrawalNonce: 7n, rawAmount: 40n } });
  });

  it('a payout without a release memo, or of another amount than its memo, is an unexplained outflow, never a release', () => {
    expect(parseVaultTransaction(release(null, 40n), shape)).toEqual([expect.objectContaining({ kind: 'outflow', amount: 40n })]);
    expect(parseVaultTransaction(release(releaseMemo(41n), 40n), shape)).toEqual([expect.objectContaining({ kind: 'outflow', amount: 40n })]);
  });

  it('a failed release counts (status 2) only when the multisig threshold signed it over the vault nonce', () => {
    const err = { InstructionError: [1, { Custom: 1 }] };
    expect(parseVaultTransaction(release(releaseMemo(40n), 40n, err), shape)).toEqual([expect.objectContaining({ kind: 'release', status: 2, amount: 40n, recipient: null })]);
    // Anyone can make a transaction with a release memo fail: signed by one multisig signer only, it is nothing.
    expect(parseVaultTransaction(release(releaseMemo(40n), 40n, err, signers.slice(0, 1)), shape)).toEqual([]);
  });
});
