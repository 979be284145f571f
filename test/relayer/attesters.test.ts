/**
 * Independent attesters (docs/two-way-book.md "Independent attesters") on the devnet: three attester processes
 * (`--role attester`, each with its own key, SQLite file and watcher over the same anvils), the receiver's threshold
 * 2, and a relayer that holds no attester key. Deposits are credited with 2 of 3 signatures; one attester down
 * changes nothing; two down hold the deposit ('attestation-quorum') until one is back; an attester whose risk config
 * differs refuses ('value-mismatch'), and one that signs another value is never counted ('bad-signature'). Both show
 * in /health and in ccr_attester_refusals_total.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { batchDigest, computePayloadHash, type Hex, receiverDomain } from '@ccr/messages';
import { ethers } from '../../contracts/ts/index';
import type { RelayerConfigInput } from '../../apps/relayer/src/config/config.schema';
import { receiverTxSigners } from '../support/batch-signers';
import { mined } from '../support/tx';
import { type AttesterProcess, startAttesterProcess } from '../support/relayerProcess';
import { addressToBytes32, type DevnetAttesterNode } from '../support/devnet';
import { type Harness, type RelayerHandle, getJson, lock, metricsText, metricValue, startHarness, waitFor, waitForDeposit, waitForStates } from './harness';

jest.setTimeout(150_000);

let h: Harness;
let relayer: RelayerHandle;
const running = new Map<number, AttesterProcess>();
let liar: Server | undefined;

async function startNode(i: number, config?: RelayerConfigInput): Promise<AttesterProcess> {
  const node = h.devnet.attesterNodes[i]!;
  const path = join(h.dir, `${node.name}.json`);
  node.writeConfig(path, config);
  const p = await startAttesterProcess(path, node.env);
  running.set(i, p);
  return p;
}

async function killNode(i: number): Promise<void> {
  await running.get(i)?.kill();
  running.delete(i);
}

beforeAll(async () => {
  h = await startHarness({ sources: 1, attesters: 3, threshold: 2, users: 2, attesterProcesses: { timeoutMs: 3000 }, relayer: { marks: { intervalMs: 500 } } });
  await Promise.all([0, 1, 2].map((i) => startNode(i)));
  relayer = await h.startRelayer();
});

afterAll(async () => {
  liar?.closeAllConnections();
  liar?.close();
  await Promise.all([...running.keys()].map((i) => killNode(i)));
  await h?.stop();
});

const node = (i: number): DevnetAttesterNode => h.devnet.attesterNodes[i]!;

const signersOf = (txHash: string): Promise<string[]> => receiverTxSigners(h.devnet, txHash);

type HealthAttester = { name: string; state: string; lastProblem: { reason: string; detail: string } | null };
const healthOf = async (name: string): Promise<HealthAttester | undefined> =>
  (await getJson<{ attesters: HealthAttester[] }>(`${relayer.url}/health`)).body.attesters.find((a) => a.name === name);

async function lockAndFinalize(token: 'usdc' | 'weth', amount: bigint, user = 0): Promise<string> {
  const source = h.devnet.sources[0]!;
  const l = await lock(source, source.users[user]!, source[token], amount);
  await source.anvil.mine(70);
  return l.guid;
}

it('credits deposits with 2 of the 3 attesters signing, each signature from an attester process', async () => {
  const guids = [await lockAndFinalize('usdc', 1_000n * 10n ** 6n), await lockAndFinalize('weth', 10n ** 18n, 1)];
  const credited = await waitForStates(relayer.url, guids, 'CREDITED', 30_000);
  const attesters = h.devnet.attesterNodes.map((n) => n.address);
  for (const d of credited) {
    const signers = await signersOf(d.creditTxHash!);
    expect(signers).toHaveLength(2);
    for (const s of signers) expect(attesters).toContain(s);
  }
  // Each attester process signed from its own store: its /health counts the batches it signed.
  const signed = await Promise.all([0, 1, 2].map(async (i) => (await getJson<{ signed: number; signer: string }>(`${node(i).url}/health`)).body));
  expect(signed.map((s) => s.signer)).toEqual(attesters);
  expect(signed.filter((s) => s.signed > 0).length).toBeGreaterThanOrEqual(2);
});

it("marks are attested by the attester processes too: each prices the mark itself at the feed's latest round", async () => {
  const source = h.devnet.sources[0]!;
  const weth = addressToBytes32(source.weth.address);
  const marked = await waitFor('the first WETH mark', async () => {
    const [price, , , nonce] = (await h.devnet.destination.receiver.getFunction('markOf')(source.eid, weth)) as [bigint, bigint, bigint, bigint]; // markOf: (uint128 price, uint64 haircut, uint64 timestamp, uint64 nonce)
    return nonce >= 1n ? price : undefined;
  }, 20_000);
  expect(marked).toBe(2_000n * 10n ** 18n);
  const view = (await getJson<{ assets: { symbol: string; lastTxHash: string | null }[] }>(`${relayer.url}/marks`)).body;
  const signers = await signersOf(view.assets.find((a) => a.symbol === 'WETH')!.lastTxHash!);
  expect(signers).toHaveLength(2);
  for (const s of signers) expect(h.devnet.attesterNodes.map((n) => n.address)).toContain(s);
});

it("a withdrawal and its release result are attested by them too (the vault's domain, then the receiver's)", async () => {
  const source = h.devnet.sources[0]!;
  const user = source.users[0]!; // credited 1,000 USDC above
  const { receiver } = h.devnet.destination;
  const wallet = h.devnet.destination.anvil.accounts.find((a) => a.address === user.address)!;
  const asUser = receiver.connect(wallet) as ethers.Contract; // connect() keeps the ABI
  const receipt = await mined(asUser.getFunction('requestWithdrawal').send(source.eid, addressToBytes32(source.usdc.address), 100n * 10n ** 6n, addressToBytes32(user.address)));
  const guid = String(receipt.logs.map((l) => receiver.interface.parseLog(l)).find((l) => l?.name === 'WithdrawalRequested')!.args.getValue('guid')).toLowerCase();
  // The release result needs the source chain's finality (head − 64): blocks keep coming.
  const miner = setInterval(() => void source.anvil.mine(8).catch(() => undefined), 200);
  try {
    await waitFor('withdrawal finished', async () => ((await getJson<{ outcome: string }>(`${relayer.url}/withdrawals/${guid}`)).body.outcome === 'finished' ? true : undefined), 30_000);
  } finally {
    clearInterval(miner);
  }
  expect(Number(await receiver.getFunction('withdrawalStatus')(guid))).toBe(2); // FINISHED
});

it('goes on with one attester killed, and shows it unreachable', async () => {
  await killNode(2);
  const guid = await lockAndFinalize('usdc', 2_000n * 10n ** 6n);
  const [d] = await waitForStates(relayer.url, [guid], 'CREDITED', 30_000);
  expect(await signersOf(d!.creditTxHash!)).toEqual([node(0).address, node(1).address].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
  await waitFor('attester-2 unreachable in /health', async () => ((await healthOf('attester-2'))?.state === 'unreachable' ? true : undefined), 10_000);
  expect(metricValue(await metricsText(relayer.url), 'ccr_attester_refusals_total', { attester: 'attester-2', reason: 'unreachable' })).toBeGreaterThanOrEqual(1);
});

it('holds a deposit with two attesters down (attestation-quorum) and credits it once one restarts', async () => {
  await killNode(1);
  const guid = await lockAndFinalize('weth', 2n * 10n ** 18n);
  const held = await waitForDeposit(relayer.url, guid, 'HELD attestation-quorum', (d) => d.state === 'HELD' && d.reason === 'attestation-quorum', 30_000);
  expect(held.history.some((t) => t.reason === 'attestation-quorum')).toBe(true);
  // Restarted on its own database: it catches up from its cursor, sees the lock at finality and signs again.
  await startNode(1);
  await waitForStates(relayer.url, [guid], 'CREDITED', 30_000);
  await waitFor('attester-1 ok in /health', async () => ((await healthOf('attester-1'))?.state === 'ok' ? true : undefined), 10_000);
});

it('an attester whose risk config differs refuses (value-mismatch): never counted, visible', async () => {
  // attester-2 back, valuing WETH with a 20 % haircut instead of 10 %.
  const differing = structuredClone(node(2).config);
  const weth = differing.assets!.find((a) => a.symbol === 'WETH')!;
  weth.risk.haircut = '0.2';
  await startNode(2, differing);
  const guid = await lockAndFinalize('weth', 3n * 10n ** 18n, 1);
  const [d] = await waitForStates(relayer.url, [guid], 'CREDITED', 30_000);
  expect(await signersOf(d!.creditTxHash!)).not.toContain(node(2).address);
  await waitFor('attester-2 refusing in /health', async () => {
    const a = await healthOf('attester-2');
    return a?.state === 'refused' && a.lastProblem?.reason === 'value-mismatch' ? a : undefined;
  }, 15_000);
  expect(metricValue(await metricsText(relayer.url), 'ccr_attester_refusals_total', { attester: 'attester-2', reason: 'value-mismatch' })).toBeGreaterThanOrEqual(1);
  await killNode(2);
});

it('an attester that signs another value is never counted (bad-signature), the others credit', async () => {
  // In attester-2's place: a liar with attester-2's key, signing every batch with its first message's last byte changed.
  const wallet = new ethers.Wallet(node(2).env.ATTESTER_KEY!);
  liar = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      if (req.url !== '/attest') return void res.writeHead(404).end('{}'); // (the marker's MarkBatches: not its business here)
      const body = JSON.parse(text) as { domain: { chainId: number; verifyingContract: string }; validUntil: string; items: { guid: Hex; message: Hex }[] };
      const domain = receiverDomain({ chainId: body.domain.chainId, verifyingContract: body.domain.verifyingContract });
      const packets = body.items.map((i, k) => ({ guid: i.guid, payloadHash: computePayloadHash(i.guid, k === 0 ? `0x${i.message.slice(2, -2)}ff` : i.message) }));
      const digest = batchDigest(domain, packets, BigInt(body.validUntil));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ signer: wallet.address, digest, signature: wallet.signingKey.sign(digest).serialized }));
    });
  });
  await new Promise<void>((r) => liar!.listen(node(2).port, '127.0.0.1', r));
  const guid = await lockAndFinalize('usdc', 3_000n * 10n ** 6n);
  const [d] = await waitForStates(relayer.url, [guid], 'CREDITED', 30_000);
  expect(await signersOf(d!.creditTxHash!)).toEqual([node(0).address, node(1).address].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
  const text = await waitFor('the lie counted as a refusal', async () => {
    const t = await metricsText(relayer.url);
    return (metricValue(t, 'ccr_attester_refusals_total', { attester: 'attester-2', reason: 'digest-mismatch' }) ?? 0) >= 1 ? t : undefined;
  }, 10_000);
  expect(text).toContain('ccr_attester_refusals_total{attester="attester-2",reason="digest-mismatch"}');
  expect((await healthOf('attester-2'))?.state).toBe('digest-mismatch');
});
