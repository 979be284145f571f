import { formatStressReport } from './format-stress-report';
import { runStressCli, STRESS_USAGE } from './stress-cli';
import type { StressReport } from './stress-report';
import { stringContaining } from '../common/matchers.fixture';

const run = async (argv: string[], env: Record<string, string> = {}) => {
  let out = '';
  let err = '';
  const code = await runStressCli(argv, { env, stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
};

describe('stress CLI', () => {
  it('--help prints the usage; bad arguments exit 2, a missing config 1', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, out: `${STRESS_USAGE}\n`, err: '' });
    expect(await run(['--config', 'x.yaml', '--bogus'])).toMatchObject({ code: 2, err: stringContaining("Unknown option '--bogus'") });
    expect(await run(['--config', 'x.yaml'])).toMatchObject({ code: 2, err: stringContaining('give one of --scenario') });
    expect(await run(['--config', 'x.yaml', '--scenario', 'a', '--scenario-file', 'b.json'])).toMatchObject({ code: 2 });
    expect(await run(['--scenario', 'a'])).toMatchObject({ code: 1, err: stringContaining('no config file') });
    expect(await run(['--scenario', 'a', '--config', '/nonexistent/relayer.yaml'])).toMatchObject({ code: 1, err: stringContaining('cannot read /nonexistent/relayer.yaml') });
  });

  it('prints the report as a table: USD to 2 dp, values down, requirements and shortfalls up', () => {
    const E18 = 10n ** 18n;
    const report: StressReport = {
      scenario: { name: 'eth-crash', kind: 'spot-shock', definition: {} },
      block: { number: 12, timestamp: 1_700_000_000 },
      marks: [{ srcEid: 40101, asset: `0x${'ee'.repeat(32)}`, symbol: 'WETH', decimals: 18, price: (2000n * E18).toString(), haircut: (E18 / 10n).toString(), timestamp: 1_699_999_990, nonce: '1', ageSeconds: 10, heartbeatSeconds: 3600, stale: false, priceAfter: (1200n * E18).toString(), refused: false, changed: true }],
      accounts: [
        {
          account: `0x000000000000000000000000${'aa'.repeat(20)}`,
          valueBefore: (1800n * E18 + 9n).toString(),
          valueAfter: (1080n * E18 + 9n).toString(),
          delta: (-720n * E18).toString(),
          onChainValue: (1800n * E18 + 9n).toString(),
          staleBefore: false,
          staleAfter: false,
          maintenance: (1500n * E18 + 1n).toString(),
          belowMaintenanceBefore: false,
          belowMaintenance: true,
          shortfall: (420n * E18 - 8n).toString(),
          positions: [],
        },
      ],
      belowMaintenance: [],
      totals: { accounts: 1, valueBefore: (1800n * E18).toString(), valueAfter: (1080n * E18).toString(), delta: (-720n * E18).toString(), staleAfter: 0, withRequirement: 1, belowMaintenance: 1, newlyBelowMaintenance: 1, shortfall: (420n * E18).toString(), onChainMismatches: 0 },
    };
    expect(formatStressReport(report).split('\n')).toEqual([
      'stress eth-crash (spot-shock) at block 12 (2023-11-14T22:13:20.000Z)',
      '',
      'asset  srcEid    price    after  haircut  age s  stale',
      'WETH   40101   2000.00  1200.00     0.10     10  no',
      '',
      'account                                      before    after    delta  maintenance  below  shortfall',
      '0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  1800.00  1080.00  -720.00      1500.01  BELOW     420.00',
      '',
      '1 account(s): 1800.00 → 1080.00 USD (-720.00); 1 of 1 with a requirement below maintenance (1 newly), shortfall 420.00 USD',
      '',
    ]);
  });
});
