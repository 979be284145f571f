/** The Solana memos against their vector file (vectors/solana-memos.json): every valid memo parses and re-encodes to itself, every invalid one names its problem. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hex } from './hex';
import { encodeDepositMemo, encodeReleaseMemo, type MemoProblem, parseDepositMemo, parseDepositMemos, parseReleaseMemo, type ReleaseMemo } from './solanaMemo';

type Vectors = {
  depositMemos: { memo: string; dstEid: number; account: string }[];
  invalidDepositMemos: { memo: string; problem: MemoProblem }[];
  depositMemoSets: ({ memos: string[]; problem: MemoProblem } | { memos: string[]; dstEid: number; account: string })[];
  releaseMemos: { memo: string; withdrawalGuid: Hex; withdrawalNonce: string; account: Hex; rawAmount: string }[];
  invalidReleaseMemos: string[];
};

// The committed vector file is written in this shape (its hex lowercase 0x); a file that is not fails the tests below.
const vectors = JSON.parse(readFileSync(join(__dirname, '..', 'vectors', 'solana-memos.json'), 'utf8')) as Vectors;

describe('deposit memos', () => {
  it.each(vectors.depositMemos)('$memo → eid $dstEid, account $account', (v) => {
    expect(parseDepositMemo(v.memo)).toEqual({ ok: true, memo: { dstEid: v.dstEid, account: v.account } });
  });

  it('encodes what parses back (lowercase)', () => {
    for (const v of vectors.depositMemos) {
      const parsed = parseDepositMemo(v.memo);
      if (!parsed.ok) throw new Error(`vector ${v.memo} does not parse`);
      expect(parseDepositMemo(encodeDepositMemo(parsed.memo))).toEqual(parsed);
    }
    expect(encodeDepositMemo({ dstEid: 40200, account: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' })).toBe('ccr:v1:40200:0x70997970c51812dc3a010c7d01b50e0d17dc79c8');
  });

  it.each(vectors.invalidDepositMemos)('"$memo" is refused: $problem', (v) => {
    const parsed = parseDepositMemo(v.memo);
    expect(parsed).toMatchObject({ ok: false, problem: v.problem });
  });

  it.each(vectors.depositMemoSets)('memos %j of one transaction', (v) => {
    const parsed = parseDepositMemos(v.memos);
    if ('problem' in v) expect(parsed).toMatchObject({ ok: false, problem: v.problem });
    else expect(parsed).toEqual({ ok: true, memo: { dstEid: v.dstEid, account: v.account } });
  });

  it('refuses to encode an eid beyond uint32', () => {
    expect(() => encodeDepositMemo({ dstEid: 2 ** 32, account: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8' })).toThrow(/not a uint32/);
  });
});

describe('release memos', () => {
  it.each(vectors.releaseMemos)('$memo', (v) => {
    const expected: ReleaseMemo = { withdrawalGuid: v.withdrawalGuid, withdrawalNonce: BigInt(v.withdrawalNonce), account: v.account, rawAmount: BigInt(v.rawAmount) };
    expect(parseReleaseMemo(v.memo)).toEqual(expected);
    expect(encodeReleaseMemo(expected)).toBe(v.memo);
  });

  it.each(vectors.invalidReleaseMemos)('%s is not a release memo', (memo) => {
    expect(parseReleaseMemo(memo)).toBeNull();
  });

  it('a release memo is never taken as a deposit memo', () => {
    expect(parseDepositMemos([vectors.releaseMemos[0]!.memo])).toMatchObject({ ok: false, problem: 'missing' });
  });
});
