import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Brakes (watcher/finality-guard.ts): why a pathway is halted (`cause`, 'solvency' for every existing row) and the
 * evidence of a finality violation; the last block per chain taken as final with its hash (re-checked every round).
 * Hand-written, additive.
 */
export class Brakes1700000000012 implements MigrationInterface {
  name = 'Brakes1700000000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "pathway_halt" ADD COLUMN "cause" text NOT NULL DEFAULT 'solvency'`);
    await q.query(`ALTER TABLE "pathway_halt" ADD COLUMN "evidence" text`);
    await q.query(`CREATE TABLE "finality_mark" ("eid" integer PRIMARY KEY NOT NULL, "block" integer NOT NULL, "blockHash" text, "highWater" integer NOT NULL, "updatedAt" bigint NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "finality_mark"`);
    await q.query(`ALTER TABLE "pathway_halt" DROP COLUMN "evidence"`);
    await q.query(`ALTER TABLE "pathway_halt" DROP COLUMN "cause"`);
  }
}
