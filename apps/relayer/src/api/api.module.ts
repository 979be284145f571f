import { ReadinessMonitor } from './readiness-monitor';
import { Module } from '@nestjs/common';
import { ChainsModule } from '../chains/chains.module';
import { PosterModule } from '../poster/poster.module';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsService } from '../metrics/metrics.service';
import { SolvencyModule } from '../solvency/solvency.module';
import { StoreModule } from '../store/store.module';
import { WatcherModule } from '../watcher/watcher.module';
import { AdminController } from './admin.controller';
import { AdminTokenGuard } from './admin-token.guard';
import { ApiService } from './api.service';
import { DepositsController } from './deposits.controller';
import { StatusController } from './status.controller';
import { WithdrawalsController } from './withdrawals.controller';

@Module({
  imports: [StoreModule, ChainsModule, PosterModule, WatcherModule, SolvencyModule],
  controllers: [DepositsController, WithdrawalsController, StatusController, AdminController, MetricsController],
  providers: [ApiService, AdminTokenGuard, MetricsService, ReadinessMonitor],
})
export class ApiModule {}
