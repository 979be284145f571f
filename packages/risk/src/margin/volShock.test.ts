import { MAINNET_PARAMS, SECONDS_PER_DAY, TEST_PARAMS } from './params';
import { volShock } from './volShock';

describe('volShock', () => {
  it('17 days 8 hours, "test" set: τ = 30/17.333…, k = τ^0.3, up = 1 + 0.45k, down = 1 − 0.3k', () => {
    const k = (30 / (17 + 8 / 24)) ** 0.3;
    const s = volShock(1_497_600, TEST_PARAMS.volShock);
    expect(s.up).toBeCloseTo(1 + 0.45 * k, 12);
    expect(s.down).toBeCloseTo(1 - 0.3 * k, 12);
    expect(s.up).toBeCloseTo(1.5305, 4);
  });

  it('uses the long-term power beyond 30 days', () => {
    const s = volShock(90 * SECONDS_PER_DAY, MAINNET_PARAMS.volShock);
    expect(s.up).toBeCloseTo(1 + 0.6 * (1 / 3) ** 0.13, 12);
    expect(s.down).toBeCloseTo(1 - 0.3 * (1 / 3) ** 0.13, 12);
  });

  it('floors the time at dteFloor and never lets down go below 0', () => {
    expect(volShock(0, TEST_PARAMS.volShock)).toEqual(volShock(SECONDS_PER_DAY, TEST_PARAMS.volShock));
    expect(volShock(0, { ...TEST_PARAMS.volShock, volRangeDown: 5 }).down).toBe(0);
  });
});
