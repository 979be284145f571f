/**
 * A local devnet for the relayer: one destination anvil (receiver + price feeds) and one or two source anvils
 * (a CollateralVault each, test tokens of 6 and 18 decimals, a token the vault accepts but the relayer config
 * does not list, and a LookalikeVault). Returns addresses, funded users, and a relayer config (object, env for
 * the keys, and a writer for a YAML/JSON file). No jest import: the demo and benchmark scripts use it too.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { deployAggregator, deployLookalikeVault, deployReceiver, deployTestToken, deployVault } from '../../contracts/ts/deploy';
import { ethers } from '../../contracts/ts/index';
import type { RelayerConfigInput } from '../../apps/relayer/src/config/config.schema';
import { startAnvil, type AnvilInstance } from './anvil';
import { ensureBuilt } from './ensureBuilt';
import { solanaAddressToBytes32 } from '@ccr/messages';
import { attesterSolanaKeypair } from '../../apps/relayer/src/chains/solana/solana-keys';
import { type SolanaDevnet, startSolanaDevnet } from './solana-devnet';

/** The receiver's mark heartbeat per asset on the devnet (seconds a mark stays fresh for a venue). */
export const RECEIVER_HEARTBEAT = { USDC: 86_400, WETH: 3_600 } as const;
/** WETH's size tiers on the receiver: the relayer config's (first 100,000 USD at weight 1, the rest at 0.5). */
const WETH_TIERS = [
  { upTo: 100_000n * 10n ** 18n, weight: 10n ** 18n },
  { upTo: 2n ** 128n - 1n, weight: 5n * 10n ** 17n },
];

export const DEVNET_DST_EID = 40200;
/** The devnet's Solana source (mainnet Solana is 30168). */
export const DEVNET_SOLANA_EID = 40168;
export const DEVNET_SRC_EIDS = [40101, 40102] as const;
const DST_CHAIN_ID = 31337;
const SRC_CHAIN_IDS = [31338, 31339] as const;
const MAX_UINT128 = (1n << 128n) - 1n;

export type DevnetToken = { symbol: string; decimals: number; address: string; contract: ethers.Contract };

export type DevnetSource = {
  name: string;
  eid: number;
  chainId: number;
  anvil: AnvilInstance;
  vault: ethers.Contract;
  vaultAddress: string;
  /** Listed in the relayer config. */
  usdc: DevnetToken;
  weth: DevnetToken;
  /** Allowed by the vault, absent from the relayer config (→ HELD 'unsupported-asset'). */
  unlisted: DevnetToken;
  lookalike: ethers.Contract;
  /** Funded users (anvil accounts 1..n), each holding every token and having approved the vault. */
  users: ethers.Wallet[];
};

export type DevnetDestination = {
  name: string;
  eid: number;
  chainId: number;
  anvil: AnvilInstance;
  receiver: ethers.Contract;
  receiverAddress: string;
  /** Chainlink-style feeds (8 decimals) on the destination chain, by symbol. */
  feeds: { USDC: ethers.Contract; WETH: ethers.Contract };
  /** Initial answers, 8 decimals. */
  prices: { USDC: bigint; WETH: bigint };
};

