import { hexlify, Interface, randomBytes } from 'ethers';
import { RECEIVER_ABI, VAULT_ABI } from './abis';
import { encodeSubmit, submitSelector } from './encode-submit';

describe('encodeSubmit', () => {
  it.each([
    ['MarginCreditReceiver.submit', new Interface(RECEIVER_ABI), 'submit'],
    ['CollateralVault.submitReleases', new Interface(VAULT_ABI), 'submitReleases'],
  ])('gives the ABI coder’s bytes for %s: empty, short, word-sized and long elements, any validUntil', (_, iface, fn) => {
    const sizes = [[], [0], [1], [31, 32, 33], [305, 305, 305], Array.from({ length: 100 }, (_, i) => 200 + i)];
    const untils = [0n, 1n, 1_800_000_000n, 2n ** 64n - 1n];
    sizes.forEach((packetSizes, i) => {
      const packets = packetSizes.map((n) => hexlify(randomBytes(n)));
      const signatures = [hexlify(randomBytes(65)), hexlify(randomBytes(65))];
      const validUntil = untils[i % untils.length]!;
      const expected = iface.encodeFunctionData(fn, [packets, validUntil, signatures]);
      expect(`0x${encodeSubmit(submitSelector(iface, fn), packets, validUntil, signatures).toString('hex')}`).toBe(expected);
    });
  });
});
