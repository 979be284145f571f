import { type AttestationDomain, type AttestedPacket, type Hex, type ReceiverDomain, recoverBatchSigners, recoverMarkBatchSigners } from '@ccr/messages';
import { describeError } from '../common/relayer-error';
import type { RemoteAttester } from '../config/load-config';
import { ATTEST_MARKS_PATH, ATTEST_PATH, type AttestMarksRequest, type AttestRefusal, type AttestRequest, type AttestRefusedAnswer, type AttestSignedAnswer, RefusalReason } from './attest-api';

/**
 * Why a remote attester's answer did not count (besides its own refusals, whose reasons are its RefusalReasons):
 * label values of `ccr_attester_refusals_total{reason}`.
 */
export type TransportProblem = 'timeout' | 'unreachable' | 'unauthorized' | 'http-error' | 'bad-answer' | 'bad-signature' | 'digest-mismatch';

/** One answer of one attester to one proposal. */
export type ProposalOutcome =
  | { ok: true; signature: string }
  | { ok: false; kind: 'refused'; refusals: AttestRefusal[] }
  | { ok: false; kind: 'failed'; problem: TransportProblem; detail: string };

export type ProposeParameters = {
  domain: AttestationDomain;
  /** The batch as the relayer built it (its digest is what the signature must recover to the expected address over). */
  packets: readonly AttestedPacket[];
  /** The same batch as the attester receives it: each message's GUID and body. */
  items: readonly { guid: string; message: string }[];
  validUntil: bigint;
  digest: string;
  timeoutMs: number;
};

export type ProposeMarksParameters = { domain: ReceiverDomain; marks: readonly Hex[]; validUntil: bigint; digest: string; timeoutMs: number };

/**
 * The relayer's side of one remote attester's POST /attest (attest-api.ts): proposes a batch and checks the answer.
 * A signature counts only if it is strict (65 bytes, low s, v ∈ {27, 28}) and recovers, over the relayer's own
 * digest of the batch, to the attester's configured address; an attester that signs anything else — another value,
 * another batch, with another key — is `bad-signature` (or `digest-mismatch` when it even says it signed another
 * digest), never counted.
 */
export class RemoteAttesterClient {
  constructor(readonly attester: RemoteAttester) {}

  async propose(p: ProposeParameters): Promise<ProposalOutcome> {
    const body: AttestRequest = {
      domain: wireDomain(p.domain),
      validUntil: p.validUntil.toString(),
      items: p.items.map((i) => ({ guid: i.guid, message: i.message })),
    };
    return this.post(ATTEST_PATH, body, p, (signature) => recoverBatchSigners(p.domain, p.packets, p.validUntil, [signature])[0] ?? '');
  }

  /** The same for a MarkBatch{marks, validUntil} under the receiver's domain (POST /attest/marks). */
  async proposeMarks(p: ProposeMarksParameters): Promise<ProposalOutcome> {
    const body: AttestMarksRequest = { domain: wireDomain(p.domain), validUntil: p.validUntil.toString(), marks: [...p.marks] };
    return this.post(ATTEST_MARKS_PATH, body, p, (signature) => recoverMarkBatchSigners(p.domain, p.marks, p.validUntil, [signature])[0] ?? '');
  }

  /** POST `body` to `path`; a 200 counts only with our digest and a strict signature that `recover`s to the attester's address. */
  private async post(path: string, body: unknown, p: { digest: string; timeoutMs: number }, recover: (signature: string) => string): Promise<ProposalOutcome> {
    let response: Response;
    try {
      response = await fetch(`${this.attester.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.attester.token.reveal()}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(p.timeoutMs),
      });
    } catch (error) {
      // A DOMException (not always an `instanceof Error` of this realm): by its name.
      const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      return { ok: false, kind: 'failed', problem: timedOut ? 'timeout' : 'unreachable', detail: timedOut ? `no answer within ${p.timeoutMs} ms` : describeCause(error) };
    }
    let answer: unknown;
    try {
      answer = await response.json();
    } catch (error) {
      return { ok: false, kind: 'failed', problem: response.ok ? 'bad-answer' : 'http-error', detail: `HTTP ${response.status}: ${describeError(error)}` };
    }
    if (response.status === 401) return { ok: false, kind: 'failed', problem: 'unauthorized', detail: 'HTTP 401: the attester refused our token' };
    if (response.status === 409 && isRefused(answer)) return { ok: false, kind: 'refused', refusals: answer.refused.slice(0, 50).map(sanitize) };
    if (response.status !== 200) return { ok: false, kind: 'failed', problem: 'http-error', detail: `HTTP ${response.status}: ${JSON.stringify(answer).slice(0, 300)}` };
    if (!isSigned(answer)) return { ok: false, kind: 'failed', problem: 'bad-answer', detail: 'a 200 answer without signer, digest and signature' };
    if (answer.digest.toLowerCase() !== p.digest.toLowerCase()) return { ok: false, kind: 'failed', problem: 'digest-mismatch', detail: `signed digest ${answer.digest}, the batch's is ${p.digest}` };
    let signer: string;
    try {
      signer = recover(answer.signature);
    } catch (error) {
      return { ok: false, kind: 'failed', problem: 'bad-signature', detail: describeError(error) };
    }
    if (signer !== this.attester.address) return { ok: false, kind: 'failed', problem: 'bad-signature', detail: `the signature recovers ${signer}, not ${this.attester.address}` };
    return { ok: true, signature: answer.signature };
  }
}

/** The EIP-712 domain as the API carries it (chainId a JSON number). */
function wireDomain(d: AttestationDomain): AttestRequest['domain'] {
  return { name: d.name, version: d.version, chainId: Number(d.chainId), verifyingContract: d.verifyingContract };
}

function describeCause(error: unknown): string {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error ? `${describeError(error)} (${describeError(cause)})` : describeError(error);
}

const REASONS = new Set<string>(Object.values(RefusalReason));

/** An attester's refusal as the relayer keeps it: a known reason (else `unknown-reason`: metric labels stay bounded), a short detail. */
function sanitize(r: AttestRefusal): AttestRefusal {
  return {
    index: typeof r.index === 'number' ? r.index : null,
    guid: typeof r.guid === 'string' ? r.guid.slice(0, 66) : null,
    reason: REASONS.has(r.reason) ? r.reason : ('unknown-reason' as RefusalReason), // a label outside the enum, on purpose
    detail: String(r.detail ?? '').slice(0, 300),
  };
}

function isSigned(x: unknown): x is AttestSignedAnswer {
  const a = x as Partial<AttestSignedAnswer> | null; // checked field by field below
  return typeof a === 'object' && a !== null && typeof a.signer === 'string' && typeof a.digest === 'string' && typeof a.signature === 'string';
}

function isRefused(x: unknown): x is AttestRefusedAnswer {
  const a = x as Partial<AttestRefusedAnswer> | null; // checked field by field below
  return typeof a === 'object' && a !== null && Array.isArray(a.refused) && a.refused.every((r) => typeof r === 'object' && r !== null && typeof r.reason === 'string'); // each entry checked for its reason
}
