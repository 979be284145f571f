import { solanaAddressToBytes32 } from '@ccr/messages';
import { readScenario, RiskError } from '@ccr/risk';
import { z } from 'zod';

/**
 * The relayer's configuration file (YAML or JSON), validated once at boot. Field names here are the
 * file's field names; `RELAYER__A__B=value` environment variables override `a.b` (see loadConfig.ts).
 * Secrets never live in this file: attester and poster keys are named by an environment variable or a key file.
 */

/** An http(s) or ws(s) URL (zod's .url() alone accepts `localhost:8545` as a URL with scheme "localhost:"). */
function isRpcUrl(value: string): boolean {
  try {
    return ['http:', 'https:', 'ws:', 'wss:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** An http(s) URL (a remote attester's API). */
function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const evmAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 20-byte hex address');
/** A Solana public key in base58 (32 bytes). */
const solanaAddress = z.string().refine(isSolanaAddress, 'expected a base58 Solana public key (32 bytes)');
/** An address of either family; the chain's (or asset's chain's) family decides which one (checked in superRefine). */
const anyAddress = z.string().refine((v) => /^0x[0-9a-fA-F]{40}$/.test(v) || isSolanaAddress(v), 'expected a 0x-prefixed 20-byte hex address or a base58 Solana public key');

function isSolanaAddress(value: string): boolean {
  try {
    solanaAddressToBytes32(value);
    return true;
  } catch {
    return false;
  }
}
const uint32 = z.number().int().min(0).max(0xffff_ffff);
const positiveInt = z.number().int().positive();

export const finalitySchema = z.discriminatedUnion('mode', [
  /** Read at the node's `finalized` block tag. */
  z.object({ mode: z.literal('finalized') }).strict(),
  /** `head − confirmations` (for chains without a finalized tag, or for tests). */
  z.object({ mode: z.literal('confirmations'), confirmations: z.number().int().min(0) }).strict(),
]);

/** Where a secret key comes from: an environment variable or a file holding the 0x-hex key. */
export const keySourceSchema = z.union([
  z.object({ keyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name') }).strict(),
  z.object({ keyFile: z.string().min(1) }).strict(),
]);

/** Where a bearer token comes from (an attester's API token): an environment variable or a file holding it. */
const tokenSourceFields = {
  tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name').optional(),
  tokenFile: z.string().min(1).optional(),
};
const exactlyOneToken = (value: { tokenEnv?: string | undefined; tokenFile?: string | undefined }, ctx: z.RefinementCtx): void => {
  if ((value.tokenEnv === undefined) === (value.tokenFile === undefined))
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['tokenEnv'], message: 'give exactly one of tokenEnv or tokenFile' });
};

/**
 * An independent attester process (`node dist/main.js --role attester`, docs/two-way-book.md "Independent attesters"):
 * its API, the bearer token it expects, and the address its signatures must recover to (anything else is not counted).
 */
export const remoteAttesterSchema = z
  .object({
    /** Label in /health, logs and `ccr_attester_refusals_total{attester}` (default: the address). */
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/, 'letters, digits, _ . - (at most 32)').optional(),
    url: z.string().refine(isHttpUrl, 'Invalid url'),
    address: evmAddress,
    /** Its Solana key (the multisig signer it signs releases with; docs/solana.md): required when a Solana chain is configured. */
    solanaAddress: solanaAddress.optional(),
    ...tokenSourceFields,
  })
  .strict()
  .superRefine(exactlyOneToken);

/** An attester: a key this process holds (`keyEnv` / `keyFile`), or a remote attester process (`url`). */
export const attesterEntrySchema = z.union([keySourceSchema, remoteAttesterSchema]);

/** How the relayer collects a batch's signatures when `attesters` lists remote ones. */
export const attestationSchema = z
  .object({
    /** Valid signatures a batch needs (the receiver's and the vaults' threshold); default: every configured attester. */
    threshold: z.number().int().positive().optional(),
    /** How long a batch waits for the remote attesters (each is asked in parallel); below the threshold by then it is held ('attestation-quorum'). */
    timeoutMs: z.number().int().min(100).default(5000),
  })
  .strict();

/**
 * The attester role (`--role attester`): the bearer token its POST /attest requires, and what it accepts. It signs a
 * batch only when every message matches an event it saw itself at its own finality (and, for a CREDIT, the value it
 * computes itself); docs/two-way-book.md "Independent attesters".
 */
export const attesterRoleSchema = z
  .object({
    ...tokenSourceFields,
    /** Sign a VOID whose reason is `operator` (3): the relayer's operator decided it, this attester cannot check why. */
    acceptOperatorVoids: z.boolean().default(false),
    /** Feed rounds walked back from latestRound (getRoundData) to find the round a CREDIT's priceTimestamp names. */
    maxRoundsBack: z.number().int().min(1).max(10_000).default(64),
    /** A message whose event this attester has not seen at its finality yet is waited for this long before it is refused. */
    awaitMs: z.number().int().min(0).max(60_000).default(2000),
    /** The longest attestation it signs: validUntil ≤ its clock (the later of the wall clock and the destination's block time) + this. */
    maxTtlSeconds: z.number().int().positive().default(3600),
  })
  .strict()
  .superRefine(exactlyOneToken);

/** A USD amount as a decimal string of whole dollars ("10000", "2500.50"), at most 18 fractional digits; > 0. */
const positiveUsd = z
  .string()
  .regex(/^\d+(\.\d{1,18})?$/, 'expected a USD amount as a decimal string with at most 18 fractional digits')
  .refine((v) => /[1-9]/.test(v), 'must be above 0');

/**
 * Limits of a source chain (apps/relayer/src/limits, docs/two-way-book.md "Limits"), Wormhole-Governor style, on the
 * haircut value (USD) of its credits. Absent: no limits on that chain.
 */
export const chainLimitsSchema = z
  .object({
    /** Haircut value credited (or being credited) from this chain within any sliding window may not exceed this. */
    notionalLimitUsd: positiveUsd,
    /** The sliding window (default 24 h). */
    windowSeconds: positiveInt.default(86_400),
    /** A deposit whose haircut value is above this waits `largeTransferDelaySeconds` from its finality; absent: no such delay. */
    singleTransferLimitUsd: positiveUsd.optional(),
    largeTransferDelaySeconds: z.number().int().min(0).default(86_400),
  })
  .strict();

/**
 * What a Solana source chain needs beyond the common fields (docs/solana.md). Its `vault` is the SPL Token multisig of
 * the attesters; the vault token account of each configured asset (mint) is the multisig's associated token account.
 */
export const solanaChainSchema = z
  .object({
    /** The durable nonce account releases are signed over (its authority: `posterKey`'s account). */
    nonceAccount: solanaAddress,
    /** The relayer's Solana account (32-byte ed25519 seed, hex): pays fees and recipients' token-account rent; the nonce authority. */
    posterKey: keySourceSchema.optional(),
    /** Signatures per `getSignaturesForAddress` page (1–1000). */
    signaturePageSize: z.number().int().min(1).max(1000).default(1000),
  })
  .strict();

export const chainSchema = z
  .object({
    name: z.string().min(1),
    /** evm (default) or solana (a source chain only: docs/solana.md). */
    family: z.enum(['evm', 'solana']).default('evm'),
    eid: uint32,
    /** EVM chains: the chain id (the EIP-712 domain's, and the transactions'). Unused on Solana. */
    chainId: z.number().int().min(0).default(0),
    /** The chain's RPC endpoint. Either this or `rpcUrls` (or both: `rpcUrl` then goes first). */
    rpcUrl: z.string().refine(isRpcUrl, 'Invalid url').optional(),
    /** Endpoints in order of preference; a failing or stalled one is deprioritized and the next one used. */
    rpcUrls: z.array(z.string().refine(isRpcUrl, 'Invalid url')).min(1).optional(),
    role: z.enum(['source', 'destination']),
    /** Source chains: the CollateralVault whose `Locked` events are watched; on Solana the vault's SPL Token multisig (base58). */
    vault: anyAddress.optional(),
    /** The destination chain: the MarginCreditReceiver. */
    receiver: evmAddress.optional(),
    finality: finalitySchema.default({ mode: 'finalized' }),
    /** First block to scan when no cursor is stored yet (the vault's deployment block). */
    startBlock: z.number().int().min(0).default(0),
    /** Blocks per `eth_getLogs` request. */
    logChunkSize: z.number().int().min(1).max(100_000).default(1999),
    pollIntervalMs: z.number().int().min(10).default(2000),
    /** Per-call RPC timeout. */
    rpcTimeoutMs: z.number().int().min(100).default(30_000),
    /** An endpoint whose block number has not moved for this long (between two of its answers) is stalled and deprioritized. */
    rpcStallMs: z.number().int().min(1000).default(120_000),
    /** How long an endpoint stays deprioritized after an error (transport failure, timeout, HTTP error). */
    rpcCooldownMs: z.number().int().min(0).default(30_000),
    /** Source chains: notional and single-transfer limits of its credits (absent: none). */
    limits: chainLimitsSchema.optional(),
    /** Solana chains: the release settings (required there, refused elsewhere). */
    solana: solanaChainSchema.optional(),
  })
  .strict()
  .superRefine((chain, ctx) => {
    if (chain.family === 'evm') {
      if (chain.chainId <= 0) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['chainId'], message: 'an EVM chain needs its chainId (a positive integer)' });
      if (chain.vault !== undefined && !chain.vault.startsWith('0x'))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['vault'], message: 'expected a 0x-prefixed 20-byte hex address' });
      if (chain.solana !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['solana'], message: 'only a chain of family solana takes a solana block' });
    } else {
      if (chain.role !== 'source') ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['role'], message: 'a Solana chain can only be a source chain' });
      if (chain.vault !== undefined && chain.vault.startsWith('0x'))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['vault'], message: "expected the vault's SPL Token multisig as a base58 public key" });
      if (chain.solana === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['solana'], message: 'a Solana chain needs its solana block (nonceAccount, posterKey)' });
      if (chain.finality.mode !== 'finalized') ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['finality', 'mode'], message: 'a Solana chain is read at the finalized commitment only' });
    }
    if (chain.role !== 'source' && chain.limits !== undefined)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['limits'], message: 'limits apply to source chains (their credits) only' });
    if (chain.rpcUrl === undefined && chain.rpcUrls === undefined)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rpcUrl'], message: 'a chain needs rpcUrl or rpcUrls' });
    if (chain.role === 'source' && chain.vault === undefined)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['vault'], message: 'a source chain needs its vault address' });
    if (chain.role === 'destination' && chain.receiver === undefined)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['receiver'], message: 'the destination chain needs its receiver address' });
  });

