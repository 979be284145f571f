/** In-process relayer on a devnet, plus small helpers for the relayer chain tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { solanaAddressToBytes32 } from '@ccr/messages';
import { ethers } from '../../contracts/ts/index';
import { startRelayer } from '../../apps/relayer/src/bootstrap';
import type { RelayerConfigInput } from '../../apps/relayer/src/config/config.schema';
import { buildConfig, type RelayerConfig } from '../../apps/relayer/src/config/load-config';
import { PipelineService } from '../../apps/relayer/src/pipeline/pipeline.service';
import { errorText } from '../support/errors';
import { mined } from '../support/tx';
import { addressToBytes32, startDevnet, type Devnet, type DevnetSource, type DevnetToken, type StartDevnetOptions } from '../support/devnet';

export type Harness = {
  devnet: Devnet;
  dir: string;
  /** Starts (or restarts) the in-process relayer; `adjust` may change a copy of the devnet's config first (e.g. RPC URLs). */
  startRelayer(adjust?: (config: RelayerConfigInput) => RelayerConfigInput): Promise<RelayerHandle>;
  stop(): Promise<void>;
};

export type RelayerHandle = { app: INestApplication; url: string; config: RelayerConfig; pipeline: PipelineService; close(): Promise<void> };

export async function startHarness(options: Omit<StartDevnetOptions, 'databasePath'> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'ccr-relayer-'));
  const devnet = await startDevnet({ ...options, databasePath: join(dir, 'relayer.sqlite') });
  const running: RelayerHandle[] = [];
  return {
    devnet,
    dir,
    startRelayer: async (adjust) => {
      const raw = adjust === undefined ? devnet.config : adjust(structuredClone(devnet.config));
      const config = buildConfig(raw, { env: devnet.env, baseDir: dir });
      const { app, url } = await startRelayer(config);
      const handle: RelayerHandle = {
        app,
        url,
        config,
        pipeline: app.get(PipelineService),
        close: async () => {
          running.splice(running.indexOf(handle), 1);
          await app.close();
        },
      };
      running.push(handle);
      return handle;
    },
    stop: async () => {
      for (const h of [...running]) await h.close();
      await devnet.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Lock = { guid: string; nonce: bigint; amount: bigint; account: string; token: DevnetToken; source: DevnetSource; blockNumber: number };

/** user locks `amount` of `token` for `account` (default: the user's own address) and returns the decoded Locked event. */
export async function lock(source: DevnetSource, user: ethers.Wallet, token: DevnetToken | string, amount: bigint, account?: string): Promise<Lock> {
  const tokenAddress = typeof token === 'string' ? token : token.address;
  const vault = source.vault.connect(user) as ethers.Contract; // connect() returns BaseContract; same ABI
  const receipt = await mined(vault.getFunction('lock').send(tokenAddress, amount, addressToBytes32(account ?? user.address)));
  const parsed = receipt.logs.map((l) => source.vault.interface.parseLog(l)).find((l) => l?.name === 'Locked');
  if (parsed === undefined || parsed === null) throw new Error('no Locked event');
  return {
    guid: String(parsed.args.getValue('guid')).toLowerCase(),
    nonce: BigInt(parsed.args.getValue('nonce') as bigint), // Locked's uint64 nonce, decoded as a bigint
    amount: BigInt(parsed.args.getValue('amount') as bigint), // Locked's uint256 amount, decoded as a bigint
    account: addressToBytes32(account ?? user.address),
    token: typeof token === 'string' ? { symbol: '?', decimals: 18, address: token, contract: source.unlisted.contract } : token,
    source,
    blockNumber: receipt.blockNumber,
  };
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` with the last observation. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${errorText(last)}`}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function getJson<T = Record<string, unknown>>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T }; // API answers JSON
}

