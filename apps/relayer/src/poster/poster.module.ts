import { Module } from '@nestjs/common';
import { AttesterModule } from '../attester/attester.module';
import { ChainsModule } from '../chains/chains.module';
import { SolvencyModule } from '../solvency/solvency.module';
import { StoreModule } from '../store/store.module';
import { PosterService } from './poster.service';

@Module({ imports: [ChainsModule, StoreModule, AttesterModule, SolvencyModule], providers: [PosterService], exports: [PosterService] })
export class PosterModule {}
