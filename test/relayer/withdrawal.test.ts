/**
 * The two-way book end to end on real anvil chains: a credited deposit withdrawn (freeze → release → finish), a
 * withdrawal refused at request, a payout that fails on the source chain and is unfrozen, and the VOID refund of a
 * deposit that can never be credited (its vault's later deposits move on).
 */
import { WithdrawalStatus, ethers } from '../../contracts/ts/index';
import { addressToBytes32 } from '../support/devnet';
import { mined } from '../support/tx';
import { type Harness, type RelayerHandle, creditedOnChain, getJson, lock, positionOf, startHarness, waitFor, waitForStates } from './harness';

jest.setTimeout(180_000);

let h: Harness;
let relayer: RelayerHandle;
let miner: NodeJS.Timeout | undefined;

type WithdrawalJson = {
  guid: string;
  outcome: string;
  amount: string;
  recipient: string;
  voidedNonce: string | null;
  releaseStatus: string | null;
  request: { state: string; txHash: string; deliveryTxHash: string | null; history: { to: string; reason: string | null }[] };
  result: { state: string; txHash: string; deliveryTxHash: string | null; history: { to: string }[] } | null;
};

beforeAll(async () => {
  h = await startHarness({ sources: 1, attesters: 2, threshold: 2, users: 3, finality: { mode: 'confirmations', confirmations: 2 } });
  relayer = await h.startRelayer();
  // Source blocks keep coming (finality is 2 confirmations), like a live chain.
  const source = h.devnet.sources[0]!;
  miner = setInterval(() => void source.anvil.mine(1).catch(() => undefined), 150);
});

afterAll(async () => {
  if (miner !== undefined) clearInterval(miner);
  await h?.stop();
});

/** The user's wallet on the derivatives chain (same key as on the source chain: one anvil mnemonic). */
function onDerivatives(user: ethers.Wallet): ethers.Contract {
  const wallet = h.devnet.destination.anvil.accounts.find((a) => a.address === user.address)!;
  return h.devnet.destination.receiver.connect(wallet) as ethers.Contract; // connect() keeps the ABI
}

async function requestWithdrawal(user: ethers.Wallet, token: string, amount: bigint, recipient: string): Promise<string> {
  const source = h.devnet.sources[0]!;
  const receipt = await mined(onDerivatives(user).getFunction('requestWithdrawal').send(source.eid, addressToBytes32(token), amount, recipient));
  const parsed = receipt.logs.map((l) => h.devnet.destination.receiver.interface.parseLog(l)).find((l) => l?.name === 'WithdrawalRequested');
  if (parsed === undefined || parsed === null) throw new Error('no WithdrawalRequested event');
  return String(parsed.args.getValue('guid')).toLowerCase();
}

async function waitForOutcome(guid: string, outcome: string): Promise<WithdrawalJson> {
  return waitFor(`withdrawal ${guid} ${outcome}`, async () => {
    const { status, body } = await getJson<WithdrawalJson>(`${relayer.url}/withdrawals/${guid}`);
    return status === 200 && body.outcome === outcome ? body : undefined;
  }, 90_000);
}

async function credited(user: ethers.Wallet, token: string): Promise<bigint> {
  return (await positionOf(h.devnet, user.address, h.devnet.sources[0]!.eid, token)).rawAmount;
}

async function withdrawalStatus(guid: string): Promise<number> {
  return Number(await h.devnet.destination.receiver.getFunction('withdrawalStatus')(guid));
}

it('withdraws part of a credited deposit: frozen on request, released on the source chain, finished at finality', async () => {
  const source = h.devnet.sources[0]!;
  const user = source.users[0]!;
  const l = await lock(source, user, source.usdc, 1_000n * 10n ** 6n);
  await waitForStates(relayer.url, [l.guid], 'CREDITED', 90_000);
  expect(await credited(user, source.usdc.address)).toBe(1_000n * 10n ** 6n);

  const before = (await source.usdc.contract.getFunction('balanceOf')(user.address)) as bigint; // ERC-20 balanceOf returns a uint256
  const guid = await requestWithdrawal(user, source.usdc.address, 400n * 10n ** 6n, addressToBytes32(user.address));
  // Frozen at once: no longer available on the derivatives chain.
  expect(await positionOf(h.devnet, user.address, source.eid, source.usdc.address)).toEqual({ rawAmount: 600n * 10n ** 6n, frozen: 400n * 10n ** 6n });
  expect(await withdrawalStatus(guid)).toBe(WithdrawalStatus.Pending);

  const w = await waitForOutcome(guid, 'finished');
  expect((await source.usdc.contract.getFunction('balanceOf')(user.address)) as bigint).toBe(before + 400n * 10n ** 6n); // ERC-20 balanceOf returns a uint256
  expect(w.request.state).toBe('DELIVERED');
  expect(w.result?.state).toBe('DELIVERED');
  expect(w.releaseStatus).toBe('1');
  expect(w.request.deliveryTxHash).toMatch(/^0x[0-9a-f]{64}$/); // the release, on the source chain
  expect(w.result?.deliveryTxHash).toMatch(/^0x[0-9a-f]{64}$/); // the finish, on the derivatives chain
  expect(w.request.history.map((t) => t.to)).toEqual(['OBSERVED', 'FINAL', 'ATTESTED', 'SUBMITTED', 'CONFIRMING', 'DELIVERED']);
  expect(await positionOf(h.devnet, user.address, source.eid, source.usdc.address)).toEqual({ rawAmount: 600n * 10n ** 6n, frozen: 0n });
  expect(await withdrawalStatus(guid)).toBe(WithdrawalStatus.Finished);
  const [, , totalLocked] = (await source.vault.getFunction('assets')(source.usdc.address)) as [boolean, bigint, bigint]; // assets: (bool allowed, uint128 cap, uint128 totalLocked)
  expect((await source.usdc.contract.getFunction('balanceOf')(source.vaultAddress)) as bigint).toBe(totalLocked); // ERC-20 balanceOf returns a uint256
});

