import fc from 'fast-check';
import { catchError } from '../../test-utils/catchError';
import { InvalidInputError } from '../errors';
import { parseDecimal as d, ONE } from '../money/fixed';
import { markValue } from '../valuation/markValue';
import { collateralValue, type PricedAsset } from '../valuation/valueCollateral';
import { readScenario } from './readScenario';
import { type BookAccount, type BookAsset, stressLiveBook } from './stressLiveBook';

const mark = (price: string, haircut: string, stale = false) => ({ price: d(price), haircut: d(haircut), timestamp: 1_700_000_000n, stale });
const assets: BookAsset[] = [
  { id: '40101:usdc', symbol: 'USDC', decimals: 6, mark: mark('1', '0.02') },
  { id: '40102:usdc', symbol: 'USDC', decimals: 6, mark: mark('0.999', '0.02') },
  {
    id: '40101:weth',
    symbol: 'WETH',
    decimals: 18,
    mark: mark('2000', '0.1'),
    tiers: [
      { upTo: d('100000'), weight: ONE },
      { upTo: null, weight: d('0.5') },
    ],
  },
  { id: '40101:steth', symbol: 'stETH', decimals: 18, mark: mark('1990.5', '0.15') },
  { id: '40102:dust', symbol: 'DUST', decimals: 8, mark: mark('0.333333333333333333', '0.35', true) },
];
const accounts: BookAccount[] = [
  { id: 'alice', positions: [{ asset: '40101:weth', rawAmount: d('100') }], maintenance: d('120000') },
  {
    id: 'bob',
    positions: [
      { asset: '40101:usdc', rawAmount: 10_000_000_000n },
      { asset: '40102:usdc', rawAmount: 5_000_500_000n },
    ],
    maintenance: d('14000'),
  },
  { id: 'carol', positions: [{ asset: '40101:steth', rawAmount: d('3') }, { asset: '40101:weth', rawAmount: ONE }] },
  { id: 'dave', positions: [{ asset: '40102:dust', rawAmount: 7n }] },
];
const run = (scenario: unknown) => stressLiveBook({ assets, accounts, scenario: readScenario(scenario, 'scenario') });
const account = (r: ReturnType<typeof run>, id: string) => r.accounts.find((a) => a.id === id)!;

