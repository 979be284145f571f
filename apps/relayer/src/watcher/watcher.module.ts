import { Module } from '@nestjs/common';
import { ChainsModule } from '../chains/chains.module';
import { PathwayHaltRepository } from '../solvency/pathway-halt.repository';
import { StoreModule } from '../store/store.module';
import { ChainProgress } from './chain-progress';
import { FinalityGuard } from './finality-guard';
import { FinalityMarkRepository } from './finality-mark.repository';
import { WatcherService } from './watcher.service';

/**
 * The watcher of every chain and its finality guard. The guard writes halts to pathway_halt through its own
 * PathwayHaltRepository (a stateless repository): not the SolvencyModule, whose job and admin API an attester process
 * (attester-role.module.ts, which imports this module) must not get.
 */
@Module({ imports: [ChainsModule, StoreModule], providers: [WatcherService, ChainProgress, FinalityMarkRepository, FinalityGuard, PathwayHaltRepository], exports: [WatcherService, ChainProgress] })
export class WatcherModule {}
