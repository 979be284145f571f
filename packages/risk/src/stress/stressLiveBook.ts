import { InvalidInputError } from '../errors';
import { join } from '../fieldPath';
import { validateDecimals } from '../money/asset';
import { type Fixed, formatDecimal, max, mulDiv, ONE } from '../money/fixed';
import type { Usd } from '../money/usd';
import type { SizeTier } from '../valuation/config';
import { markValue } from '../valuation/markValue';
import { scenarioName, type StressScenario } from './scenario';

/** An asset's current mark on the receiver. */
export type BookMark = {
  /** USD per whole token, 18 decimals (0: no mark yet). */
  readonly price: Fixed;
  /** 18 decimals, in [0, 1]. */
  readonly haircut: Fixed;
  /** Unix seconds of the price (0: no mark yet). */
  readonly timestamp: bigint;
  /** Missing or older than the asset's heartbeat, as the receiver reports it. */
  readonly stale: boolean;
};

/** One asset of the live book: a (source chain, token) the receiver registered, with its mark and size tiers. */
export type BookAsset = {
  /** Unique key in the book, e.g. `40101:0x…` (source eid and bytes32 token). Scenarios may name it. */
  readonly id: string;
  /** The name scenarios use; several assets may share it (USDC from two chains: a de-peg hits both). */
  readonly symbol: string;
  readonly decimals: number;
  readonly mark: BookMark;
  /** Marginal size tiers on the gross USD value; undefined or empty: weight 1 throughout. */
  readonly tiers?: readonly SizeTier[] | undefined;
};

/** A credited raw amount (token base units) of one book asset (`asset` = its id). */
export type BookPosition = { readonly asset: string; readonly rawAmount: bigint };

export type BookAccount = {
  readonly id: string;
  readonly positions: readonly BookPosition[];
  /** The venue's maintenance requirement, USD 18 decimals; undefined: none supplied. */
  readonly maintenance?: Usd | undefined;
};

export type StressLiveBookParameters = {
  readonly assets: readonly BookAsset[];
  readonly accounts: readonly BookAccount[];
  readonly scenario: StressScenario;
  /** Path of the scenario in error fields (default `scenario`). */
  readonly scenarioField?: string | undefined;
};

export type LiveAssetStress = {
  readonly id: string;
  readonly symbol: string;
  readonly priceBefore: Fixed;
  /** The valuation price under the scenario (a refused asset keeps its price here but counts 0). */
  readonly priceAfter: Fixed;
  /** An oracle failure in `refused` mode hit it: its positions count 0 and their accounts are stale after. */
  readonly refused: boolean;
  /** The scenario touched it (price moved, or refused). */
  readonly changed: boolean;
};

export type LivePositionStress = { readonly asset: string; readonly rawAmount: bigint; readonly valueBefore: Usd; readonly valueAfter: Usd };

export type LiveAccountStress = {
  readonly id: string;
  /** Σ per-position values at the current marks: equals the receiver's collateralValue to the unit. */
  readonly valueBefore: Usd;
  readonly valueAfter: Usd;
  /** valueAfter − valueBefore (negative: a loss). */
  readonly delta: Usd;
  /** The mark of a position with a credited amount is stale now (the receiver's `stale` of collateralValue). */
  readonly staleBefore: boolean;
  /** Stale now, or it holds an asset whose price the scenario refuses. */
  readonly staleAfter: boolean;
  readonly positions: readonly LivePositionStress[];
  /** The requirement supplied, or null; the three fields below are null without one. */
  readonly maintenance: Usd | null;
  /** valueBefore < maintenance. */
  readonly belowMaintenanceBefore: boolean | null;
  /** valueAfter < maintenance. */
  readonly belowMaintenance: boolean | null;
  /** max(0, maintenance − valueAfter). */
  readonly shortfall: Usd | null;
};

export type LiveBookTotals = {
  readonly accounts: number;
  readonly valueBefore: Usd;
  readonly valueAfter: Usd;
  readonly delta: Usd;
  readonly staleAfter: number;
  /** Accounts with a requirement supplied. */
  readonly withRequirement: number;
  readonly belowMaintenance: number;
  /** Below maintenance after, not before. */
  readonly newlyBelowMaintenance: number;
  readonly shortfall: Usd;
};

export type StressLiveBookReturnType = {
  readonly scenario: string;
  readonly kind: StressScenario['kind'];
  readonly assets: readonly LiveAssetStress[];
  readonly accounts: readonly LiveAccountStress[];
  readonly totals: LiveBookTotals;
};

