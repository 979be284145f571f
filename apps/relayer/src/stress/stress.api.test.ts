import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../app.module';
import { ChainRpcError } from '../chains/chain-errors';
import { ManualClock } from '../common/clock';
import { FIXTURE_ENV, fixtureConfig } from '../config/config.fixture';
import { buildConfig } from '../config/load-config';
import { Database } from '../store/database';
import { DepositState } from '../store/deposit-state';
import { DepositRepository } from '../store/deposit.repository';
import { insertObserved } from '../store/transition';
import type { BookChain, ReceiverAssetState, ReceiverPosition } from './book-chain';
import type { StressReport } from './stress-report';
import { BOOK_CHAIN } from './stress.service';
import { stringContaining } from '../common/matchers.fixture';

const E18 = 10n ** 18n;
const clock = new ManualClock(new Date('2025-01-01T00:00:00Z'));
const USDC = `0x000000000000000000000000${'9fe46736679d2d9a65f0992f2272de9f3c7fa6e0'}`; // the fixture's USDC on 40101
const OTHER = `0x${'be'.repeat(32)}`; // registered on the receiver, not in the relayer config
const ALICE = `0x000000000000000000000000${'aa'.repeat(20)}`;
const BOB = `0x000000000000000000000000${'bb'.repeat(20)}`;
const CAROL = `0x000000000000000000000000${'cc'.repeat(20)}`;
const guid = (n: number): string => `0x${n.toString(16).padStart(64, '0')}`;

const assets: ReceiverAssetState[] = [
  { srcEid: 40101, asset: USDC, decimals: 6, heartbeat: 86_400n, tiers: [], mark: { price: E18, haircut: 2n * 10n ** 16n, timestamp: 1_735_689_000n, nonce: 3n }, stale: false },
  {
    srcEid: 40101,
    asset: OTHER,
    decimals: 18,
    heartbeat: 3_600n,
    tiers: [{ upTo: 1_000n * E18, weight: E18 }, { upTo: null, weight: E18 / 2n }],
    mark: { price: 500n * E18, haircut: E18 / 10n, timestamp: 1_735_680_000n, nonce: 1n },
    stale: true,
  },
];
// alice: 10,000 USDC (9,800) + 4 OTHER (2,000 gross → 1,000 + 500 → 1,350); bob's deposit is not credited
const positions = new Map<string, ReceiverPosition[]>([
  [ALICE, [
    { srcEid: 40101, asset: USDC, rawAmount: 10_000_000_000n, frozen: 0n, value: 9_800n * E18, stale: false },
    { srcEid: 40101, asset: OTHER, rawAmount: 4n * E18, frozen: E18, value: 1_350n * E18, stale: true },
  ]],
]);
let failing = false;
const chain: BookChain = {
  // eslint-disable-next-line @typescript-eslint/require-await -- `failing` must reach the service as a rejection, like a failed read
  latestBlock: async () => {
    if (failing) throw new ChainRpcError('dst', 'eth_getBlockByNumber(latest)', new Error('connection refused'));
    return { number: 77, timestamp: 1_735_689_600n };
  },
  assets: () => Promise.resolve(assets),
  positions: (account) => Promise.resolve(positions.get(account) ?? []),
};

