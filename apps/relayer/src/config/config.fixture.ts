import type { RelayerConfigInput } from './config.schema';

/** A valid config (fake addresses, no RPC needed) and the env holding its keys. Tests only (excluded from the build). */
export const FIXTURE_ENV: Record<string, string> = {
  ATTESTER_KEY_0: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  POSTER_KEY: '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
  /** The marker's sending key (`marks.posterKey` of the example config); the fixture config has no marks block. */
  MARKS_POSTER_KEY: '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
};

export function fixtureConfig(): RelayerConfigInput {
  return {
    chains: [
      { name: 'src', eid: 40101, chainId: 31338, rpcUrl: 'http://127.0.0.1:1', role: 'source', vault: '0x5FbDB2315678afecb367f032d93F642f64180aa3' },
      { name: 'dst', eid: 40200, chainId: 31337, rpcUrl: 'http://127.0.0.1:2', role: 'destination', receiver: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' },
    ],
    assets: [
      {
        eid: 40101,
        token: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
        symbol: 'USDC',
        decimals: 6,
        feed: { eid: 40200, address: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9', heartbeatSeconds: 86400 },
        risk: { haircut: '0.02', ltv: '0.9', liquidationThreshold: '0.95', liquidationBonus: '0.02' },
      },
    ],
    database: { path: ':memory:' },
    api: { adminToken: 'a-long-enough-admin-token' },
    attesters: [{ keyEnv: 'ATTESTER_KEY_0' }],
    poster: { keyEnv: 'POSTER_KEY' },
  };
}
