import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { ChainConfig } from '../config/config.schema';
import type { ChainAdapter } from './chain-adapter';
import { UnknownChainError } from './chain-errors';
import { EvmChainAdapter } from './evm/evm-chain-adapter';

/** One adapter per configured chain, by eid. The only place chain clients are created. */
@Injectable()
export class ChainRegistry implements OnApplicationShutdown {
  private readonly adapters = new Map<number, ChainAdapter>();
  private readonly evm = new Map<number, EvmChainAdapter>();

  constructor(private readonly config: AppConfig) {
    for (const chain of config.chains) {
      const adapter = new EvmChainAdapter(chain);
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
