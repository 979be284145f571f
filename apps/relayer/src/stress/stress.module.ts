import { Module } from '@nestjs/common';
import { ChainRegistry } from '../chains/chain-registry';
import { ChainsModule } from '../chains/chains.module';
import { StoreModule } from '../store/store.module';
import { StressController } from './stress.controller';
import { BOOK_CHAIN, bookChainOf, StressService } from './stress.service';

/** Stress over the live book: GET/POST /risk/stress (docs/stress.md); the CLI (stress-cli.ts) uses the same service. */
@Module({
  imports: [StoreModule, ChainsModule],
  controllers: [StressController],
  providers: [StressService, { provide: BOOK_CHAIN, inject: [ChainRegistry], useFactory: bookChainOf }],
  exports: [StressService],
})
export class StressModule {}
