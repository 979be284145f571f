/**
 * The boot check of a Solana chain (apps/relayer/src/chains/solana/check-solana-chain.ts and check-chain-config.ts):
 * the built relayer reads the multisig, the mints and the nonce account over JSON-RPC and refuses to start naming the field.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keypair } from '@solana/web3.js';
import type { RelayerConfigInput } from '../../apps/relayer/src/config/config.schema';
import { startDevnet, type Devnet } from '../support/devnet';
import { RELAYER_MAIN, ensureRelayerBuilt } from '../support/relayerProcess';

jest.setTimeout(120_000);

let devnet: Devnet;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-boot-solana-'));
  devnet = await startDevnet({ databasePath: join(dir, 'relayer.sqlite'), attesters: 3, threshold: 2, solana: {} });
  ensureRelayerBuilt();
});

afterAll(async () => {
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts dist/main.js on a changed copy of the devnet config; resolves when it exits (async: the Solana endpoint lives in this process). */
async function boot(mutate: (c: RelayerConfigInput) => void, env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const config = structuredClone(devnet.config);
  mutate(config);
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(config));
  const child = spawn(process.execPath, [RELAYER_MAIN, '--config', path], { env: { PATH: process.env.PATH ?? '', ...devnet.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stderr };
}

const solanaIndex = (c: RelayerConfigInput): number => c.chains.findIndex((x) => x.family === 'solana');
const solanaAsset = (c: RelayerConfigInput, symbol: string): number => c.assets!.findIndex((a) => a.eid === devnet.solana!.eid && a.symbol === symbol);

it('refuses SPL decimals that differ from the mint on chain', async () => {
  let i = -1;
  const r = await boot((c) => {
    i = solanaAsset(c, 'SOL');
    c.assets![i]!.decimals = 6;
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`config error: assets[${i}].decimals: configured 6, token reports 9`);
});

it('refuses a vault that is not an SPL Token multisig, and a mint that is not a mint', async () => {
  let c0 = -1;
  let a0 = -1;
  const r = await boot((c) => {
    c0 = solanaIndex(c);
    a0 = solanaAsset(c, 'USDC');
    c.chains[c0]!.vault = devnet.solana!.nonceAccount.toBase58();
    c.assets![a0]!.token = devnet.solana!.multisig.toBase58();
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`config error: chains[${c0}].vault: `);
  expect(r.stderr).toMatch(/is not an SPL Token multisig account/);
  expect(r.stderr).toContain(`config error: assets[${a0}].token: ${devnet.solana!.multisig.toBase58()} on devnet-solana has no decimals()`);
});

it("refuses attesters whose Solana keys are not the multisig's signers, and a nonce account the poster does not control", async () => {
  let c0 = -1;
  const r = await boot(
    (c) => {
      c0 = solanaIndex(c);
    },
    { RELAYER_ATTESTER_KEY_0: '0x' + '11'.repeat(32), RELAYER_SOLANA_POSTER_KEY: '0x' + '22'.repeat(32) },
  );
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(new RegExp(`config error: chains\\[${c0}\\]\\.vault: attester Solana key \\w+ is not a signer of the multisig`));
  expect(r.stderr).toMatch(new RegExp(`config error: chains\\[${c0}\\]\\.solana\\.nonceAccount: its authority \\w+ is not the poster's Solana account`));
});

it('refuses a nonce account that does not exist', async () => {
  let c0 = -1;
  const missing = Keypair.generate().publicKey.toBase58();
  const r = await boot((c) => {
    c0 = solanaIndex(c);
    c.chains[c0]!.solana = { ...c.chains[c0]!.solana!, nonceAccount: missing };
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`config error: chains[${c0}].solana.nonceAccount: ${missing} does not exist`);
});
