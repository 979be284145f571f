import {
  type AnyMessage,
  type AttestationDomain,
  buildCreditPacket,
  buildWithdrawalPacket,
  computeGuid,
  type CreditMessage,
  encodeMarkMessage,
  encodeMessage,
  type Hex,
  MessageType,
  receiverDomain,
  recoverBatchSigners,
  recoverMarkBatchSigners,
  vaultDomain,
  VoidReason,
} from '@ccr/messages';
import { valueCollateral } from '@ccr/risk';
import { guardMark } from '../marks/guard-mark';
import { Wallet } from 'ethers';
import type { FeedReading } from '../chains/chain-adapter';
import { ManualClock } from '../common/clock';
import { FIXTURE_ENV, fixtureConfig } from '../config/config.fixture';
import { buildConfig } from '../config/load-config';
import type { AppConfig } from '../config/app-config';
import { DepositState, HeldReason } from '../store/deposit-state';
import { Deposit } from '../store/deposit.entity';
import { MessageKind } from '../store/message-kind';
import { AssetRegistry } from '../valuation/asset-registry';
import { feedToOraclePrice } from '../valuation/feed-price';
import { RefusalReason } from './attest-api';
import { attesterSigners } from './attest-batch';
import { AttestVerifier, type VerifyReturnType } from './attest-verifier';
import type { FeedRounds } from './feed-rounds';
import { anyString, stringMatching } from '../common/matchers.fixture';

const NOW = 1_750_000_000;
const KEY = FIXTURE_ENV.ATTESTER_KEY_0!;
const SIGNER = new Wallet(KEY).address;
const config: AppConfig = buildConfig(fixtureConfig(), { env: FIXTURE_ENV, baseDir: '/tmp' }); // AppConfig is RelayerConfig by declaration merging
const assets = new AssetRegistry(config);
const usdc = assets.all()[0]!;
const USDC = usdc.tokenBytes32 as Hex; // AssetRegistry keeps it as lowercase 0x bytes32
const src = config.chains.find((c) => c.role === 'source')!;
const dst = config.chains.find((c) => c.role === 'destination')!;
const pad = (a: string): Hex => `0x${a.slice(2).toLowerCase().padStart(64, '0')}`;
const VAULT = pad(src.vault!);
const RECEIVER = pad(dst.receiver!);
const DOMAIN = receiverDomain({ chainId: dst.chainId, verifyingContract: dst.receiver! });
const VAULT_DOMAIN = vaultDomain({ chainId: src.chainId, verifyingContract: src.vault! });
const ACCOUNT = pad(`0x${'33'.repeat(20)}`);

/** A feed with rounds 1..3 (8 decimals); round 2 is the one deposits were valued at. */
const ROUNDS: FeedReading[] = [1, 2, 3].map((i) => ({ roundId: BigInt(i), answer: 99_990_000n + BigInt(i), decimals: 8, updatedAt: BigInt(NOW - 600 + 100 * i), blockTimestamp: BigInt(NOW) }));
const feeds: FeedRounds = {
  latestTimestamp: () => Promise.resolve(BigInt(NOW)),
  roundAt: (_feed, updatedAt) => Promise.resolve(ROUNDS.find((r) => r.updatedAt === updatedAt) ?? null),
};

function row(over: Partial<Deposit>): Deposit {
  return Object.assign(new Deposit(), {
    kind: MessageKind.Credit,
    srcEid: src.eid,
    srcVault: VAULT,
    dstEid: dst.eid,
    depositor: ACCOUNT,
    account: ACCOUNT,
    token: usdc.tokenBytes32,
    amount: '2500000000',
    state: DepositState.FINAL,
    reason: null,
    blockNumber: 100,
    receiver: null,
    recipient: null,
    voidedNonce: null,
    withdrawalGuid: null,
    withdrawalNonce: null,
    releaseStatus: null,
    ...over,
  });
}

/** The credit the relayer would build for a lock of `amount` at nonce `nonce`, valued at `round`. */
function credit(nonce: bigint, amount = 2_500_000_000n, round = ROUNDS[1]!): CreditMessage {
  const v = valueCollateral({ amount, decimals: 6, price: feedToOraclePrice(round, 'x'), config: usdc.risk, now: BigInt(NOW) });
  return {
    version: 1,
    messageType: MessageType.Credit,
    account: ACCOUNT,
    srcEid: src.eid,
    srcVault: VAULT,
    asset: USDC,
    assetDecimals: 6,
    depositNonce: nonce,
    rawAmount: amount,
    haircutValue: v.haircutValue,
    price: v.price,
    priceTimestamp: v.priceTimestamp,
    haircut: v.haircut,
    sizeWeight: v.sizeWeight,
  };
}

