import type { Command } from 'commander';
import type { HealthView, InFlightView } from '../api/api.service';
import type { DepositView } from '../api/deposit-view';
import type { SolvencyView } from '../solvency/solvency.service';
import { type ApiOptions, apiClient, printJson, withApiOptions } from './api-client';
import { ago, seconds, short, table, units, usd } from './format';
import type { CliIo } from './io';

/** What `relayer status --json` prints: the answers of the four routes it reads. */
export type StatusJson = { api: string; health: HealthView; inFlight: InFlightView; held: DepositView[]; solvency: SolvencyView };

/** `relayer status`: readiness and chains (GET /health), in flight (GET /in-flight), HELD/FAILED deposits with reasons, solvency (GET /solvency). */
export function registerStatus(program: Command, io: CliIo): void {
  withApiOptions(
    program
      .command('status')
      .summary('readiness, chains, in flight, held deposits with reasons, solvency')
      .description('Readiness and chains (GET /health), amounts in flight (GET /in-flight), HELD and FAILED deposits with their reasons (GET /deposits), solvency and halted pathways (GET /solvency). Exits 0 when not ready too (the first line says so; --json: health.ok).'),
  ).action(async (opts: ApiOptions) => {
    const api = await apiClient(opts, io);
    const [health, inFlight, held, failed, solvency] = await Promise.all([
      api.get<HealthView>('/health', [503]), // 503: not ready, with the same body
      api.get<InFlightView>('/in-flight'),
      api.get<DepositView[]>('/deposits?state=HELD&limit=1000'),
      api.get<DepositView[]>('/deposits?state=FAILED&limit=1000'),
      api.get<SolvencyView>('/solvency'),
    ]);
    const more = held.headers.has('x-next-cursor') || failed.headers.has('x-next-cursor');
    const status: StatusJson = { api: api.baseUrl, health: health.body, inFlight: inFlight.body, held: [...held.body, ...failed.body], solvency: solvency.body };
    if (opts.json === true) return printJson(io, status);
    io.stdout(formatStatus(status, more));
  });
}

/** `truncated`: more HELD/FAILED deposits than the 1000 of each listed. */
export function formatStatus(s: StatusJson, truncated = false): string {
  const { health, inFlight, held, solvency } = s;
  const out: string[] = [`relayer at ${s.api}: ${health.ok ? 'ready' : 'NOT READY'}\n`];
  if (health.problems.length > 0) out.push(`problems\n${table(['KIND', 'DETAIL'], health.problems.map((p) => [p.kind, p.detail]))}`);
  out.push(
    `chains\n${table(
      ['CHAIN', 'EID', 'ROLE', 'HEAD', 'FINALIZED', 'CURSOR', 'LAG', 'RPC', 'ERROR'],
      health.chains.map((c) => {
        const active = c.providers.find((p) => p.active);
        return [c.name, c.eid, c.role, c.head, c.finalized, c.cursor, c.lag, active === undefined ? null : `${active.url} (${active.status}, ${c.providers.length} configured)`, c.error];
      }),
    )}`,
  );
  const oldest = inFlight.oldestAgeSeconds === null ? '' : `, oldest ${seconds(inFlight.oldestAgeSeconds)}`;
  out.push(
    `in flight: ${inFlight.count} message(s), haircut value ${usd(inFlight.haircutValueUsd)} USD${oldest}\n${table(
      ['KIND', 'SRC → DST', 'ASSET', 'STATE', 'COUNT', 'AMOUNT (RAW)', 'MARKET USD', 'UNVALUED'],
      inFlight.totals.map((t) => [t.kind, `${t.srcEid} → ${t.dstEid}`, t.symbol ?? short(t.token), t.state, t.count, t.rawAmount, usd(t.marketValueUsd), t.unvalued]),
    )}`,
  );
  out.push(
    `held or failed: ${held.length}${truncated ? ' (the first 1000 of each state; relayer deposits list --state HELD for the rest)' : ''}\n${table(
      ['GUID', 'STATE', 'REASON', 'SRC', 'NONCE', 'AMOUNT', 'ASSET', 'NEXT ATTEMPT', 'DETAIL'],
      held.map((d) => [d.guid, d.state, d.reason, d.srcEid, d.nonce, units(d.amount, d.assetDecimals), d.symbol ?? short(d.token), ago(d.nextAttemptAt), d.reasonDetail]),
    )}`,
  );
  const round = solvency.checkedAt === null ? 'no round yet' : `checked ${ago(solvency.checkedAt)}`;
  const discrepancies = solvency.checks.filter((c) => c.status === 'discrepancy').length;
  const unread = solvency.checks.filter((c) => c.status === 'error').length;
  const verdict = [discrepancies > 0 ? `${discrepancies} DISCREPANCY` : '', unread > 0 ? `${unread} not checked (error)` : ''].filter((v) => v !== '').join(', ') || 'ok';
  out.push(
    `solvency: ${solvency.enabled ? `${verdict}, ${round}` : 'off'}\n${
      solvency.enabled
        ? table(
            ['CHAIN', 'ASSET', 'STATUS', 'TOTAL LOCKED', 'EXPECTED', 'DISCREPANCY', 'ERROR'],
            solvency.checks.map((c) => [c.chain, c.symbol, c.status, c.terms?.totalLocked, c.terms?.expectedLocked, c.terms?.discrepancy, c.error]),
          )
        : ''
    }`,
  );
  const halted = solvency.halted.length > 0 ? solvency.halted : health.halted;
  out.push(`halted pathways: ${halted.length}\n${halted.length === 0 ? '' : table(['SRC', 'CAUSE', 'STATE', 'VAULT', 'ASSET', 'DISCREPANCY', 'HALTED AT'], halted.map((h) => [h.srcEid, h.cause, h.state, short(h.vault), short(h.asset), h.discrepancy, h.haltedAt]))}`);
  return out.join('');
}