let dir: string;
let app: INestApplication<Server>;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-stress-api-'));
  writeFileSync(join(dir, 'requirements.json'), JSON.stringify({ [ALICE]: (10_500n * E18).toString() }));
  const raw = {
    ...fixtureConfig(),
    database: { path: join(dir, 'relayer.sqlite') },
    pipeline: { autoStart: false },
    log: { level: 'error' as const },
    stress: {
      scenarios: {
        'usdc-depeg': { kind: 'stablecoin-depeg', asset: 'USDC', price: '0.9' },
        'other-crash': { kind: 'spot-shock', shocks: [{ asset: `40101:${OTHER}`, shock: '-0.5' }] },
        'no-such-asset': { kind: 'stablecoin-depeg', asset: 'DAI', price: '0.9' },
      },
      requirementsFile: join(dir, 'requirements.json'),
    },
  };
  const config = buildConfig(raw, { env: FIXTURE_ENV, baseDir: dir });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config, { clock })] }).overrideProvider(BOOK_CHAIN).useValue(chain).compile();
  app = moduleRef.createNestApplication<INestApplication<Server>>({ logger: false });
  await app.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`; // a TCP server's address()
  const db = app.get(Database);
  const repo = app.get(DepositRepository);
  const deposits = [
    { n: 1, account: ALICE, credited: true },
    { n: 2, account: ALICE, credited: true },
    { n: 3, account: BOB, credited: false },
  ];
  for (const d of deposits) {
    await db.write((em) =>
      insertObserved(
        em,
        { guid: guid(d.n), srcEid: 40101, srcVault: `0x${'11'.repeat(32)}`, dstEid: 40200, nonce: BigInt(d.n), depositor: d.account, account: d.account, token: USDC, amount: '1', blockNumber: d.n, blockHash: guid(100 + d.n), txHash: guid(200 + d.n), logIndex: 0 },
        clock.now(),
      ),
    );
    await repo.move(guid(d.n), DepositState.OBSERVED, DepositState.FINAL);
    if (d.credited) await repo.move(guid(d.n), DepositState.FINAL, DepositState.CREDITED, { reason: 'reconciled' });
  }
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A request's status and JSON body; `T` names the body of the answer the test reads fields of. */
const call = async <T = unknown>(path: string, body?: unknown): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${url}${path}`, body === undefined ? undefined : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T }; // the caller names what its route answers (a wrong guess fails the test)
};

