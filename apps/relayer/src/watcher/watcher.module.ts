import { Module } from '@nestjs/common';
import { ChainsModule } from '../chains/chains.module';
import { StoreModule } from '../store/store.module';
import { WatcherService } from './watcher.service';

@Module({ imports: [ChainsModule, StoreModule], providers: [WatcherService], exports: [WatcherService] })
export class WatcherModule {}
