import { decodeMarkMessage, type Hex, MARK_MESSAGE_LENGTH, receiverDomain, recoverMarkBatchSigners } from '@ccr/messages';
import { Interface } from 'ethers';
import { decodedUint, RECEIVER_ABI } from '../../chains/evm/abis';
import type { DecodedRevert, SimulationResult, TxReceipt } from '../../chains/destination-submitter';
import type { OnChainMark } from '../decide-mark';
import type { AssetRef, MarkChain, MarkSnapshot, ReceiverAssetConfig, SentMarks } from '../mark-chain';

const receiverInterface = new Interface(RECEIVER_ABI);
const MAX_FUTURE_SKEW = 300n;
const NO_MARK: OnChainMark = { price: 0n, haircut: 0n, timestamp: 0n, nonce: 0n };

/** A sent submitMarks as the fake records it. */
export type FakeMarksTx = { hash: string; calldata: Buffer; gasEstimate: bigint; marks: ReturnType<typeof decodeMarkMessage>[]; validUntil: bigint; signatures: Hex[]; mined: boolean; status: number };

const key = (srcEid: number, asset: string): string => `${srcEid}:${asset.toLowerCase()}`;

/**
 * The receiver's `submitMarks` in memory, with its rules (tests only): registered assets, the InvalidMark range and
 * order checks (reasons 1–6), the attestation (validUntil, every signer an attester, strictly increasing), pause.
 * Transactions are mined at once unless `autoMine` is false (then `mine()`).
 */
export class FakeMarkChain implements MarkChain {
  readonly receiver = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
  readonly chainId = 31337;
  readonly senderAddress = '0x000000000000000000000000000000000000bEEF';
  blockTimestamp: bigint;
  blockNumber = 100;
  paused = false;
  autoMine = true;
  /** Make read() fail (an RPC outage). */
  readError: Error | undefined;
  /** Override simulate()'s verdict once (e.g. a revert the fake does not model). */
  nextRevert: DecodedRevert | undefined;
  readonly marks = new Map<string, OnChainMark>();
  readonly configs = new Map<string, ReceiverAssetConfig>();
  readonly sent: FakeMarksTx[] = [];
  readonly simulations: Buffer[] = [];
  reads = 0;

  constructor(
    now: bigint,
    private readonly attesters: readonly string[],
  ) {
    this.blockTimestamp = now;
  }

  register(srcEid: number, asset: string, heartbeat: bigint, decimals = 18): void {
    this.configs.set(key(srcEid, asset), { registered: true, decimals, heartbeat, cap: (1n << 128n) - 1n });
  }

  markOf(srcEid: number, asset: string): OnChainMark {
    return this.marks.get(key(srcEid, asset)) ?? NO_MARK;
  }

  // The MarkChain methods answer synchronously but stay async like the real chain's: a scripted failure (readError,
  // a decoding error) must reach the marker as a rejected promise, never as a throw from the call itself.
  /* eslint-disable @typescript-eslint/require-await -- see above: async keeps the real chain's rejection semantics */
  async read(assets: readonly AssetRef[]): Promise<MarkSnapshot> {
    this.reads++;
    if (this.readError !== undefined) throw this.readError;
    return {
      blockNumber: this.blockNumber,
      blockTimestamp: this.blockTimestamp,
      marks: assets.map((a) => this.markOf(a.srcEid, a.asset)),
      configs: assets.map((a) => this.configs.get(key(a.srcEid, a.asset)) ?? { registered: false, decimals: 0, heartbeat: 0n, cap: 0n }),
    };
  }

  encode(marks: Hex, validUntil: bigint, signatures: Hex): Buffer {
    return Buffer.from(receiverInterface.encodeFunctionData('submitMarks', [marks, validUntil, signatures]).slice(2), 'hex');
  }

  async simulate(calldata: Buffer): Promise<SimulationResult> {
    this.simulations.push(calldata);
    if (this.nextRevert !== undefined) {
      const revert = this.nextRevert;
      this.nextRevert = undefined;
      return { ok: false, revert };
    }
    const revert = this.check(calldata);
    return revert === undefined ? { ok: true, gas: 40_000n + 10_000n * BigInt(this.decode(calldata).marks.length) } : { ok: false, revert };
  }

