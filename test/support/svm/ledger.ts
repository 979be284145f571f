/**
 * The chain behind the litesvm JSON-RPC shim (../svm-rpc.ts): one litesvm instance plus what a validator keeps and
 * litesvm does not — blocks (slot, blockhash, parent, block time, signatures in order), transaction records with
 * their metadata, an address → signatures index, and per-slot post-states of every account a transaction wrote (so
 * reads "as of" an older slot are answered). It also does what litesvm does differently from a validator:
 *  - blockhash age: litesvm only accepts its single latest blockhash, so its check is off and this file accepts any
 *    blockhash of the last 150 slots (MAX_PROCESSING_AGE), or a durable nonce (first instruction AdvanceNonceAccount,
 *    stored nonce = recentBlockhash, authority signs, nonce advanceable in this slot); else "Blockhash not found";
 *  - durable nonces: litesvm advances a nonce to hash(old nonce) and, when the transaction fails, not at all (the
 *    signed bytes stay valid). A validator advances it to DurableNonce(current blockhash) in both cases; so do we.
 * No jest import.
 */
import { Keypair, LAMPORTS_PER_SOL, PublicKey, SystemProgram, Transaction, VersionedTransaction, type VersionedMessage } from '@solana/web3.js';
import type { LiteSVM } from 'litesvm';
import { Account, FailedTransactionMetadata, type LiteSvm, type TransactionMetadata } from 'litesvm/dist/internal';
import { type AccountState, base58Encode, durableNonceFrom, formatMemos, isAdvanceNonce, LAMPORTS_PER_SIGNATURE, NONCE_OFFSET, parseNonceAccount, tokenBalances, type TokenBalance, type TxError, txErrorJson, txErrorText } from './codec';
import { errorMessage } from '../errors';

/** A JSON-RPC error answered to the client. */
export class RpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
  }
}

/** How many slots a recent blockhash stays valid (mainnet's MAX_PROCESSING_AGE). */
export const MAX_PROCESSING_AGE = 150;

export interface BlockRecord {
  slot: number;
  blockhash: string;
  previousBlockhash: string;
  parentSlot: number;
  blockTime: number;
  signatures: string[];
}

export interface TxRecord {
  signature: string;
  slot: number;
  wire: Uint8Array;
  version: 'legacy' | 0;
  message: VersionedMessage;
  accountKeys: string[];
  err: TxError | null;
  fee: number;
  preBalances: number[];
  postBalances: number[];
  preTokenBalances: TokenBalance[];
  postTokenBalances: TokenBalance[];
  logMessages: string[];
  computeUnitsConsumed: number;
  innerInstructions: { index: number; instructions: { programIdIndex: number; accounts: number[]; data: string; stackHeight: number }[] }[];
  memo: string | null;
}

export class Ledger {
  /** litesvm's native core: it takes wire bytes (the JS wrapper wants @solana/kit objects and checks signatures in JS). */
  readonly core: LiteSvm;
  readonly genesisHash: string;
  readonly blocks: BlockRecord[] = [];
  readonly txs = new Map<string, TxRecord>();
  private readonly blockhashSlot = new Map<string, number>();
  private readonly byAddress = new Map<string, TxRecord[]>();
  /** Per account written by a transaction: its state before the first write (slot −1), then after each slot that wrote it. */
  private readonly history = new Map<string, { slot: number; account: AccountState | null }[]>();
  private readonly faucet = Keypair.generate();

  constructor(readonly svm: LiteSVM, private readonly startTime: number, private readonly slotMs: number) {
    this.core = (svm as unknown as { inner: LiteSvm }).inner; // litesvm's LiteSVM keeps the napi LiteSvm in its private `inner` (dist/index.js)
    svm.withSigverify(true).withBlockhashCheck(false);
    this.genesisHash = svm.latestBlockhash();
    this.core.airdrop(this.faucet.publicKey.toBytes(), 500_000n * BigInt(LAMPORTS_PER_SOL));
    this.openBlock(0, this.genesisHash);
  }

  get slot(): number {
    return this.blocks.length - 1;
  }

  get current(): BlockRecord {
    return this.blocks[this.blocks.length - 1]!;
  }

  /** Closes the current slot and opens the next one, with its own blockhash and clock. */
  newSlot(): void {
    this.openBlock(this.slot + 1, this.current.blockhash);
  }

  private openBlock(slot: number, previousBlockhash: string): void {
    this.svm.expireBlockhash();
    const blockTime = this.startTime + Math.floor((slot * this.slotMs) / 1000);
    this.svm.warpToSlot(BigInt(slot));
    const clock = this.core.getClock();
    clock.unixTimestamp = BigInt(blockTime);
    this.core.setClock(clock);
    const blockhash = this.svm.latestBlockhash();
    this.blocks.push({ slot, blockhash, previousBlockhash, parentSlot: Math.max(0, slot - 1), blockTime, signatures: [] });
    this.blockhashSlot.set(blockhash, slot);
  }

