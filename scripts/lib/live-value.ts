/**
 * The demo's live value (docs/credit-message.md "Read interface", docs/two-way-book.md "Solvency"): the receiver's
 * marks and collateral values read on chain, and the relayer's GET /solvency.
 */
import { markValue, type SizeTier } from '@ccr/risk';
import { ethers } from '../../contracts/ts/index';
import type { SolvencyView } from '../../apps/relayer/src/solvency/solvency.service';
import type { Devnet } from '../../test/support/devnet';
import { waitFor } from './wait';

export type ChainMark = { chain: string; srcEid: number; symbol: string; asset: string; price: bigint; haircut: bigint; timestamp: bigint; nonce: bigint };

/** Every registered asset's mark on the receiver (USDC and WETH of each source chain). */
export async function readMarks(d: Devnet): Promise<ChainMark[]> {
  const out: ChainMark[] = [];
  for (const s of d.sources) {
    for (const t of [s.usdc, s.weth]) {
      const asset = ethers.zeroPadValue(t.address, 32).toLowerCase();
      // markOf returns (uint128 price, uint64 haircut, uint64 timestamp, uint64 nonce): bigints from ethers
      const [price, haircut, timestamp, nonce] = (await d.destination.receiver.getFunction('markOf')(s.eid, asset)) as [bigint, bigint, bigint, bigint];
      out.push({ chain: s.name, srcEid: s.eid, symbol: t.symbol, asset, price, haircut, timestamp, nonce });
    }
  }
  return out;
}

/** Waits until every asset of `symbol` has a mark with a nonce above `after`'s (the marker's next round). */
export async function awaitNewMarks(d: Devnet, symbol: string, after: readonly ChainMark[], timeoutMs = 20_000): Promise<ChainMark[]> {
  const before = new Map(after.map((m) => [`${m.srcEid}:${m.asset}`, m.nonce]));
  return waitFor(
    `new ${symbol} marks on the receiver`,
    async () => {
      const now = await readMarks(d);
      return now.filter((m) => m.symbol === symbol).every((m) => m.nonce > (before.get(`${m.srcEid}:${m.asset}`) ?? 0n)) ? now : undefined;
    },
    timeoutMs,
    150,
  );
}

/** `collateralValue(account)` on the receiver. */
export async function chainValue(d: Devnet, address: string): Promise<{ value: bigint; stale: boolean }> {
  // collateralValue returns (uint256 value, bool stale)
  const [value, stale] = (await d.destination.receiver.getFunction('collateralValue')(ethers.zeroPadValue(address, 32))) as [bigint, boolean];
  return { value, stale };
}

/**
 * The account's value computed off chain with @ccr/risk (`markValue`) from its on-chain positions, the marks and each
 * asset's decimals and size tiers: what `collateralValue` must equal to the last unit.
 */
export async function riskValue(d: Devnet, address: string, marks: readonly ChainMark[]): Promise<bigint> {
  const receiver = d.destination.receiver;
  let total = 0n;
  for (const m of marks) {
    // The receiver's views, as ethers decodes them (every uint a bigint): position → (uint128 rawAmount, uint128 frozen),
    // assetConfig → (bool registered, uint8 decimals, uint32 heartbeat, uint128 cap), sizeTiers → SizeTier{upTo, weight}[].
    const [raw] = (await receiver.getFunction('position')(ethers.zeroPadValue(address, 32), m.srcEid, m.asset)) as [bigint, bigint];
    if (raw === 0n) continue;
    const [, decimals] = (await receiver.getFunction('assetConfig')(m.srcEid, m.asset)) as [boolean, bigint, bigint, bigint]; // as above
    const tiers = ((await receiver.getFunction('sizeTiers')(m.srcEid, m.asset)) as { upTo: bigint; weight: bigint }[]).map( // as above
      (t): SizeTier => ({ upTo: t.upTo === 2n ** 128n - 1n ? null : t.upTo, weight: t.weight }),
    );
    total += markValue(raw, { decimals: Number(decimals), price: m.price, haircut: m.haircut, tiers });
  }
  return total;
}

/** GET /solvency after a round that started after `since` (ms): every identity of that round. */
export async function freshSolvency(api: string, since: number, timeoutMs = 20_000): Promise<SolvencyView> {
  return waitFor(
    'a solvency round',
    async () => {
      const res = await fetch(`${api}/solvency`);
      if (res.status !== 200) throw new Error(`GET /solvency: HTTP ${res.status}`);
      const view = (await res.json()) as SolvencyView; // GET /solvency answers a SolvencyView (solvency.service.ts)
      return view.checkedAt !== null && Date.parse(view.checkedAt) > since && view.checks.length > 0 ? view : undefined;
    },
    timeoutMs,
    200,
  );
}
