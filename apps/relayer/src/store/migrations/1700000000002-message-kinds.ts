import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `deposit` table becomes the store of every message kind (store/message-kind.ts): credits (deposits, as before),
 * withdrawals and release results. Hand-written, additive: existing rows are credits.
 */
export class MessageKinds1700000000002 implements MigrationInterface {
  name = 'MessageKinds1700000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "deposit" ADD COLUMN "kind" text NOT NULL DEFAULT ('credit')`);
    /** The contract the packet is addressed to on dstEid (bytes32): the receiver, or a vault. */
    await q.query(`ALTER TABLE "deposit" ADD COLUMN "receiver" text`);
    /** Withdrawal: who is paid on the source chain. */
    await q.query(`ALTER TABLE "deposit" ADD COLUMN "recipient" text`);
    /** Withdrawal: the voided deposit nonce it refunds (decimal text), null for an ordinary withdrawal. */
    await q.query(`ALTER TABLE "deposit" ADD COLUMN "voidedNonce" text`);
    /** Release result: the withdrawal it answers. */
    await q.query(`ALTER TABLE "deposit" ADD COLUMN "withdrawalGuid" text`);
    await q.query(`ALTER TABLE "deposit" ADD COLUMN "withdrawalNonce" text`);
    /** Release result: 1 released, 2 failed. */
    await q.query(`ALTER TABLE "deposit" ADD COLUMN "releaseStatus" integer`);
    /** Credit: set when an operator voided it (1 unsupported-asset, 2 invalid-deposit, 3 operator). */
    await q.query(`ALTER TABLE "deposit" ADD COLUMN "voidReason" integer`);
    /** Block of the destination transaction that applied it (CONFIRMING and after). */
    await q.query(`ALTER TABLE "deposit" ADD COLUMN "deliveredBlock" integer`);
    /** Batch: the attestation's validUntil (unix seconds); an expired batch is never re-broadcast. */
    await q.query(`ALTER TABLE "batch" ADD COLUMN "validUntil" text`);
    await q.query(`CREATE INDEX "idx_deposit_destination" ON "deposit" ("dstEid", "state")`);
    await q.query(`CREATE INDEX "idx_deposit_withdrawal" ON "deposit" ("withdrawalGuid")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_deposit_withdrawal"`);
    await q.query(`DROP INDEX "idx_deposit_destination"`);
    await q.query(`ALTER TABLE "batch" DROP COLUMN "validUntil"`);
    for (const column of ['deliveredBlock', 'voidReason', 'releaseStatus', 'withdrawalNonce', 'withdrawalGuid', 'voidedNonce', 'recipient', 'receiver', 'kind']) await q.query(`ALTER TABLE "deposit" DROP COLUMN "${column}"`);
  }
}
