import type { Keypair } from '@solana/web3.js';
import { attesterSolanaKeypair, solanaKeypairFromSeed } from '../chains/solana/solana-keys';
import type { RelayerConfig } from '../config/load-config';
import { type ReleaseSigner, remoteReleaseSigner } from './release-signatures';

/** The attesters that can sign Solana releases, in config order: the keys this process holds (their derived Solana keys) and the remote ones with a `solanaAddress`. */
export function releaseSigners(config: Pick<RelayerConfig, 'attesterKeys' | 'remoteAttesters'>): ReleaseSigner[] {
  const local = config.attesterKeys.map((key): ReleaseSigner => {
    const keypair = attesterSolanaKeypair(key);
    return { kind: 'local', name: keypair.publicKey.toBase58(), publicKey: keypair.publicKey, keypair };
  });
  return [...local, ...config.remoteAttesters.map(remoteReleaseSigner).filter((s): s is ReleaseSigner => s !== undefined)];
}

/** A Solana chain's poster account (load-config.ts resolves it for the relayer role on every Solana chain). */
export function solanaPoster(config: Pick<RelayerConfig, 'solanaPosterKeys'>, eid: number): Keypair {
  const key = config.solanaPosterKeys.get(eid);
  if (key === undefined) throw new Error(`no Solana poster key for eid ${eid}`); // load-config.ts requires one
  return solanaKeypairFromSeed(key);
}
