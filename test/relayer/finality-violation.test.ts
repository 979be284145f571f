/**
 * Brakes end to end (docs/two-way-book.md "Brakes"): the source chain (2 confirmations) replaces blocks the relayer had
 * already taken as final — a credited lock's block among them, the same signed lock re-mined at the new head
 * (`anvil_reorg`). The watcher sees the final block's hash change, the lock's log moved, and the vault's outbound
 * nonce at the final cursor one below the store: the pathway halts with cause finality-violation (error log with the
 * evidence, ccr_finality_violations_total, /health, GET /solvency), a restart does not resume it, the next lock is
 * not credited; the admin resume lets it go on.
 */
import { ethers } from '../../contracts/ts/index';
import { addressToBytes32 } from '../support/devnet';
import { anyNumber, anyString } from '../support/matchers';
import { type Harness, type RelayerHandle, creditedOnChain, deposit, getJson, lock, metricValue, metricsText, startHarness, waitFor, waitForStates } from './harness';

jest.setTimeout(120_000);

type Evidence = { kind: string; chain: string; eid: number; block: number; expected: unknown; seen: unknown; guid?: string };
type Halt = { srcEid: number; vault: string; asset: string; cause: string; state: string; discrepancy: string; acknowledged: string | null; resumedBy: string | null; terms: unknown; evidence: Evidence[] | null };
type Health = { chains: { name: string; cursor: number | null; head: number | null }[]; halted: Halt[] };

const ZERO = `0x${'00'.repeat(32)}`;
const USDC = (n: bigint): bigint => n * 10n ** 6n;

let h: Harness;
let relayer: RelayerHandle;
let stderr = '';

beforeAll(async () => {
  h = await startHarness({ sources: 1, attesters: 1, threshold: 1, users: 2, finality: { mode: 'confirmations', confirmations: 2 } });
  const write = process.stderr.write.bind(process.stderr);
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return write(chunk, ...(rest as [])); // the logger's own arguments, passed through
  });
  relayer = await h.startRelayer();
});

afterAll(async () => {
  jest.restoreAllMocks();
  await h?.stop();
});

const health = async (): Promise<Health> => (await getJson<Health>(`${relayer.url}/health`)).body;

