import { Module } from '@nestjs/common';
import { ChainsModule } from '../chains/chains.module';
import { StoreModule } from '../store/store.module';
import { AssetRegistry } from './asset-registry';
import { ValuationService } from './valuation.service';

@Module({ imports: [ChainsModule, StoreModule], providers: [AssetRegistry, ValuationService], exports: [AssetRegistry, ValuationService] })
export class ValuationModule {}
