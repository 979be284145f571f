/**
 * A Solana source chain end to end (docs/solana.md): litesvm behind JSON-RPC (the project's one local stand-in:
 * test/support/svm-rpc.ts) with an SPL Token multisig vault of the attesters (2 of 3), anvil for the derivatives chain,
 * the relayer in process. Several users and mints (6 and 9 decimals), finalized-only crediting, every bad input of the
 * issue, a withdrawal released back on Solana, a restart while deposits land.
 */
import { encodeDepositMemo, type Hex, solanaAddressToBytes32 } from '@ccr/messages';
import { createAssociatedTokenAccountIdempotentInstruction, createTransferCheckedInstruction, getAssociatedTokenAddressSync } from '@solana/spl-token';
import { Keypair, Transaction } from '@solana/web3.js';
import { ethers } from '../../contracts/ts/index';
import { accountOf } from './solana-helpers';
import { memoInstruction, sendAndPoll } from '../support/solana-devnet';
import { mined } from '../support/tx';
import { type Harness, type RelayerHandle, getJson, positionOf, startHarness, waitFor } from './harness';

jest.setTimeout(180_000);

let h: Harness;
let relayer: RelayerHandle;

type Row = { guid: string; state: string; reason: string | null; nonce: string; account: string; amount: string; srcEid: number; txHash: string; depositor: string };

beforeAll(async () => {
  h = await startHarness({ sources: 1, attesters: 3, threshold: 2, users: 3, finality: { mode: 'confirmations', confirmations: 2 }, solana: { users: 4 }, relayer: { extra: { solvency: { intervalMs: 500 } } } });
  relayer = await h.startRelayer();
});

afterAll(async () => {
  await h?.stop();
});

const sol = () => h.devnet.solana!;
/** A derivatives-chain account (anvil account i of the destination), as bytes32. */
const account = (i: number): Hex => accountOf(h.devnet, i);
const memoFor = (acct: Hex, dstEid = h.devnet.destination.eid): string => encodeDepositMemo({ dstEid, account: acct });

async function solanaRows(): Promise<Row[]> {
  const { body } = await getJson<Row[]>(`${relayer.url}/deposits?limit=500`);
  return body.filter((d) => d.srcEid === sol().eid);
}

async function rowOfTx(signature: string): Promise<Row> {
  return waitFor(`a row for ${signature}`, async () => (await solanaRows()).find((r) => r.txHash === signature));
}

async function waitState(signature: string, state: string, timeoutMs = 60_000): Promise<Row> {
  return waitFor(`${signature} ${state}`, async () => {
    const r = (await solanaRows()).find((x) => x.txHash === signature);
    return r?.state === state ? r : undefined;
  }, timeoutMs);
}

async function solanaPosition(acct: Hex, mint: 'usdc' | 'sol9'): Promise<bigint> {
  return (await positionOf(h.devnet, acct, sol().eid, solanaAddressToBytes32(sol().mints[mint].mint.toBase58()))).rawAmount;
}

test('deposits of several users in a 6- and a 9-decimal mint are credited in finalized order, with the nonce the chain order gives', async () => {
  const s = sol();
  const a = await s.deposit({ user: s.users[0]!, mint: s.mints.usdc.mint, amount: 1_000_000_000n, memo: memoFor(account(1)) });
  const b = await s.deposit({ user: s.users[1]!, mint: s.mints.sol9.mint, amount: 2_500_000_000n, memo: memoFor(account(2)) });
  const c = await s.deposit({ user: s.users[2]!, mint: s.mints.usdc.mint, amount: 7n, memo: memoFor(account(3)) });
  const rows = await Promise.all([a, b, c].map((d) => waitState(d.signature, 'CREDITED')));
  expect(rows.map((r) => r.nonce)).toEqual(['1', '2', '3']);
  expect(rows.map((r) => r.amount)).toEqual(['1000000000', '2500000000', '7']);
  expect(rows[0]!.depositor).toBe(solanaAddressToBytes32(s.users[0]!.publicKey.toBase58()));
  expect(await solanaPosition(account(1), 'usdc')).toBe(1_000_000_000n);
  expect(await solanaPosition(account(2), 'sol9')).toBe(2_500_000_000n);
  expect(await solanaPosition(account(3), 'usdc')).toBe(7n);
  const lastNonce = (await h.devnet.destination.receiver.getFunction('lastNonce')(s.eid, solanaAddressToBytes32(s.multisig.toBase58()))) as bigint; // uint64 → bigint
  expect(lastNonce).toBe(3n);
});

