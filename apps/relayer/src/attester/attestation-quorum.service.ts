import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { QuorumAttestationProvider } from './quorum-attestation-provider';

/**
 * The relayer's one quorum of attesters (quorum-attestation-provider.ts), shared by the poster (PacketBatches) and the
 * marker (MarkBatches), so /health and the metrics show each attester's answers to both. Undefined when `attesters`
 * lists no remote attester: today's mode, every key this process holds signs.
 */
@Injectable()
export class AttestationQuorumService {
  readonly provider: QuorumAttestationProvider | undefined;

  constructor(config: AppConfig, metrics: MetricsRegistry, clock: Clock) {
    this.provider =
      config.remoteAttesters.length === 0
        ? undefined
        : new QuorumAttestationProvider({
            localKeys: config.attesterKeys.map((k) => k.reveal()),
            remotes: config.remoteAttesters,
            threshold: config.attestationThreshold,
            timeoutMs: config.attestation.timeoutMs,
            metrics,
            clock,
            logger: new Logger('Attesters'),
          });
  }
}
