/**
 * What actually happened on the destination chain, read from the chain alone (not from the relayer):
 * every `Credited` event of the receiver, and every transaction the poster account sent with its receipt.
 * Used to prove "each GUID credited exactly once, no reverted posts" and to measure gas per credit.
 */
import { ethers, receiverInterface } from '../../contracts/ts/index';

const CREDITED_TOPIC = receiverInterface.getEvent('Credited')!.topicHash;

export type CreditedEvent = {
  guid: string;
  account: string;
  /** assetKey(srcEid, asset) = keccak256(abi.encode(srcEid, asset)). */
  key: string;
  rawAmount: bigint;
  txHash: string;
  blockNumber: number;
};

export type PosterTx = { hash: string; nonce: number; blockNumber: number; status: number; gasUsed: bigint; credits: number; timestamp: number };

export type CreditAudit = {
  events: CreditedEvent[];
  /** GUID → number of Credited events. */
  countByGuid: Map<string, number>;
  duplicates: string[];
  missing: string[];
  unexpected: string[];
  posterTxs: PosterTx[];
  reverted: PosterTx[];
  /** The poster's account nonce on chain: equals posterTxs.length when every sent tx was found. */
  posterNonce: number;
};

/** All `Credited` events of `receiver` from block 0 to latest. */
export async function creditedEvents(provider: ethers.JsonRpcProvider, receiver: string): Promise<CreditedEvent[]> {
  const logs = await provider.getLogs({ address: receiver, topics: [CREDITED_TOPIC], fromBlock: 0, toBlock: 'latest' });
  return logs.map((log) => {
    const parsed = receiverInterface.parseLog({ topics: log.topics, data: log.data });
    if (parsed === null) throw new Error(`undecodable Credited log in ${log.transactionHash}`);
    const a = parsed.args;
    return {
      guid: String(a.getValue('guid')).toLowerCase(),
      account: String(a.getValue('account')).toLowerCase(),
      key: String(a.getValue('key')).toLowerCase(),
      rawAmount: BigInt(a.getValue('rawAmount') as bigint), // Credited's uint256 rawAmount: a bigint from ethers
      txHash: log.transactionHash.toLowerCase(),
      blockNumber: log.blockNumber,
    };
  });
}

/** Every transaction `from` sent on the chain (scans all blocks; fine on a devnet), with its receipt. */
export async function transactionsFrom(provider: ethers.JsonRpcProvider, from: string, fromBlock = 0): Promise<PosterTx[]> {
  const latest = await provider.getBlockNumber();
  const wanted = from.toLowerCase();
  const out: PosterTx[] = [];
  const blockNumbers = Array.from({ length: latest - fromBlock + 1 }, (_, i) => fromBlock + i);
  for (let i = 0; i < blockNumbers.length; i += 32) {
    const blocks = await Promise.all(blockNumbers.slice(i, i + 32).map((n) => provider.getBlock(n, true)));
    for (const block of blocks) {
      if (block === null) continue;
      for (const tx of block.prefetchedTransactions) {
        if (tx.from.toLowerCase() !== wanted) continue;
        const receipt = await provider.getTransactionReceipt(tx.hash);
        if (receipt === null) throw new Error(`no receipt for mined tx ${tx.hash}`);
        out.push({
          hash: tx.hash.toLowerCase(),
          nonce: tx.nonce,
          blockNumber: receipt.blockNumber,
          status: receipt.status ?? 0,
          gasUsed: receipt.gasUsed,
          credits: receipt.logs.filter((l) => l.topics[0] === CREDITED_TOPIC).length,
          timestamp: block.timestamp,
        });
      }
    }
  }
  return out;
}

/** Compares the chain's credits with the GUIDs that were locked. */
export async function auditCredits(p: { provider: ethers.JsonRpcProvider; receiver: string; poster: string; expectedGuids: readonly string[] }): Promise<CreditAudit> {
  const events = await creditedEvents(p.provider, p.receiver);
  const countByGuid = new Map<string, number>();
  for (const e of events) countByGuid.set(e.guid, (countByGuid.get(e.guid) ?? 0) + 1);
  const expected = new Set(p.expectedGuids.map((g) => g.toLowerCase()));
  const posterTxs = await transactionsFrom(p.provider, p.poster);
  return {
    events,
    countByGuid,
    duplicates: [...countByGuid].filter(([, n]) => n > 1).map(([g]) => g),
    missing: [...expected].filter((g) => !countByGuid.has(g)),
    unexpected: [...countByGuid.keys()].filter((g) => !expected.has(g)),
    posterTxs,
    reverted: posterTxs.filter((t) => t.status !== 1),
    posterNonce: await p.provider.getTransactionCount(p.poster, 'latest'),
  };
}
