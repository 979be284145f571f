import { command } from './health';

const healthInput = {
  configs: {
    ETH: { decimals: 18, haircut: '0', ltv: '0.75', liquidationThreshold: '0.8', liquidationBonus: '0.05', oracle: { heartbeatSeconds: 3600 } },
    USDC: { decimals: 6, haircut: '0.01', ltv: '0.8', liquidationThreshold: '0.85', liquidationBonus: '0.05', oracle: { heartbeatSeconds: 86400 } },
  },
  prices: { ETH: { price: '2000', timestamp: 1700000000 }, USDC: { price: '1', timestamp: 1699990000 } },
  now: 1700000060,
  account: { id: 'alice', positions: [{ asset: 'ETH', chain: 'ethereum', amount: '5000000000000000000' }], debt: '6000' },
  maxWithdrawable: { asset: 'ETH', minHealth: '1' },
};

describe('risk health', () => {
  it('Aave example: HF 1.333…, free margin, max withdrawable', () => {
    expect(command.run(healthInput)).toMatchObject({
      id: 'alice',
      healthFactor: '1.333333333333333333',
      collateralValue: '10000.000000',
      freeMargin: '1500.000000',
      liquidatable: false,
      holdings: [{ asset: 'ETH', chains: ['ethereum'], value: '10000.000000', maintenanceValue: '8000.000000' }],
      maxWithdrawable: { asset: 'ETH', chain: null, amount: '1250000000000000000', decimals: 18 },
    });
  });

  it('no debt → "infinite"; positions on two chains with different decimals', () => {
    const out = command.run({
      ...healthInput,
      account: {
        positions: [
          { asset: 'USDC', chain: 'ethereum', amount: '1000000000' },
          { asset: 'USDC', chain: 'bsc', amount: '1000000000000000000000', decimals: 18 },
        ],
      },
      maxWithdrawable: undefined,
    });
    expect(out).toMatchObject({ healthFactor: 'infinite', collateralValue: '1980.000000', liquidatable: false });
    expect(out).not.toHaveProperty('maxWithdrawable');
  });

  it.each([
    [{ ...healthInput, configs: { ETH: { ...healthInput.configs.ETH, liquidationThreshold: '0.99' } } }, 'configs.ETH.liquidationBonus'],
    [{ ...healthInput, account: { positions: [{ asset: 'ETH', amount: '1' }] } }, 'account.positions[0].chain'],
    [{ ...healthInput, prices: { SOL: { price: '1', timestamp: 1 } } }, 'prices.SOL'],
    [{ ...healthInput, maxWithdrawable: { asset: 'ETH', weight: 'both' } }, 'maxWithdrawable.weight'],
    [{ ...healthInput, account: { positions: [], debt: 'x' } }, 'account.debt'],
  ])('bad input %# → RiskError naming %s', (input, field) => {
    expect(() => command.run(input)).toThrow(expect.objectContaining({ field }));
  });
});
