/**
 * Parameter sets of the scenario portfolio margin (docs/risk-model.md §7). All values are dimensionless floats except
 * `volShock.dteFloor`, which is in seconds.
 */
export type VolScenario = 'up' | 'none' | 'down';
export const VOL_SCENARIOS: readonly VolScenario[] = ['up', 'none', 'down'];

export type Scenario = { readonly spotShock: number; readonly vol: VolScenario };

export type ScenarioPmParams = {
  /** Spot shocks s (multiplying spot, forwards and the perp price) × vol shock direction. */
  readonly scenarios: readonly Scenario[];
  readonly basis: { readonly spotUp: number; readonly spotDown: number; readonly addFactor: number; readonly multFactor: number };
  readonly contingency: {
    readonly pegLossThreshold: number;
    readonly pegLossFactor: number;
    readonly confThreshold: number;
    readonly confMargin: number;
    readonly basePercent: number;
    readonly perpPercent: number;
    readonly optionPercent: number;
  };
  readonly margin: { readonly imFactor: number; readonly baseStaticDiscount: number; readonly rateMultScale: number; readonly rateAddScale: number };
  readonly volShock: {
    readonly volRangeUp: number;
    readonly volRangeDown: number;
    readonly shortTermPower: number;
    readonly longTermPower: number;
    /** Seconds; the vol-shock time scale uses max(secondsToExpiry, dteFloor). */
    readonly dteFloor: number;
  };
};

export const SECONDS_PER_DAY = 86_400;
export const SECONDS_PER_YEAR = 365 * SECONDS_PER_DAY;

function grid(shocks: readonly number[], vols: readonly VolScenario[]): Scenario[] {
  return shocks.flatMap((spotShock) => vols.map((vol) => ({ spotShock, vol })));
}

/** The reference set "test": 7 spot shocks × up/none/down = 21 scenarios. CLI default. */
export const TEST_PARAMS: ScenarioPmParams = {
  scenarios: grid([1.15, 1.1, 1.05, 1, 0.95, 0.9, 0.85], VOL_SCENARIOS),
  basis: { spotUp: 1.05, spotDown: 0.95, addFactor: 0.25, multFactor: 0.01 },
  contingency: {
    pegLossThreshold: 0.98,
    pegLossFactor: 2,
    confThreshold: 0.6,
    confMargin: 0.4,
    basePercent: 0.025,
    perpPercent: 0.025,
    optionPercent: 0.01,
  },
  margin: { imFactor: 1.3, baseStaticDiscount: 0.95, rateMultScale: 4, rateAddScale: 0.12 },
  volShock: { volRangeUp: 0.45, volRangeDown: 0.3, shortTermPower: 0.3, longTermPower: 0.13, dteFloor: SECONDS_PER_DAY },
};

/** "mainnet": 1.20 up; 1.15 … 0.85 × up/none/down; 0.80 up — 23 scenarios. */
export const MAINNET_PARAMS: ScenarioPmParams = {
  scenarios: [
    { spotShock: 1.2, vol: 'up' },
    ...grid([1.15, 1.1, 1.05, 1, 0.95, 0.9, 0.85], VOL_SCENARIOS),
    { spotShock: 0.8, vol: 'up' },
  ],
  basis: { spotUp: 1.05, spotDown: 0.95, addFactor: 1, multFactor: 1.2 },
  contingency: {
    pegLossThreshold: 0.99,
    pegLossFactor: 4,
    confThreshold: 0.55,
    confMargin: 1,
    basePercent: 0.03,
    perpPercent: 0.03,
    optionPercent: 0.02,
  },
  margin: { imFactor: 1.25, baseStaticDiscount: 0.95, rateMultScale: 1, rateAddScale: 0.12 },
  volShock: { volRangeUp: 0.6, volRangeDown: 0.3, shortTermPower: 0.3, longTermPower: 0.13, dteFloor: SECONDS_PER_DAY },
};

export const PARAM_SETS = { test: TEST_PARAMS, mainnet: MAINNET_PARAMS } as const;
export type ParamSetName = keyof typeof PARAM_SETS;