export type StartDevnetOptions = {
  /** 1 or 2 source chains (default 1). */
  sources?: 1 | 2;
  /** Attester keys the relayer holds and the receiver's threshold (default 2 of 2). */
  attesters?: number;
  threshold?: number;
  /** Funded users per source chain (default 3, at most 6). */
  users?: number;
  /** Source finality (default anvil's `finalized` tag = latest − 64). */
  finality?: { mode: 'finalized' } | { mode: 'confirmations'; confirmations: number };
  /** Derivatives-chain finality (default: confirmations 0, its head). */
  destinationFinality?: { mode: 'finalized' } | { mode: 'confirmations'; confirmations: number };
  /** SQLite file for the relayer config. */
  databasePath: string;
  /**
   * Independent attesters (docs/two-way-book.md "Independent attesters"): one attester process config per devnet
   * attester key (`attesters`, default 3 here), each with its own SQLite file next to `databasePath`, its own port and
   * token, and the same RPC URLs; the relayer config then holds no key and lists them as remote attesters with the
   * devnet's threshold (default 2). The processes are not started here (test/support/relayerProcess.ts starts them).
   */
  attesterProcesses?: {
    /** How long the relayer waits for their answers (attestation.timeoutMs; default 3000). */
    timeoutMs?: number;
    /** How long an attester waits for an event its watcher has not made final yet (attester.awaitMs; default 3000). */
    awaitMs?: number;
    logLevel?: 'error' | 'warn' | 'log' | 'debug';
  };
  /**
   * A Solana source chain too (docs/solana.md): the litesvm JSON-RPC endpoint (test/support/svm-rpc.ts) with an SPL
   * Token multisig vault of the devnet attesters' Solana keys, USDC (6 decimals) and SOL (9 decimals) allow-listed and
   * registered on the receiver, priced by their own feeds (SOL at $150).
   */
  solana?: { finalityLagSlots?: number; slotMs?: number; users?: number };
  /** Overrides merged into the generated relayer config. */
  relayer?: {
    batch?: { maxSize?: number; maxWaitMs?: number };
    pipeline?: { intervalMs?: number; autoStart?: boolean; receiptTimeoutMs?: number; feeBumpAfterMs?: number; attestationTtlSeconds?: number };
    retry?: { unitMs?: number; maxAttempts?: number };
    pollIntervalMs?: number;
    /** Turn the marker on (its own sending key: destination anvil account 8), with these settings. */
    marks?: { intervalMs?: number; deviationBps?: number; heartbeatSeconds?: number };
    /** Extra top-level relayer config (e.g. a `solvency` or `stress` block), merged last. */
    extra?: Record<string, unknown>;
    logLevel?: 'error' | 'warn' | 'log' | 'debug';
    port?: number;
  };
};

/** The devnet's Solana source (with `solana`): the chain on the shim, its eid and the SOL feed on the derivatives chain. */
export type DevnetSolanaSource = SolanaDevnet & { name: string; eid: number; solFeed: ethers.Contract; solPrice: bigint };

export type Devnet = {
  destination: DevnetDestination;
  sources: DevnetSource[];
  solana: DevnetSolanaSource | undefined;
  /** The relayer config, as a file would hold it (keys named by env vars). */
  config: RelayerConfigInput;
  /** The env vars holding the attester and poster keys (and nothing else). */
  env: Record<string, string>;
  attesterAddresses: string[];
  posterAddress: string;
  adminToken: string;
  /** Writes `config` as JSON to `path` (JSON is valid YAML too). */
  writeConfig(path: string): void;
  /** With `attesterProcesses`: one config per attester process (run with `--role attester`); else empty. */
  attesterNodes: DevnetAttesterNode[];
  stop(): Promise<void>;
};

/** One attester process of the devnet: its config (own key, own database, own port and token) and env. */
export type DevnetAttesterNode = {
  /** `attester-<i>`: its label in the relayer's /health, logs and metrics. */
  name: string;
  /** The address its signatures recover to (the i-th devnet attester). */
  address: string;
  url: string;
  port: number;
  databasePath: string;
  config: RelayerConfigInput;
  /** Its key and token (ATTESTER_KEY, ATTESTER_TOKEN). */
  env: Record<string, string>;
  writeConfig(path: string, config?: RelayerConfigInput): void;
};

/** A TCP port free on 127.0.0.1 right now (bound and released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/** bytes32 of a 20-byte address (left-padded, lowercase). */
export function addressToBytes32(address: string): string {
  return ethers.zeroPadValue(address, 32).toLowerCase();
}

