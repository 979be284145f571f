import { dirname } from 'node:path';
import {
  AccountLayout,
  MINT_SIZE,
  MULTISIG_SIZE,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createAssociatedTokenAccountInstruction,
  createInitializeMint2Instruction,
  createInitializeMultisigInstruction,
  createMintToInstruction,
  createTransferCheckedInstruction,
  createTransferInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import {
  Keypair,
  NONCE_ACCOUNT_LENGTH,
  NonceAccount,
  PublicKey,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  TransactionMessage,
} from '@solana/web3.js';
import { FailedTransactionMetadata, LiteSVM } from 'litesvm';
import { MEMO_PROGRAM_ID, encodeReleaseMemo, type ReleaseMemo } from '@ccr/messages';
import { encodeBase58 } from 'ethers';
import {
  ReleaseMessageError,
  assembleReleaseTransaction,
  buildReleaseMessage,
  decodeReleaseMessage,
  releaseTransactionId,
  signReleaseMessage,
  verifyReleaseSignature,
  type ReleaseExpectations,
  type ReleasePlan,
  type ReleaseRefusal,
} from './release-transaction';

const MEMO_PROGRAM = new PublicKey(MEMO_PROGRAM_ID);
const DECIMALS = 6;
const THRESHOLD = 2;

/** Deterministic keys, so a failing case names the same accounts every run. */
function key(n: number): Keypair {
  return Keypair.fromSeed(Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? n : 7)));
}

const feePayer = key(1);
const attesters = [key(2), key(3), key(4)] as const;
const outsider = key(5);
const mint = key(6).publicKey;
const recipient = key(7).publicKey;
const nonceKeypair = key(8);
const multisigKeypair = key(9);
const multisig = multisigKeypair.publicKey;
const vault = getAssociatedTokenAddressSync(mint, multisig, true);
const recipientAta = getAssociatedTokenAddressSync(mint, recipient, true);

const memo: ReleaseMemo = {
  withdrawalGuid: `0x${'ab'.repeat(32)}`,
  withdrawalNonce: 42n,
  account: `0x${'00'.repeat(12)}${'cd'.repeat(20)}`,
  rawAmount: 1_250_000n,
};

function planWith(overrides: Partial<ReleasePlan> = {}): ReleasePlan {
  return {
    feePayer: feePayer.publicKey,
    nonceAccount: nonceKeypair.publicKey,
    nonceValue: key(10).publicKey.toBase58(), // any 32 bytes in base58 stand for a stored nonce off-chain
    multisig,
    signers: [attesters[0].publicKey, attesters[2].publicKey],
    vaultTokenAccount: vault,
    mint,
    decimals: DECIMALS,
    recipient,
    amount: memo.rawAmount,
    memo,
    ...overrides,
  };
}

function expectations(overrides: Partial<ReleaseExpectations> = {}): ReleaseExpectations {
  return {
    nonceAccount: nonceKeypair.publicKey,
    multisig,
    multisigSigners: attesters.map((a) => a.publicKey),
    threshold: THRESHOLD,
    vaults: new Map([[mint.toBase58(), { account: vault, decimals: DECIMALS }]]),
    feePayer: feePayer.publicKey,
    ...overrides,
  };
}

function refusalOf(run: () => unknown): ReleaseRefusal | 'did-not-throw' {
  try {
    run();
  } catch (error) {
    if (error instanceof ReleaseMessageError) return error.reason;
    throw error;
  }
  return 'did-not-throw';
}

