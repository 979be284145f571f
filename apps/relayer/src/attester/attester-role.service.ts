import { Injectable, Logger } from '@nestjs/common';
import type { z } from 'zod';
import { ChainRegistry } from '../chains/chain-registry';
import { EvmChainAdapter } from '../chains/evm/evm-chain-adapter';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DepositRepository } from '../store/deposit.repository';
import { AssetRegistry } from '../valuation/asset-registry';
import { createHash } from 'node:crypto';
import type { Keypair } from '@solana/web3.js';
import { signReleaseMessage } from '../chains/solana/release-transaction';
import { attesterSolanaKeypair } from '../chains/solana/solana-keys';
import { verifyRelease } from '../solana/verify-release';
import { type AttestRefusal, type attestMarksRequestSchema, type attestRequestSchema, type attestSolanaReleaseRequestSchema, RefusalReason } from './attest-api';
import { attesterSigners } from './attest-batch';
import { AttestVerifier, type VerifyReturnType } from './attest-verifier';
import { EvmFeedRounds, type FeedRounds } from './feed-rounds';

/** GET /health of the attester role: who signs, and what it answered so far. */
export type AttesterRoleStats = {
  signer: string;
  signed: number;
  refused: number;
  lastRefusal: { at: string; refusals: AttestRefusal[] } | null;
};

/**
 * The attester role's service: the verifier (attest-verifier.ts) over this process's own store, asset registry and
 * chains, with its one key. Each answer is logged (a refusal with every reason).
 */
@Injectable()
export class AttesterRoleService {
  private readonly logger = new Logger('Attester');
  private readonly verifier: AttestVerifier;
  private readonly stats: AttesterRoleStats;

  private readonly solanaKey: Keypair;

  constructor(
    private readonly config: AppConfig,
    private readonly deposits: DepositRepository,
    assets: AssetRegistry,
    private readonly chains: ChainRegistry,
    private readonly clock: Clock,
  ) {
    this.solanaKey = attesterSolanaKeypair(config.attesterKeys[0]!); // the attester role holds exactly one key (load-config.ts)
    const feeds = new Map<number, FeedRounds>();
    for (const chain of config.chains) {
      const adapter = chains.get(chain.eid);
      // The only chain family today; another family brings its own FeedRounds.
      if (adapter instanceof EvmChainAdapter) feeds.set(chain.eid, new EvmFeedRounds(chain.name, adapter.pool));
    }
    const settings = config.attester;
    if (settings === undefined) throw new Error('the attester role needs an `attester` block'); // load-config.ts refuses the role without one
    this.verifier = new AttestVerifier({
      chains: config.chains,
      settings,
      rows: deposits,
      assets,
      feeds: (eid) => {
        const f = feeds.get(eid);
        if (f === undefined) throw new Error(`no feed reader for eid ${eid}`); // every configured chain has one
        return f;
      },
      clock,
      signer: attesterSigners(config.attesterKeys.map((k) => k.reveal())),
    });
    this.stats = { signer: this.verifier.address, signed: 0, refused: 0, lastRefusal: null };
  }

  /** Its Solana multisig signer (base58). */
  get solanaSigner(): string {
    return this.solanaKey.publicKey.toBase58();
  }

  get address(): string {
    return this.verifier.address;
  }

  /** Also its Solana multisig signer (derived from its key: chains/solana/solana-keys.ts), which an operator lists in the vault's multisig and as `solanaAddress`. */
  view(): AttesterRoleStats & { solanaSigner: string } {
    return { ...this.stats, solanaSigner: this.solanaKey.publicKey.toBase58() };
  }

  async attest(request: z.output<typeof attestRequestSchema>): Promise<VerifyReturnType> {
    return this.answered(`a batch of ${request.items.length}`, await this.verifier.verify(request));
  }

  async attestMarks(request: z.output<typeof attestMarksRequestSchema>): Promise<VerifyReturnType> {
    return this.answered(`a mark batch of ${request.marks.length}`, await this.verifier.verifyMarks(request));
  }

  /**
   * A Solana vault's release (solana/verify-release.ts): signed with this attester's Solana key only when the message
   * pays exactly a withdrawal its own watcher saw at finality, not released yet, over the nonce's settled value.
   */
  async attestSolanaRelease(request: z.output<typeof attestSolanaReleaseRequestSchema>): Promise<VerifyReturnType> {
    const signer = this.solanaKey.publicKey.toBase58();
    const chain = this.config.chains.find((c) => c.eid === request.eid && c.family === 'solana');
    const message = new Uint8Array(Buffer.from(request.message, 'base64'));
    const refuse = (reason: RefusalReason, guid: string | null, detail: string): VerifyReturnType => ({ refused: [{ index: null, guid, reason, detail }] });
    if (chain === undefined) return this.answered('a Solana release', refuse(RefusalReason.UnknownDomain, null, `eid ${request.eid} is not a Solana chain of this attester`));
    const check = await verifyRelease({ adapter: this.chains.solana(chain.eid), message, rows: this.deposits, signer: this.solanaKey.publicKey, awaitMs: this.config.attester?.awaitMs ?? 0 });
    if (!check.ok) return this.answered('a Solana release', refuse(check.reason, null, check.detail));
    const signature = `0x${Buffer.from(signReleaseMessage(message, this.solanaKey)).toString('hex')}`;
    const digest = `0x${createHash('sha256').update(message).digest('hex')}`;
    this.stats.signed++;
    this.logger.log(`signed the Solana release of withdrawal ${check.intent.memo.withdrawalGuid} (${check.intent.amount} of ${check.intent.mint.toBase58()} to ${check.intent.recipient.toBase58()}) as ${signer}`);
    return { signed: { signer, digest, signature } };
  }

  private answered(what: string, outcome: VerifyReturnType): VerifyReturnType {
    if ('signed' in outcome) {
      this.stats.signed++;
      this.logger.log(`signed ${what} (${outcome.signed.digest})`);
    } else {
      this.stats.refused++;
      this.stats.lastRefusal = { at: this.clock.now().toISOString(), refusals: outcome.refused };
      this.logger.warn(`refused ${what}: ${outcome.refused.map((r) => `${r.index === null ? 'batch' : `#${r.index}${r.guid === null ? '' : ` ${r.guid}`}`} ${r.reason} (${r.detail})`).join('; ')}`);
    }
    return outcome;
  }
}
