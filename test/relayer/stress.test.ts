/**
 * Stress over the live book on real anvil chains: deposits credited on the receiver, marks on chain (posted here with
 * the devnet's attester keys through `submitMarks`), then GET /risk/stress for a USDC de-peg and an ETH crash. Before
 * equals the receiver's own collateralValue(account) at the report's block, after equals an independent computation,
 * an account with a supplied requirement falls below maintenance, and the CLI prints the same report.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { concatMessages, encodeMarkMessage, MESSAGE_VERSION, MessageType, packSignatures, receiverDomain, signMarkBatch } from '@ccr/messages';
import { ethers } from '../../contracts/ts/index';
import type { RelayerConfigInput } from '../../apps/relayer/src/config/config.schema';
import type { StressReport } from '../../apps/relayer/src/stress/stress-report';
import { ensureRelayerBuilt, RELAYER_MAIN } from '../support/relayerProcess';
import { addressToBytes32, type DevnetSource, type DevnetToken } from '../support/devnet';
import { type Harness, type RelayerHandle, getJson, lock, startHarness, waitForStates } from './harness';

jest.setTimeout(240_000);

const E18 = 10n ** 18n;
const OPEN = (1n << 128n) - 1n;
const MARKS = { USDC: { price: E18, haircut: 2n * 10n ** 16n }, WETH: { price: 2_000n * E18, haircut: E18 / 10n } };

let h: Harness;
let relayer: RelayerHandle;
let source: DevnetSource;
let configPath: string;
let requirementsPath: string;
let config: RelayerConfigInput;

/** Posts one mark per asset with the devnet's attester keys (REVALUATION bodies, MarkBatch signatures). */
async function postMarks(marks: readonly { token: DevnetToken; price: bigint; haircut: bigint; nonce: bigint }[]): Promise<void> {
  const dst = h.devnet.destination;
  const block = (await dst.anvil.provider.getBlock('latest'))!;
  const bodies = marks.map((m) =>
    encodeMarkMessage({
      version: MESSAGE_VERSION,
      messageType: MessageType.Revaluation,
      srcEid: source.eid,
      asset: addressToBytes32(m.token.address) as `0x${string}`, // a 0x bytes32
      markNonce: m.nonce,
      price: m.price,
      priceTimestamp: BigInt(block.timestamp),
      haircut: m.haircut,
    }),
  );
  const attesters = Object.entries(h.devnet.env)
    .filter(([k]) => k.startsWith('RELAYER_ATTESTER_KEY_'))
    .map(([, key]) => new ethers.Wallet(key));
  const validUntil = BigInt(block.timestamp) + 600n;
  const signatures = await signMarkBatch(attesters, receiverDomain({ chainId: dst.chainId, verifyingContract: dst.receiverAddress }), bodies, validUntil);
  const sender = dst.receiver.connect(dst.anvil.accounts[8]!) as ethers.Contract; // connect() returns BaseContract; same ABI
  await (await sender.getFunction('submitMarks').send(concatMessages(bodies), validUntil, packSignatures(signatures))).wait();
}

/** The receiver's formula written out again (not @ccr/risk's): floor(tiers(floor(raw · p / 10^d)) · (1 − h)). */
function independentValue(raw: bigint, decimals: number, price: bigint, haircut: bigint, tiers: readonly { upTo: bigint; weight: bigint }[]): bigint {
  const gross = (raw * price) / 10n ** BigInt(decimals);
  let scaled = 0n;
  if (tiers.length === 0) scaled = gross * E18;
  else {
    let from = 0n;
    for (const t of tiers) {
      if (gross <= from) break;
      const to = t.upTo === OPEN || t.upTo > gross ? gross : t.upTo;
      scaled += (to - from) * t.weight;
      from = to;
    }
  }
  return (scaled * (E18 - haircut)) / (E18 * E18);
}

const alice = (): string => addressToBytes32(source.users[0]!.address);
const bob = (): string => addressToBytes32(source.users[1]!.address);
const carol = (): string => addressToBytes32(source.users[2]!.address);

