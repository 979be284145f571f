import { Inject, Injectable, Logger } from '@nestjs/common';
import { ChainRegistry } from '../chains/chain-registry';
import { EvmBookChain } from '../chains/evm/evm-book-chain';
import { toBytes32 } from '../chains/address-bytes32';
import { EvmChainAdapter } from '../chains/evm/evm-chain-adapter';
import { RelayerError } from '../common/relayer-error';
import { AppConfig } from '../config/app-config';
import { DepositRepository } from '../store/deposit.repository';
import type { BookChain } from './book-chain';
import { assetId, type BookSnapshot, stressReport, type StressReport } from './stress-report';
import { loadNamedScenarios, type NamedScenario, namedScenario, readRequirementsFile, stressBaseDir } from './stress-inputs';

/** DI token of the derivatives chain's BookChain (tests may provide a fake). */
export const BOOK_CHAIN = Symbol('BookChain');

/** The derivatives chain's family has no BookChain yet. */
export class UnsupportedBookChainError extends RelayerError {
  override readonly name = 'UnsupportedBookChainError' as const;
  constructor(readonly chain: string, readonly family: string) {
    super(`no live-book reader for ${chain} (family ${family})`, { details: { chain, family } });
  }
}

/** The BookChain of the configured derivatives chain, over its adapter's RPC clients. */
export function bookChainOf(chains: ChainRegistry): BookChain {
  const destination = chains.destination();
  const adapter = chains.get(destination.eid);
  // The only chain family today; a Solana receiver would bring its own BookChain (stress/book-chain.ts).
  if (!(adapter instanceof EvmChainAdapter)) throw new UnsupportedBookChainError(destination.name, adapter.family);
  return new EvmBookChain(destination, adapter.pool);
}

/** Reads of positions in flight at once (one eth_call each). */
const POSITION_READS_IN_FLIGHT = 8;

export type StressRunParameters = {
  /** A configured scenario's name, or an already parsed scenario (a POST body's inline one). */
  scenario: string | NamedScenario;
  /** Requirements from the request (lowercase bytes32 → USD 18 decimals); they override the requirements file's. */
  requirements?: ReadonlyMap<string, bigint> | undefined;
};

/**
 * Stress over the live book: the accounts of CREDITED deposits (store) and of every requirement given, their positions,
 * the registered assets, tiers and marks (receiver, all at one block), one scenario (@ccr/risk stressLiveBook).
 */
@Injectable()
export class StressService {
  private readonly logger = new Logger('StressService');
  private readonly scenarios: Map<string, NamedScenario>;
  private readonly baseDir: string;
  private readonly symbols: Map<string, string>;

  constructor(
    private readonly config: AppConfig,
    private readonly deposits: DepositRepository,
    @Inject(BOOK_CHAIN) private readonly chain: BookChain,
  ) {
    this.baseDir = stressBaseDir(config.sourcePath);
    this.scenarios = loadNamedScenarios(config.stress, this.baseDir);
    this.symbols = new Map(config.assets.map((a) => [assetId(a.eid, toBytes32(a.token)), a.symbol]));
  }

  /** The configured scenarios, by name. */
  scenarioList(): { name: string; kind: string; definition: unknown }[] {
    return [...this.scenarios.values()].map((s) => ({ name: s.name, kind: s.scenario.kind, definition: s.definition }));
  }

  async run({ scenario, requirements }: StressRunParameters): Promise<StressReport> {
    const named = typeof scenario === 'string' ? namedScenario(this.scenarios, scenario) : scenario;
    const file = this.config.stress.requirementsFile;
    const merged = new Map(file === undefined ? [] : readRequirementsFile(file, this.baseDir));
    for (const [account, requirement] of requirements ?? []) merged.set(account, requirement);
    const accounts = [...new Set([...(await this.deposits.creditedAccounts()), ...merged.keys()])].sort();
    const report = stressReport(await this.snapshot(accounts), named, merged);
    if (report.totals.onChainMismatches > 0)
      this.logger.warn(`stress ${report.scenario.name}: ${report.totals.onChainMismatches} account(s) valued differently from the receiver at block ${report.block.number}`);
    return report;
  }

  /** The receiver's assets and the accounts' positions, all at the latest block. */
  private async snapshot(accounts: readonly string[]): Promise<BookSnapshot> {
    const block = await this.chain.latestBlock();
    const assetsRead = this.chain.assets(block.number);
    const positions = new Array<BookSnapshot['accounts'][number]>(accounts.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < accounts.length) {
        const i = next++;
        positions[i] = { account: accounts[i]!, positions: await this.chain.positions(accounts[i]!, block.number) };
      }
    };
    const [assets] = await Promise.all([assetsRead, ...Array.from({ length: Math.min(POSITION_READS_IN_FLIGHT, accounts.length) }, worker)]);
    return { block, assets: assets.map((a) => ({ ...a, symbol: this.symbols.get(assetId(a.srcEid, a.asset)) ?? assetId(a.srcEid, a.asset) })), accounts: positions };
  }
}
