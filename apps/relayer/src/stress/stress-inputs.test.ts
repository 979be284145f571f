import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDecimal } from '@ccr/risk';
import { configSchema } from '../config/config.schema';
import { fixtureConfig } from '../config/config.fixture';
import { InvalidStressInputError, StressFileError, UnknownScenarioError } from './stress-errors';
import { inlineScenario, loadNamedScenarios, namedScenario, readRequirements, readRequirementsFile } from './stress-inputs';
import { errorContaining, stringContaining } from '../common/matchers.fixture';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-stress-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ethCrash = { kind: 'spot-shock', shocks: [{ asset: 'WETH', shock: '-0.4' }] };
const ADDRESS = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BYTES32 = `0x000000000000000000000000${ADDRESS.slice(2).toLowerCase()}`;

describe('stress config block', () => {
  it('defaults to no scenarios; an invalid scenario is a config issue naming it and the field', () => {
    expect(configSchema.parse(fixtureConfig()).stress).toEqual({ scenarios: {} });
    const bad = configSchema.safeParse({ ...fixtureConfig(), stress: { scenarios: { 'eth-crash': { kind: 'spot-shock', shocks: [{ asset: 'WETH', shock: 'lots' }] } } } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['stress', 'scenarios', 'eth-crash'], message: stringContaining('shocks[0].shock') });
    expect(configSchema.safeParse({ ...fixtureConfig(), stress: { scenarios: { 'a b': ethCrash } } }).success).toBe(false);
  });
});

describe('named scenarios', () => {
  it('from the config block and a scenarios file; the name is the report name unless the scenario has one', () => {
    writeFileSync(join(dir, 'scenarios.yaml'), 'usdc-depeg:\n  kind: stablecoin-depeg\n  asset: USDC\n  price: "0.9"\n');
    const s = loadNamedScenarios({ scenarios: { 'eth-crash': ethCrash }, scenariosFile: 'scenarios.yaml' }, dir);
    expect([...s.keys()]).toEqual(['eth-crash', 'usdc-depeg']);
    expect(namedScenario(s, 'usdc-depeg').scenario).toEqual({ kind: 'stablecoin-depeg', name: 'usdc-depeg', asset: 'USDC', price: parseDecimal('0.9') });
    expect(namedScenario(s, 'eth-crash').definition).toBe(ethCrash);
  });

  it('an unknown name is UnknownScenarioError naming it and the known ones', () => {
    const s = loadNamedScenarios({ scenarios: { 'eth-crash': ethCrash } }, dir);
    expect(() => namedScenario(s, 'btc-crash')).toThrow(UnknownScenarioError);
    expect(() => namedScenario(s, 'btc-crash')).toThrow('unknown scenario "btc-crash" (known: eth-crash)');
  });

  it('a name in both places, an invalid file scenario, a missing file: StressFileError', () => {
    writeFileSync(join(dir, 'dup.json'), JSON.stringify({ 'eth-crash': ethCrash }));
    expect(() => loadNamedScenarios({ scenarios: { 'eth-crash': ethCrash }, scenariosFile: 'dup.json' }, dir)).toThrow(/defined twice/);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ x: { kind: 'meteor' } }));
    expect(() => loadNamedScenarios({ scenarios: {}, scenariosFile: 'bad.json' }, dir)).toThrow(StressFileError);
    expect(() => loadNamedScenarios({ scenarios: {}, scenariosFile: 'none.json' }, dir)).toThrow(/cannot read: ENOENT/);
  });

  it('an inline scenario is parsed, or refused naming the field', () => {
    expect(inlineScenario({ kind: 'oracle-failure', asset: 'WETH', mode: 'refused' }, 'body.scenario')).toMatchObject({ name: 'inline', scenario: { mode: 'refused' } });
    expect(() => inlineScenario({ kind: 'oracle-failure', asset: 'WETH' }, 'body.scenario')).toThrow(
      errorContaining({ name: 'InvalidStressInputError', field: 'body.scenario.mode', shortMessage: 'body.scenario.mode: is required' }),
    );
  });
});

describe('requirements', () => {
  it('address or bytes32 → lowercase bytes32, exact USD 18-decimal integers', () => {
    const r = readRequirements({ [ADDRESS]: '1500000000000000000000', [`0x${'ab'.repeat(32)}`]: '0' }, 'requirements');
    expect(r).toEqual(new Map([[BYTES32, 1500n * 10n ** 18n], [`0x${'ab'.repeat(32)}`, 0n]]));
  });

  it('refuses decimals, numbers, bad accounts and an account given twice, naming the field', () => {
    expect(() => readRequirements({ [ADDRESS]: '1500.5' }, 'body.requirements')).toThrow(errorContaining({ field: `body.requirements.${ADDRESS}` }));
    expect(() => readRequirements({ [ADDRESS]: 1500 }, 'body.requirements')).toThrow(InvalidStressInputError);
    expect(() => readRequirements({ bob: '1' }, 'r')).toThrow(errorContaining({ field: 'r.bob' }));
    expect(() => readRequirements({ [ADDRESS]: '1', [BYTES32]: '2' }, 'r')).toThrow(/given twice/);
    expect(() => readRequirements([], 'r')).toThrow(InvalidStressInputError);
  });

  it('a requirements file: read as given, or a StressFileError', () => {
    writeFileSync(join(dir, 'req.json'), JSON.stringify({ [ADDRESS]: '42' }));
    expect(readRequirementsFile('req.json', dir)).toEqual(new Map([[BYTES32, 42n]]));
    writeFileSync(join(dir, 'req-bad.json'), JSON.stringify({ [ADDRESS]: '4.2' }));
    expect(() => readRequirementsFile(join(dir, 'req-bad.json'), '/elsewhere')).toThrow(StressFileError);
  });
});
