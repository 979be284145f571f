import { Injectable } from '@nestjs/common';
import { type Credit, type CreditDomain, signBatch, type SignBatchReturnType } from '@ccr/messages';
import { Wallet } from 'ethers';
import { AppConfig } from '../config/app-config';

/**
 * Signs CreditBatch digests (EIP-712) with every attester key this relayer holds. On a devnet one relayer may
 * hold several keys to meet a threshold > 1; in production each attester runs its own signer.
 * Signatures come back ordered by signer address, as the receiver requires.
 */
@Injectable()
export class AttesterService {
  private readonly signers: Wallet[];

  constructor(config: AppConfig) {
    this.signers = config.attesterKeys.map((key) => new Wallet(key.reveal()));
  }

  addresses(): string[] {
    return this.signers.map((s) => s.address);
  }

  attest(domain: CreditDomain, credits: readonly Credit[]): Promise<SignBatchReturnType> {
    return signBatch(this.signers, domain, credits);
  }
}