/**
 * A stress scenario over the credited book at the receiver's current marks. Per position, the value before is the
 * receiver's own formula (markValue: floor(tiers(floor(raw · price / 10^decimals)) · (1 − haircut))) and an account's
 * value is the sum of its positions' floors — so `valueBefore` equals `collateralValue(account)` on chain to the last
 * unit; the value after is the same formula at the scenario's prices (haircuts and tiers unchanged; a refused asset
 * counts 0). With a maintenance requirement (USD 18 decimals, exact) an account is below maintenance when its value is
 * strictly less, and its shortfall is max(0, requirement − value).
 *
 * Scenarios (packages/risk readScenario's JSON) name assets by symbol — every asset of that symbol is hit — or by id.
 * Prices under a scenario round down: a de-peg sets the price; `oracle-failure` `zero` sets 0, `last-good` sets
 * floor(last · (1 − penalty)), `refused` keeps the price but refuses it; `spot-shock` sets floor(price · (1 + shock)),
 * a follower's shock being floor(driver's shock · dampening) (towards −∞); `combined` applies its steps in order.
 * Bad input throws InvalidInputError naming the field (`scenario.shocks[0].shock`, `accounts[2].positions[0].asset`).
 */
export function stressLiveBook(parameters: StressLiveBookParameters): StressLiveBookReturnType {
  const { assets, accounts, scenario } = parameters;
  const byId = validateAssets(assets);
  const after = scenarioMarks(assets, scenario, parameters.scenarioField ?? 'scenario');
  const results = accounts.map((account, i) => stressAccount(account, `accounts[${i}]`, byId, after));
  return {
    scenario: scenarioName(scenario),
    kind: scenario.kind,
    assets: assets.map((a) => {
      const s = after.get(a.id)!; // scenarioMarks has every asset
      return { id: a.id, symbol: a.symbol, priceBefore: a.mark.price, priceAfter: s.price, refused: s.refused, changed: s.refused || s.price !== a.mark.price };
    }),
    accounts: results,
    totals: totalsOf(results),
  };
}

/** An asset's price under a scenario, and whether the scenario refuses it. */
type MarkAfter = { price: Fixed; refused: boolean };

function stressAccount(account: BookAccount, field: string, assets: ReadonlyMap<string, BookAsset>, after: ReadonlyMap<string, MarkAfter>): LiveAccountStress {
  if (account.maintenance !== undefined && account.maintenance < 0n)
    throw new InvalidInputError('maintenance must not be negative', { field: join(field, 'maintenance'), details: { maintenance: formatDecimal(account.maintenance) } });
  let valueBefore = 0n;
  let valueAfter = 0n;
  let staleBefore = false;
  let staleAfter = false;
  const positions = account.positions.map((p, j): LivePositionStress => {
    const f = join(join(field, 'positions'), j);
    const asset = assets.get(p.asset);
    if (asset === undefined) throw new InvalidInputError(`no asset ${p.asset} in the book`, { field: join(f, 'asset') });
    if (p.rawAmount < 0n) throw new InvalidInputError('rawAmount must not be negative', { field: join(f, 'rawAmount'), details: { rawAmount: p.rawAmount } });
    const s = after.get(asset.id)!; // scenarioMarks has every asset
    const before = markValue(p.rawAmount, { decimals: asset.decimals, price: asset.mark.price, haircut: asset.mark.haircut, tiers: asset.tiers });
    const value = s.refused ? 0n : markValue(p.rawAmount, { decimals: asset.decimals, price: s.price, haircut: asset.mark.haircut, tiers: asset.tiers });
    valueBefore += before;
    valueAfter += value;
    // As the receiver's collateralValue: only positions with a credited amount make an account stale.
    if (p.rawAmount > 0n && asset.mark.stale) staleBefore = true;
    if (p.rawAmount > 0n && (asset.mark.stale || s.refused)) staleAfter = true;
    return { asset: asset.id, rawAmount: p.rawAmount, valueBefore: before, valueAfter: value };
  });
  const m = account.maintenance;
  return {
    id: account.id,
    valueBefore,
    valueAfter,
    delta: valueAfter - valueBefore,
    staleBefore,
    staleAfter,
    positions,
    maintenance: m ?? null,
    belowMaintenanceBefore: m === undefined ? null : valueBefore < m,
    belowMaintenance: m === undefined ? null : valueAfter < m,
    shortfall: m === undefined ? null : max(0n, m - valueAfter),
  };
}

function totalsOf(results: readonly LiveAccountStress[]): LiveBookTotals {
  const t = { accounts: results.length, valueBefore: 0n, valueAfter: 0n, delta: 0n, staleAfter: 0, withRequirement: 0, belowMaintenance: 0, newlyBelowMaintenance: 0, shortfall: 0n };
  for (const r of results) {
    t.valueBefore += r.valueBefore;
    t.valueAfter += r.valueAfter;
    t.delta += r.delta;
    if (r.staleAfter) t.staleAfter++;
    if (r.maintenance === null) continue;
    t.withRequirement++;
    t.shortfall += r.shortfall ?? 0n;
    if (r.belowMaintenance === true) t.belowMaintenance++;
    if (r.belowMaintenance === true && r.belowMaintenanceBefore === false) t.newlyBelowMaintenance++;
  }
  return t;
}