const guidOf = (nonce: bigint): Hex => computeGuid({ nonce, srcEid: src.eid, sender: VAULT, dstEid: dst.eid, receiver: RECEIVER });
const item = (m: AnyMessage, guid: string) => ({ guid, message: encodeMessage(m) });

type Setup = { rows?: Deposit[]; history?: { reason: string | null }[]; settings?: Partial<NonNullable<AppConfig['attester']>>; clock?: ManualClock };

function verifier(s: Setup = {}): AttestVerifier {
  const clock = s.clock ?? new ManualClock(new Date(NOW * 1000));
  const rows = s.rows ?? [];
  return new AttestVerifier({
    chains: config.chains,
    settings: { tokenEnv: 'T', acceptOperatorVoids: false, maxRoundsBack: 64, awaitMs: 0, maxTtlSeconds: 3600, ...s.settings },
    rows: { getMany: (guids) => Promise.resolve(rows.filter((r) => guids.includes(r.guid))), history: () => Promise.resolve(s.history ?? []) },
    assets,
    feeds: () => feeds,
    clock,
    signer: attesterSigners([KEY]),
    sleep: (ms) => Promise.resolve(clock.advance(ms)),
  });
}

const request = (items: { guid: string; message: string }[], domain: AttestationDomain = DOMAIN, validUntil = NOW + 600) => ({
  domain: { name: domain.name, version: domain.version, chainId: Number(domain.chainId), verifyingContract: domain.verifyingContract },
  validUntil: String(validUntil),
  items,
});

function refusals(r: VerifyReturnType): { index: number | null; reason: string; detail: string }[] {
  if (!('refused' in r)) throw new Error('expected a refusal');
  return r.refused.map(({ index, reason, detail }) => ({ index, reason, detail }));
}