  /** Whether `blockhash` is one of the last 150 slots' blockhashes as of `atSlot`. */
  isBlockhashValid(blockhash: string, atSlot: number): boolean {
    const s = this.blockhashSlot.get(blockhash);
    return s !== undefined && s <= atSlot && atSlot - s <= MAX_PROCESSING_AGE;
  }

  readLive(key: string): AccountState | null {
    const a = this.core.getAccount(new PublicKey(key).toBytes());
    if (a === null || a.lamports() === 0n) return null;
    return { lamports: a.lamports(), data: Uint8Array.from(a.data()), owner: base58Encode(a.owner()), executable: a.executable() };
  }

  /** An account as of the end of `slot` (live if `slot` is the current one or the account was never written by a transaction). */
  readAt(key: string, slot: number): AccountState | null {
    const h = slot >= this.slot ? undefined : this.history.get(key);
    if (h === undefined) return this.readLive(key);
    for (let i = h.length - 1; i >= 0; i--) if (h[i]!.slot <= slot) return h[i]!.account;
    return this.readLive(key);
  }

  /** Recorded transactions involving `address`, oldest first. */
  transactionsOf(address: string): readonly TxRecord[] {
    return this.byAddress.get(address) ?? [];
  }

  /** A faucet transfer, recorded like any transaction (as a test validator's faucet does). */
  airdrop(to: string, lamports: number): string {
    const tx = new Transaction({ feePayer: this.faucet.publicKey, recentBlockhash: this.current.blockhash }).add(SystemProgram.transfer({ fromPubkey: this.faucet.publicKey, toPubkey: new PublicKey(to), lamports }));
    tx.sign(this.faucet);
    return this.submit(tx.serialize(), false);
  }

  /**
   * sendTransaction. With preflight: a signature failure → -32003; a blockhash/nonce not valid, an already processed
   * signature or a failing simulation → -32002 "Transaction simulation failed: …" {err, logs}; nothing is recorded.
   * Without: a transaction that cannot be executed is dropped (the signature is returned, it never lands); one that
   * executes and fails is recorded in the current block with its err, its fee charged and its nonce advanced.
   */
  submit(wire: Uint8Array, skipPreflight: boolean): string {
    let tx: VersionedTransaction;
    try {
      tx = VersionedTransaction.deserialize(wire);
    } catch (e) {
      throw new RpcError(-32602, `invalid transaction: failed to deserialize VersionedTransaction: ${errorMessage(e)}`);
    }
    const msg = tx.message;
    if (msg.addressTableLookups.length > 0) throw new RpcError(-32602, 'invalid transaction: address lookup tables are not supported by this stand-in');
    const signature = base58Encode(tx.signatures[0] ?? new Uint8Array(64));
    const keys = msg.staticAccountKeys.map((k) => k.toBase58());
    const legacy = msg.version === 'legacy';
    const age = this.checkAge(msg, keys);
    if (!skipPreflight) {
      const sim = legacy ? this.core.simulateLegacyTransaction(wire) : this.core.simulateVersionedTransaction(wire);
      const simErr = sim instanceof FailedTransactionMetadata ? txErrorJson(sim) : null;
      if (simErr === 'SignatureFailure') throw new RpcError(-32003, 'Transaction signature verification failure');
      const early: TxError | null = age === null ? 'BlockhashNotFound' : this.txs.has(signature) ? 'AlreadyProcessed' : null;
      const err = early ?? simErr;
      if (err !== null) {
        const meta = early === null && sim instanceof FailedTransactionMetadata ? sim.meta() : null;
        throw new RpcError(-32002, `Transaction simulation failed: ${txErrorText(err)}`, { accounts: null, err, innerInstructions: null, logs: meta?.logs() ?? [], replacementBlockhash: null, returnData: null, unitsConsumed: meta === null ? 0 : Number(meta.computeUnitsConsumed()) });
      }
    }
    if (age === null || this.txs.has(signature)) return signature; // a leader would drop it
    const pre = keys.map((k) => this.readLive(k));
    const preTokenBalances = tokenBalances(pre, (m) => this.readLive(m));
    const result = legacy ? this.core.sendLegacyTransaction(wire) : this.core.sendVersionedTransaction(wire);
    const failed = result instanceof FailedTransactionMetadata ? result : null;
    if (failed !== null && this.core.getTransaction(tx.signatures[0]!) === null) return signature; // not executed (signature, fee payer…): dropped
    const ix0 = msg.compiledInstructions[0];
    if (ix0 !== undefined && isAdvanceNonce(keys[ix0.programIdIndex], ix0.data) && (failed === null || age === 'nonce')) this.advanceNonce(keys[ix0.accountKeyIndexes[0] ?? 0]!);
    const post = keys.map((k) => this.readLive(k));
    const meta: TransactionMetadata = result instanceof FailedTransactionMetadata ? result.meta() : result;
    const record: TxRecord = {
      signature,
      slot: this.slot,
      wire: Uint8Array.from(wire),
      version: legacy ? 'legacy' : 0,
      message: msg,
      accountKeys: keys,
      err: failed === null ? null : txErrorJson(failed),
      fee: LAMPORTS_PER_SIGNATURE * msg.header.numRequiredSignatures,
      preBalances: pre.map((a) => Number(a?.lamports ?? 0n)),
      postBalances: post.map((a) => Number(a?.lamports ?? 0n)),
      preTokenBalances,
      postTokenBalances: tokenBalances(post, (m) => this.readLive(m)),
      logMessages: meta.logs(),
      computeUnitsConsumed: Number(meta.computeUnitsConsumed()),
      innerInstructions: meta
        .innerInstructions()
        .map((list, index) => ({ index, instructions: list.map((ii) => ({ programIdIndex: ii.instruction().programIdIndex(), accounts: Array.from(ii.instruction().accounts()), data: base58Encode(ii.instruction().data()), stackHeight: ii.stackHeight() })) }))
        .filter((e) => e.instructions.length > 0),
      memo: formatMemos(msg.compiledInstructions.map((ix) => keys[ix.programIdIndex] ?? ''), msg.compiledInstructions.map((ix) => ix.data)),
    };
    keys.forEach((k, i) => {
      if (msg.isAccountWritable(i)) this.remember(k, pre[i] ?? null, post[i] ?? null);
    });
    this.current.signatures.push(signature);
    this.txs.set(signature, record);
    for (const k of new Set(keys)) {
      const list = this.byAddress.get(k) ?? [];
      list.push(record);
      this.byAddress.set(k, list);
    }
    return signature;
  }

