import {
  type AnyMessage,
  type AttestationDomain,
  type BuildPacketReturnType,
  buildWithdrawalPacket,
  type CreditMessage,
  decodeMarkMessage,
  decodeMessage,
  type Hex,
  type MarkMessage,
  MessageType,
  RECEIVER_DOMAIN_NAME,
  RECEIVER_DOMAIN_VERSION,
  type ReceiverDomain,
  receiverDomain,
  VAULT_DOMAIN_NAME,
  VAULT_DOMAIN_VERSION,
  vaultDomain,
  VoidReason,
} from '@ccr/messages';
import { type CollateralValuation, OracleError, RiskError, valueCollateral } from '@ccr/risk';
import type { z } from 'zod';
import type { FeedReading } from '../chains/chain-adapter';
import { toBytes32 } from '../chains/address-bytes32';
import type { Clock } from '../common/clock';
import { describeError } from '../common/relayer-error';
import type { AttesterRoleConfig, ChainConfig } from '../config/config.schema';
import { buildItemPacket } from '../poster/prepare-batch';
import { DepositState, HeldReason } from '../store/deposit-state';
import type { Deposit } from '../store/deposit.entity';
import { MessageKind } from '../store/message-kind';
import type { KnownAsset } from '../valuation/asset-registry';
import { feedToOraclePrice, guardNow } from '../valuation/feed-price';
import { guardMark } from '../marks/guard-mark';
import { type AttestRefusal, type attestMarksRequestSchema, type attestRequestSchema, RefusalReason } from './attest-api';
import { attestBatch, type AttesterSigners } from './attest-batch';
import { attestMarkBatch } from './attest-mark-batch';
import type { FeedRounds } from './feed-rounds';

type Request = z.output<typeof attestRequestSchema>;
type MarksRequest = z.output<typeof attestMarksRequestSchema>;