function validateAssets(assets: readonly BookAsset[]): Map<string, BookAsset> {
  const byId = new Map<string, BookAsset>();
  assets.forEach((a, i) => {
    const f = `assets[${i}]`;
    if (a.id.length === 0) throw new InvalidInputError('id must not be empty', { field: join(f, 'id') });
    if (byId.has(a.id)) throw new InvalidInputError(`asset ${a.id} listed twice`, { field: join(f, 'id') });
    validateDecimals(a.decimals, join(f, 'decimals'));
    if (a.mark.price < 0n) throw new InvalidInputError('price must not be negative', { field: join(f, 'mark.price') });
    if (a.mark.haircut < 0n || a.mark.haircut > ONE) throw new InvalidInputError('must be in [0, 1]', { field: join(f, 'mark.haircut') });
    validateTiers(a.tiers ?? [], join(f, 'tiers'));
    byId.set(a.id, a);
  });
  return byId;
}

/** As the receiver's setSizeTiers: bounds positive and strictly ascending, only the last open, weights in [0, 1] non-increasing. */
function validateTiers(tiers: readonly SizeTier[], field: string): void {
  let bound = 0n;
  let weight = ONE;
  tiers.forEach((t, i) => {
    const f = join(field, i);
    if (t.weight < 0n || t.weight > weight) throw new InvalidInputError('weights must be in [0, 1] and must not increase', { field: join(f, 'weight') });
    if (t.upTo === null) {
      if (i !== tiers.length - 1) throw new InvalidInputError('only the last tier may be open (upTo null)', { field: join(f, 'upTo') });
    } else if (t.upTo <= bound) throw new InvalidInputError('bounds must be positive and strictly ascending', { field: join(f, 'upTo') });
    else bound = t.upTo;
    weight = t.weight;
  });
}

/** Every asset's price (and refusal) under the scenario. */
function scenarioMarks(assets: readonly BookAsset[], scenario: StressScenario, field: string): Map<string, MarkAfter> {
  const out = new Map<string, MarkAfter>(assets.map((a) => [a.id, { price: a.mark.price, refused: false }]));
  /** The assets a scenario's name stands for: by symbol, else by id (any case). */
  const resolve = (name: string, f: string): string[] => {
    const ids = assets.filter((a) => a.symbol === name || a.id.toLowerCase() === name.toLowerCase()).map((a) => a.id);
    if (ids.length === 0) throw new InvalidInputError(`no asset ${name} in the book`, { field: f, details: { asset: name, known: [...new Set(assets.map((a) => a.symbol))] } });
    return ids;
  };
  const setPrice = (id: string, price: Fixed): void => {
    out.set(id, { price, refused: out.get(id)!.refused }); // out has every asset
  };
  const apply = (s: StressScenario, f: string): void => {
    switch (s.kind) {
      case 'stablecoin-depeg':
        if (s.price < 0n) throw new InvalidInputError('price must not be negative', { field: join(f, 'price') });
        for (const id of resolve(s.asset, join(f, 'asset'))) setPrice(id, s.price);
        return;
      case 'oracle-failure': {
        const ids = resolve(s.asset, join(f, 'asset'));
        if (s.mode === 'zero') for (const id of ids) setPrice(id, 0n);
        else if (s.mode === 'refused') for (const id of ids) out.set(id, { price: out.get(id)!.price, refused: true });
        else {
          if (s.penalty < 0n || s.penalty > ONE) throw new InvalidInputError('penalty must be in [0, 1]', { field: join(f, 'penalty') });
          if (s.lastGoodPrice !== undefined && s.lastGoodPrice < 0n) throw new InvalidInputError('price must not be negative', { field: join(f, 'lastGoodPrice') });
          for (const id of ids) setPrice(id, mulDiv(s.lastGoodPrice ?? out.get(id)!.price, ONE - s.penalty, ONE, 'down'));
        }
        return;
      }
      case 'spot-shock': {
        const shockOf = new Map<string, Fixed>();
        s.shocks.forEach((x, i) => {
          const sf = join(join(f, 'shocks'), i);
          if (x.shock < -ONE) throw new InvalidInputError('a shock below −1 would make the price negative', { field: join(sf, 'shock') });
          for (const id of resolve(x.asset, join(sf, 'asset'))) shockOf.set(id, x.shock);
        });
        const moves = new Map(shockOf);
        (s.followers ?? []).forEach((x, i) => {
          const ff = join(join(f, 'followers'), i);
          if (x.dampening < 0n || x.dampening > ONE) throw new InvalidInputError('dampening must be in [0, 1]', { field: join(ff, 'dampening') });
          const driver = resolve(x.driver, join(ff, 'driver')).find((id) => shockOf.has(id));
          if (driver === undefined) throw new InvalidInputError(`driver ${x.driver} has no shock`, { field: join(ff, 'driver') });
          const shock = mulDiv(shockOf.get(driver)!, x.dampening, ONE, 'down'); // towards −∞: a fall gets no smaller
          for (const id of resolve(x.asset, join(ff, 'asset'))) {
            if (shockOf.has(id)) throw new InvalidInputError(`${x.asset} is shocked directly`, { field: join(ff, 'asset') });
            moves.set(id, shock);
          }
        });
        for (const [id, shock] of moves) setPrice(id, mulDiv(out.get(id)!.price, ONE + shock, ONE, 'down'));
        return;
      }
      case 'combined':
        s.steps.forEach((step, i) => apply(step, join(join(f, 'steps'), i)));
        return;
    }
  };
  apply(scenario, field);
  return out;
}
