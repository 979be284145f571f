import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiModule } from './api/api.module';
import { Clock } from './common/clock';
import { AppConfig } from './config/app-config';
import type { RelayerConfig } from './config/load-config';
import { MetricsRegistry } from './metrics/metrics-registry';
import { PipelineModule } from './pipeline/pipeline.module';
import { SolvencyModule } from './solvency/solvency.module';
import { StressModule } from './stress/stress.module';
import { dataSourceOptions } from './store/data-source-options';

export type AppModuleOptions = {
  /** Replace the wall clock (tests). */
  clock?: Clock | undefined;
};

/** Config, clock and the in-memory metrics, visible to every module. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: RelayerConfig, options: AppModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: options.clock ?? new Clock() },
        MetricsRegistry,
      ],
      exports: [AppConfig, Clock, MetricsRegistry],
    };
  }
}

/**
 * The relayer: watch → value → attest → post → confirm, plus the API. Modules in pipeline order:
 * config → store → chains → watcher → valuation → attester → poster → pipeline → solvency → api.
 */
@Module({})
export class AppModule {
  static forRoot(config: RelayerConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, options),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.database.path), retryAttempts: 0 }),
        PipelineModule,
        SolvencyModule,
        ApiModule,
        StressModule,
      ],
    };
  }
}
