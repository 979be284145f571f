import { catchError } from '../../../test-utils/catchError';
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
    expect(catchError(() => command.run(input))).toEqual(expect.objectContaining({ field }));
  });

  it('errors name the path in the input and show values as written', () => {
    const run = (input: unknown) => {
      try {
        command.run(input);
      } catch (e) {
        return (e as { toJSON(): Record<string, unknown> }).toJSON(); // every error here is a RiskError
      }
      throw new Error('expected a RiskError');
    };
    expect(run({ ...healthInput, account: { ...healthInput.account, debt: '-5.5' } })).toMatchObject({
      error: 'InvalidInputError',
      field: 'account.debt',
      message: 'must not be negative, got -5.5',
    });
    const doge = { ...healthInput, account: { positions: [healthInput.account.positions[0], { asset: 'DOGE', chain: 'x', amount: '1' }] } };
    expect(run(doge)).toMatchObject({ error: 'InvalidInputError', field: 'account.positions[1].asset', message: 'no config for DOGE', details: { known: ['ETH', 'USDC'] } });
    const unpriced = { ...healthInput, prices: { USDC: healthInput.prices.USDC } };
    expect(run(unpriced)).toMatchObject({ error: 'MissingPriceError', field: 'account.positions[0].asset', reason: 'no-price' });
    expect(run({ ...healthInput, now: 1700003601 })).toMatchObject({
      error: 'StalePriceError',
      field: 'prices.ETH.timestamp',
      message: 'price of feed is 3601s old, heartbeat is 3600s',
    });
    expect(run({ ...healthInput, prices: { ...healthInput.prices, ETH: { price: '-2000.5', timestamp: 1700000000 } } })).toMatchObject({
      error: 'NonPositivePriceError',
      field: 'prices.ETH.price',
      message: 'price -2000.5 of feed is not positive',
      details: { price: '-2000.5' },
    });
    expect(run({ ...healthInput, configs: { ...healthInput.configs, ETH: { ...healthInput.configs.ETH, ltv: '0.85' } } })).toMatchObject({
      field: 'configs.ETH.ltv',
      details: { ltv: '0.85', liquidationThreshold: '0.8' },
    });
    expect(run({ ...healthInput, maxWithdrawable: { asset: 'BTC' } })).toMatchObject({ field: 'maxWithdrawable.asset', message: 'no config for BTC' });
    const bridged = { ...healthInput.configs.USDC, ltv: '0.9' };
    expect(run({ ...healthInput, configs: { ...healthInput.configs, 'USDC.e': bridged } })).toMatchObject({
      field: 'configs["USDC.e"].ltv',
      details: { ltv: '0.9', liquidationThreshold: '0.85' },
    });
  });
});
