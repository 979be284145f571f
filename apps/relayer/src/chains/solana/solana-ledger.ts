import { Logger } from '@nestjs/common';
import { computeGuid, solanaAddressToBytes32 } from '@ccr/messages';
import { type ConfirmedSignatureInfo, PublicKey, type VersionedTransactionResponse } from '@solana/web3.js';
import { MessageKind } from '../../store/message-kind';
import type { ChainMessage } from '../chain-adapter';
import { ChainRpcError } from '../chain-errors';
import { accountKeysOf, parseVaultTransaction, type VaultMovement, type VaultShape } from './parse-vault-transaction';
import type { SolanaRpc } from './solana-rpc';

const ZERO32 = `0x${'00'.repeat(32)}`;
/** Events of one transaction are numbered apart by this in `logIndex` (position in block × this + account index). */
const LOG_INDEX_STRIDE = 256;
const CONFIRMED_CACHE_MAX = 10_000;

/** The one path of a Solana vault: vault (multisig) → the derivatives chain's receiver. */
export type SolanaPath = { srcEid: number; srcVault: string; dstEid: number; receiver: string };

export type SolanaLedgerParameters = {
  chain: string;
  rpc: SolanaRpc;
  path: SolanaPath;
  /** The vault's shape (token accounts, multisig), read from chain once. */
  shape: () => Promise<VaultShape>;
  /** No transaction below this slot counts (the vault's creation): every party must use the same. */
  startSlot: number;
  pageSize: number;
};

/** A vault token account's balance after a transaction that touched it. */
type BalancePoint = { slot: number; order: number; balance: bigint };

/** One transaction touching a vault account, read at a commitment. */
type ReadTx = { signature: string; slot: number; txIndex: number; blockHash: string; tx: VersionedTransactionResponse };

/**
 * The message history of a Solana vault, derived from chain data alone (docs/solana.md "Nonces"). A Solana vault has
 * no program to number its deposits, so the numbering is a function of the finalized chain: every movement of a vault
 * token account (parse-vault-transaction.ts) from `startSlot` on, in (slot, position in the block, account index)
 * order, gets the next nonce of the path — any attester re-deriving it from the same chain gets the same nonces and
 * GUIDs. A release answering a withdrawal already answered is not numbered again (the first one, in that order, counts).
 *
 * `syncTo(slot)` reads what is new at `finalized` up to `slot`: per vault token account `getSignaturesForAddress`
 * after the newest signature already read, then `getBlock` (the order inside each slot) and `getTransaction`. It is all
 * or nothing: a failed read leaves the ledger where it was. Held in memory: after a restart the history is read again
 * from `startSlot` (the watcher's cursor then only skips storing what the store has).
 */
export class SolanaLedger {
  private readonly logger = new Logger('SolanaLedger');
  private readonly final: ChainMessage[] = [];
  private syncedTo: number;
  private readonly newest = new Map<string, string>();
  private readonly balances = new Map<string, BalancePoint[]>();
  private readonly answered = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  /** `confirmed` transactions already read (dropped once their slot is final). */
  private readonly confirmedTxs = new Map<string, VersionedTransactionResponse>();

  constructor(private readonly p: SolanaLedgerParameters) {
    this.syncedTo = p.startSlot - 1;
  }

  /** The highest slot read at finality. */
  get finalSlot(): number {
    return this.syncedTo;
  }

