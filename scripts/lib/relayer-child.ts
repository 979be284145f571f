/**
 * The built relayer as a child process (test/support/relayerProcess.ts), plus what the scripts need around it:
 * a live, readable echo of its log lines, and /proc readings of its memory and CPU time.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { RelayerProcess } from '../../test/support/relayerProcess';

// eslint-disable-next-line no-control-regex -- Nest colours its log lines
const ANSI = /\u001b\[[0-9;]*m/g;

/** "[Nest] 123 - 11/24/2026, 3:51:17 AM  LOG [PosterService] batch 1: …" → { level: 'LOG', context: 'PosterService', text: 'batch 1: …' }. */
export function parseNestLine(line: string): { level: string; context: string; text: string } | undefined {
  const m = /^\[Nest\]\s+\d+\s+-\s+.*?\s+(LOG|WARN|ERROR|DEBUG|FATAL|VERBOSE)\s+\[([^\]]+)\]\s+(.*)$/.exec(line.replace(ANSI, '').trim());
  return m === null ? undefined : { level: m[1]!, context: m[2]!, text: m[3]! };
}

/** Calls `print` for every new relayer log line of the pipeline (boot noise from Nest's own modules is skipped). */
export function echoRelayerLog(relayer: RelayerProcess, print: (line: { level: string; context: string; text: string }) => void): () => void {
  const boot = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);
  let pending = '';
  const onData = (chunk: Buffer): void => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const raw of lines) {
      const line = parseNestLine(raw);
      if (line !== undefined && !boot.has(line.context)) print(line);
    }
  };
  relayer.child.stdout?.on('data', onData);
  relayer.child.stderr?.on('data', onData);
  return () => {
    relayer.child.stdout?.off('data', onData);
    relayer.child.stderr?.off('data', onData);
  };
}

/** VmHWM (peak resident set) of a live process, in KiB; undefined when /proc is not readable. */
export function peakRssKiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

/** User + system CPU time of a live process, in ms (from /proc/<pid>/stat; clock ticks assumed 100 Hz, Linux's USER_HZ). */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after "pid (comm) ": state is field 0, utime is field 11, stime field 12
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** The pid of the anvil listening on `port` (scans /proc cmdlines for `--port <port>`), if any. */
export function anvilPid(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const i = args.indexOf('--port');
      if (i >= 0 && args[i + 1] === String(port) && (args[0] ?? '').includes('anvil')) return Number(entry);
    } catch {
      // process gone meanwhile
    }
  }
  return undefined;
}
