import { Module } from '@nestjs/common';
import { BatchRepository } from './batch.repository';
import { CursorRepository } from './cursor.repository';
import { Database } from './database';
import { DepositRepository } from './deposit.repository';

@Module({
  providers: [Database, DepositRepository, CursorRepository, BatchRepository],
  exports: [Database, DepositRepository, CursorRepository, BatchRepository],
})
export class StoreModule {}
