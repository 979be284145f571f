import { RelayerError, describeError } from '../common/relayer-error';
import { type ConfigIssue, formatPath } from '../config/config-error';
import type { ChainConfig } from '../config/config.schema';
import type { RelayerConfig } from '../config/load-config';
import type { ChainAdapter } from './chain-adapter';
import { BOOT_READ_RETRY_MS, retryRpcRead } from './retry-rpc-read';
import { ChainRegistry } from './chain-registry';
import { toBytes32 } from './address-bytes32';
import { solanaChainIssues } from './solana/check-solana-chain';

/**
 * The configuration disagrees with the chains it names. `message` lists every issue like a ConfigError does
 * (`config error: assets[1].decimals: configured 6, token reports 18`); main.ts prints it and exits 1.
 */
export class ChainConfigError extends RelayerError {
  override readonly name = 'ChainConfigError' as const;
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map((i) => `config error: ${i.path}: ${i.message}`).join('\n'), { details: { issues } });
    this.issues = issues;
  }
}

/** What the check reads: each chain's adapter by eid (ChainRegistry). */
export type ChainConfigReader = { get(eid: number): Pick<ChainAdapter, 'tokenDecimals' | 'receiverAsset'> };

/**
 * What the chains say about the configured assets, as config issues (empty: all agree). Per `assets[i]`:
 *  - the token's `decimals()` on its chain equals `decimals` (a token without `decimals()` is refused: `token`);
 *  - the receiver has the asset registered for credits from its chain (`assetConfig(eid, token).registered`: `token`)
 *    with the same decimals (`decimals`): the receiver values raw amounts with its own decimals, the relayer with the
 *    configured ones, so a mismatch would misprice every credit by powers of ten.
 * A read that fails (RPC down, a receiver without `assetConfig`) is an issue too: the relayer does not start on a
 * configuration it could not check. An RPC failure is first retried after each of `retryDelaysMs` (a node restarting
 * or one dropped request does not stop a boot).
 */
export async function chainConfigIssues(config: Pick<RelayerConfig, 'chains' | 'assets'>, chains: ChainConfigReader, retryDelaysMs: readonly number[] = BOOT_READ_RETRY_MS): Promise<ConfigIssue[]> {
  const settle = <T>(read: () => Promise<T>) => settleRetrying(read, retryDelaysMs);
  // Config validation guarantees exactly one destination with a receiver, and a source chain for every asset.
  const d = config.chains.findIndex((c) => c.role === 'destination');
  const destination = config.chains[d]!;
  const perAsset = await Promise.all(
    config.assets.map(async (asset, i): Promise<ConfigIssue[]> => {
      const issues: ConfigIssue[] = [];
      const at = (field: string): string => formatPath(['assets', i, field]);
      const chain = config.chains.find((c) => c.eid === asset.eid)!;
      const [decimals, registration] = await Promise.all([
        settle(() => chains.get(asset.eid).tokenDecimals(asset.token)),
        settle(() => chains.get(destination.eid).receiverAsset(asset.eid, toBytes32(asset.token))),
      ]);
      if ('error' in decimals) issues.push({ path: at('token'), message: `cannot read decimals() of ${asset.token} on ${chain.name}: ${describeError(decimals.error)}` });
      else if (decimals.value === null) issues.push({ path: at('token'), message: `${asset.token} on ${chain.name} has no decimals()` });
      else if (decimals.value !== asset.decimals) issues.push({ path: at('decimals'), message: `configured ${asset.decimals}, token reports ${decimals.value}` });
      if ('error' in registration)
        issues.push({ path: formatPath(['chains', d, 'receiver']), message: `cannot read assetConfig(${asset.eid}, ${asset.token}) on ${destination.name}: ${describeError(registration.error)}` });
      else if (!registration.value.registered) issues.push({ path: at('token'), message: `${asset.token} (eid ${asset.eid}) is not registered on the receiver ${receiverOf(destination)}` });
      else if (registration.value.decimals !== asset.decimals) issues.push({ path: at('decimals'), message: `configured ${asset.decimals}, receiver registers ${registration.value.decimals}` });
      return issues;
    }),
  );
  return perAsset.flat();
}

/**
 * The boot check (main.ts, before the app starts): `chainConfigIssues` over the configured chains' own clients,
 * closed afterwards. Throws ChainConfigError naming every field the chains disagree with.
 */
export async function assertChainConfig(config: RelayerConfig): Promise<void> {
  const registry = new ChainRegistry(config); // AppConfig is RelayerConfig by declaration merging
  try {
    const issues = [...(await chainConfigIssues(config, registry)), ...(await solanaChainIssues(config, registry))];
    if (issues.length > 0) throw new ChainConfigError(issues);
  } finally {
    registry.onApplicationShutdown();
  }
}

function receiverOf(chain: ChainConfig): string {
  return chain.receiver ?? '?';
}

/** `read()`'s value, or its error once retryRpcRead gave up. */
async function settleRetrying<T>(read: () => Promise<T>, retryDelaysMs: readonly number[]): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await retryRpcRead(read, retryDelaysMs) };
  } catch (error) {
    return { error };
  }
}
