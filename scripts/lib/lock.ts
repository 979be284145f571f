/**
 * Locking collateral on a devnet source chain: one lock at a time (waits for the receipt, returns the decoded
 * `Locked` event), or many at once for the benchmark (unlocked anvil accounts, explicit nonces, JSON-RPC batches,
 * automine off while sending, then blocks mined until the pool is empty).
 */
import { ethers, vaultInterface } from '../../contracts/ts/index';
import { addressToBytes32, type DevnetSource, type DevnetToken } from '../../test/support/devnet';

export type LockRecord = {
  guid: string;
  nonce: bigint;
  amount: bigint;
  /** bytes32 account credited on the destination. */
  account: string;
  depositor: string;
  token: string;
  srcEid: number;
  blockNumber: number;
  txHash: string;
};

const LOCKED_TOPIC = vaultInterface.getEvent('Locked')!.topicHash;

function decodeLocked(log: { topics: readonly string[]; data: string; blockNumber: number; transactionHash: string }, srcEid: number): LockRecord {
  const parsed = vaultInterface.parseLog({ topics: [...log.topics], data: log.data });
  if (parsed === null || parsed.name !== 'Locked') throw new Error(`not a Locked log in ${log.transactionHash}`);
  const a = parsed.args;
  return {
    guid: String(a.getValue('guid')).toLowerCase(),
    nonce: BigInt(a.getValue('nonce') as bigint), // Locked's uint64 nonce: a bigint from ethers
    amount: BigInt(a.getValue('amount') as bigint), // uint256: likewise
    account: String(a.getValue('account')).toLowerCase(),
    depositor: String(a.getValue('depositor')).toLowerCase(),
    token: String(a.getValue('token')).toLowerCase(),
    srcEid,
    blockNumber: log.blockNumber,
    txHash: log.transactionHash.toLowerCase(),
  };
}

/** `user` locks `amount` of `token` for `account` (default: the user's own address); waits for the receipt. */
export async function lockAndWait(source: DevnetSource, user: ethers.Wallet, token: DevnetToken, amount: bigint, account?: string): Promise<LockRecord> {
  const vault = source.vault.connect(user) as ethers.Contract; // connect() returns BaseContract; same ABI
  const tx = (await vault.getFunction('lock')(token.address, amount, addressToBytes32(account ?? user.address))) as ethers.ContractTransactionResponse;
  const receipt = await tx.wait();
  if (receipt === null) throw new Error(`lock tx ${tx.hash} has no receipt`);
  const log = receipt.logs.find((l) => l.topics[0] === LOCKED_TOPIC);
  if (log === undefined) throw new Error(`lock tx ${tx.hash} emitted no Locked event`);
  return decodeLocked(log, source.eid);
}

export type BulkLock = { user: string; token: string; amount: bigint };

type RpcResponse = { id: number; result?: unknown; error?: { code: number; message: string } };

async function rpcBatch(url: string, calls: { method: string; params: unknown[] }[]): Promise<RpcResponse[]> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(calls.map((c, id) => ({ jsonrpc: '2.0', id, ...c }))),
  });
  return (await res.json()) as RpcResponse[]; // a JSON-RPC batch answers an array of responses
}

/**
 * Sends every lock of `plan` (users must be anvil's unlocked accounts) without waiting per transaction, then mines
 * until all are included. Returns the `Locked` events in chain order and the block range they landed in.
 */
export async function lockBulk(source: DevnetSource, plan: readonly BulkLock[], rpcBatchSize = 250): Promise<{ locks: LockRecord[]; fromBlock: number; toBlock: number; gasPerLock: bigint }> {
  const { provider, url } = source.anvil;
  const nonces = new Map<string, number>();
  for (const user of new Set(plan.map((p) => p.user.toLowerCase()))) nonces.set(user, await provider.getTransactionCount(user, 'pending'));
  const fromBlock = (await provider.getBlockNumber()) + 1;
  await source.anvil.rpc('evm_setAutomine', [false]);
  try {
    const calls = plan.map((p) => {
      const from = p.user.toLowerCase();
      const nonce = nonces.get(from)!;
      nonces.set(from, nonce + 1);
      const data = vaultInterface.encodeFunctionData('lock', [p.token, p.amount, addressToBytes32(p.user)]);
      return { method: 'eth_sendTransaction', params: [{ from, to: source.vaultAddress, data, nonce: ethers.toQuantity(nonce), gas: ethers.toQuantity(200_000) }] };
    });
    for (let i = 0; i < calls.length; i += rpcBatchSize) {
      const answers = await rpcBatch(url, calls.slice(i, i + rpcBatchSize));
      const failed = answers.find((a) => a.error !== undefined);
      if (failed !== undefined) throw new Error(`eth_sendTransaction failed: ${failed.error!.message}`);
    }
    for (let guard = 0; guard < 10_000; guard++) {
      const status = await source.anvil.rpc<{ pending: string }>('txpool_status');
      if (BigInt(status.pending) === 0n) break;
      await source.anvil.mine(1);
    }
  } finally {
    await source.anvil.rpc('evm_setAutomine', [true]);
  }
  const toBlock = await provider.getBlockNumber();
  const logs = await provider.getLogs({ address: source.vaultAddress, topics: [LOCKED_TOPIC], fromBlock, toBlock });
  const locks = logs.map((l) => decodeLocked(l, source.eid));
  if (locks.length !== plan.length) throw new Error(`sent ${plan.length} locks, found ${locks.length} Locked events (reverted locks?)`);
  const sample = await provider.getTransactionReceipt(logs[0]!.transactionHash);
  return { locks, fromBlock, toBlock, gasPerLock: sample?.gasUsed ?? 0n };
}
