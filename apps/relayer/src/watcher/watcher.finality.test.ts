import { computeGuid } from '@ccr/messages';
import { Logger } from '@nestjs/common';
import type { BlockRef, ChainAdapter, ChainMessage } from '../chains/chain-adapter';
import type { ChainRegistry } from '../chains/chain-registry';
import { toBytes32 } from '../chains/evm/evm-chain-adapter';
import type { ChainConfig } from '../config/config.schema';
import { FIXTURE_ENV, fixtureConfig } from '../config/config.fixture';
import { buildConfig } from '../config/load-config';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { HaltCause, HaltState } from '../solvency/pathway-halt.entity';
import { PathwayHaltRepository } from '../solvency/pathway-halt.repository';
import { CursorKind } from '../store/chain-cursor.entity';
import { CursorRepository } from '../store/cursor.repository';
import { DepositLogRepository } from '../store/deposit-log.repository';
import { DepositRepository } from '../store/deposit.repository';
import { MessageKind } from '../store/message-kind';
import { openTestStore, type TestStore } from '../store/test-store.fixture';
import { ChainProgress } from './chain-progress';
import { FinalityGuard, SOURCE_FINALITY_ASSET } from './finality-guard';
import type { FinalityViolation } from './finality-violation';
import { FinalityMarkRepository } from './finality-mark.repository';
import { WatcherService } from './watcher.service';

/**
 * The watcher's finality guard against in-memory chains (blocks with hashes, messages, the contracts' outbound nonce)
 * and a real SQLite store: a replaced final block, a vanished final log, a log the node never returned, on a source
 * chain and on the derivatives chain. Each halts the pathway with cause finality-violation and its evidence.
 */
const config = buildConfig(
  {
    ...fixtureConfig(),
    chains: fixtureConfig().chains.map((c) => ({ ...c, finality: { mode: 'confirmations' as const, confirmations: 2 } })),
  },
  { env: FIXTURE_ENV, baseDir: '/tmp' },
);
const SRC = config.chains.find((c) => c.role === 'source')!;
const DST = config.chains.find((c) => c.role === 'destination')!;
const VAULT = toBytes32(SRC.vault!);
const RECEIVER = toBytes32(DST.receiver!);

type Block = { hash: string; messages: ChainMessage[] };

/** A chain in memory: what the watcher reads of it. `hidden` GUIDs are left out of eth_getLogs (a node that misses logs). */
class FakeChain {
  blocks: Block[] = [{ hash: '0x' + '00'.repeat(31) + '01', messages: [] }];
  hidden = new Set<string>();
  private salt = 1;
  constructor(readonly chain: ChainConfig) {}

  get eid(): number {
    return this.chain.eid;
  }
  head(): Promise<number> {
    return Promise.resolve(this.blocks.length - 1);
  }
  finalityBound(): Promise<BlockRef> {
    return Promise.resolve({ number: Math.max(-1, this.blocks.length - 1 - 2), hash: null });
  }
  async finalizedCursor(): Promise<number> {
    return (await this.finalityBound()).number;
  }
  blockHash(b: number): Promise<string | null> {
    return Promise.resolve(this.blocks[b]?.hash ?? null);
  }
  fetchMessages(from: number, to: number): Promise<ChainMessage[]> {
    return Promise.resolve(this.range(from, to).filter((m) => !this.hidden.has(m.guid)));
  }
  fetchMessagesByGuid(guids: readonly string[], from: number, to: number): Promise<ChainMessage[]> {
    return Promise.resolve(this.range(from, to).filter((m) => guids.includes(m.guid) && !this.hidden.has(m.guid)));
  }
  outboundNonce(_dstEid: number, _to: string, block: number): Promise<bigint> {
    return Promise.resolve(BigInt(this.range(0, block).length));
  }

  /** Mines one block holding `messages` (block number and hash filled in). */
  mine(...messages: ChainMessage[]): number {
    const n = this.blocks.length;
    const hash = `0x${(this.salt++).toString(16).padStart(8, '0')}${n.toString(16).padStart(56, '0')}`;
    this.blocks.push({ hash, messages: messages.map((m, i) => ({ ...m, blockNumber: n, blockHash: hash, txHash: `0x${'ee'.repeat(28)}${(this.salt * 16 + i).toString(16).padStart(8, '0')}`, logIndex: i })) });
    return n;
  }
  mineEmpty(k: number): void {
    for (let i = 0; i < k; i++) this.mine();
  }
  /** Drops every block from `from` on (the next ones mined replace them). */
  rewind(from: number): void {
    this.blocks = this.blocks.slice(0, from);
  }
  private range(from: number, to: number): ChainMessage[] {
    return this.blocks.slice(Math.max(0, from), to + 1).flatMap((b) => b.messages);
  }
}

