import { Module } from '@nestjs/common';
import { ChainsModule } from '../chains/chains.module';
import { LimitsModule } from '../limits/limits.module';
import { StoreModule } from '../store/store.module';
import { AssetRegistry } from './asset-registry';
import { ValuationService } from './valuation.service';

@Module({ imports: [ChainsModule, StoreModule, LimitsModule], providers: [AssetRegistry, ValuationService], exports: [AssetRegistry, ValuationService] })
export class ValuationModule {}