test('a deposit confirmed but not finalized is shown, never credited, until finality passes it', async () => {
  const s = sol();
  s.rpc.pauseFinality();
  let signature: string;
  try {
    ({ signature } = await s.deposit({ user: s.users[0]!, mint: s.mints.usdc.mint, amount: 5_000_000n, memo: memoFor(account(4)) }));
    const observed = await waitState(signature, 'OBSERVED', 20_000);
    expect(observed.nonce).toBe('4');
    // Several relayer rounds later it is still only observed, and the receiver has nothing for it.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await rowOfTx(signature)).state).toBe('OBSERVED');
    expect(await solanaPosition(account(4), 'usdc')).toBe(0n);
  } finally {
    s.rpc.resumeFinality();
  }
  await waitState(signature, 'CREDITED');
  expect(await solanaPosition(account(4), 'usdc')).toBe(5_000_000n);
});

test('a deposit without a valid memo for this chain keeps its nonce, is voided and refunded, and the deposits after it are credited', async () => {
  const s = sol();
  const user = s.users[3]!;
  const userAta = getAssociatedTokenAddressSync(s.mints.usdc.mint, user.publicKey);
  const before = await s.balanceOf(userAta);
  const bad = [
    await s.deposit({ user, mint: s.mints.usdc.mint, amount: 11_000_000n, memo: null }),
    await s.deposit({ user, mint: s.mints.usdc.mint, amount: 12_000_000n, memo: 'ccr:v1:not-an-eid:0x01' }),
    await s.deposit({ user, mint: s.mints.usdc.mint, amount: 13_000_000n, memo: memoFor(account(5), 30110) }),
  ];
  const good = await s.deposit({ user: s.users[0]!, mint: s.mints.usdc.mint, amount: 3_000_000n, memo: memoFor(account(6)) });
  for (const b of bad) {
    const voided = await waitState(b.signature, 'VOIDED', 90_000);
    expect(voided.account).toBe(`0x${'00'.repeat(32)}`);
  }
  await waitState(good.signature, 'CREDITED');
  expect(await solanaPosition(account(6), 'usdc')).toBe(3_000_000n);
  expect(await solanaPosition(account(5), 'usdc')).toBe(0n);
  // Each refund is a withdrawal released back to the depositor on Solana.
  await waitFor('the three refunds paid back', async () => ((await s.balanceOf(userAta)) === before ? true : undefined), 90_000);
});

test('what never reaches a vault account is refused or not a deposit: another mint, another account, a failed transaction', async () => {
  const s = sol();
  const user = s.users[1]!;
  const rowsBefore = (await solanaRows()).length;
  // The SPL Token program refuses a transferChecked of another mint into the vault account (MintMismatch, 0x3).
  await expect(s.deposit({ user, mint: s.mints.unlisted.mint, amount: 1_000_000n, memo: memoFor(account(7)), to: s.mints.usdc.vault })).rejects.toThrow(/0x3|mint/i);
  // A transfer with a valid memo into an account that is not a vault account: not the vault's, not a deposit.
  const other = Keypair.generate();
  const otherAta = getAssociatedTokenAddressSync(s.mints.usdc.mint, other.publicKey);
  const tx = new Transaction().add(
    createAssociatedTokenAccountIdempotentInstruction(user.publicKey, otherAta, other.publicKey, s.mints.usdc.mint),
    createTransferCheckedInstruction(getAssociatedTokenAddressSync(s.mints.usdc.mint, user.publicKey), s.mints.usdc.mint, otherAta, user.publicKey, 1_000_000n, 6),
    memoInstruction(memoFor(account(7))),
  );
  const elsewhere = await sendAndPoll(s.connection, tx, [user]);
  // A transfer into the vault that fails on chain (more than the user holds), recorded with its error.
  const failed = await s.deposit({ user, mint: s.mints.usdc.mint, amount: 10n ** 20n, memo: memoFor(account(7)), skipPreflight: true });
  expect(failed.err).not.toBeNull();
  // A later good deposit takes the next nonce: none of the above consumed one.
  const next = await s.deposit({ user, mint: s.mints.usdc.mint, amount: 1_000_000n, memo: memoFor(account(7)) });
  const credited = await waitState(next.signature, 'CREDITED');
  const rows = await solanaRows();
  expect(rows.some((r) => r.txHash === elsewhere.signature || r.txHash === failed.signature)).toBe(false);
  expect(rows.length).toBeGreaterThan(rowsBefore);
  // The path's messages before it: every earlier deposit and the release results of the three refunds (one sequence).
  const { body: withdrawals } = await getJson<{ vaultEid: number; result: unknown }[]>(`${relayer.url}/withdrawals?limit=500`);
  const results = withdrawals.filter((w) => w.vaultEid === s.eid && w.result !== null).length;
  expect(results).toBe(3);
  expect(BigInt(credited.nonce)).toBe(BigInt(rows.length - 1 + results + 1));
  expect(await solanaPosition(account(7), 'usdc')).toBe(1_000_000n);
});

