import { computeGuid, decodeMessage, MESSAGE_LENGTHS, type MessageType, parsePacket } from '@ccr/messages';
import { type Interface, keccak256 } from 'ethers';
import type {
  BroadcastOutcome,
  CreditedLog,
  DecodedRevert,
  DestinationRole,
  DestinationSubmitter,
  Fees,
  SignedTx,
  SimulationResult,
  TxReceipt,
} from '../../chains/destination-submitter';
import { ChainRpcError } from '../../chains/chain-errors';
import { encodeCompactSubmit, encodeSubmit, submitSelector } from '../../chains/evm/encode-submit';
import { receiverInterface, vaultInterface } from '../../chains/evm/evm-submitter';

/** One transaction as the fake chain knows it (its "raw bytes" are this, as JSON, hex-encoded). */
export type FakeTx = { hash: string; raw: string; data: string; nonce: number; gasLimit: bigint; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

/** One packet of a batch, as the destination checks it: its path, nonce and GUID. */
type PacketHeader = { srcEid: number; sender: string; nonce: bigint; guid: string };

/** A block of the fake chain: what each path's inbound nonce reached in it, its receipts and `Credited` logs. */
type FakeBlock = { number: number; timestamp: bigint; advances: Map<string, bigint>; receipts: TxReceipt[]; credited: CreditedLog[]; accountNonce: number };

/** Gas the fake destination charges a batch: 50k + 40k per packet (simulated and used). */
export const fakeGas = (packets: number): bigint => 50_000n + 40_000n * BigInt(packets);

const pathKey = (srcEid: number, sender: string): string => `${srcEid}:${sender.toLowerCase()}`;

/**
 * An in-memory destination chain implementing `DestinationSubmitter`, for the poster's unit tests. It keeps blocks
 * (each with the inbound nonce per path it reached, receipts and `Credited` logs), a mempool, and the poster
 * account's nonce; it reads the real submit calldata (packets + validUntil) and applies it the way the contracts do:
 * every packet's nonce must be its path's inbound nonce + 1 and the block time at most validUntil, else the whole
 * transaction reverts (its account nonce is still used). Tests drive it: `mine`, `drop`, `reorg`, `applyExternally`
 * (somebody else landed packets), `useNonceElsewhere`, `revertNext`, `refuse` (a packet the contract refuses), `failNext`
 * (an RPC error), `finalized`.
 */
export class FakeDestination implements DestinationSubmitter {
  readonly addressBytes32: string;
  readonly posterAddress = '0x00000000000000000000000000000000000000aa';
  /** Blocks of the canonical chain, genesis first. */
  readonly blocks: FakeBlock[];
  /** Pending transactions by hash. */
  readonly mempool = new Map<string, FakeTx>();
  /** Every raw transaction broadcast, in order (re-broadcasts included). */
  readonly broadcasts: string[] = [];
  /** The block `finalizedBlock()` reports (-1: none yet). */
  finalized = -1;
  /** Fees `fees()` reports. */
  feeData: Fees = { maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };
  /** Seconds between blocks. */
  blockTime = 12n;
  private readonly iface: Interface;
  private readonly submitName: string;
  private readonly reverting = new Set<string>();
  private readonly refusing = new Map<string, string>();
  private readonly failing = new Map<string, Error>();
  private externalSeq = 0;

  constructor(
    readonly role: DestinationRole,
    readonly address: string,
    genesisTimestamp: bigint,
    /** This chain's eid (the receiver rebuilds each packet's GUID with it). */
    readonly localEid: number = 40200,
  ) {
    this.addressBytes32 = `0x${address.toLowerCase().replace(/^0x/, '').padStart(64, '0')}`;
    this.iface = role === 'receiver' ? receiverInterface : vaultInterface;
    this.submitName = role === 'receiver' ? 'submit' : 'submitReleases';
    this.blocks = [{ number: 0, timestamp: genesisTimestamp, advances: new Map(), receipts: [], credited: [], accountNonce: 0 }];
  }

  // ── what tests drive ──────────────────────────────────────────────────────────────────────────────────────────

  get head(): FakeBlock {
    return this.blocks[this.blocks.length - 1]!; // never empty: genesis stays
  }

  /** The poster account's nonce at the head (how many of its transactions are mined). */
  get accountNonce(): number {
    return this.head.accountNonce;
  }

  /**
   * Mines one block (`blockTime` after the head): the pending transactions of the poster account in nonce order from
   * its account nonce (a gap stops them), each applied or reverted; stale ones (nonce used) leave the mempool.
   */
  mine(): FakeBlock {
    const block: FakeBlock = { number: this.head.number + 1, timestamp: this.head.timestamp + this.blockTime, advances: new Map(), receipts: [], credited: [], accountNonce: this.head.accountNonce };
    for (;;) {
      const tx = [...this.mempool.values()].find((t) => t.nonce === block.accountNonce);
      if (tx === undefined) break;
      this.mempool.delete(tx.hash);
      block.accountNonce++;
      const packets = this.decode(Buffer.from(tx.data.slice(2), 'hex'));
      const refusal = this.reverting.delete(tx.hash) ? 'forced' : this.check(packets.packets, packets.validUntil, block.timestamp, (key) => block.advances.get(key) ?? this.nonceAt(key, this.head.number));
      if (refusal !== undefined) {
        block.receipts.push({ hash: tx.hash, status: 0, gasUsed: 30_000n, blockNumber: block.number });
        continue;
      }
      for (const p of packets.packets) block.advances.set(pathKey(p.srcEid, p.sender), p.nonce);
      if (this.role === 'receiver') for (const p of packets.packets) block.credited.push({ guid: p.guid, txHash: tx.hash, blockNumber: block.number });
      block.receipts.push({ hash: tx.hash, status: 1, gasUsed: fakeGas(packets.packets.length), blockNumber: block.number });
    }
    for (const t of [...this.mempool.values()]) if (t.nonce < block.accountNonce) this.mempool.delete(t.hash);
    this.blocks.push(block);
    return block;
  }

  /** The node forgets a pending transaction (evicted, node restarted). */
  drop(hash: string): void {
    this.mempool.delete(hash);
  }

  /** A destination reorg: every block above `toBlock` leaves the chain, with its transactions (not re-queued). */
  reorg(toBlock: number): void {
    this.blocks.splice(toBlock + 1);
  }

  /** Somebody else lands packets of path (srcEid, sender) up to nonce `upTo` in a new block (another account: our nonce untouched). */
  applyExternally(srcEid: number, sender: string, upTo: bigint, guids: readonly string[] = []): string {
    const hash = `0x${(++this.externalSeq).toString(16).padStart(64, 'e')}`;
    const block: FakeBlock = { number: this.head.number + 1, timestamp: this.head.timestamp + this.blockTime, advances: new Map([[pathKey(srcEid, sender), upTo]]), receipts: [], credited: [], accountNonce: this.head.accountNonce };
    if (this.role === 'receiver') for (const guid of guids) block.credited.push({ guid: guid.toLowerCase(), txHash: hash, blockNumber: block.number });
    this.blocks.push(block);
    return hash;
  }

  /** Another transaction of the poster account (an operator's, say) is mined at its current nonce; pending ones with that nonce leave. */
  useNonceElsewhere(): void {
    const block: FakeBlock = { number: this.head.number + 1, timestamp: this.head.timestamp + this.blockTime, advances: new Map(), receipts: [], credited: [], accountNonce: this.head.accountNonce + 1 };
    for (const t of [...this.mempool.values()]) if (t.nonce < block.accountNonce) this.mempool.delete(t.hash);
    this.blocks.push(block);
  }

  /** The transaction `hash` reverts when mined (whatever its packets). */
  revertNext(hash: string): void {
    this.reverting.add(hash);
  }

  /** The contract refuses the packet of this GUID with custom error `name` (naming its index), in simulation and on chain. */
  refuse(guid: string, name: string): void {
    this.refusing.set(guid.toLowerCase(), name);
  }

  /** The next call of `method` fails with `error` (by default what a real submitter throws: every endpoint failed). */
  failNext(method: keyof DestinationSubmitter, error: Error = new ChainRpcError('dst', method, new Error('connection refused'))): void {
    this.failing.set(method, error);
  }

  /** The inbound nonce of a path at the head. */
  inbound(srcEid: number, sender: string): bigint {
    return this.nonceAt(pathKey(srcEid, sender), this.head.number);
  }

  /** A raw transaction back as the fake's transaction. */
  parse(raw: string): FakeTx {
    const t = JSON.parse(Buffer.from(raw.slice(2), 'hex').toString('utf8')) as { data: string; nonce: number; gasLimit: string; maxFeePerGas: string; maxPriorityFeePerGas: string }; // written by encodeTx below
    return { hash: keccak256(raw), raw, data: t.data, nonce: t.nonce, gasLimit: BigInt(t.gasLimit), maxFeePerGas: BigInt(t.maxFeePerGas), maxPriorityFeePerGas: BigInt(t.maxPriorityFeePerGas) };
  }

  // ── DestinationSubmitter ──────────────────────────────────────────────────────────────────────────────────────
  // The fake answers synchronously, but its methods stay async like the real submitter's: a scripted failure
  // (failNext) must reach the caller as a rejected promise, never as a throw from the call itself.
  /* eslint-disable @typescript-eslint/require-await -- see above: async keeps the real submitter's rejection semantics */

  async lastNonce(srcEid: number, sender: string, block?: number): Promise<bigint> {
    this.maybeFail('lastNonce');
    return this.nonceAt(pathKey(srcEid, sender), Math.min(block ?? this.head.number, this.head.number));
  }

  encode(packets: readonly string[], validUntil: bigint, signatures: readonly string[]): Buffer {
    const encode = this.role === 'receiver' ? encodeCompactSubmit : encodeSubmit;
    return encode(submitSelector(this.iface, this.submitName), packets, validUntil, signatures);
  }

  /** At the pending block: the head's nonces with the poster's pending transactions applied first. */
  async simulate(calldata: Buffer): Promise<SimulationResult> {
    this.maybeFail('simulate');
    const { packets, validUntil } = this.decode(calldata);
    const pending = this.pendingState();
    const revert = this.check(packets, validUntil, this.head.timestamp + this.blockTime, (key) => pending.get(key) ?? this.nonceAt(key, this.head.number));
    return revert === undefined ? { ok: true, gas: fakeGas(packets.length) } : { ok: false, revert };
  }

  async succeedsWithGas(calldata: Buffer, gas: bigint): Promise<boolean> {
    const simulation = await this.simulate(calldata);
    return simulation.ok && gas >= simulation.gas;
  }

  async blockGasLimit(): Promise<bigint> {
    return 30_000_000n;
  }

  async pendingNonce(): Promise<number> {
    this.maybeFail('pendingNonce');
    let nonce = this.accountNonce;
    while ([...this.mempool.values()].some((t) => t.nonce === nonce)) nonce++;
    return nonce;
  }

  async fees(): Promise<Fees> {
    return { ...this.feeData };
  }

  async latestTimestamp(): Promise<bigint> {
    this.maybeFail('latestTimestamp');
    return this.head.timestamp;
  }

  async finalizedBlock(): Promise<number> {
    return Math.min(this.finalized, this.head.number);
  }

  async blockNumber(): Promise<number> {
    return this.head.number;
  }

  sign(data: Buffer, nonce: number, gasLimit: bigint, fees: Fees): SignedTx {
    return this.encodeTx(`0x${data.toString('hex')}`, nonce, gasLimit, fees);
  }

  async replace(raw: string, fees: Fees): Promise<SignedTx> {
    const tx = this.parse(raw);
    return this.encodeTx(tx.data, tx.nonce, tx.gasLimit, fees);
  }

  /** Like a node: a used nonce → 'nonce-used'; known → 'known'; a same-nonce replacement needs +10 % on both fees. */
  async broadcast(raw: string): Promise<BroadcastOutcome> {
    this.maybeFail('broadcast');
    this.broadcasts.push(raw);
    const tx = this.parse(raw);
    if (tx.nonce < this.accountNonce) return 'nonce-used';
    if (this.mempool.has(tx.hash)) return 'known';
    const rival = [...this.mempool.values()].find((t) => t.nonce === tx.nonce);
    if (rival !== undefined) {
      if (tx.maxFeePerGas * 10n < rival.maxFeePerGas * 11n || tx.maxPriorityFeePerGas * 10n < rival.maxPriorityFeePerGas * 11n) return 'underpriced';
      this.mempool.delete(rival.hash);
    }
    this.mempool.set(tx.hash, tx);
    return 'sent';
  }

  async receipt(hash: string): Promise<TxReceipt | null> {
    this.maybeFail('receipt');
    for (const b of this.blocks) for (const r of b.receipts) if (r.hash === hash.toLowerCase()) return { ...r };
    return null;
  }

  async hasTransaction(hash: string): Promise<boolean> {
    return this.mempool.has(hash) || (await this.receipt(hash)) !== null;
  }

  async waitForReceipt(hash: string): Promise<TxReceipt | null> {
    return this.receipt(hash);
  }

  async creditedLogs(guids: readonly string[], fromBlock: number, toBlock: number): Promise<CreditedLog[]> {
    this.maybeFail('creditedLogs');
    const wanted = new Set(guids.map((g) => g.toLowerCase()));
    return this.blocks.filter((b) => b.number >= fromBlock && b.number <= toBlock).flatMap((b) => b.credited.filter((l) => wanted.has(l.guid)));
  }

  /* eslint-enable @typescript-eslint/require-await */

  // ── internals ─────────────────────────────────────────────────────────────────────────────────────────────────

  private encodeTx(data: string, nonce: number, gasLimit: bigint, fees: Fees): SignedTx {
    const body = { data, nonce, gasLimit: gasLimit.toString(), maxFeePerGas: fees.maxFeePerGas.toString(), maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString() };
    const raw = `0x${Buffer.from(JSON.stringify(body), 'utf8').toString('hex')}`;
    return { hash: keccak256(raw), raw, nonce, ...fees };
  }

  private decode(calldata: Buffer): { packets: PacketHeader[]; validUntil: bigint } {
    if (this.role === 'vault') {
      const [packets, validUntil] = this.iface.decodeFunctionData(this.submitName, calldata) as unknown as [string[], bigint]; // (bytes[], uint64, bytes[])
      return { packets: packets.map((p) => parsePacket(p as `0x${string}`)), validUntil }; // ABI bytes decode to 0x hex
    }
    // The receiver's (bytes messages, uint64, bytes): each message's length follows from its type; the header is
    // rebuilt from the message as the contract does.
    const [messages, validUntil] = this.iface.decodeFunctionData(this.submitName, calldata) as unknown as [string, bigint];
    const bytes = Buffer.from(messages.slice(2), 'hex');
    const packets: PacketHeader[] = [];
    for (let off = 0; off < bytes.length; ) {
      const length = MESSAGE_LENGTHS[bytes[off + 1] as MessageType]; // byte 1 of every message is its MessageType
      const body = decodeMessage(bytes.subarray(off, off + length));
      const [srcEid, sender, nonce] = 'depositNonce' in body ? [body.srcEid, body.srcVault, body.depositNonce] : 'resultNonce' in body ? [body.srcEid, body.srcVault, body.resultNonce] : [0, '0x', 0n];
      packets.push({ srcEid, sender, nonce, guid: computeGuid({ nonce, srcEid, sender, dstEid: this.localEid, receiver: this.addressBytes32 }) });
      off += length;
    }
    return { packets, validUntil };
  }

  /** The contract's checks, in its order: expiry first, then each packet's nonce = its path's inbound + 1. */
  private check(packets: readonly PacketHeader[], validUntil: bigint, timestamp: bigint, inbound: (key: string) => bigint): DecodedRevert | undefined {
    if (timestamp > validUntil) return { name: 'AttestationExpired', args: { validUntil: validUntil.toString(), timestamp: timestamp.toString() }, index: undefined, selector: undefined };
    const running = new Map<string, bigint>();
    for (const [i, p] of packets.entries()) {
      const refused = this.refusing.get(p.guid.toLowerCase());
      if (refused !== undefined) return { name: refused, args: { index: String(i) }, index: i, selector: undefined };
      const key = pathKey(p.srcEid, p.sender);
      const expected = (running.get(key) ?? inbound(key)) + 1n;
      if (p.nonce !== expected) return { name: 'UnexpectedNonce', args: { index: String(i), expected: expected.toString(), actual: p.nonce.toString() }, index: i, selector: undefined };
      running.set(key, p.nonce);
    }
    return undefined;
  }

  /** Path nonces after the poster's pending transactions (contiguous from its account nonce, the successful ones). */
  private pendingState(): Map<string, bigint> {
    const state = new Map<string, bigint>();
    const timestamp = this.head.timestamp + this.blockTime;
    for (let nonce = this.accountNonce; ; nonce++) {
      const tx = [...this.mempool.values()].find((t) => t.nonce === nonce);
      if (tx === undefined) break;
      const { packets, validUntil } = this.decode(Buffer.from(tx.data.slice(2), 'hex'));
      if (this.check(packets, validUntil, timestamp, (key) => state.get(key) ?? this.nonceAt(key, this.head.number)) === undefined) for (const p of packets) state.set(pathKey(p.srcEid, p.sender), p.nonce);
    }
    return state;
  }

  private nonceAt(key: string, block: number): bigint {
    let nonce = 0n;
    for (const b of this.blocks) if (b.number <= block) nonce = b.advances.get(key) ?? nonce;
    return nonce;
  }

  private maybeFail(method: string): void {
    const error = this.failing.get(method);
    if (error === undefined) return;
    this.failing.delete(method);
    throw error;
  }
}
