import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { ChainConfig } from '../config/config.schema';
import { RelayerError } from '../common/relayer-error';
import type { ChainAdapter, ChainFamily } from './chain-adapter';
import { UnknownChainError } from './chain-errors';
import type { DestinationRole, DestinationSubmitter } from './destination-submitter';
import { toBytes32 } from './address-bytes32';
import { EvmChainAdapter } from './evm/evm-chain-adapter';
import { EvmSubmitter } from './evm/evm-submitter';
import { SolanaChainAdapter } from './solana/solana-chain-adapter';

/** A chain asked for a destination contract its config does not name (config validation makes this unreachable). */
export class NoDestinationContractError extends RelayerError {
  override readonly name = 'NoDestinationContractError' as const;
  constructor(readonly eid: number, readonly role: DestinationRole) {
    super(`chain ${eid} has no ${role} configured`, { details: { eid, role } });
  }
}

/** A chain family without a batch submitter (Solana: its releases go through solana/solana-releaser.ts). */
export class NoSubmitterError extends RelayerError {
  override readonly name = 'NoSubmitterError' as const;
  constructor(readonly eid: number, readonly family: ChainFamily) {
    super(`chain ${eid} (${family}) takes no attested batches`, { details: { eid, family } });
  }
}

/** Builds the adapter of one chain by its family, and the submitter of a destination contract on it (EVM only): the one place a chain family is chosen. */
function makeAdapter(chain: ChainConfig, config: AppConfig): ChainAdapter {
  switch (chain.family) {
    case 'evm':
      return new EvmChainAdapter(chain);
    case 'solana': {
      // Config validation guarantees exactly one destination, with a receiver.
      const destination = config.chains.find((c) => c.role === 'destination')!;
      const mints = config.assets.filter((a) => a.eid === chain.eid).map((a) => a.token);
      return new SolanaChainAdapter(chain, mints, { eid: destination.eid, receiver: destination.receiver! });
    }
  }
}

/** One adapter per configured chain, by eid. The only place chain clients are created. */
@Injectable()
export class ChainRegistry implements OnApplicationShutdown {
  private readonly adapters = new Map<number, ChainAdapter>();
  private readonly evm = new Map<number, EvmChainAdapter>();
  private readonly solanaAdapters = new Map<number, SolanaChainAdapter>();

  constructor(private readonly config: AppConfig) {
    for (const chain of config.chains) {
      const adapter = makeAdapter(chain, config);
      this.adapters.set(chain.eid, adapter);
      if (adapter instanceof EvmChainAdapter) this.evm.set(chain.eid, adapter);
      if (adapter instanceof SolanaChainAdapter) this.solanaAdapters.set(chain.eid, adapter);
    }
  }

  /** The Solana adapter of a chain of family solana. */
  solana(eid: number): SolanaChainAdapter {
    const adapter = this.solanaAdapters.get(eid);
    if (adapter === undefined) throw new UnknownChainError(eid);
    return adapter;
  }

  /**
   * The submitter of a destination contract: the derivatives chain's receiver (`role` 'receiver') or a source chain's
   * vault ('vault'), sending from the account of `posterKey`. Built by the chain's family; shares the chain adapter's
   * RPC clients (endpoint fallback, health).
   */
  submitter(eid: number, role: DestinationRole, posterKey: string): DestinationSubmitter {
    const chain = this.config.chains.find((c) => c.eid === eid);
    if (chain === undefined) throw new UnknownChainError(eid);
    const adapter = this.evm.get(eid);
    if (adapter === undefined) throw new NoSubmitterError(eid, chain.family);
    const address = role === 'receiver' ? chain.receiver : chain.vault;
    if (address === undefined) throw new NoDestinationContractError(eid, role);
    return new EvmSubmitter(chain.name, chain.chainId, address, adapter.pool, posterKey, role);
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
    for (const adapter of this.solanaAdapters.values()) adapter.destroy();
  }
}
