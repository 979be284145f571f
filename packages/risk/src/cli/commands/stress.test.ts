import { catchError } from '../../../test-utils/catchError';
import { command } from './stress';

const input = {
  configs: {
    ETH: { decimals: 18, haircut: '0', ltv: '0.75', liquidationThreshold: '0.8', liquidationBonus: '0.05', oracle: { heartbeatSeconds: 3600 } },
    USDC: { decimals: 6, haircut: '0.01', ltv: '0.8', liquidationThreshold: '0.85', liquidationBonus: '0.05', oracle: { heartbeatSeconds: 86400 } },
  },
  prices: { ETH: { price: '2000', timestamp: 1700000000 }, USDC: { price: '1', timestamp: 1699990000 } },
  now: 1700000060,
  accounts: [
    { id: 'eth', positions: [{ asset: 'ETH', chain: 'ethereum', amount: '5000000000000000000' }], debt: '6000' },
    { id: 'usdc', positions: [{ asset: 'USDC', chain: 'arbitrum', amount: '10000000000' }], debt: '7000' },
  ],
  scenarios: [
    { kind: 'stablecoin-depeg', asset: 'USDC', price: '0.8' },
    { kind: 'oracle-failure', asset: 'ETH', mode: 'last-good', penalty: '0.1', name: 'ETH feed down' },
    { kind: 'spot-shock', shocks: [{ asset: 'ETH', shock: '-0.3' }], followers: [{ asset: 'USDC', driver: 'ETH', dampening: '0' }] },
  ],
};

describe('risk stress', () => {
  it('reports per account and book totals for each scenario', () => {
    const out = command.run(input) as { scenarios: Record<string, unknown>[] }; // what stress's run returns (commands/stress.ts)
    expect(out.scenarios).toHaveLength(3);
    expect(out.scenarios[0]).toMatchObject({
      scenario: 'stablecoin-depeg(USDC)',
      prices: [{ asset: 'USDC', before: '1.000000', after: '0.800000' }],
      totals: { accounts: 2, loss: '1980.000000', accountsBelowMaintenance: 1, newlyBelowMaintenance: 1, shortfall: '268.000000' },
      accounts: [
        { id: 'eth', loss: '0.000000', healthFactorAfter: '1.333333333333333333', belowMaintenance: false },
        { id: 'usdc', valueAfter: '7920.000000', healthFactorAfter: '0.961714285714285714', belowMaintenance: true },
      ],
    });
    expect(out.scenarios[1]).toMatchObject({ scenario: 'ETH feed down', accounts: [{ id: 'eth', valueAfter: '9000.000000', healthFactorAfter: '1.200000' }, { id: 'usdc', loss: '0.000000' }] });
    expect(out.scenarios[2]).toMatchObject({ totals: { loss: '3000.000000', accountsBelowMaintenance: 1 } });
  });

  it.each([
    [{ ...input, scenarios: [{ kind: 'meteor' }] }, 'scenarios[0].kind'],
    [{ ...input, scenarios: [{ kind: 'oracle-failure', asset: 'ETH', mode: 'maybe' }] }, 'scenarios[0].mode'],
    [{ ...input, scenarios: [{ kind: 'spot-shock', shocks: [{ asset: 'ETH' }] }] }, 'scenarios[0].shocks[0].shock'],
    [{ ...input, accounts: [{ positions: [{ asset: 'ETH', chain: 'x', amount: 'lots' }] }] }, 'accounts[0].positions[0].amount'],
    [{ ...input, scenarios: [{ kind: 'combined', steps: [{ kind: 'stablecoin-depeg', asset: 'USDC' }] }] }, 'scenarios[0].steps[0].price'],
  ])('bad input %# → RiskError naming %s', (bad, field) => {
    expect(catchError(() => command.run(bad))).toEqual(expect.objectContaining({ field }));
  });

  it('an account holding an asset without a config names accounts[i].positions[k].asset', () => {
    const bad = { ...input, accounts: [input.accounts[0], { id: 'x', positions: [{ asset: 'SOL', chain: 'solana', amount: '1' }] }] };
    expect(catchError(() => command.run(bad))).toEqual(expect.objectContaining({ field: 'accounts[1].positions[0].asset', shortMessage: 'no config for SOL' }));
    expect(catchError(() => command.run({ ...input, now: 1700003601 }))).toEqual(expect.objectContaining({ name: 'StalePriceError', field: 'prices.ETH.timestamp' }));
  });
});
