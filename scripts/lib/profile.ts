/**
 * For `bench:e2e --profile`: the relayer in THIS process (from its build, apps/relayer/dist) under the V8 sampling
 * profiler, and a summary of where its main thread spent the time, by package and by function.
 * (The child-process relayer cannot be profiled from outside: Nest re-raises SIGTERM, so `--cpu-prof` never flushes.)
 */
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { RELAYER_MAIN, ensureRelayerBuilt } from '../../test/support/relayerProcess';

export type InProcessRelayer = { url: string; close(): Promise<void> };

/** Loads apps/relayer/dist (built JS: Nest needs the decorator metadata tsc emits) and starts it on the config file. */
export async function startInProcessRelayer(configPath: string, env: Record<string, string>): Promise<InProcessRelayer> {
  ensureRelayerBuilt();
  const req = createRequire(RELAYER_MAIN);
  // Shapes of apps/relayer/src/config/load-config.ts and bootstrap.ts (read-only here).
  const { loadConfig } = req('./config/load-config') as { loadConfig: (p: { path: string; env: NodeJS.ProcessEnv }) => unknown };
  const { startRelayer } = req('./bootstrap') as { startRelayer: (config: unknown) => Promise<{ app: { close(): Promise<void> }; url: string }> }; // as above
  const config = loadConfig({ path: configPath, env: { ...process.env, ...env } });
  const { app, url } = await startRelayer(config);
  return { url, close: () => app.close() };
}

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };
export type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] };

export async function startProfiler(): Promise<{ stop(): Promise<CpuProfile> }> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object): Promise<T> =>
    new Promise((done, fail) => session.post(method, params ?? {}, (error, result) => (error === null ? done(result as T) : fail(error)))); // inspector results are untyped JSON
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

function category(url: string, fn: string): string {
  if (url === '') return fn.startsWith('(') ? fn : `(native) ${fn}`;
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg !== null) return pkg[1]!;
  const relayer = /apps\/relayer\/dist\/([^/]+)/.exec(url);
  if (relayer !== null) return `relayer/${relayer[1]!.replace(/\.js$/, '')}`;
  const ws = /packages\/([^/]+)\//.exec(url);
  if (ws !== null) return `@ccr/${ws[1]!}`;
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/scripts/') || url.includes('/test/support/')) return 'bench driver (this script)';
  return url;
}

/** Self time by category and the top functions, as text. Writes the raw profile to `path` when given (open in Chrome DevTools). */
export function summarizeProfile(profile: CpuProfile, top = 12, path?: string): string {
  if (path !== undefined) writeFileSync(path, JSON.stringify(profile));
  const total = profile.endTime - profile.startTime; // µs
  const samples = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const perSample = samples === 0 ? 0 : total / samples;
  const byCat = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const n of profile.nodes) {
    const t = (n.hitCount ?? 0) * perSample;
    if (t === 0) continue;
    const cat = category(n.callFrame.url, n.callFrame.functionName);
    byCat.set(cat, (byCat.get(cat) ?? 0) + t);
    const fn = `${n.callFrame.functionName || '(anonymous)'}  ${cat}${n.callFrame.url === '' ? '' : `:${n.callFrame.lineNumber + 1}`}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + t);
  }
  const fmt = (us: number): string => `${(us / 1000).toFixed(0).padStart(6)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const lines = [`main-thread CPU profile over ${(total / 1000).toFixed(0)} ms (self time; (idle) = waiting on I/O: RPC, sqlite worker threads)`, 'by package/module:'];
  for (const [cat, t] of [...byCat].sort((a, b) => b[1] - a[1]).slice(0, 14)) lines.push(`  ${fmt(t)}  ${cat}`);
  lines.push('top functions:');
  for (const [fn, t] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${fmt(t)}  ${fn}`);
  return lines.join('\n');
}