  /** 'recent' (a blockhash of the last 150 slots), 'nonce' (a valid durable nonce) or null ("Blockhash not found"). */
  private checkAge(msg: VersionedMessage, keys: string[]): 'recent' | 'nonce' | null {
    if (this.isBlockhashValid(msg.recentBlockhash, this.slot)) return 'recent';
    const ix0 = msg.compiledInstructions[0];
    if (ix0 === undefined || !isAdvanceNonce(keys[ix0.programIdIndex], ix0.data)) return null;
    const nonceIndex = ix0.accountKeyIndexes[0];
    if (nonceIndex === undefined || !msg.isAccountWritable(nonceIndex)) return null;
    const nonce = parseNonceAccount(this.readLive(keys[nonceIndex]!));
    if (nonce === null || nonce.nonce !== msg.recentBlockhash) return null;
    if (nonce.nonce === base58Encode(durableNonceFrom(this.current.blockhash))) return null; // already advanced in this slot
    return ix0.accountKeyIndexes.some((i) => msg.isAccountSigner(i) && keys[i] === nonce.authority) ? 'nonce' : null;
  }

  /** Sets a nonce account's nonce to DurableNonce(current blockhash) and its fee calculator to the current fee, as AdvanceNonceAccount does. */
  private advanceNonce(key: string): void {
    const account = this.readLive(key);
    if (parseNonceAccount(account) === null || account === null) return;
    const data = Buffer.from(account.data);
    data.set(durableNonceFrom(this.current.blockhash), NONCE_OFFSET);
    data.writeBigUInt64LE(BigInt(LAMPORTS_PER_SIGNATURE), NONCE_OFFSET + 32);
    this.core.setAccount(new PublicKey(key).toBytes(), new Account(account.lamports, data, new PublicKey(account.owner).toBytes(), account.executable, 0n));
  }

  private remember(key: string, before: AccountState | null, after: AccountState | null): void {
    let h = this.history.get(key);
    if (h === undefined) {
      h = [{ slot: -1, account: before }];
      this.history.set(key, h);
    }
    const last = h[h.length - 1]!;
    if (last.slot === this.slot) last.account = after;
    else h.push({ slot: this.slot, account: after });
  }
}

/** A recorded transaction in `getTransaction` / `getBlock` form (encoding 'json' or 'base64'). */
export function formatTransaction(r: TxRecord, encoding: string): Record<string, unknown> {
  const m = r.message;
  const transaction =
    encoding === 'base64'
      ? [Buffer.from(r.wire).toString('base64'), 'base64']
      : {
          signatures: VersionedTransaction.deserialize(r.wire).signatures.map((s) => base58Encode(s)),
          message: {
            accountKeys: r.accountKeys,
            header: m.header,
            recentBlockhash: m.recentBlockhash,
            instructions: m.compiledInstructions.map((ix) => ({ programIdIndex: ix.programIdIndex, accounts: ix.accountKeyIndexes, data: base58Encode(ix.data), stackHeight: null })),
            ...(r.version === 0 ? { addressTableLookups: [] } : {}),
          },
        };
  return {
    transaction,
    meta: {
      err: r.err,
      status: r.err === null ? { Ok: null } : { Err: r.err },
      fee: r.fee,
      preBalances: r.preBalances,
      postBalances: r.postBalances,
      innerInstructions: r.innerInstructions,
      logMessages: r.logMessages,
      preTokenBalances: r.preTokenBalances,
      postTokenBalances: r.postTokenBalances,
      rewards: [],
      loadedAddresses: { writable: [], readonly: [] },
      computeUnitsConsumed: r.computeUnitsConsumed,
    },
    version: r.version,
  };
}