describe('stressLiveBook', () => {
  it('values before at the marks: per position floor(tiers(floor(raw · price / 10^dec)) · (1 − h)), summed', () => {
    const r = run({ kind: 'stablecoin-depeg', asset: 'USDC', price: '1' });
    // 100 WETH at 2,000 = 200,000 gross; tiers 100,000 · 1 + 100,000 · 0.5 = 150,000; × 0.9
    expect(account(r, 'alice').valueBefore).toBe(d('135000'));
    // 10,000 · 1 · 0.98 + 5,000.5 · 0.999 · 0.98 = 9,800 + 4,895.58951
    expect(account(r, 'bob').positions.map((p) => p.valueBefore)).toEqual([d('9800'), d('4895.58951')]);
    expect(account(r, 'bob').valueBefore).toBe(d('14695.58951'));
    // 3 · 1,990.5 · 0.85 + 1 · 2,000 · 0.9
    expect(account(r, 'carol').valueBefore).toBe(d('6875.775'));
    // 7 base units (8 dp) at 0.333…: gross floor(23,333,333,333.33) = 23,333,333,333 units of 1e-18; × 0.65 → floor(15,166,666,666.45)
    expect(account(r, 'dave')).toMatchObject({ valueBefore: 15_166_666_666n, staleBefore: true, staleAfter: true, maintenance: null, belowMaintenance: null });
    expect(r.totals.valueBefore).toBe(d('135000') + d('14695.58951') + d('6875.775') + 15_166_666_666n);
  });

  it('stablecoin de-peg: both chains’ USDC to 0.90; bob falls below his requirement', () => {
    const r = run({ kind: 'stablecoin-depeg', name: 'usdc-depeg', asset: 'USDC', price: '0.9' });
    expect(r.scenario).toBe('usdc-depeg');
    // 10,000 · 0.9 · 0.98 + 5,000.5 · 0.9 · 0.98 = 8,820 + 4,410.441
    expect(account(r, 'bob')).toMatchObject({
      valueAfter: d('13230.441'),
      delta: -d('1465.14851'),
      belowMaintenanceBefore: false,
      belowMaintenance: true,
      shortfall: d('769.559'),
    });
    expect(account(r, 'alice')).toMatchObject({ delta: 0n, belowMaintenance: false, shortfall: 0n });
    expect(r.assets.filter((a) => a.changed).map((a) => [a.id, a.priceAfter])).toEqual([
      ['40101:usdc', d('0.9')],
      ['40102:usdc', d('0.9')],
    ]);
    expect(r.totals).toMatchObject({ accounts: 4, withRequirement: 2, belowMaintenance: 1, newlyBelowMaintenance: 1, shortfall: d('769.559'), delta: -d('1465.14851') });
  });

  it('ETH crash through the tiers, stETH following at 0.9', () => {
    const r = run({
      kind: 'spot-shock',
      shocks: [{ asset: 'WETH', shock: '-0.4' }],
      followers: [{ asset: 'stETH', driver: 'WETH', dampening: '0.9' }],
    });
    // WETH 1,200: 120,000 gross → 100,000 + 20,000 · 0.5 = 110,000 → × 0.9
    expect(account(r, 'alice')).toMatchObject({ valueAfter: d('99000'), delta: -d('36000'), belowMaintenance: true, shortfall: d('21000') });
    // stETH −36 % → 1,273.92: 3 · 1,273.92 · 0.85 + 1,200 · 0.9
    expect(account(r, 'carol').valueAfter).toBe(d('3248.496') + d('1080'));
    expect(r.assets.find((a) => a.id === '40101:steth')!.priceAfter).toBe(d('1273.92'));
  });

  it('a dampened follower’s shock rounds towards −∞, its price down', () => {
    const r = run({ kind: 'spot-shock', shocks: [{ asset: 'WETH', shock: '-0.4' }], followers: [{ asset: 'stETH', driver: 'WETH', dampening: '0.333333333333333333' }] });
    // shock floor(−0.4 · 0.333333333333333333) = −0.133333333333333334; price floor(1,990.5 · 0.866666666666666666)
    expect(r.assets.find((a) => a.id === '40101:steth')!.priceAfter).toBe(1_725_099_999_999_999_998_673n);
    // gross floor(3 · 1,725.099999999999998673) = 5,175.299999999999996019; × 0.85, floored
    expect(account(r, 'carol').positions[0]!.valueAfter).toBe(4_399_004_999_999_999_996_616n);
  });

  it('oracle failure: zero, refused (counts 0, stale), last good price less a penalty', () => {
    const zero = run({ kind: 'oracle-failure', asset: 'WETH', mode: 'zero' });
    expect(account(zero, 'alice')).toMatchObject({ valueAfter: 0n, belowMaintenance: true, shortfall: d('120000'), staleAfter: false });
    expect(account(zero, 'carol').valueAfter).toBe(d('5075.775'));

    const refused = run({ kind: 'oracle-failure', asset: 'stETH', mode: 'refused' });
    expect(account(refused, 'carol')).toMatchObject({ valueAfter: d('1800'), staleBefore: false, staleAfter: true });
    expect(refused.assets.find((a) => a.id === '40101:steth')).toMatchObject({ priceAfter: d('1990.5'), refused: true, changed: true });
    expect(refused.totals.staleAfter).toBe(2); // carol, and dave (stale already)

    // 2,000 · 0.9 = 1,800: 180,000 gross → 100,000 + 40,000 → × 0.9
    const lastGood = run({ kind: 'oracle-failure', asset: 'WETH', mode: 'last-good', penalty: '0.1' });
    expect(account(lastGood, 'alice')).toMatchObject({ valueAfter: d('126000'), belowMaintenance: false, shortfall: 0n });
  });

  it('combined steps apply in order; a scenario may name an asset by id', () => {
    const r = run({
      kind: 'combined',
      steps: [
        { kind: 'stablecoin-depeg', asset: '40102:USDC', price: '0.5' },
        { kind: 'spot-shock', shocks: [{ asset: 'USDC', shock: '-0.1' }] },
      ],
    });
    expect(r.scenario).toBe('stablecoin-depeg(40102:USDC) + spot-shock(USDC)');
    // chain 1: 0.9 → 10,000 · 0.9 · 0.98; chain 2: 0.5 then −10 % → 0.45 → 5,000.5 · 0.45 · 0.98
    expect(account(r, 'bob').valueAfter).toBe(d('8820') + d('2205.2205'));
  });

  it('only a position with a credited amount makes an account stale (a frozen-only one does not)', () => {
    const scenario = readScenario({ kind: 'oracle-failure', asset: 'WETH', mode: 'refused' }, 'scenario');
    const r = stressLiveBook({ assets, accounts: [{ id: 'x', positions: [{ asset: '40102:dust', rawAmount: 0n }, { asset: '40101:weth', rawAmount: 0n }] }], scenario });
    expect(r.accounts[0]).toMatchObject({ valueBefore: 0n, valueAfter: 0n, staleBefore: false, staleAfter: false });
  });

  it('a requirement equal to the value is not below maintenance', () => {
    const r = stressLiveBook({
      assets,
      accounts: [{ id: 'x', positions: [{ asset: '40101:usdc', rawAmount: 1_000_000n }], maintenance: d('0.882') }],
      scenario: { kind: 'stablecoin-depeg', asset: 'USDC', price: d('0.9') },
    });
    expect(r.accounts[0]).toMatchObject({ valueAfter: d('0.882'), belowMaintenance: false, shortfall: 0n });
  });

  it('refuses bad input, naming the field', () => {
    expect(catchError(() => run({ kind: 'stablecoin-depeg', asset: 'DAI', price: '0.9' }))).toEqual(expect.objectContaining({ field: 'scenario.asset' }));
    expect(catchError(() => run({ kind: 'spot-shock', shocks: [{ asset: 'WETH', shock: '-1.5' }] }))).toEqual(expect.objectContaining({ field: 'scenario.shocks[0].shock' }));
    expect(catchError(() => run({ kind: 'spot-shock', shocks: [{ asset: 'WETH', shock: '-0.1' }], followers: [{ asset: 'stETH', driver: 'USDC', dampening: '1' }] }))).toEqual(
      expect.objectContaining({ field: 'scenario.followers[0].driver' }),
    );
    expect(() => run({ kind: 'oracle-failure', asset: 'WETH', mode: 'last-good', penalty: '2' })).toThrow(InvalidInputError);
    expect(catchError(() => run({ kind: 'oracle-failure', asset: 'WETH', mode: 'gone' }))).toEqual(expect.objectContaining({ field: 'scenario.mode' }));
    const scenario = readScenario({ kind: 'stablecoin-depeg', asset: 'USDC', price: '1' }, 'scenario');
    expect(catchError(() => stressLiveBook({ assets, accounts: [{ id: 'x', positions: [{ asset: 'nope', rawAmount: 1n }] }], scenario }))).toEqual(
      expect.objectContaining({ field: 'accounts[0].positions[0].asset' }),
    );
    const badTiers: BookAsset = { ...assets[2]!, tiers: [{ upTo: null, weight: ONE }, { upTo: d('1'), weight: ONE }] };
    expect(catchError(() => stressLiveBook({ assets: [badTiers], accounts: [], scenario }))).toEqual(expect.objectContaining({ field: 'assets[0].tiers[0].upTo' }));
  });
});