beforeAll(async () => {
  h = await startHarness({ sources: 1, attesters: 2, threshold: 2, users: 3 });
  source = h.devnet.sources[0]!;
  requirementsPath = join(h.dir, 'maintenance.json');
  // alice must keep 120,000 USD, bob 5,000; carol has none supplied.
  writeFileSync(requirementsPath, JSON.stringify({ [source.users[0]!.address]: (120_000n * E18).toString(), [bob()]: (5_000n * E18).toString() }));
  config = {
    ...structuredClone(h.devnet.config),
    stress: {
      scenarios: {
        'usdc-depeg': { kind: 'stablecoin-depeg', asset: 'USDC', price: '0.9' },
        'eth-crash': { kind: 'spot-shock', shocks: [{ asset: 'WETH', shock: '-0.4' }] },
      },
      requirementsFile: requirementsPath,
    },
  };
  configPath = join(h.dir, 'relayer.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  // The devnet registered USDC and WETH on the receiver (WETH with the config's tiers: 100,000 USD at 1, the rest at 0.5).
  await postMarks([
    { token: source.usdc, ...MARKS.USDC, nonce: 1n },
    { token: source.weth, ...MARKS.WETH, nonce: 1n },
  ]);
  relayer = await h.startRelayer(() => structuredClone(config));
  const [u0, u1, u2] = source.users as [ethers.Wallet, ethers.Wallet, ethers.Wallet]; // the harness funds users: 3
  const locks = [
    await lock(source, u0, source.weth, 100n * E18), // 200,000 gross: 100,000 · 1 + 100,000 · 0.5 → × 0.9 = 135,000
    await lock(source, u0, source.usdc, 1_000n * 10n ** 6n), // 980
    await lock(source, u1, source.usdc, 5_000n * 10n ** 6n + 7n), // 5,000.000007 · 0.98 = 4,900.00000686
    await lock(source, u1, source.weth, E18 / 3n), // 666.666…666 gross (floor), × 0.9, floored
    await lock(source, u2, source.weth, 2n * E18 + 1n), // 4,000.000000000000002 → × 0.9
  ];
  await source.anvil.mine(70);
  await waitForStates(relayer.url, locks.map((l) => l.guid), 'CREDITED', 120_000);
});

afterAll(async () => {
  await h?.stop();
});

async function stress(scenario: string): Promise<StressReport> {
  const { status, body } = await getJson<StressReport>(`${relayer.url}/risk/stress?scenario=${scenario}`);
  expect(status).toBe(200);
  return body;
}

/** Before = the receiver's collateralValue(account) at the report's block, for every account. */
async function expectBeforeIsOnChain(report: StressReport): Promise<void> {
  const receiver = h.devnet.destination.receiver;
  for (const a of report.accounts) {
    const [value, stale] = (await receiver.getFunction('collateralValue').staticCall(a.account, { blockTag: report.block.number })) as [bigint, boolean]; // (uint256 value, bool stale)
    expect(a.valueBefore).toBe(value.toString());
    expect(a.onChainValue).toBe(value.toString());
    expect(a.staleBefore).toBe(stale);
  }
  expect(report.totals.onChainMismatches).toBe(0);
}

/** After per account, from the raw amounts on chain and the scenario's prices, with the formula written out again. */
async function expectAfter(report: StressReport, price: { USDC: bigint; WETH: bigint }): Promise<void> {
  const receiver = h.devnet.destination.receiver;
  for (const a of report.accounts) {
    let after = 0n;
    for (const [symbol, token] of [['USDC', source.usdc], ['WETH', source.weth]] as const) {
      const asset = addressToBytes32(token.address);
      const at = { blockTag: report.block.number };
      const [raw] = (await receiver.getFunction('position').staticCall(a.account, source.eid, asset, at)) as [bigint]; // (uint128 rawAmount, uint128 frozen)
      // sizeTiers returns one (uint128 upTo, uint64 weight)[]: a list of [bigint, bigint] Results
      const tiers = ((await receiver.getFunction('sizeTiers').staticCall(source.eid, asset, at)) as [bigint, bigint][]).map(([upTo, weight]) => ({ upTo, weight }));
      after += independentValue(raw, token.decimals, price[symbol], MARKS[symbol].haircut, tiers);
    }
    expect(a.valueAfter).toBe(after.toString());
    expect(a.delta).toBe((after - BigInt(a.valueBefore)).toString());
  }
}

const account = (r: StressReport, id: string) => r.accounts.find((a) => a.account === id)!;

