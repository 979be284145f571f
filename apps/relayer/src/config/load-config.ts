import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, formatPath, type ConfigIssue } from './config-error';
import { configSchema, type KeySource, type RelayerConfigFile } from './config.schema';
import { SecretKey } from './secret-key';
import { validateAssetRisk } from './validate-asset-risk';

/** The validated configuration plus resolved secrets: the one object every service reads settings from. */
export type RelayerConfig = RelayerConfigFile & {
  /** Attester keys, in config order. */
  attesterKeys: readonly SecretKey[];
  posterKey: SecretKey;
  /** The marker's sending key (`marks.posterKey`); undefined when `marks` is not configured (the marker is off). */
  marksPosterKey: SecretKey | undefined;
  /** Absolute path of the file it came from (undefined when built in memory). */
  sourcePath: string | undefined;
};

export type LoadConfigParameters = {
  /** Path of a YAML or JSON file. */
  path: string;
  /** Environment used for `RELAYER__…` overrides and `keyEnv` look-ups (main passes process.env). */
  env: Readonly<Record<string, string | undefined>>;
};

/** Read, override from the environment, validate, resolve keys. Throws ConfigError naming each bad field. */
export function loadConfig({ path, env }: LoadConfigParameters): RelayerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ path: '', message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }], error);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError([{ path: '', message: `${path} is not valid YAML/JSON: ${(error as Error).message.split('\n')[0]}` }], error);
  }
  return buildConfig(applyEnvOverrides(raw, env), { env, baseDir: dirname(resolve(path)), sourcePath: resolve(path) });
}

export type BuildConfigOptions = {
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative key files and database paths are resolved against. */
  baseDir: string;
  sourcePath?: string | undefined;
};

/** Validate an in-memory config object (tests, the devnet helper) exactly as a file would be. */
export function buildConfig(raw: unknown, { env, baseDir, sourcePath }: BuildConfigOptions): RelayerConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(zodIssues(parsed.error));
  const file = parsed.data;
  const issues: ConfigIssue[] = [];
  file.assets.forEach((asset, i) => {
    for (const issue of validateAssetRisk(asset)) issues.push({ path: formatPath(['assets', i, 'risk', ...issue.path]), message: issue.message });
  });
  const attesterKeys = file.attesters.map((source, i) => resolveKey(source, ['attesters', i], env, baseDir, issues));
  const posterKey = resolveKey(file.poster, ['poster'], env, baseDir, issues);
  const marksPosterKey = file.marks === undefined ? undefined : resolveKey(file.marks.posterKey, ['marks', 'posterKey'], env, baseDir, issues);
  if (marksPosterKey !== undefined && posterKey !== undefined && sameKey(marksPosterKey, posterKey))
    issues.push({ path: formatPath(['marks', 'posterKey']), message: "must not be the poster's key (the two accounts' nonces would race)" });
  if (issues.length > 0) throw new ConfigError(issues);
  const databasePath = file.database.path === ':memory:' || isAbsolute(file.database.path) ? file.database.path : resolve(baseDir, file.database.path);
  return {
    ...file,
    database: { ...file.database, path: databasePath },
    // resolveKey returned a placeholder only when it also pushed an issue, and issues are empty here.
    attesterKeys: attesterKeys as SecretKey[],
    posterKey: posterKey as SecretKey,
    marksPosterKey,
    sourcePath,
  };
}

const KEY_RE = /^(0x)?[0-9a-fA-F]{64}$/;

/** Two keys are one account when their hex is equal (resolveKey normalises the 0x prefix, not the case). */
function sameKey(a: SecretKey, b: SecretKey): boolean {
  return a.reveal().toLowerCase() === b.reveal().toLowerCase();
}

function resolveKey(
  source: KeySource,
  path: (string | number)[],
  env: Readonly<Record<string, string | undefined>>,
  baseDir: string,
  issues: ConfigIssue[],
): SecretKey | undefined {
  let value: string | undefined;
  let where: string;
  if ('keyEnv' in source) {
    where = `env ${source.keyEnv}`;
    value = env[source.keyEnv];
    if (value === undefined || value === '') {
      issues.push({ path: formatPath([...path, 'keyEnv']), message: `environment variable ${source.keyEnv} is not set` });
      return undefined;
    }
  } else {
    where = `file ${source.keyFile}`;
    try {
      value = readFileSync(resolve(baseDir, source.keyFile), 'utf8').trim();
    } catch (error) {
      issues.push({ path: formatPath([...path, 'keyFile']), message: `cannot read ${source.keyFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` });
      return undefined;
    }
  }
  if (!KEY_RE.test(value)) {
    // Never echo the value: it may be a real key with a typo.
    issues.push({ path: formatPath([...path, 'keyEnv' in source ? 'keyEnv' : 'keyFile']), message: `${where} does not hold a 32-byte hex private key` });
    return undefined;
  }
  return new SecretKey(value.startsWith('0x') ? value : `0x${value}`, where);
}

function zodIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/**
 * `RELAYER__API__PORT=9000` sets `api.port`; `RELAYER__CHAINS__0__RPCURL=…` sets `chains[0].rpcUrl`.
 * Segments match existing keys case-insensitively (else schema keys); values that parse as JSON
 * numbers/booleans become those, everything else stays a string.
 */
export function applyEnvOverrides(raw: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  const root: unknown = structuredClone(raw ?? {});
  const entries = Object.entries(env)
    .filter((e): e is [string, string] => e[0].startsWith('RELAYER__') && e[1] !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  for (const [name, value] of entries) {
    const segments = name.slice('RELAYER__'.length).split('__').filter((s) => s !== '');
    if (segments.length === 0) continue;
    let node = root;
    segments.forEach((segment, i) => {
      if (typeof node !== 'object' || node === null) return;
      // Objects and arrays are both indexable by string keys at runtime.
      const container = node as Record<string, unknown>;
      const key = Array.isArray(node) ? segment : matchKey(container, segment);
      if (i === segments.length - 1) {
        container[key] = coerce(value);
      } else {
        if (typeof container[key] !== 'object' || container[key] === null) container[key] = /^\d+$/.test(segments[i + 1] ?? '') ? [] : {};
        node = container[key];
      }
    });
  }
  return root;
}

function matchKey(container: Record<string, unknown>, segment: string): string {
  const lower = segment.toLowerCase();
  const existing = Object.keys(container).find((k) => k.toLowerCase() === lower);
  if (existing !== undefined) return existing;
  return SCHEMA_KEYS.find((k) => k.toLowerCase() === lower) ?? lower;
}

function coerce(value: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(value) && Number.isSafeInteger(Math.trunc(Number(value)))) return Number(value);
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** Every object key the schema knows, so an override can create a key the file does not have yet. */
const SCHEMA_KEYS = [
  ...new Set(
    (function collect(schema: z.ZodTypeAny): string[] {
      const def: unknown = schema._def;
      if (schema instanceof z.ZodObject) {
        // `shape` is a record of zod types; its keys are the field names.
        const shape = schema.shape as Record<string, z.ZodTypeAny>;
        return Object.entries(shape).flatMap(([k, v]) => [k, ...collect(v)]);
      }
      if (schema instanceof z.ZodEffects) return collect(schema.innerType());
      if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodNullable)
        return collect((def as { innerType: z.ZodTypeAny }).innerType);
      if (schema instanceof z.ZodArray) return collect(schema.element);
      if (schema instanceof z.ZodUnion || schema instanceof z.ZodDiscriminatedUnion)
        return (schema.options as z.ZodTypeAny[]).flatMap((o) => collect(o));
      return [];
    })(configSchema),
  ),
];
