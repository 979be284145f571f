import { encodeMarkMessage, type Hex, markBatchDigest, MessageType, receiverDomain, recoverMarkBatchSigners, signMarkBatch } from '@ccr/messages';
import { Wallet } from 'ethers';
import type { AppConfig } from '../config/app-config';
import { AttestationError, AttesterService } from './attester.service';

const keys = ['0x' + '11'.repeat(32), '0x' + '22'.repeat(32), '0x' + '33'.repeat(32)];
// Only attesterKeys is read by the service.
const configWith = (ks: readonly string[]): AppConfig => ({ attesterKeys: ks.map((k) => ({ reveal: () => k })) }) as unknown as AppConfig;
const domain = receiverDomain({ chainId: 31337n, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' });
const marks = (n: number): Hex[] =>
  Array.from({ length: n }, (_, i) =>
    encodeMarkMessage({
      version: 1,
      messageType: MessageType.Revaluation,
      srcEid: 40101,
      asset: `0x${(i + 1).toString(16).padStart(64, '0')}`,
      markNonce: BigInt(i + 1),
      price: 2_000n * 10n ** 18n + BigInt(i),
      priceTimestamp: 1_750_000_000n,
      haircut: 10n ** 17n,
    }),
  );

describe('AttesterService.attestMarks', () => {
  it('gives exactly what signMarkBatch gives: signatures byte for byte, ordered by signer, over markBatchDigest', async () => {
    for (const n of [1, 2, 20]) {
      const batch = marks(n);
      const ours = new AttesterService(configWith(keys)).attestMarks(domain, batch, 1_800_000_000n);
      expect(ours.signatures).toEqual(await signMarkBatch(keys.map((k) => new Wallet(k)), domain, batch, 1_800_000_000n));
      expect(ours.digest).toBe(markBatchDigest(domain, batch, 1_800_000_000n));
      expect(recoverMarkBatchSigners(domain, batch, 1_800_000_000n, ours.signatures)).toEqual(ours.signers);
      expect(ours.signers).toEqual(keys.map((k) => new Wallet(k).address).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
    }
  });

  it('refuses two keys with one address', () => {
    expect(() => new AttesterService(configWith([keys[0]!, keys[0]!])).attestMarks(domain, marks(1), 1n)).toThrow(AttestationError);
  });
});