function lock(nonce: number, amount = 100n): ChainMessage {
  const guid = computeGuid({ nonce: BigInt(nonce), srcEid: SRC.eid, sender: VAULT, dstEid: DST.eid, receiver: RECEIVER });
  return { kind: MessageKind.Credit, guid, srcEid: SRC.eid, srcVault: VAULT, dstEid: DST.eid, nonce: BigInt(nonce), depositor: `0x${'22'.repeat(32)}`, account: `0x${'33'.repeat(32)}`, token: `0x${'44'.repeat(32)}`, amount, blockNumber: 0, blockHash: '', txHash: '', logIndex: 0, receiver: null, recipient: null, voidedNonce: null, withdrawalGuid: null, withdrawalNonce: null, releaseStatus: null };
}

function withdrawal(nonce: number): ChainMessage {
  const guid = computeGuid({ nonce: BigInt(nonce), srcEid: DST.eid, sender: RECEIVER, dstEid: SRC.eid, receiver: VAULT });
  return { ...lock(nonce), kind: MessageKind.Withdrawal, guid, srcEid: DST.eid, srcVault: RECEIVER, dstEid: SRC.eid, receiver: VAULT, recipient: `0x${'55'.repeat(32)}` };
}

let store: TestStore;
let src: FakeChain;
let dst: FakeChain;
let halts: PathwayHaltRepository;
let deposits: DepositRepository;
let metrics: MetricsRegistry;

beforeAll(() => {
  Logger.overrideLogger(false);
});

beforeEach(async () => {
  store = await openTestStore();
  src = new FakeChain(SRC);
  dst = new FakeChain(DST);
  halts = new PathwayHaltRepository(store.db);
  deposits = new DepositRepository(store.db, store.clock);
  metrics = new MetricsRegistry();
});

afterEach(async () => {
  await store.close();
});

/** A watcher as the app builds it (a new one = a restart: nothing in memory). */
function watcher(): WatcherService {
  const adapters = new Map<number, FakeChain>([
    [SRC.eid, src],
    [DST.eid, dst],
  ]);
  // The watcher and the guard use these four of the registry.
  const chains = { get: (eid: number) => adapters.get(eid) as unknown as ChainAdapter, destination: () => DST, sources: () => [SRC], vaultOf: (eid: number) => (eid === SRC.eid ? VAULT : undefined) } as unknown as ChainRegistry;
  const guard = new FinalityGuard(halts, chains, metrics, store.clock);
  return new WatcherService(chains, new CursorRepository(store.db), new DepositLogRepository(store.db), store.db, store.clock, new ChainProgress(), metrics, new FinalityMarkRepository(store.db), guard);
}

const sourceHalt = () => halts.find(SRC.eid, VAULT, SOURCE_FINALITY_ASSET);
/** A halt row's evidence: the JSON of the violations the guard reported (finality-guard.ts). */
const evidenceOf = (h: { evidence: string | null } | null): FinalityViolation[] => JSON.parse(h!.evidence!) as FinalityViolation[]; // written by the guard as JSON.stringify of FinalityViolation[]

