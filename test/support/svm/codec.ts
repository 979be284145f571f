/**
 * Pure helpers for the litesvm JSON-RPC shim (../svm-rpc.ts): base58, the JSON and the text a real node gives for a
 * TransactionError, SPL token balances as `getTransaction` reports them, memo formatting as `getSignaturesForAddress`
 * reports it, and the durable-nonce account layout. No jest import.
 */
import { createHash } from 'node:crypto';
import { FailedTransactionMetadata, InstructionErrorCustom, TransactionErrorDuplicateInstruction, TransactionErrorInstructionError, TransactionErrorInsufficientFundsForRent, TransactionErrorProgramExecutionTemporarilyRestricted } from 'litesvm/dist/internal';

export const SYSTEM_PROGRAM = '11111111111111111111111111111111';
export const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
export const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';
export const MEMO_PROGRAMS: ReadonlySet<string> = new Set(['MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr', 'Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo']);
/** What litesvm charges per signature (its FeeStructure default; no priority fee is charged). */
export const LAMPORTS_PER_SIGNATURE = 5000;

// ---- base58 ---------------------------------------------------------------------------------------------------
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function base58Encode(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) { out = ALPHABET[Number(n % 58n)] + out; n /= 58n; }
  for (const b of bytes) { if (b !== 0) break; out = '1' + out; }
  return out;
}

export function base58Decode(text: string): Uint8Array {
  let n = 0n;
  for (const c of text) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) throw new Error(`invalid base58 character '${c}'`);
    n = n * 58n + BigInt(v);
  }
  const bytes: number[] = [];
  while (n > 0n) { bytes.unshift(Number(n & 0xffn)); n >>= 8n; }
  for (const c of text) { if (c !== '1') break; bytes.unshift(0); }
  return Uint8Array.from(bytes);
}

// ---- TransactionError -----------------------------------------------------------------------------------------
/** A TransactionError as a real node serialises it (serde, externally tagged): `"BlockhashNotFound"`, `{"InstructionError":[0,{"Custom":1}]}`. */
export type TxError = string | { [variant: string]: unknown };

// The order of litesvm's `const enum`s (dist/internal.d.ts), which are not present at runtime.
const TX_ERRORS = ['AccountInUse', 'AccountLoadedTwice', 'AccountNotFound', 'ProgramAccountNotFound', 'InsufficientFundsForFee', 'InvalidAccountForFee', 'AlreadyProcessed', 'BlockhashNotFound', 'CallChainTooDeep', 'MissingSignatureForFee', 'InvalidAccountIndex', 'SignatureFailure', 'InvalidProgramForExecution', 'SanitizeFailure', 'ClusterMaintenance', 'AccountBorrowOutstanding', 'WouldExceedMaxBlockCostLimit', 'UnsupportedVersion', 'InvalidWritableAccount', 'WouldExceedMaxAccountCostLimit', 'WouldExceedAccountDataBlockLimit', 'TooManyAccountLocks', 'AddressLookupTableNotFound', 'InvalidAddressLookupTableOwner', 'InvalidAddressLookupTableData', 'InvalidAddressLookupTableIndex', 'InvalidRentPayingAccount', 'WouldExceedMaxVoteCostLimit', 'WouldExceedAccountDataTotalLimit', 'MaxLoadedAccountsDataSizeExceeded', 'ResanitizationNeeded', 'InvalidLoadedAccountsDataSizeLimit', 'UnbalancedTransaction', 'ProgramCacheHitMaxLimit', 'CommitCancelled'];
const IX_ERRORS = ['GenericError', 'InvalidArgument', 'InvalidInstructionData', 'InvalidAccountData', 'AccountDataTooSmall', 'InsufficientFunds', 'IncorrectProgramId', 'MissingRequiredSignature', 'AccountAlreadyInitialized', 'UninitializedAccount', 'UnbalancedInstruction', 'ModifiedProgramId', 'ExternalAccountLamportSpend', 'ExternalAccountDataModified', 'ReadonlyLamportChange', 'ReadonlyDataModified', 'DuplicateAccountIndex', 'ExecutableModified', 'RentEpochModified', 'NotEnoughAccountKeys', 'AccountDataSizeChanged', 'AccountNotExecutable', 'AccountBorrowFailed', 'AccountBorrowOutstanding', 'DuplicateAccountOutOfSync', 'InvalidError', 'ExecutableDataModified', 'ExecutableLamportChange', 'ExecutableAccountNotRentExempt', 'UnsupportedProgramId', 'CallDepth', 'MissingAccount', 'ReentrancyNotAllowed', 'MaxSeedLengthExceeded', 'InvalidSeeds', 'InvalidRealloc', 'ComputationalBudgetExceeded', 'PrivilegeEscalation', 'ProgramEnvironmentSetupFailure', 'ProgramFailedToComplete', 'ProgramFailedToCompile', 'Immutable', 'IncorrectAuthority', 'AccountNotRentExempt', 'InvalidAccountOwner', 'ArithmeticOverflow', 'UnsupportedSysvar', 'IllegalOwner', 'MaxAccountsDataAllocationsExceeded', 'MaxAccountsExceeded', 'MaxInstructionTraceLengthExceeded', 'BuiltinProgramsMustConsumeComputeUnits', 'BorshIoError'];