describe('buildReleaseMessage / decodeReleaseMessage', () => {
  it('decodes the plan back, with the recipient ATA it pays into', () => {
    const plan = planWith();
    const intent = decodeReleaseMessage(buildReleaseMessage(plan), expectations());
    expect(intent).toEqual({ ...plan, signers: [...plan.signers], recipientTokenAccount: recipientAta });
  });

  it('builds the same bytes for the same plan, and other bytes for another amount', () => {
    const a = buildReleaseMessage(planWith());
    expect(Buffer.from(buildReleaseMessage(planWith())).equals(Buffer.from(a))).toBe(true);
    const other = buildReleaseMessage(planWith({ amount: 7n, memo: { ...memo, rawAmount: 7n } }));
    expect(Buffer.from(other).equals(Buffer.from(a))).toBe(false);
  });

  it('decodes without a fee payer expectation', () => {
     
    const { feePayer: _omitted, ...rest } = expectations();
    expect(decodeReleaseMessage(buildReleaseMessage(planWith()), rest).feePayer.equals(feePayer.publicKey)).toBe(true);
  });

  it('refuses to build a plan whose memo amount is not the amount', () => {
    expect(refusalOf(() => buildReleaseMessage(planWith({ amount: 1n })))).toBe('amount-mismatch');
  });

  it('refuses to build a message whose signed transaction would not fit a packet', () => {
    const many = Array.from({ length: 11 }, (_, i) => key(40 + i).publicKey);
    expect(refusalOf(() => buildReleaseMessage(planWith({ signers: many })))).toBe('too-large');
  });
});

// --- tampering: each message below differs from the canonical one in one way --------------------------------------

/** The canonical instructions, written out again here (not taken from the module), so each case can change one. */
function canonicalInstructions(plan = planWith()): TransactionInstruction[] {
  const ata = getAssociatedTokenAddressSync(plan.mint, plan.recipient, true);
  return [
    SystemProgram.nonceAdvance({ noncePubkey: plan.nonceAccount, authorizedPubkey: plan.feePayer }),
    createAssociatedTokenAccountIdempotentInstruction(plan.feePayer, ata, plan.recipient, plan.mint),
    createTransferCheckedInstruction(plan.vaultTokenAccount, plan.mint, ata, plan.multisig, plan.amount, plan.decimals, [...plan.signers]),
    memoInstruction(encodeReleaseMemo(plan.memo)),
  ];
}

function memoInstruction(text: string | Buffer, keys: TransactionInstruction['keys'] = [], programId = MEMO_PROGRAM): TransactionInstruction {
  return new TransactionInstruction({ programId, keys, data: typeof text === 'string' ? Buffer.from(text, 'utf8') : text });
}

function compile(instructions: TransactionInstruction[], payer = feePayer.publicKey, nonceValue = planWith().nonceValue): Uint8Array {
  return new Uint8Array(new TransactionMessage({ payerKey: payer, recentBlockhash: nonceValue, instructions }).compileToLegacyMessage().serialize());
}

/** Replaces instruction `index` of the canonical layout. */
function replacing(index: number, ix: TransactionInstruction): Uint8Array {
  const ixs = canonicalInstructions();
  ixs[index] = ix;
  return compile(ixs);
}

const [a0, a1, a2] = [attesters[0].publicKey, attesters[1].publicKey, attesters[2].publicKey];
const otherMint = key(20).publicKey;
const otherOwner = key(21).publicKey;

