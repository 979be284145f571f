import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Limits (apps/relayer/src/limits): the admissions table, and an index for the window's credited sums (a source
 * chain's credits by state and credit time). Hand-written, additive.
 */
export class Limits1700000000011 implements MigrationInterface {
  name = 'Limits1700000000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "limit_admission" ("guid" text PRIMARY KEY NOT NULL, "srcEid" integer NOT NULL, "haircutValue" text NOT NULL, "admittedAt" bigint NOT NULL, "released" integer NOT NULL DEFAULT (0))`);
    await q.query(`CREATE INDEX "idx_limit_admission_src" ON "limit_admission" ("srcEid")`);
    await q.query(`CREATE INDEX "idx_deposit_src_state_credited" ON "deposit" ("srcEid", "state", "creditedAt")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_deposit_src_state_credited"`);
    await q.query(`DROP INDEX "idx_limit_admission_src"`);
    await q.query(`DROP TABLE "limit_admission"`);
  }
}
