import { type Address, type Hex, markBatchDigest, type ReceiverDomain } from '@ccr/messages';
import type { Logger } from '@nestjs/common';
import type { Clock } from '../common/clock';
import { RelayerError } from '../common/relayer-error';
import type { RemoteAttester } from '../config/load-config';
import type { MetricsRegistry } from '../metrics/metrics-registry';
import type { AttestationProvider } from '../poster/attestation-provider';
import { buildBatchPackets, encodeBatchCalldata, type PrepareBatchParameters, type PreparedBatch } from '../poster/prepare-batch';
import { attestBatch, type AttesterSigners, attesterSigners } from './attest-batch';
import { attestMarkBatch, type AttestMarkBatchReturnType } from './attest-mark-batch';
import type { AttestRefusal } from './attest-api';
import { batchDigestFast } from './batch-digest-fast';
import { type ProposalOutcome, RemoteAttesterClient } from './remote-attester-client';

/** What did not count from one attester for one batch: its refusal reason(s), or a transport/signature problem. */
export type AttesterProblem = { attester: string; reason: string; detail: string };

/** Fewer valid signatures than the threshold: the batch is not sent (the poster holds it, 'attestation-quorum'). */
export class AttestationQuorumError extends RelayerError {
  override readonly name = 'AttestationQuorumError' as const;
  constructor(readonly threshold: number, readonly signed: readonly string[], readonly problems: readonly AttesterProblem[]) {
    super(
      `${signed.length} of ${threshold} signatures: ${problems.map((p) => `${p.attester} ${p.reason}${p.detail === '' ? '' : ` (${p.detail})`}`).join('; ') || 'no answer'}`,
      { details: { threshold, signed, problems } },
    );
  }
}

/** One attester as GET /health shows it (`attesters[]`). */
export type AttesterStatus = {
  name: string;
  address: string;
  /** `local`: a key this process holds; else the remote attester's URL. */
  url: string | null;
  /** The last answer: signed (`ok`), refused, or the transport/signature problem (`timeout`, `unreachable`, `bad-signature` …); `unknown` before the first. */
  state: string;
  lastAnswerAt: string | null;
  lastSignedAt: string | null;
  /** The last answer that did not count: reason and detail (a refusal's reasons per item, joined). */
  lastProblem: { reason: string; detail: string; at: string } | null;
  signed: number;
  refused: number;
};

export type QuorumAttestationProviderParameters = {
  /** Keys this process holds (may be none). */
  localKeys: readonly string[];
  remotes: readonly RemoteAttester[];
  threshold: number;
  timeoutMs: number;
  metrics: MetricsRegistry;
  clock: Clock;
  logger: Logger;
};

/**
 * The attestation provider of the independent-attester mode (docs/two-way-book.md "Independent attesters"): each
 * batch is built here (packets, digest), signed by the local keys (if any), and proposed to every remote attester in
 * parallel (each checks it against its own chain view, attest-verifier.ts). As soon as `threshold` valid signatures
 * are in — each recovered over this process's own digest and checked to be its attester's configured address — the
 * batch goes on with exactly `threshold` of them, ordered by signer (answers after that still update /health and the
 * metrics). A slow, dead, refusing or lying attester costs nothing while the others make the threshold; below it by
 * `timeoutMs` (or once every attester answered) the batch fails with AttestationQuorumError, and the poster holds
 * its messages ('attestation-quorum') for the retry schedule.
 */
export class QuorumAttestationProvider implements AttestationProvider {
  private readonly local: AttesterSigners;
  private readonly clients: RemoteAttesterClient[];
  private readonly statuses = new Map<string, AttesterStatus>();

  constructor(private readonly p: QuorumAttestationProviderParameters) {
    this.local = attesterSigners(p.localKeys);
    this.clients = p.remotes.map((r) => new RemoteAttesterClient(r));
    for (const s of this.local)
      this.statuses.set(s.address, { name: s.address, address: s.address, url: null, state: 'ok', lastAnswerAt: null, lastSignedAt: null, lastProblem: null, signed: 0, refused: 0 });
    for (const r of p.remotes)
      this.statuses.set(r.address, { name: r.name, address: r.address, url: r.url, state: 'unknown', lastAnswerAt: null, lastSignedAt: null, lastProblem: null, signed: 0, refused: 0 });
  }

  /** Every attester, local keys first, then the remote ones in config order. */
  status(): AttesterStatus[] {
    return [...this.statuses.values()].map((s) => ({ ...s }));
  }

  async prepare(params: PrepareBatchParameters): Promise<PreparedBatch> {
    const packets = buildBatchPackets(params);
    const attested = packets.map((x) => ({ guid: x.guid, payloadHash: x.payloadHash }));
    const digest = batchDigestFast(params.domain, attested, params.validUntil);
    const items = params.messages.map((m, i) => ({ guid: m.guid, message: packets[i]!.message })); // one packet per message
    const { signers, signatures } = await this.collect(
      () => attestBatch(this.local, params.domain, attested, params.validUntil),
      (client) => client.propose({ domain: params.domain, packets: attested, items, validUntil: params.validUntil, digest, timeoutMs: this.p.timeoutMs }),
    );
    return { attestation: { digest, signers, signatures }, calldata: encodeBatchCalldata(params, packets, signatures) };
  }

