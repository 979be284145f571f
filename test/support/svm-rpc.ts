/**
 * A Solana JSON-RPC 2.0 endpoint (HTTP, no websockets) over an in-process litesvm: the project's one local stand-in
 * for a Solana validator. Real transactions (signatures verified, SPL Token / ATA / Memo programs executing), a
 * slot ticker (every `slotMs` a new slot with its own blockhash; transactions land in the current slot in arrival
 * order), and commitments: processed = confirmed = the current slot, finalized = current − `finalityLagSlots`
 * (never going back; frozen by `pauseFinality()`). Every read answers as of the commitment asked for (none given =
 * finalized, as a real node): getSignaturesForAddress / getTransaction / getBlock only see slots ≤ that slot, and
 * account reads come from the post-state of the newest slot ≤ it that wrote the account.
 *
 * Served: getSlot, getBlockHeight, getLatestBlockhash, isBlockhashValid, getBalance, getAccountInfo,
 * getMultipleAccounts, getTokenAccountBalance, getMinimumBalanceForRentExemption, getFeeForMessage, requestAirdrop,
 * sendTransaction, getSignatureStatuses, getSignaturesForAddress, getTransaction, getBlock, getBlockTime,
 * getGenesisHash, getVersion, getEpochInfo, getHealth; batches. Not served: websockets (use sendRawTransaction and
 * poll getSignatureStatuses), address lookup tables, `jsonParsed` (account reads fall back to base64, as a node does
 * for an account it cannot parse), simulateTransaction. See ./svm/ledger.ts for the blockhash-age and durable-nonce
 * rules. No jest import: scripts use it too.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PublicKey, VersionedMessage } from '@solana/web3.js';
import { LiteSVM } from 'litesvm';
import { type AccountState, base58Decode, base58Encode, LAMPORTS_PER_SIGNATURE, tokenBalances } from './svm/codec';
import { formatTransaction, Ledger, MAX_PROCESSING_AGE, RpcError } from './svm/ledger';
import { errorMessage } from './errors';

export interface SvmRpcOptions {
  /** finalized = current slot − this (default 8). */
  finalityLagSlots?: number;
  /** Milliseconds per slot (default 50). */
  slotMs?: number;
  /** 0 (default) = a free port. */
  port?: number;
}

export interface SvmRpc {
  url: string;
  /** The LiteSVM instance, for setup (accounts written here directly are not snapshotted: finalized reads see them at once). */
  svm: LiteSVM;
  slot(): number;
  finalizedSlot(): number;
  /** Produces `n` slots now (the ticker goes on as well). */
  advanceSlots(n: number): void;
  setFinalityLag(n: number): void;
  /** Freezes the finalized slot where it is while confirmed moves on. */
  pauseFinality(): void;
  resumeFinality(): void;
  stop(): Promise<void>;
}

type Params = unknown[];
/** A request's config object (its last param): plain JSON, every field optional, with the types the Solana RPC spec gives them. */
type Config = {
  commitment?: string;
  minContextSlot?: number;
  encoding?: string;
  dataSlice?: { offset: number; length: number };
  skipPreflight?: boolean;
  before?: string;
  until?: string;
  limit?: number;
  maxSupportedTransactionVersion?: number;
  transactionDetails?: string;
  rewards?: boolean;
};
/** A param as a Config: any JSON object (unknown fields ignored, as a node does), undefined for anything else. */
// Any object is a Config to TypeScript (all its fields are optional): the fields are trusted to have the spec's types,
// the callers being our own clients and tests.
const configOf = (c: unknown): Config | undefined => (typeof c === 'object' && c !== null ? c : undefined);

