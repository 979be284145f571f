import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The solvency job (apps/relayer/src/solvency): halted pathways, and an index for its cross-height sums (messages of a
 * path mined after a block). Hand-written, additive.
 */
export class Solvency1700000000007 implements MigrationInterface {
  name = 'Solvency1700000000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "pathway_halt" ("srcEid" integer NOT NULL, "vault" text NOT NULL, "asset" text NOT NULL, "state" text NOT NULL, "discrepancy" text NOT NULL, "terms" text NOT NULL, "haltedAt" bigint NOT NULL, "acknowledged" text, "resumedAt" bigint, "resumedBy" text, PRIMARY KEY ("srcEid", "vault", "asset"))`,
    );
    await q.query(`CREATE INDEX "idx_deposit_pathway_block" ON "deposit" ("srcEid", "srcVault", "blockNumber")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_deposit_pathway_block"`);
    await q.query(`DROP TABLE "pathway_halt"`);
  }
}
