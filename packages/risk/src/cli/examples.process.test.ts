import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RISK_PACKAGE, runRiskCli } from '../../test-utils/runRiskCli';

/** Every command's example input (packages/risk/examples/<command>.json), run through the real program. */
const EXAMPLES = join(RISK_PACKAGE, 'examples');

function run(command: string) {
  const r = runRiskCli([command, '--input', join(EXAMPLES, `${command}.json`)]);
  return { status: r.status, stderr: r.stderr, out: JSON.parse(r.stdout) as Record<string, unknown> }; // stdout is only the JSON result
}

describe('the examples in packages/risk/examples, each run by the CLI', () => {
  it('there is one example per command', () => {
    expect(readdirSync(EXAMPLES).sort()).toEqual(['health.json', 'margin.json', 'stress.json', 'value.json']);
  });

  it('value: 6,000 BTC at 20,000 on Binance-style tiers → 119,500,000', () => {
    const { status, stderr, out } = run('value');
    expect([status, stderr]).toEqual([0, '']);
    expect(out).toMatchObject({
      asset: 'BTC',
      amount: '600000000000',
      grossValue: '120000000.000000',
      haircutValue: '119500000.000000',
      sizeWeight: '0.995833333333333333',
      priceTimestamp: 1700000000,
    });
    expect(out['tiers']).toEqual([
      { from: '0.000000', to: '100000000.000000', weight: '1.000000', value: '100000000.000000', weightedValue: '100000000.000000' },
      { from: '100000000.000000', to: '120000000.000000', weight: '0.975000', value: '20000000.000000', weightedValue: '19500000.000000' },
    ]);
  }, 60_000);

  it('health: 5 ETH over two chains at 2,000, lt 0.8, against 6,000 → HF 1.333…, 1.25 ETH withdrawable from arbitrum', () => {
    const { status, stderr, out } = run('health');
    expect([status, stderr]).toEqual([0, '']);
    expect(out).toMatchObject({
      id: 'alice',
      healthFactor: '1.333333333333333333',
      collateralValue: '10000.000000',
      maintenanceValue: '8000.000000',
      freeMargin: '1500.000000',
      liquidatable: false,
      holdings: [{ asset: 'ETH', chains: ['ethereum', 'arbitrum'], amount: '5000000000000000000', value: '10000.000000' }],
      maxWithdrawable: { asset: 'ETH', chain: 'arbitrum', amount: '1250000000000000000', decimals: 18 },
    });
  }, 60_000);

  it('stress: USDC at 0.80 puts bob below maintenance (shortfall 268); ETH −30 % with stETH at 0.9 → alice and carol', () => {
    const { status, stderr, out } = run('stress');
    expect([status, stderr]).toEqual([0, '']);
    const [depeg, feed, shock] = out['scenarios'] as Array<Record<string, unknown>>; // the stress command's output
    expect(depeg).toMatchObject({
      scenario: 'stablecoin-depeg(USDC)',
      totals: { accounts: 3, loss: '1980.000000', accountsBelowMaintenance: 1, shortfall: '268.000000' },
      accounts: [{ id: 'alice' }, { id: 'bob', valueBefore: '9900.000000', valueAfter: '7920.000000', healthFactorAfter: '0.961714285714285714', belowMaintenance: true }, { id: 'carol' }],
    });
    expect(feed).toMatchObject({ scenario: 'oracle-failure(ETH, last-good)', accounts: [{ id: 'alice', valueAfter: '9000.000000', healthFactorAfter: '1.200000' }, {}, {}] });
    expect(shock).toMatchObject({
      scenario: 'ETH -30%',
      prices: [
        { asset: 'ETH', before: '2000.000000', after: '1400.000000' },
        { asset: 'stETH', before: '2000.000000', after: '1460.000000' },
      ],
      totals: { loss: '5052.000000', accountsBelowMaintenance: 2, shortfall: '1239.000000' },
      accounts: [
        { id: 'alice', valueAfter: '7000.000000', healthFactorAfter: '0.933333333333333333', shortfall: '400.000000' },
        { id: 'bob', loss: '0.000000' },
        { id: 'carol', valueAfter: '5548.000000', healthFactorAfter: '0.832200', shortfall: '839.000000' },
      ],
    });
  }, 60_000);

  it('margin: base 1, perp −1 @ 2005, short call 1400 → IM 851.98, MM 978.26, MtM 1399.22 ("test" set)', () => {
    const { status, stderr, out } = run('margin');
    expect([status, stderr]).toEqual([0, '']);
    expect(out).toMatchObject({
      model: 'scenario-pm',
      params: 'test',
      im: '851.9773601156334',
      mm: '978.264556366701',
      mtm: '1399.2218772035928',
      worstScenario: { spotShock: '1.150000', vol: 'up' },
      staticContingency: '120.000000',
      confidenceContingency: '0.000000',
      imFactor: '1.300000',
    });
  }, 60_000);
});
