/**
 * The Solana RELEASE transaction: how a withdrawal is paid out of a vault. A Solana vault has no program of its own:
 * for each allow-listed SPL mint it is the associated token account of an SPL Token multisig (m-of-n of the attesters'
 * ed25519 keys). The attesters sign the payout at different times, so its message carries a durable nonce (authority =
 * the relayer's poster key, also the fee payer) instead of a recent blockhash that would expire meanwhile.
 *
 * One message layout, exactly, and nothing else (`decodeReleaseMessage` refuses any other):
 *  0. System AdvanceNonceAccount(nonceAccount, SysvarRecentBlockhashes, authority = feePayer)
 *  1. ATA CreateIdempotent(payer = feePayer, ATA(mint, recipient), recipient, mint, System, SPL Token)
 *  2. SPL Token TransferChecked(vault → that ATA, authority = multisig, signers = exactly `threshold` attesters)
 *  3. Memo(encodeReleaseMemo(memo)), no accounts: what the RELEASE_RESULT needs, read back from chain data alone.
 *
 * Pure: no RPC, no framework. The relayer builds the message; each attester decodes it against its own configuration
 * before signing; the relayer assembles the signatures into wire bytes and knows the transaction id before broadcast.
 */
import { createPrivateKey, createPublicKey, sign as ed25519Sign, verify as ed25519Verify } from 'node:crypto';
import {
  ASSOCIATED_TOKEN_PROGRAM_ID,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createTransferCheckedInstruction,
  decodeTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import {
  Keypair,
  Message,
  PACKET_DATA_SIZE,
  PublicKey,
  SystemInstruction,
  SystemProgram,
  TransactionInstruction,
  TransactionMessage,
} from '@solana/web3.js';
import { MEMO_PROGRAM_ID, encodeReleaseMemo, parseReleaseMemo, type ReleaseMemo } from '@ccr/messages';
import { encodeBase58 } from 'ethers';
import { RelayerError } from '../../common/relayer-error';

const MEMO_PROGRAM = new PublicKey(MEMO_PROGRAM_ID);
const SIGNATURE_LENGTH = 64;
const UINT64_MAX = (1n << 64n) - 1n;
/** The high bit of a message's first byte marks a versioned (v0+) message; a legacy one starts with its signer count. */
const VERSION_PREFIX_BIT = 0x80;

/**
 * Why a release message or transaction is refused (only ever extended; attesters log and report it).
 *
 * Message shape:
 *  - 'malformed-message': the bytes are not a well-formed legacy message, or not its canonical serialization
 *    (trailing bytes, non-minimal lengths) — the bytes signed must be exactly the bytes the chain reads.
 *  - 'not-a-legacy-message': a versioned (v0+) message; ours is legacy, with no address lookup tables.
 *  - 'instruction-count': not exactly the four instructions of the layout.
 *  - 'non-canonical': every field checked out, but the bytes are not what `buildReleaseMessage` makes of them
 *    (account order, unused accounts, signer/writable flags): an attester signs only the one encoding of the intent.
 *  - 'too-large': the signed transaction would not fit a packet (1232 bytes).
 * Instruction 0:
 *  - 'not-advance-nonce': instruction 0 is not exactly System AdvanceNonceAccount (a durable nonce must come first).
 *  - 'wrong-nonce-account': it advances another nonce account than the expected one.
 *  - 'nonce-authority': the nonce authority is not the fee payer.
 * Instruction 1:
 *  - 'not-create-ata': instruction 1 is not exactly an ATA CreateIdempotent (plain Create fails if the ATA exists).
 *  - 'rent-payer': the ATA's rent is paid by another account than the fee payer.
 * Instruction 2:
 *  - 'not-spl-token': the transfer is not executed by, or the ATA is not created for, the SPL Token program
 *    (Token-2022 included: our vaults are SPL Token accounts).
 *  - 'not-transfer-checked': instruction 2 is an SPL Token instruction but not exactly a TransferChecked.
 *  - 'unknown-vault': the mint has no vault configured.
 *  - 'wrong-vault-account': the source is not the configured vault token account of that mint.
 *  - 'wrong-decimals': the decimals are not the configured decimals of that mint.
 *  - 'wrong-authority': the transfer's authority is not the vault multisig.
 *  - 'not-a-multisig-signer': a transfer signer is not one of the multisig's signers.
 *  - 'duplicate-signer': a multisig signer is listed twice.
 *  - 'signer-count': not exactly `threshold` transfer signers.
 *  - 'recipient-mismatch': the account created is not ATA(mint, recipient) of the transferred mint, or the transfer
 *    does not pay into it.
 * Instruction 3:
 *  - 'not-memo': instruction 3 is not a Memo instruction without accounts.
 *  - 'bad-memo': the memo is not UTF-8 or not a release memo (`parseReleaseMemo`).
 *  - 'amount-mismatch': the memo's rawAmount is not the transfer amount.
 * Signers:
 *  - 'fee-payer': the fee payer is not the expected one.
 *  - 'unexpected-signer': the message requires a signature from an account that is neither the fee payer nor a
 *    transfer signer.
 * Transaction:
 *  - 'missing-signature': a required signer's signature is absent.
 *  - 'bad-signature': a signature is not 64 bytes or does not verify over the message.
 *  - 'malformed-transaction': wire bytes without a well-formed signature section.
 */
export type ReleaseRefusal =
  | 'malformed-message'
  | 'not-a-legacy-message'
  | 'instruction-count'
  | 'non-canonical'
  | 'too-large'
  | 'not-advance-nonce'
  | 'wrong-nonce-account'
  | 'nonce-authority'
  | 'not-create-ata'
  | 'rent-payer'
  | 'not-spl-token'
  | 'not-transfer-checked'
  | 'unknown-vault'
  | 'wrong-vault-account'
  | 'wrong-decimals'
  | 'wrong-authority'
  | 'not-a-multisig-signer'
  | 'duplicate-signer'
  | 'signer-count'
  | 'recipient-mismatch'
  | 'not-memo'
  | 'bad-memo'
  | 'amount-mismatch'
  | 'fee-payer'
  | 'unexpected-signer'
  | 'missing-signature'
  | 'bad-signature'
  | 'malformed-transaction';

/** A release message or transaction is not exactly what it must be; `reason` says in which way. */
export class ReleaseMessageError extends RelayerError {
  override readonly name = 'ReleaseMessageError' as const;
  constructor(readonly reason: ReleaseRefusal, detail: string, cause?: unknown) {
    super(`release transaction refused (${reason}): ${detail}`, { details: { reason, detail }, cause });
  }
}

export type ReleasePlan = {
  /** Pays the fees and the recipient ATA's rent; also the nonce authority. */
  feePayer: PublicKey;
  nonceAccount: PublicKey;
  /** Base58: the nonce account's stored durable nonce, which is the message's recentBlockhash. */
  nonceValue: string;
  multisig: PublicKey;
  /** The multisig signers who sign this release (exactly `threshold` of them), in the order given. */
  signers: readonly PublicKey[];
  /** ATA(mint, multisig). */
  vaultTokenAccount: PublicKey;
  mint: PublicKey;
  decimals: number;
  /** The wallet paid, into its ATA of `mint` (created idempotently). */
  recipient: PublicKey;
  amount: bigint;
  /** Its rawAmount must equal `amount`. */
  memo: ReleaseMemo;
};

/** What an attester knows independently of the message it is asked to sign (its own configuration). */
export type ReleaseExpectations = {
  nonceAccount: PublicKey;
  multisig: PublicKey;
  multisigSigners: readonly PublicKey[];
  threshold: number;
  /** By mint (base58): the vault token account and the mint's decimals. */
  vaults: ReadonlyMap<string, { account: PublicKey; decimals: number }>;
  /** When given, the message's fee payer must be this key (the relayer's poster key). */
  feePayer?: PublicKey;
};

/** A decoded release message: the plan it was built from, and the recipient's token account it pays into. */
export type ReleaseIntent = {
  feePayer: PublicKey;
  nonceAccount: PublicKey;
  nonceValue: string;
  multisig: PublicKey;
  signers: PublicKey[];
  mint: PublicKey;
  decimals: number;
  vaultTokenAccount: PublicKey;
  recipient: PublicKey;
  recipientTokenAccount: PublicKey;
  amount: bigint;
  memo: ReleaseMemo;
};

/** The four instructions of the layout, in order: the one place the builder and the decoder's check share. */
function releaseInstructions(plan: ReleasePlan, recipientTokenAccount: PublicKey): TransactionInstruction[] {
  return [
    SystemProgram.nonceAdvance({ noncePubkey: plan.nonceAccount, authorizedPubkey: plan.feePayer }),
    createAssociatedTokenAccountIdempotentInstruction(plan.feePayer, recipientTokenAccount, plan.recipient, plan.mint, TOKEN_PROGRAM_ID),
    createTransferCheckedInstruction(
      plan.vaultTokenAccount,
      plan.mint,
      recipientTokenAccount,
      plan.multisig,
      plan.amount,
      plan.decimals,
      [...plan.signers],
      TOKEN_PROGRAM_ID,
    ),
    new TransactionInstruction({ programId: MEMO_PROGRAM, keys: [], data: Buffer.from(encodeReleaseMemo(plan.memo), 'utf8') }),
  ];
}

/**
 * The legacy message bytes of a release, deterministic for the same plan. Compiled with `TransactionMessage`
 * (accounts in order of first use) rather than `Transaction.compileMessage` (which sorts keys with `localeCompare`,
 * whose order depends on the ICU build): every attester must rebuild the very same bytes.
 */
export function buildReleaseMessage(plan: ReleasePlan): Uint8Array {
  if (plan.memo.rawAmount !== plan.amount) {
    throw new ReleaseMessageError('amount-mismatch', `memo rawAmount ${plan.memo.rawAmount} ≠ amount ${plan.amount}`);
  }
  if (plan.amount <= 0n || plan.amount > UINT64_MAX) throw new RangeError(`amount ${plan.amount} is not a u64 above 0`);
  const recipientTokenAccount = getAssociatedTokenAddressSync(plan.mint, plan.recipient, true, TOKEN_PROGRAM_ID);
  const message = new TransactionMessage({
    payerKey: plan.feePayer,
    recentBlockhash: plan.nonceValue,
    instructions: releaseInstructions(plan, recipientTokenAccount),
  }).compileToLegacyMessage();
  const bytes = new Uint8Array(message.serialize());
  const wireLength = shortVecLength(message.header.numRequiredSignatures) + SIGNATURE_LENGTH * message.header.numRequiredSignatures + bytes.length;
  if (wireLength > PACKET_DATA_SIZE) throw new ReleaseMessageError('too-large', `${wireLength} bytes signed > ${PACKET_DATA_SIZE}`);
  return bytes;
}

/**
 * What an attester runs before signing: the intent of `message`, or ReleaseMessageError when it is not exactly the
 * release layout against the attester's own `expect`ations. Checks run in layout order, so the reason names the
 * first difference; a last byte-for-byte comparison with the rebuilt message catches whatever no field shows.
 */
export function decodeReleaseMessage(message: Uint8Array, expect: ReleaseExpectations): ReleaseIntent {
  const parsed = parseLegacyMessage(message);
  const instructions = decompile(parsed);
  const feePayer = parsed.accountKeys[0];
  if (feePayer === undefined) throw new ReleaseMessageError('malformed-message', 'the message has no accounts');
  if (expect.feePayer !== undefined && !feePayer.equals(expect.feePayer)) {
    throw new ReleaseMessageError('fee-payer', `fee payer ${feePayer.toBase58()} is not ${expect.feePayer.toBase58()}`);
  }
  if (instructions.length !== 4) throw new ReleaseMessageError('instruction-count', `${instructions.length} instructions, expected 4`);
  // exactly four, checked just above
  const [advance, createAta, transfer, memoIx] = instructions as [TransactionInstruction, TransactionInstruction, TransactionInstruction, TransactionInstruction];

  const nonce = decodeAdvanceNonce(advance, expect, feePayer);
  const ata = decodeCreateAta(createAta, feePayer);
  const payout = decodeTransfer(transfer, expect);
  if (!payout.mint.equals(ata.mint)) {
    throw new ReleaseMessageError('recipient-mismatch', `the ATA created is for mint ${ata.mint.toBase58()}, the transfer moves ${payout.mint.toBase58()}`);
  }
  if (!payout.destination.equals(ata.account)) {
    throw new ReleaseMessageError('recipient-mismatch', `the transfer pays ${payout.destination.toBase58()}, not the ATA created ${ata.account.toBase58()}`);
  }
  const memo = decodeMemo(memoIx);
  if (memo.rawAmount !== payout.amount) {
    throw new ReleaseMessageError('amount-mismatch', `memo rawAmount ${memo.rawAmount} ≠ transfer amount ${payout.amount}`);
  }
  checkMessageSigners(parsed, feePayer, payout.signers);

  const intent: ReleaseIntent = {
    feePayer,
    nonceAccount: nonce,
    nonceValue: parsed.recentBlockhash,
    multisig: expect.multisig,
    signers: payout.signers,
    mint: payout.mint,
    decimals: payout.decimals,
    vaultTokenAccount: payout.source,
    recipient: ata.owner,
    recipientTokenAccount: ata.account,
    amount: payout.amount,
    memo,
  };
  if (!bytesEqual(buildReleaseMessage(intent), message)) {
    throw new ReleaseMessageError('non-canonical', 'the fields check out but the bytes are not the canonical release message of them');
  }
  return intent;
}

/** An attester's 64-byte ed25519 signature over the message bytes (what the runtime verifies per signer). */
export function signReleaseMessage(message: Uint8Array, signer: Keypair): Uint8Array {
  const seed = signer.secretKey.subarray(0, 32);
  const key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return new Uint8Array(ed25519Sign(null, message, key));
}

/** True when `signature` is `signer`'s ed25519 signature over exactly these message bytes. */
export function verifyReleaseSignature(message: Uint8Array, signer: PublicKey, signature: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_LENGTH) return false;
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, signer.toBuffer()]), format: 'der', type: 'spki' });
  return ed25519Verify(null, message, key, signature);
}

