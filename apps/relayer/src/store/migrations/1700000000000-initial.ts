import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hand-written: the schema is changed only by new migrations, never by `synchronize`. */
export class Initial1700000000000 implements MigrationInterface {
  name = 'Initial1700000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "deposit" (
      "guid" text PRIMARY KEY NOT NULL,
      "srcEid" integer NOT NULL,
      "srcVault" text NOT NULL,
      "dstEid" integer NOT NULL,
      "nonce" integer NOT NULL,
      "depositor" text NOT NULL,
      "account" text NOT NULL,
      "token" text NOT NULL,
      "amount" text NOT NULL,
      "blockNumber" integer NOT NULL,
      "blockHash" text NOT NULL,
      "txHash" text NOT NULL,
      "logIndex" integer NOT NULL,
      "state" text NOT NULL,
      "reason" text,
      "reasonDetail" text,
      "symbol" text,
      "assetDecimals" integer,
      "price" text,
      "priceTimestamp" integer,
      "haircut" text,
      "sizeWeight" text,
      "haircutValue" text,
      "valuedAt" integer,
      "batchId" integer,
      "creditTxHash" text,
      "attempts" integer NOT NULL DEFAULT (0),
      "nextAttemptAt" integer,
      "createdAt" integer NOT NULL,
      "updatedAt" integer NOT NULL,
      "creditedAt" integer
    )`);
    await q.query(`CREATE INDEX "idx_deposit_state" ON "deposit" ("state")`);
    await q.query(`CREATE INDEX "idx_deposit_pathway" ON "deposit" ("srcEid", "srcVault", "nonce")`);
    await q.query(`CREATE INDEX "idx_deposit_account" ON "deposit" ("account")`);
    await q.query(`CREATE TABLE "deposit_transition" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "guid" text NOT NULL,
      "from" text,
      "to" text NOT NULL,
      "reason" text,
      "at" integer NOT NULL,
      "detail" text
    )`);
    await q.query(`CREATE INDEX "idx_transition_guid" ON "deposit_transition" ("guid", "id")`);
    await q.query(`CREATE TABLE "chain_cursor" (
      "eid" integer NOT NULL,
      "kind" text NOT NULL,
      "block" integer NOT NULL,
      "updatedAt" integer NOT NULL,
      PRIMARY KEY ("eid", "kind")
    )`);
    await q.query(`CREATE TABLE "batch" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "dstEid" integer NOT NULL,
      "guids" text NOT NULL,
      "digest" text NOT NULL,
      "state" text NOT NULL,
      "txHash" text,
      "txNonce" integer,
      "rawTx" text,
      "gasUsed" text,
      "error" text,
      "createdAt" integer NOT NULL,
      "updatedAt" integer NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "batch"`);
    await q.query(`DROP TABLE "chain_cursor"`);
    await q.query(`DROP TABLE "deposit_transition"`);
    await q.query(`DROP TABLE "deposit"`);
  }
}
