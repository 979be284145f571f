import { PACKET_MESSAGE_OFFSET } from '@ccr/messages';
import { Interface } from 'ethers';

/** The 4-byte selector of a submit function of `iface` (`submit(bytes,uint64,bytes)`, `submitReleases(bytes[],uint64,bytes[])`). */
export function submitSelector(iface: Interface, name: string): Buffer {
  return Buffer.from(iface.getFunction(name)!.selector.slice(2), 'hex'); // the caller names a function of the ABI
}

function word(n: number): Buffer {
  const b = Buffer.alloc(32);
  b.writeUIntBE(n, 26, 6); // lengths and offsets are far below 2^48
  return b;
}

/** ABI `bytes[]`: length, one offset per element (from the first offset word), then each element's length and padded bytes. */
function encodeBytesArray(items: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [word(items.length)];
  let offset = 32 * items.length;
  for (const item of items) {
    parts.push(word(offset));
    offset += 32 + Math.ceil(item.length / 32) * 32;
  }
  for (const item of items) {
    parts.push(word(item.length), item);
    const pad = (32 - (item.length % 32)) % 32;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  return Buffer.concat(parts);
}

const fromHex = (hex: string): Buffer => Buffer.from(hex.startsWith('0x') ? hex.slice(2) : hex, 'hex');

/**
 * `submit(bytes[] packets, uint64 validUntil, bytes[] signatures)` calldata — the receiver's `submit` and the vault's
 * `submitReleases` have this shape — the same bytes as `iface.encodeFunctionData(name, …)` (encode-submit.test.ts
 * checks it) built with Buffers: ethers' ABI coder spends ~15 ms on a 100-packet batch converting hex back and forth.
 */
export function encodeSubmit(selector: Buffer, packets: readonly string[], validUntil: bigint, signatures: readonly string[]): Buffer {
  const a = encodeBytesArray(packets.map(fromHex));
  const b = encodeBytesArray(signatures.map(fromHex));
  const until = Buffer.alloc(32);
  until.writeBigUInt64BE(validUntil, 24);
  return Buffer.concat([selector, word(96), until, word(96 + a.length), a, b]);
}

/** ABI `bytes`: its length, then its bytes padded to a 32-byte multiple. */
function encodeBytes(b: Buffer): Buffer {
  const pad = (32 - (b.length % 32)) % 32;
  return Buffer.concat([word(b.length), b, Buffer.alloc(pad)]);
}

/**
 * The receiver's `submit(bytes messages, uint64 validUntil, bytes signatures)` calldata for full `packets`: the
 * messages concatenated (every header field is in the message or fixed by the receiver, which rebuilds each header
 * and GUID and verifies the same PacketBatch signatures), the 65-byte signatures concatenated. The same bytes as
 * `iface.encodeFunctionData('submit', [concat(messages), validUntil, concat(signatures)])` (encode-submit.test.ts).
 */
export function encodeCompactSubmit(selector: Buffer, packets: readonly string[], validUntil: bigint, signatures: readonly string[]): Buffer {
  const a = encodeBytes(Buffer.concat(packets.map((p) => fromHex(p).subarray(PACKET_MESSAGE_OFFSET))));
  const b = encodeBytes(Buffer.concat(signatures.map(fromHex)));
  const until = Buffer.alloc(32);
  until.writeBigUInt64BE(validUntil, 24);
  return Buffer.concat([selector, word(96), until, word(96 + a.length), a, b]);
}
