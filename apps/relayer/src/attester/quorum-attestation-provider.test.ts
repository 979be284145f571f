import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { batchDigest, computeGuid, computePayloadHash, type CreditMessage, encodeCreditMessage, type Hex, markBatchDigest, MessageType, receiverDomain, recoverBatchSigners, recoverMarkBatchSigners } from '@ccr/messages';
import { Wallet } from 'ethers';
import { ManualClock } from '../common/clock';
import type { RemoteAttester } from '../config/load-config';
import { SecretKey } from '../config/secret-key';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { CapturingLogger } from '../poster/testing/poster-harness.fixture';
import type { PrepareBatchParameters } from '../poster/prepare-batch';
import { RefusalReason } from './attest-api';
import { AttestationQuorumError, QuorumAttestationProvider } from './quorum-attestation-provider';

const TOKEN = 'a-sixteen-char-token';
const wallets = ['0x' + '41'.repeat(32), '0x' + '42'.repeat(32), '0x' + '43'.repeat(32), '0x' + '44'.repeat(32)].map((k) => new Wallet(k));
const RECEIVER: Hex = `0x${'00'.repeat(12)}${'ab'.repeat(20)}`;
const VAULT: Hex = `0x${'00'.repeat(12)}${'cd'.repeat(20)}`;
const DOMAIN = receiverDomain({ chainId: 31337, verifyingContract: `0x${'ab'.repeat(20)}` });

/** How a fake attester answers. */
type Behaviour = 'sign' | 'refuse' | 'lie' | 'hang' | 'wrong-key';

/** A fake remote attester: it signs what it is asked (or refuses, hangs, signs another digest, or signs with another key). */
async function fakeAttester(wallet: Wallet, behaviour: { current: Behaviour }): Promise<{ server: Server; url: string; requests: number[] }> {
  const requests: number[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      requests.push(Date.now());
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end('{}');
      const body = JSON.parse(text) as { validUntil: string; items: { guid: Hex; message: Hex }[]; marks?: Hex[] }; // the attest / attest-marks request the provider sends
      if (behaviour.current === 'hang') return; // never answers
      if (req.url === '/attest/marks' && body.marks !== undefined) {
        const markDigest = markBatchDigest(DOMAIN, body.marks, BigInt(body.validUntil));
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ signer: wallet.address, digest: markDigest, signature: (behaviour.current === 'sign' ? wallet : wallets[3]!).signingKey.sign(markDigest).serialized }));
      }
      if (behaviour.current === 'refuse') {
        res.writeHead(409, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ signer: wallet.address, refused: [{ index: 0, guid: body.items[0]!.guid, reason: RefusalReason.NotSeen, detail: 'never saw it' }] }));
      }
      const packets = body.items.map((i) => ({ guid: i.guid, payloadHash: computePayloadHash(i.guid, i.message) }));
      const digest = batchDigest(DOMAIN, packets, BigInt(body.validUntil));
      // A liar signs the same batch with one value changed (the message's last byte: still 0x hex), and claims the batch's digest.
      const signed = behaviour.current === 'lie' ? batchDigest(DOMAIN, [{ ...packets[0]!, payloadHash: computePayloadHash(packets[0]!.guid, `${body.items[0]!.message.slice(0, -2)}ff` as Hex) }], BigInt(body.validUntil)) : digest;
      const key = behaviour.current === 'wrong-key' ? wallets[3]! : wallet;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ signer: wallet.address, digest, signature: key.signingKey.sign(signed).serialized }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }; // listening on TCP: address() is an AddressInfo
}

const credit = (nonce: bigint): CreditMessage => ({
  version: 1,
  messageType: MessageType.Credit,
  account: `0x${'33'.repeat(32)}`,
  srcEid: 40101,
  srcVault: VAULT,
  asset: `0x${'00'.repeat(12)}${'44'.repeat(20)}`,
  assetDecimals: 6,
  depositNonce: nonce,
  rawAmount: 1_000_000n,
  haircutValue: 980_000_000_000_000_000n,
  price: 10n ** 18n,
  priceTimestamp: 1_750_000_000n,
  haircut: 2n * 10n ** 16n,
  sizeWeight: 10n ** 18n,
});

const params = (): PrepareBatchParameters => ({
  messages: [1n, 2n].map((n) => ({ guid: computeGuid({ nonce: n, srcEid: 40101, sender: VAULT, dstEid: 40200, receiver: RECEIVER }), message: credit(n) })),
  dstEid: 40200,
  receiver: RECEIVER,
  domain: DOMAIN,
  validUntil: 1_750_000_600n,
  selector: '0x12345678',
});

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((r) => {
          s.closeAllConnections();
          s.close(() => r());
        }),
    ),
  );
  servers = [];
});

async function setup(behaviours: Behaviour[], options: { threshold?: number; timeoutMs?: number; localKeys?: string[] } = {}) {
  const states = behaviours.map((b) => ({ current: b }));
  const fakes = await Promise.all(states.map((s, i) => fakeAttester(wallets[i]!, s)));
  servers.push(...fakes.map((f) => f.server));
  const remotes: RemoteAttester[] = fakes.map((f, i) => ({ name: `att-${i}`, url: f.url, address: wallets[i]!.address, token: new SecretKey(TOKEN, 'test') }));
  const metrics = new MetricsRegistry();
  const logger = new CapturingLogger();
  const provider = new QuorumAttestationProvider({ localKeys: options.localKeys ?? [], remotes, threshold: options.threshold ?? 2, timeoutMs: options.timeoutMs ?? 2000, metrics, clock: new ManualClock(), logger });
  return { provider, metrics, logger, states, fakes };
}

const sortedAddresses = (...ws: Wallet[]): string[] => ws.map((w) => w.address).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));

