import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '../api/admin-token.guard';
import { ChainsModule } from '../chains/chains.module';
import { StoreModule } from '../store/store.module';
import { PathwayHaltRepository } from './pathway-halt.repository';
import { PathMessagesRepository } from './path-messages.repository';
import { PathwayAdminController, SolvencyController } from './solvency.controller';
import { SolvencyService } from './solvency.service';

/**
 * Solvency reconciliation: the identity per (source chain, vault, asset) each round, GET /solvency, the halt of a
 * pathway on a confirmed discrepancy (table pathway_halt, read by the poster) and its operator resume.
 */
@Module({
  imports: [StoreModule, ChainsModule],
  controllers: [SolvencyController, PathwayAdminController],
  providers: [SolvencyService, PathwayHaltRepository, PathMessagesRepository, AdminTokenGuard],
  exports: [SolvencyService, PathwayHaltRepository],
})
export class SolvencyModule {}
