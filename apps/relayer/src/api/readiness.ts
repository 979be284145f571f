/**
 * What makes the relayer not ready (GET /readyz and /health answer 503), from what /health already gathered. Pure.
 * Each problem names its subject, so a probe's log says why: a chain whose every RPC endpoint fails, a halted pathway,
 * a stale price feed (older than its heartbeat), a poster account below its minimum balance.
 */
export type ReadinessProblem =
  | { kind: 'chain-unreachable'; chain: string; eid: number; detail: string }
  | { kind: 'pathway-halted'; srcEid: number; detail: string }
  | { kind: 'feed-stale'; symbol: string; eid: number; detail: string }
  | { kind: 'feed-unreadable'; symbol: string; eid: number; detail: string }
  | { kind: 'poster-balance-low'; chain: string; eid: number; detail: string };

/** A feed as /health shows it: its age against its heartbeat (by the later of the wall clock and its chain's block time). */
export type FeedFreshness = {
  symbol: string;
  /** The source chain of the asset it prices. */
  eid: number;
  feedEid: number;
  address: string;
  heartbeatSeconds: number;
  updatedAt: number | null;
  ageSeconds: number | null;
  fresh: boolean;
  error: string | null;
};

/** A poster account's native balance against its minimum. */
export type PosterBalance = { chain: string; eid: number; address: string; balance: string | null; minimum: string; low: boolean; error: string | null };

export type ReadinessInputs = {
  chains: readonly { name: string; eid: number; error: string | null }[];
  halted: readonly { srcEid: number; asset?: string }[];
  feeds: readonly FeedFreshness[];
  posters: readonly PosterBalance[];
};

export function readinessProblems(i: ReadinessInputs): ReadinessProblem[] {
  const problems: ReadinessProblem[] = [];
  for (const c of i.chains) if (c.error !== null) problems.push({ kind: 'chain-unreachable', chain: c.name, eid: c.eid, detail: c.error });
  for (const srcEid of new Set(i.halted.map((h) => h.srcEid))) problems.push({ kind: 'pathway-halted', srcEid, detail: `the pathway of eid ${srcEid} is halted (GET /solvency)` });
  for (const f of i.feeds) {
    if (f.error !== null) problems.push({ kind: 'feed-unreadable', symbol: f.symbol, eid: f.eid, detail: f.error });
    else if (!f.fresh) problems.push({ kind: 'feed-stale', symbol: f.symbol, eid: f.eid, detail: `${f.symbol} feed ${f.address} on eid ${f.feedEid} is ${f.ageSeconds}s old (heartbeat ${f.heartbeatSeconds}s)` });
  }
  for (const p of i.posters) if (p.low || p.error !== null) problems.push({ kind: 'poster-balance-low', chain: p.chain, eid: p.eid, detail: p.error ?? `poster ${p.address} holds ${p.balance}, below the minimum ${p.minimum}` });
  return problems;
}
