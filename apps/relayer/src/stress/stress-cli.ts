import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { parse as parseYaml } from 'yaml';
import { describeError, RelayerError } from '../common/relayer-error';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/config-error';
import { loadConfig, type RelayerConfig } from '../config/load-config';
import { dataSourceOptions } from '../store/data-source-options';
import { InvalidStressInputError, UnknownScenarioError } from './stress-errors';
import { inlineScenario, loadNamedScenarios, readRequirements, stressBaseDir } from './stress-inputs';
import { formatStressReport } from './format-stress-report';
import { StressModule } from './stress.module';
import { StressService } from './stress.service';

export const STRESS_USAGE = `usage: node dist/main.js stress --config <file> (--scenario <name> | --scenario-file <file.json>)
                          [--requirements <file.json>] [--json]
       node dist/main.js stress --config <file> --list
  --scenario        a scenario of stress.scenarios / stress.scenariosFile
  --scenario-file   a scenario in @ccr/risk JSON ({ "kind": "stablecoin-depeg", "asset": "USDC", "price": "0.9" })
  --requirements    account → maintenance requirement, USD 18 decimals as integer strings (overrides stress.requirementsFile)
  --json            print the report as GET /risk/stress answers it
  --list            print the configured scenarios
Exit codes: 0 ok, 2 bad arguments / unknown scenario / invalid input, 1 config error or failure (chain, files).`;

export type StressCliIo = {
  env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
};

/** What the CLI needs of the relayer: the stress service over the configured store and derivatives chain. */
@Global()
@Module({})
class StressCliCoreModule {
  static forRoot(config: RelayerConfig): DynamicModule {
    return { module: StressCliCoreModule, providers: [{ provide: AppConfig, useValue: config }, Clock], exports: [AppConfig, Clock] };
  }
}

@Module({})
class StressCliModule {
  static forRoot(config: RelayerConfig): DynamicModule {
    return {
      module: StressCliModule,
      imports: [StressCliCoreModule.forRoot(config), TypeOrmModule.forRoot({ ...dataSourceOptions(config.database.path), retryAttempts: 0 }), StressModule],
    };
  }
}

/**
 * `stress --config <file> --scenario <name> [--requirements f.json] [--json]`: the live-book stress report of
 * GET /risk/stress, from the relayer's store (the accounts of credited deposits) and the derivatives chain, without
 * the running relayer (its SQLite file is read beside it; WAL lets both at once). Returns the exit code.
 */
export async function runStressCli(argv: readonly string[], io: StressCliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string' },
        scenario: { type: 'string' },
        'scenario-file': { type: 'string' },
        requirements: { type: 'string' },
        json: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr(`stress: ${(error as Error).message}\n${STRESS_USAGE}\n`); // parseArgs throws a TypeError naming the bad option
    return 2;
  }
  if (values.help) {
    io.stdout(`${STRESS_USAGE}\n`);
    return 0;
  }
  const path = values.config ?? io.env.RELAYER_CONFIG;
  if (path === undefined || path === '') {
    io.stderr('config error: no config file: pass --config <file> or set RELAYER_CONFIG\n');
    return 1;
  }
  if (!values.list && (values.scenario === undefined) === (values['scenario-file'] === undefined)) {
    io.stderr(`stress: give one of --scenario <name> or --scenario-file <file>\n${STRESS_USAGE}\n`);
    return 2;
  }
  let config: RelayerConfig;
  try {
    config = loadConfig({ path, env: io.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  if (values.list) {
    try {
      const scenarios = loadNamedScenarios(config.stress, stressBaseDir(config.sourcePath));
      io.stdout(`${JSON.stringify([...scenarios.values()].map((s) => ({ name: s.name, kind: s.scenario.kind, definition: s.definition })), null, 2)}\n`);
      return 0;
    } catch (error) {
      io.stderr(error instanceof RelayerError ? `${JSON.stringify(error.toJSON())}\n` : `stress failed: ${describeError(error)}\n`);
      return 1;
    }
  }
  if (config.database.path !== ':memory:' && !existsSync(config.database.path)) {
    io.stderr(`stress: no relayer database at ${config.database.path} (the accounts of credited deposits come from it)\n`);
    return 1;
  }
  let app;
  try {
    app = await NestFactory.createApplicationContext(StressCliModule.forRoot(config), { logger: ['fatal', 'error'], abortOnError: false });
  } catch (error) {
    io.stderr(`stress failed: ${describeError(error)}\n`);
    return 1;
  }
  try {
    const stress = app.get(StressService);
    const scenarioFile = values['scenario-file'];
    const scenario = scenarioFile === undefined ? values.scenario! : inlineScenario(readStructured(scenarioFile), scenarioFile); // one of the two was given (checked above)
    const requirements = values.requirements === undefined ? undefined : readRequirements(readStructured(values.requirements), values.requirements);
    const report = await stress.run({ scenario, requirements });
    io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatStressReport(report));
    return 0;
  } catch (error) {
    if (error instanceof UnknownScenarioError || error instanceof InvalidStressInputError) {
      io.stderr(`${JSON.stringify(error.toJSON())}\n`);
      return 2;
    }
    io.stderr(error instanceof RelayerError ? `${JSON.stringify(error.toJSON())}\n` : `stress failed: ${describeError(error)}\n`);
    return 1;
  } finally {
    await app.close();
  }
}

/** A file named on the command line (a bad one is a bad argument: exit 2). */
function readStructured(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidStressInputError(path, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, error); // readFileSync throws an ErrnoException
  }
  try {
    return parseYaml(text); // YAML is a superset of JSON
  } catch (error) {
    throw new InvalidStressInputError(path, `not valid JSON/YAML: ${(error as Error).message.split('\n')[0]}`, error); // yaml throws a YAMLParseError, an Error
  }
}
