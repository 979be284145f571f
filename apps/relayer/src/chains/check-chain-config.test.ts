import { FIXTURE_ENV, fixtureConfig } from '../config/config.fixture';
import { buildConfig } from '../config/load-config';
import type { ReceiverAsset } from './chain-adapter';
import { ChainRpcError } from './chain-errors';
import { ChainConfigError, chainConfigIssues, type ChainConfigReader } from './check-chain-config';

const USDC = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const WETH = '0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9';
const bytes32 = (a: string): string => `0x${'00'.repeat(12)}${a.slice(2).toLowerCase()}`;

/** The fixture (USDC 6 on 40101) plus WETH 18 on 40101. */
function config() {
  const raw = fixtureConfig();
  raw.assets!.push({ ...raw.assets![0]!, token: WETH, symbol: 'WETH', decimals: 18 });
  return buildConfig(raw, { env: FIXTURE_ENV, baseDir: '/tmp' });
}

/** Fake chains: token decimals on 40101 by address, receiver registrations on 40200 by bytes32 asset. */
function reader(decimals: Record<string, number | null | Error>, registered: Record<string, ReceiverAsset | Error>): ChainConfigReader {
  return {
    get: (eid) => ({
      // eslint-disable-next-line @typescript-eslint/require-await -- a scripted Error must reach the check as a rejection, like a failed read
      tokenDecimals: async (token) => {
        expect(eid).toBe(40101);
        const d = decimals[token];
        if (d instanceof Error) throw d;
        return d ?? null;
      },
      // eslint-disable-next-line @typescript-eslint/require-await -- a scripted Error must reach the check as a rejection, like a failed read
      receiverAsset: async (srcEid, asset) => {
        expect([eid, srcEid]).toEqual([40200, 40101]);
        const r = registered[asset] ?? { registered: false, decimals: 0 };
        if (r instanceof Error) throw r;
        return r;
      },
    }),
  };
}

const OK = { [bytes32(USDC)]: { registered: true, decimals: 6 }, [bytes32(WETH)]: { registered: true, decimals: 18 } };

describe('chainConfigIssues (the boot check)', () => {
  it('accepts assets whose token and receiver registration agree with the config', async () => {
    expect(await chainConfigIssues(config(), reader({ [USDC]: 6, [WETH]: 18 }, OK))).toEqual([]);
  });

  it('names assets[i].decimals when the token reports other decimals', async () => {
    expect(await chainConfigIssues(config(), reader({ [USDC]: 6, [WETH]: 6 }, OK))).toEqual([{ path: 'assets[1].decimals', message: 'configured 18, token reports 6' }]);
  });

  it('names assets[i].token for a token without decimals()', async () => {
    expect(await chainConfigIssues(config(), reader({ [USDC]: null, [WETH]: 18 }, OK))).toEqual([{ path: 'assets[0].token', message: `${USDC} on src has no decimals()` }]);
  });

  it('names assets[i].token when the receiver has not registered the asset, assets[i].decimals when it registered other decimals', async () => {
    const issues = await chainConfigIssues(config(), reader({ [USDC]: 6, [WETH]: 18 }, { [bytes32(WETH)]: { registered: true, decimals: 6 } }));
    expect(issues).toEqual([
      { path: 'assets[0].token', message: `${USDC} (eid 40101) is not registered on the receiver 0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512` },
      { path: 'assets[1].decimals', message: 'configured 18, receiver registers 6' },
    ]);
  });

  it('reports a read that keeps failing as an issue (the relayer does not start on a config it could not check)', async () => {
    const down = new ChainRpcError('src', 'eth_getCode', new Error('ECONNREFUSED'));
    const noFn = new ChainRpcError('dst', 'assetConfig', new Error('execution reverted'));
    const issues = await chainConfigIssues(config(), reader({ [USDC]: down, [WETH]: 18 }, { ...OK, [bytes32(WETH)]: noFn }), [0, 0]);
    expect(issues).toEqual([
      { path: 'assets[0].token', message: `cannot read decimals() of ${USDC} on src: ChainRpcError: src: eth_getCode failed: Error: ECONNREFUSED` },
      { path: 'chains[1].receiver', message: `cannot read assetConfig(40101, ${WETH}) on dst: ChainRpcError: dst: assetConfig failed: Error: execution reverted` },
    ]);
  });

  it('retries a read that failed with an RPC error, after each pause, before calling it an issue', async () => {
    const calls: string[] = [];
    let decimalsFailures = 2;
    const flaky: ChainConfigReader = {
      get: () => ({
        tokenDecimals: (token) => {
          calls.push(`decimals ${token}`);
          if (token === USDC && decimalsFailures-- > 0) return Promise.reject(new ChainRpcError('src', 'eth_call', new Error('HTTP 503')));
          return Promise.resolve(token === USDC ? 6 : 18);
        },
        receiverAsset: (_srcEid, asset) => Promise.resolve(OK[asset] ?? { registered: false, decimals: 0 }),
      }),
    };
    expect(await chainConfigIssues(config(), flaky, [0, 0])).toEqual([]);
    expect(calls.filter((c) => c === `decimals ${USDC}`)).toHaveLength(3);
    // One pause fewer than failures: the third attempt is never made, the failure is the issue.
    decimalsFailures = 2;
    calls.length = 0;
    expect(await chainConfigIssues(config(), flaky, [0])).toEqual([
      { path: 'assets[0].token', message: `cannot read decimals() of ${USDC} on src: ChainRpcError: src: eth_call failed: Error: HTTP 503` },
    ]);
    expect(calls.filter((c) => c === `decimals ${USDC}`)).toHaveLength(2);
  });

  it('does not retry an error that is not an RPC failure', async () => {
    let n = 0;
    const broken: ChainConfigReader = {
      get: () => ({
        tokenDecimals: () => (n++, Promise.reject(new TypeError('bad token'))),
        receiverAsset: (_srcEid, asset) => Promise.resolve(OK[asset] ?? { registered: false, decimals: 0 }),
      }),
    };
    const issues = await chainConfigIssues(config(), broken, [0, 0]);
    expect(issues.map((i) => i.path)).toEqual(['assets[0].token', 'assets[1].token']);
    expect(n).toBe(2);
  });

  it('ChainConfigError lists every issue as config errors do', () => {
    const e = new ChainConfigError([
      { path: 'assets[1].decimals', message: 'configured 6, token reports 18' },
      { path: 'assets[2].token', message: 'not registered' },
    ]);
    expect(e.name).toBe('ChainConfigError');
    expect(e.message).toBe('config error: assets[1].decimals: configured 6, token reports 18\nconfig error: assets[2].token: not registered');
  });
});