/** An 18-decimal fraction or USD amount written as a decimal string ("0.05", "1000000"). */
const decimalString = z.string().regex(/^\d+(\.\d{1,18})?$/, 'expected a non-negative decimal string with at most 18 fractional digits');

/** @ccr/risk AssetRiskConfig, minus what the asset entry already says (symbol, decimals, heartbeat). */
export const riskSchema = z
  .object({
    haircut: decimalString,
    ltv: decimalString,
    liquidationThreshold: decimalString,
    liquidationBonus: decimalString.default('0'),
    volatility: z
      .object({ annualVol: z.number().min(0), horizonDays: z.number().positive(), z: z.number().min(0) })
      .strict()
      .optional(),
    tiers: z.array(z.object({ upTo: decimalString.nullable(), weight: decimalString }).strict()).min(1).optional(),
    maxFutureSkewSeconds: z.number().int().min(0).optional(),
    confidenceK: decimalString.optional(),
    maxConfidenceRatio: decimalString.optional(),
  })
  .strict();

export const assetSchema = z
  .object({
    /** The source chain the token lives on. */
    eid: uint32,
    /** The token on its chain: an ERC-20 address, or on Solana the SPL mint (base58). */
    token: anyAddress,
    symbol: z.string().min(1).max(16),
    decimals: z.number().int().min(0).max(36),
    feed: z
      .object({
        /** The chain the Chainlink-style feed is read on. */
        eid: uint32,
        address: evmAddress,
        /** Per-feed heartbeat: a price older than this is stale. */
        heartbeatSeconds: positiveInt,
      })
      .strict(),
    /** Risk parameters, checked again by @ccr/risk's validateAssetRiskConfig. */
    risk: riskSchema,
  })
  .strict();