/** litesvm's error object → the JSON a real node returns in `meta.err` / `getSignatureStatuses`. */
export function txErrorJson(failed: FailedTransactionMetadata): TxError {
  const e = failed.err();
  if (typeof e === 'number') return TX_ERRORS[e] ?? `TransactionError${e}`;
  if (e instanceof TransactionErrorInstructionError) {
    const ie = e.err();
    const inner = typeof ie === 'number' ? IX_ERRORS[ie] ?? `InstructionError${ie}` : ie instanceof InstructionErrorCustom ? { Custom: ie.code } : { BorshIoError: ie.msg };
    return { InstructionError: [e.index, inner] };
  }
  if (e instanceof TransactionErrorDuplicateInstruction) return { DuplicateInstruction: e.index };
  if (e instanceof TransactionErrorInsufficientFundsForRent) return { InsufficientFundsForRent: { account_index: e.accountIndex } };
  if (e instanceof TransactionErrorProgramExecutionTemporarilyRestricted) return { ProgramExecutionTemporarilyRestricted: { account_index: e.accountIndex } };
  return String(e);
}

// The Display texts (solana-transaction-error / solana-instruction) of the errors a relayer meets; others show the variant.
const TX_TEXT: Record<string, string> = {
  AccountNotFound: 'Attempt to debit an account but found no record of a prior credit.',
  ProgramAccountNotFound: 'Attempt to load a program that does not exist',
  InsufficientFundsForFee: 'Insufficient funds for fee',
  InvalidAccountForFee: 'This account may not be used to pay transaction fees',
  AlreadyProcessed: 'This transaction has already been processed',
  BlockhashNotFound: 'Blockhash not found',
  SignatureFailure: 'Transaction did not pass signature verification',
  InvalidProgramForExecution: 'This program may not be used for executing instructions',
  SanitizeFailure: 'Transaction failed to sanitize accounts offsets correctly',
};
const IX_TEXT: Record<string, string> = {
  GenericError: 'generic instruction error',
  InvalidArgument: 'invalid program argument',
  InvalidInstructionData: 'invalid instruction data',
  InvalidAccountData: 'invalid account data for instruction',
  AccountDataTooSmall: 'account data too small for instruction',
  InsufficientFunds: 'insufficient funds for instruction',
  IncorrectProgramId: 'incorrect program id for instruction',
  MissingRequiredSignature: 'missing required signature for instruction',
  AccountAlreadyInitialized: 'instruction requires an uninitialized account',
  UninitializedAccount: 'instruction requires an initialized account',
  NotEnoughAccountKeys: 'insufficient account keys for instruction',
  InvalidAccountOwner: 'Invalid account owner',
  IllegalOwner: 'Provided owner is not allowed',
};

/** The text a real node puts after "Transaction simulation failed: ". */
export function txErrorText(err: TxError): string {
  if (typeof err === 'string') return TX_TEXT[err] ?? err;
  const [variant, value] = Object.entries(err)[0] ?? ['', undefined];
  if (variant === 'InstructionError') {
    // txErrorJson writes InstructionError as [index, an IX_ERRORS name | { Custom } | { BorshIoError }]
    const [index, ie] = value as [number, string | { Custom?: number; BorshIoError?: string }];
    const text = typeof ie === 'string' ? IX_TEXT[ie] ?? ie : ie.Custom !== undefined ? `custom program error: 0x${ie.Custom.toString(16)}` : `Failed to serialize or deserialize account data: ${ie.BorshIoError}`;
    return `Error processing Instruction ${index}: ${text}`;
  }
  if (variant === 'InsufficientFundsForRent') return `Transaction results in an account (${(value as { account_index: number }).account_index /* txErrorJson writes { account_index } here */}) with insufficient funds for rent`;
  if (variant === 'DuplicateInstruction') return `Transaction contains a duplicate instruction (${String(value)}) that is not allowed`;
  return variant;
}