it('a USDC de-peg to 0.90: before = collateralValue on chain, after recomputed, nobody below maintenance', async () => {
  const r = await stress('usdc-depeg');
  expect(r.scenario).toMatchObject({ name: 'usdc-depeg', kind: 'stablecoin-depeg' });
  expect(r.accounts.map((a) => a.account)).toEqual([alice(), bob(), carol()].sort());
  expect(r.marks.map((m) => [m.symbol, m.price, m.haircut, m.stale, m.priceAfter])).toEqual([
    ['USDC', E18.toString(), MARKS.USDC.haircut.toString(), false, (9n * E18 / 10n).toString()],
    ['WETH', MARKS.WETH.price.toString(), MARKS.WETH.haircut.toString(), false, MARKS.WETH.price.toString()],
  ]);
  await expectBeforeIsOnChain(r);
  await expectAfter(r, { USDC: 9n * E18 / 10n, WETH: MARKS.WETH.price });
  expect(account(r, alice())).toMatchObject({ valueBefore: (135_980n * E18).toString(), valueAfter: (135_882n * E18).toString(), belowMaintenance: false });
  expect(account(r, carol())).toMatchObject({ maintenance: null, belowMaintenance: null, delta: '0' });
  expect(r.belowMaintenance).toEqual([]);
});

it('an ETH crash (−40 %): alice falls below her supplied requirement, with the shortfall; the CLI prints the same', async () => {
  const r = await stress('eth-crash');
  await expectBeforeIsOnChain(r);
  await expectAfter(r, { USDC: E18, WETH: 1_200n * E18 });
  // 100 WETH at 1,200: 120,000 gross → 100,000 + 10,000 → × 0.9 = 99,000; + 980 USDC; requirement 120,000
  expect(account(r, alice())).toMatchObject({
    valueAfter: (99_980n * E18).toString(),
    delta: (-36_000n * E18).toString(),
    maintenance: (120_000n * E18).toString(),
    belowMaintenanceBefore: false,
    belowMaintenance: true,
    shortfall: (20_020n * E18).toString(),
  });
  expect(account(r, bob())).toMatchObject({ belowMaintenance: false, shortfall: '0' });
  expect(r.belowMaintenance).toEqual([{ account: alice(), maintenance: (120_000n * E18).toString(), valueAfter: (99_980n * E18).toString(), shortfall: (20_020n * E18).toString(), newly: true }]);
  expect(r.totals).toMatchObject({ accounts: 3, withRequirement: 2, belowMaintenance: 1, newlyBelowMaintenance: 1, shortfall: (20_020n * E18).toString() });

  ensureRelayerBuilt();
  const cli = spawnSync(process.execPath, [RELAYER_MAIN, 'stress', '--config', configPath, '--scenario', 'eth-crash', '--json'], {
    env: { ...process.env, ...h.devnet.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(cli.stderr).toBe('');
  expect(cli.status).toBe(0);
  const printed = JSON.parse(cli.stdout) as StressReport; // --json prints the report as GET /risk/stress answers it
  expect(printed.accounts).toEqual(r.accounts);
  expect(printed.totals).toEqual(r.totals);
  const text = spawnSync(process.execPath, [RELAYER_MAIN, 'stress', '--config', configPath, '--scenario', 'eth-crash'], { env: { ...process.env, ...h.devnet.env }, encoding: 'utf8', timeout: 60_000 });
  expect(text.status).toBe(0);
  expect(text.stdout).toContain(`${source.users[0]!.address.toLowerCase()}  135980.00  99980.00  -36000.00    120000.00  BELOW   20020.00`);
  console.log(text.stdout);
});

it('POST with a requirement in the body; an unknown scenario is a 400 naming it', async () => {
  const { status, body } = await getJson<StressReport>(`${relayer.url}/risk/stress`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scenario: { kind: 'oracle-failure', asset: 'WETH', mode: 'zero' }, requirements: { [carol()]: (1n * E18).toString() } }),
  });
  expect(status).toBe(200);
  expect(account(body, carol())).toMatchObject({ valueAfter: '0', belowMaintenance: true, shortfall: E18.toString() });
  const unknown = await getJson<{ error: string; message: string }>(`${relayer.url}/risk/stress?scenario=btc-crash`);
  expect(unknown.status).toBe(400);
  expect(unknown.body).toMatchObject({ error: 'UnknownScenarioError', message: 'unknown scenario "btc-crash" (known: usdc-depeg, eth-crash)' });
});
