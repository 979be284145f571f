import { Module } from '@nestjs/common';
import { AttesterModule } from '../attester/attester.module';
import { ChainsModule } from '../chains/chains.module';
import { StoreModule } from '../store/store.module';
import { PosterService } from './poster.service';

@Module({ imports: [ChainsModule, StoreModule, AttesterModule], providers: [PosterService], exports: [PosterService] })
export class PosterModule {}
