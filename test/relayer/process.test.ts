import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevnet, type Devnet } from '../support/devnet';
import { startRelayerProcess } from '../support/relayerProcess';
import { lock, waitForStates } from './harness';

jest.setTimeout(120_000);

let dir: string;
let devnet: Devnet;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-process-'));
  devnet = await startDevnet({ sources: 1, attesters: 2, threshold: 2, users: 1, databasePath: join(dir, 'relayer.sqlite'), relayer: { logLevel: 'log' } });
});

afterAll(async () => {
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('runs as a process from a config file, credits a deposit, logs no key, and exits 0 on SIGTERM', async () => {
  const configPath = join(dir, 'relayer.json');
  devnet.writeConfig(configPath);
  const relayer = await startRelayerProcess(configPath, devnet.env);
  try {
    const source = devnet.sources[0]!;
    const l = await lock(source, source.users[0]!, source.weth, 10n ** 18n);
    await source.anvil.mine(70);
    await waitForStates(relayer.url, [l.guid], 'CREDITED');
  } finally {
    expect(await relayer.stop()).toBe(0);
  }
  for (const key of Object.values(devnet.env)) expect(relayer.output()).not.toContain(key.slice(2));
  expect(relayer.output()).toContain('applied on devnet-derivatives in block');
});
