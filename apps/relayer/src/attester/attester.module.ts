import { Module } from '@nestjs/common';
import { AttestationQuorumService } from './attestation-quorum.service';
import { AttesterService } from './attester.service';

@Module({ providers: [AttesterService, AttestationQuorumService], exports: [AttesterService, AttestationQuorumService] })
export class AttesterModule {}