/**
 * The wire bytes (signature count, signatures in the message's signer order, message) once every required signer
 * has signed: ReleaseMessageError 'missing-signature' or 'bad-signature' otherwise, so nothing unsendable leaves.
 * Signatures of keys the message does not require are ignored (an attester not picked for this one may have signed).
 */
export function assembleReleaseTransaction(message: Uint8Array, signatures: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const parsed = parseLegacyMessage(message);
  const signers = parsed.accountKeys.slice(0, parsed.header.numRequiredSignatures);
  const ordered = signers.map((signer) => {
    const signature = signatures.get(signer.toBase58());
    if (signature === undefined) throw new ReleaseMessageError('missing-signature', `no signature of ${signer.toBase58()}`);
    if (!verifyReleaseSignature(message, signer, signature)) {
      throw new ReleaseMessageError('bad-signature', `the signature of ${signer.toBase58()} does not verify over this message`);
    }
    return signature;
  });
  return concatBytes([encodeShortVec(signers.length), ...ordered, message]);
}

/** Base58 of the first signature (the fee payer's): the transaction's id, known before it is broadcast. */
export function releaseTransactionId(wire: Uint8Array): string {
  const { value: count, length } = decodeShortVec(wire);
  if (count < 1 || wire.length < length + SIGNATURE_LENGTH * count) {
    throw new ReleaseMessageError('malformed-transaction', `${wire.length} bytes do not hold ${count} signatures`);
  }
  return encodeBase58(wire.subarray(length, length + SIGNATURE_LENGTH));
}