it('halts the pathway when a block taken as final is replaced, keeps it halted across a restart, and goes on after the admin resume', async () => {
  const source = h.devnet.sources[0]!;
  const [alice, bob] = source.users as [ethers.Wallet, ethers.Wallet]; // the harness funds users: 2
  const vault = addressToBytes32(source.vaultAddress);

  // 1. A lock, credited (its block final at 2 confirmations), and the watcher caught up: final cursor = head − 2.
  const a = await lock(source, alice, source.usdc, USDC(100n));
  await source.anvil.mine(4);
  const [credited] = await waitForStates(relayer.url, [a.guid], 'CREDITED', 60_000);
  const head = await source.anvil.provider.getBlockNumber();
  await waitFor('the final cursor at head − 2', async () => ((await health()).chains.find((c) => c.name === source.name)?.cursor === head - 2 ? true : undefined), 30_000);
  const finalBlock = (await source.anvil.provider.getBlock(head - 2))!;
  expect(metricValue(await metricsText(relayer.url), 'ccr_finality_violations_total')).toBe(0);

  // 2. Replace the lock's block and every block above it (deeper than the chain's finality); the same signed lock is
  //    mined again in the last new block: its log moves from a final block to the head.
  const signed = ethers.Transaction.from((await source.anvil.provider.getTransaction(credited!.txHash))!).serialized;
  const depth = head - a.blockNumber + 1;
  await source.anvil.rpc('anvil_reorg', [depth, [[signed, depth - 1]]]);
  const moved = (await source.anvil.provider.getTransactionReceipt(credited!.txHash))!;
  expect(moved.blockNumber).toBe(head);
  const replaced = (await source.anvil.provider.getBlock(head - 2))!;
  expect(replaced.hash).not.toBe(finalBlock.hash);

  // 3. Halted, with the evidence: the final block's hash, the lock's log, the vault's nonce at the final cursor.
  const halted = await waitFor('the finality halt', async () => {
    const body = await health();
    return body.halted.length > 0 && (body.halted[0]!.evidence?.length ?? 0) === 3 ? body.halted : undefined;
  }, 30_000);
  expect(halted).toEqual([
    {
      srcEid: source.eid,
      vault,
      asset: ZERO,
      cause: 'finality-violation',
      state: 'halted',
      discrepancy: '-1',
      haltedAt: anyString(),
      acknowledged: null,
      resumedAt: null,
      resumedBy: null,
      terms: null,
      evidence: [
        { kind: 'block-hash', chain: source.name, eid: source.eid, block: head - 2, expected: finalBlock.hash!.toLowerCase(), seen: replaced.hash!.toLowerCase() },
        {
          kind: 'log-changed',
          chain: source.name,
          eid: source.eid,
          block: a.blockNumber,
          guid: a.guid,
          state: 'CREDITED',
          dstEid: h.devnet.destination.eid,
          receiver: addressToBytes32(h.devnet.destination.receiverAddress),
          expected: { block: a.blockNumber, blockHash: credited!.blockHash, txHash: credited!.txHash, logIndex: anyNumber(), account: a.account, token: addressToBytes32(source.usdc.address), amount: String(USDC(100n)) },
          seen: { block: head, blockHash: moved.blockHash.toLowerCase(), txHash: credited!.txHash, logIndex: anyNumber(), account: a.account, token: addressToBytes32(source.usdc.address), amount: String(USDC(100n)) },
        },
        // The rescan's cursor (head − 2) is below the lock's new block: the vault's nonce there is one below the store's.
        { kind: 'outbound-nonce', chain: source.name, eid: source.eid, block: head - 2, dstEid: h.devnet.destination.eid, to: addressToBytes32(h.devnet.destination.receiverAddress), expected: String(a.nonce), seen: String(a.nonce - 1n) },
      ],
    },
  ]);
  expect((await getJson<{ halted: Halt[] }>(`${relayer.url}/solvency`)).body.halted).toEqual(halted);
  const metrics = await metricsText(relayer.url);
  expect(metricValue(metrics, 'ccr_finality_violations_total', { chain: source.name })).toBe(3);
  expect(metricValue(metrics, 'ccr_pathway_halted', { eid: source.eid })).toBe(1);
  const logged = stderr.split('\n').find((l) => l.includes(`finality violation on ${source.name} (block-hash) at block ${head - 2}: {`))!;
  expect(JSON.parse(logged.slice(logged.indexOf('{'), logged.lastIndexOf('}') + 1))).toEqual(halted[0]!.evidence![0]);
  expect(stderr).toContain(`finality violation: pathway ${source.eid}/${vault} HALTED (block-hash on ${source.name}): nothing moves on it until POST /admin/pathways/${source.eid}/resume`);
  // The credited row is left as it was read at finality.
  expect(await deposit(relayer.url, a.guid)).toMatchObject({ state: 'CREDITED', blockNumber: a.blockNumber, blockHash: credited!.blockHash });

  // 4. The chain moves on: the nonce agrees again (the halt's offset back to 0). A restart does not resume the pathway.
  await source.anvil.mine(3);
  await waitFor('the offset back to 0', async () => ((await health()).halted[0]?.discrepancy === '0' ? true : undefined), 30_000);
  await relayer.close();
  relayer = await h.startRelayer();
  expect((await health()).halted).toMatchObject([{ srcEid: source.eid, asset: ZERO, cause: 'finality-violation', state: 'halted', discrepancy: '0' }]);

  // 5. Nothing more is credited from the pathway: the next lock is valued and waits.
  const b = await lock(source, bob, source.usdc, USDC(50n));
  await source.anvil.mine(3);
  await waitForStates(relayer.url, [b.guid], 'VALUED', 30_000);
  await new Promise((r) => setTimeout(r, 1_500)); // several poster rounds (200 ms each)
  expect((await deposit(relayer.url, b.guid))!.state).toBe('VALUED');
  expect(await creditedOnChain(h.devnet, b)).toEqual({ applied: false, creditTxHashes: [] });

  // 6. Only an operator resumes it (bearer token); then the lock is credited, and nothing halts again.
  const resumeUrl = `${relayer.url}/admin/pathways/${source.eid}/resume`;
  expect((await getJson(resumeUrl, { method: 'POST' })).status).toBe(401);
  const resumed = await getJson<{ resumedBy: string; resumed: Halt[] }>(resumeUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.devnet.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ operator: 'test-operator' }),
  });
  expect(resumed.status).toBe(200);
  expect(resumed.body.resumedBy).toMatch(/^test-operator \(/);
  expect(resumed.body.resumed).toMatchObject([{ srcEid: source.eid, asset: ZERO, cause: 'finality-violation', state: 'resumed', acknowledged: '0' }]);
  const [b2] = await waitForStates(relayer.url, [b.guid], 'CREDITED', 30_000);
  expect(await creditedOnChain(h.devnet, b)).toEqual({ applied: true, creditTxHashes: [b2!.creditTxHash] });
  await source.anvil.mine(3);
  await new Promise((r) => setTimeout(r, 1_000));
  expect((await health()).halted).toEqual([]);
  const after = await metricsText(relayer.url);
  expect(metricValue(after, 'ccr_pathway_halted', { eid: source.eid })).toBe(0);
  expect(metricValue(after, 'ccr_finality_violations_total')).toBe(0); // counters restart at boot; nothing new since
});