export async function startSvmRpc(options: SvmRpcOptions = {}): Promise<SvmRpc> {
  const slotMs = options.slotMs ?? 50;
  let lag = options.finalityLagSlots ?? 8;
  let finalized = 0;
  let frozen: number | null = null;
  const ledger = new Ledger(new LiteSVM(), Math.floor(Date.now() / 1000), slotMs);

  const finalizedSlot = (): number => {
    if (frozen !== null) return frozen;
    finalized = Math.max(finalized, ledger.slot - lag);
    return finalized;
  };
  /** The slot a request is answered at, from its config's commitment; `minConfirmed` for the methods a node refuses at processed. */
  const at = (config: Config | undefined, minConfirmed = false): number => {
    const c = config?.commitment ?? 'finalized';
    if (minConfirmed && (c === 'processed' || c === 'recent')) throw new RpcError(-32602, 'Method does not support commitment below `confirmed`');
    const slot = c === 'finalized' || c === 'max' || c === 'root' ? finalizedSlot() : ledger.slot;
    if (config?.minContextSlot !== undefined && config.minContextSlot > slot) throw new RpcError(-32016, 'Minimum context slot has not been reached', { contextSlot: slot });
    return slot;
  };
  const ctx = (slot: number) => ({ slot, apiVersion: '2.2.0' });
  const accountJson = (a: AccountState | null, config: Config | undefined) => {
    if (a === null) return null;
    const slice = config?.dataSlice;
    const data = slice === undefined ? a.data : a.data.subarray(slice.offset, slice.offset + slice.length);
    const encoding = config?.encoding ?? 'base64';
    if (encoding !== 'base64' && encoding !== 'base58' && encoding !== 'jsonParsed') throw new RpcError(-32602, `Invalid params: unsupported encoding ${encoding}`);
    return { data: encoding === 'base58' ? [base58Encode(data), 'base58'] : [Buffer.from(data).toString('base64'), 'base64'], executable: a.executable, lamports: Number(a.lamports), owner: a.owner, rentEpoch: 2 ** 64 /* u64::MAX, which a JS number (and JSON.parse of a node's answer) rounds to 2^64 */, space: a.data.length };
  };
  const statusOf = (sig: string) => {
    const r = ledger.txs.get(sig);
    if (r === undefined) return null;
    const fin = r.slot <= finalizedSlot();
    return { slot: r.slot, confirmations: fin ? null : ledger.slot - r.slot, err: r.err, status: r.err === null ? { Ok: null } : { Err: r.err }, confirmationStatus: fin ? 'finalized' : 'confirmed' };
  };
  const pubkey = (v: unknown): string => {
    try {
      return new PublicKey(v as string).toBase58(); // PublicKey validates whatever it is given and throws on a non-key, caught below
    } catch {
      throw new RpcError(-32602, `Invalid param: ${String(v)} is not a valid pubkey`);
    }
  };

  const invalid = (what: string): never => {
    throw new RpcError(-32602, `Invalid params: ${what}`);
  };

  const methods: Record<string, (p: Params) => unknown> = {
    getSlot: ([c]) => at(configOf(c)),
    getBlockHeight: ([c]) => at(configOf(c)),
    getLatestBlockhash: ([c]) => {
      const slot = at(configOf(c));
      return { context: ctx(slot), value: { blockhash: ledger.blocks[slot]!.blockhash, lastValidBlockHeight: slot + MAX_PROCESSING_AGE } };
    },
    isBlockhashValid: ([bh, c]) => {
      const slot = at(configOf(c));
      return { context: ctx(slot), value: ledger.isBlockhashValid(String(bh), slot) };
    },
    getBalance: ([key, c]) => {
      const slot = at(configOf(c));
      return { context: ctx(slot), value: Number(ledger.readAt(pubkey(key), slot)?.lamports ?? 0n) };
    },
    getAccountInfo: ([key, c]) => {
      const slot = at(configOf(c));
      return { context: ctx(slot), value: accountJson(ledger.readAt(pubkey(key), slot), configOf(c)) };
    },
    getMultipleAccounts: ([keys, c]) => {
      const slot = at(configOf(c));
      return { context: ctx(slot), value: (Array.isArray(keys) ? keys : invalid('expected an array of pubkeys')).map((k) => accountJson(ledger.readAt(pubkey(k), slot), configOf(c))) };
    },
    getTokenAccountBalance: ([key, c]) => {
      const slot = at(configOf(c));
      const [b] = tokenBalances([ledger.readAt(pubkey(key), slot)], (m) => ledger.readAt(m, slot));
      if (b === undefined) throw new RpcError(-32602, 'Invalid param: not a Token account');
      return { context: ctx(slot), value: b.uiTokenAmount };
    },
    getMinimumBalanceForRentExemption: ([len]) => Number(ledger.svm.minimumBalanceForRentExemption(BigInt(Number(len)))),
    getFeeForMessage: ([msg, c]) => {
      const slot = at(configOf(c));
      const m = VersionedMessage.deserialize(Buffer.from(String(msg), 'base64'));
      return { context: ctx(slot), value: ledger.isBlockhashValid(m.recentBlockhash, slot) ? LAMPORTS_PER_SIGNATURE * m.header.numRequiredSignatures : null };
    },
    requestAirdrop: ([key, lamports]) => ledger.airdrop(pubkey(key), Number(lamports)),
    sendTransaction: ([encoded, c]) => {
      const config = configOf(c) ?? {};
      const text = String(encoded);
      const wire = (config.encoding ?? 'base58') === 'base64' ? Buffer.from(text, 'base64') : base58Decode(text);
      return ledger.submit(wire, config.skipPreflight === true);
    },
    getSignatureStatuses: ([sigs]) => {
      const list: unknown[] = Array.isArray(sigs) ? sigs : invalid('expected an array of signatures');
      if (list.length > 256) throw new RpcError(-32602, 'Too many inputs provided; max 256');
      return { context: ctx(ledger.slot), value: list.map((sig) => statusOf(String(sig))) };
    },
    getSignaturesForAddress: ([address, c]) => {
      const config = configOf(c) ?? {};
      const slot = at(config, true);
      const limit = config.limit ?? 1000;
      if (limit < 1 || limit > 1000) throw new RpcError(-32602, 'Invalid limit; max 1000');
      const visible = ledger.transactionsOf(pubkey(address)).filter((r) => r.slot <= slot);
      let i = visible.length - 1;
      if (config.before !== undefined) {
        const b = visible.findIndex((r) => r.signature === config.before);
        if (b < 0) return [];
        i = b - 1;
      }
      const fin = finalizedSlot();
      const out = [];
      for (; i >= 0 && out.length < limit; i--) {
        const r = visible[i]!;
        if (r.signature === config.until) break;
        out.push({ signature: r.signature, slot: r.slot, err: r.err, memo: r.memo, blockTime: ledger.blocks[r.slot]!.blockTime, confirmationStatus: r.slot <= fin ? 'finalized' : 'confirmed' });
      }
      return out;
    },
    getTransaction: ([sig, c]) => {
      const config = configOf(c) ?? {};
      const slot = at(config, true);
      const r = ledger.txs.get(String(sig));
      if (r === undefined || r.slot > slot) return null;
      if (r.version === 0 && config.maxSupportedTransactionVersion === undefined) throw new RpcError(-32015, 'Transaction version (0) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0');
      if (config.encoding === 'jsonParsed') throw new RpcError(-32602, 'Invalid params: jsonParsed is not served by this stand-in');
      return { slot: r.slot, blockTime: ledger.blocks[r.slot]!.blockTime, ...formatTransaction(r, config.encoding ?? 'json') };
    },
    getBlock: ([s, c]) => {
      const config = configOf(c) ?? {};
      const slot = Number(s);
      if (!(slot >= 0 && slot <= at(config, true))) throw new RpcError(-32004, `Block not available for slot ${slot}`);
      const b = ledger.blocks[slot]!;
      const details = config.transactionDetails ?? 'full';
      const head = { blockhash: b.blockhash, previousBlockhash: b.previousBlockhash, parentSlot: b.parentSlot, blockTime: b.blockTime, blockHeight: b.slot, ...(config.rewards === false ? {} : { rewards: [] }) };
      if (details === 'none') return head;
      if (details === 'signatures') return { ...head, signatures: b.signatures };
      if (details !== 'full') throw new RpcError(-32602, `Invalid params: transactionDetails ${details} is not served by this stand-in`);
      return { ...head, transactions: b.signatures.map((sig) => formatTransaction(ledger.txs.get(sig)!, config.encoding ?? 'json')) };
    },
    getBlockTime: ([s]) => {
      const b = ledger.blocks[Number(s)];
      if (b === undefined) throw new RpcError(-32004, `Block not available for slot ${String(s)}`);
      return b.blockTime;
    },
    getGenesisHash: () => ledger.genesisHash,
    getVersion: () => ({ 'solana-core': '2.2.0', 'feature-set': 0 }),
    getHealth: () => 'ok',
    getEpochInfo: ([c]) => {
      const slot = at(configOf(c));
      return { absoluteSlot: slot, blockHeight: slot, epoch: 0, slotIndex: slot, slotsInEpoch: 432_000, transactionCount: ledger.txs.size };
    },
  };

  const handle = (req: unknown): unknown => {
    const r = req as { jsonrpc?: string; id?: unknown; method?: unknown; params?: unknown }; // parsed JSON, read field by field: the next line refuses any other shape
    const id = r?.id ?? null;
    if (typeof r !== 'object' || r === null || r.jsonrpc !== '2.0' || typeof r.method !== 'string') return { jsonrpc: '2.0', id, error: { code: -32600, message: 'Invalid request' } };
    const method = methods[r.method];
    if (method === undefined) return { jsonrpc: '2.0', id, error: { code: -32601, message: 'Method not found' } };
    try {
      return { jsonrpc: '2.0', id, result: method(Array.isArray(r.params) ? r.params : []) };
    } catch (e) {
      if (e instanceof RpcError) return { jsonrpc: '2.0', id, error: { code: e.code, message: e.message, ...(e.data === undefined ? {} : { data: e.data }) } };
      return { jsonrpc: '2.0', id, error: { code: -32602, message: `Invalid params: ${errorMessage(e)}` } };
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let out: unknown;
      try {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        out = Array.isArray(body) ? (body.length === 0 ? handle(null) : body.map(handle)) : handle(body);
      } catch {
        out = { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } };
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const ticker = setInterval(() => ledger.newSlot(), slotMs);
  ticker.unref();

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, // listening on a TCP host and port: an AddressInfo
    svm: ledger.svm,
    slot: () => ledger.slot,
    finalizedSlot,
    advanceSlots: (n) => {
      for (let i = 0; i < n; i++) ledger.newSlot();
    },
    setFinalityLag: (n) => {
      lag = n;
    },
    pauseFinality: () => {
      frozen = finalizedSlot();
    },
    resumeFinality: () => {
      frozen = null;
    },
    stop: async () => {
      clearInterval(ticker);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