it('refuses a withdrawal over the available balance at request (InsufficientCredit), nothing frozen', async () => {
  const source = h.devnet.sources[0]!;
  const user = source.users[0]!;
  const available = await credited(user, source.usdc.address);
  const call = onDerivatives(user).getFunction('requestWithdrawal').staticCall(source.eid, addressToBytes32(source.usdc.address), available + 1n, addressToBytes32(user.address));
  const error = (await call.catch((e: unknown) => e)) as { data?: string }; // ethers' CALL_EXCEPTION carries the revert data (a success has none: the check fails)
  const selector = h.devnet.destination.receiver.interface.getError('InsufficientCredit')!.selector;
  expect(error.data?.slice(0, 10)).toBe(selector);
  expect(await credited(user, source.usdc.address)).toBe(available);
});

it('unfreezes a withdrawal whose payout fails on the source chain (recipient not an EVM address)', async () => {
  const source = h.devnet.sources[0]!;
  const user = source.users[1]!;
  const l = await lock(source, user, source.weth, 3n * 10n ** 18n);
  await waitForStates(relayer.url, [l.guid], 'CREDITED', 90_000);
  const notAnAddress = `0x${'ff'.repeat(12)}${user.address.slice(2).toLowerCase()}`;
  const guid = await requestWithdrawal(user, source.weth.address, 10n ** 18n, notAnAddress);
  expect(await credited(user, source.weth.address)).toBe(2n * 10n ** 18n);
  const w = await waitForOutcome(guid, 'unfrozen');
  expect(w.releaseStatus).toBe('2');
  expect(await positionOf(h.devnet, user.address, source.eid, source.weth.address)).toEqual({ rawAmount: 3n * 10n ** 18n, frozen: 0n });
  expect(await withdrawalStatus(guid)).toBe(WithdrawalStatus.Unfrozen);
  const [, , totalLocked] = (await source.vault.getFunction('assets')(source.weth.address)) as [boolean, bigint, bigint]; // assets: (bool allowed, uint128 cap, uint128 totalLocked)
  expect(totalLocked).toBeGreaterThanOrEqual(3n * 10n ** 18n);
});

it('VOIDs an unsupported-asset deposit: its later deposits are credited, the collateral is refunded to the depositor', async () => {
  const source = h.devnet.sources[0]!;
  const user = source.users[2]!;
  const stuck = await lock(source, user, source.unlisted, 5n * 10n ** 18n);
  const behind = await lock(source, user, source.usdc, 7n * 10n ** 6n);
  await waitFor('unsupported-asset hold', async () => {
    const { body } = await getJson<{ state: string; reason: string | null }>(`${relayer.url}/deposits/${stuck.guid}`);
    return body.state === 'HELD' && body.reason === 'unsupported-asset' ? true : undefined;
  });
  const balanceBefore = (await source.unlisted.contract.getFunction('balanceOf')(user.address)) as bigint; // ERC-20 balanceOf returns a uint256
  const url = `${relayer.url}/admin/deposits/${stuck.guid}/void`;
  expect((await getJson(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'unsupported-asset' }) })).status).toBe(401);
  const ok = await getJson<{ to: string }>(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${h.devnet.adminToken}` }, body: JSON.stringify({ reason: 'unsupported-asset' }) });
  expect(ok.status).toBe(200);
  expect(ok.body.to).toBe('VOIDING');

  const [voided] = await waitForStates(relayer.url, [stuck.guid], 'VOIDED', 90_000);
  expect(voided!.history.map((t) => t.to)).toContain('VOIDING');
  await waitForStates(relayer.url, [behind.guid], 'CREDITED', 90_000);
  // The receiver skipped the nonce and requested a refund; the vault paid the depositor back.
  const refund = await waitFor('refund finished', async () => {
    const { body } = await getJson<WithdrawalJson[]>(`${relayer.url}/withdrawals?account=${user.address}`);
    return body.find((w) => w.voidedNonce === stuck.nonce.toString() && w.outcome === 'refunded');
  }, 90_000);
  expect(refund.amount).toBe((5n * 10n ** 18n).toString());
  expect((await source.unlisted.contract.getFunction('balanceOf')(user.address)) as bigint).toBe(balanceBefore + 5n * 10n ** 18n); // ERC-20 balanceOf returns a uint256
  expect(await h.devnet.destination.receiver.getFunction('lastNonce')(source.eid, addressToBytes32(source.vaultAddress))).toBeGreaterThanOrEqual(behind.nonce);
  expect(await withdrawalStatus(refund.guid)).toBe(WithdrawalStatus.Refunded);
  // The voided nonce is consumed on its path with no Credited event; the deposit behind it is credited once.
  expect(await creditedOnChain(h.devnet, stuck)).toEqual({ applied: true, creditTxHashes: [] });
  expect((await creditedOnChain(h.devnet, behind)).creditTxHashes).toHaveLength(1);
});