const tampered: ReadonlyArray<[string, ReleaseRefusal, () => Uint8Array]> = [
  ['garbage bytes', 'malformed-message', () => Uint8Array.from([1, 0, 0, 5, 9])],
  ['a trailing byte', 'malformed-message', () => Uint8Array.from([...compile(canonicalInstructions()), 0])],
  [
    'a v0 message',
    'not-a-legacy-message',
    () => new TransactionMessage({ payerKey: feePayer.publicKey, recentBlockhash: planWith().nonceValue, instructions: canonicalInstructions() }).compileToV0Message().serialize(),
  ],
  ['another fee payer', 'fee-payer', () => compile(canonicalInstructions(planWith({ feePayer: outsider.publicKey })), outsider.publicKey)],
  ['an extra instruction', 'instruction-count', () => compile([...canonicalInstructions(), memoInstruction('hello')])],
  ['no memo', 'instruction-count', () => compile(canonicalInstructions().slice(0, 3))],
  [
    'advance nonce not first',
    'not-advance-nonce',
    () => {
      // canonicalInstructions() is the four instructions of a release
      const [advance, ata, transfer, memoIx] = canonicalInstructions() as [TransactionInstruction, TransactionInstruction, TransactionInstruction, TransactionInstruction];
      return compile([ata, advance, transfer, memoIx]);
    },
  ],
  ['a System transfer in place of the nonce advance', 'not-advance-nonce', () => replacing(0, SystemProgram.transfer({ fromPubkey: feePayer.publicKey, toPubkey: recipient, lamports: 1 }))],
  ['another nonce account', 'wrong-nonce-account', () => replacing(0, SystemProgram.nonceAdvance({ noncePubkey: key(22).publicKey, authorizedPubkey: feePayer.publicKey }))],
  ['another nonce authority', 'nonce-authority', () => replacing(0, SystemProgram.nonceAdvance({ noncePubkey: nonceKeypair.publicKey, authorizedPubkey: outsider.publicKey }))],
  ['a plain (non-idempotent) ATA Create', 'not-create-ata', () => replacing(1, createAssociatedTokenAccountInstruction(feePayer.publicKey, recipientAta, recipient, mint))],
  [
    'an ATA created for Token-2022',
    'not-spl-token',
    () => {
      const ata2022 = getAssociatedTokenAddressSync(mint, recipient, true, TOKEN_2022_PROGRAM_ID);
      return replacing(1, createAssociatedTokenAccountIdempotentInstruction(feePayer.publicKey, ata2022, recipient, mint, TOKEN_2022_PROGRAM_ID));
    },
  ],
  ['the ATA rent paid by an attester', 'rent-payer', () => replacing(1, createAssociatedTokenAccountIdempotentInstruction(a0, recipientAta, recipient, mint))],
  ['a created account that is not ATA(mint, owner)', 'recipient-mismatch', () => replacing(1, createAssociatedTokenAccountIdempotentInstruction(feePayer.publicKey, vault, recipient, mint))],
  [
    'an ATA created for another owner than the one paid',
    'recipient-mismatch',
    () => replacing(1, createAssociatedTokenAccountIdempotentInstruction(feePayer.publicKey, getAssociatedTokenAddressSync(mint, otherOwner, true), otherOwner, mint)),
  ],
  [
    'the transfer paying another account than the ATA created',
    'recipient-mismatch',
    () => replacing(2, createTransferCheckedInstruction(vault, mint, getAssociatedTokenAddressSync(mint, otherOwner, true), multisig, memo.rawAmount, DECIMALS, [a0, a2])),
  ],
  [
    'the transfer run by Token-2022',
    'not-spl-token',
    () => replacing(2, createTransferCheckedInstruction(vault, mint, recipientAta, multisig, memo.rawAmount, DECIMALS, [a0, a2], TOKEN_2022_PROGRAM_ID)),
  ],
  ['a plain Transfer (unchecked)', 'not-transfer-checked', () => replacing(2, createTransferInstruction(vault, recipientAta, multisig, memo.rawAmount, [a0, a2]))],
  ['an unknown mint', 'unknown-vault', () => compile(canonicalInstructions(planWith({ mint: otherMint, vaultTokenAccount: getAssociatedTokenAddressSync(otherMint, multisig, true) })))],
  ['another vault account', 'wrong-vault-account', () => compile(canonicalInstructions(planWith({ vaultTokenAccount: getAssociatedTokenAddressSync(mint, outsider.publicKey, true) })))],
  ['other decimals', 'wrong-decimals', () => compile(canonicalInstructions(planWith({ decimals: 9 })))],
  ['another transfer authority', 'wrong-authority', () => compile(canonicalInstructions(planWith({ multisig: outsider.publicKey })))],
  ['a transfer signer outside the multisig', 'not-a-multisig-signer', () => compile(canonicalInstructions(planWith({ signers: [a0, outsider.publicKey] })))],
  ['a duplicated transfer signer', 'duplicate-signer', () => compile(canonicalInstructions(planWith({ signers: [a1, a1] })))],
  ['threshold − 1 transfer signers', 'signer-count', () => compile(canonicalInstructions(planWith({ signers: [a1] })))],
  ['threshold + 1 transfer signers', 'signer-count', () => compile(canonicalInstructions(planWith({ signers: [a0, a1, a2] })))],
  [
    'a transfer signer not marked as a signer',
    'non-canonical',
    () => {
      const ix = createTransferCheckedInstruction(vault, mint, recipientAta, multisig, memo.rawAmount, DECIMALS, [a0, a2]);
      ix.keys[5]!.isSigner = false;
      return replacing(2, ix);
    },
  ],
  ['another memo program (Memo v1)', 'not-memo', () => replacing(3, memoInstruction(encodeReleaseMemo(memo), [], new PublicKey('Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo')))],
  ['a memo with a signer account', 'not-memo', () => replacing(3, memoInstruction(encodeReleaseMemo(memo), [{ pubkey: feePayer.publicKey, isSigner: true, isWritable: false }]))],
  ['a garbled memo', 'bad-memo', () => replacing(3, memoInstruction(encodeReleaseMemo(memo).replace(':42:', ':4x2:')))],
  ['a deposit memo', 'bad-memo', () => replacing(3, memoInstruction(`ccr:v1:30101:0x${'cd'.repeat(20)}`))],
  ['a memo that is not UTF-8', 'bad-memo', () => replacing(3, memoInstruction(Buffer.from([0xff, 0xfe, 0x00])))],
  ['a memo amount ≠ the transfer amount', 'amount-mismatch', () => replacing(3, memoInstruction(encodeReleaseMemo({ ...memo, rawAmount: memo.rawAmount + 1n })))],
  [
    'the recipient asked to sign too',
    'unexpected-signer',
    () => {
      const ix = createAssociatedTokenAccountIdempotentInstruction(feePayer.publicKey, recipientAta, recipient, mint);
      ix.keys[2]!.isSigner = true;
      return replacing(1, ix);
    },
  ],
];

