import { Module } from '@nestjs/common';
import { BatchRepository } from './batch.repository';
import { CursorRepository } from './cursor.repository';
import { Database } from './database';
import { DepositLogRepository } from './deposit-log.repository';
import { DepositRepository } from './deposit.repository';
import { MessageStatsRepository } from './message-stats.repository';

@Module({
  providers: [Database, DepositRepository, DepositLogRepository, MessageStatsRepository, CursorRepository, BatchRepository],
  exports: [Database, DepositRepository, DepositLogRepository, MessageStatsRepository, CursorRepository, BatchRepository],
})
export class StoreModule {}
