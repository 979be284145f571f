import { Injectable, Logger } from '@nestjs/common';
import { AttestationQuorumService } from '../attester/attestation-quorum.service';
import { AttesterService } from '../attester/attester.service';
import { ChainRegistry } from '../chains/chain-registry';
import { EvmChainAdapter } from '../chains/evm/evm-chain-adapter';
import { EvmMarkChain } from '../chains/evm/evm-mark-chain';
import { Clock } from '../common/clock';
import { RelayerError } from '../common/relayer-error';
import { AppConfig } from '../config/app-config';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { AssetRegistry } from '../valuation/asset-registry';
import { Marker, type MarkerView, type MarkRoundResult } from './marker';

/** A marker round asked for while `marks` is not configured. */
export class MarkerDisabledError extends RelayerError {
  override readonly name = 'MarkerDisabledError' as const;
  constructor() {
    super('the marker is off: no `marks` block in the config');
  }
}

/** The derivatives chain's family has no MarkChain implementation. */
export class UnsupportedMarkChainError extends RelayerError {
  override readonly name = 'UnsupportedMarkChainError' as const;
  constructor(readonly chain: string, readonly family: string) {
    super(`the marker cannot post to ${chain}: no mark chain for family ${family}`, { details: { chain, family } });
  }
}

/** GET /marks: the marker's settings and every asset's mark, last guarded price, decision, last tx and error. */
export type MarksView = MarkerView & {
  enabled: boolean;
  receiver: string | null;
  /** The marker's sending account (`marks.posterKey`). */
  sender: string | null;
  intervalMs: number | null;
  deviationBps: number | null;
  heartbeatSeconds: number | null;
};

/**
 * The marker (marker.ts) of the derivatives chain's receiver, built from the config: every configured asset, the
 * attester keys, and a sending account of its own (`marks.posterKey`). Off (no loop, GET /marks says so) when the
 * config has no `marks` block.
 */
@Injectable()
export class MarkerService {
  readonly marker: Marker | undefined;
  private readonly sender: string | null = null;

  constructor(
    private readonly config: AppConfig,
    assets: AssetRegistry,
    chains: ChainRegistry,
    attester: AttesterService,
    metrics: MetricsRegistry,
    clock: Clock,
    quorum: AttestationQuorumService,
  ) {
    const marks = config.marks;
    const key = config.marksPosterKey;
    if (marks === undefined || key === undefined) return;
    const destination = chains.destination();
    const adapter = chains.get(destination.eid);
    // The only chain family today; a Solana receiver would bring its own MarkChain (marks/mark-chain.ts).
    if (!(adapter instanceof EvmChainAdapter)) throw new UnsupportedMarkChainError(destination.name, adapter.family);
    const chain = new EvmMarkChain(destination, adapter.pool, key.reveal());
    this.sender = chain.senderAddress;
    this.marker = new Marker({
      chain,
      assets: assets.all(),
      readFeed: (asset) => chains.get(asset.config.feed.eid).readFeed(asset.config.feed.address),
      // Remote attesters configured: the same quorum as the poster's (each attester prices the mark itself); else the local keys.
      attest: (domain, bodies, validUntil) => quorum.provider?.attestMarks(domain, bodies, validUntil) ?? attester.attestMarks(domain, bodies, validUntil),
      metrics,
      clock,
      logger: new Logger('Marker'),
      settings: {
        deviationBps: marks.deviationBps,
        heartbeatSeconds: marks.heartbeatSeconds,
        attestationTtlSeconds: config.pipeline.attestationTtlSeconds,
        receiptTimeoutMs: config.pipeline.receiptTimeoutMs,
      },
    });
  }

  get enabled(): boolean {
    return this.marker !== undefined;
  }

  /** One marker round (the pipeline's marks loop; tests drive it by hand). */
  round(): Promise<MarkRoundResult> {
    if (this.marker === undefined) return Promise.reject(new MarkerDisabledError());
    return this.marker.round();
  }

  view(): MarksView {
    const marks = this.config.marks;
    const base = this.marker?.view() ?? { lastRoundAt: null, lastError: null, pendingTxHash: null, assets: [] };
    return {
      enabled: this.marker !== undefined,
      receiver: this.marker === undefined ? null : (this.config.chains.find((c) => c.role === 'destination')?.receiver ?? null),
      sender: this.sender,
      intervalMs: marks?.intervalMs ?? null,
      deviationBps: marks?.deviationBps ?? null,
      heartbeatSeconds: marks?.heartbeatSeconds ?? null,
      ...base,
    };
  }
}
