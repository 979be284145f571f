import { bytes32ToSolanaAddress, type Hex, parseReleaseMemo } from '@ccr/messages';
import { type Keypair, PublicKey, SendTransactionError } from '@solana/web3.js';
import { toBytes32 } from '../chains/address-bytes32';
import { assembleReleaseTransaction, releaseTransactionId, signReleaseMessage } from '../chains/solana/release-transaction';
import type { SolanaChainAdapter } from '../chains/solana/solana-chain-adapter';
import { RefusalReason } from '../attester/attest-api';
import { describeError } from '../common/relayer-error';
import type { ChainConfig } from '../config/config.schema';
import type { DestinationPosterParameters } from '../poster/destination-poster';
import type { PosterStatus, PostRoundResult } from '../poster/poster-status';
import { pathwayKey } from '../solvency/pathway-halt.repository';
import { BatchState } from '../store/batch.entity';
import { DepositState, HeldReason } from '../store/deposit-state';
import type { Deposit } from '../store/deposit.entity';
import { transition } from '../store/transition';
import { gatherReleaseSignatures, type ReleaseSigner } from './release-signatures';
import { verifyRelease } from './verify-release';

/** What a batch poster is built from (the chain, store, clock, metrics, halts), plus the Solana side. */
export type SolanaReleaserParameters = Pick<DestinationPosterParameters, 'chain' | 'config' | 'deposits' | 'batches' | 'db' | 'clock' | 'metrics' | 'logger' | 'halts'> & {
  adapter: SolanaChainAdapter;
  /** Pays fees and recipients' token-account rent; the durable nonce's authority. */
  poster: Keypair;
  /** Every attester that can sign (local keys and remote processes with a Solana key). */
  signers: readonly ReleaseSigner[];
};

/** Withdrawal rows looked at per round. */
const PAGE = 50;

/**
 * The poster of a Solana vault's withdrawals (docs/solana.md "Releases"): where an EVM vault takes an attested batch,
 * a Solana vault is paid out by a multisig transaction. One release at a time per vault (its one durable nonce):
 *  1. the release in flight (a `batch` row: the signed transaction's bytes and signature, stored before broadcast):
 *     finalized → its withdrawal DELIVERED (the watcher reads the RELEASE_RESULT back from the chain); confirmed →
 *     CONFIRMING; unknown while the nonce still holds its value → broadcast again; unknown after the nonce moved on →
 *     it can never land: abandoned, the withdrawal back to FINAL (signed again over the new nonce);
 *  2. otherwise the next FINAL withdrawal to this vault, by nonce (HELD ones wait their retry, and do not block the
 *     others): the plan (vault account of the asset, recipient's ATA, amount, release memo), the current nonce — only
 *     when `finalized` and `confirmed` agree on it, as the attesters require — threshold signatures gathered
 *     (release-signatures.ts), then sent with preflight: a transaction the node would refuse is never stored, its
 *     withdrawal is HELD ('would-revert') with the node's logs.
 */
export class SolanaReleaser {
  readonly destination: ChainConfig;
  readonly role = 'vault' as const;
  readonly status: PosterStatus = { lastRoundAt: null, lastResult: null, lastRevert: null, lastError: null };
  private readonly vaultBytes32: string;

  constructor(private readonly p: SolanaReleaserParameters) {
    this.destination = p.chain;
    this.vaultBytes32 = toBytes32(p.chain.vault!); // config validation: every source has a vault
  }

  posterAddress(): string {
    return this.p.poster.publicKey.toBase58();
  }

  async post(): Promise<PostRoundResult> {
    const result: PostRoundResult = { reconciled: 0, posted: 0, credited: 0, held: 0, waiting: 0 };
    try {
      await this.round(result);
      this.status.lastError = null;
    } catch (error) {
      this.status.lastError = describeError(error);
      throw error;
    } finally {
      this.status.lastRoundAt = this.p.clock.now().toISOString();
      this.status.lastResult = result;
    }
    return result;
  }

  private async round(result: PostRoundResult): Promise<void> {
    const { deposits } = this.p;
    await deposits.requeueDue(this.p.chain.eid, this.p.clock.now());
    const receiver = this.receiverPath();
    const rows = await deposits.pathwayAfter(receiver.srcEid, receiver.srcVault, this.p.chain.eid, -1n, PAGE);
    const inFlight = rows.filter((r) => r.state === DepositState.ATTESTED || r.state === DepositState.SUBMITTED || r.state === DepositState.CONFIRMING);
    for (const row of inFlight) await this.settle(row, result);
    if (await this.stillInFlight(inFlight)) {
      result.waiting += rows.length;
      return;
    }
    if (this.p.halts !== undefined && (await this.p.halts.haltedPathways()).has(pathwayKey(this.p.chain.eid, this.vaultBytes32))) {
      result.waiting += rows.filter((r) => r.state === DepositState.FINAL).length;
      return;
    }
    const next = rows.find((r) => r.state === DepositState.FINAL);
    if (next !== undefined) await this.release(next, result);
  }

