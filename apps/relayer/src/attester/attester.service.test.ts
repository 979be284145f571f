import { type Credit, receiverDomain, recoverBatchSigners, signBatch, vaultDomain } from '@ccr/messages';
import { keccak256, toBeHex, Wallet, zeroPadValue } from 'ethers';
import type { AppConfig } from '../config/app-config';
import { AttestationError, AttesterService } from './attester.service';

const keys = ['0x' + '11'.repeat(32), '0x' + '22'.repeat(32), '0x' + '33'.repeat(32)];
// Only attesterKeys is read by the service.
const configWith = (ks: readonly string[]): AppConfig => ({ attesterKeys: ks.map((k) => ({ reveal: () => k })) }) as unknown as AppConfig;
const domain = receiverDomain({ chainId: 31337n, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' });
const vault = vaultDomain({ chainId: 31337n, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' });
const credits = (n: number): Credit[] =>
  Array.from({ length: n }, (_, i) => ({ guid: zeroPadValue(toBeHex(i + 1), 32), payloadHash: keccak256(toBeHex(i + 7)) }) as Credit); // 0x hex of 32 bytes, as Credit wants

describe('AttesterService', () => {
  it('gives exactly what signBatch gives: digest, signers ordered by address, signatures byte for byte', async () => {
    for (const n of [1, 2, 100])
      for (const d of [domain, vault]) {
        const batch = credits(n);
        const ours = await new AttesterService(configWith(keys)).attest(d, batch, 1_800_000_000n);
        const reference = await signBatch(keys.map((k) => new Wallet(k)), d, batch, 1_800_000_000n);
        expect(ours).toEqual(reference);
        expect(recoverBatchSigners(d, batch, 1_800_000_000n, ours.signatures)).toEqual(ours.signers);
      }
  });

  it('refuses two keys with one address', async () => {
    await expect(new AttesterService(configWith([keys[0]!, keys[0]!])).attest(domain, credits(1), 1n)).rejects.toBeInstanceOf(AttestationError);
  });
});
