import { formatUnits } from 'ethers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { startRelayer } from '../bootstrap';
import { ManualClock } from '../common/clock';
import { FIXTURE_ENV, fixtureConfig } from '../config/config.fixture';
import { buildConfig } from '../config/load-config';
import { Database } from '../store/database';
import { DepositState, HeldReason } from '../store/deposit-state';
import { DepositRepository } from '../store/deposit.repository';
import { insertObserved } from '../store/transition';
import type { HealthView, InFlightView } from './api.service';
import type { DepositDetailView, DepositView } from './deposit-view';
import { stringContaining } from '../common/matchers.fixture';

let dir: string;
let app: INestApplication;
let url: string;
let repo: DepositRepository;
let db: Database;
const clock = new ManualClock(new Date('2025-01-01T00:00:00Z'));
const TOKEN = 'a-long-enough-admin-token';
const VAULT = `0x${'11'.repeat(32)}`;
const ACCOUNT = `0x000000000000000000000000${'aa'.repeat(20)}`;
const USDC = `0x000000000000000000000000${'9fe46736679d2d9a65f0992f2272de9f3c7fa6e0'}`;
const guid = (n: number): string => `0x${n.toString(16).padStart(64, '0')}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-api-'));
  const raw = { ...fixtureConfig(), database: { path: join(dir, 'relayer.sqlite') }, pipeline: { autoStart: false }, log: { level: 'error' as const } };
  raw.api = { ...raw.api, port: 0 };
  raw.chains = raw.chains.map((c) => ({ ...c, rpcTimeoutMs: 500 }));
  ({ app, url } = await startRelayer(buildConfig(raw, { env: FIXTURE_ENV, baseDir: dir }), { clock }));
  repo = app.get(DepositRepository);
  db = app.get(Database);
  // Three deposits on one pathway: nonce 1 credited, nonce 2 held, nonce 3 valued (blocked by 2).
  for (const n of [1, 2, 3])
    await db.write((em) =>
      insertObserved(
        em,
        { guid: guid(n), srcEid: 40101, srcVault: VAULT, dstEid: 40200, nonce: BigInt(n), depositor: ACCOUNT, account: ACCOUNT, token: USDC, amount: `${n}000000`, blockNumber: n, blockHash: guid(100 + n), txHash: guid(200 + n), logIndex: 0 },
        clock.now(),
      ),
    );
  const valued = { symbol: 'USDC', assetDecimals: 6, price: '1000000000000000000', priceTimestamp: 1, haircut: '20000000000000000', sizeWeight: '1000000000000000000', valuedAt: clock.now() };
  for (const n of [1, 2, 3]) await repo.move(guid(n), DepositState.OBSERVED, DepositState.FINAL);
  await repo.move(guid(1), DepositState.FINAL, DepositState.CREDITED, { reason: 'reconciled' });
  await repo.hold({ guid: guid(2), from: DepositState.FINAL, reason: HeldReason.StalePrice, detail: 'old price', unitMs: 1000, maxAttempts: 10 });
  await repo.move(guid(3), DepositState.FINAL, DepositState.VALUED, { patch: { ...valued, haircutValue: '2940000000000000000' } });
  clock.advance(90_000);
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A request's status and JSON body; `T` names the body of the answer the test reads fields of. */
const get = async <T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${url}${path}`, init);
  return { status: res.status, body: (await res.json()) as T }; // the caller names what its route answers (a wrong guess fails the test)
};
type ErrorBody = { message: string };

