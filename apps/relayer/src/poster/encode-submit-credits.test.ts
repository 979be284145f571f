import { hexlify, randomBytes } from 'ethers';
import { encodeSubmitCredits } from './encode-submit-credits';
import { receiverInterface } from './receiver-client';

describe('encodeSubmitCredits', () => {
  it('gives the ABI coder’s bytes for empty, short, word-sized and long elements', () => {
    const sizes = [[], [0], [1], [31, 32, 33], [305, 305, 305], Array.from({ length: 100 }, (_, i) => 200 + i)];
    for (const packetSizes of sizes) {
      const packets = packetSizes.map((n) => hexlify(randomBytes(n)));
      const signatures = [hexlify(randomBytes(65)), hexlify(randomBytes(65))];
      const expected = receiverInterface.encodeFunctionData('submitCredits', [packets, signatures]);
      expect(`0x${encodeSubmitCredits(packets, signatures).toString('hex')}`).toBe(expected);
    }
  });
});
