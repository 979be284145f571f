import { concat, dataSlice, hexlify, Interface, randomBytes } from 'ethers';
import { RECEIVER_ABI, VAULT_ABI } from './abis';
import { PACKET_MESSAGE_OFFSET } from '@ccr/messages';
import { encodeCompactSubmit, encodeSubmit, submitSelector } from './encode-submit';

const SIZES = [[], [0], [1], [31, 32, 33], [305, 305, 305], Array.from({ length: 100 }, (_, i) => 200 + i)];
const UNTILS = [0n, 1n, 1_800_000_000n, 2n ** 64n - 1n];

describe('encodeSubmit', () => {
  it('gives the ABI coder’s bytes for CollateralVault.submitReleases: empty, short, word-sized and long elements, any validUntil', () => {
    const iface = new Interface(VAULT_ABI);
    SIZES.forEach((packetSizes, i) => {
      const packets = packetSizes.map((n) => hexlify(randomBytes(n)));
      const signatures = [hexlify(randomBytes(65)), hexlify(randomBytes(65))];
      const validUntil = UNTILS[i % UNTILS.length]!;
      const expected = iface.encodeFunctionData('submitReleases', [packets, validUntil, signatures]);
      expect(`0x${encodeSubmit(submitSelector(iface, 'submitReleases'), packets, validUntil, signatures).toString('hex')}`).toBe(expected);
    });
  });
});

describe('encodeCompactSubmit', () => {
  it('gives the ABI coder’s bytes for MarginCreditReceiver.submit: the messages after each 113-byte header, concatenated, and the signatures concatenated', () => {
    const iface = new Interface(RECEIVER_ABI);
    SIZES.forEach((messageSizes, i) => {
      const packets = messageSizes.map((n) => hexlify(randomBytes(PACKET_MESSAGE_OFFSET + n)));
      const signatures = Array.from({ length: (i % 3) + 1 }, () => hexlify(randomBytes(65)));
      const validUntil = UNTILS[i % UNTILS.length]!;
      const messages = packets.length === 0 ? '0x' : concat(packets.map((p) => dataSlice(p, PACKET_MESSAGE_OFFSET)));
      const expected = iface.encodeFunctionData('submit', [messages, validUntil, concat(signatures)]);
      expect(`0x${encodeCompactSubmit(submitSelector(iface, 'submit'), packets, validUntil, signatures).toString('hex')}`).toBe(expected);
    });
  });
});
