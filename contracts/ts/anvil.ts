import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { HDNodeWallet, JsonRpcProvider, Network, Wallet, toQuantity } from 'ethers';
import { AnvilStartError } from './errors';

/** anvil's default mnemonic; its first accounts hold 10,000 ETH each. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

export interface StartAnvilParameters {
  chainId: number;
  /** Seconds between blocks; omitted = mine one block per transaction (automine). */
  blockTime?: number;
  /** Funded accounts derived from the mnemonic (default 10). */
  accounts?: number;
  /** Extra anvil arguments. */
  args?: readonly string[];
}

export interface AnvilInstance {
  url: string;
  chainId: number;
  port: number;
  /** Provider with a static network and no request cache (a cached nonce would go stale on an automining node). */
  provider: JsonRpcProvider;
  /** Funded wallets from the default mnemonic, connected to `provider`. */
  accounts: Wallet[];
  /** Raw JSON-RPC call (`anvil_*`, `evm_*`, …). */
  rpc<T = unknown>(method: string, params?: readonly unknown[]): Promise<T>;
  /** Mines `n` blocks (default 1). */
  mine(n?: number): Promise<void>;
  /** Stops the node; safe to call twice. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Native anvil binary from @foundry-rs/anvil's platform package, else the npm wrapper (ANVIL_BIN overrides). */
export function anvilBinary(): string {
  const fromEnv = process.env['ANVIL_BIN'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const contractsDir = resolve(__dirname, '..');
  try {
    const req = createRequire(join(contractsDir, 'package.json'));
    const wrapper = createRequire(req.resolve('@foundry-rs/anvil/package.json'));
    const platformPackage = `@foundry-rs/anvil-${process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}`;
    const native = join(dirname(wrapper.resolve(`${platformPackage}/package.json`)), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
    if (existsSync(native)) return native;
  } catch {
    // fall through to the wrapper script
  }
  return join(contractsDir, 'node_modules', '.bin', 'anvil');
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(1000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

async function stopChild(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

async function spawnOnce(p: StartAnvilParameters, port: number): Promise<ChildProcess> {
  const binary = anvilBinary();
  const args = ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(p.chainId), '--silent', '--accounts', String(p.accounts ?? 10)];
  if (p.blockTime !== undefined) args.push('--block-time', String(p.blockTime));
  args.push(...(p.args ?? []));
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // A node left running (a test hook that timed out before stop()) must not keep this process alive;
  // the exit hook kills it when the process ends.
  child.unref();
  running.add(child);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  (child.stderr as (NodeJS.ReadableStream & { unref?: () => void }) | null)?.unref?.(); // a pipe is a net.Socket at runtime
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      running.delete(child);
      throw new AnvilStartError({ reason: `exited with ${child.exitCode ?? child.signalCode}`, binary, port, output });
    }
    if (await answers(url)) return child;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new AnvilStartError({ reason: 'no answer within 15 s', binary, port, output });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts anvil on 127.0.0.1 at a free port and waits until it answers. Retries on another port if the first
 * one was taken in between. Every started node is killed when the process exits, even without `stop()`.
 */
export async function startAnvil(p: StartAnvilParameters): Promise<AnvilInstance> {
  if (!exitHookInstalled) {
    process.once('exit', killAll);
    exitHookInstalled = true;
  }
  let child: ChildProcess | undefined;
  let port = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3 && child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await spawnOnce(p, port);
    } catch (e: unknown) {
      lastError = e;
    }
  }
  if (child === undefined) throw lastError;
  const started = child;

  const url = `http://127.0.0.1:${port}`;
  const network = Network.from(p.chainId);
  const provider = new JsonRpcProvider(url, network, { staticNetwork: network, cacheTimeout: -1, pollingInterval: 50 });
  const root = HDNodeWallet.fromPhrase(ANVIL_MNEMONIC, undefined, "m/44'/60'/0'/0");
  const accounts = Array.from({ length: p.accounts ?? 10 }, (_, i) => new Wallet(root.deriveChild(i).privateKey, provider));
  let stopped = false;

  const rpc = async <T>(method: string, params: readonly unknown[] = []): Promise<T> =>
    (await provider.send(method, [...params])) as T; // JSON-RPC result; the caller names its type
  return {
    url,
    chainId: p.chainId,
    port,
    provider,
    accounts,
    rpc,
    mine: async (n = 1) => {
      await rpc('anvil_mine', [toQuantity(n)]);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      provider.destroy();
      await stopChild(started);
    },
  };
}