/**
 * The marker (apps/relayer/src/marks): posts each asset's mark (guarded price, haircut) to the receiver's
 * `submitMarks` on the Chainlink rule — a move beyond `deviationBps`, or a mark older than `heartbeatSeconds`.
 * Absent: the marker is off. Its own sending account, so its nonces never race the credit poster's.
 */
export const marksSchema = z
  .object({
    /** The account that pays for `submitMarks` (not the poster's: each account has one nonce sequence). */
    posterKey: keySourceSchema,
    /** Pause between marker rounds; rounds never overlap and never run faster than this. */
    intervalMs: z.number().int().min(100).default(2000),
    /** Post when |price − mark| / mark (or the haircut's relative move) is above this, in basis points (50 = 0.5 %). */
    deviationBps: z.number().int().min(0).max(10_000).default(50),
    /** Post when the on-chain mark is at least this old (seconds); keep it below the receiver's heartbeat of the asset. */
    heartbeatSeconds: positiveInt.default(3600),
  })
  .strict();

/**
 * Stress over the live book (apps/relayer/src/stress, docs/stress.md): named scenarios in @ccr/risk's scenario JSON
 * (`readScenario`: stablecoin-depeg, oracle-failure zero | refused | last-good, spot-shock with dampened followers,
 * combined), and where the venue's maintenance requirements come from. Files are resolved against the config file's
 * directory (the working directory when the config is built in memory).
 */
