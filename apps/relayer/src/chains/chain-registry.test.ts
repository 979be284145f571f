import { Wallet } from 'ethers';
import type { AppConfig } from '../config/app-config';
import { FIXTURE_ENV, fixtureConfig } from '../config/config.fixture';
import { buildConfig } from '../config/load-config';
import { ChainRegistry, NoDestinationContractError } from './chain-registry';
import { UnknownChainError } from './chain-errors';
import { EvmSubmitter } from './evm/evm-submitter';

describe('ChainRegistry.submitter', () => {
  const config: AppConfig = buildConfig(fixtureConfig(), { env: FIXTURE_ENV, baseDir: __dirname }); // AppConfig is RelayerConfig by declaration merging
  const registry = new ChainRegistry(config);
  const key = config.posterKey.reveal();
  afterAll(() => registry.onApplicationShutdown());

  it('builds the EVM submitter of the receiver (derivatives chain) and of a vault (source chain), by the chain family', () => {
    const receiver = registry.submitter(40200, 'receiver', key);
    const vault = registry.submitter(40101, 'vault', key);
    expect(receiver).toBeInstanceOf(EvmSubmitter);
    expect([receiver.role, receiver.address, receiver.addressBytes32]).toEqual(['receiver', '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', `0x${'00'.repeat(12)}e7f1725e7734ce288f8367e1bb143e90bb3f0512`]);
    expect([vault.role, vault.address]).toEqual(['vault', '0x5FbDB2315678afecb367f032d93F642f64180aa3']);
    expect(receiver.posterAddress).toBe(new Wallet(key).address);
    expect(vault.posterAddress).toBe(receiver.posterAddress);
  });

  it('refuses a chain that is not configured, and a contract the chain does not have', () => {
    expect(() => registry.submitter(1, 'receiver', key)).toThrow(UnknownChainError);
    expect(() => registry.submitter(40101, 'receiver', key)).toThrow(NoDestinationContractError);
    expect(() => registry.submitter(40200, 'vault', key)).toThrow('chain 40200 has no vault configured');
  });
});
