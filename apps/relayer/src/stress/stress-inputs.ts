import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { readScenario, RiskError, type StressScenario } from '@ccr/risk';
import { parse as parseYaml } from 'yaml';
import { accountParam, accountBytes32 } from '../api/params';
import type { StressConfig } from '../config/config.schema';
import { InvalidStressInputError, StressFileError, UnknownScenarioError } from './stress-errors';

/** A scenario as configured: its name, the JSON it was written as (echoed in reports), and the parsed form. */
export type NamedScenario = { name: string; definition: unknown; scenario: StressScenario };

/** Where relative `stress.*File` paths point: the config file's directory, else the working directory. */
export function stressBaseDir(sourcePath: string | undefined): string {
  return sourcePath === undefined ? process.cwd() : dirname(sourcePath);
}

function resolvePath(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/**
 * The named scenarios: `stress.scenarios` and, when given, `stress.scenariosFile` (a JSON or YAML object name →
 * scenario, read once here). A name in both, or an invalid scenario in the file, is a StressFileError.
 */
export function loadNamedScenarios(config: StressConfig, baseDir: string): Map<string, NamedScenario> {
  const out = new Map<string, NamedScenario>();
  const add = (name: string, definition: unknown, where: string): void => {
    if (out.has(name)) throw new StressFileError(where, `scenario ${JSON.stringify(name)} is defined twice (stress.scenarios and stress.scenariosFile)`);
    out.set(name, { name, definition, scenario: withName(parseScenario(definition, `${where}.${name}`), name) });
  };
  for (const [name, definition] of Object.entries(config.scenarios)) add(name, definition, 'stress.scenarios');
  if (config.scenariosFile !== undefined) {
    const path = resolvePath(config.scenariosFile, baseDir);
    const file = readStructured(path);
    if (typeof file !== 'object' || file === null || Array.isArray(file)) throw new StressFileError(path, 'expected an object: scenario name → scenario');
    for (const [name, definition] of Object.entries(file)) {
      if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new StressFileError(path, `scenario name ${JSON.stringify(name)}: letters, digits, _ . - only`);
      try {
        add(name, definition, path);
      } catch (error) {
        if (error instanceof InvalidStressInputError) throw new StressFileError(path, error.shortMessage, error);
        throw error;
      }
    }
  }
  return out;
}

/** The configured scenario of this name; UnknownScenarioError (naming it and the known ones) otherwise. */
export function namedScenario(scenarios: ReadonlyMap<string, NamedScenario>, name: string): NamedScenario {
  const s = scenarios.get(name);
  if (s === undefined) throw new UnknownScenarioError(name, [...scenarios.keys()]);
  return s;
}

/** An inline scenario (POST body): @ccr/risk's scenario JSON; InvalidStressInputError naming the field otherwise. */
export function inlineScenario(definition: unknown, field: string): NamedScenario {
  const scenario = parseScenario(definition, field);
  return { name: scenario.name ?? 'inline', definition, scenario };
}

function parseScenario(definition: unknown, field: string): StressScenario {
  try {
    return readScenario(definition, '');
  } catch (error) {
    if (error instanceof RiskError) throw new InvalidStressInputError(error.field === undefined || error.field === '' ? field : `${field}.${error.field}`, error.shortMessage, error);
    throw error;
  }
}

/** The configured name is the report's name, unless the scenario carries its own. */
function withName(s: StressScenario, name: string): StressScenario {
  return s.name === undefined ? { ...s, name } : s;
}

/**
 * Maintenance requirements: `{ "<address or bytes32>": "<USD, 18 decimals, integer string>" }` → lowercase bytes32 →
 * bigint. Exact integers (what a venue contract returns), so no rounding happens here; a decimal such as "1500.5" is
 * refused rather than guessed at. InvalidStressInputError naming `field.<account>` otherwise.
 */
export function readRequirements(value: unknown, field: string): Map<string, bigint> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidStressInputError(field, 'expected an object: account → maintenance requirement (USD 18 decimals, integer string)');
  const out = new Map<string, bigint>();
  for (const [account, requirement] of Object.entries(value)) {
    const f = `${field}.${account}`;
    if (!accountParam.safeParse(account).success) throw new InvalidStressInputError(f, 'expected an address or bytes32 account');
    if (typeof requirement !== 'string' || !/^\d{1,78}$/.test(requirement))
      throw new InvalidStressInputError(f, `expected USD with 18 decimals as an integer string (1500 USD = "1500000000000000000000"), got ${JSON.stringify(requirement)}`);
    const key = accountBytes32(account)!; // defined for a defined account
    if (out.has(key)) throw new InvalidStressInputError(f, `account ${key} given twice`);
    out.set(key, BigInt(requirement));
  }
  return out;
}

/** `stress.requirementsFile` (read at each call, so the venue can replace it); StressFileError when unreadable or invalid. */
export function readRequirementsFile(path: string, baseDir: string): Map<string, bigint> {
  const full = resolvePath(path, baseDir);
  const json = readStructured(full);
  try {
    return readRequirements(json, 'requirements');
  } catch (error) {
    if (error instanceof InvalidStressInputError) throw new StressFileError(full, error.shortMessage, error);
    throw error;
  }
}

/** A JSON (or YAML) file's content; StressFileError when it cannot be read or parsed. */
function readStructured(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new StressFileError(path, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, error); // readFileSync throws an ErrnoException
  }
  try {
    return parseYaml(text); // YAML is a superset of JSON
  } catch (error) {
    throw new StressFileError(path, `not valid JSON/YAML: ${(error as Error).message.split('\n')[0]}`, error); // yaml throws a YAMLParseError, an Error
  }
}