export const stressSchema = z
  .object({
    /** name → scenario, e.g. `eth-crash: { kind: spot-shock, shocks: [{ asset: WETH, shock: "-0.4" }] }`. */
    scenarios: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'scenario names are letters, digits, _ . -'), z.unknown()).default({}),
    /** A JSON or YAML file with more named scenarios, in the same form (read at boot; a name may not be in both). */
    scenariosFile: z.string().min(1).optional(),
    /** JSON file: account (address or bytes32) → maintenance requirement, USD 18 decimals as an integer string; read at each request. */
    requirementsFile: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((stress, ctx) => {
    for (const [name, scenario] of Object.entries(stress.scenarios)) {
      try {
        readScenario(scenario, '');
      } catch (error) {
        if (!(error instanceof RiskError)) throw error;
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['scenarios', name], message: error.message });
      }
    }
  });

export const configSchema = z
  .object({
    chains: z.array(chainSchema).min(1),
    assets: z.array(assetSchema).default([]),
    batch: z
      .object({
        maxSize: z.number().int().min(1).max(500).default(50),
        maxWaitMs: z.number().int().min(0).default(2000),
      })
      .strict()
      .default({}),
    database: z.object({ path: z.string().min(1) }).strict(),
    api: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8080),
        adminToken: z.string().min(16, 'must be at least 16 characters'),
      })
      .strict(),
    /** Attester keys this process holds and/or remote attester processes (see `attestation`). */
    attesters: z.array(attesterEntrySchema).min(1),
    attestation: attestationSchema.default({}),
    /** The poster's sending account; required by the relayer role, unused by `--role attester`. */
    poster: keySourceSchema.optional(),
    /** Settings of `--role attester` (required by that role). */
    attester: attesterRoleSchema.optional(),
    pipeline: z
      .object({
        /** Start the loops at boot (false: drive rounds with PipelineService.tick(), for tests). */
        autoStart: z.boolean().default(true),
        /** Pause between rounds of the valuation loop, and between rounds of the poster loop. */
        intervalMs: z.number().int().min(10).default(1000),
        /** When every in-flight slot is taken, how long a poster round waits for the oldest batch's receipt before leaving it to the next round. */
        receiptTimeoutMs: z.number().int().min(100).default(60_000),
        /** Poster batches SUBMITTED at once (nonce-ordered, each simulated at the `pending` block after the ones before it). */
        maxInFlight: z.number().int().min(1).max(64).default(8),
        /** A SUBMITTED transaction still pending this long after its broadcast is replaced with fees × 1.10 (same nonce), up to 3× the estimate. 0: never. */
        feeBumpAfterMs: z.number().int().min(0).default(60_000),
        /** Every attested batch carries validUntil = the destination's latest block time + this; the contracts refuse it afterwards. */
        attestationTtlSeconds: z.number().int().min(30).default(600),
      })
      .strict()
      .default({}),
    retry: z
      .object({
        /** Length of one schedule "second" in ms: 1000 in production, small in tests. */
        unitMs: z.number().min(0).default(1000),
        /** After this many attempts a HELD deposit becomes FAILED (operator retry still possible). */
        maxAttempts: z.number().int().min(1).default(66),
      })
      .strict()
      .default({}),
    log: z.object({ level: z.enum(['error', 'warn', 'log', 'debug']).default('log') }).strict().default({}),
    /** The solvency job (apps/relayer/src/solvency, docs/two-way-book.md "Solvency"). */
    solvency: z
      .object({
        /** Check every (source chain, vault, asset) each round; off: GET /solvency lists no checks and nothing halts. */
        enabled: z.boolean().default(true),
        /** Pause between rounds (each reads every vault and the receiver once per asset). */
        intervalMs: z.number().int().min(100).default(30_000),
        /** Halt a pathway's credits (CREDIT/VOID) when the same discrepancy is seen on two consecutive rounds; false: log and report only. */
        haltOnDiscrepancy: z.boolean().default(true),
      })
      .strict()
      .default({}),
    stress: stressSchema.default({}),
    marks: marksSchema.optional(),
    /** What GET /readyz and /health count as not ready (api/readiness.ts), beyond a chain without a working RPC, a halted pathway and a stale feed. */
    health: z
      .object({
        /** The poster's native balance on an EVM destination (the receiver's, each vault's chain), wei: below it the relayer is not ready. */
        minPosterBalanceWei: z.string().regex(/^\d{1,40}$/, 'expected wei as a decimal integer string').default('10000000000000000'),
        /** The Solana poster's balance (fees, recipients' token-account rent), lamports. */
        minSolanaPosterLamports: z.number().int().min(0).default(10_000_000),
        /** How often the readiness checks run for the metrics (`ccr_ready`, feed ages, poster balances). */
        intervalMs: z.number().int().min(100).default(15_000),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const eids = new Map<number, number>();
    config.chains.forEach((chain, i) => {
      if (eids.has(chain.eid))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['chains', i, 'eid'], message: `duplicate eid ${chain.eid} (also chains[${eids.get(chain.eid)}])` });
      eids.set(chain.eid, i);
    });
    const destinations = config.chains.filter((c) => c.role === 'destination');
    if (destinations.length !== 1)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['chains'], message: `exactly one destination chain is required, found ${destinations.length}` });
    const sources = new Map(config.chains.filter((c) => c.role === 'source').map((c) => [c.eid, c.family]));
    const families = new Map(config.chains.map((c) => [c.eid, c.family]));
    const seen = new Set<string>();
    config.assets.forEach((asset, i) => {
      const family = sources.get(asset.eid);
      if (family === undefined)
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['assets', i, 'eid'], message: `no source chain with eid ${asset.eid}` });
      else if ((family === 'solana') !== !asset.token.startsWith('0x'))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['assets', i, 'token'], message: family === 'solana' ? 'expected the SPL mint as a base58 public key' : 'expected a 0x-prefixed 20-byte hex address' });
      if (families.get(asset.feed.eid) === 'solana')
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['assets', i, 'feed', 'eid'], message: 'price feeds are read on EVM chains' });
      if (!eids.has(asset.feed.eid))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['assets', i, 'feed', 'eid'], message: `no chain with eid ${asset.feed.eid}` });
      const key = `${asset.eid}:${asset.token.startsWith('0x') ? asset.token.toLowerCase() : asset.token}`;
      if (seen.has(key))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['assets', i, 'token'], message: `asset ${asset.token} on eid ${asset.eid} listed twice` });
      seen.add(key);
    });
  });

