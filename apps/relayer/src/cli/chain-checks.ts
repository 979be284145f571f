import type { ChainAdapter } from '../chains/chain-adapter';
import type { ChainRegistry } from '../chains/chain-registry';
import type { EvmChainAdapter } from '../chains/evm/evm-chain-adapter';
import { describeError } from '../common/relayer-error';
import { type ConfigIssue, formatPath } from '../config/config-error';
import type { AssetConfig, ChainConfig } from '../config/config.schema';
import type { RelayerConfig } from '../config/load-config';
import { units } from './format';

/** One line of `check-config`: a config field and what its chain says of it. `warn` does not fail the check. */
export type CheckLine = { status: 'ok' | 'warn' | 'fail'; path: string; message: string };

const ok = (path: string, message: string): CheckLine => ({ status: 'ok', path, message });
const fail = (path: string, message: string): CheckLine => ({ status: 'fail', path, message });

/**
 * What the chains say about the config, one line per check (the online part of `relayer check-config`):
 *  - every RPC endpoint of every chain answers (EVM: `eth_chainId` equal to `chainId`, and a block number; Solana: a slot);
 *  - EVM: there is code at each source chain's `vault`, the destination's `receiver`, and each asset's `feed.address`,
 *    and the feed answers `latestRoundData` (older than its heartbeat: a warning);
 *  - the boot check of chains/check-chain-config.ts per asset: the token's `decimals()` equals `decimals` and the
 *    receiver registers the asset with the same decimals; and for Solana chains check-solana-chain.ts (the multisig's
 *    signers and threshold, the nonce account).
 */
export async function chainChecks(config: RelayerConfig): Promise<CheckLine[]> {
  const [{ ChainRegistry }, { EvmChainAdapter }, { chainConfigIssues }, { solanaChainIssues }] = await Promise.all([
    import('../chains/chain-registry'),
    import('../chains/evm/evm-chain-adapter'),
    import('../chains/check-chain-config'),
    import('../chains/solana/check-solana-chain'),
  ]);
  const registry = new ChainRegistry(config); // AppConfig is RelayerConfig by declaration merging
  const evm = (eid: number): EvmChainAdapter | undefined => {
    const adapter: ChainAdapter = registry.get(eid);
    return adapter instanceof EvmChainAdapter ? adapter : undefined;
  };
  try {
    const perAsset = async (asset: AssetConfig, i: number): Promise<CheckLine[]> => {
      // The boot check over this one asset (its issues say assets[0]: renamed to its index in the file).
      const issues = await chainConfigIssues({ chains: config.chains, assets: [asset] }, registry);
      const chain = config.chains.find((c) => c.eid === asset.eid)!; // validated: every asset has its source chain
      const lines =
        issues.length === 0
          ? [ok(formatPath(['assets', i]), `${asset.symbol} ${asset.token} on ${chain.name}: decimals() ${asset.decimals}, registered on the receiver with ${asset.decimals}`)]
          : issues.map((issue) => fail(issue.path.replace(/^assets\[0\]/, formatPath(['assets', i])), issue.message));
      return [...lines, await feedCheck(asset, i, config, registry, evm(asset.feed.eid))];
    };
    const groups = await Promise.all([
      ...config.chains.map((chain, i) => chainLines(chain, i, evm(chain.eid))),
      ...config.assets.map(perAsset),
      solanaChainIssues(config, registry).then((issues) => solanaLines(config, issues)),
    ]);
    return groups.flat();
  } finally {
    registry.onApplicationShutdown();
  }
}

/** A chain's endpoints, then the code at its vault (source) or receiver (destination) on EVM. */
async function chainLines(chain: ChainConfig, i: number, adapter: EvmChainAdapter | undefined): Promise<CheckLine[]> {
  const endpoints = [
    ...(chain.rpcUrl === undefined ? [] : [{ path: formatPath(['chains', i, 'rpcUrl']), url: chain.rpcUrl }]),
    ...(chain.rpcUrls ?? []).filter((u) => u !== chain.rpcUrl).map((url, j) => ({ path: formatPath(['chains', i, 'rpcUrls', j]), url })),
  ];
  const lines = await Promise.all(endpoints.map((e) => (chain.family === 'evm' ? evmEndpoint(chain, i, e.path, e.url) : solanaEndpoint(chain, e.path, e.url))));
  if (adapter !== undefined) {
    const field = chain.role === 'source' ? 'vault' : 'receiver';
    const address = chain[field];
    if (address !== undefined) lines.push(await codeCheck(adapter, formatPath(['chains', i, field]), address, `${chain.name}: ${field}`));
  }
  return lines;
}

