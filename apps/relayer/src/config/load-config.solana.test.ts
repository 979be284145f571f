/** Config of a Solana source chain (docs/solana.md): what it needs, what it refuses, each issue naming its field. */
import { Keypair } from '@solana/web3.js';
import { ConfigError } from './config-error';
import type { RelayerConfigInput } from './config.schema';
import { FIXTURE_ENV, fixtureConfig } from './config.fixture';
import { buildConfig } from './load-config';

const MULTISIG = Keypair.generate().publicKey.toBase58();
const NONCE = Keypair.generate().publicKey.toBase58();
const MINT = Keypair.generate().publicKey.toBase58();
const SOLANA_POSTER = '0x' + '3c'.repeat(32);
const env = { ...FIXTURE_ENV, SOLANA_POSTER };

function withSolana(chain: Record<string, unknown> = {}, asset: Record<string, unknown> = {}): RelayerConfigInput {
  const base = fixtureConfig();
  return {
    ...base,
    chains: [
      ...base.chains,
      { name: 'solana', family: 'solana', eid: 40168, rpcUrl: 'http://127.0.0.1:3', role: 'source', vault: MULTISIG, solana: { nonceAccount: NONCE, posterKey: { keyEnv: 'SOLANA_POSTER' } }, ...chain },
    ] as RelayerConfigInput['chains'], // `chain` may override any field, with a wrong value too: the parser is what is tested
    assets: [
      ...(base.assets ?? []),
      {
        eid: 40168,
        token: MINT,
        symbol: 'SOL',
        decimals: 9,
        feed: { eid: 40200, address: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9', heartbeatSeconds: 3600 },
        risk: { haircut: '0.15', ltv: '0.75', liquidationThreshold: '0.8' },
        ...asset,
      },
    ],
  };
}

function issues(raw: unknown, role: 'relayer' | 'attester' = 'relayer'): string[] {
  try {
    buildConfig(raw, { env, baseDir: '/tmp', role });
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config: a Solana source chain', () => {
  it('takes a multisig vault, a nonce account and the poster key (resolved and redacted); no chainId needed', () => {
    const config = buildConfig(withSolana(), { env, baseDir: '/tmp' });
    const chain = config.chains.find((c) => c.family === 'solana')!;
    expect([chain.vault, chain.solana?.nonceAccount, chain.finality.mode, chain.solana?.signaturePageSize]).toEqual([MULTISIG, NONCE, 'finalized', 1000]);
    expect(config.solanaPosterKeys.get(40168)?.reveal()).toBe(SOLANA_POSTER);
    expect(JSON.stringify(config)).not.toContain(SOLANA_POSTER.slice(2));
  });

  it.each([
    ['an EVM vault address', { vault: '0x5FbDB2315678afecb367f032d93F642f64180aa3' }, 'chains[2].vault'],
    ['no solana block', { solana: undefined }, 'chains[2].solana'],
    ['a nonce account that is not base58', { solana: { nonceAccount: 'not-a-key', posterKey: { keyEnv: 'SOLANA_POSTER' } } }, 'chains[2].solana.nonceAccount'],
    ['confirmations finality', { finality: { mode: 'confirmations', confirmations: 3 } }, 'chains[2].finality.mode'],
    ['the destination role', { role: 'destination', receiver: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' }, 'chains[2].role'],
  ])('refuses %s', (_what, chain, field) => {
    expect(issues(withSolana(chain)).some((line) => line.includes(field))).toBe(true);
  });

  it('refuses an EVM token address for a Solana asset, and a mint for an EVM one', () => {
    expect(issues(withSolana({}, { token: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0' })).join('\n')).toMatch(/assets\[1\]\.token: expected the SPL mint as a base58 public key/);
    const base = withSolana();
    base.assets![0]!.token = MINT;
    expect(issues(base).join('\n')).toMatch(/assets\[0\]\.token: expected a 0x-prefixed 20-byte hex address/);
  });

  it('an EVM chain still needs its chainId, and takes no solana block', () => {
    const base = withSolana();
    delete (base.chains[0] as { chainId?: number }).chainId; // the EVM chain's chainId, dropped to see it refused
    (base.chains[1] as Record<string, unknown>).solana = { nonceAccount: NONCE }; // a solana block on an EVM chain: no type allows it, the parser must refuse it
    const text = issues(base).join('\n');
    expect(text).toMatch(/chains\[0\]\.chainId: an EVM chain needs its chainId/);
    expect(text).toMatch(/chains\[1\]\.solana: only a chain of family solana takes a solana block/);
  });

  it('the relayer needs the Solana poster key; the attester role does not', () => {
    const raw = withSolana({ solana: { nonceAccount: NONCE } });
    expect(issues(raw).join('\n')).toMatch(/chains\[2\]\.solana\.posterKey: Required/);
    const attester: RelayerConfigInput = { ...raw, attester: { tokenEnv: 'ATTESTER_TOKEN' } };
    delete attester.poster;
    const config = buildConfig(attester, { env: { ...env, ATTESTER_TOKEN: 'an-attester-token-of-length' }, baseDir: '/tmp', role: 'attester' });
    expect(config.solanaPosterKeys.size).toBe(0);
  });

  it('a remote attester needs its solanaAddress when a Solana chain is configured', () => {
    const raw = withSolana();
    raw.attesters = [{ url: 'http://127.0.0.1:9', address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', tokenEnv: 'T' }];
    const text = issues({ ...raw }, 'relayer');
    expect(text.join('\n')).toMatch(/attesters\[0\]\.solanaAddress: required with a Solana chain/);
  });
});