export async function startDevnet(options: StartDevnetOptions): Promise<Devnet> {
  ensureBuilt();
  const sourceCount = options.sources ?? 1;
  const attesterCount = options.attesters ?? (options.attesterProcesses === undefined ? 2 : 3);
  const threshold = options.threshold ?? (options.attesterProcesses === undefined ? attesterCount : Math.min(2, attesterCount));
  const userCount = Math.min(options.users ?? 3, 6);
  const anvils: AnvilInstance[] = [];
  let stopSolana: () => Promise<void> = () => Promise.resolve();
  try {
    const dstAnvil = await startAnvil({ chainId: DST_CHAIN_ID });
    anvils.push(dstAnvil);
    const srcAnvils = await Promise.all(Array.from({ length: sourceCount }, (_, i) => startAnvil({ chainId: SRC_CHAIN_IDS[i]! })));
    anvils.push(...srcAnvils);

    // Keys: attesters are fresh wallets (they only sign); the poster is anvil account 9 on the destination.
    const attesters = Array.from({ length: attesterCount }, () => ethers.Wallet.createRandom());
    const poster = dstAnvil.accounts[9]!;
    const dstDeployer = dstAnvil.accounts[0]!;
    const receiver = await deployReceiver(dstDeployer, { localEid: DEVNET_DST_EID, attesters: attesters.map((a) => a.address), threshold });
    const prices = { USDC: 100_000_000n, WETH: 2_000n * 100_000_000n };
    const usdcFeed = await deployAggregator(dstDeployer, { decimals: 8, initialAnswer: prices.USDC });
    const wethFeed = await deployAggregator(dstDeployer, { decimals: 8, initialAnswer: prices.WETH });
    const receiverAddress = await receiver.getAddress();
    const destination: DevnetDestination = {
      name: 'devnet-derivatives',
      eid: DEVNET_DST_EID,
      chainId: DST_CHAIN_ID,
      anvil: dstAnvil,
      receiver,
      receiverAddress,
      feeds: { USDC: usdcFeed, WETH: wethFeed },
      prices,
    };

    const sources = await Promise.all(
      srcAnvils.map(async (anvil, i): Promise<DevnetSource> => {
        const eid = DEVNET_SRC_EIDS[i]!;
        const deployer = anvil.accounts[0]!;
        // The vault has its own attester set (here the same attesters and threshold as the receiver).
        const vault = await deployVault(deployer, { localEid: eid, attesters: attesters.map((a) => a.address), threshold });
        const vaultAddress = await vault.getAddress();
        await (await vault.getFunction('setDestination').send(DEVNET_DST_EID, addressToBytes32(receiverAddress))).wait();
        const token = async (name: string, symbol: string, decimals: number): Promise<DevnetToken> => {
          const contract = await deployTestToken(deployer, { name, symbol, decimals });
          const address = await contract.getAddress();
          await (await vault.getFunction('setAsset').send(address, true, MAX_UINT128)).wait();
          return { symbol, decimals, address, contract };
        };
        const usdc = await token('USD Coin (test)', 'USDC', 6);
        const weth = await token('Wrapped Ether (test)', 'WETH', 18);
        const unlisted = await token('Unlisted (test)', 'XYZ', 18);
        const lookalike = await deployLookalikeVault(deployer);
        const users = anvil.accounts.slice(1, 1 + userCount);
        for (const user of users) {
          for (const t of [usdc, weth, unlisted]) {
            const asUser = t.contract.connect(user) as ethers.Contract; // connect() returns BaseContract; same ABI
            await (await t.contract.getFunction('mint').send(user.address, 10n ** BigInt(t.decimals + 12))).wait();
            await (await asUser.getFunction('approve').send(vaultAddress, ethers.MaxUint256)).wait();
          }
        }
        return { name: `devnet-source-${i + 1}`, eid, chainId: SRC_CHAIN_IDS[i]!, anvil, vault, vaultAddress, usdc, weth, unlisted, lookalike, users };
      }),
    );

    // The receiver takes credits from, and sends withdrawals to, each source chain's vault; it registers USDC and
    // WETH of each (decimals, mark heartbeat, cap; USDC at 10^30, under the 2^84 · 10^6 the value maths allow for 6 decimals) and WETH's size tiers as the relayer's risk config has them
    // (one by one: one deployer account). XYZ stays unregistered (the relayer VOIDs it as unsupported).
    for (const s of sources) {
      await (await receiver.getFunction('setVault').send(s.eid, addressToBytes32(s.vaultAddress))).wait();
      await (await receiver.getFunction('registerAsset').send(s.eid, addressToBytes32(s.usdc.address), 6, RECEIVER_HEARTBEAT.USDC, 10n ** 30n)).wait();
      await (await receiver.getFunction('registerAsset').send(s.eid, addressToBytes32(s.weth.address), 18, RECEIVER_HEARTBEAT.WETH, 10n ** 38n)).wait();
      await (await receiver.getFunction('setSizeTiers').send(s.eid, addressToBytes32(s.weth.address), WETH_TIERS)).wait();
    }

    let solana: DevnetSolanaSource | undefined;
    if (options.solana !== undefined) {
      const o = options.solana;
      const sd = await startSolanaDevnet({ attesterKeys: attesters.map((a) => attesterSolanaKeypair(a.privateKey)), threshold, users: o.users ?? 3, finalityLagSlots: o.finalityLagSlots ?? 8, slotMs: o.slotMs ?? 50 });
      stopSolana = () => sd.stop();
      const solPrice = 150n * 100_000_000n;
      const solFeed = await deployAggregator(dstDeployer, { decimals: 8, initialAnswer: solPrice });
      await (await receiver.getFunction('setVault').send(DEVNET_SOLANA_EID, solanaAddressToBytes32(sd.multisig.toBase58()))).wait();
      await (await receiver.getFunction('registerAsset').send(DEVNET_SOLANA_EID, solanaAddressToBytes32(sd.mints.usdc.mint.toBase58()), 6, RECEIVER_HEARTBEAT.USDC, 10n ** 30n)).wait();
      await (await receiver.getFunction('registerAsset').send(DEVNET_SOLANA_EID, solanaAddressToBytes32(sd.mints.sol9.mint.toBase58()), 9, RECEIVER_HEARTBEAT.WETH, 10n ** 33n)).wait();
      solana = { ...sd, name: 'devnet-solana', eid: DEVNET_SOLANA_EID, solFeed, solPrice };
    }

    const env: Record<string, string> = { RELAYER_POSTER_KEY: poster.privateKey, RELAYER_MARKS_POSTER_KEY: dstAnvil.accounts[8]!.privateKey };
    if (solana !== undefined) env.RELAYER_SOLANA_POSTER_KEY = ethers.hexlify(solana.poster.secretKey.slice(0, 32));
    attesters.forEach((a, i) => {
      env[`RELAYER_ATTESTER_KEY_${i}`] = a.privateKey;
    });
    const adminToken = `devnet-admin-${ethers.hexlify(ethers.randomBytes(12)).slice(2)}`;
    const r = options.relayer ?? {};
    const pollIntervalMs = r.pollIntervalMs ?? 200;
    const config: RelayerConfigInput = {
      chains: [
        {
          name: destination.name,
          eid: destination.eid,
          chainId: destination.chainId,
          rpcUrl: dstAnvil.url,
          role: 'destination',
          receiver: receiverAddress,
          finality: options.destinationFinality ?? { mode: 'confirmations' as const, confirmations: 0 },
          pollIntervalMs,
        },
        ...sources.map((s) => ({
          name: s.name,
          eid: s.eid,
          chainId: s.chainId,
          rpcUrl: s.anvil.url,
          role: 'source' as const,
          vault: s.vaultAddress,
          finality: options.finality ?? { mode: 'finalized' as const },
          logChunkSize: 500,
          pollIntervalMs,
        })),
        ...(solana === undefined
          ? []
          : [
              {
                name: solana.name,
                family: 'solana' as const,
                eid: solana.eid,
                rpcUrl: solana.rpc.url,
                role: 'source' as const,
                vault: solana.multisig.toBase58(),
                solana: { nonceAccount: solana.nonceAccount.toBase58(), posterKey: { keyEnv: 'RELAYER_SOLANA_POSTER_KEY' } },
                logChunkSize: 500,
                pollIntervalMs,
              },
            ]),
      ],
      assets: sources.flatMap((s) => [
        {
          eid: s.eid,
          token: s.usdc.address,
          symbol: 'USDC',
          decimals: 6,
          feed: { eid: destination.eid, address: usdcFeed.target as string, heartbeatSeconds: 86_400 }, // deployContract builds its Contract from the address string
          risk: { haircut: '0.02', ltv: '0.9', liquidationThreshold: '0.95', liquidationBonus: '0.02' },
        },
        {
          eid: s.eid,
          token: s.weth.address,
          symbol: 'WETH',
          decimals: 18,
          feed: { eid: destination.eid, address: wethFeed.target as string, heartbeatSeconds: 3_600 }, // deployContract builds its Contract from the address string
          risk: {
            haircut: '0.1',
            ltv: '0.8',
            liquidationThreshold: '0.85',
            liquidationBonus: '0.05',
            tiers: [
              { upTo: '100000', weight: '1' },
              { upTo: null, weight: '0.5' },
            ],
          },
        },
      ]).concat(
        solana === undefined
          ? []
          : [
              {
                eid: solana.eid,
                token: solana.mints.usdc.mint.toBase58(),
                symbol: 'USDC',
                decimals: 6,
                feed: { eid: destination.eid, address: usdcFeed.target as string, heartbeatSeconds: 86_400 }, // deployContract builds its Contract from the address string
                risk: { haircut: '0.02', ltv: '0.9', liquidationThreshold: '0.95', liquidationBonus: '0.02' },
              },
              {
                eid: solana.eid,
                token: solana.mints.sol9.mint.toBase58(),
                symbol: 'SOL',
                decimals: 9,
                feed: { eid: destination.eid, address: solana.solFeed.target as string, heartbeatSeconds: 3_600 }, // deployContract builds its Contract from the address string
                risk: { haircut: '0.15', ltv: '0.75', liquidationThreshold: '0.8', liquidationBonus: '0.05' },
              },
            ],
      ),
      batch: { maxSize: r.batch?.maxSize ?? 50, maxWaitMs: r.batch?.maxWaitMs ?? 300 },
      database: { path: options.databasePath },
      api: { host: '127.0.0.1', port: r.port ?? 0, adminToken },
      attesters: attesters.map((_, i) => ({ keyEnv: `RELAYER_ATTESTER_KEY_${i}` })),
      poster: { keyEnv: 'RELAYER_POSTER_KEY' },
      pipeline: {
        intervalMs: r.pipeline?.intervalMs ?? 200,
        autoStart: r.pipeline?.autoStart ?? true,
        receiptTimeoutMs: r.pipeline?.receiptTimeoutMs ?? 30_000,
        ...(r.pipeline?.feeBumpAfterMs === undefined ? {} : { feeBumpAfterMs: r.pipeline.feeBumpAfterMs }),
        ...(r.pipeline?.attestationTtlSeconds === undefined ? {} : { attestationTtlSeconds: r.pipeline.attestationTtlSeconds }),
      },
      retry: { unitMs: r.retry?.unitMs ?? 20, maxAttempts: r.retry?.maxAttempts ?? 66 },
      log: { level: r.logLevel ?? 'error' },
      ...(r.marks === undefined ? {} : { marks: { posterKey: { keyEnv: 'RELAYER_MARKS_POSTER_KEY' }, ...r.marks } }),
      ...(r.extra ?? {}),
    };
    const attesterNodes: DevnetAttesterNode[] = [];
    if (options.attesterProcesses !== undefined) {
      const a = options.attesterProcesses;
      // The relayer holds no attester key: it asks the processes (each checks the batch against its own store and chains).
      for (const [i, wallet] of attesters.entries()) {
        const name = `attester-${i}`;
        const port = await freePort();
        const token = `devnet-attester-${i}-${ethers.hexlify(ethers.randomBytes(12)).slice(2)}`;
        const databasePath = join(dirname(options.databasePath), `${name}.sqlite`);
        env[`RELAYER_ATTESTER_TOKEN_${i}`] = token;
        const nodeConfig: RelayerConfigInput = {
          ...structuredClone(config),
          database: { path: databasePath },
          api: { host: '127.0.0.1', port, adminToken },
          attesters: [{ keyEnv: 'ATTESTER_KEY' }],
          attester: { tokenEnv: 'ATTESTER_TOKEN', awaitMs: a.awaitMs ?? 3000 },
          log: { level: a.logLevel ?? 'warn' },
        };
        delete nodeConfig.poster;
        delete nodeConfig.marks;
        attesterNodes.push({
          name,
          address: wallet.address,
          url: `http://127.0.0.1:${port}`,
          port,
          databasePath,
          config: nodeConfig,
          env: { ATTESTER_KEY: wallet.privateKey, ATTESTER_TOKEN: token },
          writeConfig: (path, c = nodeConfig) => writeFileSync(path, `${JSON.stringify(c, null, 2)}\n`),
        });
      }
      for (let i = 0; i < attesters.length; i++) delete env[`RELAYER_ATTESTER_KEY_${i}`]; // each key is in its own process only
      config.attesters = attesterNodes.map((n, i) => ({
        name: n.name,
        url: n.url,
        tokenEnv: `RELAYER_ATTESTER_TOKEN_${i}`,
        address: n.address,
        ...(solana === undefined ? {} : { solanaAddress: attesterSolanaKeypair(attesters[i]!.privateKey).publicKey.toBase58() }),
      }));
      config.attestation = { threshold, timeoutMs: a.timeoutMs ?? 3000 };
    }
    return {
      destination,
      sources,
      solana,
      config,
      env,
      attesterNodes,
      attesterAddresses: attesters.map((a) => a.address),
      posterAddress: poster.address,
      adminToken,
      writeConfig: (path: string) => writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`),
      stop: async () => {
        await Promise.all([...anvils.map((a) => a.stop()), stopSolana()]);
      },
    };
  } catch (error) {
    await Promise.all([...anvils.map((a) => a.stop()), stopSolana()]);
    throw error;
  }
}