/** What the verifier reads: this attester's own store (its watcher's rows), assets, feeds, clock and key. */
export type AttestVerifierParameters = {
  chains: readonly ChainConfig[];
  settings: AttesterRoleConfig;
  rows: { getMany(guids: readonly string[]): Promise<Deposit[]>; history(guid: string): Promise<readonly { reason: string | null }[]> };
  assets: { find(srcEid: number, token: string): KnownAsset | undefined };
  /** FeedRounds of the chain with this eid. */
  feeds(eid: number): FeedRounds;
  clock: Clock;
  /** This attester's one key. */
  signer: AttesterSigners;
  /** Waits between looks at the store while an event is not final yet (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
};

export type VerifyReturnType = { signed: { signer: string; digest: string; signature: string } } | { refused: AttestRefusal[] };

/** The contract a batch is for, as this attester's config knows it. */
type Target = { domain: AttestationDomain; chain: ChainConfig; role: 'receiver' | 'vault'; address: string };

const POLL_MS = 100;

/**
 * The attester's check of a proposed batch (docs/two-way-book.md "Independent attesters"): it signs the PacketBatch
 * only when EVERY message is one it would have built itself from its own view, else it refuses the whole batch with
 * every reason found:
 *  - the domain is its receiver's or one of its vaults' (its own config: chain id and address), validUntil not past
 *    and at most `maxTtlSeconds` ahead;
 *  - the message decodes strictly, is a kind that destination takes, and its packet — rebuilt here from the message
 *    and the configured path — has the proposed GUID;
 *  - its own watcher stored the event with that GUID at its own finality (not OBSERVED, not REORGED; waited up to
 *    `awaitMs`), of the matching kind, and every field of the message equals the event's (account, asset, amount,
 *    nonce, path, recipient, voided nonce, withdrawal GUID, status …);
 *  - a CREDIT: the asset is configured here with those decimals, and @ccr/risk gives, at the feed round whose
 *    updatedAt is the message's priceTimestamp (feed-rounds.ts), guarded now with the feed's heartbeat, exactly the
 *    message's haircutValue, price, priceTimestamp, haircut and sizeWeight;
 *  - a VOID: 'unsupported-asset' only for an asset it does not list, 'invalid-deposit' only for a deposit its own
 *    store held as invalid-deposit, 'operator' only with `acceptOperatorVoids`.
 * It never signs what it has not verified: any error reading its chain is a refusal ('rpc-error'), not a signature.
 */
export class AttestVerifier {
  private readonly destination: ChainConfig;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly p: AttestVerifierParameters) {
    const destination = p.chains.find((c) => c.role === 'destination');
    if (destination === undefined) throw new Error('config has no destination chain'); // config validation guarantees one
    this.destination = destination;
    this.sleep = p.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get address(): string {
    return this.p.signer[0]!.address; // the attester role holds exactly one key (load-config.ts)
  }

  /** The batch's contract, and validUntil neither past nor further ahead than `maxTtlSeconds`; else the batch-level refusal. */
  private async envelope(domain: Request['domain'], validUntilText: string): Promise<{ target: Target; validUntil: bigint } | { refused: AttestRefusal[] }> {
    const refuse = (reason: RefusalReason, detail: string): { refused: AttestRefusal[] } => ({ refused: [{ index: null, guid: null, reason, detail }] });
    const target = this.target(domain);
    if (target === undefined) return refuse(RefusalReason.UnknownDomain, `${domain.name} v${domain.version} on chain ${domain.chainId} at ${domain.verifyingContract} is not this attester's receiver or vault`);
    const validUntil = BigInt(validUntilText);
    let chainNow: bigint;
    try {
      chainNow = await this.p.feeds(target.chain.eid).latestTimestamp();
    } catch (error) {
      return refuse(RefusalReason.RpcError, describeError(error));
    }
    const wall = BigInt(Math.floor(this.p.clock.now().getTime() / 1000));
    const now = chainNow > wall ? chainNow : wall;
    if (validUntil < chainNow) return refuse(RefusalReason.Ttl, `validUntil ${validUntil} is past (chain time ${chainNow})`);
    if (validUntil > now + BigInt(this.p.settings.maxTtlSeconds)) return refuse(RefusalReason.Ttl, `validUntil ${validUntil} is more than ${this.p.settings.maxTtlSeconds}s ahead of ${now}`);
    return { target, validUntil };
  }

  /**
   * A MarkBatch (the marker's submitMarks) under its receiver's domain: each mark is of an asset configured here, its
   * priceTimestamp is the feed's LATEST round as read here, and the guarded price and haircut this attester computes
   * from that round (guard-mark.ts, as the marker does) are exactly the mark's. The receiver's own rules keep the
   * nonce increasing and the price timestamp from going back.
   */
  async verifyMarks(request: MarksRequest): Promise<VerifyReturnType> {
    const envelope = await this.envelope(request.domain, request.validUntil);
    if ('refused' in envelope) return envelope;
    const { target, validUntil } = envelope;
    if (target.role !== 'receiver') return { refused: [{ index: null, guid: null, reason: RefusalReason.UnknownDomain, detail: 'marks are signed under the receiver domain only' }] };
    const refusals: AttestRefusal[] = [];
    for (const [index, body] of request.marks.entries()) {
      const no = (reason: RefusalReason, detail: string): void => void refusals.push({ index, guid: null, reason, detail });
      let mark: MarkMessage;
      try {
        mark = decodeMarkMessage(body as Hex); // checked hex by the request schema
      } catch (error) {
        no(RefusalReason.Malformed, describeError(error));
        continue;
      }
      const asset = this.p.assets.find(mark.srcEid, mark.asset);
      if (asset === undefined) {
        no(RefusalReason.UnsupportedAsset, `asset ${mark.asset} of eid ${mark.srcEid} is not configured here`);
        continue;
      }
      let reading: FeedReading | null;
      try {
        reading = await this.p.feeds(asset.config.feed.eid).roundAt(asset.config.feed.address, mark.priceTimestamp, 0);
      } catch (error) {
        no(RefusalReason.RpcError, describeError(error));
        continue;
      }
      if (reading === null) {
        no(RefusalReason.NotLatestRound, `${asset.config.symbol}'s feed ${asset.config.feed.address}: its latest round is not the one updated at ${mark.priceTimestamp}`);
        continue;
      }
      const guarded = guardMark(asset, reading, this.p.clock.now());
      if ('refused' in guarded) {
        no(RefusalReason.PriceRefused, `${guarded.refused.reason}: ${guarded.refused.detail}`);
        continue;
      }
      const ours = guarded.candidate;
      const differs = (['price', 'haircut', 'priceTimestamp'] as const).filter((k) => ours[k] !== mark[k]).map((k) => `${k} ${mark[k]} ≠ ${ours[k]}`);
      if (differs.length > 0) no(RefusalReason.ValueMismatch, `round ${reading.roundId}: ${differs.join(', ')}`);
    }
    if (refusals.length > 0) return { refused: refusals };
    const attestation = attestMarkBatch(this.p.signer, target.domain as ReceiverDomain, request.marks as Hex[], validUntil); // a receiver target has a receiver domain; the marks are hex by the request schema
    return { signed: { signer: attestation.signers[0]!, digest: attestation.digest, signature: attestation.signatures[0]! } }; // one key, one signature
  }

  async verify(request: Request): Promise<VerifyReturnType> {
    const envelope = await this.envelope(request.domain, request.validUntil);
    if ('refused' in envelope) return envelope;
    const { target, validUntil } = envelope;

    const refusals: AttestRefusal[] = [];
    const built: { index: number; guid: string; message: AnyMessage; packet: BuildPacketReturnType }[] = [];
    request.items.forEach((item, index) => {
      const guid = item.guid.toLowerCase();
      const no = (reason: RefusalReason, detail: string): void => void refusals.push({ index, guid, reason, detail });
      let message: AnyMessage;
      try {
        const body = decodeMessage(item.message as Hex); // checked hex by the request schema
        if (body.messageType === MessageType.Revaluation) return no(RefusalReason.Malformed, 'a REVALUATION is not a packet');
        message = body;
      } catch (error) {
        return no(RefusalReason.Malformed, describeError(error));
      }
      const taken = target.role === 'receiver' ? message.messageType !== MessageType.Withdrawal : message.messageType === MessageType.Withdrawal;
      if (!taken) return no(RefusalReason.Malformed, `message type ${message.messageType} is not taken by the ${target.role}`);
      let packet: BuildPacketReturnType;
      try {
        if (message.messageType === MessageType.Withdrawal) {
          if (message.vaultEid !== target.chain.eid || message.vault.toLowerCase() !== target.address) return no(RefusalReason.FieldMismatch, `vault ${message.vaultEid}/${message.vault} is not this domain's vault`);
          packet = buildWithdrawalPacket(message, { srcEid: this.destination.eid, sender: toBytes32(this.destination.receiver!) }); // the destination chain has a receiver (config validation)
        } else packet = buildItemPacket({ guid, message }, this.destination.eid, target.address);
      } catch (error) {
        return no(RefusalReason.Malformed, describeError(error));
      }
      if (packet.guid.toLowerCase() !== guid) return no(RefusalReason.GuidMismatch, `the message's path and nonce give ${packet.guid}`);
      built.push({ index, guid, message, packet });
    });

    const rows = await this.finalRows(built.map((b) => b.guid));
    for (const b of built) {
      const row = rows.get(b.guid);
      for (const r of await this.checkItem(b.message, row)) refusals.push({ index: b.index, guid: b.guid, ...r });
    }
    if (refusals.length > 0) return { refused: refusals.sort((a, b) => (a.index ?? -1) - (b.index ?? -1)) };
    const attestation = attestBatch(
      this.p.signer,
      target.domain,
      built.map((b) => ({ guid: b.packet.guid, payloadHash: b.packet.payloadHash })),
      validUntil,
    );
    return { signed: { signer: attestation.signers[0]!, digest: attestation.digest, signature: attestation.signatures[0]! } }; // one key, one signature
  }

  /** The receiver or a vault of this attester's config whose EIP-712 domain `d` is, with that domain as built here. */
  private target(d: Request['domain']): Target | undefined {
    const chainId = Number(d.chainId);
    const address = d.verifyingContract.toLowerCase();
    if (d.name === RECEIVER_DOMAIN_NAME && d.version === RECEIVER_DOMAIN_VERSION) {
      const chain = this.destination;
      if (chain.chainId !== chainId || chain.receiver?.toLowerCase() !== address) return undefined;
      return { domain: receiverDomain({ chainId, verifyingContract: chain.receiver }), chain, role: 'receiver', address: toBytes32(chain.receiver) };
    }
    if (d.name === VAULT_DOMAIN_NAME && d.version === VAULT_DOMAIN_VERSION) {
      const chain = this.p.chains.find((c) => c.role === 'source' && c.family === 'evm' && c.chainId === chainId && c.vault?.toLowerCase() === address);
      if (chain?.vault === undefined) return undefined;
      return { domain: vaultDomain({ chainId, verifyingContract: chain.vault }), chain, role: 'vault', address: toBytes32(chain.vault) };
    }
    return undefined;
  }

  /** The rows of these GUIDs, waiting up to `awaitMs` for those not stored yet or not final yet. */
  private async finalRows(guids: readonly string[]): Promise<Map<string, Deposit>> {
    const deadline = this.p.clock.now().getTime() + this.p.settings.awaitMs;
    const out = new Map<string, Deposit>();
    let missing = [...new Set(guids)];
    for (;;) {
      for (const row of await this.p.rows.getMany(missing)) out.set(row.guid, row);
      missing = missing.filter((g) => out.get(g) === undefined || out.get(g)!.state === DepositState.OBSERVED); // an OBSERVED row may turn FINAL
      if (missing.length === 0 || this.p.clock.now().getTime() >= deadline) return out;
      await this.sleep(POLL_MS);
    }
  }

  /** Every reason this attester's own row (and, for a CREDIT, its own valuation) disagrees with the message. */
  private async checkItem(m: AnyMessage, row: Deposit | undefined): Promise<{ reason: RefusalReason; detail: string }[]> {
    if (row === undefined) return [{ reason: RefusalReason.NotSeen, detail: `no event with this GUID in this attester's store after ${this.p.settings.awaitMs} ms` }];
    if (row.state === DepositState.OBSERVED) return [{ reason: RefusalReason.NotFinal, detail: `seen in block ${row.blockNumber}, not at this attester's finality yet` }];
    if (row.state === DepositState.REORGED) return [{ reason: RefusalReason.Reorged, detail: `its block ${row.blockNumber} left the canonical chain` }];
    const kind = m.messageType === MessageType.Withdrawal ? MessageKind.Withdrawal : m.messageType === MessageType.ReleaseResult ? MessageKind.Result : MessageKind.Credit;
    if (row.kind !== kind) return [{ reason: RefusalReason.KindMismatch, detail: `the GUID names a ${row.kind}, the message is type ${m.messageType}` }];
    const mismatch = fieldMismatches(m, row);
    if (mismatch.length > 0) return [{ reason: RefusalReason.FieldMismatch, detail: mismatch.join(', ') }];
    if (m.messageType === MessageType.Credit) return this.checkValue(m);
    if (m.messageType === MessageType.Void) return this.checkVoid(m.reason, row);
    return [];
  }

  /** A CREDIT's valuation, derived again here from the round its priceTimestamp names. */
  private async checkValue(m: CreditMessage): Promise<{ reason: RefusalReason; detail: string }[]> {
    const asset = this.p.assets.find(m.srcEid, m.asset);
    if (asset === undefined) return [{ reason: RefusalReason.UnsupportedAsset, detail: `asset ${m.asset} of eid ${m.srcEid} is not configured here` }];
    if (asset.config.decimals !== m.assetDecimals) return [{ reason: RefusalReason.FieldMismatch, detail: `assetDecimals ${m.assetDecimals}, configured ${asset.config.decimals}` }];
    const { feed, symbol } = asset.config;
    let reading;
    try {
      reading = await this.p.feeds(feed.eid).roundAt(feed.address, m.priceTimestamp, this.p.settings.maxRoundsBack);
    } catch (error) {
      return [{ reason: RefusalReason.RpcError, detail: describeError(error) }];
    }
    if (reading === null) return [{ reason: RefusalReason.RoundNotFound, detail: `no round of ${symbol}'s feed ${feed.address} updated at ${m.priceTimestamp} within ${this.p.settings.maxRoundsBack} rounds of the latest` }];
    let v: CollateralValuation;
    try {
      v = valueCollateral({
        amount: m.rawAmount,
        decimals: asset.config.decimals,
        price: feedToOraclePrice(reading, `${symbol}/USD@${feed.address}`),
        config: asset.risk,
        now: guardNow(reading, this.p.clock.now()), // as the valuation stage guards it
      });
    } catch (error) {
      if (error instanceof OracleError) return [{ reason: RefusalReason.PriceRefused, detail: `${error.reason}: ${error.shortMessage}` }];
      if (error instanceof RiskError) return [{ reason: RefusalReason.PriceRefused, detail: `risk-refused: ${error.shortMessage}` }];
      throw error;
    }
    const ours = { haircutValue: v.haircutValue, price: v.price, priceTimestamp: v.priceTimestamp, haircut: v.haircut, sizeWeight: v.sizeWeight };
    const differs = (Object.keys(ours) as (keyof typeof ours)[]).filter((k) => ours[k] !== m[k]).map((k) => `${k} ${m[k]} ≠ ${ours[k]}`); // Object.keys of `ours`: its own keys
    return differs.length === 0 ? [] : [{ reason: RefusalReason.ValueMismatch, detail: `round ${reading.roundId}: ${differs.join(', ')}` }];
  }

  /** A VOID is signed only when this attester sees the reason itself (or accepts operator VOIDs). */
  private async checkVoid(reason: VoidReason, row: Deposit): Promise<{ reason: RefusalReason; detail: string }[]> {
    const not = (detail: string): { reason: RefusalReason; detail: string }[] => [{ reason: RefusalReason.NotVoidable, detail }];
    switch (reason) {
      case VoidReason.UnsupportedAsset:
        return this.p.assets.find(row.srcEid, row.token) === undefined ? [] : not(`asset ${row.token} is configured here: not unsupported`);
      case VoidReason.InvalidDeposit: {
        const held = row.reason === HeldReason.InvalidDeposit || (await this.p.rows.history(row.guid)).some((h) => h.reason === HeldReason.InvalidDeposit);
        return held ? [] : not('this attester never held the deposit as invalid-deposit');
      }
      case VoidReason.Operator:
        return this.p.settings.acceptOperatorVoids ? [] : not('operator VOIDs are not accepted (attester.acceptOperatorVoids is false)');
    }
  }
}

/** The message's fields that differ from the event this attester stored (names, with both values). */
function fieldMismatches(m: AnyMessage, row: Deposit): string[] {
  const want: Record<string, string | number | bigint> = {};
  const have: Record<string, string | number | bigint> = {};
  const pair = (field: string, message: string | number | bigint, stored: string | number | bigint | null): void => {
    want[field] = typeof message === 'string' ? message.toLowerCase() : BigInt(message);
    have[field] = stored === null ? 'null' : typeof stored === 'string' && stored.startsWith('0x') ? stored.toLowerCase() : BigInt(stored);
  };
  switch (m.messageType) {
    case MessageType.Credit:
    case MessageType.Void:
      pair('account', m.account, row.account);
      pair('srcEid', m.srcEid, row.srcEid);
      pair('srcVault', m.srcVault, row.srcVault);
      pair('asset', m.asset, row.token);
      pair('depositNonce', m.depositNonce, row.nonce);
      pair('rawAmount', m.rawAmount, row.amount);
      if (m.messageType === MessageType.Void) pair('refundTo', m.refundTo, row.depositor);
      break;
    case MessageType.Withdrawal:
      pair('account', m.account, row.account);
      pair('vaultEid', m.vaultEid, row.dstEid);
      pair('vault', m.vault, row.receiver);
      pair('asset', m.asset, row.token);
      pair('recipient', m.recipient, row.recipient);
      pair('withdrawalNonce', m.withdrawalNonce, row.nonce);
      pair('rawAmount', m.rawAmount, row.amount);
      pair('voidedNonce', m.voidedNonce, row.voidedNonce ?? 0);
      break;
    case MessageType.ReleaseResult:
      pair('srcEid', m.srcEid, row.srcEid);
      pair('srcVault', m.srcVault, row.srcVault);
      pair('resultNonce', m.resultNonce, row.nonce);
      pair('withdrawalGuid', m.withdrawalGuid, row.withdrawalGuid);
      pair('withdrawalNonce', m.withdrawalNonce, row.withdrawalNonce);
      pair('status', m.status, row.releaseStatus);
      pair('account', m.account, row.account);
      pair('asset', m.asset, row.token);
      pair('rawAmount', m.rawAmount, row.amount);
      break;
  }
  return Object.keys(want).filter((k) => want[k] !== have[k]).map((k) => `${k} ${String(want[k])} ≠ ${String(have[k])}`);
}