/** Every refusal but those of building and assembling: a new reason fails to compile here until a case covers it. */
const DECODE_REFUSALS: Record<Exclude<ReleaseRefusal, 'too-large' | 'missing-signature' | 'bad-signature' | 'malformed-transaction'>, true> = {
  'malformed-message': true,
  'not-a-legacy-message': true,
  'instruction-count': true,
  'non-canonical': true,
  'not-advance-nonce': true,
  'wrong-nonce-account': true,
  'nonce-authority': true,
  'not-create-ata': true,
  'rent-payer': true,
  'not-spl-token': true,
  'not-transfer-checked': true,
  'unknown-vault': true,
  'wrong-vault-account': true,
  'wrong-decimals': true,
  'wrong-authority': true,
  'not-a-multisig-signer': true,
  'duplicate-signer': true,
  'signer-count': true,
  'recipient-mismatch': true,
  'not-memo': true,
  'bad-memo': true,
  'amount-mismatch': true,
  'fee-payer': true,
  'unexpected-signer': true,
};

describe('decodeReleaseMessage refuses any other message', () => {
  it('accepts the untampered hand-built message (the cases below differ from it in one way each)', () => {
    expect(Buffer.from(compile(canonicalInstructions())).equals(Buffer.from(buildReleaseMessage(planWith())))).toBe(true);
  });

  it.each(tampered)('%s → %s', (_name, reason, build) => {
    expect(refusalOf(() => decodeReleaseMessage(build(), expectations()))).toBe(reason);
  });

  it('covers every refusal the decoder can give', () => {
    expect(new Set(tampered.map(([, reason]) => reason))).toEqual(new Set(Object.keys(DECODE_REFUSALS)));
  });
});

// --- signatures ------------------------------------------------------------------------------------------------------