test('a withdrawal is released back on Solana by the multisig and finishes on the derivatives chain', async () => {
  const s = sol();
  const wallet = h.devnet.destination.anvil.accounts[1]!;
  const recipient = Keypair.generate().publicKey;
  const receiver = h.devnet.destination.receiver.connect(wallet) as ethers.Contract; // connect() keeps the ABI
  const usdc = solanaAddressToBytes32(s.mints.usdc.mint.toBase58());
  const receipt = await mined(receiver.getFunction('requestWithdrawal').send(s.eid, usdc, 400_000_000n, solanaAddressToBytes32(recipient.toBase58())));
  const parsed = receipt.logs.map((l) => h.devnet.destination.receiver.interface.parseLog(l)).find((l) => l?.name === 'WithdrawalRequested');
  const guid = String(parsed!.args.getValue('guid')).toLowerCase();
  const done = await waitFor('withdrawal finished', async () => {
    const { status, body } = await getJson<{ outcome: string; result: { state: string; txHash: string } | null }>(`${relayer.url}/withdrawals/${guid}`);
    if (status === 200 && body.outcome === 'finished' && body.result?.state === 'DELIVERED') return body;
    throw new Error(JSON.stringify(body).slice(0, 1500));
  }, 90_000);
  expect(await s.balanceOf(getAssociatedTokenAddressSync(s.mints.usdc.mint, recipient, true), 'finalized')).toBe(400_000_000n);
  const position = await positionOf(h.devnet, account(1), s.eid, usdc);
  expect(position).toEqual({ rawAmount: 600_000_000n, frozen: 0n });
  expect(done.result!.txHash).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/);
});

test('after a restart the history is read again from chain and the nonces go on, nothing credited twice', async () => {
  const s = sol();
  await relayer.close();
  const during = [];
  for (let i = 0; i < 3; i++) during.push(await s.deposit({ user: s.users[2]!, mint: s.mints.sol9.mint, amount: BigInt(i + 1) * 1_000_000_000n, memo: memoFor(account(8)) }));
  relayer = await h.startRelayer();
  const rows = await Promise.all(during.map((d) => waitState(d.signature, 'CREDITED')));
  const nonces = rows.map((r) => Number(r.nonce));
  expect(nonces[1]! - nonces[0]!).toBe(1);
  expect(nonces[2]! - nonces[1]!).toBe(1);
  expect(await solanaPosition(account(8), 'sol9')).toBe(6_000_000_000n);
  const all = await solanaRows();
  const credits = all.filter((r) => r.state === 'CREDITED' || r.state === 'VOIDED');
  expect(new Set(credits.map((r) => r.nonce)).size).toBe(credits.length);
});

test('solvency holds on the Solana pathway: what the vault accounts hold = credited + frozen + in flight', async () => {
  const s = sol();
  const checks = await waitFor('solvency checks of both Solana assets, holding', async () => {
    const { body } = await getJson<{ checks: { srcEid: number; symbol: string; status: string; terms: unknown }[] }>(`${relayer.url}/solvency`);
    const ours = body.checks.filter((c) => c.srcEid === s.eid);
    if (ours.length === 2 && ours.every((c) => c.status === 'ok')) return ours;
    throw new Error(JSON.stringify(ours));
  }, 60_000);
  expect(checks.map((c) => c.symbol).sort()).toEqual(['SOL', 'USDC']);
});
