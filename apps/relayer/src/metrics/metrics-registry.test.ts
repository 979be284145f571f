import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry, register as globalRegistry } from 'prom-client';
import { ChainRegistry } from '../chains/chain-registry';
import { AppConfig } from '../config/app-config';
import { DepositState } from '../store/deposit-state';
import { MessageKind } from '../store/message-kind';
import type { InFlightAmountRow, MessageStatsRepository } from '../store/message-stats.repository';
import { ChainProgress } from '../watcher/chain-progress';
import { COUNTERS, GAUGES, MetricLabelsError, MetricsRegistry } from './metrics-registry';
import { MetricsService } from './metrics.service';

/** `name{labels} value` lines of one metric (any label order), as the e2e harness reads them. */
function lines(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
}

describe('MetricsRegistry (prom-client)', () => {
  it('registers every counter, gauge and the stage histogram in its own registry, never the global one', async () => {
    const m = new MetricsRegistry();
    expect(m.register).toBeInstanceOf(Registry);
    expect(m.register).not.toBe(globalRegistry);
    expect(globalRegistry.getMetricsAsArray().filter((x) => x.name.startsWith('ccr_'))).toEqual([]);
    const text = await m.register.metrics();
    for (const name of Object.keys(COUNTERS)) expect(text).toContain(`# TYPE ${name} counter\n`);
    for (const name of Object.keys(GAUGES)) expect(text).toContain(`# TYPE ${name} gauge\n`);
    expect(text).toContain('# TYPE ccr_stage_duration_seconds histogram\n');
    expect(text).toContain(`# HELP ccr_posts_reverted_total ${COUNTERS.ccr_posts_reverted_total.help}\n`);
    // Two apps in one process: two registries, no "already registered".
    expect(() => new MetricsRegistry()).not.toThrow();
  });

  it('counts by labels; untouched counters show 0 (an unlabelled 0 until a labelled counter is first incremented)', async () => {
    const m = new MetricsRegistry();
    let text = await m.register.metrics();
    expect(lines(text, 'ccr_posts_reverted_total')).toEqual(['ccr_posts_reverted_total 0']);
    expect(lines(text, 'ccr_finality_violations_total')).toEqual(['ccr_finality_violations_total 0']);
    m.inc('ccr_would_revert_total', { error: 'EnforcedPause' });
    m.inc('ccr_would_revert_total', { error: 'EnforcedPause' }, 2);
    m.inc('ccr_deposits_observed_total', { chain: 'src', eid: 40101 }, 4);
    m.inc('ccr_credits_confirmed_total', {}, 3);
    m.inc('ccr_batches_posted_total');
    text = await m.register.metrics();
    expect(lines(text, 'ccr_would_revert_total')).toEqual(['ccr_would_revert_total{error="EnforcedPause"} 3']);
    expect(lines(text, 'ccr_deposits_observed_total')).toEqual(['ccr_deposits_observed_total{chain="src",eid="40101"} 4']);
    expect(lines(text, 'ccr_credits_confirmed_total')).toEqual(['ccr_credits_confirmed_total 3']);
    expect(lines(text, 'ccr_batches_posted_total')).toEqual(['ccr_batches_posted_total 1']);
    expect(lines(text, 'ccr_finality_violations_total')).toEqual(['ccr_finality_violations_total 0']);
    expect(m.counter('ccr_would_revert_total', { error: 'EnforcedPause' })).toBe(3);
    expect(m.counter('ccr_deposits_observed_total', { eid: '40101', chain: 'src' })).toBe(4); // eid as number or text: one series
    expect(m.counter('ccr_credits_confirmed_total')).toBe(3);
    expect(m.counter('ccr_posts_reverted_total')).toBe(0);
  });

  it('refuses a label a metric does not declare, a missing one, or labels on a metric without any: no new series', async () => {
    const m = new MetricsRegistry();
    // @ts-expect-error — `chain` is not a label of ccr_would_revert_total
    expect(() => m.inc('ccr_would_revert_total', { error: 'X', chain: 'src' })).toThrow(MetricLabelsError);
    // @ts-expect-error — ccr_finality_violations_total takes `chain`
    expect(() => m.inc('ccr_finality_violations_total')).toThrow(MetricLabelsError);
    // @ts-expect-error — `src_eid` is not `eid`
    expect(() => m.set('ccr_pathway_halted', { chain: 'src', src_eid: 1 }, 1)).toThrow(MetricLabelsError);
    // @ts-expect-error — ccr_ready has no labels
    expect(() => m.set('ccr_ready', { chain: 'src' }, 1)).toThrow(MetricLabelsError);
    // @ts-expect-error — the stage histogram takes `stage` and, for per-chain stages, `chain`
    await expect(m.time('watch', () => Promise.resolve(1), { eid: 1 })).rejects.toThrow(MetricLabelsError);
    const text = await m.register.metrics();
    expect(lines(text, 'ccr_would_revert_total')).toEqual(['ccr_would_revert_total 0']);
    expect(lines(text, 'ccr_pathway_halted')).toEqual([]);
    expect(lines(text, 'ccr_ready')).toEqual([]);
  });

  it('sets gauges (shown once set, the last value), keeps cumulative histogram buckets with the stage label', async () => {
    const m = new MetricsRegistry();
    expect(m.gauge('ccr_ready')).toBeUndefined();
    m.set('ccr_ready', {}, 0);
    m.set('ccr_ready', {}, 1);
    m.set('ccr_pathway_halted', { chain: 'src', eid: 40101 }, 1);
    m.set('ccr_solvency_discrepancy', { chain: 'src', eid: 40101, asset: '0xabc', symbol: 'USDC' }, -5);
    m.observe('post', 0.02);
    m.observe('post', 3);
    await m.time('watch', () => Promise.resolve(), { chain: 'src' });
    await expect(m.time('value', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const text = await m.register.metrics();
    expect(lines(text, 'ccr_ready')).toEqual(['ccr_ready 1']);
    expect(lines(text, 'ccr_pathway_halted')).toEqual(['ccr_pathway_halted{chain="src",eid="40101"} 1']);
    expect(lines(text, 'ccr_solvency_discrepancy')).toEqual(['ccr_solvency_discrepancy{chain="src",eid="40101",asset="0xabc",symbol="USDC"} -5']);
    expect(m.gauge('ccr_pathway_halted', { chain: 'src', eid: 40101 })).toBe(1);
    const h = lines(text, 'ccr_stage_duration_seconds_bucket');
    expect(h).toContain('ccr_stage_duration_seconds_bucket{le="0.01",stage="post"} 0');
    expect(h).toContain('ccr_stage_duration_seconds_bucket{le="0.025",stage="post"} 1');
    expect(h).toContain('ccr_stage_duration_seconds_bucket{le="5",stage="post"} 2');
    expect(h).toContain('ccr_stage_duration_seconds_bucket{le="+Inf",stage="post"} 2');
    expect(lines(text, 'ccr_stage_duration_seconds_sum')).toContain('ccr_stage_duration_seconds_sum{stage="post"} 3.02');
    expect(lines(text, 'ccr_stage_duration_seconds_count')).toEqual([
      'ccr_stage_duration_seconds_count{stage="post"} 2',
      'ccr_stage_duration_seconds_count{stage="watch",chain="src"} 1',
      'ccr_stage_duration_seconds_count{stage="value"} 1',
    ]);
  });

  it('escapes label values as the text format wants', async () => {
    const m = new MetricsRegistry();
    m.inc('ccr_marks_skipped_total', { asset: 'a"b\\c\nd', reason: 'x' });
    expect(lines(await m.register.metrics(), 'ccr_marks_skipped_total')).toEqual(['ccr_marks_skipped_total{asset="a\\"b\\\\c\\nd",reason="x"} 1']);
  });

  it('ccr_build_info: 1 with the package version, the Node version, and the commit from CCR_BUILD_COMMIT when set', async () => {
    const version = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version; // the relayer's package.json
    const before = process.env.CCR_BUILD_COMMIT;
    try {
      delete process.env.CCR_BUILD_COMMIT;
      expect(lines(await new MetricsRegistry().register.metrics(), 'ccr_build_info')).toEqual([`ccr_build_info{version="${version}",node="${process.version}"} 1`]);
      process.env.CCR_BUILD_COMMIT = '8856d11';
      expect(lines(await new MetricsRegistry().register.metrics(), 'ccr_build_info')).toEqual([`ccr_build_info{version="${version}",node="${process.version}",commit="8856d11"} 1`]);
    } finally {
      if (before === undefined) delete process.env.CCR_BUILD_COMMIT;
      else process.env.CCR_BUILD_COMMIT = before;
    }
  });
});

describe('MetricsService (scrape-time collectors)', () => {
  const SRC = 40101;
  const DST = 40102;
  const config = { chains: [{ eid: SRC, name: 'src' }, { eid: DST, name: 'dst' }] } as unknown as AppConfig; // MetricsService reads only the chains' eid and name
  const row = (over: Partial<InFlightAmountRow>): InFlightAmountRow => ({ kind: MessageKind.Credit, srcEid: SRC, dstEid: DST, token: '0xt', symbol: 'WETH', amount: '0', haircutValue: null, createdAt: new Date(), ...over });

  function start(rows: InFlightAmountRow[]) {
    const reads = { n: 0 };
    const stats = {
      countsByKindAndState: () => {
        reads.n++;
        return Promise.resolve([{ kind: MessageKind.Credit, state: DepositState.CREDITED, n: 3 }, { kind: MessageKind.Withdrawal, state: DepositState.OBSERVED, n: 1 }]);
      },
      heldByReason: () => Promise.resolve([{ state: DepositState.HELD, reason: 'rate-limited', n: 2 }]),
      inFlightRows: () => Promise.resolve(rows),
    } as unknown as MessageStatsRepository; // the three reads MetricsService makes
    const progress = new ChainProgress();
    progress.set({ eid: SRC, head: 120, finalized: 100, finalCursor: 90, headCursor: 120, at: new Date(1_700_000_000_500) });
    const status = (index: number, active: boolean, calls: number, errors: number, s: string) => ({ index, url: `http://rpc${index}`, active, status: s, calls, errors });
    const chains = { get: (eid: number) => ({ rpcStatus: () => (eid === SRC ? [status(0, false, 5, 5, 'failing'), status(1, true, 7, 0, 'ok')] : []) }) } as unknown as ChainRegistry; // MetricsService reads only get(eid).rpcStatus()
    const registry = new MetricsRegistry();
    return { registry, service: new MetricsService(registry, stats, progress, chains, config), reads };
  }

  it('leads with ccr_deposits, reads the database once per scrape, and writes every family', async () => {
    const { service, reads } = start([]);
    const text = await service.render();
    expect(text).toMatch(/^# HELP ccr_deposits Deposits by state\.\n# TYPE ccr_deposits gauge\n/);
    expect(reads.n).toBe(1);
    expect(service.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(lines(text, 'ccr_deposits')).toContain('ccr_deposits{state="CREDITED"} 3');
    expect(lines(text, 'ccr_deposits')).toContain('ccr_deposits{state="HELD"} 0');
    expect(lines(text, 'ccr_deposits')).toHaveLength(Object.values(DepositState).length);
    expect(lines(text, 'ccr_messages')).toEqual(['ccr_messages{kind="credit",state="CREDITED"} 3', 'ccr_messages{kind="withdrawal",state="OBSERVED"} 1']);
    expect(lines(text, 'ccr_deposits_held')).toEqual(['ccr_deposits_held{state="HELD",reason="rate-limited"} 2']);
    expect(lines(text, 'ccr_in_flight_oldest_age_seconds')).toEqual(['ccr_in_flight_oldest_age_seconds 0']);
    expect(lines(text, 'ccr_chain_lag_blocks')).toEqual(['ccr_chain_lag_blocks{chain="src",eid="40101"} 10']);
    expect(lines(text, 'ccr_chain_last_round_timestamp_seconds')).toEqual(['ccr_chain_last_round_timestamp_seconds{chain="src",eid="40101"} 1700000000']);
    expect(lines(text, 'ccr_rpc_errors_total')).toEqual(['ccr_rpc_errors_total{chain="src",eid="40101",provider="0:http://rpc0"} 5', 'ccr_rpc_errors_total{chain="src",eid="40101",provider="1:http://rpc1"} 0']);
    expect(text).toContain('# TYPE ccr_rpc_requests_total counter\n');
    expect(lines(text, 'ccr_rpc_provider_active')).toEqual(['ccr_rpc_provider_active{chain="src",eid="40101",provider="0:http://rpc0"} 0', 'ccr_rpc_provider_active{chain="src",eid="40101",provider="1:http://rpc1"} 1']);
    expect(lines(text, 'ccr_rpc_provider_healthy')).toEqual(['ccr_rpc_provider_healthy{chain="src",eid="40101",provider="0:http://rpc0"} 0', 'ccr_rpc_provider_healthy{chain="src",eid="40101",provider="1:http://rpc1"} 1']);
    // Scrape-time values are read again at each scrape (not accumulated).
    const again = await service.render();
    expect(reads.n).toBe(2);
    expect(lines(again, 'ccr_rpc_errors_total')).toEqual(lines(text, 'ccr_rpc_errors_total'));
  });

  it('in flight: raw amounts in base units (exact to 2^53, the nearest float64 beyond), USD from the exact 18-decimal value', async () => {
    const rows = [
      row({ amount: '1500000', haircutValue: '1470000000000000000', token: '0xusdc', symbol: 'USDC' }),
      row({ amount: '2500000', haircutValue: null, token: '0xusdc', symbol: 'USDC' }),
      row({ amount: '9007199254740993', token: '0xbig', symbol: 'BIG' }), // 2^53 + 1
      row({ amount: '1234567890123456789012', haircutValue: '2940000000000000000', token: '0xweth', symbol: 'WETH', createdAt: new Date(Date.now() - 65_000) }),
      row({ kind: MessageKind.Withdrawal, amount: '7', token: '0xusdc', symbol: 'USDC' }),
    ];
    const { service } = start(rows);
    const text = await service.render();
    const labels = (eid: number, chain: string, token: string, symbol: string, kind = 'credit', direction = 'inbound') => `{chain="${chain}",eid="${eid}",token="${token}",symbol="${symbol}",kind="${kind}",direction="${direction}"}`;
    expect(lines(text, 'ccr_in_flight_deposits')).toContain(`ccr_in_flight_deposits${labels(SRC, 'src', '0xusdc', 'USDC')} 2`);
    expect(lines(text, 'ccr_in_flight_raw')).toEqual([
      `ccr_in_flight_raw${labels(SRC, 'src', '0xusdc', 'USDC')} 4000000`,
      `ccr_in_flight_raw${labels(SRC, 'src', '0xbig', 'BIG')} 9007199254740992`,
      `ccr_in_flight_raw${labels(SRC, 'src', '0xweth', 'WETH')} 1.2345678901234568e+21`,
      `ccr_in_flight_raw${labels(DST, 'dst', '0xusdc', 'USDC', 'withdrawal', 'outbound')} 7`,
    ]);
    // Exactly the float64 Prometheus would parse from the exact decimal text.
    expect(Number('1.2345678901234568e+21')).toBe(Number.parseFloat('1234567890123456789012'));
    expect(9007199254740992).toBe(Number.parseFloat('9007199254740993'));
    expect(lines(text, 'ccr_in_flight_usd')).toContain(`ccr_in_flight_usd${labels(SRC, 'src', '0xusdc', 'USDC')} 1.47`);
    expect(lines(text, 'ccr_in_flight_usd')).toContain(`ccr_in_flight_usd${labels(SRC, 'src', '0xweth', 'WETH')} 2.94`);
    const oldest = Number(lines(text, 'ccr_in_flight_oldest_age_seconds')[0]!.split(' ')[1]);
    expect(oldest).toBeGreaterThanOrEqual(65);
    expect(oldest).toBeLessThan(75);
  });

  it('adds prom-client default process metrics (unprefixed) and ccr_build_info to the same registry', async () => {
    const { service, registry } = start([]);
    const text = await service.render();
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds', 'nodejs_version_info']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain('# TYPE ccr_build_info gauge\n');
    expect(registry.register.getSingleMetric('process_cpu_user_seconds_total')).toBeDefined();
    expect(globalRegistry.getSingleMetric('process_cpu_user_seconds_total')).toBeUndefined();
  });
});
