import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, formatPath, type ConfigIssue } from './config-error';
import { getAddress, Wallet } from 'ethers';
import { configSchema, type KeySource, type RelayerConfigFile } from './config.schema';
import { SecretKey } from './secret-key';
import { validateAssetRisk } from './validate-asset-risk';

/** Which process this is: the relayer (watch → value → attest → post), or an attester (`--role attester`: watch → value → verify and sign on request, never post). */
export type RelayerRole = 'relayer' | 'attester';

/** A remote attester process (`attesters[i]` with a `url`), its bearer token resolved. */
export type RemoteAttester = {
  /** Label in /health, logs and metrics: `name`, else the address. */
  name: string;
  url: string;
  /** Checksummed: the address its signatures must recover to. */
  address: string;
  /** Its Solana multisig signer (base58), when configured (required with a Solana chain). */
  solanaAddress?: string | undefined;
  token: SecretKey;
};

/** The validated configuration plus resolved secrets: the one object every service reads settings from. */
export type RelayerConfig = RelayerConfigFile & {
  role: RelayerRole;
  /** Attester keys this process holds, in config order (the attester role: exactly one, its own). */
  attesterKeys: readonly SecretKey[];
  /** Remote attester processes the relayer asks for signatures, in config order. */
  remoteAttesters: readonly RemoteAttester[];
  /** Valid signatures a batch needs (`attestation.threshold`; default: every configured attester). */
  attestationThreshold: number;
  /** The attester role's bearer token (`attester.tokenEnv` / `tokenFile`); undefined for the relayer. */
  attesterToken: SecretKey | undefined;
  /** The relayer's sending account. The attester role has none: its placeholder refuses `reveal()`. */
  posterKey: SecretKey;
  /** The marker's sending key (`marks.posterKey`); undefined when `marks` is not configured (the marker is off). */
  marksPosterKey: SecretKey | undefined;
  /** Each Solana chain's poster key (`chains[i].solana.posterKey`: fee payer and nonce authority), by eid; none for the attester role. */
  solanaPosterKeys: ReadonlyMap<number, SecretKey>;
  /** Absolute path of the file it came from (undefined when built in memory). */
  sourcePath: string | undefined;
};

export type LoadConfigParameters = {
  /** Path of a YAML or JSON file. */
  path: string;
  /** Environment used for `RELAYER__…` overrides and `keyEnv` look-ups (main passes process.env). */
  env: Readonly<Record<string, string | undefined>>;
  /** `--role` (default relayer). */
  role?: RelayerRole | undefined;
};

/** Read, override from the environment, validate, resolve keys. Throws ConfigError naming each bad field. */
export function loadConfig({ path, env, role }: LoadConfigParameters): RelayerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ path: '', message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }], error); // readFileSync throws an ErrnoException
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError([{ path: '', message: `${path} is not valid YAML/JSON: ${(error as Error).message.split('\n')[0]}` }], error); // yaml throws a YAMLParseError, an Error
  }
  return buildConfig(applyEnvOverrides(raw, env), { env, baseDir: dirname(resolve(path)), sourcePath: resolve(path), role });
}

export type BuildConfigOptions = {
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative key files and database paths are resolved against. */
  baseDir: string;
  sourcePath?: string | undefined;
  /** `--role` (default relayer): the attester role needs an `attester` block and one key of its own, the relayer a poster. */
  role?: RelayerRole | undefined;
};

/** The attester role's poster key: it posts nothing, so there is none; revealing it is a bug and says so. */
class NoPosterKey extends SecretKey {
  constructor() {
    super('', 'none: the attester role posts nothing');
  }

  override reveal(): string {
    throw new ConfigError([{ path: 'poster', message: 'the attester role has no poster key' }]);
  }
}