describe('GET/POST /risk/stress', () => {
  it('store accounts of credited deposits: one distinct account per CREDITED credit', async () => {
    expect(await app.get(DepositRepository).creditedAccounts()).toEqual([ALICE]);
  });

  it('GET a configured de-peg: marks used, before = the receiver, after, below maintenance from the requirements file', async () => {
    const { status, body } = await call<StressReport>('/risk/stress?scenario=usdc-depeg');
    expect(status).toBe(200);
    expect(body.scenario).toEqual({ name: 'usdc-depeg', kind: 'stablecoin-depeg', definition: { kind: 'stablecoin-depeg', asset: 'USDC', price: '0.9' } });
    expect(body.block).toEqual({ number: 77, timestamp: 1_735_689_600 });
    expect(body.marks).toEqual([
      { srcEid: 40101, asset: USDC, symbol: 'USDC', decimals: 6, price: E18.toString(), haircut: '20000000000000000', timestamp: 1_735_689_000, nonce: '3', ageSeconds: 600, heartbeatSeconds: 86_400, stale: false, priceAfter: (9n * E18 / 10n).toString(), refused: false, changed: true },
      { srcEid: 40101, asset: OTHER, symbol: `40101:${OTHER}`, decimals: 18, price: (500n * E18).toString(), haircut: (E18 / 10n).toString(), timestamp: 1_735_680_000, nonce: '1', ageSeconds: 9_600, heartbeatSeconds: 3_600, stale: true, priceAfter: (500n * E18).toString(), refused: false, changed: false },
    ]);
    // 10,000 · 0.9 · 0.98 = 8,820, + 1,350 unchanged; requirement 10,500
    expect(body.accounts).toEqual([
      {
        account: ALICE,
        valueBefore: (11_150n * E18).toString(),
        valueAfter: (10_170n * E18).toString(),
        delta: (-980n * E18).toString(),
        onChainValue: (11_150n * E18).toString(),
        staleBefore: true,
        staleAfter: true,
        maintenance: (10_500n * E18).toString(),
        belowMaintenanceBefore: false,
        belowMaintenance: true,
        shortfall: (330n * E18).toString(),
        positions: [
          { srcEid: 40101, asset: USDC, symbol: 'USDC', rawAmount: '10000000000', frozen: '0', valueBefore: (9_800n * E18).toString(), valueAfter: (8_820n * E18).toString() },
          { srcEid: 40101, asset: OTHER, symbol: `40101:${OTHER}`, rawAmount: (4n * E18).toString(), frozen: E18.toString(), valueBefore: (1_350n * E18).toString(), valueAfter: (1_350n * E18).toString() },
        ],
      },
    ]);
    expect(body.belowMaintenance).toEqual([{ account: ALICE, maintenance: (10_500n * E18).toString(), valueAfter: (10_170n * E18).toString(), shortfall: (330n * E18).toString(), newly: true }]);
    expect(body.totals).toEqual({
      accounts: 1, valueBefore: (11_150n * E18).toString(), valueAfter: (10_170n * E18).toString(), delta: (-980n * E18).toString(), staleAfter: 1,
      withRequirement: 1, belowMaintenance: 1, newlyBelowMaintenance: 1, shortfall: (330n * E18).toString(), onChainMismatches: 0,
    });
  });

  it('a scenario may name an asset by id: OTHER −50 % through its tiers', async () => {
    const { body } = await call<StressReport>('/risk/stress?scenario=other-crash');
    // 4 · 250 = 1,000 gross, all in the first tier, × 0.9 = 900
    expect(body.accounts[0]!.positions[1]!.valueAfter).toBe((900n * E18).toString());
  });

  it('POST: requirements in the body override the file and add accounts; an inline scenario', async () => {
    const { status, body } = await call<StressReport>('/risk/stress', {
      scenario: { kind: 'oracle-failure', asset: 'USDC', mode: 'refused' },
      requirements: { [ALICE]: (1_000n * E18).toString(), [`0x${'cc'.repeat(20)}`]: '1' },
    });
    expect(status).toBe(200);
    expect(body.scenario.name).toBe('oracle-failure(USDC, refused)');
    expect(body.accounts.map((a: { account: string }) => a.account)).toEqual([ALICE, CAROL]);
    expect(body.accounts[0]).toMatchObject({ valueAfter: (1_350n * E18).toString(), maintenance: (1_000n * E18).toString(), belowMaintenance: false, shortfall: '0' });
    expect(body.accounts[1]).toMatchObject({ valueBefore: '0', valueAfter: '0', belowMaintenance: true, shortfall: '1', positions: [] });
    expect(body.marks[0]).toMatchObject({ symbol: 'USDC', refused: true, changed: true });
  });

  it('400 naming an unknown scenario; 400 for a scenario naming an asset the book lacks, or bad input', async () => {
    const unknown = await call('/risk/stress?scenario=btc-crash');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ statusCode: 400, error: 'UnknownScenarioError', message: stringContaining('"btc-crash"'), details: { scenario: 'btc-crash', known: ['usdc-depeg', 'other-crash', 'no-such-asset'] } });
    const dai = await call('/risk/stress?scenario=no-such-asset');
    expect(dai).toMatchObject({ status: 400, body: { error: 'InvalidStressInputError', details: { field: 'scenario.asset' } } });
    expect((await call('/risk/stress')).status).toBe(400);
    expect(await call('/risk/stress', { scenario: 'usdc-depeg', requirements: { [ALICE]: '10.5' } })).toMatchObject({ status: 400, body: { details: { field: `body.requirements.${ALICE}` } } });
    expect(await call('/risk/stress', { scenario: { kind: 'meteor' } })).toMatchObject({ status: 400, body: { details: { field: 'body.scenario.kind' } } });
  });

  it('GET /risk/stress/scenarios lists them; 503 when the chain cannot be read', async () => {
    expect((await call<{ name: string }[]>('/risk/stress/scenarios')).body.map((s: { name: string }) => s.name)).toEqual(['usdc-depeg', 'other-crash', 'no-such-asset']);
    failing = true;
    try {
      expect(await call('/risk/stress?scenario=usdc-depeg')).toMatchObject({ status: 503, body: { error: 'ChainRpcError' } });
    } finally {
      failing = false;
    }
  });
});