describe('markValue', () => {
  it('is collateralValue of the asset priced at the mark, bit for bit', () => {
    const tiersArb = fc
      .uniqueArray(fc.bigInt({ min: 1n, max: 10n ** 30n }), { minLength: 0, maxLength: 4 })
      .chain((bounds) =>
        fc.array(fc.bigInt({ min: 0n, max: ONE }), { minLength: bounds.length + 1, maxLength: bounds.length + 1 }).map((ws) => {
          const sorted = [...bounds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          const weights = [...ws].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
          return [...sorted.map((upTo, i) => ({ upTo, weight: weights[i]! })), { upTo: null, weight: weights[sorted.length]! }];
        }),
      );
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
        fc.integer({ min: 0, max: 36 }),
        fc.bigInt({ min: 0n, max: 2n ** 112n - 1n }),
        fc.bigInt({ min: 0n, max: ONE }),
        fc.option(tiersArb, { nil: undefined }),
        (raw, decimals, price, haircut, tiers) => {
          const priced = {
            config: { symbol: 'X', decimals, haircut, ltv: 0n, liquidationThreshold: 0n, liquidationBonus: 0n, ...(tiers === undefined ? {} : { tiers }), oracle: { heartbeatSeconds: 1n } },
            oraclePrice: { price, timestamp: 0n },
            valuationPrice: price,
            haircut,
            volatilityHaircut: undefined,
          } satisfies PricedAsset;
          expect(markValue(raw, { decimals, price, haircut, tiers })).toBe(collateralValue(priced, raw, decimals));
        },
      ),
    );
  });
});