  /** The withdrawals' path: the derivatives chain's receiver → this vault. */
  private receiverPath(): { srcEid: number; srcVault: string } {
    const destination = this.p.config.chains.find((c) => c.role === 'destination')!; // config validation: exactly one
    return { srcEid: destination.eid, srcVault: toBytes32(destination.receiver!) };
  }

  /** True while a release is on its way (any of these rows, re-read after settling, is neither DELIVERED nor back to FINAL). */
  private async stillInFlight(rows: readonly Deposit[]): Promise<boolean> {
    if (rows.length === 0) return false;
    const now = await this.p.deposits.getMany(rows.map((r) => r.guid));
    return now.some((r) => r.state !== DepositState.DELIVERED && r.state !== DepositState.FINAL);
  }

  private async settle(row: Deposit, result: PostRoundResult): Promise<void> {
    const batch = row.batchId === null ? null : await this.p.batches.get(row.batchId);
    if (batch === null || batch.txHash === null || batch.rawTx === null) {
      // An ATTESTED row without its transaction (a crash between the two writes): back to FINAL.
      if (row.state === DepositState.ATTESTED) await this.p.deposits.move(row.guid, row.state, DepositState.FINAL, { reason: null, detail: { abandoned: 'no stored transaction' } });
      return;
    }
    const { adapter } = this.p;
    const statuses = await adapter.rpc.call('getSignatureStatuses', (c) => c.getSignatureStatuses([batch.txHash!], { searchTransactionHistory: true }));
    const status = statuses.value[0];
    if (status !== null && status !== undefined) {
      if (status.confirmationStatus === 'finalized') {
        await this.p.db.write(async (em) => {
          const at = this.p.clock.now();
          await transition(em, { guid: row.guid, from: row.state, to: DepositState.DELIVERED, reason: null, detail: { txHash: batch.txHash, slot: status.slot, err: status.err }, patch: { deliveredBlock: status.slot, creditTxHash: batch.txHash }, at });
          await this.p.batches.updateIn(em, batch.id, { state: BatchState.CONFIRMED, error: status.err === null ? null : JSON.stringify(status.err) }, at);
        });
        result.credited++;
        this.p.metrics.inc('ccr_solana_releases_total', { chain: this.p.chain.name, outcome: status.err === null ? 'released' : 'failed' });
        this.p.logger.log(`${this.p.chain.name}: release of withdrawal ${row.guid} finalized in slot ${status.slot} (${batch.txHash})${status.err === null ? '' : ` FAILED on chain: ${JSON.stringify(status.err)} (reported as a failed release)`}`);
      } else if (row.state === DepositState.SUBMITTED) {
        await this.p.deposits.move(row.guid, row.state, DepositState.CONFIRMING, { detail: { txHash: batch.txHash, slot: status.slot }, patch: { deliveredBlock: status.slot, creditTxHash: batch.txHash } });
      }
      return;
    }
    // Not known to the node: still landable while the nonce holds the value it was signed over.
    const nonce = await this.nonceAt('confirmed');
    if (nonce === batch.digest) {
      await this.broadcast(Buffer.from(batch.rawTx, 'base64'), true);
      return;
    }
    await this.p.db.write(async (em) => {
      const at = this.p.clock.now();
      await transition(em, { guid: row.guid, from: row.state, to: DepositState.FINAL, reason: HeldReason.TxDropped, detail: { txHash: batch.txHash, nonce: batch.digest, nonceNow: nonce }, at });
      await this.p.batches.updateIn(em, batch.id, { state: BatchState.ABANDONED, error: `the durable nonce moved on (${nonce}) before ${batch.txHash} landed` }, at);
    });
    this.p.logger.warn(`${this.p.chain.name}: release ${batch.txHash} of withdrawal ${row.guid} can never land (the nonce moved on): signing it again`);
  }