describe('signReleaseMessage / verifyReleaseSignature / assembleReleaseTransaction', () => {
  const message = buildReleaseMessage(planWith());
  const signers = [feePayer, attesters[0], attesters[2]];
  const signatures = new Map(signers.map((s) => [s.publicKey.toBase58(), signReleaseMessage(message, s)]));

  it('verifies a signature over this message, not over another, nor by another key', () => {
    const signature = signatures.get(a0.toBase58())!;
    expect(signature).toHaveLength(64);
    expect(verifyReleaseSignature(message, a0, signature)).toBe(true);
    const other = buildReleaseMessage(planWith({ amount: 7n, memo: { ...memo, rawAmount: 7n } }));
    expect(verifyReleaseSignature(other, a0, signature)).toBe(false);
    expect(verifyReleaseSignature(message, a1, signature)).toBe(false);
    expect(verifyReleaseSignature(message, a0, signature.subarray(0, 63))).toBe(false);
  });

  it('assembles the wire bytes in signer order, the fee payer first; its signature is the transaction id', () => {
    const wire = assembleReleaseTransaction(message, signatures);
    expect(wire[0]).toBe(3);
    expect(wire.length).toBe(1 + 3 * 64 + message.length);
    const tx = Transaction.from(Buffer.from(wire));
    expect(tx.verifySignatures()).toBe(true);
    expect(tx.signatures.map((s) => s.publicKey.toBase58())).toEqual(signers.map((s) => s.publicKey.toBase58()));
    expect(releaseTransactionId(wire)).toBe(encodeBase58(signatures.get(feePayer.publicKey.toBase58())!));
  });

  it('ignores signatures the message does not require', () => {
    const extra = new Map(signatures).set(a1.toBase58(), signReleaseMessage(message, attesters[1]));
    expect(Buffer.from(assembleReleaseTransaction(message, extra)).equals(Buffer.from(assembleReleaseTransaction(message, signatures)))).toBe(true);
  });

  it('refuses a missing signature (one short of the threshold)', () => {
    const short = new Map(signatures);
    short.delete(a2.toBase58());
    expect(refusalOf(() => assembleReleaseTransaction(message, short))).toBe('missing-signature');
  });

  it("refuses a bad signature (another message's)", () => {
    const other = buildReleaseMessage(planWith({ amount: 7n, memo: { ...memo, rawAmount: 7n } }));
    const bad = new Map(signatures).set(a2.toBase58(), signReleaseMessage(other, attesters[2]));
    expect(refusalOf(() => assembleReleaseTransaction(message, bad))).toBe('bad-signature');
  });

  it('refuses wire bytes without a signature', () => {
    expect(refusalOf(() => releaseTransactionId(Uint8Array.from([0])))).toBe('malformed-transaction');
    expect(refusalOf(() => releaseTransactionId(Uint8Array.from([1, 2, 3])))).toBe('malformed-transaction');
  });
});

// --- executed for real, in litesvm -------------------------------------------------------------------------------------

type SvmTransaction = Parameters<LiteSVM['sendTransaction']>[0];
type SvmAddress = Parameters<LiteSVM['getAccount']>[0];
type SvmLamports = Parameters<LiteSVM['airdrop']>[1];

/**
 * litesvm 1.5 takes @solana/kit `Transaction`s, not wire bytes. @solana/kit is litesvm's dependency, not ours (pnpm
 * does not hoist it), so it is resolved from litesvm's own folder; its transaction decoder turns the web3.js wire bytes
 * into exactly that shape (litesvm re-encodes it with the matching encoder before executing).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved at run time from litesvm's folder (see above): no static import can name it
const kit = require(require.resolve('@solana/kit', { paths: [dirname(require.resolve('litesvm'))] })) as {
  getTransactionDecoder(): { decode(wire: Uint8Array): SvmTransaction };
}; // require() is untyped: the part of @solana/kit used here, whose Transaction is what litesvm's sendTransaction takes

// litesvm brands addresses and lamports (kit types); a base58 string and a bigint are what they are at runtime.
const address = (k: PublicKey): SvmAddress => k.toBase58() as SvmAddress;
const lamports = (n: bigint): SvmLamports => n as SvmLamports; // the brand is type-only: a bigint at runtime

function sendWire(svm: LiteSVM, wire: Uint8Array): ReturnType<LiteSVM['sendTransaction']> {
  return svm.sendTransaction(kit.getTransactionDecoder().decode(wire));
}

/** A setup transaction with the current blockhash, signed by the fee payer and `signers`; throws if it fails. */
function setup(svm: LiteSVM, instructions: TransactionInstruction[], signers: Keypair[] = []): void {
  const tx = new Transaction({ feePayer: feePayer.publicKey, recentBlockhash: svm.latestBlockhash() }).add(...instructions);
  tx.sign(feePayer, ...signers);
  const result = sendWire(svm, tx.serialize());
  if (result instanceof FailedTransactionMetadata) throw new Error(`setup failed: ${result.toString()}\n${result.meta().logs().join('\n')}`);
}

function tokenBalance(svm: LiteSVM, account: PublicKey): bigint | null {
  const info = svm.getAccount(address(account));
  return info.exists ? AccountLayout.decode(info.data).amount : null;
}

function storedNonce(svm: LiteSVM): string {
  const info = svm.getAccount(address(nonceKeypair.publicKey));
  if (!info.exists) throw new Error('no nonce account');
  return NonceAccount.fromAccountData(info.data).nonce;
}