// --- decoding, one instruction at a time ---------------------------------------------------------------------------

function parseLegacyMessage(bytes: Uint8Array): Message {
  if (bytes.length > 0 && (bytes[0]! & VERSION_PREFIX_BIT) !== 0) {
    throw new ReleaseMessageError('not-a-legacy-message', `version prefix ${bytes[0]! & ~VERSION_PREFIX_BIT}`);
  }
  let message: Message;
  try {
    message = Message.from(Buffer.from(bytes));
  } catch (error) {
    throw new ReleaseMessageError('malformed-message', 'the bytes do not parse as a legacy message', error);
  }
  // Message.from ignores trailing bytes and accepts non-minimal lengths: require the one serialization.
  if (!bytesEqual(new Uint8Array(message.serialize()), bytes)) {
    throw new ReleaseMessageError('malformed-message', 'the bytes are not the canonical serialization of the message they parse to');
  }
  return message;
}

function decompile(message: Message): TransactionInstruction[] {
  try {
    return TransactionMessage.decompile(message).instructions;
  } catch (error) {
    throw new ReleaseMessageError('malformed-message', 'the header or an account index is inconsistent', error);
  }
}

/** Instruction 0: the nonce account advanced, after checking it is our nonce and the fee payer its authority. */
function decodeAdvanceNonce(ix: TransactionInstruction, expect: ReleaseExpectations, feePayer: PublicKey): PublicKey {
  let decoded: { noncePubkey: PublicKey; authorizedPubkey: PublicKey };
  try {
    if (SystemInstruction.decodeInstructionType(ix) !== 'AdvanceNonceAccount') throw new Error('another System instruction');
    decoded = SystemInstruction.decodeNonceAdvance(ix);
  } catch (error) {
    throw new ReleaseMessageError('not-advance-nonce', `instruction 0 (program ${ix.programId.toBase58()}) is not AdvanceNonceAccount`, error);
  }
  if (!decoded.noncePubkey.equals(expect.nonceAccount)) {
    throw new ReleaseMessageError('wrong-nonce-account', `advances ${decoded.noncePubkey.toBase58()}, not ${expect.nonceAccount.toBase58()}`);
  }
  if (!decoded.authorizedPubkey.equals(feePayer)) {
    throw new ReleaseMessageError('nonce-authority', `nonce authority ${decoded.authorizedPubkey.toBase58()} is not the fee payer`);
  }
  const canonical = SystemProgram.nonceAdvance({ noncePubkey: decoded.noncePubkey, authorizedPubkey: feePayer });
  if (!sameAccountsAndData(ix, canonical)) {
    throw new ReleaseMessageError('not-advance-nonce', 'AdvanceNonceAccount with other accounts or data than its canonical form');
  }
  return decoded.noncePubkey;
}