async function evmEndpoint(chain: ChainConfig, i: number, path: string, url: string): Promise<CheckLine> {
  const { makeJsonRpcProvider, redactUrl } = await import('../chains/evm/rpc-pool');
  const provider = makeJsonRpcProvider(url, chain.chainId, chain.rpcTimeoutMs);
  try {
    // send() is untyped: eth_chainId answers a hex quantity
    const [chainId, block] = await Promise.all([provider.send('eth_chainId', []) as Promise<string>, provider.getBlockNumber()]);
    const answered = Number(BigInt(chainId));
    if (answered !== chain.chainId) return fail(formatPath(['chains', i, 'chainId']), `configured ${chain.chainId}, ${redactUrl(url)} answers chain id ${answered}`);
    return ok(path, `${chain.name}: ${redactUrl(url)} answers, chain id ${answered}, block ${block}`);
  } catch (error) {
    return fail(path, `${chain.name}: ${redactUrl(url)} does not answer: ${describeError(error)}`);
  } finally {
    provider.destroy();
  }
}

async function solanaEndpoint(chain: ChainConfig, path: string, url: string): Promise<CheckLine> {
  const [{ Connection }, { redactUrl }] = await Promise.all([import('@solana/web3.js'), import('../chains/evm/rpc-pool')]);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${chain.rpcTimeoutMs} ms`)), chain.rpcTimeoutMs)));
    const slot = await Promise.race([new Connection(url, { commitment: 'finalized', disableRetryOnRateLimit: true }).getSlot('finalized'), timeout]);
    return ok(path, `${chain.name}: ${redactUrl(url)} answers, finalized slot ${slot}`);
  } catch (error) {
    return fail(path, `${chain.name}: ${redactUrl(url)} does not answer: ${describeError(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** There is code at `address` on the adapter's chain. */
async function codeCheck(adapter: EvmChainAdapter, path: string, address: string, what: string): Promise<CheckLine> {
  try {
    const code = await adapter.pool.read('eth_getCode', (p) => p.getCode(address));
    if (code === '0x') return fail(path, `${what} ${address} has no code (no contract there)`);
    return ok(path, `${what} ${address}: contract, ${(code.length - 2) / 2} bytes of code`);
  } catch (error) {
    return fail(path, `${what} ${address}: cannot read its code: ${describeError(error)}`);
  }
}

/** The asset's feed: code at its address (EVM), and a `latestRoundData` answer; older than its heartbeat is a warning. */
async function feedCheck(asset: AssetConfig, i: number, config: RelayerConfig, registry: ChainRegistry, adapter: EvmChainAdapter | undefined): Promise<CheckLine> {
  const path = formatPath(['assets', i, 'feed', 'address']);
  const chain = config.chains.find((c) => c.eid === asset.feed.eid);
  if (chain === undefined) return fail(formatPath(['assets', i, 'feed', 'eid']), `no chain with eid ${asset.feed.eid}`);
  const what = `${asset.symbol} feed on ${chain.name}:`;
  if (adapter !== undefined) {
    const code = await codeCheck(adapter, path, asset.feed.address, what);
    if (code.status === 'fail') return code;
  }
  try {
    const r = await registry.get(asset.feed.eid).readFeed(asset.feed.address);
    const age = Math.max(0, Number(r.blockTimestamp - r.updatedAt));
    const answer = `${asset.feed.address} answers ${units(r.answer.toString(), r.decimals)} (${r.decimals} decimals, round ${r.roundId}), updated ${age} s ago`;
    if (age > asset.feed.heartbeatSeconds) return { status: 'warn', path, message: `${what} ${answer}: older than its heartbeat of ${asset.feed.heartbeatSeconds} s (stale: its deposits would be HELD)` };
    return ok(path, `${what} ${answer}`);
  } catch (error) {
    return fail(path, `${what} ${asset.feed.address}: latestRoundData failed: ${describeError(error)}`);
  }
}

/** Solana chains: check-solana-chain.ts's issues on their lines, or one ok line per chain. */
function solanaLines(config: RelayerConfig, issues: readonly ConfigIssue[]): CheckLine[] {
  return config.chains.flatMap((chain, i) => {
    if (chain.family !== 'solana') return [];
    const prefix = formatPath(['chains', i]);
    const own = issues.filter((issue) => issue.path.startsWith(`${prefix}.`));
    if (own.length > 0) return own.map((issue) => fail(issue.path, issue.message));
    const nonce = config.role === 'relayer' ? '; the nonce account is a durable nonce of the poster' : '';
    return [ok(formatPath(['chains', i, 'vault']), `${chain.name}: the multisig ${chain.vault ?? '?'} has every attester as a signer and a threshold within the attestation threshold${nonce}`)];
  });
}
