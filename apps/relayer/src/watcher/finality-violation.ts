import type { ChainMessage } from '../chains/chain-adapter';
import type { LoggedRow } from '../store/deposit-log.repository';
import { DepositState } from '../store/deposit-state';

/**
 * What breaks finality (docs/two-way-book.md "Brakes"), each seen by the watcher without extra reads beyond one block
 * hash and one nonce per round:
 *  - `block-hash`: the block the finality scan last took as final has another hash now, or none (a reorg deeper than
 *    the chain's finality, or a node rewound);
 *  - `log-changed` / `log-missing`: a rescan of blocks already taken as final finds a message's log elsewhere or
 *    different, or not at all;
 *  - `outbound-nonce`: the watched contract's outbound nonce of a path at the final cursor is not the highest nonce
 *    the store has as final on that path (a log the node never returned, or one the chain no longer has).
 */
export type FinalityViolationKind = 'block-hash' | 'log-changed' | 'log-missing' | 'outbound-nonce';

/** A message's log as evidence (the fields the watcher compares). */
export type LogEvidence = { block: number; blockHash: string; txHash: string; logIndex: number; account: string; token: string; amount: string };

/** One violation with its evidence: what the relayer had taken as final (`expected`) and what the chain shows (`seen`). */
export type FinalityViolation =
  | { kind: 'block-hash'; chain: string; eid: number; block: number; expected: string | null; seen: string | null }
  | { kind: 'log-changed' | 'log-missing'; chain: string; eid: number; block: number; guid: string; state: string; dstEid: number; receiver: string | null; expected: LogEvidence; seen: LogEvidence | null }
  | { kind: 'outbound-nonce'; chain: string; eid: number; block: number; dstEid: number; to: string; expected: string; seen: string };

/** The fields of a stored message's log that must not change once final. */
export function sameLog(d: LoggedRow, e: ChainMessage): boolean {
  return d.blockHash === e.blockHash && d.txHash === e.txHash && d.logIndex === e.logIndex && d.amount === e.amount.toString() && d.account === e.account && d.token === e.token;
}

export function rowLog(d: LoggedRow): LogEvidence {
  return { block: d.blockNumber, blockHash: d.blockHash, txHash: d.txHash, logIndex: d.logIndex, account: d.account, token: d.token, amount: d.amount };
}

export function eventLog(e: ChainMessage): LogEvidence {
  return { block: e.blockNumber, blockHash: e.blockHash, txHash: e.txHash, logIndex: e.logIndex, account: e.account, token: e.token, amount: e.amount.toString() };
}

/** The re-check of the last final block: a violation when its hash is not the one taken (null: the block is gone). */
export function checkFinalBlock(chain: { name: string; eid: number }, mark: { block: number; blockHash: string | null }, seen: string | null): Extract<FinalityViolation, { kind: 'block-hash' }> | null {
  if (mark.blockHash === null || seen === mark.blockHash) return null;
  return { kind: 'block-hash', chain: chain.name, eid: chain.eid, block: mark.block, expected: mark.blockHash, seen };
}

/**
 * A stored message compared with what a finality scan found for its GUID (`seen`: undefined when its log is nowhere).
 * A violation only when the row's log had been read at finality: its block at or below `highWater` (the highest final
 * cursor reached before this scan) and its state past OBSERVED (a REORGED row never was final; an OBSERVED one is
 * the finality scan's to settle).
 */
export function checkFinalLog(chain: { name: string; eid: number }, row: LoggedRow & { dstEid: number; receiver: string | null }, seen: ChainMessage | undefined, highWater: number): FinalityViolation | null {
  if (row.state === DepositState.OBSERVED || row.state === DepositState.REORGED || row.blockNumber > highWater) return null;
  if (seen !== undefined && sameLog(row, seen)) return null;
  const base = { chain: chain.name, eid: chain.eid, block: row.blockNumber, guid: row.guid, state: row.state, dstEid: row.dstEid, receiver: row.receiver, expected: rowLog(row) };
  return seen === undefined ? { kind: 'log-missing', ...base, seen: null } : { kind: 'log-changed', ...base, seen: eventLog(seen) };
}

/**
 * The outbound nonce of a path at the final cursor `block` (`seen`, read on chain) against the highest nonce the
 * store has as final on that path at or below it (`stored`; null when it has none). With nothing stored, the store
 * must have seen everything only when the chain is scanned from its first block (`scannedFromGenesis`); otherwise
 * there is nothing to compare.
 */
export function checkOutboundNonce(chain: { name: string; eid: number }, path: { dstEid: number; to: string }, block: number, stored: bigint | null, seen: bigint, scannedFromGenesis: boolean): FinalityViolation | null {
  if (stored === null && !scannedFromGenesis) return null;
  const expected = stored ?? 0n;
  if (expected === seen) return null;
  return { kind: 'outbound-nonce', chain: chain.name, eid: chain.eid, block, dstEid: path.dstEid, to: path.to, expected: expected.toString(), seen: seen.toString() };
}

/** On chain − store for an outbound-nonce violation ("0" for the others): a halt's discrepancy, what a resume accepts. */
export function nonceOffset(v: FinalityViolation): string {
  return v.kind === 'outbound-nonce' ? (BigInt(v.seen) - BigInt(v.expected)).toString() : '0';
}

/** Identifies a violation for "reported once": an outbound-nonce one by its path and offset (both sides advance together). */
export function violationKey(v: FinalityViolation): string {
  switch (v.kind) {
    case 'block-hash':
      return `${v.kind}:${v.eid}:${v.block}:${v.expected}:${v.seen}`;
    case 'log-changed':
    case 'log-missing':
      return `${v.kind}:${v.eid}:${v.guid}:${v.expected.blockHash}:${v.seen === null ? 'none' : `${v.seen.blockHash}:${v.seen.txHash}:${v.seen.logIndex}`}`;
    case 'outbound-nonce':
      return `${v.kind}:${v.eid}:${v.dstEid}:${v.to}:${nonceOffset(v)}`;
  }
}
