import { Injectable } from '@nestjs/common';

/** Where the watcher of one source chain stands after its last round. */
export type ChainProgressEntry = {
  eid: number;
  /** Latest block the chain reported. */
  head: number;
  /** Finality bound (finalized tag, or head − confirmations). */
  finalized: number;
  /** Every block up to here scanned at finality. */
  finalCursor: number;
  /** Every block up to here scanned at head (OBSERVED deposits). */
  headCursor: number;
  at: Date;
};

/** In-memory progress per source chain, written by the watcher each round, read by the API and /metrics. */
@Injectable()
export class ChainProgress {
  private readonly entries = new Map<number, ChainProgressEntry>();

  set(entry: ChainProgressEntry): void {
    this.entries.set(entry.eid, entry);
  }

  get(eid: number): ChainProgressEntry | undefined {
    return this.entries.get(eid);
  }

  all(): ChainProgressEntry[] {
    return [...this.entries.values()];
  }
}
