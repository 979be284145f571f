import type { Address, AttestationDomain, AttestedPacket, Hex, SignBatchReturnType } from '@ccr/messages';
import { recoverAddress, Wallet } from 'ethers';
import { RelayerError } from '../common/relayer-error';
import { batchDigestFast } from './batch-digest-fast';

/** A signature that does not recover its signer, or two keys with one address: never sent. */
export class AttestationError extends RelayerError {
  override readonly name = 'AttestationError' as const;
  constructor(reason: string, readonly signer: string) {
    super(`attestation refused: ${reason}`, { details: { signer } });
  }
}

/** Attester keys as wallets, ordered by address (the order the receiver wants their signatures in). */
export type AttesterSigners = readonly { wallet: Wallet; address: Address; order: bigint }[];

export function attesterSigners(privateKeys: readonly string[]): AttesterSigners {
  return privateKeys
    .map((key) => {
      const wallet = new Wallet(key);
      return { wallet, address: wallet.address as Address, order: BigInt(wallet.address) }; // Wallet.address is a checksummed 0x address
    })
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
}

/**
 * Every key signs the PacketBatch EIP-712 digest of `packets` and `validUntil` under `domain` (the receiver's or a vault's): the same output as `signBatch` of @ccr/messages
 * (attester.service.test.ts checks it byte for byte), but the digest is computed ONCE per batch (`batchDigestFast`,
 * equal to `batchDigest`) and each key signs it, instead of every signer re-encoding the whole typed-data batch: that
 * encoding, not the ECDSA, was the cost. Each signature is checked to recover its signer (low-s and v ∈ {27, 28}
 * come from ethers' SigningKey).
 */
export function attestBatch(signers: AttesterSigners, domain: AttestationDomain, packets: readonly AttestedPacket[], validUntil: bigint): SignBatchReturnType {
  for (let i = 1; i < signers.length; i++) if (signers[i]!.order === signers[i - 1]!.order) throw new AttestationError('two attester keys with one address', signers[i]!.address);
  const digest = batchDigestFast(domain, packets, validUntil);
  const signatures = signers.map(({ wallet, address }) => {
    const signature = wallet.signingKey.sign(digest).serialized as Hex; // 0x r ‖ s ‖ v, 65 bytes
    if (recoverAddress(digest, signature) !== address) throw new AttestationError('signature does not recover its signer', address);
    return signature;
  });
  return { digest, signers: signers.map((s) => s.address), signatures };
}
