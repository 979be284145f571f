import type { ChainMessage } from '../chains/chain-adapter';
import { DepositState } from '../store/deposit-state';
import { MessageKind } from '../store/message-kind';
import { checkFinalBlock, checkFinalLog, checkOutboundNonce, nonceOffset, violationKey } from './finality-violation';

const CHAIN = { name: 'src', eid: 40101 };
const H = (b: string): string => `0x${b.repeat(64)}`;
const ROW = { guid: H('a'), state: DepositState.CREDITED, blockNumber: 10, blockHash: H('1'), txHash: H('2'), logIndex: 0, account: H('3'), token: H('4'), amount: '5', dstEid: 40200, receiver: H('5') };
const EVENT: ChainMessage = {
  kind: MessageKind.Credit,
  guid: ROW.guid,
  srcEid: 40101,
  srcVault: H('6'),
  dstEid: 40200,
  nonce: 1n,
  depositor: H('7'),
  account: ROW.account,
  token: ROW.token,
  amount: 5n,
  blockNumber: 10,
  blockHash: ROW.blockHash,
  txHash: ROW.txHash,
  logIndex: 0,
  receiver: ROW.receiver,
  recipient: null,
  voidedNonce: null,
  withdrawalGuid: null,
  withdrawalNonce: null,
  releaseStatus: null,
};
const LOG = { block: 10, blockHash: H('1'), txHash: H('2'), logIndex: 0, account: H('3'), token: H('4'), amount: '5' };

describe('checkFinalBlock', () => {
  it('is a violation when the block taken as final has another hash, or none', () => {
    expect(checkFinalBlock(CHAIN, { block: 7, blockHash: H('1') }, H('1'))).toBeNull();
    expect(checkFinalBlock(CHAIN, { block: 7, blockHash: H('1') }, H('9'))).toEqual({ kind: 'block-hash', chain: 'src', eid: 40101, block: 7, expected: H('1'), seen: H('9') });
    expect(checkFinalBlock(CHAIN, { block: 7, blockHash: H('1') }, null)).toEqual({ kind: 'block-hash', chain: 'src', eid: 40101, block: 7, expected: H('1'), seen: null });
    // No hash taken (before the first block): nothing to compare.
    expect(checkFinalBlock(CHAIN, { block: -1, blockHash: null }, null)).toBeNull();
  });
});

describe('checkFinalLog', () => {
  it('is a violation when a message read at finality has another log (log-changed) or none (log-missing)', () => {
    expect(checkFinalLog(CHAIN, ROW, EVENT, 10)).toBeNull();
    const moved = { ...EVENT, blockNumber: 12, blockHash: H('8') };
    expect(checkFinalLog(CHAIN, ROW, moved, 10)).toEqual({
      kind: 'log-changed',
      chain: 'src',
      eid: 40101,
      block: 10,
      guid: ROW.guid,
      state: 'CREDITED',
      dstEid: 40200,
      receiver: ROW.receiver,
      expected: LOG,
      seen: { ...LOG, block: 12, blockHash: H('8') },
    });
    expect(checkFinalLog(CHAIN, ROW, { ...EVENT, amount: 6n }, 10)).toMatchObject({ kind: 'log-changed', seen: { amount: '6' } });
    expect(checkFinalLog(CHAIN, ROW, undefined, 10)).toMatchObject({ kind: 'log-missing', guid: ROW.guid, block: 10, expected: LOG, seen: null });
  });

  it('is not one for a log never read at finality: OBSERVED, REORGED, or from a block above the high-water mark', () => {
    expect(checkFinalLog(CHAIN, { ...ROW, state: DepositState.OBSERVED }, undefined, 10)).toBeNull();
    expect(checkFinalLog(CHAIN, { ...ROW, state: DepositState.REORGED }, undefined, 10)).toBeNull();
    expect(checkFinalLog(CHAIN, ROW, undefined, 9)).toBeNull(); // reconciled from OBSERVED, never scanned at finality
    for (const state of [DepositState.FINAL, DepositState.VALUED, DepositState.HELD, DepositState.SUBMITTED, DepositState.CONFIRMING, DepositState.DELIVERED, DepositState.VOIDED])
      expect([state, checkFinalLog(CHAIN, { ...ROW, state }, undefined, 10)?.kind]).toEqual([state, 'log-missing']);
  });
});

describe('checkOutboundNonce', () => {
  const path = { dstEid: 40200, to: H('5') };
  it('is a violation when the chain and the store disagree, either way', () => {
    expect(checkOutboundNonce(CHAIN, path, 20, 4n, 4n, true)).toBeNull();
    const missed = checkOutboundNonce(CHAIN, path, 20, 4n, 5n, true);
    expect(missed).toEqual({ kind: 'outbound-nonce', chain: 'src', eid: 40101, block: 20, dstEid: 40200, to: H('5'), expected: '4', seen: '5' });
    expect(nonceOffset(missed!)).toBe('1');
    const gone = checkOutboundNonce(CHAIN, path, 20, 4n, 3n, true);
    expect(nonceOffset(gone!)).toBe('-1');
  });

  it('with nothing stored: 0 expected when scanned from genesis, nothing to compare otherwise', () => {
    expect(checkOutboundNonce(CHAIN, path, 20, null, 0n, true)).toBeNull();
    expect(checkOutboundNonce(CHAIN, path, 20, null, 2n, true)).toMatchObject({ expected: '0', seen: '2' });
    expect(checkOutboundNonce(CHAIN, path, 20, null, 2n, false)).toBeNull();
  });

  it('is keyed by its path and offset: both sides advancing together is the same violation', () => {
    const a = checkOutboundNonce(CHAIN, path, 20, 4n, 3n, true)!;
    const b = checkOutboundNonce(CHAIN, path, 30, 9n, 8n, true)!;
    expect(violationKey(a)).toBe(violationKey(b));
    expect(violationKey(a)).not.toBe(violationKey(checkOutboundNonce(CHAIN, path, 30, 9n, 7n, true)!));
    expect(nonceOffset(checkFinalBlock(CHAIN, { block: 7, blockHash: H('1') }, null)!)).toBe('0');
  });
});
