import { Injectable, Logger } from '@nestjs/common';
import { ChainRegistry } from '../chains/chain-registry';
import { toBytes32 } from '../chains/address-bytes32';
import { Clock } from '../common/clock';
import type { ChainConfig } from '../config/config.schema';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { HaltCause, HaltState } from '../solvency/pathway-halt.entity';
import { PathwayHaltRepository } from '../solvency/pathway-halt.repository';
import { type FinalityViolation, nonceOffset, violationKey } from './finality-violation';

/** `asset` of a finality halt of the vault → receiver direction (a source chain broke finality). */
export const SOURCE_FINALITY_ASSET = `0x${'00'.repeat(32)}`;

/** One halt row a violation writes: the pathway (vault chain eid, vault) and the direction (`asset`, see pathway-halt.entity.ts). */
type HaltKey = { srcEid: number; vault: string; asset: string };

/**
 * Acts on a finality violation (finality-violation.ts): once per violation (by violationKey) an error log with the
 * evidence and `ccr_finality_violations_total{chain}` + 1; the pathway(s) it concerns are halted with cause
 * `finality-violation` (table pathway_halt: persistent, only an operator resume clears it; the posters skip halted
 * pathways both ways). Which pathways: a source chain's violation halts its vault's pathway; the derivatives chain's
 * halts the pathway of the vault the message or nonce is for, and a changed block hash there halts every pathway.
 * A halted row collects later violations as evidence; an outbound-nonce offset an operator accepted on resume (the
 * row's `acknowledged`) does not halt again — any other violation does.
 */
@Injectable()
export class FinalityGuard {
  private readonly logger = new Logger('FinalityGuard');
  /** Violations reported by this process (block-hash, log-*), by violationKey. */
  private readonly reported = new Set<string>();
  /** The last outbound-nonce offset reported per path (`eid:dstEid:to`); a path that agrees again is back to "0". */
  private readonly offsets = new Map<string, string>();

  constructor(
    private readonly halts: PathwayHaltRepository,
    private readonly chains: ChainRegistry,
    private readonly metrics: MetricsRegistry,
    private readonly clock: Clock,
  ) {}

  /** A source chain's name for metric labels (the pathway's srcEid is a configured source). */
  private nameOf(eid: number): string {
    return this.chains.sources().find((c) => c.eid === eid)?.name ?? String(eid);
  }

  /** Reports (once) and halts. Returns true when it was news (not reported before by this process). */
  async report(chain: ChainConfig, v: FinalityViolation): Promise<boolean> {
    const targets = this.haltKeys(chain, v);
    if (v.kind === 'outbound-nonce') {
      const path = `${v.eid}:${v.dstEid}:${v.to}`;
      const offset = nonceOffset(v);
      if (this.offsets.get(path) === offset) return false;
      this.offsets.set(path, offset);
      // An accepted offset (resumed with it acknowledged) is not news: nothing logged, nothing halted.
      if (await this.acknowledged(targets, offset)) return false;
    } else {
      const key = violationKey(v);
      if (this.reported.has(key)) return false;
      this.reported.add(key);
    }
    this.metrics.inc('ccr_finality_violations_total', { chain: chain.name });
    this.logger.error(`finality violation on ${chain.name} (${v.kind}) at block ${v.block}: ${JSON.stringify(v)}`);
    const at = this.clock.now();
    for (const t of targets) {
      const row = await this.halts.find(t.srcEid, t.vault, t.asset);
      if (row?.state === HaltState.Halted) {
        await this.halts.addEvidence(t, v, v.kind === 'outbound-nonce' ? nonceOffset(v) : undefined);
        continue;
      }
      await this.halts.halt({ ...t, cause: HaltCause.FinalityViolation, discrepancy: nonceOffset(v), terms: 'null', evidence: JSON.stringify([v]), haltedAt: at });
      this.metrics.set('ccr_pathway_halted', { chain: this.nameOf(t.srcEid), eid: t.srcEid }, 1);
      this.logger.error(`finality violation: pathway ${t.srcEid}/${t.vault} HALTED (${v.kind} on ${chain.name}): nothing moves on it until POST /admin/pathways/${t.srcEid}/resume`);
    }
    return true;
  }

  /**
   * A path's outbound nonce agrees with the store again (at a later final cursor): a halt that recorded an offset for
   * it now says "0" (what a resume would accept).
   */
  async nonceAgrees(chain: ChainConfig, path: { dstEid: number; to: string }): Promise<void> {
    const key = `${chain.eid}:${path.dstEid}:${path.to}`;
    const last = this.offsets.get(key);
    this.offsets.set(key, '0');
    if (last === undefined || last === '0') return;
    for (const t of this.haltKeys(chain, { kind: 'outbound-nonce', chain: chain.name, eid: chain.eid, block: 0, dstEid: path.dstEid, to: path.to, expected: '0', seen: '0' }))
      await this.halts.setDiscrepancyIfHalted(t, '0');
  }

  private async acknowledged(targets: readonly HaltKey[], offset: string): Promise<boolean> {
    if (targets.length === 0) return false;
    for (const t of targets) {
      const row = await this.halts.find(t.srcEid, t.vault, t.asset);
      if (row?.state !== HaltState.Resumed || row.acknowledged !== offset) return false;
    }
    return true;
  }

  private haltKeys(chain: ChainConfig, v: FinalityViolation): HaltKey[] {
    // Config validation guarantees every source a vault and the destination a receiver.
    if (chain.role === 'source') return [{ srcEid: chain.eid, vault: toBytes32(chain.vault!), asset: SOURCE_FINALITY_ASSET }];
    const asset = toBytes32(chain.receiver!);
    const vaults = this.chains.sources().map((s) => ({ srcEid: s.eid, vault: toBytes32(s.vault!), asset }));
    switch (v.kind) {
      case 'block-hash':
        return vaults;
      case 'outbound-nonce':
        return vaults.filter((k) => k.srcEid === v.dstEid && k.vault === v.to);
      case 'log-changed':
      case 'log-missing':
        return vaults.filter((k) => k.srcEid === v.dstEid && k.vault === v.receiver);
    }
  }
}