/** Validate an in-memory config object (tests, the devnet helper) exactly as a file would be. */
export function buildConfig(raw: unknown, { env, baseDir, sourcePath, role = 'relayer' }: BuildConfigOptions): RelayerConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(zodIssues(parsed.error));
  const file = parsed.data;
  const issues: ConfigIssue[] = [];
  file.assets.forEach((asset, i) => {
    for (const issue of validateAssetRisk(asset)) issues.push({ path: formatPath(['assets', i, 'risk', ...issue.path]), message: issue.message });
  });
  const attesterKeys: (SecretKey | undefined)[] = [];
  const remoteAttesters: RemoteAttester[] = [];
  const signerAt = new Map<string, number>();
  file.attesters.forEach((entry, i) => {
    let address: string | undefined;
    if ('url' in entry) {
      address = getAddress(entry.address);
      const token = resolveToken(entry, ['attesters', i], env, baseDir, issues);
      if (token !== undefined) remoteAttesters.push({ name: entry.name ?? address, url: entry.url.replace(/\/+$/, ''), address, solanaAddress: entry.solanaAddress, token });
      if (entry.solanaAddress === undefined && file.chains.some((c) => c.family === 'solana'))
        issues.push({ path: formatPath(['attesters', i, 'solanaAddress']), message: 'required with a Solana chain (the multisig signer this attester signs releases with)' });
    } else {
      const key = resolveKey(entry, ['attesters', i], env, baseDir, issues);
      attesterKeys.push(key);
      address = key === undefined ? undefined : new Wallet(key.reveal()).address;
    }
    if (address === undefined) return;
    // One signer counts once on chain: two entries with one address could never make the threshold they seem to.
    const other = signerAt.get(address);
    if (other !== undefined) issues.push({ path: formatPath(['attesters', i]), message: `attester ${address} is also attesters[${other}]` });
    signerAt.set(address, i);
  });
  const attestationThreshold = file.attestation.threshold ?? file.attesters.length;
  if (attestationThreshold > file.attesters.length)
    issues.push({ path: formatPath(['attestation', 'threshold']), message: `${attestationThreshold} is more than the ${file.attesters.length} configured attester(s)` });
  let attesterToken: SecretKey | undefined;
  let posterKey: SecretKey | undefined;
  if (role === 'attester') {
    if (file.attester === undefined) issues.push({ path: 'attester', message: 'required by --role attester (its API token)' });
    else attesterToken = resolveToken(file.attester, ['attester'], env, baseDir, issues);
    if (file.attesters.length !== 1 || remoteAttesters.length > 0)
      issues.push({ path: 'attesters', message: 'the attester role holds exactly one key of its own (keyEnv or keyFile)' });
    posterKey = new NoPosterKey(); // it never posts (nor marks): `poster` and `marks` are not read
  } else if (file.poster === undefined) issues.push({ path: 'poster', message: 'Required' });
  else posterKey = resolveKey(file.poster, ['poster'], env, baseDir, issues);
  const marksPosterKey = file.marks === undefined || role === 'attester' ? undefined : resolveKey(file.marks.posterKey, ['marks', 'posterKey'], env, baseDir, issues);
  if (marksPosterKey !== undefined && posterKey !== undefined && sameKey(marksPosterKey, posterKey))
    issues.push({ path: formatPath(['marks', 'posterKey']), message: "must not be the poster's key (the two accounts' nonces would race)" });
  const solanaPosterKeys = new Map<number, SecretKey>();
  file.chains.forEach((chain, i) => {
    if (chain.solana === undefined || role === 'attester') return;
    if (chain.solana.posterKey === undefined) {
      issues.push({ path: formatPath(['chains', i, 'solana', 'posterKey']), message: 'Required (the account that pays for releases and advances the nonce)' });
      return;
    }
    const key = resolveKey(chain.solana.posterKey, ['chains', i, 'solana', 'posterKey'], env, baseDir, issues);
    if (key !== undefined) solanaPosterKeys.set(chain.eid, key);
  });
  if (issues.length > 0) throw new ConfigError(issues);
  const databasePath = file.database.path === ':memory:' || isAbsolute(file.database.path) ? file.database.path : resolve(baseDir, file.database.path);
  return {
    ...file,
    database: { ...file.database, path: databasePath },
    role,
    // resolveKey returns undefined only when it also pushed an issue, and issues are empty here.
    attesterKeys: attesterKeys as SecretKey[],
    remoteAttesters,
    attestationThreshold,
    attesterToken,
    posterKey: posterKey as SecretKey, // left undefined only beside an issue (see attesterKeys)
    marksPosterKey,
    solanaPosterKeys,
    sourcePath,
  };
}

const KEY_RE = /^(0x)?[0-9a-fA-F]{64}$/;
/** A bearer token: at least 16 printable characters, no spaces. */
const TOKEN_RE = /^[\x21-\x7e]{16,}$/;

/** An attester API token from `tokenEnv` or `tokenFile` (as a SecretKey: redacted everywhere). */
function resolveToken(
  source: { tokenEnv?: string | undefined; tokenFile?: string | undefined },
  path: (string | number)[],
  env: Readonly<Record<string, string | undefined>>,
  baseDir: string,
  issues: ConfigIssue[],
): SecretKey | undefined {
  let value: string | undefined;
  const field = source.tokenEnv !== undefined ? 'tokenEnv' : 'tokenFile';
  if (source.tokenEnv !== undefined) value = env[source.tokenEnv];
  else if (source.tokenFile !== undefined) {
    try {
      value = readFileSync(resolve(baseDir, source.tokenFile), 'utf8').trim();
    } catch (error) {
      issues.push({ path: formatPath([...path, 'tokenFile']), message: `cannot read ${source.tokenFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` }); // readFileSync throws an ErrnoException
      return undefined;
    }
  }
  if (value === undefined || value === '') {
    issues.push({ path: formatPath([...path, field]), message: source.tokenEnv !== undefined ? `environment variable ${source.tokenEnv} is not set` : 'the token file is empty' });
    return undefined;
  }
  if (!TOKEN_RE.test(value)) {
    issues.push({ path: formatPath([...path, field]), message: 'a token must be at least 16 printable characters without spaces' });
    return undefined;
  }
  return new SecretKey(value, source.tokenEnv !== undefined ? `env ${source.tokenEnv}` : `file ${source.tokenFile}`);
}

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
      issues.push({ path: formatPath([...path, 'keyFile']), message: `cannot read ${source.keyFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` }); // readFileSync throws an ErrnoException
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
      // `instanceof` narrows to ZodX<any, …>, so the inner schemas below come out `any`: each is a zod type.
      if (schema instanceof z.ZodEffects) return collect(schema.innerType() as z.ZodTypeAny); // the schema it refines
      if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodNullable)
        return collect((def as { innerType: z.ZodTypeAny }).innerType); // all three keep the wrapped schema in _def.innerType
      if (schema instanceof z.ZodArray) return collect(schema.element as z.ZodTypeAny); // the items' schema
      if (schema instanceof z.ZodUnion || schema instanceof z.ZodDiscriminatedUnion)
        return (schema.options as z.ZodTypeAny[]).flatMap((o) => collect(o)); // the member schemas
      return [];
    })(configSchema),
  ),
];
