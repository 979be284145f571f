import { ConflictException, Logger, NotFoundException } from '@nestjs/common';
import type { ReceiverBook, VaultHoldings } from '../chains/chain-adapter';
import type { ChainRegistry } from '../chains/chain-registry';
import { ChainRpcError } from '../chains/chain-errors';
import type { AppConfig } from '../config/app-config';
import { FIXTURE_ENV, fixtureConfig } from '../config/config.fixture';
import { buildConfig } from '../config/load-config';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { CursorKind } from '../store/chain-cursor.entity';
import { CursorRepository } from '../store/cursor.repository';
import { message, openTestStore, store, type TestStore } from '../store/test-store.fixture';
import { HaltState } from './pathway-halt.entity';
import { PathwayHaltRepository } from './pathway-halt.repository';
import { PathMessagesRepository } from './path-messages.repository';
import { SolvencyService } from './solvency.service';

const SRC = 40101;
const DST = 40200;
/** The fixture's vault and USDC as bytes32. */
const VAULT = `0x${'00'.repeat(12)}5fbdb2315678afecb367f032d93f642f64180aa3`;
const USDC = `0x${'00'.repeat(12)}9fe46736679d2d9a65f0992f2272de9f3c7fa6e0`;
const KEY = { chain: 'src', eid: SRC, asset: USDC, symbol: 'USDC' };

/** The two chains as the job reads them; tests set the numbers. */
class FakeChains {
  srcHead = 100;
  dstHead = 500;
  holdings: VaultHoldings = { totalLocked: 0n, balance: 0n };
  book: ReceiverBook = { credited: 0n, frozen: 0n, lastNonce: 0n };
  vaultReads: number[] = [];
  fail: Error | undefined;
  readonly order: string[] = [];

  constructor(private readonly config: AppConfig) {}

  sources() {
    return this.config.chains.filter((c) => c.role === 'source');
  }
  destination() {
    return this.config.chains.find((c) => c.role === 'destination')!;
  }
  get(eid: number) {
    return {
      head: () => Promise.resolve(eid === SRC ? this.srcHead : this.dstHead),
      // eslint-disable-next-line @typescript-eslint/require-await -- a scripted `fail` must reach the job as a rejection, like a failed read
      vaultHoldings: async (token: string, block: number) => {
        expect([eid, token]).toEqual([SRC, '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0']);
        if (this.fail !== undefined) throw this.fail;
        this.order.push('vault');
        this.vaultReads.push(block);
        return this.holdings;
      },
      receiverBook: (srcEid: number, vault: string, asset: string, block: number) => {
        expect([eid, srcEid, vault, asset, block]).toEqual([DST, SRC, VAULT, USDC, this.dstHead]);
        this.order.push('receiver');
        return Promise.resolve(this.book);
      },
    };
  }
}

let s: TestStore;
let chains: FakeChains;
let metrics: MetricsRegistry;
let halts: PathwayHaltRepository;
let cursors: CursorRepository;
let errors: string[];
let warnings: string[];

function service(solvency: { haltOnDiscrepancy?: boolean } = {}): SolvencyService {
  const config: AppConfig = buildConfig({ ...fixtureConfig(), solvency }, { env: FIXTURE_ENV, baseDir: '/tmp' }); // AppConfig is RelayerConfig by declaration merging
  chains = new FakeChains(config);
  // The job uses sources(), destination() and get() of the registry; FakeChains answers those.
  return new SolvencyService(config, chains as unknown as ChainRegistry, cursors, new PathMessagesRepository(s.db), halts, s.clock, metrics);
}

/** Locks of USDC on the fixture's path (nonce n, block 10 + n, amount 1000 + n unless given). */
const lock = (n: number, over: Parameters<typeof message>[1] = {}) => message(n, { srcVault: VAULT, token: USDC, ...over });

beforeEach(async () => {
  s = await openTestStore();
  metrics = new MetricsRegistry();
  halts = new PathwayHaltRepository(s.db);
  cursors = new CursorRepository(s.db);
  errors = [];
  warnings = [];
  jest.spyOn(Logger.prototype, 'error').mockImplementation((m: unknown) => void errors.push(String(m)));
  jest.spyOn(Logger.prototype, 'warn').mockImplementation((m: unknown) => void warnings.push(String(m)));
});

afterEach(async () => {
  jest.restoreAllMocks();
  await s.close();
});

