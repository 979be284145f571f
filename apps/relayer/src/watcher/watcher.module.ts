import { Module } from '@nestjs/common';
import { ChainsModule } from '../chains/chains.module';
import { StoreModule } from '../store/store.module';
import { ChainProgress } from './chain-progress';
import { WatcherService } from './watcher.service';

@Module({ imports: [ChainsModule, StoreModule], providers: [WatcherService, ChainProgress], exports: [WatcherService, ChainProgress] })
export class WatcherModule {}