describe('WatcherService finality guard', () => {
  it('takes nothing as a violation while the chain keeps its finality (reorgs above the bound included)', async () => {
    const w = watcher();
    src.mine(lock(1));
    src.mineEmpty(3);
    expect(await w.watch(SRC)).toMatchObject({ finalized: 2, cursor: 2, finalizedCount: 1, violations: 0 });
    src.rewind(4); // the head block only: above the finality bound
    src.mine(lock(2));
    src.mineEmpty(3);
    expect(await w.watch(SRC)).toMatchObject({ cursor: 5, violations: 0 });
    expect(await w.watch(SRC)).toMatchObject({ cursor: 5, violations: 0 });
    expect(await halts.all()).toEqual([]);
    expect(metrics.counter('ccr_finality_violations_total', { chain: 'src' })).toBe(0);
  });

  it('a final block replaced (its lock re-mined elsewhere): block-hash, then log-changed on the rescan; halted with the evidence, the row untouched, a new lock stored', async () => {
    const w = watcher();
    const first = lock(1);
    src.mine(); // block 1
    src.mine(first); // block 2
    src.mineEmpty(3);
    await w.watch(SRC); // bound 3
    const before = await deposits.get(first.guid);
    const finalHash = src.blocks[3]!.hash;
    expect(before).toMatchObject({ state: 'FINAL', blockNumber: 2 });

    // Blocks 2… replaced: the same lock one block later, a new lock after it.
    src.rewind(2);
    src.mine();
    src.mine(first); // block 3
    src.mine(lock(2)); // block 4
    src.mineEmpty(3);
    const r = await w.watch(SRC);
    expect(r).toMatchObject({ violations: 2, cursor: 5 });
    const halt = await sourceHalt();
    expect(halt).toMatchObject({ srcEid: SRC.eid, vault: VAULT, asset: SOURCE_FINALITY_ASSET, cause: HaltCause.FinalityViolation, state: HaltState.Halted, discrepancy: '0', terms: 'null' });
    expect(JSON.parse(halt!.evidence!)).toEqual([
      { kind: 'block-hash', chain: 'src', eid: SRC.eid, block: 3, expected: finalHash, seen: src.blocks[3]!.hash },
      {
        kind: 'log-changed',
        chain: 'src',
        eid: SRC.eid,
        block: 2,
        guid: first.guid,
        state: 'FINAL',
        dstEid: DST.eid,
        receiver: RECEIVER,
        expected: { block: 2, blockHash: before.blockHash, txHash: before.txHash, logIndex: 0, account: first.account, token: first.token, amount: '100' },
        seen: { block: 3, blockHash: src.blocks[3]!.hash, txHash: src.blocks[3]!.messages[0]!.txHash, logIndex: 0, account: first.account, token: first.token, amount: '100' },
      },
    ]);
    expect(metrics.counter('ccr_finality_violations_total', { chain: 'src' })).toBe(2);
    expect(metrics.gauge('ccr_pathway_halted', { chain: SRC.name, eid: SRC.eid })).toBe(1);
    // The row read at finality is left as it was; the new lock of the replacement is stored FINAL (not posted: halted).
    expect(await deposits.get(first.guid)).toMatchObject({ state: 'FINAL', blockNumber: 2, blockHash: before.blockHash });
    expect(await deposits.get(lock(2).guid)).toMatchObject({ state: 'FINAL', blockNumber: 4 });
    expect(await halts.haltedPathways()).toEqual(new Set([`${SRC.eid}:${VAULT}`]));

    // Next rounds: nothing new. A restart does not resume it.
    expect(await w.watch(SRC)).toMatchObject({ violations: 0 });
    expect(await watcher().watch(SRC)).toMatchObject({ violations: 0 });
    expect(await sourceHalt()).toMatchObject({ state: HaltState.Halted });
  });

  it('a final lock re-mined above the new bound: the nonce offset (-1) is recorded while it is there and back to 0 once the cursor passes it', async () => {
    const w = watcher();
    const first = lock(1);
    src.mine(first); // block 1
    src.mineEmpty(3); // bound 2
    await w.watch(SRC);
    src.rewind(1);
    src.mineEmpty(3); // blocks 1–3
    src.mine(first); // block 4
    src.mine(); // head 5, bound 3
    expect(await w.watch(SRC)).toMatchObject({ cursor: 3, violations: 3 });
    expect(await sourceHalt()).toMatchObject({ state: HaltState.Halted, discrepancy: '-1' });
    expect(evidenceOf(await sourceHalt()).map((e) => [e.kind, e.kind === 'log-changed' ? e.seen!.block : null])).toEqual([
      ['block-hash', null],
      ['log-changed', 4],
      ['outbound-nonce', null],
    ]);
    src.mineEmpty(2);
    expect(await w.watch(SRC)).toMatchObject({ cursor: 5, violations: 0 });
    expect(await sourceHalt()).toMatchObject({ state: HaltState.Halted, discrepancy: '0' });
  });

  it('a final log gone: block-hash, log-missing and the vault nonce one below the store; a resume accepts the offset (also after a restart); the nonce used again halts again', async () => {
    const w = watcher();
    const gone = lock(1);
    src.mine(gone); // block 1
    src.mineEmpty(3);
    await w.watch(SRC); // bound 2, cursor 2
    expect(await deposits.get(gone.guid)).toMatchObject({ state: 'FINAL' });

    src.rewind(1);
    src.mineEmpty(5); // block 1 without the lock; bound 3
    expect(await w.watch(SRC)).toMatchObject({ violations: 3 });
    const halt = await sourceHalt();
    expect(halt).toMatchObject({ state: HaltState.Halted, discrepancy: '-1' });
    expect(evidenceOf(halt).map((e) => e.kind)).toEqual(['block-hash', 'log-missing', 'outbound-nonce']);
    expect(evidenceOf(halt)[2]).toEqual({ kind: 'outbound-nonce', chain: 'src', eid: SRC.eid, block: 3, dstEid: DST.eid, to: RECEIVER, expected: '1', seen: '0' });

    // The operator resumes, accepting the offset (what the admin endpoint does with a finality row's discrepancy).
    await halts.resume(SRC.eid, (row) => row.discrepancy, 'op (127.0.0.1)', store.clock.now());
    src.mineEmpty(2);
    expect(await w.watch(SRC)).toMatchObject({ violations: 0 });
    expect(await watcher().watch(SRC)).toMatchObject({ violations: 0 }); // a restart: the accepted offset is in the row
    expect(await sourceHalt()).toMatchObject({ state: HaltState.Resumed, acknowledged: '-1' });

    // The vault's nonce 1 is free again: the next lock takes it, and its GUID. A log past FINAL that changes: halted again.
    const again = lock(1, 777n);
    expect(again.guid).toBe(gone.guid);
    src.mine(again);
    src.mineEmpty(3);
    expect(await w.watch(SRC)).toMatchObject({ violations: 1 });
    const reHalt = await sourceHalt();
    expect(reHalt).toMatchObject({ state: HaltState.Halted, cause: HaltCause.FinalityViolation, acknowledged: null, resumedBy: null });
    expect(JSON.parse(reHalt!.evidence!)).toMatchObject([{ kind: 'log-changed', guid: gone.guid, expected: { amount: '100' }, seen: { amount: '777' } }]);
    expect(metrics.counter('ccr_finality_violations_total', { chain: 'src' })).toBe(4);
  });

  it('a log the node never returned: the vault nonce above the store halts with offset 1; only another offset halts after a resume', async () => {
    const w = watcher();
    const missed = lock(1);
    src.hidden.add(missed.guid);
    src.mine(missed);
    src.mineEmpty(3);
    expect(await w.watch(SRC)).toMatchObject({ violations: 1, finalizedCount: 0 });
    expect(await sourceHalt()).toMatchObject({ state: HaltState.Halted, discrepancy: '1' });
    expect(JSON.parse((await sourceHalt())!.evidence!)).toEqual([{ kind: 'outbound-nonce', chain: 'src', eid: SRC.eid, block: 2, dstEid: DST.eid, to: RECEIVER, expected: '0', seen: '1' }]);
    await halts.resume(SRC.eid, (row) => row.discrepancy, 'op', store.clock.now());

    src.mine(lock(2)); // seen: store 2, chain 2
    src.mineEmpty(2);
    expect(await w.watch(SRC)).toMatchObject({ violations: 0 });
    const [three, four] = [lock(3), lock(4)];
    src.hidden.add(three.guid).add(four.guid);
    src.mine(three, four); // store 2, chain 4: offset 2
    src.mineEmpty(2);
    expect(await w.watch(SRC)).toMatchObject({ violations: 1 });
    expect(await sourceHalt()).toMatchObject({ state: HaltState.Halted, discrepancy: '2' });
  });

  it('the derivatives chain: its receiver nonce towards a vault disagreeing halts that vault pathway (asset = the receiver), a changed final block there every pathway', async () => {
    const w = watcher();
    const wd = withdrawal(1);
    dst.hidden.add(wd.guid);
    dst.mine(wd);
    dst.mineEmpty(3);
    expect(await w.watch(DST)).toMatchObject({ violations: 1 });
    const halt = await halts.find(SRC.eid, VAULT, RECEIVER);
    expect(halt).toMatchObject({ cause: HaltCause.FinalityViolation, state: HaltState.Halted, discrepancy: '1' });
    expect(JSON.parse(halt!.evidence!)).toEqual([{ kind: 'outbound-nonce', chain: 'dst', eid: DST.eid, block: 2, dstEid: SRC.eid, to: VAULT, expected: '0', seen: '1' }]);
    expect(await sourceHalt()).toBeNull();
    expect(await halts.haltedPathways()).toEqual(new Set([`${SRC.eid}:${VAULT}`]));

    await halts.resume(SRC.eid, (row) => row.discrepancy, 'op', store.clock.now());
    const cursor = await new CursorRepository(store.db).get(DST.eid, CursorKind.Final);
    dst.rewind(cursor!); // the final cursor's block replaced
    dst.mineEmpty(4);
    expect(await w.watch(DST)).toMatchObject({ violations: 1 });
    expect(await halts.find(SRC.eid, VAULT, RECEIVER)).toMatchObject({ state: HaltState.Halted, discrepancy: '0' });
    expect(metrics.counter('ccr_finality_violations_total', { chain: 'dst' })).toBe(2);
  });
});