/** Instruction 1: the ATA created idempotently (there is no spl-token decoder for it: its six accounts by position). */
function decodeCreateAta(ix: TransactionInstruction, feePayer: PublicKey): { account: PublicKey; owner: PublicKey; mint: PublicKey } {
  if (!ix.programId.equals(ASSOCIATED_TOKEN_PROGRAM_ID) || ix.keys.length !== 6 || ix.data.length !== 1 || ix.data[0] !== 1) {
    throw new ReleaseMessageError('not-create-ata', `instruction 1 (program ${ix.programId.toBase58()}) is not an ATA CreateIdempotent`);
  }
  // exactly six keys, checked just above
  const [payer, account, owner, mint, , tokenProgram] = ix.keys.map((key) => key.pubkey) as [PublicKey, PublicKey, PublicKey, PublicKey, PublicKey, PublicKey];
  if (!tokenProgram.equals(TOKEN_PROGRAM_ID)) {
    throw new ReleaseMessageError('not-spl-token', `the ATA is created for token program ${tokenProgram.toBase58()}${tokenProgram.equals(TOKEN_2022_PROGRAM_ID) ? ' (Token-2022)' : ''}`);
  }
  if (!payer.equals(feePayer)) throw new ReleaseMessageError('rent-payer', `the ATA's rent is paid by ${payer.toBase58()}, not the fee payer`);
  const expected = getAssociatedTokenAddressSync(mint, owner, true, TOKEN_PROGRAM_ID);
  if (!account.equals(expected)) {
    throw new ReleaseMessageError('recipient-mismatch', `creates ${account.toBase58()}, not ATA(mint, ${owner.toBase58()}) = ${expected.toBase58()}`);
  }
  const canonical = createAssociatedTokenAccountIdempotentInstruction(feePayer, account, owner, mint, TOKEN_PROGRAM_ID);
  if (!sameAccountsAndData(ix, canonical)) {
    throw new ReleaseMessageError('not-create-ata', 'CreateIdempotent with other accounts than its canonical form');
  }
  return { account, owner, mint };
}

