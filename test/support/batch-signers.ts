/**
 * Who signed a transaction to the receiver: the attesters recovered from its calldata — `submit(messages, validUntil,
 * signatures)` (the packet batch: each body's packet rebuilt, as the receiver does) or `submitMarks(marks, validUntil,
 * signatures)` — under the receiver's EIP-712 domain. For tests and the demo (`--json` could list each credit's
 * signers with it); no jest import.
 */
import { type AnyMessage, type AttestedPacket, buildCreditPacket, buildReleaseResultPacket, buildVoidPacket, bytesToHex, decodeMessage, MESSAGE_LENGTHS, MessageType, receiverDomain, recoverBatchSigners, recoverMarkBatchSigners } from '@ccr/messages';
import { ethers } from '../../contracts/ts/index';
import { addressToBytes32, type Devnet } from './devnet';

/** The message types the receiver's `submit` takes. */
const SUBMIT_TYPES: ReadonlySet<number> = new Set([MessageType.Credit, MessageType.Void, MessageType.ReleaseResult]);

/** 65-byte signatures of a packed blob. */
function splitSignatures(blob: string): string[] {
  const b = ethers.getBytes(blob);
  return Array.from({ length: b.length / 65 }, (_, i) => ethers.hexlify(b.subarray(65 * i, 65 * i + 65)));
}

/** The signer addresses (checksummed, in calldata order) of the receiver transaction `txHash`. */
export async function receiverTxSigners(devnet: Devnet, txHash: string): Promise<string[]> {
  const { destination } = devnet;
  const tx = await destination.anvil.provider.getTransaction(txHash);
  if (tx === null) throw new Error(`no transaction ${txHash}`);
  const domain = receiverDomain({ chainId: destination.chainId, verifyingContract: destination.receiverAddress });
  const parsed = destination.receiver.interface.parseTransaction({ data: tx.data });
  if (parsed?.name === 'submitMarks') {
    const [marks, validUntil, signatures] = parsed.args as unknown as [string, bigint, string]; // submitMarks(bytes, uint64, bytes)
    const b = ethers.getBytes(marks);
    const bodies = Array.from({ length: b.length / 78 }, (_, i) => bytesToHex(b.subarray(78 * i, 78 * i + 78)));
    return recoverMarkBatchSigners(domain, bodies, validUntil, splitSignatures(signatures));
  }
  if (parsed?.name !== 'submit') throw new Error(`${txHash} is not a submit or submitMarks to the receiver`);
  const [messages, validUntil, signatures] = parsed.args as unknown as [string, bigint, string]; // submit(bytes, uint64, bytes)
  const blob = ethers.getBytes(messages);
  const receiver = addressToBytes32(destination.receiverAddress);
  const packets: AttestedPacket[] = [];
  for (let at = 0; at < blob.length; ) {
    const type = blob[at + 1] ?? 0;
    const length = SUBMIT_TYPES.has(type) ? MESSAGE_LENGTHS[type as MessageType] : undefined; // SUBMIT_TYPES holds three MessageType values only
    if (length === undefined) throw new Error(`unknown message type ${blob[at + 1]} at byte ${at}`);
    const m = decodeMessage(bytesToHex(blob.subarray(at, at + length))) as AnyMessage; // CREDIT, VOID or RELEASE_RESULT by its type byte
    const to = { dstEid: destination.eid, receiver };
    const packet = m.messageType === MessageType.Credit ? buildCreditPacket(m, to) : m.messageType === MessageType.Void ? buildVoidPacket(m, to) : m.messageType === MessageType.ReleaseResult ? buildReleaseResultPacket(m, to) : undefined;
    if (packet === undefined) throw new Error('a WITHDRAWAL in a receiver batch');
    packets.push({ guid: packet.guid, payloadHash: packet.payloadHash });
    at += length;
  }
  return recoverBatchSigners(domain, packets, validUntil, splitSignatures(signatures));
}
