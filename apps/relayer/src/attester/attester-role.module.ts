import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CoreModule, type AppModuleOptions } from '../app.module';
import { ChainsModule } from '../chains/chains.module';
import type { RelayerConfig } from '../config/load-config';
import { dataSourceOptions } from '../store/data-source-options';
import { StoreModule } from '../store/store.module';
import { ValuationModule } from '../valuation/valuation.module';
import { WatcherModule } from '../watcher/watcher.module';
import { AttesterPipeline } from './attester-pipeline';
import { AttesterRoleController } from './attester-role.controller';
import { AttesterRoleService } from './attester-role.service';
import { AttesterTokenGuard } from './attester-token.guard';

/**
 * `--role attester`: the same config, store, chains, watcher and valuation as the relayer — its own database, RPC URLs
 * and key — plus the attest API (attester-role.controller.ts); no poster, marker, solvency job or operator API.
 */
@Module({})
export class AttesterRoleModule {
  static forRoot(config: RelayerConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AttesterRoleModule,
      imports: [
        CoreModule.forRoot(config, options),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.database.path), retryAttempts: 0 }),
        StoreModule,
        ChainsModule,
        WatcherModule,
        ValuationModule,
      ],
      controllers: [AttesterRoleController],
      providers: [AttesterRoleService, AttesterPipeline, AttesterTokenGuard],
    };
  }
}
