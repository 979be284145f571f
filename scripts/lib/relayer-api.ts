/**
 * The relayer's HTTP API as the demo, the benchmark and the kill/restart test read it
 * (GET /deposits/:guid, GET /in-flight, GET /health). Shapes mirror apps/relayer/src/api (read-only here).
 */
export type TransitionJson = { from: string | null; to: string; reason: string | null; at: string; detail: unknown };

export type DepositJson = {
  guid: string;
  state: string;
  reason: string | null;
  reasonDetail: string | null;
  srcEid: number;
  nonce: string;
  account: string;
  token: string;
  symbol: string | null;
  amount: string;
  assetDecimals: number | null;
  price: string | null;
  priceTimestamp: number | null;
  haircut: string | null;
  sizeWeight: string | null;
  haircutValue: string | null;
  creditTxHash: string | null;
  blockedBy: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
  creditedAt: string | null;
  history: TransitionJson[];
};

export type InFlightJson = {
  totals: { kind: string; direction: string; srcEid: number; dstEid: number; token: string; symbol: string | null; state: string; count: number; rawAmount: string; haircutValueUsd: string; marketValueUsd: string; unvalued: number }[];
  count: number;
  haircutValueUsd: string;
  oldestAgeSeconds: number | null;
};

export type HealthJson = { ok: boolean; chains: { name: string; eid: number; role: string; head: number | null; finalized: number | null; cursor: number | null; lag: number | null; error: string | null }[] };

export class RelayerApiError extends Error {
  override readonly name = 'RelayerApiError';
  constructor(
    readonly shortMessage: string,
    readonly details: { url: string; status: number; body: string },
  ) {
    super(`${shortMessage}: ${details.status} from ${details.url}: ${details.body.slice(0, 300)}`);
  }
}

async function getJson<T>(url: string): Promise<{ status: number; body: T | undefined }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (res.status === 404) return { status: 404, body: undefined };
  if (res.status !== 200) throw new RelayerApiError('unexpected API answer', { url, status: res.status, body: text });
  return { status: res.status, body: JSON.parse(text) as T }; // the API answers JSON of this shape (apps/relayer/src/api)
}

/** The deposit, or undefined while the relayer has not stored it yet (404). */
export async function fetchDeposit(apiUrl: string, guid: string): Promise<DepositJson | undefined> {
  return (await getJson<DepositJson>(`${apiUrl}/deposits/${guid}`)).body;
}

export async function fetchInFlight(apiUrl: string): Promise<InFlightJson> {
  const { body } = await getJson<InFlightJson>(`${apiUrl}/in-flight`);
  if (body === undefined) throw new RelayerApiError('no /in-flight', { url: `${apiUrl}/in-flight`, status: 404, body: '' });
  return body;
}

export async function fetchHealth(apiUrl: string): Promise<HealthJson> {
  const { body } = await getJson<HealthJson>(`${apiUrl}/health`);
  if (body === undefined) throw new RelayerApiError('no /health', { url: `${apiUrl}/health`, status: 404, body: '' });
  return body;
}

/** Fetches many deposits with at most `concurrency` requests at a time; missing ones are undefined. */
export async function fetchDeposits(apiUrl: string, guids: readonly string[], concurrency = 8): Promise<(DepositJson | undefined)[]> {
  const out: (DepositJson | undefined)[] = new Array<DepositJson | undefined>(guids.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= guids.length) return;
      out[i] = await fetchDeposit(apiUrl, guids[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, guids.length) }, worker));
  return out;
}

export type WithdrawalJson = {
  guid: string;
  outcome: string;
  account: string;
  vaultEid: number;
  token: string;
  recipient: string;
  amount: string;
  voidedNonce: string | null;
  releaseStatus: string | null;
  request: { guid: string; state: string; reason: string | null; txHash: string; deliveryTxHash: string | null; history: TransitionJson[] };
  result: { guid: string; state: string; reason: string | null; txHash: string; deliveryTxHash: string | null; history: TransitionJson[] } | null;
};

/** The withdrawal, or undefined while the relayer has not stored it yet (404). */
export async function fetchWithdrawal(apiUrl: string, guid: string): Promise<WithdrawalJson | undefined> {
  return (await getJson<WithdrawalJson>(`${apiUrl}/withdrawals/${guid}`)).body;
}

export async function fetchWithdrawals(apiUrl: string, account: string): Promise<WithdrawalJson[]> {
  return (await getJson<WithdrawalJson[]>(`${apiUrl}/withdrawals?account=${account}`)).body ?? [];
}

/** POST an admin route with the bearer token; the JSON answer. */
export async function postAdmin<T>(apiUrl: string, path: string, token: string, body: unknown): Promise<T> {
  const url = `${apiUrl}${path}`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (res.status !== 200) throw new RelayerApiError('admin call refused', { url, status: res.status, body: text });
  return JSON.parse(text) as T; // the admin routes answer JSON of this shape
}