const VAULT_FUNDS = 10_000_000n;
// litesvm's error enums are `const enum`s in its .d.ts, which swc (isolated modules) cannot inline: their values.
/** TransactionErrorFieldless.BlockhashNotFound */
const BLOCKHASH_NOT_FOUND = 7;
/** TransactionErrorFieldless.AlreadyProcessed */
const ALREADY_PROCESSED = 6;
/** InstructionErrorFieldless.MissingRequiredSignature */
const MISSING_REQUIRED_SIGNATURE = 7;

/** Mint (6 decimals), 2-of-3 SPL Token multisig, its vault ATA funded, a nonce account whose authority is the payer. */
function vaultChain(): LiteSVM {
  const svm = new LiteSVM();
  svm.airdrop(address(feePayer.publicKey), lamports(10_000_000_000n));
  const mintKeypair = key(6);
  setup(
    svm,
    [
      SystemProgram.createAccount({ fromPubkey: feePayer.publicKey, newAccountPubkey: mint, space: MINT_SIZE, lamports: Number(svm.minimumBalanceForRentExemption(BigInt(MINT_SIZE))), programId: TOKEN_PROGRAM_ID }),
      createInitializeMint2Instruction(mint, DECIMALS, feePayer.publicKey, null),
      SystemProgram.createAccount({ fromPubkey: feePayer.publicKey, newAccountPubkey: multisig, space: MULTISIG_SIZE, lamports: Number(svm.minimumBalanceForRentExemption(BigInt(MULTISIG_SIZE))), programId: TOKEN_PROGRAM_ID }),
      createInitializeMultisigInstruction(multisig, attesters.map((a) => a.publicKey), THRESHOLD),
    ],
    [mintKeypair, multisigKeypair],
  );
  setup(svm, [createAssociatedTokenAccountInstruction(feePayer.publicKey, vault, multisig, mint), createMintToInstruction(mint, vault, feePayer.publicKey, VAULT_FUNDS)]);
  setup(
    svm,
    SystemProgram.createNonceAccount({
      fromPubkey: feePayer.publicKey,
      noncePubkey: nonceKeypair.publicKey,
      authorizedPubkey: feePayer.publicKey,
      lamports: Number(svm.minimumBalanceForRentExemption(BigInt(NONCE_ACCOUNT_LENGTH))),
    }).instructions,
    [nonceKeypair],
  );
  // The stored nonce is derived from the blockhash the nonce account was created under, and AdvanceNonceAccount
  // refuses to advance within that same blockhash (NonceBlockhashNotExpired): move past it, as a new slot would.
  svm.expireBlockhash();
  return svm;
}

function signedRelease(message: Uint8Array, signers: Keypair[]): Uint8Array {
  return assembleReleaseTransaction(message, new Map(signers.map((s) => [s.publicKey.toBase58(), signReleaseMessage(message, s)])));
}

