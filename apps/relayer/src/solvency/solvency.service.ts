import { ConflictException, Injectable, Logger, NotFoundException, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ChainRegistry } from '../chains/chain-registry';
import { toBytes32 } from '../chains/address-bytes32';
import { Clock } from '../common/clock';
import { describeError } from '../common/relayer-error';
import { AppConfig } from '../config/app-config';
import type { AssetConfig, ChainConfig } from '../config/config.schema';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { Loop } from '../pipeline/loop';
import { CursorKind } from '../store/chain-cursor.entity';
import { CursorRepository } from '../store/cursor.repository';
import { type HaltCause, HaltState, type PathwayHalt } from './pathway-halt.entity';
import { PathwayHaltRepository, pathwayKey } from './pathway-halt.repository';
import { PathMessagesRepository } from './path-messages.repository';
import { type SolvencyTerms, solvencyIdentity } from './solvency-identity';

/** The identity's terms as the API shows them: decimal strings of token base units, heights as numbers. */
export type SolvencyTermsView = {
  totalLocked: string;
  balance: string;
  credited: string;
  frozen: string;
  inFlightDeposits: string;
  inFlightReleases: string;
  /** credited + frozen + inFlightDeposits − inFlightReleases. */
  expectedLocked: string;
  /** totalLocked − expectedLocked. */
  discrepancy: string;
  lastNonce: string;
  /** B_v: the vault chain's height of totalLocked and balance. */
  vaultBlock: number;
  /** B_r: the receiver chain's height of the book and lastNonce (read after the vault). */
  receiverBlock: number;
};

/** One (srcEid, vault, asset) at the last round. */
export type SolvencyCheck = {
  srcEid: number;
  chain: string;
  /** bytes32. */
  vault: string;
  /** bytes32 (the token on srcEid). */
  asset: string;
  symbol: string;
  /** ok: the identity holds to the base unit; discrepancy: it does not; error: the round could not read a side. */
  status: 'ok' | 'discrepancy' | 'error';
  ok: boolean;
  /** null when status is error. */
  terms: SolvencyTermsView | null;
  /** balance ≥ totalLocked (null when status is error). */
  balanceCovers: boolean | null;
  /** The same discrepancy on this round and the one before: not a transient (what halts). */
  confirmed: boolean;
  /** An operator resumed the pathway accepting exactly this discrepancy: it does not halt again. */
  acknowledged: boolean;
  error: string | null;
  checkedAt: string;
};

/** A halt of a pathway for one asset, or for a finality violation (table pathway_halt). */
export type HaltView = {
  srcEid: number;
  vault: string;
  /** The asset (solvency); for a finality violation 0x00…00 (the vault's chain) or the receiver (the derivatives chain). */
  asset: string;
  /** Why: 'solvency' (a confirmed discrepancy) or 'finality-violation' (watcher/finality-guard.ts). */
  cause: HaltCause;
  state: HaltState;
  discrepancy: string;
  haltedAt: string;
  acknowledged: string | null;
  resumedAt: string | null;
  resumedBy: string | null;
  /** The identity of the halting round (null for a finality violation). */
  terms: unknown;
  /** Finality violations: what was seen (expected vs seen hash / log / nonce, block), the halting one first; else null. */
  evidence: unknown;
};

export type SolvencyView = {
  enabled: boolean;
  haltOnDiscrepancy: boolean;
  /** Every check of the last round holds (false before the first round). */
  ok: boolean;
  checkedAt: string | null;
  checks: SolvencyCheck[];
  /** The pathways halted now (one row per asset that halted them). */
  halted: HaltView[];
};

export type ResumeResult = { srcEid: number; resumedAt: string; resumedBy: string; resumed: HaltView[] };

const checkKey = (srcEid: number, vault: string, asset: string): string => `${srcEid}:${vault}:${asset}`;

function termsView(t: SolvencyTerms): SolvencyTermsView {
  return {
    totalLocked: t.totalLocked.toString(),
    balance: t.balance.toString(),
    credited: t.credited.toString(),
    frozen: t.frozen.toString(),
    inFlightDeposits: t.inFlightDeposits.toString(),
    inFlightReleases: t.inFlightReleases.toString(),
    expectedLocked: t.expectedLocked.toString(),
    discrepancy: t.discrepancy.toString(),
    lastNonce: t.lastNonce.toString(),
    vaultBlock: t.vaultBlock,
    receiverBlock: t.receiverBlock,
  };
}

export function haltView(h: PathwayHalt): HaltView {
  return {
    srcEid: h.srcEid,
    vault: h.vault,
    asset: h.asset,
    cause: h.cause,
    state: h.state,
    discrepancy: h.discrepancy,
    haltedAt: h.haltedAt.toISOString(),
    acknowledged: h.acknowledged,
    resumedAt: h.resumedAt?.toISOString() ?? null,
    resumedBy: h.resumedBy,
    terms: JSON.parse(h.terms),
    evidence: h.evidence === null ? null : JSON.parse(h.evidence),
  };
}