describe('SolvencyService rounds', () => {
  it('reads the vault at min(head, cursor), then the receiver at its head, and reports every term', async () => {
    const job = service();
    await store(s, [lock(1), lock(2), lock(3)], true); // blocks 11, 12, 13; amounts 1001, 1002, 1003
    await cursors.set(SRC, CursorKind.Final, 12, s.clock.now());
    await cursors.set(SRC, CursorKind.Head, 13, s.clock.now());
    chains.srcHead = 200;
    chains.holdings = { totalLocked: 3006n, balance: 3006n };
    chains.book = { credited: 2003n, frozen: 0n, lastNonce: 2n }; // nonce 3 not applied yet
    const [c] = await job.check();
    expect(chains.vaultReads).toEqual([13]);
    expect(chains.order).toEqual(['vault', 'receiver']);
    expect(c).toMatchObject({
      srcEid: SRC,
      chain: 'src',
      vault: VAULT,
      asset: USDC,
      symbol: 'USDC',
      status: 'ok',
      ok: true,
      balanceCovers: true,
      confirmed: false,
      error: null,
      terms: { totalLocked: '3006', balance: '3006', credited: '2003', frozen: '0', inFlightDeposits: '1003', inFlightReleases: '0', expectedLocked: '3006', discrepancy: '0', lastNonce: '2', vaultBlock: 13, receiverBlock: 500 },
    });
    expect([metrics.gauge('ccr_solvency_ok', KEY), metrics.gauge('ccr_solvency_discrepancy', KEY), metrics.gauge('ccr_pathway_halted', { chain: 'src', eid: SRC })]).toEqual([1, 0, 0]);
    // The head below the cursor (another endpoint behind): the vault is read at the head.
    chains.srcHead = 12;
    await job.check();
    expect(chains.vaultReads).toEqual([13, 12]);
  });

  it('does not halt on a discrepancy seen once (a transient), and halts on the same one two rounds running', async () => {
    const job = service();
    await store(s, [lock(1)], true);
    await cursors.set(SRC, CursorKind.Final, 20, s.clock.now());
    chains.holdings = { totalLocked: 1001n, balance: 1001n };
    chains.book = { credited: 1001n + 5n, frozen: 0n, lastNonce: 1n };
    const [first] = await job.check();
    expect(first).toMatchObject({ status: 'discrepancy', ok: false, confirmed: false, terms: { discrepancy: '-5' } });
    expect(await halts.halted()).toEqual([]);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining('solvency: possible discrepancy on pathway 40101/')]);
    expect(metrics.gauge('ccr_solvency_discrepancy', KEY)).toBe(-5);

    // Gone on the next round: nothing happened.
    chains.book = { credited: 1001n, frozen: 0n, lastNonce: 1n };
    expect((await job.check())[0]).toMatchObject({ ok: true });
    chains.book = { credited: 1006n, frozen: 0n, lastNonce: 1n };
    expect((await job.check())[0]).toMatchObject({ confirmed: false });
    expect(await halts.halted()).toEqual([]);

    // The same −5 again: confirmed → error log with every term, halt.
    const [confirmed] = await job.check();
    expect(confirmed).toMatchObject({ status: 'discrepancy', confirmed: true, acknowledged: false });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^solvency: discrepancy on pathway 40101\/0x0{24}5fbdb2315678afecb367f032d93f642f64180aa3 asset USDC: \{/);
    expect(JSON.parse(errors[0]!.slice(errors[0]!.indexOf('{')))).toEqual({
      srcEid: SRC,
      chain: 'src',
      vault: VAULT,
      asset: USDC,
      symbol: 'USDC',
      totalLocked: '1001',
      balance: '1001',
      credited: '1006',
      frozen: '0',
      inFlightDeposits: '0',
      inFlightReleases: '0',
      expectedLocked: '1006',
      discrepancy: '-5',
      lastNonce: '1',
      vaultBlock: 20,
      receiverBlock: 500,
      balanceCovers: true,
      checkedAt: '2025-01-01T00:00:00.000Z',
    });
    expect(errors[1]).toBe(`solvency: pathway 40101/${VAULT} HALTED (asset USDC, discrepancy -5): its credits are not posted until POST /admin/pathways/40101/resume`);
    expect(await halts.halted()).toMatchObject([{ srcEid: SRC, vault: VAULT, asset: USDC, state: HaltState.Halted, discrepancy: '-5', resumedAt: null }]);
    expect(await halts.haltedPathways()).toEqual(new Set([`40101:${VAULT}`]));
    expect(metrics.gauge('ccr_pathway_halted', { chain: 'src', eid: SRC })).toBe(1);
    expect((await job.view()).halted).toMatchObject([{ srcEid: SRC, asset: USDC, discrepancy: '-5', state: 'halted' }]);

    // A standing discrepancy is logged once, not every round.
    await job.check();
    expect(errors).toHaveLength(2);
  });

  it('only logs with haltOnDiscrepancy false', async () => {
    const job = service({ haltOnDiscrepancy: false });
    await cursors.set(SRC, CursorKind.Final, 20, s.clock.now());
    chains.book = { credited: 7n, frozen: 0n, lastNonce: 1n };
    await job.check();
    await job.check();
    expect(errors).toEqual([expect.stringContaining('solvency: discrepancy on pathway 40101/')]);
    expect(await halts.halted()).toEqual([]);
  });

  it('resume: by whom and when; accepts the last discrepancy, halts again only on another one', async () => {
    const job = service();
    await cursors.set(SRC, CursorKind.Final, 20, s.clock.now());
    await expect(job.resume(40102, 'alice', '127.0.0.1')).rejects.toThrow(NotFoundException);
    await expect(job.resume(SRC, 'alice', '127.0.0.1')).rejects.toThrow(new ConflictException('pathway 40101 is not halted'));
    chains.book = { credited: 7n, frozen: 0n, lastNonce: 1n };
    await job.check();
    await job.check();
    // It moved while halted (a lock arrived): the resume accepts what the last round saw.
    chains.book = { credited: 9n, frozen: 0n, lastNonce: 1n };
    await job.check();
    s.clock.advance(60_000);
    const r = await job.resume(SRC, 'alice', '127.0.0.1');
    expect(r).toMatchObject({ srcEid: SRC, resumedAt: '2025-01-01T00:01:00.000Z', resumedBy: 'alice (127.0.0.1)', resumed: [{ asset: USDC, state: 'resumed', discrepancy: '-7', acknowledged: '-9' }] });
    expect(warnings.at(-1)).toMatch(/^solvency: pathway 40101\/0x0{24}5fbdb.* resumed by alice \(127\.0\.0\.1\) at 2025-01-01T00:01:00\.000Z: \[\{"asset":"0x0{24}9fe4/);
    expect(await halts.haltedPathways()).toEqual(new Set());
    expect(metrics.gauge('ccr_pathway_halted', { chain: 'src', eid: SRC })).toBe(0);
    await expect(job.resume(SRC, 'alice', '127.0.0.1')).rejects.toThrow(ConflictException);

    // The accepted −9 stays (acknowledged): no halt.
    await job.check();
    expect((await job.check())[0]).toMatchObject({ confirmed: true, acknowledged: true });
    expect(await halts.halted()).toEqual([]);
    // Another discrepancy (−12) confirmed: halted again.
    chains.book = { credited: 12n, frozen: 0n, lastNonce: 1n };
    await job.check();
    expect(await halts.halted()).toEqual([]);
    await job.check();
    expect(await halts.halted()).toMatchObject([{ state: HaltState.Halted, discrepancy: '-12', acknowledged: null, resumedBy: null }]);
  });

  it('reports a round it could not read as an error, and restarts the two-round count after it', async () => {
    const job = service();
    expect((await job.check())[0]).toMatchObject({ status: 'error', ok: false, terms: null, error: 'Error: the watcher has not scanned src yet' });
    await cursors.set(SRC, CursorKind.Head, 20, s.clock.now());
    chains.book = { credited: 7n, frozen: 0n, lastNonce: 1n };
    await job.check();
    chains.fail = new ChainRpcError('src', 'assets', new Error('timeout'));
    expect((await job.check())[0]).toMatchObject({ status: 'error', error: 'ChainRpcError: src: assets failed: Error: timeout' });
    chains.fail = undefined;
    expect((await job.check())[0]).toMatchObject({ confirmed: false });
    expect(await halts.halted()).toEqual([]);
    expect(await job.view()).toMatchObject({ ok: false, checkedAt: '2025-01-01T00:00:00.000Z', enabled: true, haltOnDiscrepancy: true });
  });
});
