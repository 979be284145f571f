/**
 * The built relayer (apps/relayer/dist/main.js) as a child process: start it with a config file and env,
 * wait for "relayer listening on <url>", stop it with SIGTERM. Also `checkConfig` for `--check-config` runs.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const RELAYER_DIR = resolve(__dirname, '..', '..', 'apps', 'relayer');
export const RELAYER_MAIN = resolve(RELAYER_DIR, 'dist', 'main.js');

/** Newest modification time (ms) of the relayer's non-test sources. */
function newestSourceMs(dir = resolve(RELAYER_DIR, 'src')): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  return !existsSync(RELAYER_MAIN) || statSync(RELAYER_MAIN).mtimeMs < newestSourceMs();
}

/**
 * Builds apps/relayer (tsc -b, which builds the packages it references) when dist/main.js is missing or older than a
 * source file. Jest workers may call this at once: one builds under a lock file, the others wait for it.
 */
export function ensureRelayerBuilt(): void {
  if (!isStale()) return;
  const lock = resolve(RELAYER_DIR, '.build.lock');
  let fd: number | undefined;
  const deadline = Date.now() + 180_000;
  while (fd === undefined) {
    try {
      fd = openSync(lock, 'wx');
    } catch {
      // Another worker is building: wait for it, then re-check (a lock older than 3 min is a crashed builder's).
      const held = statSync(lock, { throwIfNoEntry: false });
      if (Date.now() > deadline || (held !== undefined && Date.now() - held.mtimeMs > 180_000)) rmSync(lock, { force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      if (!existsSync(lock) && !isStale()) return;
    }
  }
  try {
    if (!isStale()) return;
    const tsc = require.resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-b'], { cwd: RELAYER_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
    // tsc -b leaves an up-to-date output untouched; mark the build as newer than the sources.
    const now = new Date();
    utimesSync(RELAYER_MAIN, now, now);
  } finally {
    closeSync(fd);
    rmSync(lock, { force: true });
  }
}

export type CheckConfigResult = { code: number | null; stdout: string; stderr: string };

/** `node dist/main.js --config <path> --check-config` with exactly `env` (plus PATH). */
export function checkConfig(path: string, env: Record<string, string> = {}): CheckConfigResult {
  ensureRelayerBuilt();
  const r = spawnSync(process.execPath, [RELAYER_MAIN, '--config', path, '--check-config'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export type RelayerProcess = {
  url: string;
  child: ChildProcess;
  /** Everything written so far. */
  output(): string;
  /** SIGTERM, then wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
};

export async function startRelayerProcess(configPath: string, env: Record<string, string>, timeoutMs = 30_000): Promise<RelayerProcess> {
  return startAppProcess('relayer', ['--config', configPath], env, timeoutMs);
}

/** `dist/main.js <args>` with exactly `env` (plus PATH), ready once it prints "<role> listening on <url>". */
async function startAppProcess(role: 'relayer' | 'attester', args: readonly string[], env: Record<string, string>, timeoutMs: number): Promise<AttesterProcess> {
  ensureRelayerBuilt();
  const child = spawn(process.execPath, [RELAYER_MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const listening = new RegExp(`${role} listening on (http://\\S+)`);
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (): void => {
      const m = listening.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited with ${code} before listening:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * An attester process (`dist/main.js --role attester --config <path>`, docs/two-way-book.md "Independent attesters"):
 * started with exactly `env` (plus PATH), ready once it prints "attester listening on <url>". `kill()` ends it with
 * SIGKILL (no shutdown at all) and waits for the exit.
 */
export type AttesterProcess = RelayerProcess & { kill(): Promise<void> };

export async function startAttesterProcess(configPath: string, env: Record<string, string>, timeoutMs = 30_000): Promise<AttesterProcess> {
  return startAppProcess('attester', ['--role', 'attester', '--config', configPath], env, timeoutMs);
}
