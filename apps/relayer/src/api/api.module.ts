import { Module } from '@nestjs/common';
import { ChainsModule } from '../chains/chains.module';
import { PosterModule } from '../poster/poster.module';
import { StoreModule } from '../store/store.module';
import { AdminController } from './admin.controller';
import { AdminTokenGuard } from './admin-token.guard';
import { ApiService } from './api.service';
import { DepositsController } from './deposits.controller';
import { StatusController } from './status.controller';

@Module({
  imports: [StoreModule, ChainsModule, PosterModule],
  controllers: [DepositsController, StatusController, AdminController],
  providers: [ApiService, AdminTokenGuard],
})
export class ApiModule {}
