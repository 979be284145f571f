/**
 * Micro-benchmark: µs per `buildCreditPacket` call over 20,000 calls, and the same for the lz-v2-utilities path it
 * must match byte for byte (`encodeCreditMessage` + `encodePacket`).
 *
 *   npx tsx packages/messages/bench/buildCreditPacket.ts
 *
 * Prints figures only (no assertion on time); the README's table comes from this script.
 */
import { performance } from 'node:perf_hooks';
import { type BuildCreditPacketReturnType, buildCreditPacket, type CreditMessage, creditMessageFromJson, encodeCreditMessage, encodePacket } from '../src';
import { loadVectors } from '../test-utils/vectors';

const CALLS = 20_000;
const WARMUP = 2_000;
const DST_EID = 40200;

const messages: CreditMessage[] = loadVectors().creditMessages.map((v) => creditMessageFromJson(v.fields));
const receivers = {
  'bytes32 receiver': `0x${'00'.repeat(12)}${'ab'.repeat(20)}`,
  'checksummed EVM address receiver': '0x5FbDB2315678afecb367f032d93F642f64180aa3',
} as const;

type Build = (msg: CreditMessage, receiver: string) => BuildCreditPacketReturnType;

const fast: Build = (msg, receiver) => buildCreditPacket(msg, { dstEid: DST_EID, receiver });
const reference: Build = (msg, receiver) => {
  const message = encodeCreditMessage(msg);
  const encoded = encodePacket({ nonce: msg.depositNonce, srcEid: msg.srcEid, sender: msg.srcVault, dstEid: DST_EID, receiver, message });
  return { ...encoded, message };
};

function microsPerCall(build: Build, receiver: string): number {
  let sink = 0;
  for (let i = 0; i < WARMUP; i++) sink += build(messages[i % messages.length]!, receiver).packet.length; // index modulo length
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) sink += build(messages[i % messages.length]!, receiver).packet.length; // index modulo length
  const elapsed = performance.now() - start;
  if (sink === 0) throw new Error('unreachable: keeps the loop from being optimised away');
  return (elapsed * 1000) / CALLS;
}

for (const [label, receiver] of Object.entries(receivers)) {
  const a = microsPerCall(reference, receiver);
  const b = microsPerCall(fast, receiver);
  console.log(`${label}: lz-v2-utilities path ${a.toFixed(1)} µs/call, buildCreditPacket ${b.toFixed(1)} µs/call (${(a / b).toFixed(1)}×) over ${CALLS} calls`);
}