/**
 * The solvency job (docs/two-way-book.md "Solvency"). Each round, per configured (source chain, vault, asset):
 *  1. B_v = min(the vault chain's latest block, the watcher's cursor there): every event up to B_v is in the store;
 *     read `assets(token).totalLocked` and `balanceOf(vault)` at B_v;
 *  2. then, on the receiver chain at its latest block B_r: `book(srcEid, asset)` and `lastNonce(srcEid, vault)`;
 *  3. then the store's locks and release results of the path that can be in flight between the two heights;
 *  4. check totalLocked = credited + frozen + inFlightDeposits − inFlightReleases (solvency-identity.ts).
 * A discrepancy seen once is logged as a warning (a transient: a message mined between two reads); the same
 * discrepancy on two consecutive rounds is confirmed: an error log with every term and, with
 * `solvency.haltOnDiscrepancy`, a persistent halt of the pathway (the poster stops its CREDIT/VOID messages) until an
 * operator resumes it. The last round is kept in memory for GET /solvency; gauges per pathway and asset.
 */
@Injectable()
export class SolvencyService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Solvency');
  private readonly loop: Loop;
  private readonly last = new Map<string, SolvencyCheck>();
  /** The last discrepancy logged per check, so a standing one is logged once, not every round. */
  private readonly logged = new Map<string, string>();
  private lastRoundAt: Date | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly chains: ChainRegistry,
    private readonly cursors: CursorRepository,
    private readonly messages: PathMessagesRepository,
    private readonly halts: PathwayHaltRepository,
    private readonly clock: Clock,
    private readonly metrics: MetricsRegistry,
  ) {
    this.loop = new Loop('solvency', config.solvency.intervalMs, () => this.check(), this.logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refreshHaltGauges();
    if (this.config.solvency.enabled && this.config.pipeline.autoStart) this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One round over every configured (source chain, vault, asset); returns its checks (GET /solvency shows them). */
  async check(): Promise<SolvencyCheck[]> {
    const at = this.clock.now();
    const checks: SolvencyCheck[] = [];
    for (const source of this.chains.sources()) checks.push(...(await this.checkSource(source, at)));
    for (const c of checks) await this.judge(c, at);
    this.last.clear();
    for (const c of checks) this.last.set(checkKey(c.srcEid, c.vault, c.asset), c);
    this.lastRoundAt = at;
    await this.refreshHaltGauges();
    return checks;
  }

  async view(): Promise<SolvencyView> {
    const checks = [...this.last.values()];
    return {
      enabled: this.config.solvency.enabled,
      haltOnDiscrepancy: this.config.solvency.haltOnDiscrepancy,
      ok: this.lastRoundAt !== null && checks.every((c) => c.ok),
      checkedAt: this.lastRoundAt?.toISOString() ?? null,
      checks,
      halted: (await this.halts.halted()).map(haltView),
    };
  }

  /** The pathways halted now (GET /health). */
  async halted(): Promise<HaltView[]> {
    return (await this.halts.halted()).map(haltView);
  }

  /**
   * Operator resume of every halted asset of `srcEid`'s pathway, each accepting the discrepancy of the last round
   * (only a different one halts it again). Recorded in the halt rows and in the log with who and when.
   */
  async resume(srcEid: number, operator: string, remote: string): Promise<ResumeResult> {
    if (!this.chains.sources().some((s) => s.eid === srcEid)) throw new NotFoundException(`no source chain with eid ${srcEid}`);
    const at = this.clock.now();
    const by = `${operator} (${remote})`;
    const rows = await this.halts.resume(srcEid, (row) => this.last.get(checkKey(row.srcEid, row.vault, row.asset))?.terms?.discrepancy ?? row.discrepancy, by, at);
    if (rows.length === 0) throw new ConflictException(`pathway ${srcEid} is not halted`);
    const resumed = await Promise.all(rows.map(async (r) => haltView((await this.halts.find(r.srcEid, r.vault, r.asset)) ?? r)));
    this.logger.warn(
      `solvency: pathway ${srcEid}/${rows[0]!.vault} resumed by ${by} at ${at.toISOString()}: ${JSON.stringify(resumed.map((h) => ({ asset: h.asset, haltedFor: h.discrepancy, acknowledged: h.acknowledged, haltedAt: h.haltedAt })))}`,
    );
    await this.refreshHaltGauges();
    return { srcEid, resumedAt: at.toISOString(), resumedBy: by, resumed };
  }

  private async checkSource(source: ChainConfig, at: Date): Promise<SolvencyCheck[]> {
    const assets = this.config.assets.filter((a) => a.eid === source.eid);
    // Config validation guarantees every source a vault and one destination.
    const vault = toBytes32(source.vault!);
    const base = (a: AssetConfig): Pick<SolvencyCheck, 'srcEid' | 'chain' | 'vault' | 'asset' | 'symbol' | 'checkedAt'> => ({
      srcEid: source.eid,
      chain: source.name,
      vault,
      asset: toBytes32(a.token),
      symbol: a.symbol,
      checkedAt: at.toISOString(),
    });
    if (assets.length === 0) return [];
    try {
      const destination = this.chains.destination();
      const cursors = [await this.cursors.get(source.eid, CursorKind.Final), await this.cursors.get(source.eid, CursorKind.Head)].filter((c): c is number => c !== undefined);
      if (cursors.length === 0) throw new Error(`the watcher has not scanned ${source.name} yet`);
      const adapter = this.chains.get(source.eid);
      // 1. The vault, at a height whose every event is stored (either cursor: each says all blocks up to it are).
      const vaultBlock = Math.min(await adapter.head(), Math.max(...cursors));
      const holdings = await Promise.all(assets.map((a) => adapter.vaultHoldings(a.token, vaultBlock)));
      // 2. Then the receiver, at its latest block (after the vault reads: what it applied includes what the vault had).
      const receiverChain = this.chains.get(destination.eid);
      const receiverBlock = await receiverChain.head();
      const books = await Promise.all(assets.map((a) => receiverChain.receiverBook(source.eid, vault, toBytes32(a.token), receiverBlock)));
      // 3. Then the store (after the receiver reads: anything the relayer posted is stored before it is posted).
      return await Promise.all(
        assets.map(async (a, i): Promise<SolvencyCheck> => {
          const h = holdings[i]!;
          const b = books[i]!;
          const rows = await this.messages.candidates({ srcEid: source.eid, vault, dstEid: destination.eid, asset: toBytes32(a.token), lastNonce: b.lastNonce, vaultBlock });
          const t = solvencyIdentity({ totalLocked: h.totalLocked, balance: h.balance, vaultBlock, credited: b.credited, frozen: b.frozen, lastNonce: b.lastNonce, receiverBlock }, rows);
          return { ...base(a), status: t.ok ? 'ok' : 'discrepancy', ok: t.ok, terms: termsView(t), balanceCovers: t.balanceCovers, confirmed: false, acknowledged: false, error: null };
        }),
      );
    } catch (error) {
      this.logger.warn(`solvency: ${source.name} not checked this round: ${describeError(error)}`);
      return assets.map((a) => ({ ...base(a), status: 'error', ok: false, terms: null, balanceCovers: null, confirmed: false, acknowledged: false, error: describeError(error) }));
    }
  }

  /** Confirmation (two consecutive rounds), logging, halting and gauges of one check. */
  private async judge(c: SolvencyCheck, at: Date): Promise<void> {
    const key = checkKey(c.srcEid, c.vault, c.asset);
    const labels = { chain: c.chain, eid: c.srcEid, asset: c.asset, symbol: c.symbol };
    if (c.terms === null) return;
    this.metrics.set('ccr_solvency_discrepancy', labels, Number(c.terms.discrepancy));
    this.metrics.set('ccr_solvency_ok', labels, c.ok ? 1 : 0);
    this.metrics.set('ccr_solvency_balance_covers', labels, c.balanceCovers === true ? 1 : 0);
    if (c.balanceCovers === false) this.logger.warn(`solvency: vault ${c.vault} on ${c.chain} holds ${c.terms.balance} of ${c.symbol}, below its totalLocked ${c.terms.totalLocked}`);
    if (c.ok) {
      this.logged.delete(key);
      return;
    }
    const previous = this.last.get(key);
    c.confirmed = previous?.terms?.discrepancy === c.terms.discrepancy;
    const detail = JSON.stringify({ srcEid: c.srcEid, chain: c.chain, vault: c.vault, asset: c.asset, symbol: c.symbol, ...c.terms, balanceCovers: c.balanceCovers, checkedAt: c.checkedAt });
    if (!c.confirmed) {
      this.logger.warn(`solvency: possible discrepancy on pathway ${c.srcEid}/${c.vault} asset ${c.symbol} (checked again next round): ${detail}`);
      return;
    }
    const row = await this.halts.find(c.srcEid, c.vault, c.asset);
    c.acknowledged = row?.state === HaltState.Resumed && row.acknowledged === c.terms.discrepancy;
    if (this.logged.get(key) !== c.terms.discrepancy) {
      this.logged.set(key, c.terms.discrepancy);
      this.logger.error(`solvency: discrepancy on pathway ${c.srcEid}/${c.vault} asset ${c.symbol}: ${detail}`);
    }
    if (!this.config.solvency.haltOnDiscrepancy || c.acknowledged || row?.state === HaltState.Halted) return;
    await this.halts.halt({ srcEid: c.srcEid, vault: c.vault, asset: c.asset, discrepancy: c.terms.discrepancy, terms: detail, haltedAt: at });
    this.logger.error(`solvency: pathway ${c.srcEid}/${c.vault} HALTED (asset ${c.symbol}, discrepancy ${c.terms.discrepancy}): its credits are not posted until POST /admin/pathways/${c.srcEid}/resume`);
  }

  private async refreshHaltGauges(): Promise<void> {
    const halted = await this.halts.haltedPathways();
    for (const s of this.chains.sources()) this.metrics.set('ccr_pathway_halted', { chain: s.name, eid: s.eid }, halted.has(pathwayKey(s.eid, toBytes32(s.vault!))) ? 1 : 0);
  }
}
