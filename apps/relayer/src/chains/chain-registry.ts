import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { ChainConfig } from '../config/config.schema';
import { RelayerError } from '../common/relayer-error';
import type { ChainAdapter, ChainFamily } from './chain-adapter';
import { UnknownChainError } from './chain-errors';
import type { DestinationRole, DestinationSubmitter } from './destination-submitter';
import { EvmChainAdapter, toBytes32 } from './evm/evm-chain-adapter';
import { EvmSubmitter } from './evm/evm-submitter';

/** A chain asked for a destination contract its config does not name (config validation makes this unreachable). */
export class NoDestinationContractError extends RelayerError {
  override readonly name = 'NoDestinationContractError' as const;
  constructor(readonly eid: number, readonly role: DestinationRole) {
    super(`chain ${eid} has no ${role} configured`, { details: { eid, role } });
  }
}

/** What one chain family provides: its adapter (reads, watching) and the submitter of a destination contract on it. */
type ChainFamilyFactory = {
  adapter(chain: ChainConfig): EvmChainAdapter;
  /** The submitter of `address` (the chain's receiver or vault) on `chain`, through `adapter`'s clients. */
  submitter(adapter: EvmChainAdapter, chain: ChainConfig, address: string, role: DestinationRole, posterKey: string): DestinationSubmitter;
};

/** Builds the adapter and the submitters of one chain by its family: the one place a chain family is chosen (Solana goes here next). */
const FAMILY_FACTORIES: Readonly<Record<ChainFamily, ChainFamilyFactory>> = {
  evm: {
    adapter: (chain) => new EvmChainAdapter(chain),
    submitter: (adapter, chain, address, role, posterKey) => new EvmSubmitter(chain.name, chain.chainId, address, adapter.pool, posterKey, role),
  },
};

/** One adapter per configured chain, by eid. The only place chain clients are created. */
@Injectable()
export class ChainRegistry implements OnApplicationShutdown {
  private readonly adapters = new Map<number, ChainAdapter>();
  private readonly evm = new Map<number, EvmChainAdapter>();

  constructor(private readonly config: AppConfig) {
    for (const chain of config.chains) {
      const adapter = FAMILY_FACTORIES[chain.family].adapter(chain);
      this.adapters.set(chain.eid, adapter);
      this.evm.set(chain.eid, adapter);
    }
  }

  /**
   * The submitter of a destination contract: the derivatives chain's receiver (`role` 'receiver') or a source chain's
   * vault ('vault'), sending from the account of `posterKey`. Built by the chain's family; shares the chain adapter's
   * RPC clients (endpoint fallback, health).
   */
  submitter(eid: number, role: DestinationRole, posterKey: string): DestinationSubmitter {
    const chain = this.config.chains.find((c) => c.eid === eid);
    const adapter = this.evm.get(eid);
    if (chain === undefined || adapter === undefined) throw new UnknownChainError(eid);
    const address = role === 'receiver' ? chain.receiver : chain.vault;
    if (address === undefined) throw new NoDestinationContractError(eid, role);
    return FAMILY_FACTORIES[chain.family].submitter(adapter, chain, address, role, posterKey);
  }

  get(eid: number): ChainAdapter {
    const adapter = this.adapters.get(eid);
    if (adapter === undefined) throw new UnknownChainError(eid);
    return adapter;
  }

  /** The configured vault of a source chain, as bytes32 (where its withdrawals go). */
  vaultOf(eid: number): string | undefined {
    const vault = this.config.chains.find((c) => c.eid === eid && c.role === 'source')?.vault;
    return vault === undefined ? undefined : toBytes32(vault);
  }

  /** Every configured chain (each one is watched: sources for locks and release results, the destination for withdrawals). */
  all(): ChainConfig[] {
    return [...this.config.chains];
  }

  sources(): ChainConfig[] {
    return this.config.chains.filter((c) => c.role === 'source');
  }

  destination(): ChainConfig {
    // Config validation guarantees exactly one destination.
    return this.config.chains.find((c) => c.role === 'destination')!;
  }

  onApplicationShutdown(): void {
    for (const adapter of this.evm.values()) adapter.destroy();
  }
}
