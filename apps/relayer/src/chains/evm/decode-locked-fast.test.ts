import { Interface } from 'ethers';
import { VAULT_ABI } from './abis';
import { decodeLockedFast, type LockLog } from './evm-chain-adapter';

const vault = new Interface(VAULT_ABI);
const base = { address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', blockNumber: 7, blockHash: '0x' + 'AB'.repeat(32), transactionHash: '0x' + 'CD'.repeat(32), index: 3 };

function log(args: { dstEid: number; nonce: bigint; guid: string; depositor: string; account: string; token: string; amount: bigint }): Omit<LockLog, 'removed'> {
  const encoded = vault.encodeEventLog('Locked', [args.dstEid, args.nonce, args.guid, args.depositor, args.account, args.token, args.amount]);
  return { ...base, topics: encoded.topics, data: encoded.data };
}

describe('decodeLockedFast', () => {
  it('decodes a Locked log to what the ABI decoder gives, normalised (lowercase bytes32)', () => {
    const l = log({ dstEid: 40200, nonce: 2n ** 64n - 1n, guid: '0x' + 'EF'.repeat(32), depositor: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', account: '0x' + '0A'.repeat(32), token: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0', amount: 2n ** 255n + 1n });
    const parsed = vault.parseLog(l)!.args;
    expect(decodeLockedFast(l, 40101)).toEqual({
      kind: 'credit',
      receiver: null,
      recipient: null,
      voidedNonce: null,
      withdrawalGuid: null,
      withdrawalNonce: null,
      releaseStatus: null,
      guid: String(parsed.getValue('guid')).toLowerCase(),
      srcEid: 40101,
      srcVault: '0x0000000000000000000000005fbdb2315678afecb367f032d93f642f64180aa3',
      dstEid: 40200,
      nonce: 2n ** 64n - 1n,
      depositor: '0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8',
      account: '0x' + '0a'.repeat(32),
      token: '0x0000000000000000000000009fe46736679d2d9a65f0992f2272de9f3c7fa6e0',
      amount: 2n ** 255n + 1n,
      blockNumber: 7,
      blockHash: '0x' + 'ab'.repeat(32),
      txHash: '0x' + 'cd'.repeat(32),
      logIndex: 3,
    });
  });

  it('leaves any other shape to the ABI decoder (undefined)', () => {
    const l = log({ dstEid: 1, nonce: 1n, guid: '0x' + '01'.repeat(32), depositor: base.address, account: '0x' + '02'.repeat(32), token: base.address, amount: 1n });
    expect(decodeLockedFast({ ...l, topics: l.topics.slice(0, 3) }, 1)).toBeUndefined();
    expect(decodeLockedFast({ ...l, data: l.data.slice(0, -2) }, 1)).toBeUndefined();
    expect(decodeLockedFast({ ...l, topics: ['0x' + '00'.repeat(32), ...l.topics.slice(1)] }, 1)).toBeUndefined();
    expect(decodeLockedFast({ ...l, data: `0x${'ff'.repeat(32)}${l.data.slice(66)}` }, 1)).toBeUndefined(); // depositor word with dirty high bytes
  });
});
