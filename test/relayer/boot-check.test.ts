/**
 * The boot check (apps/relayer/src/chains/check-chain-config.ts): the built relayer reads every configured token's
 * decimals() and the receiver's registration of it, and refuses to start naming the field.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RelayerConfigInput } from '../../apps/relayer/src/config/config.schema';
import { startDevnet, type Devnet } from '../support/devnet';
import { RELAYER_MAIN, ensureRelayerBuilt, startRelayerProcess } from '../support/relayerProcess';

jest.setTimeout(120_000);

let devnet: Devnet;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-boot-'));
  devnet = await startDevnet({ databasePath: join(dir, 'relayer.sqlite') });
  ensureRelayerBuilt();
});

afterAll(async () => {
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts dist/main.js on a copy of the devnet config changed by `mutate`; resolves when it exits (30 s at most). */
function boot(mutate: (c: RelayerConfigInput) => void): { code: number | null; stderr: string } {
  const config = structuredClone(devnet.config);
  mutate(config);
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(config));
  const r = spawnSync(process.execPath, [RELAYER_MAIN, '--config', path], { env: { PATH: process.env.PATH ?? '', ...devnet.env }, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stderr: r.stderr };
}

it('refuses a token whose decimals() differ from the config (18 on chain, 6 configured), naming the field', () => {
  // assets[1] is WETH, a TestERC20 deployed with 18 decimals (and registered on the receiver with 18).
  const r = boot((c) => void (c.assets![1]!.decimals = 6));
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n')).toEqual(['config error: assets[1].decimals: configured 6, token reports 18', 'config error: assets[1].decimals: configured 6, receiver registers 18']);
});

it('refuses a token without decimals() and an asset the receiver has not registered', () => {
  const source = devnet.sources[0]!;
  const r = boot((c) => {
    // A contract without decimals() (the vault itself) …
    c.assets![0]!.token = source.vaultAddress;
    // … and a real 18-decimals token the vault allows but the receiver never registered.
    c.assets!.push({ ...c.assets![1]!, token: source.unlisted.address, symbol: 'XYZ' });
  });
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n')).toEqual([
    `config error: assets[0].token: ${source.vaultAddress} on ${source.name} has no decimals()`,
    `config error: assets[0].token: ${source.vaultAddress} (eid ${source.eid}) is not registered on the receiver ${devnet.destination.receiverAddress}`,
    `config error: assets[2].token: ${source.unlisted.address} (eid ${source.eid}) is not registered on the receiver ${devnet.destination.receiverAddress}`,
  ]);
});

it('starts when the chains agree with the config', async () => {
  const path = join(dir, 'ok.json');
  devnet.writeConfig(path);
  const relayer = await startRelayerProcess(path, devnet.env);
  expect(await relayer.stop()).toBe(0);
});