// ---- accounts -------------------------------------------------------------------------------------------------
/** An account as the shim stores and serves it. */
export interface AccountState {
  lamports: bigint;
  data: Uint8Array;
  owner: string;
  executable: boolean;
}

export interface TokenBalance {
  accountIndex: number;
  mint: string;
  owner: string;
  programId: string;
  uiTokenAmount: { amount: string; decimals: number; uiAmount: number | null; uiAmountString: string };
}

/** "1500000" with 6 decimals → "1.5", as the node's `real_number_string_trimmed`. */
function uiAmountString(amount: bigint, decimals: number): string {
  if (decimals === 0) return amount.toString();
  const s = amount.toString().padStart(decimals + 1, '0');
  const whole = s.slice(0, -decimals);
  const frac = s.slice(-decimals).replace(/0+$/, '');
  return frac === '' ? whole : `${whole}.${frac}`;
}

function isTokenAccount(a: AccountState | null): a is AccountState {
  if (a === null || (a.owner !== TOKEN_PROGRAM && a.owner !== TOKEN_2022_PROGRAM)) return false;
  const shapeOk = a.data.length === 165 || (a.owner === TOKEN_2022_PROGRAM && a.data.length > 165 && a.data[165] === 2);
  return shapeOk && a.data[108] !== 0; // state byte: 0 = uninitialized (the node skips those)
}

/**
 * The pre- or postTokenBalances of a transaction: every initialized SPL Token / Token-2022 account among its keys
 * (mint at bytes 0..32, owner 32..64, amount u64 LE at 64), with decimals from the mint account (byte 44).
 */
export function tokenBalances(accounts: readonly (AccountState | null)[], mintOf: (mint: string) => AccountState | null): TokenBalance[] {
  const out: TokenBalance[] = [];
  accounts.forEach((a, accountIndex) => {
    if (!isTokenAccount(a)) return;
    const view = Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
    const mint = base58Encode(a.data.subarray(0, 32));
    const mintAccount = mintOf(mint);
    if (mintAccount === null || mintAccount.data.length < 82) return;
    const decimals = mintAccount.data[44] ?? 0;
    const amount = view.readBigUInt64LE(64);
    out.push({
      accountIndex,
      mint,
      owner: base58Encode(a.data.subarray(32, 64)),
      programId: a.owner,
      uiTokenAmount: { amount: amount.toString(), decimals, uiAmount: Number(amount) / 10 ** decimals, uiAmountString: uiAmountString(amount, decimals) },
    });
  });
  return out;
}

// ---- memos ----------------------------------------------------------------------------------------------------
/** `memo` of a getSignaturesForAddress item: each top-level Memo instruction as "[len] text", joined by "; ", or null. */
export function formatMemos(programIds: readonly string[], datas: readonly Uint8Array[]): string | null {
  const memos: string[] = [];
  programIds.forEach((p, i) => {
    if (!MEMO_PROGRAMS.has(p)) return;
    const data = datas[i] ?? new Uint8Array();
    let text: string;
    try { text = new TextDecoder('utf-8', { fatal: true }).decode(data); } catch { text = '(unparseable)'; }
    memos.push(`[${data.length}] ${text}`);
  });
  return memos.length === 0 ? null : memos.join('; ');
}

// ---- durable nonces -------------------------------------------------------------------------------------------
/** System program nonce account (80 bytes): version u32, state u32 (1 = initialized), authority, durable nonce, fee calculator. */
export const NONCE_ACCOUNT_LENGTH = 80;
export const NONCE_OFFSET = 40;

export function parseNonceAccount(a: AccountState | null): { authority: string; nonce: string } | null {
  if (a === null || a.owner !== SYSTEM_PROGRAM || a.data.length !== NONCE_ACCOUNT_LENGTH) return null;
  const view = Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  if (view.readUInt32LE(4) !== 1) return null;
  return { authority: base58Encode(a.data.subarray(8, 40)), nonce: base58Encode(a.data.subarray(NONCE_OFFSET, NONCE_OFFSET + 32)) };
}

/** `DurableNonce::from_blockhash`: sha256("DURABLE_NONCE" ‖ blockhash). */
export function durableNonceFrom(blockhash: string): Uint8Array {
  return createHash('sha256').update('DURABLE_NONCE').update(base58Decode(blockhash)).digest();
}

/** SystemInstruction::AdvanceNonceAccount (discriminant 4; accounts: nonce, RecentBlockhashes sysvar, authority). */
export function isAdvanceNonce(programId: string | undefined, data: Uint8Array): boolean {
  return programId === SYSTEM_PROGRAM && data.length === 4 && data[0] === 4 && data[1] === 0 && data[2] === 0 && data[3] === 0;
}
