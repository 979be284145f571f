import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Batch fee bookkeeping for replacing a stuck transaction (same nonce, higher fees). Hand-written, additive. */
export class FeeBump1700000000001 implements MigrationInterface {
  name = 'FeeBump1700000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "batch" ADD COLUMN "maxFeePerGas" text`);
    await q.query(`ALTER TABLE "batch" ADD COLUMN "maxPriorityFeePerGas" text`);
    await q.query(`ALTER TABLE "batch" ADD COLUMN "estimateMaxFeePerGas" text`);
    await q.query(`ALTER TABLE "batch" ADD COLUMN "estimateMaxPriorityFeePerGas" text`);
    await q.query(`ALTER TABLE "batch" ADD COLUMN "replacedTxHashes" text`);
    await q.query(`ALTER TABLE "batch" ADD COLUMN "broadcastAt" integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const column of ['broadcastAt', 'replacedTxHashes', 'estimateMaxPriorityFeePerGas', 'estimateMaxFeePerGas', 'maxPriorityFeePerGas', 'maxFeePerGas'])
      await q.query(`ALTER TABLE "batch" DROP COLUMN "${column}"`);
  }
}
