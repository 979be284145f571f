import { type BookAsset, InvalidInputError, stressLiveBook } from '@ccr/risk';
import type { BookBlock, ReceiverAssetState, ReceiverPosition } from './book-chain';
import { InvalidStressInputError } from './stress-errors';
import type { NamedScenario } from './stress-inputs';

/** The receiver's state at one block: every registered asset (with the name scenarios use) and the accounts' positions. */
export type BookSnapshot = {
  block: BookBlock;
  assets: (ReceiverAssetState & { symbol: string })[];
  accounts: { account: string; positions: ReceiverPosition[] }[];
};

/** An asset's mark at the snapshot and under the scenario. Amounts are decimal strings (USD and fractions: 18 decimals). */
export type StressMarkView = {
  srcEid: number;
  asset: string;
  symbol: string;
  decimals: number;
  price: string;
  haircut: string;
  /** Unix seconds of the mark's price (0: no mark yet). */
  timestamp: number;
  nonce: string;
  /** Block time − mark time; null without a mark. */
  ageSeconds: number | null;
  heartbeatSeconds: number;
  /** The receiver's own `stale` at the snapshot block. */
  stale: boolean;
  priceAfter: string;
  /** oracle-failure `refused`: the asset's positions count 0 and their accounts are stale after. */
  refused: boolean;
  changed: boolean;
};

export type StressPositionView = { srcEid: number; asset: string; symbol: string; rawAmount: string; frozen: string; valueBefore: string; valueAfter: string };

export type StressAccountView = {
  account: string;
  /** Σ per-position floors at the current marks: the receiver's collateralValue(account) at the snapshot block. */
  valueBefore: string;
  valueAfter: string;
  /** valueAfter − valueBefore (negative: a loss). */
  delta: string;
  /** Σ of the receiver's own per-position values in the same read (equal to valueBefore unless the model disagrees). */
  onChainValue: string;
  staleBefore: boolean;
  staleAfter: boolean;
  /** The venue's maintenance requirement, or null (then the next three are null too). */
  maintenance: string | null;
  belowMaintenanceBefore: boolean | null;
  belowMaintenance: boolean | null;
  /** max(0, maintenance − valueAfter). */
  shortfall: string | null;
  positions: StressPositionView[];
};

export type StressReport = {
  scenario: { name: string; kind: string; definition: unknown };
  /** The derivatives-chain block every read was made at. */
  block: { number: number; timestamp: number };
  marks: StressMarkView[];
  accounts: StressAccountView[];
  /** The accounts below maintenance after the scenario, largest shortfall first. */
  belowMaintenance: { account: string; maintenance: string; valueAfter: string; shortfall: string; newly: boolean }[];
  totals: {
    accounts: number;
    valueBefore: string;
    valueAfter: string;
    delta: string;
    staleAfter: number;
    withRequirement: number;
    belowMaintenance: number;
    newlyBelowMaintenance: number;
    shortfall: string;
    /** Accounts whose valueBefore differs from the receiver's own values (must stay 0). */
    onChainMismatches: number;
  };
};

/** `40101:0x…`: an asset's id in the live book (a scenario may name it instead of its symbol). */
export function assetId(srcEid: number, asset: string): string {
  return `${srcEid}:${asset.toLowerCase()}`;
}

/**
 * Runs the scenario over the snapshot (@ccr/risk stressLiveBook) with the requirements given (lowercase bytes32 →
 * USD 18 decimals) and maps the result to the report. A scenario naming an asset the book does not have is an
 * InvalidStressInputError (`scenario.asset`).
 */