/** The file as written (before defaults). */
export type RelayerConfigInput = z.input<typeof configSchema>;
/** The file after validation and defaults. */
export type RelayerConfigFile = z.output<typeof configSchema>;
export type ChainConfig = z.output<typeof chainSchema>;

/** A chain's endpoints in order of preference: `rpcUrl` first (when given), then `rpcUrls`, without repeats. */
export function chainRpcUrls(chain: Pick<ChainConfig, 'rpcUrl' | 'rpcUrls'>): string[] {
  return [...new Set([...(chain.rpcUrl === undefined ? [] : [chain.rpcUrl]), ...(chain.rpcUrls ?? [])])];
}
export type AssetConfig = z.output<typeof assetSchema>;
export type FinalityConfig = z.output<typeof finalitySchema>;
export type RiskInput = z.output<typeof riskSchema>;
export type KeySource = z.output<typeof keySourceSchema>;
export type RemoteAttesterInput = z.output<typeof remoteAttesterSchema>;
export type AttesterRoleConfig = z.output<typeof attesterRoleSchema>;
export type SolvencyConfig = z.output<typeof configSchema>['solvency'];
export type MarksConfig = z.output<typeof marksSchema>;
export type ChainLimitsConfig = z.output<typeof chainLimitsSchema>;
export type SolanaChainConfig = z.output<typeof solanaChainSchema>;
export type StressConfig = z.output<typeof stressSchema>;