type Payout = { source: PublicKey; mint: PublicKey; destination: PublicKey; signers: PublicKey[]; amount: bigint; decimals: number };

/** Instruction 2: the TransferChecked out of our vault, authorised by exactly `threshold` distinct multisig signers. */
function decodeTransfer(ix: TransactionInstruction, expect: ReleaseExpectations): Payout {
  if (!ix.programId.equals(TOKEN_PROGRAM_ID)) {
    throw new ReleaseMessageError('not-spl-token', `instruction 2 runs ${ix.programId.toBase58()}${ix.programId.equals(TOKEN_2022_PROGRAM_ID) ? ' (Token-2022)' : ''}, not SPL Token`);
  }
  let decoded: ReturnType<typeof decodeTransferCheckedInstruction>;
  try {
    decoded = decodeTransferCheckedInstruction(ix, TOKEN_PROGRAM_ID);
  } catch (error) {
    throw new ReleaseMessageError('not-transfer-checked', 'instruction 2 is not a TransferChecked', error);
  }
  const { source, mint, destination, owner, multiSigners } = decoded.keys;
  const { amount, decimals } = decoded.data;
  const vault = expect.vaults.get(mint.pubkey.toBase58());
  if (vault === undefined) throw new ReleaseMessageError('unknown-vault', `no vault for mint ${mint.pubkey.toBase58()}`);
  if (!source.pubkey.equals(vault.account)) {
    throw new ReleaseMessageError('wrong-vault-account', `pays out of ${source.pubkey.toBase58()}, not the vault ${vault.account.toBase58()}`);
  }
  if (decimals !== vault.decimals) throw new ReleaseMessageError('wrong-decimals', `decimals ${decimals}, the mint has ${vault.decimals}`);
  if (!owner.pubkey.equals(expect.multisig)) {
    throw new ReleaseMessageError('wrong-authority', `authority ${owner.pubkey.toBase58()} is not the multisig ${expect.multisig.toBase58()}`);
  }
  const signers = multiSigners.map((meta) => meta.pubkey);
  const seen = new Set<string>();
  for (const signer of signers) {
    const key = signer.toBase58();
    if (!expect.multisigSigners.some((member) => member.equals(signer))) {
      throw new ReleaseMessageError('not-a-multisig-signer', `${key} is not a signer of the multisig`);
    }
    if (seen.has(key)) throw new ReleaseMessageError('duplicate-signer', `${key} is listed twice`);
    seen.add(key);
  }
  if (signers.length !== expect.threshold) {
    throw new ReleaseMessageError('signer-count', `${signers.length} transfer signers, the threshold is ${expect.threshold}`);
  }
  const canonical = createTransferCheckedInstruction(source.pubkey, mint.pubkey, destination.pubkey, owner.pubkey, amount, decimals, signers, TOKEN_PROGRAM_ID);
  if (!sameAccountsAndData(ix, canonical)) {
    throw new ReleaseMessageError('not-transfer-checked', 'TransferChecked with other accounts or data than its canonical form');
  }
  return { source: source.pubkey, mint: mint.pubkey, destination: destination.pubkey, signers, amount, decimals };
}