describe('AttestVerifier', () => {
  it('signs a credit its own store holds final, valued exactly as @ccr/risk values it at the round of its priceTimestamp', async () => {
    const m1 = credit(1n);
    const m2 = credit(2n, 10n ** 6n, ROUNDS[0]); // an older round: found by walking back
    const rows = [row({ guid: guidOf(1n), nonce: 1n }), row({ guid: guidOf(2n), nonce: 2n, amount: '1000000', state: DepositState.VALUED })];
    const out = await verifier({ rows }).verify(request([item(m1, guidOf(1n)), item(m2, guidOf(2n))]));
    if (!('signed' in out)) throw new Error(JSON.stringify(out));
    const packets = [m1, m2].map((m) => buildCreditPacket(m, { dstEid: dst.eid, receiver: RECEIVER }));
    expect(recoverBatchSigners(DOMAIN, packets, BigInt(NOW + 600), [out.signed.signature])).toEqual([SIGNER]);
    expect(out.signed.signer).toBe(SIGNER);
  });

  it('refuses the whole batch, naming each item: not seen, not final, reorged, a field or the value off', async () => {
    const good = credit(1n);
    const lying = { ...credit(2n), haircutValue: credit(2n).haircutValue + 1n };
    const rows = [
      row({ guid: guidOf(1n), nonce: 1n }),
      row({ guid: guidOf(2n), nonce: 2n }),
      row({ guid: guidOf(3n), nonce: 3n, state: DepositState.OBSERVED }),
      row({ guid: guidOf(4n), nonce: 4n, state: DepositState.REORGED }),
      row({ guid: guidOf(5n), nonce: 5n, amount: '1' }),
    ];
    const out = await verifier({ rows }).verify(
      request([item(good, guidOf(1n)), item(lying, guidOf(2n)), item(credit(3n), guidOf(3n)), item(credit(4n), guidOf(4n)), item(credit(5n), guidOf(5n)), item(credit(6n), guidOf(6n))]),
    );
    expect(refusals(out).map((r) => [r.index, r.reason])).toEqual([
      [1, RefusalReason.ValueMismatch],
      [2, RefusalReason.NotFinal],
      [3, RefusalReason.Reorged],
      [4, RefusalReason.FieldMismatch],
      [5, RefusalReason.NotSeen],
    ]);
    expect(refusals(out)[0]!.detail).toBe(`round 2: haircutValue ${lying.haircutValue} ≠ ${credit(2n).haircutValue}`);
    expect(refusals(out)[3]!.detail).toBe('rawAmount 2500000000 ≠ 1');
  });

  it('refuses a priceTimestamp no round has, a GUID its path does not give, an unknown domain, a validUntil too far', async () => {
    const rows = [row({ guid: guidOf(1n), nonce: 1n })];
    const noRound = { ...credit(1n), priceTimestamp: BigInt(NOW - 1) };
    expect(refusals(await verifier({ rows }).verify(request([item(noRound, guidOf(1n))])))[0]!.reason).toBe(RefusalReason.RoundNotFound);
    expect(refusals(await verifier({ rows }).verify(request([item(credit(1n), guidOf(2n))])))[0]!.reason).toBe(RefusalReason.GuidMismatch);
    const other = receiverDomain({ chainId: dst.chainId, verifyingContract: `0x${'12'.repeat(20)}` });
    expect(refusals(await verifier({ rows }).verify(request([item(credit(1n), guidOf(1n))], other)))).toEqual([{ index: null, reason: RefusalReason.UnknownDomain, detail: anyString() }]);
    expect(refusals(await verifier({ rows }).verify(request([item(credit(1n), guidOf(1n))], DOMAIN, NOW + 3601)))[0]!.reason).toBe(RefusalReason.Ttl);
    expect(refusals(await verifier({ rows }).verify(request([item(credit(1n), guidOf(1n))], DOMAIN, NOW - 1)))[0]!.reason).toBe(RefusalReason.Ttl);
  });

  it('refuses a price its guard refuses now (stale at its own clock)', async () => {
    const clock = new ManualClock(new Date((NOW + 86_400) * 1000)); // round 2 is now older than USDC's 86,400 s heartbeat
    const out = await verifier({ rows: [row({ guid: guidOf(1n), nonce: 1n })], clock }).verify(request([item(credit(1n), guidOf(1n))], DOMAIN, NOW + 86_400 + 60));
    expect(refusals(out)[0]).toEqual({ index: 0, reason: RefusalReason.PriceRefused, detail: stringMatching(/^stale-price/) });
  });

  it('waits awaitMs for an event its watcher has not stored yet', async () => {
    const rows: Deposit[] = [];
    const clock = new ManualClock(new Date(NOW * 1000));
    const v = new AttestVerifier({
      chains: config.chains,
      settings: { tokenEnv: 'T', acceptOperatorVoids: false, maxRoundsBack: 64, awaitMs: 1000, maxTtlSeconds: 3600 },
      rows: { getMany: (guids) => Promise.resolve(rows.filter((r) => guids.includes(r.guid))), history: () => Promise.resolve([]) },
      assets,
      feeds: () => feeds,
      clock,
      signer: attesterSigners([KEY]),
      sleep: (ms) => {
        clock.advance(ms);
        if (rows.length === 0) rows.push(row({ guid: guidOf(1n), nonce: 1n })); // its watcher catches up meanwhile
        return Promise.resolve();
      },
    });
    expect('signed' in (await v.verify(request([item(credit(1n), guidOf(1n))])))).toBe(true);
  });

  it('signs a VOID only for a reason it sees itself', async () => {
    const unlisted = pad(`0x${'99'.repeat(20)}`);
    const voidOf = (reason: VoidReason, asset: Hex = USDC): AnyMessage => ({
      version: 1,
      messageType: MessageType.Void,
      account: ACCOUNT,
      srcEid: src.eid,
      srcVault: VAULT,
      asset,
      depositNonce: 1n,
      rawAmount: 2_500_000_000n,
      refundTo: ACCOUNT,
      reason,
    });
    const listed = [row({ guid: guidOf(1n), nonce: 1n })];
    const unsupported = [row({ guid: guidOf(1n), nonce: 1n, token: unlisted, state: DepositState.HELD, reason: HeldReason.UnsupportedAsset })];
    expect('signed' in (await verifier({ rows: unsupported }).verify(request([item(voidOf(VoidReason.UnsupportedAsset, unlisted), guidOf(1n))])))).toBe(true);
    expect(refusals(await verifier({ rows: listed }).verify(request([item(voidOf(VoidReason.UnsupportedAsset), guidOf(1n))])))[0]!.reason).toBe(RefusalReason.NotVoidable);
    expect(refusals(await verifier({ rows: listed }).verify(request([item(voidOf(VoidReason.InvalidDeposit), guidOf(1n))])))[0]!.reason).toBe(RefusalReason.NotVoidable);
    expect('signed' in (await verifier({ rows: listed, history: [{ reason: HeldReason.InvalidDeposit }] }).verify(request([item(voidOf(VoidReason.InvalidDeposit), guidOf(1n))])))).toBe(true);
    expect(refusals(await verifier({ rows: listed }).verify(request([item(voidOf(VoidReason.Operator), guidOf(1n))])))[0]!.reason).toBe(RefusalReason.NotVoidable);
    expect('signed' in (await verifier({ rows: listed, settings: { acceptOperatorVoids: true } }).verify(request([item(voidOf(VoidReason.Operator), guidOf(1n))])))).toBe(true);
  });

  it("signs a withdrawal under its vault's domain only as the receiver's event had it", async () => {
    const w: AnyMessage = {
      version: 1,
      messageType: MessageType.Withdrawal,
      account: ACCOUNT,
      vaultEid: src.eid,
      vault: VAULT,
      asset: USDC,
      recipient: ACCOUNT,
      withdrawalNonce: 1n,
      rawAmount: 5n,
      voidedNonce: 0n,
    };
    const packet = buildWithdrawalPacket(w, { srcEid: dst.eid, sender: RECEIVER });
    const stored = row({ guid: packet.guid, kind: MessageKind.Withdrawal, srcEid: dst.eid, srcVault: RECEIVER, dstEid: src.eid, nonce: 1n, receiver: VAULT, recipient: ACCOUNT, amount: '5' });
    const out = await verifier({ rows: [stored] }).verify(request([item(w, packet.guid)], VAULT_DOMAIN));
    if (!('signed' in out)) throw new Error(JSON.stringify(out));
    expect(recoverBatchSigners(VAULT_DOMAIN, [packet], BigInt(NOW + 600), [out.signed.signature])).toEqual([SIGNER]);
    // The same withdrawal proposed under the receiver's domain, or with another recipient: refused.
    expect(refusals(await verifier({ rows: [stored] }).verify(request([item(w, packet.guid)])))[0]!.reason).toBe(RefusalReason.Malformed);
    const other = { ...w, recipient: pad(`0x${'77'.repeat(20)}`) };
    const otherPacket = buildWithdrawalPacket(other, { srcEid: dst.eid, sender: RECEIVER });
    expect(otherPacket.guid).toBe(packet.guid); // the GUID is the path's and nonce's, not the body's
    expect(refusals(await verifier({ rows: [stored] }).verify(request([item(other, packet.guid)], VAULT_DOMAIN)))[0]).toEqual({ index: 0, reason: RefusalReason.FieldMismatch, detail: stringMatching(/^recipient /) });
    // A credit's GUID proposed as a withdrawal's: the kinds differ.
    expect(refusals(await verifier({ rows: [row({ guid: packet.guid, nonce: 1n })] }).verify(request([item(w, packet.guid)], VAULT_DOMAIN)))[0]!.reason).toBe(RefusalReason.KindMismatch);
  });

  it("signs a mark only at the feed's latest round, with exactly the guarded price and haircut it computes", async () => {
    const latest = ROUNDS[2]!;
    const guarded = guardMark(usdc, latest, new Date(NOW * 1000));
    if (!('candidate' in guarded)) throw new Error('refused');
    const mark = (over: Partial<{ price: bigint; haircut: bigint; priceTimestamp: bigint }> = {}): Hex =>
      encodeMarkMessage({ version: 1, messageType: MessageType.Revaluation, srcEid: src.eid, asset: USDC, markNonce: 7n, ...guarded.candidate, ...over });
    const latestOnly: FeedRounds = { latestTimestamp: () => Promise.resolve(BigInt(NOW)), roundAt: (_f, at, maxBack) => Promise.resolve(maxBack === 0 && at !== latest.updatedAt ? null : (ROUNDS.find((r) => r.updatedAt === at) ?? null)) };
    const v = new AttestVerifier({
      chains: config.chains,
      settings: { tokenEnv: 'T', acceptOperatorVoids: false, maxRoundsBack: 64, awaitMs: 0, maxTtlSeconds: 3600 },
      rows: { getMany: () => Promise.resolve([]), history: () => Promise.resolve([]) },
      assets,
      feeds: () => latestOnly,
      clock: new ManualClock(new Date(NOW * 1000)),
      signer: attesterSigners([KEY]),
    });
    const ask = (marks: Hex[], domain: AttestationDomain = DOMAIN) => v.verifyMarks({ domain: request([], domain).domain, validUntil: String(NOW + 600), marks });
    const out = await ask([mark()]);
    if (!('signed' in out)) throw new Error(JSON.stringify(out));
    expect(recoverMarkBatchSigners(DOMAIN, [mark()], BigInt(NOW + 600), [out.signed.signature])).toEqual([SIGNER]);
    const refused = await ask([mark({ price: guarded.candidate.price + 1n }), mark({ priceTimestamp: ROUNDS[1]!.updatedAt }), mark({ haircut: 0n })]);
    expect(refusals(refused).map((r) => [r.index, r.reason])).toEqual([
      [0, RefusalReason.ValueMismatch],
      [1, RefusalReason.NotLatestRound],
      [2, RefusalReason.ValueMismatch],
    ]);
    expect(refusals(await ask([mark()], VAULT_DOMAIN))[0]!.reason).toBe(RefusalReason.UnknownDomain);
  });
});
