/**
 * The built relayer (apps/relayer/dist/main.js) as a child process: start it with a config file and env,
 * wait for "relayer listening on <url>", stop it with SIGTERM. Also `checkConfig` for `--check-config` runs.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const RELAYER_DIR = resolve(__dirname, '..', '..', 'apps', 'relayer');
export const RELAYER_MAIN = resolve(RELAYER_DIR, 'dist', 'main.js');

/** Builds apps/relayer (tsc -b, which builds the packages it references) when dist/main.js is missing. */
export function ensureRelayerBuilt(): void {
  if (existsSync(RELAYER_MAIN)) return;
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b'], { cwd: RELAYER_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
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
  ensureRelayerBuilt();
  const child = spawn(process.execPath, [RELAYER_MAIN, '--config', configPath], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`relayer did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (): void => {
      const m = /relayer listening on (http:\/\/\S+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`relayer exited with ${code} before listening:\n${out}`));
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
  };
}
