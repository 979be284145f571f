import { getBytes, keccak256, toUtf8Bytes } from 'ethers';
import { Keypair } from '@solana/web3.js';
import type { SecretKey } from '../../config/secret-key';

/** Domain of the attesters' Solana keys: a Solana key is never the EVM key's bytes themselves. */
const ATTESTER_SOLANA_DOMAIN = toUtf8Bytes('ccr/solana-attester/v1');

/**
 * An attester's Solana key (its SPL Token multisig signer; docs/solana.md "Keys"): the ed25519 key whose seed is
 * keccak256("ccr/solana-attester/v1" ‖ the attester's 32-byte EVM key). One secret per attester to keep and back up;
 * the two keys are never the same bytes, and neither can be computed from the other's public key.
 */
export function attesterSolanaKeypair(evmKey: SecretKey | string): Keypair {
  const key = getBytes(typeof evmKey === 'string' ? evmKey : evmKey.reveal());
  return Keypair.fromSeed(getBytes(keccak256(new Uint8Array([...ATTESTER_SOLANA_DOMAIN, ...key]))));
}

/** A Solana account from a configured 32-byte ed25519 seed (hex): the poster of a Solana chain. */
export function solanaKeypairFromSeed(seed: SecretKey | string): Keypair {
  return Keypair.fromSeed(getBytes(typeof seed === 'string' ? seed : seed.reveal()));
}
