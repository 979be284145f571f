/**
 * The demo's way back out (docs/two-way-book.md): withdraw through MarginCreditReceiver.requestWithdrawal on the
 * derivatives chain and follow the relayer's GET /withdrawals/:guid until an expected outcome, mining source blocks
 * past finality meanwhile (the release, then its result, must be final on the source chain).
 */
import { ethers } from '../../contracts/ts/index';
import type { Devnet, DevnetSource, DevnetToken } from '../../test/support/devnet';
import { fetchWithdrawal, type WithdrawalJson } from './relayer-api';
import { waitFor } from './wait';

export type WithdrawalRequest = { guid: string; nonce: bigint; blockNumber: number };

/** The receiver, as the user's wallet on the derivatives chain (same key on every devnet chain). */
function receiverAs(d: Devnet, user: ethers.Wallet): ethers.Contract {
  const wallet = d.destination.anvil.accounts.find((a) => a.address === user.address);
  if (wallet === undefined) throw new Error(`no derivatives-chain wallet for ${user.address}`);
  return d.destination.receiver.connect(wallet) as ethers.Contract; // connect() keeps the ABI
}

/** requestWithdrawal(srcEid, asset, amount, recipient) by `user`; the WithdrawalRequested event's GUID and nonce. */
export async function requestWithdrawal(d: Devnet, source: DevnetSource, user: ethers.Wallet, token: DevnetToken, amount: bigint, recipient: string): Promise<WithdrawalRequest> {
  // A non-view call answers a ContractTransactionResponse.
  const tx = (await receiverAs(d, user).getFunction('requestWithdrawal')(source.eid, ethers.zeroPadValue(token.address, 32), amount, recipient)) as ethers.ContractTransactionResponse;
  const receipt = (await tx.wait())!;
  const parsed = receipt.logs.map((l) => d.destination.receiver.interface.parseLog(l)).find((l) => l?.name === 'WithdrawalRequested');
  if (parsed === undefined || parsed === null) throw new Error('no WithdrawalRequested event');
  return { guid: String(parsed.args.getValue('guid')).toLowerCase(), nonce: BigInt(parsed.args.getValue('nonce') as bigint), blockNumber: receipt.blockNumber }; // uint64 nonce: a bigint
}

/** The receiver's custom error name when `requestWithdrawal` would revert, else undefined. */
export async function refusalOf(d: Devnet, source: DevnetSource, user: ethers.Wallet, token: DevnetToken, amount: bigint, recipient: string): Promise<string | undefined> {
  try {
    await receiverAs(d, user).getFunction('requestWithdrawal').staticCall(source.eid, ethers.zeroPadValue(token.address, 32), amount, recipient);
    return undefined;
  } catch (error) {
    const data = (error as { data?: unknown }).data; // ethers' call errors are objects; a CallExceptionError holds the revert data
    const parsed = typeof data === 'string' ? d.destination.receiver.interface.parseError(data) : null;
    return parsed === null ? String(error) : `${parsed.name}(${parsed.args.map(String).join(', ')})`;
  }
}

/** Polls GET /withdrawals/:guid until its outcome is one of `outcomes`, mining 70 blocks on the source while the vault side is not final. */
export async function awaitWithdrawal(api: string, source: DevnetSource, guid: string, outcomes: readonly string[], timeoutMs = 60_000): Promise<WithdrawalJson> {
  return waitFor(
    `withdrawal ${guid} ${outcomes.join('/')}`,
    async () => {
      const w = await fetchWithdrawal(api, guid);
      if (w !== undefined && outcomes.includes(w.outcome)) return w;
      if (w !== undefined && (w.request.state === 'CONFIRMING' || w.request.state === 'DELIVERED')) await source.anvil.mine(70);
      return undefined;
    },
    timeoutMs,
    200,
  );
}
