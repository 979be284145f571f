import { catchError } from '../../../test-utils/catchError';
import { TEST_PARAMS } from '../../margin/params';
import { command, runMargin, shortestDecimal } from './margin';

/** docs/risk-model.md §9 example input (examples/margin.json), verbatim. */
const SECTION_4 = {
  model: 'scenario-pm',
  params: 'test',
  market: {
    spot: '2000', spotConfidence: '1', stablePrice: '1', perpPrice: '2001', perpConfidence: '1',
    expiries: [
      { expiry: '2023-01-18', secondsToExpiry: 1497600, forward: '2004.7545', forwardConfidence: '1', rate: '0.02', rateConfidence: '1', vol: '0.5', volConfidence: '1' },
    ],
  },
  portfolio: {
    cash: '0',
    base: '1',
    perp: { amount: '-1', entryPrice: '2005' },
    options: [{ expiry: '2023-01-18', strike: '1400', kind: 'call', amount: '-1', vol: '0.5', volConfidence: '1' }],
  },
};

const DECIMAL_6 = /^-?\d+\.\d{6,}$/;

describe('margin command', () => {
  it('is registered as "margin"', () => {
    expect(command.name).toBe('margin');
  });

  it('§4 example: every decimal has ≥ 6 fractional digits, IM ≤ MM, worst scenario reported', () => {
    const out = runMargin(SECTION_4);
    for (const v of [out.im, out.mm, out.mtm, out.worst, out.worstScenario.spotShock, out.worstScenario.loss, out.staticContingency])
      expect(v).toMatch(DECIMAL_6);
    expect(Number(out.im)).toBeLessThanOrEqual(Number(out.mm));
    expect(['up', 'none', 'down']).toContain(out.worstScenario.vol);
    // static contingency: base 0.025·2000 + perp 0.025·2000 + naked short call 0.01·2000 = 120
    expect(out.staticContingency).toBe('120.000000');
    // MtM: cash 0 + base 2000 + perp −1·(2001 − 2005) + short call
    expect(Number(out.mtm) - 2004).toBeCloseTo(Number(out.expiries[0]!.mtm), 9);
  });

  it('JSON numbers and decimal strings give the same answer', () => {
    const numeric: unknown = JSON.parse(JSON.stringify(SECTION_4, (k, v: unknown) => (typeof v === 'string' && /^-?[\d.]+$/.test(v) && k !== 'expiry' ? Number(v) : v)));
    expect(runMargin(numeric)).toEqual(runMargin(SECTION_4));
  });

  it('params may be an object (same answer as the named set) and defaults to "test"', () => {
    const asObject = JSON.parse(JSON.stringify(TEST_PARAMS)) as unknown; // plain JSON copy of the set
     
    const { params: _p, ...noParams } = SECTION_4;
    const named = runMargin(SECTION_4);
    expect({ ...runMargin({ ...SECTION_4, params: asObject }), params: 'test' }).toEqual(named);
    expect(runMargin(noParams)).toEqual(named);
    expect(runMargin({ ...SECTION_4, params: 'mainnet' }).im).not.toBe(named.im);
  });

  it('perp, options, base and cash may be absent', () => {
    const out = runMargin({ ...SECTION_4, portfolio: {} });
    expect(out).toMatchObject({ im: '0.000000', mm: '0.000000', mtm: '0.000000' });
  });

  it.each([
    [{ ...SECTION_4, model: 'var' }, 'model'],
    [{ ...SECTION_4, extra: 1 }, 'extra'],
    [{ ...SECTION_4, market: { ...SECTION_4.market, spot: '2e3' } }, 'market.spot'],
    [{ ...SECTION_4, market: { ...SECTION_4.market, stablePrice: undefined } }, 'market.stablePrice'],
    [{ ...SECTION_4, portfolio: { ...SECTION_4.portfolio, perp: { amount: '1' } } }, 'portfolio.perp.entryPrice'],
    [{ ...SECTION_4, portfolio: { options: [{ ...SECTION_4.portfolio.options[0], kind: 'straddle' }] } }, 'portfolio.options[0].kind'],
    [{ ...SECTION_4, portfolio: { options: [{ ...SECTION_4.portfolio.options[0], strik: '1' }] } }, 'portfolio.options[0].strik'],
    [{ ...SECTION_4, params: 'prod' }, 'params'],
    [{ ...SECTION_4, portfolio: [] }, 'portfolio'],
  ])('names the bad field (%#: %s)', (input, field) => {
    expect(catchError(() => runMargin(input))).toEqual(expect.objectContaining({ field }));
  });

  it('echoes an id so batch results can be matched', () => {
    expect(runMargin({ ...SECTION_4, id: 'acct-7' }).id).toBe('acct-7');
  });
});

describe('shortestDecimal', () => {
  it.each([
    [2004.7545, '2004.7545'],
    [1e-7, '0.0000001'],
    [-1.25e-8, '-0.0000000125'],
    [1.5e21, '1500000000000000000000'],
    [-3, '-3'],
  ])('%p → %s', (x, text) => {
    expect(shortestDecimal(x)).toBe(text);
  });
});