describe('QuorumAttestationProvider', () => {
  it('submits exactly threshold valid signatures, ordered by signer; a refusal is counted with its reason and shown', async () => {
    const { provider, metrics, logger } = await setup(['sign', 'refuse', 'sign']);
    const p = params();
    const { attestation, calldata } = await provider.prepare(p);
    expect(attestation.signers).toEqual(sortedAddresses(wallets[0]!, wallets[2]!));
    // params() holds credits under computeGuid's 0x GUIDs
    const packets = p.messages.map((m) => ({ guid: m.guid as Hex, payloadHash: computePayloadHash(m.guid as Hex, encodeCreditMessage(m.message as CreditMessage)) }));
    expect(recoverBatchSigners(DOMAIN, packets, p.validUntil, attestation.signatures)).toEqual(attestation.signers);
    expect(calldata.subarray(0, 4).toString('hex')).toBe('12345678');
    // The refusal may land after the quorum: wait for it.
    await waitUntil(() => metrics.counter('ccr_attester_refusals_total', { attester: 'att-1', reason: RefusalReason.NotSeen }) === 1);
    const status = provider.status().find((s) => s.name === 'att-1')!;
    expect(status).toMatchObject({ state: 'refused', lastProblem: { reason: 'not-seen', detail: '#0 not-seen: never saw it' } });
    expect(logger.matching('attester att-1 did not sign: not-seen')).toHaveLength(1);
  });

  it('never counts a lie or another key: bad-signature; below the threshold the batch fails with every reason', async () => {
    const { provider, metrics } = await setup(['lie', 'sign', 'wrong-key']);
    const error = await provider.prepare(params()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttestationQuorumError);
    const quorum = error as AttestationQuorumError; // toBeInstanceOf just checked it
    expect(quorum.signed).toEqual([wallets[1]!.address]);
    expect(quorum.problems.map((x) => [x.attester, x.reason]).sort()).toEqual([
      ['att-0', 'bad-signature'],
      ['att-2', 'bad-signature'],
    ]);
    expect(quorum.shortMessage).toMatch(/^1 of 2 signatures: /);
    expect(metrics.counter('ccr_attester_refusals_total', { attester: 'att-0', reason: 'bad-signature' })).toBe(1);
  });

  it('does not wait for a hanging or dead attester once the others make the threshold; times out below it', async () => {
    const { provider, states, fakes } = await setup(['hang', 'sign', 'sign'], { timeoutMs: 1500 });
    const started = Date.now();
    await provider.prepare(params());
    expect(Date.now() - started).toBeLessThan(1000);
    states[1]!.current = 'hang';
    fakes[2]!.server.closeAllConnections();
    await new Promise<void>((r) => fakes[2]!.server.close(() => r())); // dead: connection refused
    const t0 = Date.now();
    const error = (await provider.prepare(params()).catch((e: unknown) => e)) as AttestationQuorumError; // below the threshold prepare rejects with one
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    expect(error.problems.map((x) => [x.attester, x.reason]).sort()).toEqual([
      ['att-0', 'timeout'],
      ['att-1', 'timeout'],
      ['att-2', 'unreachable'],
    ]);
    expect(provider.status().map((s) => s.state)).toEqual(['timeout', 'timeout', 'unreachable']);
    // Back: the next batch is attested again.
    states[1]!.current = 'sign';
    states[0]!.current = 'sign';
    expect((await provider.prepare(params())).attestation.signers).toEqual(sortedAddresses(wallets[0]!, wallets[1]!));
  });

  it('counts the keys this process holds, and asks no one when they alone make the threshold', async () => {
    const local = '0x' + '45'.repeat(32);
    const { provider, fakes } = await setup(['sign'], { threshold: 2, localKeys: [local] });
    expect((await provider.prepare(params())).attestation.signers).toEqual(sortedAddresses(new Wallet(local), wallets[0]!));
    const alone = await setup(['sign'], { threshold: 1, localKeys: [local] });
    expect((await alone.provider.prepare(params())).attestation.signers).toEqual([new Wallet(local).address]);
    expect(alone.fakes[0]!.requests).toHaveLength(0);
    expect(fakes[0]!.requests).toHaveLength(1);
  });

  it('collects a MarkBatch the same way (POST /attest/marks), never counting a signature by another key', async () => {
    const { provider, metrics } = await setup(['sign', 'wrong-key', 'sign']);
    const marks: Hex[] = [`0x0103${'00'.repeat(76)}`];
    const out = await provider.attestMarks(DOMAIN, marks, 1_750_000_600n);
    expect(out.signers).toEqual(sortedAddresses(wallets[0]!, wallets[2]!));
    expect(recoverMarkBatchSigners(DOMAIN, marks, 1_750_000_600n, out.signatures)).toEqual(out.signers);
    await waitUntil(() => metrics.counter('ccr_attester_refusals_total', { attester: 'att-1', reason: 'bad-signature' }) === 1);
  });

  it('an attester that refuses our token is unauthorized', async () => {
    const { provider } = await setup(['sign', 'sign'], { threshold: 2 });
    // Same fakes, wrong token for the first.
    const bad = new QuorumAttestationProvider({
      localKeys: [],
      remotes: provider.status().map((s, i) => ({ name: s.name, url: s.url!, address: s.address, token: new SecretKey(i === 0 ? 'not-the-right-token' : TOKEN, 'test') })),
      threshold: 2,
      timeoutMs: 1000,
      metrics: new MetricsRegistry(),
      clock: new ManualClock(),
      logger: new CapturingLogger(),
    });
    const error = (await bad.prepare(params()).catch((e: unknown) => e)) as AttestationQuorumError; // below the threshold prepare rejects with one
    expect(error.problems.map((x) => x.reason)).toEqual(['unauthorized']);
  });
});


async function waitUntil(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