  private async release(row: Deposit, result: PostRoundResult): Promise<void> {
    const { adapter, config } = this.p;
    const hold = async (reason: HeldReason, detail: string): Promise<void> => {
      await this.p.deposits.hold({ guid: row.guid, from: DepositState.FINAL, reason, detail, unitMs: config.retry.unitMs, maxAttempts: config.retry.maxAttempts });
      result.held++;
      this.p.logger.warn(`${this.p.chain.name}: withdrawal ${row.guid} HELD ${reason}: ${detail}`);
    };
    const [atFinal, atConfirmed] = await Promise.all([this.nonceAt('finalized'), this.nonceAt('confirmed')]);
    if (atFinal === null || atFinal !== atConfirmed) {
      result.waiting++;
      return; // an earlier transaction on the nonce is still settling
    }
    const shape = await adapter.vaultShape();
    const mint = bytes32ToSolanaAddress(row.token as Hex); // stored as 0x bytes32
    const vaultAccount = adapter.vaultAccounts.get(mint);
    const info = vaultAccount === undefined ? undefined : shape.accounts.get(vaultAccount.toBase58());
    if (vaultAccount === undefined || info === undefined) return hold(HeldReason.Refused, `asset ${mint} has no vault account on ${this.p.chain.name} (not a configured asset)`);
    if (row.recipient === null) return hold(HeldReason.Refused, 'the withdrawal names no recipient');
    const memo = parseReleaseMemo(`ccr:release:v1:${row.guid}:${row.nonce}:${row.account}:${row.amount}`);
    if (memo === null) return hold(HeldReason.Refused, 'the withdrawal does not fit a release memo');
    const plan = {
      feePayer: this.p.poster.publicKey,
      nonceAccount: adapter.nonceAccount,
      nonceValue: atFinal,
      multisig: adapter.multisig,
      vaultTokenAccount: vaultAccount,
      mint: new PublicKey(mint),
      decimals: info.decimals,
      recipient: new PublicKey(bytes32ToSolanaAddress(row.recipient as Hex)), // stored as 0x bytes32
      amount: BigInt(row.amount),
      memo,
    };
    const candidates = this.p.signers.filter((s) => shape.multisigSigners.has(s.publicKey.toBase58()));
    const gathered = await gatherReleaseSignatures({ eid: this.p.chain.eid, plan, candidates, threshold: shape.threshold, timeoutMs: config.attestation.timeoutMs });
    if (!gathered.ok) return hold(HeldReason.AttestationQuorum, `fewer than ${shape.threshold} multisig signatures: ${gathered.refusals.map((r) => r.detail).join('; ') || 'no attester can sign'}`);
    // This process's own check of what it is about to send (the attesters made theirs).
    const check = await verifyRelease({ adapter, message: gathered.message, rows: this.p.deposits, signer: null });
    if (!check.ok) return check.reason === RefusalReason.NonceMoved || check.reason === RefusalReason.RpcError ? void result.waiting++ : hold(HeldReason.Refused, `${check.reason}: ${check.detail}`);
    const signatures = new Map(gathered.signatures);
    signatures.set(this.p.poster.publicKey.toBase58(), signReleaseMessage(gathered.message, this.p.poster));
    const wire = assembleReleaseTransaction(gathered.message, signatures);
    const txHash = releaseTransactionId(wire);
    // Stored before it is sent (a crash after the broadcast finds it here and follows it); then sent with preflight.
    const id = await this.p.db.write(async (em) => {
      const at = this.p.clock.now();
      const batchId = await this.p.batches.createIn(em, { dstEid: this.p.chain.eid, guids: JSON.stringify([row.guid]), digest: atFinal, state: BatchState.SUBMITTED, txHash, rawTx: Buffer.from(wire).toString('base64'), broadcastAt: at }, at);
      await transition(em, { guid: row.guid, from: DepositState.FINAL, to: DepositState.ATTESTED, reason: null, detail: { signers: gathered.signers, nonce: atFinal }, patch: { batchId }, at });
      await transition(em, { guid: row.guid, from: DepositState.ATTESTED, to: DepositState.SUBMITTED, reason: null, detail: { batchId, txHash }, at });
      return batchId;
    });
    const refused = await this.broadcast(wire, false);
    if (refused !== null) {
      // The node refused it in preflight: it never landed; back to FINAL and held with the node's reason.
      await this.p.db.write(async (em) => {
        const at = this.p.clock.now();
        await this.p.batches.updateIn(em, id, { state: BatchState.ABANDONED, error: refused.slice(0, 1000) }, at);
        await transition(em, { guid: row.guid, from: DepositState.SUBMITTED, to: DepositState.FINAL, reason: HeldReason.WouldRevert, detail: { txHash, refused: refused.slice(0, 500) }, at });
      });
      return hold(HeldReason.WouldRevert, refused);
    }
    result.posted++;
    this.p.logger.log(`${this.p.chain.name}: released withdrawal ${row.guid} (${row.amount} of ${mint} to ${plan.recipient.toBase58()}) in ${txHash}, signed by ${gathered.signers.join(', ')}`);
  }

  /** The durable nonce at a commitment (null when the account is not there). */
  private async nonceAt(commitment: 'finalized' | 'confirmed'): Promise<string | null> {
    return (await this.p.adapter.durableNonce(commitment)).nonce;
  }

  /** Sends the transaction (with preflight unless `skipPreflight`); the node's refusal as text, null when accepted. Endpoint faults throw. */
  private async broadcast(wire: Uint8Array, skipPreflight: boolean): Promise<string | null> {
    try {
      await this.p.adapter.rpc.call('sendTransaction', (c) => c.sendRawTransaction(wire, { skipPreflight, preflightCommitment: 'confirmed', maxRetries: 0 }));
      return null;
    } catch (error) {
      if (error instanceof SendTransactionError) return `${error.message}${error.logs === undefined ? '' : ` — logs: ${error.logs.slice(-5).join(' | ')}`}`;
      throw error;
    }
  }
}
