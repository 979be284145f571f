import { Injectable } from '@nestjs/common';
import { Database } from '../store/database';
import { HaltCause, HaltState, PathwayHalt } from './pathway-halt.entity';

/** `srcEid:vault` — how the poster asks whether a pathway is halted. */
export function pathwayKey(srcEid: number, vault: string): string {
  return `${srcEid}:${vault.toLowerCase()}`;
}

export type NewHalt = Pick<PathwayHalt, 'srcEid' | 'vault' | 'asset' | 'discrepancy' | 'terms' | 'haltedAt'> & {
  /** Default 'solvency'. */
  cause?: HaltCause;
  /** JSON (finality violations: the array of what was seen). */
  evidence?: string | null;
};

/** Evidence entries kept per halt row (the halting one first). */
export const MAX_EVIDENCE = 20;

/** Halted pathways (table `pathway_halt`): written by the solvency job, the watcher's finality guard and the operator's resume, read by the poster. */
@Injectable()
export class PathwayHaltRepository {
  constructor(private readonly db: Database) {}

  /** Every row, halted and resumed, by pathway and asset. */
  all(): Promise<PathwayHalt[]> {
    return this.db.reader.find(PathwayHalt, { order: { srcEid: 'ASC', vault: 'ASC', asset: 'ASC' } });
  }

  /** The rows that halt their pathway now. */
  halted(): Promise<PathwayHalt[]> {
    return this.db.reader.find(PathwayHalt, { where: { state: HaltState.Halted }, order: { srcEid: 'ASC', vault: 'ASC', asset: 'ASC' } });
  }

  /** The halted pathways as `pathwayKey`s (one query: the poster asks once per round). */
  async haltedPathways(): Promise<ReadonlySet<string>> {
    return new Set((await this.halted()).map((h) => pathwayKey(h.srcEid, h.vault)));
  }

  find(srcEid: number, vault: string, asset: string): Promise<PathwayHalt | null> {
    return this.db.reader.findOne(PathwayHalt, { where: { srcEid, vault, asset } });
  }

  /** Halts the pathway for `asset` (a resumed row of the same asset becomes halted again, with the new discrepancy). */
  async halt(h: NewHalt): Promise<void> {
    const row = { ...h, cause: h.cause ?? HaltCause.Solvency, evidence: h.evidence ?? null, state: HaltState.Halted, acknowledged: null, resumedAt: null, resumedBy: null };
    await this.db.write((em) => em.upsert(PathwayHalt, row, ['srcEid', 'vault', 'asset']));
  }

  /**
   * A halted row learns more: `entry` appended to its evidence (JSON array, at most MAX_EVIDENCE entries) and, when
   * given, its discrepancy replaced (a finality halt's latest nonce offset: what a resume accepts). Nothing when the
   * row is not halted (any more). Returns whether it was written.
   */
  addEvidence(key: Pick<PathwayHalt, 'srcEid' | 'vault' | 'asset'>, entry: unknown, discrepancy?: string): Promise<boolean> {
    return this.db.write(async (em) => {
      const row = await em.findOne(PathwayHalt, { where: { ...key, state: HaltState.Halted } });
      if (row === null) return false;
      const list = row.evidence === null ? [] : (JSON.parse(row.evidence) as unknown[]); // written by halt()/addEvidence as a JSON array
      const text = JSON.stringify(entry);
      if (list.length < MAX_EVIDENCE && !list.some((e) => JSON.stringify(e) === text)) list.push(entry);
      await em.update(PathwayHalt, key, { evidence: JSON.stringify(list), ...(discrepancy === undefined ? {} : { discrepancy }) });
      return true;
    });
  }

  /** A halted row's discrepancy replaced (a finality halt whose nonce offset changed); nothing when it is not halted. */
  async setDiscrepancyIfHalted(key: Pick<PathwayHalt, 'srcEid' | 'vault' | 'asset'>, discrepancy: string): Promise<void> {
    await this.db.write((em) => em.update(PathwayHalt, { ...key, state: HaltState.Halted }, { discrepancy }));
  }

  /**
   * Resumes every halted row of `srcEid`, each accepting `acknowledged(asset)` (the last round's discrepancy of its
   * asset). Returns the rows as they were before (empty: nothing was halted). One transaction.
   */
  resume(srcEid: number, acknowledged: (row: PathwayHalt) => string, by: string, at: Date): Promise<PathwayHalt[]> {
    return this.db.write(async (em) => {
      const rows = await em.find(PathwayHalt, { where: { srcEid, state: HaltState.Halted } });
      for (const row of rows)
        await em.update(PathwayHalt, { srcEid: row.srcEid, vault: row.vault, asset: row.asset }, { state: HaltState.Resumed, acknowledged: acknowledged(row), resumedAt: at, resumedBy: by });
      return rows;
    });
  }
}
