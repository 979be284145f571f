import { NonceAccount, PublicKey } from '@solana/web3.js';
import { describeError } from '../../common/relayer-error';
import { type ConfigIssue, formatPath } from '../../config/config-error';
import type { RelayerConfig } from '../../config/load-config';
import { BOOT_READ_RETRY_MS, retryRpcRead } from '../retry-rpc-read';
import type { SolanaChainAdapter } from './solana-chain-adapter';
import { attesterSolanaKeypair, solanaKeypairFromSeed } from './solana-keys';

/** Multisig signatures a release transaction (release-transaction.ts) has room for. */
const MAX_RELEASE_SIGNERS = 5;

/** The Solana adapter of a configured chain (ChainRegistry.solana). */
export type SolanaAdapterReader = { solana(eid: number): SolanaChainAdapter };

/**
 * What a Solana chain says about its config, as config issues (boot check, beside the asset checks of
 * check-chain-config.ts): `vault` is an initialized SPL Token multisig; every configured attester's Solana key (derived
 * for the keys this process holds, `solanaAddress` for remote ones) is one of its signers, and the attestation threshold
 * is at least its m (else releases could need more signatures than batches do, or fewer); the nonce account is a
 * durable nonce whose authority is the poster's Solana account (relayer role). The multisig's m may be below the
 * attestation threshold (a release then needs fewer signatures than a batch), never above it, and at most 5. A read
 * that fails with an RPC error is tried again after each of `retryDelaysMs` first.
 */
export async function solanaChainIssues(config: Pick<RelayerConfig, 'chains' | 'attesterKeys' | 'remoteAttesters' | 'attestationThreshold' | 'solanaPosterKeys' | 'role'>, chains: SolanaAdapterReader, retryDelaysMs: readonly number[] = BOOT_READ_RETRY_MS): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  for (const [i, chain] of config.chains.entries()) {
    if (chain.family !== 'solana') continue;
    const adapter = chains.solana(chain.eid);
    const at = (...path: (string | number)[]): string => formatPath(['chains', i, ...path]);
    try {
      const multisig = await retryRpcRead(() => adapter.multisigInfo(), retryDelaysMs);
      const signers = new Set(multisig.signers);
      const ours = [...config.attesterKeys.map((k) => attesterSolanaKeypair(k).publicKey.toBase58()), ...config.remoteAttesters.map((r) => r.solanaAddress).filter((a): a is string => a !== undefined)];
      for (const key of ours) if (!signers.has(key)) issues.push({ path: at('vault'), message: `attester Solana key ${key} is not a signer of the multisig ${chain.vault} (its signers: ${multisig.signers.join(', ')})` });
      // A legacy transaction is at most 1,232 bytes: a release with more than 5 multisig signatures does not fit.
      if (multisig.threshold > MAX_RELEASE_SIGNERS)
        issues.push({ path: at('vault'), message: `the multisig needs ${multisig.threshold} signatures; a release transaction fits at most ${MAX_RELEASE_SIGNERS} (1,232 bytes)` });
      if (config.role === 'relayer' && multisig.threshold > config.attestationThreshold)
        issues.push({ path: at('vault'), message: `the multisig needs ${multisig.threshold} signatures, more than the attestation threshold ${config.attestationThreshold}` });
    } catch (error) {
      issues.push({ path: at('vault'), message: describeError(error) });
    }
    if (config.role !== 'relayer') continue;
    try {
      const info = await retryRpcRead(() => adapter.rpc.call('getAccountInfo', (c) => c.getAccountInfo(adapter.nonceAccount, 'finalized')), retryDelaysMs);
      const poster = config.solanaPosterKeys.get(chain.eid);
      if (info === null) issues.push({ path: at('solana', 'nonceAccount'), message: `${adapter.nonceAccount.toBase58()} does not exist` });
      else {
        let authority: PublicKey | undefined;
        try {
          authority = NonceAccount.fromAccountData(info.data).authorizedPubkey;
        } catch {
          issues.push({ path: at('solana', 'nonceAccount'), message: `${adapter.nonceAccount.toBase58()} is not a durable nonce account` });
        }
        if (authority !== undefined && poster !== undefined && !authority.equals(solanaKeypairFromSeed(poster).publicKey))
          issues.push({ path: at('solana', 'nonceAccount'), message: `its authority ${authority.toBase58()} is not the poster's Solana account ${solanaKeypairFromSeed(poster).publicKey.toBase58()}` });
      }
    } catch (error) {
      issues.push({ path: at('solana', 'nonceAccount'), message: describeError(error) });
    }
  }
  return issues;
}
