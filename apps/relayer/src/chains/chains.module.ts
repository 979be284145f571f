import { Module } from '@nestjs/common';
import { ChainRegistry } from './chain-registry';

@Module({ providers: [ChainRegistry], exports: [ChainRegistry] })
export class ChainsModule {}