  /** The marker's MarkBatch{marks, validUntil}: the same quorum, over POST /attest/marks (AttestationQuorumError below it). */
  async attestMarks(domain: ReceiverDomain, marks: readonly Hex[], validUntil: bigint): Promise<AttestMarkBatchReturnType> {
    const digest = markBatchDigest(domain, marks, validUntil);
    const { signers, signatures } = await this.collect(
      () => attestMarkBatch(this.local, domain, marks, validUntil),
      (client) => client.proposeMarks({ domain, marks, validUntil, digest, timeoutMs: this.p.timeoutMs }),
    );
    return { digest, signers, signatures };
  }

  /**
   * The local keys' signatures, then (while short of the threshold) every remote attester asked in parallel until the
   * threshold is met or each one answered or timed out. Exactly `threshold` signatures, ordered by signer.
   */
  private async collect(signLocally: () => { signers: readonly string[]; signatures: readonly Hex[] }, propose: (client: RemoteAttesterClient) => Promise<ProposalOutcome>): Promise<{ signers: Address[]; signatures: Hex[] }> {
    const signatures = new Map<string, Hex>();
    if (this.local.length > 0) {
      const own = signLocally();
      own.signers.forEach((signer, i) => signatures.set(signer, own.signatures[i]!)); // signatures[i] is by signers[i]
      for (const signer of own.signers) this.record(signer, { ok: true, signature: '' });
    }
    const problems: AttesterProblem[] = [];
    if (signatures.size < this.p.threshold && this.clients.length > 0) {
      await new Promise<void>((done) => {
        let pending = this.clients.length;
        for (const client of this.clients) {
          void propose(client)
            .catch((error: unknown): ProposalOutcome => ({ ok: false, kind: 'failed', problem: 'bad-answer', detail: String(error) }))
            .then((outcome) => {
              const problem = this.record(client.attester.address, outcome);
              // After the quorum was reached the answer still shows in /health and the metrics, but changes nothing.
              if (outcome.ok) signatures.set(client.attester.address, outcome.signature as Hex); // checked hex by the client
              else if (problem !== undefined) problems.push(problem);
              pending--;
              if (signatures.size >= this.p.threshold || pending === 0) done();
            });
        }
      });
    }
    const signers = [...signatures.keys()].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)).slice(0, this.p.threshold);
    if (signers.length < this.p.threshold) throw new AttestationQuorumError(this.p.threshold, signers, problems);
    return { signers: signers as Address[], signatures: signers.map((s) => signatures.get(s)!) }; // every signer came from the map; checksummed addresses
  }

  async close(): Promise<void> {
    // Nothing held open: each proposal is one fetch with its own timeout.
  }

  /** Updates the attester's status and metrics with one answer; returns what did not count (undefined: signed). */
  private record(address: string, outcome: ProposalOutcome): AttesterProblem | undefined {
    const s = this.statuses.get(address);
    if (s === undefined) return undefined;
    const at = this.p.clock.now().toISOString();
    s.lastAnswerAt = at;
    if (outcome.ok) {
      if (s.state !== 'ok' && s.state !== 'unknown') this.p.logger.log(`attester ${s.name} signs again (was ${s.state})`);
      s.state = 'ok';
      s.lastSignedAt = at;
      s.signed++;
      return undefined;
    }
    const problem: AttesterProblem =
      outcome.kind === 'refused'
        ? { attester: s.name, reason: [...new Set(outcome.refusals.map((r) => r.reason))].join(','), detail: outcome.refusals.slice(0, 3).map(describeRefusal).join('; ') }
        : { attester: s.name, reason: outcome.problem, detail: outcome.detail };
    const reasons = outcome.kind === 'refused' ? new Set(outcome.refusals.map((r) => r.reason)) : new Set([outcome.problem]);
    for (const reason of reasons) this.p.metrics.inc('ccr_attester_refusals_total', { attester: s.name, reason });
    const state = outcome.kind === 'refused' ? 'refused' : outcome.problem;
    // Logged when it changes (an attester down for an hour is one line, not one per batch).
    if (s.state !== state || s.lastProblem?.reason !== problem.reason) this.p.logger.warn(`attester ${s.name} did not sign: ${problem.reason} — ${problem.detail}`);
    s.state = state;
    s.refused++;
    s.lastProblem = { reason: problem.reason, detail: problem.detail, at };
    return problem;
  }
}

function describeRefusal(r: AttestRefusal): string {
  return `${r.index === null ? 'batch' : `#${r.index}`} ${r.reason}: ${r.detail}`;
}
