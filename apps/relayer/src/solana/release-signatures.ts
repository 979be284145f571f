import { PublicKey, type Keypair } from '@solana/web3.js';
import { buildReleaseMessage, type ReleasePlan, signReleaseMessage, verifyReleaseSignature } from '../chains/solana/release-transaction';
import { describeError } from '../common/relayer-error';
import type { RemoteAttester } from '../config/load-config';
import { ATTEST_SOLANA_RELEASE_PATH, type AttestSolanaReleaseRequest } from '../attester/attest-api';

/** One attester that can sign Solana releases: a key this process holds, or a remote attester process. */
export type ReleaseSigner = { name: string; publicKey: PublicKey } & ({ kind: 'local'; keypair: Keypair } | { kind: 'remote'; attester: RemoteAttester });

/** What one attester answered for one release message. */
export type ReleaseSignatureOutcome = { ok: true; signature: Uint8Array } | { ok: false; detail: string };

/** Asks one signer for its signature over `message` (a remote one over POST /attest/solana-release); checks the signature. */
export async function askSigner(signer: ReleaseSigner, eid: number, message: Uint8Array, timeoutMs: number): Promise<ReleaseSignatureOutcome> {
  if (signer.kind === 'local') return { ok: true, signature: signReleaseMessage(message, signer.keypair) };
  const body: AttestSolanaReleaseRequest = { eid, message: Buffer.from(message).toString('base64') };
  let response: Response;
  try {
    response = await fetch(`${signer.attester.url}${ATTEST_SOLANA_RELEASE_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${signer.attester.token.reveal()}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { ok: false, detail: `unreachable: ${describeError(error)}` };
  }
  let answer: unknown;
  try {
    answer = await response.json();
  } catch {
    return { ok: false, detail: `HTTP ${response.status}: no JSON answer` };
  }
  if (response.status !== 200) return { ok: false, detail: `HTTP ${response.status}: ${JSON.stringify(answer).slice(0, 300)}` };
  const signature = typeof answer === 'object' && answer !== null && 'signature' in answer ? answer.signature : undefined;
  if (typeof signature !== 'string' || !/^0x[0-9a-f]{128}$/i.test(signature)) return { ok: false, detail: 'a 200 answer without a 64-byte signature' };
  const bytes = Buffer.from(signature.slice(2), 'hex');
  if (!verifyReleaseSignature(message, signer.publicKey, bytes)) return { ok: false, detail: `the signature does not verify under ${signer.publicKey.toBase58()}` };
  return { ok: true, signature: bytes };
}

export type GatherParameters = {
  eid: number;
  /** The plan without its signers: they are chosen here. */
  plan: Omit<ReleasePlan, 'signers'>;
  /** Every attester that can sign (a multisig signer), in config order: the first `threshold` are asked first. */
  candidates: readonly ReleaseSigner[];
  threshold: number;
  timeoutMs: number;
};

export type GatherReturnType =
  | { ok: true; message: Uint8Array; signatures: Map<string, Uint8Array>; signers: string[] }
  | { ok: false; refusals: { signer: string; detail: string }[] };

/**
 * Threshold signatures over one release message. The message names its transfer signers, so a set is chosen first
 * (the first `threshold` candidates not yet found failing), all of them are asked in parallel, and each one that
 * refuses or fails is swapped for the next candidate — which changes the message, so the set is asked again — until a
 * set signs or fewer than `threshold` candidates are left.
 */
export async function gatherReleaseSignatures(p: GatherParameters): Promise<GatherReturnType> {
  const failed = new Map<string, string>();
  for (;;) {
    const set = p.candidates.filter((c) => !failed.has(c.publicKey.toBase58())).slice(0, p.threshold);
    if (set.length < p.threshold) return { ok: false, refusals: [...failed].map(([signer, detail]) => ({ signer, detail })) };
    const message = buildReleaseMessage({ ...p.plan, signers: set.map((s) => s.publicKey) });
    const answers = await Promise.all(set.map((s) => askSigner(s, p.eid, message, p.timeoutMs)));
    const signatures = new Map<string, Uint8Array>();
    answers.forEach((a, i) => {
      const key = set[i]!.publicKey.toBase58();
      if (a.ok) signatures.set(key, a.signature);
      else failed.set(key, `${set[i]!.name}: ${a.detail}`);
    });
    if (signatures.size === set.length) return { ok: true, message, signatures, signers: set.map((s) => s.name) };
  }
}

/** A remote attester's Solana key, as configured. */
export function remoteReleaseSigner(attester: RemoteAttester): ReleaseSigner | undefined {
  return attester.solanaAddress === undefined ? undefined : { kind: 'remote', name: attester.name, publicKey: new PublicKey(attester.solanaAddress), attester };
}