  async send(calldata: Buffer, gasEstimate: bigint): Promise<SentMarks> {
    const { marks, validUntil, signatures } = this.decode(calldata);
    const hash = `0x${(this.sent.length + 1).toString(16).padStart(64, '0')}`;
    const tx: FakeMarksTx = { hash, calldata, gasEstimate, marks, validUntil, signatures, mined: false, status: 0 };
    this.sent.push(tx);
    if (this.autoMine) this.mineTx(tx);
    return { hash, nonce: this.sent.length - 1 };
  }

  /** Mines every pending transaction. */
  mine(): void {
    for (const tx of this.sent) if (!tx.mined) this.mineTx(tx);
  }

  /** Forgets pending transactions (a node that dropped them). */
  drop(): void {
    this.sent.splice(0, this.sent.length, ...this.sent.filter((t) => t.mined));
  }

  async waitForReceipt(hash: string): Promise<TxReceipt | null> {
    const tx = this.sent.find((t) => t.hash === hash);
    return tx === undefined || !tx.mined ? null : { hash, status: tx.status, gasUsed: tx.gasEstimate, blockNumber: this.blockNumber };
  }

  async hasTransaction(hash: string): Promise<boolean> {
    return this.sent.some((t) => t.hash === hash);
  }
  /* eslint-enable @typescript-eslint/require-await */

  private mineTx(tx: FakeMarksTx): void {
    tx.mined = true;
    this.blockNumber++;
    if (this.check(tx.calldata) !== undefined) return; // reverted: status 0
    tx.status = 1;
    for (const m of tx.marks) this.marks.set(key(m.srcEid, m.asset), { price: m.price, haircut: m.haircut, timestamp: m.priceTimestamp, nonce: m.markNonce });
  }

  private decode(calldata: Buffer): { marks: ReturnType<typeof decodeMarkMessage>[]; bodies: Hex[]; validUntil: bigint; signatures: Hex[] } {
    const args = receiverInterface.decodeFunctionData('submitMarks', `0x${calldata.toString('hex')}`);
    const blob = String(args[0]).slice(2);
    const sigs = String(args[2]).slice(2);
    const bodies: Hex[] = [];
    for (let i = 0; i < blob.length; i += 2 * MARK_MESSAGE_LENGTH) bodies.push(`0x${blob.slice(i, i + 2 * MARK_MESSAGE_LENGTH)}`);
    const signatures: Hex[] = [];
    for (let i = 0; i < sigs.length; i += 130) signatures.push(`0x${sigs.slice(i, i + 130)}`);
    return { marks: bodies.map((b) => decodeMarkMessage(b)), bodies, validUntil: decodedUint(args[1]), signatures };
  }

  private check(calldata: Buffer): DecodedRevert | undefined {
    const revert = (name: string, args: Record<string, string>, index?: number): DecodedRevert => ({ name, args, index, selector: undefined });
    if (this.paused) return revert('EnforcedPause', {});
    const { marks, bodies, validUntil, signatures } = this.decode(calldata);
    if (validUntil < this.blockTimestamp) return revert('AttestationExpired', { validUntil: String(validUntil), timestamp: String(this.blockTimestamp) });
    const domain = receiverDomain({ chainId: this.chainId, verifyingContract: this.receiver });
    const signers = recoverMarkBatchSigners(domain, bodies, validUntil, signatures);
    if (signers.length < this.attesters.length) return revert('InsufficientSignatures', { count: String(signers.length), threshold: String(this.attesters.length) });
    for (const [i, s] of signers.entries()) if (!this.attesters.includes(s)) return revert('SignerNotAttester', { index: String(i), signer: s });
    for (const [i, m] of marks.entries()) {
      const at = { index: String(i) };
      if (m.price >= 1n << 112n) return revert('InvalidMark', { ...at, reason: '1' }, i);
      if (m.markNonce >= 1n << 32n) return revert('InvalidMark', { ...at, reason: '3' }, i);
      if (m.priceTimestamp > this.blockTimestamp + MAX_FUTURE_SKEW) return revert('InvalidMark', { ...at, reason: '4' }, i);
      if (this.configs.get(key(m.srcEid, m.asset))?.registered !== true) return revert('UnknownAsset', { ...at, srcEid: String(m.srcEid), asset: m.asset }, i);
      const cur = this.markOf(m.srcEid, m.asset);
      if (m.priceTimestamp < cur.timestamp) return revert('InvalidMark', { ...at, reason: '5' }, i);
      if (m.markNonce <= cur.nonce) return revert('InvalidMark', { ...at, reason: '6' }, i);
    }
    return undefined;
  }
}
