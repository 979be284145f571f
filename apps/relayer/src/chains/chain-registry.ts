import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { ChainConfig } from '../config/config.schema';
import type { ChainAdapter, ChainFamily } from './chain-adapter';
import { UnknownChainError } from './chain-errors';
import { EvmChainAdapter, toBytes32 } from './evm/evm-chain-adapter';

/** Builds the adapter of one chain by its family: the one place a chain family is chosen (Solana goes here next). */
const ADAPTER_FACTORIES: Readonly<Record<ChainFamily, (chain: ChainConfig) => EvmChainAdapter>> = {
  evm: (chain) => new EvmChainAdapter(chain),
};

/** One adapter per configured chain, by eid. The only place chain clients are created. */
@Injectable()
export class ChainRegistry implements OnApplicationShutdown {
  private readonly adapters = new Map<number, ChainAdapter>();
  private readonly evm = new Map<number, EvmChainAdapter>();

  constructor(private readonly config: AppConfig) {
    for (const chain of config.chains) {
      const adapter = ADAPTER_FACTORIES.evm(chain);
      this.adapters.set(chain.eid, adapter);
      this.evm.set(chain.eid, adapter);
    }
  }

  get(eid: number): ChainAdapter {
    const adapter = this.adapters.get(eid);
    if (adapter === undefined) throw new UnknownChainError(eid);
    return adapter;
  }

  /** The EVM adapter (provider access) of an EVM chain, for the poster. */
  evmAdapter(eid: number): EvmChainAdapter {
    const adapter = this.evm.get(eid);
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
