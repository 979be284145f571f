/**
 * Shared steps of the two-way book chain tests (withdrawal.test.ts, release.test.ts, receiver-bounds.test.ts): send a
 * transaction, lock and credit a deposit, request a withdrawal, release it on the vault, carry the result back, read
 * the receiver's positions, book and withdrawal status.
 */
import { ethers } from '../../contracts/ts/index';
import {
  FAR_FUTURE,
  SRC_EID,
  compactSubmitArgs,
  creditPacket,
  packetOf,
  releaseResultPacket,
  releaseResults,
  signBatch,
  toBytes32,
  withdrawalPacket,
  withdrawalRequests,
  type CreditSystem,
  type ReleaseResultEvent,
  type WithdrawalRequest,
} from '../support/deploy';

export function at<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`no element ${i}`);
  return x;
}

/** `c.name` bound to `runner` (default: the contract's own runner). */
export function fn(c: ethers.Contract, name: string, runner?: ethers.Signer): ethers.BaseContractMethod {
  return (runner === undefined ? c : (c.connect(runner) as ethers.Contract)).getFunction(name); // connect() keeps the ABI
}

/** Simulates (so a revert carries its data), sends, and returns the receipt. */
export async function send(c: ethers.Contract, name: string, args: readonly unknown[], runner?: ethers.Signer): Promise<ethers.TransactionReceipt> {
  const f = fn(c, name, runner);
  await f.staticCall(...args);
  const tx = (await f(...args)) as ethers.ContractTransactionResponse; // non-view function
  const receipt = await tx.wait();
  if (receipt === null) throw new Error('no receipt');
  return receipt;
}

/** Names of the events `c` emitted in `receipt`, in order. */
export function eventNames(c: ethers.Contract, address: string, receipt: ethers.TransactionReceipt): string[] {
  return receipt.logs.filter((l) => l.address.toLowerCase() === address.toLowerCase()).map((l) => c.interface.parseLog(l)?.name ?? '?');
}

/** The args of the first event `name` that `c` emitted in `receipt`. */
export function eventArgs(c: ethers.Contract, address: string, receipt: ethers.TransactionReceipt, name: string): unknown[] {
  for (const l of receipt.logs) {
    if (l.address.toLowerCase() !== address.toLowerCase()) continue;
    const parsed = c.interface.parseLog(l);
    if (parsed?.name === name) return [...parsed.args];
  }
  throw new Error(`no ${name} event`);
}

/** `user` locks `amount` in the vault for itself; the CREDIT of that lock is submitted. Returns the deposit nonce. */
export async function lockAndCredit(s: CreditSystem, user: ethers.Wallet, attesters: readonly ethers.Wallet[], amount: bigint): Promise<bigint> {
  const receipt = await send(s.vault, 'lock', [s.tokenAddress, amount, toBytes32(user.address)], user);
  const nonce = eventArgs(s.vault, s.vaultAddress, receipt, 'Locked')[1] as bigint; // uint64 → bigint
  await submitToReceiver(s, attesters, [creditPacket(s, nonce, user.address, { rawAmount: amount })]);
  return nonce;
}

/**
 * Signs full `packets` under the receiver's domain and submits them as the receiver takes them: the message bodies
 * concatenated (it rebuilds every header and GUID) and the signatures packed.
 */
export function submitToReceiver(s: CreditSystem, attesters: readonly ethers.Wallet[], packets: string[], validUntil = FAR_FUTURE): Promise<ethers.TransactionReceipt> {
  const [messages, signatures] = compactSubmitArgs(packets, signBatch(attesters, s.domain, packets, validUntil));
  return send(s.receiver, 'submit', [messages, validUntil, signatures]);
}

/** `position(account, SRC_EID, asset)` of `s`'s token: [credited raw, frozen raw]. */
export async function positionOf(s: CreditSystem, account: string): Promise<[bigint, bigint]> {
  const [raw, frozen] = (await fn(s.receiver, 'position')(account, SRC_EID, toBytes32(s.tokenAddress))) as [bigint, bigint]; // (uint128, uint128)
  return [raw, frozen];
}

/** `book(SRC_EID, asset)` of `s`'s token: [credited raw, frozen raw (withdrawals and refunds not settled)]. */
export async function bookOf(s: CreditSystem): Promise<[bigint, bigint]> {
  const [credited, frozen] = (await fn(s.receiver, 'book')(SRC_EID, toBytes32(s.tokenAddress))) as [bigint, bigint]; // (uint128, uint128)
  return [credited, frozen];
}

/** `withdrawalStatus(guid)` (a WithdrawalStatus). */
export async function statusOf(s: CreditSystem, guid: string): Promise<number> {
  return Number((await fn(s.receiver, 'withdrawalStatus')(guid)) as bigint); // uint8 → bigint
}

/** `user` requests a withdrawal of `amount` to `recipient`; returns the request as the event carries it. */
export async function requestWithdrawal(s: CreditSystem, user: ethers.Wallet, amount: bigint, recipient: string): Promise<WithdrawalRequest> {
  const receipt = await send(s.receiver, 'requestWithdrawal', [SRC_EID, toBytes32(s.tokenAddress), amount, toBytes32(recipient)], user);
  return at(withdrawalRequests(s, receipt), 0);
}

/** Releases the WITHDRAWAL packets of `requests` on the vault (signed under the vault's domain). */
export async function release(
  s: CreditSystem,
  attesters: readonly ethers.Wallet[],
  requests: readonly WithdrawalRequest[],
): Promise<{ receipt: ethers.TransactionReceipt; results: ReleaseResultEvent[] }> {
  const packets = requests.map((w) => withdrawalPacket(s, w));
  const receipt = await send(s.vault, 'submitReleases', [packets, FAR_FUTURE, signBatch(attesters, s.vaultDomain, packets)]);
  return { receipt, results: releaseResults(s, receipt) };
}

/** Carries release results back to the receiver. */
export function settle(s: CreditSystem, attesters: readonly ethers.Wallet[], results: readonly ReleaseResultEvent[]): Promise<ethers.TransactionReceipt> {
  return submitToReceiver(s, attesters, results.map((r) => releaseResultPacket(s, r)));
}

/** guid of a packet. */
export function guidOf(packet: string): string {
  return packetOf(packet).guid;
}
