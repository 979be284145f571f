import { readinessProblems } from './readiness';

const feed = { symbol: 'WETH', eid: 1, feedEid: 2, address: '0xfeed', heartbeatSeconds: 3600, updatedAt: 0, ageSeconds: 10, fresh: true, error: null };
const poster = { chain: 'dst', eid: 2, address: '0xposter', balance: '5', minimum: '1', low: false, error: null };

describe('readinessProblems', () => {
  it('none when every chain answers, nothing is halted, feeds are fresh and posters funded', () => {
    expect(readinessProblems({ chains: [{ name: 'dst', eid: 2, error: null }], halted: [], feeds: [feed], posters: [poster] })).toEqual([]);
  });

  it('names each problem and its subject; a pathway halted on two assets counts once', () => {
    const problems = readinessProblems({
      chains: [{ name: 'src', eid: 1, error: 'src: eth_blockNumber failed: ECONNREFUSED' }],
      halted: [{ srcEid: 1, asset: '0xa' }, { srcEid: 1, asset: '0xb' }],
      feeds: [{ ...feed, ageSeconds: 4000, fresh: false }, { ...feed, symbol: 'USDC', error: 'feed reverted', fresh: false, ageSeconds: null }],
      posters: [{ ...poster, balance: '0', low: true }, { ...poster, chain: 'sol', balance: null, low: true, error: 'getBalance failed' }],
    });
    expect(problems.map((p) => p.kind)).toEqual(['chain-unreachable', 'pathway-halted', 'feed-stale', 'feed-unreadable', 'poster-balance-low', 'poster-balance-low']);
    expect(problems[2]!.detail).toBe('WETH feed 0xfeed on eid 2 is 4000s old (heartbeat 3600s)');
    expect(problems[4]!.detail).toBe('poster 0xposter holds 0, below the minimum 1');
    expect(problems[5]!.detail).toBe('getBalance failed');
  });
});
