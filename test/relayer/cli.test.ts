/**
 * The `relayer` bin (apps/relayer/src/cli, built: dist/main.js) as a process: help and version, unknown options and
 * commands refused by name (exit 2, nothing started), `check-config` against a devnet's chains, and the client
 * commands against a running relayer's API (status, deposits, withdrawals, retry, void, resume-chain).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ethers } from '../../contracts/ts/index';
import type { RelayerConfigInput } from '../../apps/relayer/src/config/config.schema';
import { startDevnet, type Devnet } from '../support/devnet';
import { RELAYER_DIR, RELAYER_MAIN, ensureRelayerBuilt, startRelayerProcess, type RelayerProcess } from '../support/relayerProcess';
import { parseFlags, UsageError } from '../../scripts/lib/args';
import { getJson, lock, waitForStates } from './harness';

jest.setTimeout(120_000);

type Run = { code: number | null; stdout: string; stderr: string };

/** `node dist/main.js <args>` with exactly `env` (plus PATH). */
function relayer(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RELAYER_MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

let dir: string;
let devnet: Devnet;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-bin-'));
  port = await freePort();
  devnet = await startDevnet({ sources: 1, attesters: 2, threshold: 2, users: 1, databasePath: join(dir, 'relayer.sqlite'), relayer: { port } });
  ensureRelayerBuilt();
});