export function stressReport(snapshot: BookSnapshot, named: NamedScenario, requirements: ReadonlyMap<string, bigint>): StressReport {
  const assets: BookAsset[] = snapshot.assets.map((a) => ({
    id: assetId(a.srcEid, a.asset),
    symbol: a.symbol,
    decimals: a.decimals,
    mark: { price: a.mark.price, haircut: a.mark.haircut, timestamp: a.mark.timestamp, stale: a.stale },
    tiers: a.tiers,
  }));
  let result;
  try {
    result = stressLiveBook({
      assets,
      accounts: snapshot.accounts.map((a) => ({
        id: a.account,
        positions: a.positions.map((p) => ({ asset: assetId(p.srcEid, p.asset), rawAmount: p.rawAmount })),
        maintenance: requirements.get(a.account),
      })),
      scenario: named.scenario,
    });
  } catch (error) {
    if (error instanceof InvalidInputError) throw new InvalidStressInputError(error.field ?? 'scenario', error.shortMessage, error);
    throw error;
  }
  const byId = new Map(snapshot.assets.map((a) => [assetId(a.srcEid, a.asset), a]));
  const after = new Map(result.assets.map((a) => [a.id, a]));
  let mismatches = 0;
  const accounts = result.accounts.map((r, i): StressAccountView => {
    const read = snapshot.accounts[i]!; // stressLiveBook keeps the order
    const onChain = read.positions.reduce((sum, p) => sum + p.value, 0n);
    if (onChain !== r.valueBefore) mismatches++;
    return {
      account: r.id,
      valueBefore: r.valueBefore.toString(),
      valueAfter: r.valueAfter.toString(),
      delta: r.delta.toString(),
      onChainValue: onChain.toString(),
      staleBefore: r.staleBefore,
      staleAfter: r.staleAfter,
      maintenance: r.maintenance?.toString() ?? null,
      belowMaintenanceBefore: r.belowMaintenanceBefore,
      belowMaintenance: r.belowMaintenance,
      shortfall: r.shortfall?.toString() ?? null,
      positions: r.positions.map((p, j) => {
        const a = byId.get(p.asset)!; // every position's asset is in the book (stressLiveBook checked)
        return { srcEid: a.srcEid, asset: a.asset, symbol: a.symbol, rawAmount: p.rawAmount.toString(), frozen: read.positions[j]!.frozen.toString(), valueBefore: p.valueBefore.toString(), valueAfter: p.valueAfter.toString() };
      }),
    };
  });
  const below = result.accounts
    .filter((r) => r.belowMaintenance === true)
    .sort((x, y) => (x.shortfall! > y.shortfall! ? -1 : x.shortfall! < y.shortfall! ? 1 : x.id < y.id ? -1 : 1)) // below ⇒ a requirement ⇒ a shortfall
    .map((r) => ({ account: r.id, maintenance: r.maintenance!.toString(), valueAfter: r.valueAfter.toString(), shortfall: r.shortfall!.toString(), newly: r.belowMaintenanceBefore === false }));
  const t = result.totals;
  return {
    scenario: { name: result.scenario, kind: result.kind, definition: named.definition },
    block: { number: snapshot.block.number, timestamp: Number(snapshot.block.timestamp) },
    marks: snapshot.assets.map((a) => {
      const s = after.get(assetId(a.srcEid, a.asset))!; // one result per asset
      return {
        srcEid: a.srcEid,
        asset: a.asset,
        symbol: a.symbol,
        decimals: a.decimals,
        price: a.mark.price.toString(),
        haircut: a.mark.haircut.toString(),
        timestamp: Number(a.mark.timestamp),
        nonce: a.mark.nonce.toString(),
        ageSeconds: a.mark.timestamp === 0n ? null : Number(snapshot.block.timestamp - a.mark.timestamp),
        heartbeatSeconds: Number(a.heartbeat),
        stale: a.stale,
        priceAfter: s.priceAfter.toString(),
        refused: s.refused,
        changed: s.changed,
      };
    }),
    accounts,
    belowMaintenance: below,
    totals: {
      accounts: t.accounts,
      valueBefore: t.valueBefore.toString(),
      valueAfter: t.valueAfter.toString(),
      delta: t.delta.toString(),
      staleAfter: t.staleAfter,
      withRequirement: t.withRequirement,
      belowMaintenance: t.belowMaintenance,
      newlyBelowMaintenance: t.newlyBelowMaintenance,
      shortfall: t.shortfall.toString(),
      onChainMismatches: mismatches,
    },
  };
}