  /** Reads the finalized history up to `slot` (at most the chain's finalized slot; callers pass a bound they read). */
  syncTo(slot: number): Promise<void> {
    const run = this.queue.then(() => this.sync(slot));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Finalized messages in slots [from, to] (after `syncTo(to)`). */
  messagesIn(from: number, to: number): ChainMessage[] {
    return this.final.filter((m) => m.blockNumber >= from && m.blockNumber <= to);
  }

  /** The path's outbound nonce at `slot`: messages at or below it (after `syncTo(slot)`). */
  nonceAt(slot: number): bigint {
    let n = 0;
    for (const m of this.final) if (m.blockNumber <= slot) n++;
    return BigInt(n);
  }

  /** The vault token account's balance after the last finalized transaction at or below `slot` touching it (0 before any). */
  balanceAt(account: string, slot: number): bigint {
    const points = this.balances.get(account) ?? [];
    let balance = 0n;
    for (const p of points) if (p.slot <= slot) balance = p.balance;
    return balance;
  }

  /** Deposits minus releases of a mint (bytes32) up to `slot`: what the vault's books say it holds. */
  lockedAt(mintBytes32: string, slot: number): bigint {
    let total = 0n;
    for (const m of this.final) {
      if (m.blockNumber > slot || m.token !== mintBytes32) continue;
      if (m.kind === MessageKind.Credit) total += m.amount;
      else if (m.kind === MessageKind.Result && m.releaseStatus === 1) total -= m.amount;
    }
    return total;
  }

  /** A release of this withdrawal (GUID) already in the finalized history (success or failure). */
  hasResult(withdrawalGuid: string): boolean {
    return this.answered.has(withdrawalGuid.toLowerCase());
  }

  /**
   * Messages above the finalized history, at `confirmed`: what the head scan shows (OBSERVED, never posted). Their
   * nonces continue the finalized ones; a dropped fork changes them, and the watcher's reorg handling takes it from there.
   */
  async provisional(): Promise<ChainMessage[]> {
    return (await this.provisionalView()).messages;
  }

  /**
   * What the vault holds at `slot` above the finalized history, at `confirmed` (the solvency job reads the vault at
   * its head cursor, as it does an EVM vault at that block): books (deposits − releases) and the account's balance.
   */
  async holdingsAt(account: string, mintBytes32: string, slot: number): Promise<{ totalLocked: bigint; balance: bigint }> {
    const view = await this.provisionalView();
    let totalLocked = this.lockedAt(mintBytes32, slot);
    for (const m of view.messages) {
      if (m.blockNumber > slot || m.token !== mintBytes32) continue;
      if (m.kind === MessageKind.Credit) totalLocked += m.amount;
      else if (m.kind === MessageKind.Result && m.releaseStatus === 1) totalLocked -= m.amount;
    }
    let balance = this.balanceAt(account, slot);
    for (const p of view.points.get(account) ?? []) if (p.slot <= slot) balance = p.balance;
    return { totalLocked, balance };
  }

  private async provisionalView(): Promise<{ messages: ChainMessage[]; points: Map<string, BalancePoint[]> }> {
    const shape = await this.p.shape();
    const txs = await this.readNew(shape, 'confirmed', Number.MAX_SAFE_INTEGER);
    return this.number(txs, shape, this.final.length, new Set(this.answered));
  }

  private async sync(requested: number): Promise<void> {
    if (requested <= this.syncedTo) return;
    // Never past the finalized slot: what is above it is read again (provisional) until it is final.
    const slot = Math.min(requested, await this.p.rpc.slot('finalized'));
    if (slot <= this.syncedTo) return;
    const shape = await this.p.shape();
    const txs = await this.readNew(shape, 'finalized', slot);
    const answered = new Set(this.answered);
    const { messages, points, outflows } = this.number(txs, shape, this.final.length, answered);
    // All read: commit.
    this.final.push(...messages);
    for (const a of answered) this.answered.add(a);
    for (const [account, list] of points) this.balances.set(account, [...(this.balances.get(account) ?? []), ...list]);
    for (const t of txs) for (const account of shape.accounts.keys()) if (accountKeysOf(t.tx).some((k) => k.toBase58() === account)) this.newest.set(account, this.newerOf(account, t));
    this.syncedTo = slot;
    for (const [signature, tx] of this.confirmedTxs) if (tx.slot <= slot) this.confirmedTxs.delete(signature);
    for (const o of outflows) this.logger.warn(`${this.p.chain}: ${o.amount} of ${o.mint} left vault account ${o.vaultAccount} without a release memo (${o.signature}): not a release; the solvency check will show it`);
  }

  /** Per account, the newest signature read (the `until` of the next read), kept as the one of the highest (slot, index). */
  private readonly newestAt = new Map<string, { slot: number; txIndex: number }>();
  private newerOf(account: string, t: ReadTx): string {
    const at = this.newestAt.get(account);
    if (at === undefined || t.slot > at.slot || (t.slot === at.slot && t.txIndex > at.txIndex)) {
      this.newestAt.set(account, { slot: t.slot, txIndex: t.txIndex });
      return t.signature;
    }
    return this.newest.get(account)!;
  }

  /** Transactions touching a vault account, newer than the ones read, in slots ≤ `upTo`, at `commitment`, in chain order. */
  private async readNew(shape: VaultShape, commitment: 'confirmed' | 'finalized', upTo: number): Promise<ReadTx[]> {
    const infos = new Map<string, ConfirmedSignatureInfo>();
    for (const account of shape.accounts.keys()) {
      for (const info of await this.signatures(account, commitment)) {
        if (info.slot > upTo || info.slot < this.p.startSlot || info.slot <= this.syncedTo) continue;
        infos.set(info.signature, info);
      }
    }
    const bySlot = new Map<number, string[]>();
    for (const info of infos.values()) bySlot.set(info.slot, [...(bySlot.get(info.slot) ?? []), info.signature]);
    const out: ReadTx[] = [];
    for (const slot of [...bySlot.keys()].sort((a, b) => a - b)) {
      const block = await this.p.rpc.call('getBlock', (c) => c.getBlockSignatures(slot, commitment));
      const order = new Map(block.signatures.map((s, i) => [s, i]));
      const blockHash = solanaAddressToBytes32(block.blockhash);
      const sigs = bySlot.get(slot)!.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      for (const signature of sigs) {
        const txIndex = order.get(signature);
        if (txIndex === undefined) throw new ChainRpcError(this.p.chain, `getBlock(${slot})`, new Error(`transaction ${signature} is not in the block`));
        // A transaction's content is fixed by its signature; what is above finality is read every head round, once.
        const cached = commitment === 'confirmed' ? this.confirmedTxs.get(signature) : undefined;
        const tx = cached?.slot === slot ? cached : await this.p.rpc.call('getTransaction', (c) => c.getTransaction(signature, { commitment, maxSupportedTransactionVersion: 0 }));
        if (tx === null) throw new ChainRpcError(this.p.chain, `getTransaction(${signature})`, new Error(`not available at ${commitment} yet`));
        if (commitment === 'confirmed' && this.confirmedTxs.size < CONFIRMED_CACHE_MAX) this.confirmedTxs.set(signature, tx);
        out.push({ signature, slot, txIndex, blockHash, tx });
      }
    }
    return out;
  }

  /** All signatures of `account` newer than the newest read, paging back (`before`) while pages are full. */
  private async signatures(account: string, commitment: 'confirmed' | 'finalized'): Promise<ConfirmedSignatureInfo[]> {
    const until = this.newest.get(account);
    const key = new PublicKey(account);
    const out: ConfirmedSignatureInfo[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await this.p.rpc.call('getSignaturesForAddress', (c) => c.getSignaturesForAddress(key, { limit: this.p.pageSize, ...(before === undefined ? {} : { before }), ...(until === undefined ? {} : { until }) }, commitment));
      out.push(...page);
      const oldest = page.at(-1);
      if (page.length < this.p.pageSize || oldest === undefined || oldest.slot < this.p.startSlot || oldest.slot <= this.syncedTo) break;
      before = oldest.signature;
    }
    return out;
  }

  /** Numbers the movements of `txs` (in order) after `base` messages; `answered` gains the withdrawals they answer. */
  private number(txs: readonly ReadTx[], shape: VaultShape, base: number, answered: Set<string>): { messages: ChainMessage[]; points: Map<string, BalancePoint[]>; outflows: (VaultMovement & { signature: string })[] } {
    const messages: ChainMessage[] = [];
    const points = new Map<string, BalancePoint[]>();
    const outflows: (VaultMovement & { signature: string })[] = [];
    for (const t of txs) {
      const keys = accountKeysOf(t.tx);
      if (t.tx.meta !== null && t.tx.meta.err === null) {
        keys.forEach((k, i) => {
          const info = shape.accounts.get(k.toBase58());
          if (info === undefined) return;
          const post = t.tx.meta?.postTokenBalances?.find((b) => b.accountIndex === i && b.mint === info.mint);
          const list = points.get(k.toBase58()) ?? [];
          list.push({ slot: t.slot, order: t.txIndex, balance: post === undefined ? 0n : BigInt(post.uiTokenAmount.amount) });
          points.set(k.toBase58(), list);
        });
      }
      for (const m of parseVaultTransaction(t.tx, shape)) {
        if (m.kind === 'outflow') {
          outflows.push({ ...m, signature: t.signature });
          continue;
        }
        if (m.kind === 'release') {
          const g = m.memo.withdrawalGuid.toLowerCase();
          if (answered.has(g)) {
            this.logger.warn(`${this.p.chain}: withdrawal ${g} answered again by ${t.signature}: only its first release counts`);
            continue;
          }
          answered.add(g);
        }
        messages.push(this.message(m, t, BigInt(base + messages.length + 1)));
      }
    }
    return { messages, points, outflows };
  }

  private message(m: Exclude<VaultMovement, { kind: 'outflow' }>, t: ReadTx, nonce: bigint): ChainMessage {
    const { srcEid, srcVault, dstEid, receiver } = this.p.path;
    const position = { blockNumber: t.slot, blockHash: t.blockHash, txHash: t.signature, logIndex: t.txIndex * LOG_INDEX_STRIDE + m.accountIndex };
    const common = { guid: computeGuid({ nonce, srcEid, sender: srcVault, dstEid, receiver }), srcEid, srcVault, dstEid, nonce, token: solanaAddressToBytes32(m.mint), receiver, ...position };
    if (m.kind === 'deposit') {
      return { ...common, kind: MessageKind.Credit, depositor: m.depositor, account: m.memo.ok ? m.memo.memo.account : ZERO32, amount: m.amount, recipient: null, voidedNonce: null, withdrawalGuid: null, withdrawalNonce: null, releaseStatus: null };
    }
    return {
      ...common,
      kind: MessageKind.Result,
      depositor: m.memo.account,
      account: m.memo.account,
      amount: m.memo.rawAmount,
      recipient: m.recipient,
      voidedNonce: null,
      withdrawalGuid: m.memo.withdrawalGuid.toLowerCase(),
      withdrawalNonce: m.memo.withdrawalNonce,
      releaseStatus: m.status,
    };
  }
}