afterAll(async () => {
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The devnet's config, changed by `mutate`, in a file of its own; returns the path. */
function configFile(mutate: (c: RelayerConfigInput) => void = () => undefined): string {
  const config = structuredClone(devnet.config);
  mutate(config);
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

describe('usage', () => {
  it('--help lists the commands; each command has its own; --version is the package version', async () => {
    const help = await relayer(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    for (const command of ['start', 'check-config', 'status', 'deposits', 'withdrawals', 'retry', 'void', 'resume-chain', 'stress']) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    const voidHelp = await relayer(['void', '--help']);
    expect(voidHelp.code).toBe(0);
    expect(voidHelp.stdout).toContain('Usage: relayer void [options] <guid>');
    expect(voidHelp.stdout).toContain('--reason <reason>');
    expect(voidHelp.stdout).toContain('RELAYER_ADMIN_TOKEN');
    expect((await relayer(['deposits', 'list', '--help'])).stdout).toContain('--state <state>');
    expect((await relayer(['help', 'check-config'])).stdout).toContain('--offline');
    const pkg = JSON.parse(readFileSync(join(RELAYER_DIR, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> }; // apps/relayer/package.json has both
    expect(await relayer(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    // The `relayer` bin is this file, runnable as it is.
    expect(join(RELAYER_DIR, pkg.bin.relayer!)).toBe(RELAYER_MAIN);
    expect(readFileSync(RELAYER_MAIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('refuses an unknown option or command by name, exit 2, and starts nothing (no database)', async () => {
    const database = join(dir, 'never.sqlite');
    const path = configFile((c) => void (c.database = { path: database }));
    const typo = await relayer(['--config', path, '--chek-config'], devnet.env);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("error: unknown option '--chek-config'");
    expect(typo.stderr).toContain('Did you mean --check-config?');
    const command = await relayer(['chek-config', '--config', path], devnet.env);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("error: unknown command 'chek-config'");
    expect(command.stderr).toContain('Did you mean check-config?');
    const sub = await relayer(['start', '--config', path, '--rol', 'attester'], devnet.env);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain("error: unknown option '--rol'");
    const missing = await relayer(['void', `0x${'ab'.repeat(32)}`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: required option '--reason <reason>' not specified");
    expect(existsSync(database)).toBe(false);
    expect(typo.stdout + command.stdout + sub.stdout).toBe('');
  });
});

describe('scripts/lib/args.ts (on util.parseArgs)', () => {
  const spec = { n: 'integer', json: 'boolean', name: 'string' } as const;
  it('parses --flag, --name value, --name=value; skips the -- separator', () => {
    expect(parseFlags([], spec)).toEqual({});
    expect(parseFlags(['--', '--n', '5', '--json', '--name=x'], spec)).toEqual({ n: 5, json: true, name: 'x' });
  });
  it.each([
    [['--bogus'], 'unknown argument --bogus (known: --n, --json, --name)'],
    [['stray'], 'unknown argument stray (known: --n, --json, --name)'],
    [['-n', '5'], 'unknown argument -n (known: --n, --json, --name)'],
    [['--n'], '--n needs a value'],
    [['--n', 'five'], '--n expects a non-negative integer, got five'],
    [['--json=yes'], '--json takes no value, got --json=yes'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseFlags(argv, spec)).toThrow(new UsageError(message));
  });
});

describe('check-config', () => {
  it('passes against the devnet: every endpoint, contract, feed and token checked, one line each', async () => {
    const r = await relayer(['check-config', '--config', configFile()], devnet.env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('config ok: 2 chain(s), 2 asset(s), 2 attester key(s)');
    const source = devnet.sources[0]!;
    for (const [field, text] of [
      ['chains[0].rpcUrl', `answers, chain id ${devnet.destination.chainId}`],
      ['chains[0].receiver', `receiver ${devnet.destination.receiverAddress}: contract`],
      ['chains[1].rpcUrl', `answers, chain id ${source.chainId}`],
      ['chains[1].vault', `vault ${source.vaultAddress}: contract`],
      ['assets[0]', `USDC ${source.usdc.address} on ${source.name}: decimals() 6, registered on the receiver with 6`],
      ['assets[0].feed.address', 'USDC feed on'],
      ['assets[1]', 'decimals() 18, registered on the receiver with 18'],
      ['assets[1].feed.address', 'WETH feed on'],
    ] as const)
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^ok +${field.replace(/[[\].]/g, '\\$&')} +.*${text.replace(/[[\].()]/g, '\\$&')}`)));
    expect(lines.at(-1)).toBe('chain checks: 8 ok, 0 failed');
  });

  it('fails naming the field: a vault address without code, a token whose decimals() differ; --offline only validates', async () => {
    const nowhere = ethers.Wallet.createRandom().address;
    const path = configFile((c) => {
      c.chains[1]!.vault = nowhere;
      c.assets![0]!.decimals = 18; // USDC is a 6-decimals token (and registered with 6)
    });
    const r = await relayer(['check-config', '--config', path], devnet.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^FAIL +chains\\[1\\]\\.vault +${devnet.sources[0]!.name}: vault ${nowhere} has no code`, 'm'));
    expect(r.stdout).toMatch(/^FAIL +assets\[0\]\.decimals +configured 18, token reports 6$/m);
    expect(r.stdout).toMatch(/^ok +chains\[0\]\.receiver /m);
    expect(r.stdout).toContain('chain checks: 6 ok, 3 failed');
    expect(r.stderr.trim().split('\n')).toEqual([
      `config error: chains[1].vault: ${devnet.sources[0]!.name}: vault ${nowhere} has no code (no contract there)`,
      'config error: assets[0].decimals: configured 18, token reports 6',
      'config error: assets[0].decimals: configured 18, receiver registers 6',
    ]);
    const offline = await relayer(['check-config', '--offline', '--config', path], devnet.env);
    expect(offline).toEqual({ code: 0, stdout: 'config ok: 2 chain(s), 2 asset(s), 2 attester key(s)\n', stderr: '' });
  });
});

describe('check-config with a Solana source chain', () => {
  let solana: Devnet;
  beforeAll(async () => {
    solana = await startDevnet({ sources: 1, users: 1, attesters: 2, threshold: 2, databasePath: join(dir, 'solana.sqlite'), solana: {} });
  });
  afterAll(async () => {
    await solana?.stop();
  });

  it('reads the Solana endpoint, the multisig and nonce account, the mints; names a wrong SPL decimals', async () => {
    const s = solana.config.chains.findIndex((c) => c.family === 'solana');
    const sol = solana.config.assets!.findIndex((a) => a.eid === solana.solana!.eid && a.symbol === 'SOL');
    const ok = join(dir, 'solana.json');
    writeFileSync(ok, JSON.stringify(solana.config));
    const r = await relayer(['check-config', '--config', ok], solana.env); // async: the Solana endpoint lives in this process
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^ok +chains\\[${s}\\]\\.rpcUrl +${solana.solana!.name}: \\S+ answers, finalized slot \\d+$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^ok +chains\\[${s}\\]\\.vault +${solana.solana!.name}: the multisig \\S+ has every attester as a signer`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^ok +assets\\[${sol}\\] +SOL \\S+ on ${solana.solana!.name}: decimals\\(\\) 9, registered on the receiver with 9$`, 'm'));
    expect(r.stdout).toMatch(/chain checks: \d+ ok, 0 failed\n$/);
    const bad = structuredClone(solana.config);
    bad.assets![sol]!.decimals = 6;
    const path = join(dir, 'solana-bad.json');
    writeFileSync(path, JSON.stringify(bad));
    const wrong = await relayer(['check-config', '--config', path], solana.env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`config error: assets[${sol}].decimals: configured 6, token reports 9`);
  });
});

describe('client commands against a running relayer', () => {
  let process_: RelayerProcess;
  let configPath: string;
  let credited: string;
  let held: string;
  const admin = (): Record<string, string> => ({ RELAYER_ADMIN_TOKEN: devnet.adminToken });

  beforeAll(async () => {
    configPath = join(dir, 'relayer.json');
    devnet.writeConfig(configPath);
    process_ = await startRelayerProcess(configPath, devnet.env);
    const source = devnet.sources[0]!;
    const user = source.users[0]!;
    credited = (await lock(source, user, source.usdc, 250_000_000n)).guid; // 250 USDC
    held = (await lock(source, user, source.unlisted, 10n ** 18n)).guid; // a token the config does not list: HELD unsupported-asset
    await source.anvil.mine(70);
    await waitForStates(process_.url, [credited], 'CREDITED');
    await waitForStates(process_.url, [held], 'HELD');
  });

  afterAll(async () => {
    expect(await process_?.stop()).toBe(0);
  });

  it('deposits show --json is GET /deposits/:guid; show and list print tables; --config finds the API', async () => {
    const api = ['--api', process_.url];
    const json = await relayer(['deposits', 'show', credited, '--json', ...api]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual((await getJson(`${process_.url}/deposits/${credited}`)).body);
    const show = await relayer(['deposits', 'show', credited, ...api]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`deposit ${credited}`);
    expect(show.stdout).toMatch(/state: +CREDITED/);
    expect(show.stdout).toMatch(/amount: +250 USDC/);
    expect(show.stdout).toMatch(/VALUED +ATTESTED/);
    // The API from the config's api.host/api.port (the devnet relayer listens on a fixed port here).
    const list = await relayer(['deposits', 'list', '--state', 'CREDITED', '--config', configPath]);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^ {2}GUID +STATE +REASON +SRC +NONCE +AMOUNT +ASSET +ACCOUNT +UPDATED$/);
    expect(list.stdout).toMatch(new RegExp(`${credited} +CREDITED +- +${devnet.sources[0]!.eid} +\\d+ +250 +USDC`));
    expect(list.stdout).not.toContain(held);
    // Pages: newest first, X-Next-Cursor printed as the --cursor of the next one (on stderr with --json).
    const eid = String(devnet.sources[0]!.eid);
    const page1 = await relayer(['deposits', 'list', '--src-eid', eid, '--limit', '1', '--json', ...api]);
    expect(page1.code).toBe(0);
    const first = (JSON.parse(page1.stdout) as { guid: string }[]).map((d) => d.guid); // --json prints the page of DepositView
    expect(first).toHaveLength(1);
    expect([credited, held]).toContain(first[0]);
    const cursor = /^next page: --cursor (\S+)\n$/.exec(page1.stderr)?.[1];
    expect(cursor).toBeDefined();
    const page2 = await relayer(['deposits', 'list', '--src-eid', eid, '--limit', '1', '--cursor', cursor!, ...api]);
    expect(page2.code).toBe(0);
    expect(page2.stdout).toContain(first[0] === credited ? held : credited);
    expect(page2.stdout).not.toContain(first[0]);
    const none = await relayer(['withdrawals', 'list', '--json', ...api]);
    expect(none).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(none.stdout)).toEqual([]);
    const unknown = await relayer(['deposits', 'show', `0x${'00'.repeat(32)}`, ...api]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`the relayer API answered 404 Not Found to GET /deposits/0x${'00'.repeat(32)}: no deposit 0x${'00'.repeat(32)}`);
  });

  it('status: ready, chains, in flight, held deposits with their reasons, solvency', async () => {
    const r = await relayer(['status', '--api', process_.url]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain(`relayer at ${process_.url}: ready`);
    expect(r.stdout).toMatch(new RegExp(`^ {2}${devnet.sources[0]!.name} +${devnet.sources[0]!.eid} +source `, 'm'));
    expect(r.stdout).toMatch(/^in flight: \d+ message\(s\)/m);
    expect(r.stdout).toContain('held or failed: 1');
    expect(r.stdout).toMatch(new RegExp(`${held} +HELD +unsupported-asset`));
    expect(r.stdout).toMatch(/^solvency: /m);
    // --json prints the CLI's StatusJson (health: HealthView, held: DepositView[], solvency: SolvencyView)
    const json = JSON.parse((await relayer(['status', '--json', '--api', process_.url])).stdout) as { health: { ok: boolean; chains: unknown[] }; held: { guid: string }[]; solvency: { enabled: boolean } };
    expect(json.health.ok).toBe(true);
    expect(json.health.chains).toHaveLength(2);
    expect(json.held.map((d) => d.guid)).toEqual([held]);
  });

  it('admin commands: 401 without a token; the API refusals quoted (409); retry and void of a HELD deposit', async () => {
    const api = ['--api', process_.url];
    const anonymous = await relayer(['retry', held, ...api]);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain(`the relayer API answered 401 Unauthorized to POST /admin/deposits/${held}/retry: admin token required (no admin token given: set RELAYER_ADMIN_TOKEN or pass --token-file <path>)`);
    const wrong = await relayer(['retry', held, ...api], { RELAYER_ADMIN_TOKEN: 'not-the-admin-token-at-all' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('admin token required (the admin token was refused)');

    const tokenFile = join(dir, 'admin-token');
    writeFileSync(tokenFile, `${devnet.adminToken}\n`, { mode: 0o600 });
    const voidCredited = await relayer(['void', credited, '--reason', 'operator', '--token-file', tokenFile, ...api]);
    expect(voidCredited.code).toBe(1);
    expect(voidCredited.stderr).toContain(`the relayer API answered 409 Conflict to POST /admin/deposits/${credited}/void: deposit ${credited} is CREDITED; only FINAL, VALUED, HELD, FAILED deposits can be voided`);
    const retryCredited = await relayer(['retry', credited, ...api], admin());
    expect(retryCredited.code).toBe(1);
    expect(retryCredited.stderr).toContain(`deposit ${credited} is CREDITED; only HELD or FAILED deposits can be retried`);
    const notHalted = await relayer(['resume-chain', String(devnet.sources[0]!.eid), '--operator', 'alice', ...api], admin());
    expect(notHalted.code).toBe(1);
    expect(notHalted.stderr).toContain(`409 Conflict to POST /admin/pathways/${devnet.sources[0]!.eid}/resume: pathway ${devnet.sources[0]!.eid} is not halted`);

    const retried = await relayer(['retry', held, '--json', ...api], admin());
    expect(retried).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(retried.stdout)).toEqual({ guid: held, from: 'HELD', to: 'HELD' });
    const byFilter = await relayer(['retry', held, '--state', 'HELD', ...api], admin()); // a GUID and a filter: POST /admin/deposits/retry
    expect(byFilter).toMatchObject({ code: 0, stderr: '' });
    expect(byFilter.stdout).toBe(`matched 1, retried 1\n  ${held}\n`);
    const voided = await relayer(['void', held, '--reason', 'unsupported-asset', '--token-file', tokenFile, ...api]);
    expect(voided).toMatchObject({ code: 0, stderr: '' });
    expect(voided.stdout).toContain(`voided ${held}: HELD → VOIDING`);
    expect((await getJson<{ state: string }>(`${process_.url}/deposits/${held}`)).body.state).toMatch(/^(VOIDING|VOIDED)$/);
  });

  it('an unreachable API is a failure naming the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = await relayer(['status', '--api', url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`cannot reach the relayer API at ${url}: ECONNREFUSED\n`);
  });
});
