import { Module } from '@nestjs/common';
import { StoreModule } from '../store/store.module';
import { LimitsController } from './limits.controller';
import { LimitsRepository } from './limits.repository';
import { LimitsService } from './limits.service';

/** Per source chain notional (sliding window) and single-transfer limits, applied by valuation; GET /limits. */
@Module({ imports: [StoreModule], controllers: [LimitsController], providers: [LimitsRepository, LimitsService], exports: [LimitsService] })
export class LimitsModule {}