/** Instruction 3: the release memo, UTF-8, no accounts (a memo with signer accounts would require more signatures). */
function decodeMemo(ix: TransactionInstruction): ReleaseMemo {
  if (!ix.programId.equals(MEMO_PROGRAM) || ix.keys.length !== 0) {
    throw new ReleaseMessageError('not-memo', `instruction 3 (program ${ix.programId.toBase58()}, ${ix.keys.length} accounts) is not a Memo without accounts`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(ix.data);
  } catch (error) {
    throw new ReleaseMessageError('bad-memo', 'the memo is not UTF-8', error);
  }
  const memo = parseReleaseMemo(text);
  if (memo === null) throw new ReleaseMessageError('bad-memo', `"${text.slice(0, 200)}" is not a release memo`);
  return memo;
}

/** Every signature the message requires is the fee payer's or a transfer signer's: nobody else is asked to sign. */
function checkMessageSigners(message: Message, feePayer: PublicKey, transferSigners: readonly PublicKey[]): void {
  for (const signer of message.accountKeys.slice(0, message.header.numRequiredSignatures)) {
    if (signer.equals(feePayer) || transferSigners.some((s) => s.equals(signer))) continue;
    throw new ReleaseMessageError('unexpected-signer', `the message requires a signature of ${signer.toBase58()}`);
  }
}

// --- bytes ----------------------------------------------------------------------------------------------------------

/** DER prefixes that wrap a raw ed25519 seed (PKCS#8) or public key (SPKI) for node:crypto. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Same program, accounts (by position) and data. Not the signer/writable flags: a decompiled instruction carries the
 * flags its accounts have in the whole message (the fee payer is writable in AdvanceNonce too), so flags are left to
 * the final byte-for-byte comparison with the rebuilt message.
 */
function sameAccountsAndData(a: TransactionInstruction, b: TransactionInstruction): boolean {
  return (
    a.programId.equals(b.programId) &&
    bytesEqual(a.data, b.data) &&
    a.keys.length === b.keys.length &&
    a.keys.every((key, i) => key.pubkey.equals(b.keys[i]!.pubkey))
  );
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Solana's compact-u16 ("shortvec"): 7 bits a byte, high bit = more follows. */
function encodeShortVec(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const low = rest & 0x7f;
    rest >>= 7;
    if (rest === 0) {
      out.push(low);
      return Uint8Array.from(out);
    }
    out.push(low | 0x80);
  }
}

function shortVecLength(value: number): number {
  return encodeShortVec(value).length;
}

function decodeShortVec(bytes: Uint8Array): { value: number; length: number } {
  let value = 0;
  for (let i = 0; i < 3; i++) {
    const byte = bytes[i];
    if (byte === undefined) break;
    value |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) === 0) return { value, length: i + 1 };
  }
  throw new ReleaseMessageError('malformed-transaction', 'the signature count is not a compact-u16');
}