describe('API', () => {
  it('listens on 127.0.0.1', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('GET /deposits/:guid: state, amounts as strings, history, blockedBy', async () => {
    const { status, body } = await get<DepositDetailView>(`/deposits/${guid(3)}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ guid: guid(3), state: 'VALUED', nonce: '3', amount: '3000000', haircutValue: '2940000000000000000', blockedBy: guid(2) });
    expect(body.history.map((t: { to: string }) => t.to)).toEqual(['OBSERVED', 'FINAL', 'VALUED']);
    expect((await get(`/deposits/${guid(2)}`)).body).toMatchObject({ state: 'HELD', reason: 'stale-price', reasonDetail: 'old price', attempts: 1, blockedBy: null });
  });

  it('404 for an unknown GUID, 400 for a malformed one', async () => {
    expect((await get(`/deposits/${guid(99)}`)).status).toBe(404);
    const bad = await get<ErrorBody>('/deposits/0x1234');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('guid');
  });

  it('GET /deposits filters by account (address or bytes32) and state, with a limit', async () => {
    const byAddress = await get<DepositView[]>(`/deposits?account=0x${'AA'.repeat(20)}`);
    expect(byAddress.body.map((d: { guid: string }) => d.guid).sort()).toEqual([guid(1), guid(2), guid(3)]);
    expect((await get<DepositView[]>(`/deposits?account=${ACCOUNT}&state=HELD`)).body.map((d: { guid: string }) => d.guid)).toEqual([guid(2)]);
    expect((await get('/deposits?limit=1')).body).toHaveLength(1);
    expect((await get('/deposits?state=LOST')).status).toBe(400);
    expect((await get(`/deposits?account=0x${'bb'.repeat(20)}`)).body).toEqual([]);
  });

  it('GET /deposits: 400 naming an unknown filter; srcEid and reason filters; cursor pages; amounts in whole tokens', async () => {
    const typo = await get<ErrorBody>('/deposits?stat=HELD');
    expect(typo.status).toBe(400);
    expect(typo.body.message).toMatch(/query: Unrecognized key\(s\) in object: 'stat'/);
    expect((await get<DepositView[]>('/deposits?srcEid=40101&reason=stale-price')).body.map((d: { guid: string }) => d.guid)).toEqual([guid(2)]);
    expect((await get('/deposits?srcEid=1')).body).toEqual([]);
    expect((await get('/deposits?reason=not-a-reason')).status).toBe(400);
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await fetch(`${url}/deposits?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
      pages.push(((await res.json()) as { guid: string }[]).map((d) => d.guid)); // GET /deposits answers DepositView[]
      cursor = res.headers.get('x-next-cursor');
    } while (cursor !== null);
    const all = (await get<DepositView[]>('/deposits')).body.map((d: { guid: string }) => d.guid);
    expect(pages.flat()).toEqual(all);
    expect(pages.length).toBe(Math.ceil(all.length / 2));
    expect((await get('/deposits?cursor=bm9wZQ')).status).toBe(400);
    const withAmount = (await get<DepositDetailView>(`/deposits/${guid(1)}`)).body;
    expect(withAmount.amountDecimal).toBe(formatUnits(BigInt(withAmount.amount), withAmount.assetDecimals!));
  });

  it('GET /in-flight: totals per chain, asset and state, raw and USD, oldest age', async () => {
    const { body } = await get<InFlightView>('/in-flight');
    expect(body.count).toBe(2);
    expect(body.haircutValueUsd).toBe('2940000000000000000');
    expect(body.oldestAgeSeconds).toBe(90);
    expect(body.totals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ srcEid: 40101, token: USDC, state: 'HELD', count: 1, rawAmount: '2000000', unvalued: 1, haircutValueUsd: '0' }),
        expect.objectContaining({ state: 'VALUED', count: 1, rawAmount: '3000000', haircutValueUsd: '2940000000000000000', marketValueUsd: '3000000000000000000', symbol: 'USDC' }),
      ]),
    );
  });

  it('GET /health reports an unreachable chain instead of failing: 503, the chain named in problems', async () => {
    const { status, body } = await get<HealthView>('/health');
    expect(status).toBe(503);
    expect(body.ok).toBe(false);
    expect(body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'chain-unreachable', eid: 40101 })]));
    expect(body.chains).toHaveLength(2);
    expect(body.chains[0]).toMatchObject({ eid: 40101, head: null, error: stringContaining('failed') });
  });

  it('POST /admin/deposits/:guid/retry: 401 without the bearer token, 409 for a deposit not held, 200 otherwise', async () => {
    const path = `/admin/deposits/${guid(2)}/retry`;
    expect((await get(path, { method: 'POST' })).status).toBe(401);
    expect((await get(path, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await get(`/admin/deposits/${guid(3)}/retry`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(409);
    const ok = await get(path, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok).toEqual({ status: 200, body: { guid: guid(2), from: 'HELD', to: 'HELD' } });
    const d = await repo.get(guid(2));
    expect([d.reason, d.attempts, d.nextAttemptAt?.getTime()]).toEqual(['manual', 0, clock.now().getTime()]);
  });

  it('serves the OpenAPI document', async () => {
    const { status, body } = await get<{ paths: Record<string, unknown> }>('/docs-json');
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/deposits/{guid}', '/deposits', '/withdrawals/{guid}', '/withdrawals', '/in-flight', '/health', '/admin/deposits/{guid}/retry', '/admin/deposits/{guid}/void']),
    );
  });

  it('POST /admin/deposits/:guid/void: 401 without the token, 400 for a bad reason, 404/409 where nothing can be voided, 200 → VOIDING', async () => {
    // A deposit of an asset the relayer cannot price, on its own pathway.
    const stuck = guid(20);
    const otherVault = `0x${'22'.repeat(32)}`;
    await db.write((em) =>
      insertObserved(
        em,
        { guid: stuck, srcEid: 40101, srcVault: otherVault, dstEid: 40200, nonce: 1n, depositor: ACCOUNT, account: ACCOUNT, token: USDC, amount: '5', blockNumber: 9, blockHash: guid(109), txHash: guid(209), logIndex: 0 },
        clock.now(),
      ),
    );
    await repo.move(stuck, DepositState.OBSERVED, DepositState.FINAL);
    await repo.hold({ guid: stuck, from: DepositState.FINAL, reason: HeldReason.UnsupportedAsset, detail: 'no price', unitMs: 1000, maxAttempts: 10 });
    const post = (g: string, body: unknown, token: string | null = TOKEN) =>
      get(`/admin/deposits/${g}/void`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) }, body: JSON.stringify(body) });

    expect((await post(stuck, { reason: 'unsupported-asset' }, null)).status).toBe(401);
    expect((await post(stuck, { reason: 'unsupported-asset' }, `${TOKEN}x`)).status).toBe(401);
    const bad = await post(stuck, { reason: 'because' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('reason');
    expect((await post(guid(999), { reason: 'operator' })).status).toBe(404);
    expect((await post(guid(1), { reason: 'operator' })).status).toBe(409); // CREDITED: too late to void

    const ok = await post(stuck, { reason: 'unsupported-asset' });
    expect(ok).toEqual({ status: 200, body: { guid: stuck, from: 'HELD', to: 'VOIDING' } });
    const d = await repo.get(stuck);
    expect([d.state, d.reason, d.voidReason, d.attempts]).toEqual(['VOIDING', 'voided', 1, 0]);
    expect((await repo.history(stuck)).map((t) => `${t.to}${t.reason === null ? '' : `(${t.reason})`}`)).toEqual(['OBSERVED', 'FINAL', 'HELD(unsupported-asset)', 'VOIDING(voided)']);
    expect((await post(stuck, { reason: 'unsupported-asset' })).status).toBe(409); // already voided
    // A deposit is not a withdrawal: its GUID is unknown to /withdrawals.
    expect((await get(`/withdrawals/${stuck}`)).status).toBe(404);
  });
});