describe('the release executes in litesvm', () => {
  it('pays the recipient from the vault with threshold signatures, and the same bytes are refused a second time', () => {
    const svm = vaultChain();
    const nonceValue = storedNonce(svm);
    expect(nonceValue).not.toBe(svm.latestBlockhash());
    const message = buildReleaseMessage(planWith({ nonceValue }));
    expect(decodeReleaseMessage(message, expectations()).nonceValue).toBe(nonceValue);
    const wire = signedRelease(message, [feePayer, attesters[0], attesters[2]]);

    const result = sendWire(svm, wire);
    if (result instanceof FailedTransactionMetadata) throw new Error(`release failed: ${result.toString()}\n${result.meta().logs().join('\n')}`);
    expect(encodeBase58(result.signature())).toBe(releaseTransactionId(wire));
    expect(tokenBalance(svm, recipientAta)).toBe(memo.rawAmount);
    expect(tokenBalance(svm, vault)).toBe(VAULT_FUNDS - memo.rawAmount);
    expect(storedNonce(svm)).not.toBe(nonceValue);
    expect(result.logs().some((line) => line.includes(encodeReleaseMemo(memo)))).toBe(true);

    // Not AlreadyProcessed: the age check comes first, and the message's blockhash is no longer the stored nonce.
    const again = sendWire(svm, wire);
    expect(again).toBeInstanceOf(FailedTransactionMetadata);
    expect((again as FailedTransactionMetadata).err()).toBe(BLOCKHASH_NOT_FOUND); // toBeInstanceOf just checked it
    expect(tokenBalance(svm, recipientAta)).toBe(memo.rawAmount);
  });

  it('the same bytes stay refused once the blockhash has moved on (the nonce, not the history, stops them)', () => {
    const svm = vaultChain();
    const wire = signedRelease(buildReleaseMessage(planWith({ nonceValue: storedNonce(svm), signers: [a0, a1] })), [feePayer, attesters[0], attesters[1]]);
    expect(sendWire(svm, wire)).not.toBeInstanceOf(FailedTransactionMetadata);
    svm.expireBlockhash();
    const again = sendWire(svm, wire);
    expect(again).toBeInstanceOf(FailedTransactionMetadata);
    expect((again as FailedTransactionMetadata).err()).toBe(BLOCKHASH_NOT_FOUND); // toBeInstanceOf just checked it
    expect(tokenBalance(svm, recipientAta)).toBe(memo.rawAmount);
  });

  it('a message whose nonce value is not the stored nonce is refused before it runs', () => {
    const svm = vaultChain();
    const wire = signedRelease(buildReleaseMessage(planWith()), [feePayer, attesters[0], attesters[2]]);
    const result = sendWire(svm, wire);
    expect(result).toBeInstanceOf(FailedTransactionMetadata);
    expect((result as FailedTransactionMetadata).err()).toBe(BLOCKHASH_NOT_FOUND); // toBeInstanceOf just checked it
    expect(tokenBalance(svm, vault)).toBe(VAULT_FUNDS);
  });

  it('with threshold − 1 transfer signers, SPL Token itself refuses the transfer (and litesvm keeps the nonce)', () => {
    const svm = vaultChain();
    const nonceValue = storedNonce(svm);
    const message = buildReleaseMessage(planWith({ nonceValue, signers: [a0] }));
    const wire = signedRelease(message, [feePayer, attesters[0]]);
    const feesBefore = svm.getBalance(address(feePayer.publicKey)) ?? 0n;
    const result = sendWire(svm, wire);
    expect(result).toBeInstanceOf(FailedTransactionMetadata);
    const failed = result as FailedTransactionMetadata; // toBeInstanceOf just checked it
    // Not a custom TokenError: SPL Token's validate_owner counts the multisig signers that signed and returns
    // ProgramError::MissingRequiredSignature when fewer than m did.
    const err = failed.err();
    if (typeof err !== 'object' || !('err' in err)) throw new Error(`expected an instruction error, got ${failed.toString()}`);
    expect(err.index).toBe(2);
    expect(err.err()).toBe(MISSING_REQUIRED_SIGNATURE);
    expect(failed.meta().logs().join('\n')).toMatch(new RegExp(`Program ${TOKEN_PROGRAM_ID.toBase58()} failed: missing required signature for instruction`));
    // Rolled back, the ATA creation included; the fee (2 signatures) is charged and the signature recorded.
    expect(tokenBalance(svm, vault)).toBe(VAULT_FUNDS);
    expect(tokenBalance(svm, recipientAta)).toBeNull();
    expect(svm.getBalance(address(feePayer.publicKey))).toBe(feesBefore - 10_000n);
    expect((sendWire(svm, wire) as FailedTransactionMetadata).err()).toBe(ALREADY_PROCESSED); // a replay fails: its error is what is checked
    // Unlike a validator (which advances the nonce of a failed durable-nonce transaction, so its nonce is spent),
    // litesvm 1.5 rolls the nonce advance back with the rest: the stored nonce is unchanged, and a correct release
    // under that same nonce still executes after the blockhash moves on.
    expect(storedNonce(svm)).toBe(nonceValue);
    svm.expireBlockhash();
    const retry = signedRelease(buildReleaseMessage(planWith({ nonceValue })), [feePayer, attesters[0], attesters[2]]);
    expect(sendWire(svm, retry)).not.toBeInstanceOf(FailedTransactionMetadata);
    expect(tokenBalance(svm, recipientAta)).toBe(memo.rawAmount);
  });
});

