import { Injectable } from '@nestjs/common';
import { Brackets } from 'typeorm';
import { Database } from '../store/database';
import { Deposit } from '../store/deposit.entity';
import { MessageKind } from '../store/message-kind';
import type { PathMessage } from './solvency-identity';

/** The store's side of the solvency identity: the messages of one path and asset that can be in flight (reads only). */
@Injectable()
export class PathMessagesRepository {
  constructor(private readonly db: Database) {}

  /**
   * Locks and release results on (srcEid, vault) → dstEid of `asset` that may be in flight between the heights: nonce
   * above `lastNonce` (by idx_deposit_pathway), or block above `vaultBlock` (by idx_deposit_pathway_block). Everything
   * else is on both sides and cancels out of the identity.
   */
  async candidates(p: { srcEid: number; vault: string; dstEid: number; asset: string; lastNonce: bigint; vaultBlock: number }): Promise<PathMessage[]> {
    const rows = await this.db.reader
      .createQueryBuilder(Deposit, 'd')
      .select(['d.kind', 'd.state', 'd.releaseStatus', 'd.nonce', 'd.blockNumber', 'd.amount'])
      .where('d.srcEid = :srcEid AND d.srcVault = :vault AND d.dstEid = :dstEid AND d.token = :asset AND d.kind IN (:...kinds)', {
        srcEid: p.srcEid,
        vault: p.vault,
        dstEid: p.dstEid,
        asset: p.asset,
        kinds: [MessageKind.Credit, MessageKind.Result],
      })
      .andWhere(new Brackets((w) => w.where('d.nonce > :lastNonce', { lastNonce: Number(p.lastNonce) }).orWhere('d.blockNumber > :vaultBlock', { vaultBlock: p.vaultBlock })))
      .getMany();
    return rows.map((d) => ({ kind: d.kind, state: d.state, releaseStatus: d.releaseStatus, nonce: d.nonce, blockNumber: d.blockNumber, amount: BigInt(d.amount) }));
  }
}
