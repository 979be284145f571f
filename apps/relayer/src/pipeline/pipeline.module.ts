import { Module } from '@nestjs/common';
import { ChainsModule } from '../chains/chains.module';
import { MarksModule } from '../marks/marks.module';
import { PosterModule } from '../poster/poster.module';
import { ValuationModule } from '../valuation/valuation.module';
import { WatcherModule } from '../watcher/watcher.module';
import { PipelineService } from './pipeline.service';
import { StoreModule } from '../store/store.module';

@Module({ imports: [StoreModule, ChainsModule, WatcherModule, ValuationModule, PosterModule, MarksModule], providers: [PipelineService], exports: [PipelineService] })
export class PipelineModule {}
