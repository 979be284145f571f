import { Module } from '@nestjs/common';
import { AttesterModule } from '../attester/attester.module';
import { ChainsModule } from '../chains/chains.module';
import { ValuationModule } from '../valuation/valuation.module';
import { MarkerService } from './marker.service';
import { MarksController } from './marks.controller';

/** The marker: asset marks posted to the receiver's `submitMarks` (its loop is in the pipeline), and GET /marks. */
@Module({ imports: [ChainsModule, ValuationModule, AttesterModule], providers: [MarkerService], controllers: [MarksController], exports: [MarkerService] })
export class MarksModule {}