/** GET /deposits/:guid (the relayer's DepositDetailView), the fields the tests read. */
export type DepositJson = {
  guid: string;
  state: string;
  reason: string | null;
  reasonDetail: string | null;
  nonce: string;
  amount: string;
  price: string | null;
  priceTimestamp: number | null;
  haircut: string | null;
  sizeWeight: string | null;
  haircutValue: string | null;
  creditTxHash: string | null;
  blockedBy: string | null;
  nextAttemptAt: string | null;
  creditedAt: string | null;
  account: string;
  blockNumber: number;
  blockHash: string;
  txHash: string;
  confirmations: number | null;
  blocksToFinality: number | null;
  history: { from: string | null; to: string; reason: string | null; at: string; detail: unknown }[];
};

/** Waits until the deposit exists and `accept` says yes (per the API). */
export async function waitForDeposit(url: string, guid: string, what: string, accept: (d: DepositJson) => boolean, timeoutMs = 60_000): Promise<DepositJson> {
  return waitFor(`${guid} ${what}`, async () => {
    const d = await deposit(url, guid);
    return d !== undefined && accept(d) ? d : undefined;
  }, timeoutMs);
}

/** GET /metrics as text, and one sample's value (undefined when absent). */
export async function metricsText(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

export function metricValue(text: string, name: string, labels: Record<string, string | number> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const have = (m[3] ?? '').split(/,(?=[a-zA-Z_]+=")/).filter((x) => x !== '');
    if (wanted.every((w) => have.includes(w))) return Number(m[4]);
  }
  return undefined;
}

export async function deposit(url: string, guid: string): Promise<DepositJson | undefined> {
  const { status, body } = await getJson<DepositJson>(`${url}/deposits/${guid}`);
  return status === 200 ? body : undefined;
}

/** GET /deposits/:guid of a deposit the relayer must have: fails when it has none. */
export async function existingDeposit(url: string, guid: string): Promise<DepositJson> {
  const d = await deposit(url, guid);
  if (d === undefined) throw new Error(`the relayer has no deposit ${guid}`);
  return d;
}

/** Waits until every GUID reaches `state` (per the API). */
export async function waitForStates(url: string, guids: readonly string[], state: string, timeoutMs = 60_000): Promise<DepositJson[]> {
  return waitFor(`${guids.length} deposit(s) ${state}`, async () => {
    const all = await Promise.all(guids.map((g) => deposit(url, g)));
    return all.every((d): d is DepositJson => d?.state === state) ? all : undefined;
  }, timeoutMs);
}

/** A deposit as the receiver sees it: its GUID, its nonce on the path, and its source (harness Lock or LockRecord). */
export type CreditProbe = Pick<Lock, 'guid' | 'nonce'> & ({ source: Pick<DevnetSource, 'eid'> } | { srcEid: number });

/**
 * What the derivatives chain alone says of a deposit: `applied` iff its nonce ≤ the receiver's lastNonce(srcEid,
 * vault) of its path (replay protection is the per-path nonce order), and the transactions of the Credited events
 * naming its GUID (logs queried by the guid topic). Credited exactly once: applied with one transaction; not
 * credited: not applied and none.
 */
export async function creditedOnChain(devnet: Devnet, probe: CreditProbe): Promise<{ applied: boolean; creditTxHashes: string[] }> {
  const srcEid = 'srcEid' in probe ? probe.srcEid : probe.source.eid;
  const path = devnetPaths(devnet).find((p) => p.eid === srcEid);
  if (path === undefined) throw new Error(`no devnet source with eid ${srcEid}`);
  const receiver = devnet.destination.receiver;
  const lastNonce = BigInt((await receiver.getFunction('lastNonce')(srcEid, path.vault)) as bigint); // uint64 → bigint
  const events = await receiver.queryFilter(receiver.filters.Credited!(probe.guid), 0, 'latest'); // the ABI declares Credited
  return { applied: probe.nonce <= lastNonce, creditTxHashes: events.map((e) => e.transactionHash.toLowerCase()) };
}

/** Every source path of the devnet as the receiver keys it: (eid, vault bytes32), the Solana source's multisig included. */
function devnetPaths(devnet: Devnet): { eid: number; vault: string }[] {
  const evm = devnet.sources.map((s) => ({ eid: s.eid, vault: addressToBytes32(s.vaultAddress) }));
  return devnet.solana === undefined ? evm : [...evm, { eid: devnet.solana.eid, vault: solanaAddressToBytes32(devnet.solana.multisig.toBase58()) }];
}

/**
 * The receiver's position(account, srcEid, asset): credited raw amount (valued) and raw amount frozen by pending
 * withdrawals. `account` and `asset` as a 20-byte address or bytes32.
 */
export async function positionOf(devnet: Devnet, account: string, srcEid: number, asset: string): Promise<{ rawAmount: bigint; frozen: bigint }> {
  const position = devnet.destination.receiver.getFunction('position');
  const [rawAmount, frozen] = (await position(ethers.zeroPadValue(account, 32), srcEid, ethers.zeroPadValue(asset, 32))) as [bigint, bigint]; // (rawAmount, frozen)
  return { rawAmount, frozen };
}

/** One Credited event of the receiver, as the chain has it. */
export type CreditedLog = { guid: string; account: string; key: string; rawAmount: bigint; txHash: string };

/** What auditCreditsOnChain found. GUIDs lowercase. */
export type OnChainCredits = {
  events: CreditedLog[];
  /** GUIDs with more than one Credited event. */
  duplicates: string[];
  /** Expected GUIDs with none. */
  missing: string[];
  /** GUIDs credited but not expected. */
  unexpected: string[];
  /** Expected deposits whose nonce is above lastNonce(srcEid, vault) of their path. */
  notApplied: string[];
};

/**
 * The soak tests' audit of the deposits in `probes`, from the derivatives chain alone: every Credited event of the
 * receiver (block 0 to latest) counted by GUID, and every deposit's nonce against lastNonce of its path. (What
 * scripts/lib/receiver-audit's auditCredits gave before the Credited event lost its srcEid, asset, haircutValue and
 * nonce fields; its transactionsFrom still lists the poster's transactions.)
 */
export async function auditCreditsOnChain(devnet: Devnet, probes: readonly CreditProbe[]): Promise<OnChainCredits> {
  const receiver = devnet.destination.receiver;
  const logs = await receiver.queryFilter(receiver.filters.Credited!(), 0, 'latest'); // the ABI declares Credited
  const events = logs.map((log): CreditedLog => {
    const args = (log as ethers.EventLog).args; // a filter built from the contract's ABI yields decoded EventLogs
    return {
      guid: String(args.getValue('guid')).toLowerCase(),
      account: String(args.getValue('account')).toLowerCase(),
      key: String(args.getValue('key')).toLowerCase(),
      rawAmount: BigInt(args.getValue('rawAmount') as bigint), // Credited's uint256 rawAmount, decoded as a bigint
      txHash: log.transactionHash.toLowerCase(),
    };
  });
  const countByGuid = new Map<string, number>();
  for (const e of events) countByGuid.set(e.guid, (countByGuid.get(e.guid) ?? 0) + 1);
  const expected = new Set(probes.map((p) => p.guid.toLowerCase()));
  const lastNonce = new Map<number, bigint>();
  for (const { eid, vault } of devnetPaths(devnet)) lastNonce.set(eid, BigInt((await receiver.getFunction('lastNonce')(eid, vault)) as bigint)); // uint64 → bigint
  return {
    events,
    duplicates: [...countByGuid].filter(([, n]) => n > 1).map(([g]) => g),
    missing: [...expected].filter((g) => !countByGuid.has(g)),
    unexpected: [...countByGuid.keys()].filter((g) => !expected.has(g)),
    notApplied: probes.filter((p) => p.nonce > (lastNonce.get('srcEid' in p ? p.srcEid : p.source.eid) ?? 0n)).map((p) => p.guid.toLowerCase()),
  };
}
