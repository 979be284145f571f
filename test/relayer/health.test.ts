/**
 * Health that probes understand (apps/relayer/src/api/readiness.ts): GET /livez always 200; GET /readyz and /health
 * 200 when ready, 503 with the reasons when a feed is older than its heartbeat or a poster's balance is below its
 * minimum; per-feed freshness and poster balances in /health and as metrics.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { anyString, objectContaining, stringMatching } from '../support/matchers';
import { type Harness, type RelayerHandle, getJson, metricsText, metricValue, startHarness, waitFor } from './harness';

jest.setTimeout(120_000);

let h: Harness;
let relayer: RelayerHandle;

type Problem = { kind: string; detail: string; symbol?: string; chain?: string };
type Health = { ok: boolean; problems: Problem[]; feeds: { symbol: string; ageSeconds: number; heartbeatSeconds: number; fresh: boolean }[]; posterBalances: { chain: string; balance: string; minimum: string; low: boolean }[] };

beforeAll(async () => {
  h = await startHarness({ sources: 1, attesters: 2, threshold: 2 });
  relayer = await h.startRelayer();
});

afterAll(async () => {
  await h?.stop();
});

test('ready: /livez, /readyz and /health answer 200; every feed fresh, every poster funded', async () => {
  expect((await getJson(`${relayer.url}/livez`)).status).toBe(200);
  const ready = await getJson<{ ok: boolean; problems: Problem[] }>(`${relayer.url}/readyz`);
  expect(ready).toEqual({ status: 200, body: { ok: true, problems: [] } });
  const { status, body } = await getJson<Health>(`${relayer.url}/health`);
  expect(status).toBe(200);
  expect(body.feeds.map((f) => [f.symbol, f.fresh])).toEqual([['USDC', true], ['WETH', true]]);
  expect(body.posterBalances.every((p) => !p.low && BigInt(p.balance) > 0n)).toBe(true);
  const metrics = await metricsText(relayer.url);
  expect(metricValue(metrics, 'ccr_feed_age_seconds', { asset: 'WETH' })).toBeLessThanOrEqual(3600);
  expect(metricValue(metrics, 'ccr_poster_balance', { chain: h.devnet.destination.name })).toBeGreaterThan(0);
});

test('a poster below its minimum balance: 503 naming the chain', async () => {
  await relayer.close();
  relayer = await h.startRelayer((c) => ({ ...c, health: { minPosterBalanceWei: (10n ** 30n).toString(), intervalMs: 200 } }));
  const { status, body } = await getJson<{ ok: boolean; problems: Problem[] }>(`${relayer.url}/readyz`);
  expect(status).toBe(503);
  expect(body.ok).toBe(false);
  expect(body.problems.filter((p) => p.kind === 'poster-balance-low').map((p) => p.chain).sort()).toEqual([h.devnet.destination.name, h.devnet.sources[0]!.name].sort());
  expect((await getJson(`${relayer.url}/livez`)).status).toBe(200);
  // The same checks run on their own for Prometheus (which scrapes /metrics, not /health).
  const metrics = await waitFor('ccr_ready 0', async () => {
    const text = await metricsText(relayer.url);
    return metricValue(text, 'ccr_ready') === 0 ? text : undefined;
  });
  expect(metricValue(metrics, 'ccr_not_ready_problems', { kind: 'poster-balance-low' })).toBe(2);
  expect(metricValue(metrics, 'ccr_not_ready_problems', { kind: 'feed-stale' })).toBe(0);
  expect(metricValue(metrics, 'ccr_in_flight_oldest_age_seconds')).toBe(0);
  await relayer.close();
  relayer = await h.startRelayer();
});

test('a feed older than its heartbeat: 503 feed-stale naming the asset, until it updates', async () => {
  const dst = h.devnet.destination;
  // WETH's heartbeat is 3,600 s: the derivatives chain's clock moves past it, the feed does not update.
  await dst.anvil.rpc('evm_increaseTime', [3_700]);
  await dst.anvil.mine(1);
  const stale = await getJson<Health>(`${relayer.url}/health`);
  expect(stale.status).toBe(503);
  expect(stale.body.problems.filter((p) => p.kind === 'feed-stale').map((p) => p.symbol)).toEqual(['WETH']);
  expect(stale.body.feeds.find((f) => f.symbol === 'WETH')).toMatchObject({ fresh: false, heartbeatSeconds: 3600 });
  // A new round: ready again.
  await (await dst.feeds.WETH.getFunction('updateAnswer').send(dst.prices.WETH)).wait();
  await (await dst.feeds.USDC.getFunction('updateAnswer').send(dst.prices.USDC)).wait();
  const fresh = await getJson<Health>(`${relayer.url}/readyz`);
  expect(fresh.status).toBe(200);
});

test('deploy/: every alert rule is well formed, and every metric the rules and the dashboard use is one the relayer exports', async () => {
  const root = join(__dirname, '..', '..');
  // Prometheus rule files hold groups of rules (fields checked below)
  const rules = (parseYaml(readFileSync(join(root, 'deploy', 'prometheus', 'alerts.yml'), 'utf8')) as { groups: { name: string; rules: Record<string, unknown>[] }[] }).groups.flatMap((g) => g.rules);
  expect(rules.length).toBeGreaterThanOrEqual(8);
  for (const r of rules) {
    expect(r).toEqual(objectContaining({ alert: stringMatching(/^Ccr[A-Za-z]+$/), expr: anyString(), for: stringMatching(/^\d+[smh]$/) }));
    expect(['page', 'warn']).toContain((r.labels as { severity?: string }).severity); // a rule's labels: a string map
    expect((r.annotations as { summary?: string }).summary).toEqual(anyString()); // a rule's annotations: a string map
  }
  const dashboard = JSON.parse(readFileSync(join(root, 'deploy', 'grafana', 'relayer-dashboard.json'), 'utf8')) as { panels: { targets: { expr: string }[] }[] }; // a Grafana dashboard: panels of Prometheus targets
  const exprs = [...rules.map((r) => String(r.expr)), ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr))];
  const used = new Set(exprs.flatMap((e) => e.match(/ccr_[a-z_]+/g) ?? []).map((m) => m.replace(/_(bucket|sum|count)$/, '')));
  const exported = new Set([...(await metricsText(relayer.url)).matchAll(/^# HELP (ccr_[a-z_]+) /gm)].map((m) => m[1]!));
  expect([...used].filter((m) => !exported.has(m))).toEqual([]);
});
