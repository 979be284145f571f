/**
 * The litesvm JSON-RPC shim (test/support/svm-rpc.ts) and the Solana devnet on it (test/support/solana-devnet.ts),
 * through the real @solana/web3.js v1 `Connection`: finality lag, reads as of a commitment, pagination, block order,
 * SPL Token refusals (wrong mint, too few multisig signers), durable-nonce releases and their replay, failed
 * transactions recorded with their error, signature verification and blockhash expiry.
 */
import { createHash } from 'node:crypto';
import { createTransferCheckedInstruction, getAssociatedTokenAddressSync } from '@solana/spl-token';
import { type Connection, Keypair, NonceAccount, PublicKey, SystemProgram, Transaction } from '@solana/web3.js';
import { MEMO_PROGRAM_ID, sendAndPoll, type SolanaDevnet, startSolanaDevnet, waitForStatus } from '../support/solana-devnet';
import type { SvmRpc } from '../support/svm-rpc';

jest.setTimeout(30_000);

const LAG = 8;
const THRESHOLD = 2;
const attesterKeys: [Keypair, Keypair, Keypair] = [Keypair.generate(), Keypair.generate(), Keypair.generate()];
let devnet: SolanaDevnet;
let c: Connection;
let rpc: SvmRpc;

type RpcReply = { result?: unknown; error?: { code: number; message: string; data?: { err?: unknown; logs?: string[] } } };
/** A raw JSON-RPC call (or batch), to assert error codes and data that `Connection` does not pass on. */
async function raw(body: unknown): Promise<RpcReply & RpcReply[]> {
  const res = await fetch(rpc.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as RpcReply & RpcReply[]; // a JSON-RPC reply, or for a batch a list of them: the caller knows which it sent
}
const call = (method: string, params: unknown[] = []) => raw({ jsonrpc: '2.0', id: '1', method, params });
const sendRaw = (tx: Transaction, skipPreflight = false) => call('sendTransaction', [tx.serialize({ requireAllSignatures: false, verifySignatures: false }).toString('base64'), { encoding: 'base64', skipPreflight }]);

const usdcAta = (user: Keypair) => getAssociatedTokenAddressSync(devnet.mints.usdc.mint, user.publicKey);
const nonceValue = async () => NonceAccount.fromAccountData((await c.getAccountInfo(devnet.nonceAccount, 'confirmed'))!.data).nonce;
/** TransferChecked of USDC out of the vault, the multisig as owner, `signers` as its signers. */
const release = (to: PublicKey, amount: bigint, signers: Keypair[]) => createTransferCheckedInstruction(devnet.mints.usdc.vault, devnet.mints.usdc.mint, to, devnet.multisig, amount, 6, signers.map((s) => s.publicKey));

beforeAll(async () => {
  devnet = await startSolanaDevnet({ attesterKeys, threshold: THRESHOLD, finalityLagSlots: LAG, slotMs: 50 });
  c = devnet.connection;
  rpc = devnet.rpc;
});
afterAll(async () => {
  await devnet?.stop();
});

test('finalized lags confirmed by the configured lag; batches; unknown methods', async () => {
  const c1 = await c.getSlot('confirmed');
  const f = await c.getSlot('finalized');
  const c2 = await c.getSlot('confirmed');
  expect(f).toBeGreaterThanOrEqual(c1 - LAG);
  expect(f).toBeLessThanOrEqual(c2 - LAG);
  // A batch is answered in one turn: exactly the lag apart.
  const [conf, fin, height, unknown] = await raw([
    { jsonrpc: '2.0', id: 'a', method: 'getSlot', params: [{ commitment: 'confirmed' }] },
    { jsonrpc: '2.0', id: 'b', method: 'getSlot', params: [] },
    { jsonrpc: '2.0', id: 'c', method: 'getBlockHeight', params: [{ commitment: 'finalized' }] },
    { jsonrpc: '2.0', id: 'd', method: 'getProgramAccounts', params: [] },
  ]);
  expect((conf!.result as number) - (fin!.result as number)).toBe(LAG); // getSlot answers a slot number
  expect(height!.result).toBe(fin!.result);
  expect(unknown!.error?.code).toBe(-32601);
  const latest = await c.getLatestBlockhashAndContext('finalized');
  expect(latest.value.lastValidBlockHeight).toBe(latest.context.slot + 150);
  expect(await c.isBlockhashValid(latest.value.blockhash)).toMatchObject({ value: true });
});

test('a deposit with a memo: confirmed at once, finalized only after the lag (and not while finality is paused)', async () => {
  const user = devnet.users[0]!;
  const { vault, mint } = devnet.mints.usdc;
  const amount = 12_345_678n;
  const memo = 'ccr:0x00000000000000000000000000000000000000000000000000000000000000ab ✓';
  const vaultFinalized = await devnet.balanceOf(vault, 'finalized');
  rpc.pauseFinality();
  try {
    const dep = await devnet.deposit({ user, mint, amount, memo });
    expect(dep.err).toBeNull();
    expect((await c.getSignaturesForAddress(vault, { limit: 10 }, 'confirmed')).map((s) => s.signature)).toContain(dep.signature);
    expect(await c.getTransaction(dep.signature, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 })).not.toBeNull();
    expect(await devnet.balanceOf(vault, 'confirmed')).toBe(vaultFinalized + amount);

    rpc.advanceSlots(LAG + 5);
    expect(rpc.slot() - rpc.finalizedSlot()).toBeGreaterThan(LAG + 4);
    expect((await c.getSignaturesForAddress(vault, { limit: 10 }, 'finalized')).map((s) => s.signature)).not.toContain(dep.signature);
    expect(await c.getTransaction(dep.signature, { commitment: 'finalized', maxSupportedTransactionVersion: 0 })).toBeNull();
    expect((await c.getSignatureStatuses([dep.signature])).value[0]?.confirmationStatus).toBe('confirmed');
    expect(await devnet.balanceOf(vault, 'finalized')).toBe(vaultFinalized); // account reads as of the finalized slot too
    expect(await c.getBlockSignatures(dep.slot, 'finalized').catch((e: Error) => e.message)).toMatch(/Block not available/);

    rpc.resumeFinality();
    expect(rpc.finalizedSlot()).toBeGreaterThanOrEqual(dep.slot);
    const [item] = (await c.getSignaturesForAddress(vault, { limit: 10 }, 'finalized')).filter((s) => s.signature === dep.signature);
    expect(item).toMatchObject({ slot: dep.slot, err: null, memo: `[${Buffer.byteLength(memo)}] ${memo}`, confirmationStatus: 'finalized' });
    expect(item!.blockTime).toBe(await c.getBlockTime(dep.slot));
    const tx = await c.getTransaction(dep.signature, { commitment: 'finalized', maxSupportedTransactionVersion: 0 });
    expect(tx?.slot).toBe(dep.slot);
    const keys = tx!.transaction.message.staticAccountKeys.map((k) => k.toBase58());
    const vaultIndex = keys.indexOf(vault.toBase58());
    const userIndex = keys.indexOf(usdcAta(user).toBase58());
    const amountAt = (list: { accountIndex: number; uiTokenAmount: { amount: string } }[] | null | undefined, i: number) => BigInt(list!.find((b) => b.accountIndex === i)!.uiTokenAmount.amount);
    expect(amountAt(tx!.meta!.postTokenBalances, vaultIndex) - amountAt(tx!.meta!.preTokenBalances, vaultIndex)).toBe(amount);
    expect(amountAt(tx!.meta!.preTokenBalances, userIndex) - amountAt(tx!.meta!.postTokenBalances, userIndex)).toBe(amount);
    expect(tx!.meta!.postTokenBalances!.find((b) => b.accountIndex === vaultIndex)).toMatchObject({ mint: mint.toBase58(), owner: devnet.multisig.toBase58(), uiTokenAmount: { decimals: 6 } });
    const memoIx = tx!.transaction.message.compiledInstructions.find((ix) => keys[ix.programIdIndex] === MEMO_PROGRAM_ID.toBase58());
    expect(Buffer.from(memoIx!.data).toString('utf8')).toBe(memo);
    expect(tx!.meta!.fee).toBe(5000);
    expect(tx!.meta!.preBalances[0]! - tx!.meta!.postBalances[0]!).toBe(5000);
    expect(await devnet.balanceOf(vault, 'finalized')).toBe(vaultFinalized + amount);
  } finally {
    rpc.resumeFinality();
  }
});

test('getSignaturesForAddress pages newest first with before/until/limit; getBlock lists signatures in send order', async () => {
  const user = devnet.users[1]!;
  const ata = usdcAta(user);
  const { blockhash } = await c.getLatestBlockhash('confirmed');
  const transfer = (i: number) => {
    const tx = new Transaction({ feePayer: user.publicKey, recentBlockhash: blockhash }).add(createTransferCheckedInstruction(ata, devnet.mints.usdc.mint, devnet.mints.usdc.vault, user.publicKey, 1000n + BigInt(i), 6));
    tx.sign(user);
    return tx.serialize();
  };
  const sigs: string[] = [];
  for (let i = 0; i < 6; i++) sigs.push(await c.sendRawTransaction(transfer(i))); // one by one
  const batch = await raw(Array.from({ length: 6 }, (_, i) => ({ jsonrpc: '2.0', id: String(i), method: 'sendTransaction', params: [transfer(6 + i).toString('base64'), { encoding: 'base64' }] })));
  sigs.push(...batch.map((r) => r.result as string)); // six in one request: one slot
  const landed = await Promise.all(sigs.map((s) => waitForStatus(c, s, 'confirmed')));
  expect(new Set(landed.slice(6).map((l) => l.slot)).size).toBe(1);

  const pages: string[][] = [];
  let before: string | undefined;
  for (;;) {
    const page = await c.getSignaturesForAddress(ata, { limit: 5, ...(before === undefined ? {} : { before }) }, 'confirmed');
    if (page.length === 0) break;
    for (let i = 1; i < page.length; i++) expect(page[i]!.slot).toBeLessThanOrEqual(page[i - 1]!.slot);
    pages.push(page.map((p) => p.signature));
    before = page[page.length - 1]!.signature;
  }
  expect(pages.slice(0, 2).map((p) => p.length)).toEqual([5, 5]);
  expect(pages.flat().filter((s) => sigs.includes(s))).toEqual([...sigs].reverse()); // within a slot: reverse block order
  expect((await c.getSignaturesForAddress(ata, { until: sigs[3]! }, 'confirmed')).map((s) => s.signature)).toEqual(sigs.slice(4).reverse());
  expect((await c.getSignaturesForAddress(ata, { before: sigs[10]!, until: sigs[5]!, limit: 3 }, 'confirmed')).map((s) => s.signature)).toEqual([sigs[9], sigs[8], sigs[7]]);

  const fromBlocks: string[] = [];
  for (const slot of [...new Set(landed.map((l) => l.slot))].sort((a, b) => a - b)) {
    const block = await c.getBlockSignatures(slot, 'confirmed');
    expect(block.parentSlot).toBe(slot - 1);
    fromBlocks.push(...block.signatures.filter((s) => sigs.includes(s)));
  }
  expect(fromBlocks).toEqual(sigs);
  const full = await c.getBlock(landed[11]!.slot, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 });
  expect(full!.transactions.map((t) => t.transaction.signatures[0]).filter((s) => sigs.includes(s!))).toEqual(sigs.filter((_, i) => landed[i]!.slot === landed[11]!.slot));
});

test('the SPL Token program refuses a non-allow-listed mint into a vault account', async () => {
  const user = devnet.users[0]!;
  const { vault } = devnet.mints.usdc;
  const before = await devnet.balanceOf(vault);
  await expect(devnet.deposit({ user, mint: devnet.mints.unlisted.mint, amount: 1_000_000n, memo: null, to: vault })).rejects.toThrow(/custom program error: 0x3/); // TokenError::MintMismatch
  const unlistedAta = getAssociatedTokenAddressSync(devnet.mints.unlisted.mint, user.publicKey);
  const tx = new Transaction({ feePayer: user.publicKey, recentBlockhash: (await c.getLatestBlockhash('confirmed')).blockhash }).add(createTransferCheckedInstruction(unlistedAta, devnet.mints.unlisted.mint, vault, user.publicKey, 1_000_000n, 6));
  tx.sign(user);
  const reply = await sendRaw(tx);
  expect(reply.error).toMatchObject({ code: -32002, data: { err: { InstructionError: [0, { Custom: 3 }] } } });
  expect(reply.error!.data!.logs!.join('\n')).toMatch(/Account not associated with this Mint/);
  expect(await devnet.balanceOf(vault)).toBe(before);
});

test('a multisig release: threshold−1 signers refused; threshold signers in a durable-nonce transaction succeed once', async () => {
  const { poster } = devnet;
  const [a0, a1] = attesterKeys;
  const dest = usdcAta(devnet.users[2]!);
  await devnet.deposit({ user: devnet.users[2]!, mint: devnet.mints.usdc.mint, amount: 50_000_000n, memo: null });
  const amount = 7_000_000n;

  const short = new Transaction().add(release(dest, amount, [a0]));
  await expect(sendAndPoll(c, short, [poster, a0])).rejects.toThrow(/missing required signature for instruction/);
  const shortRaw = new Transaction({ feePayer: poster.publicKey, recentBlockhash: (await c.getLatestBlockhash('confirmed')).blockhash }).add(release(dest, amount, [a0]));
  shortRaw.sign(poster, a0);
  expect((await sendRaw(shortRaw)).error).toMatchObject({ code: -32002, data: { err: { InstructionError: [0, 'MissingRequiredSignature'] } } });

  const [vaultBefore, destBefore, n0] = [await devnet.balanceOf(devnet.mints.usdc.vault), await devnet.balanceOf(dest), await nonceValue()];
  const tx = new Transaction({ feePayer: poster.publicKey, recentBlockhash: n0 }).add(SystemProgram.nonceAdvance({ noncePubkey: devnet.nonceAccount, authorizedPubkey: poster.publicKey }), release(dest, amount, [a0, a1]));
  tx.sign(poster, a0, a1);
  const bytes = tx.serialize();
  const sig = await c.sendRawTransaction(bytes);
  const landed = await waitForStatus(c, sig, 'confirmed');
  expect(landed.err).toBeNull();
  expect(await devnet.balanceOf(dest)).toBe(destBefore + amount);
  expect(await devnet.balanceOf(devnet.mints.usdc.vault)).toBe(vaultBefore - amount);
  // As AdvanceNonceAccount on a validator: the new nonce is DurableNonce(blockhash of the slot it landed in).
  const { blockhash } = await c.getBlockSignatures(landed.slot, 'confirmed');
  expect(await nonceValue()).toBe(new PublicKey(createHash('sha256').update('DURABLE_NONCE').update(new PublicKey(blockhash).toBytes()).digest()).toBase58());

  await expect(c.sendRawTransaction(bytes)).rejects.toThrow(/Blockhash not found/);
  expect(await c.sendRawTransaction(bytes, { skipPreflight: true })).toBe(sig); // accepted for forwarding, then dropped
  rpc.advanceSlots(3);
  expect((await c.getSignatureStatuses([sig])).value[0]?.slot).toBe(landed.slot);
  expect(await devnet.balanceOf(dest)).toBe(destBefore + amount);
});

test('a durable-nonce release that fails still advances the nonce and charges the fee: its bytes cannot be replayed', async () => {
  const { poster } = devnet;
  const [a0, a1] = attesterKeys;
  const dest = usdcAta(devnet.users[2]!);
  const tooMuch = (await devnet.balanceOf(devnet.mints.usdc.vault)) + 1n;
  const n0 = await nonceValue();
  const tx = new Transaction({ feePayer: poster.publicKey, recentBlockhash: n0 }).add(SystemProgram.nonceAdvance({ noncePubkey: devnet.nonceAccount, authorizedPubkey: poster.publicKey }), release(dest, tooMuch, [a0, a1]));
  tx.sign(poster, a0, a1);
  const bytes = tx.serialize();
  await expect(c.sendRawTransaction(bytes)).rejects.toThrow(/custom program error: 0x1/); // preflight: TokenError::InsufficientFunds, not sent
  expect(await nonceValue()).toBe(n0);

  const posterBefore = await c.getBalance(poster.publicKey, 'confirmed');
  const sig = await c.sendRawTransaction(bytes, { skipPreflight: true });
  const landed = await waitForStatus(c, sig, 'confirmed');
  expect(landed.err).toEqual({ InstructionError: [1, { Custom: 1 }] });
  const meta = (await c.getTransaction(sig, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 }))!.meta!;
  expect(meta.err).toEqual(landed.err);
  expect(meta.fee).toBe(3 * 5000);
  expect(posterBefore - (await c.getBalance(poster.publicKey, 'confirmed'))).toBe(meta.fee);
  expect(await nonceValue()).not.toBe(n0);
  await expect(c.sendRawTransaction(bytes)).rejects.toThrow(/Blockhash not found/);
  expect((await c.getSignaturesForAddress(devnet.mints.usdc.vault, { limit: 5 }, 'confirmed')).find((s) => s.signature === sig)?.err).toEqual(landed.err);
});

test('signature verification is on: a transaction short of a required signature is refused, or dropped without preflight', async () => {
  const { poster } = devnet;
  const [a0, a1] = attesterKeys;
  const tx = new Transaction({ feePayer: poster.publicKey, recentBlockhash: (await c.getLatestBlockhash('confirmed')).blockhash }).add(release(usdcAta(devnet.users[2]!), 1n, [a0, a1]));
  tx.partialSign(poster, a0); // a1's signature missing
  expect((await sendRaw(tx)).error).toMatchObject({ code: -32003, message: 'Transaction signature verification failure' });
  const dropped = (await sendRaw(tx, true)).result as string; // sendTransaction answers the signature, base58
  rpc.advanceSlots(2);
  expect((await c.getSignatureStatuses([dropped])).value[0]).toBeNull();
});

test('a failed transaction sent with skipPreflight is recorded with meta.err and listed with its err', async () => {
  const user = devnet.users[1]!;
  const ata = usdcAta(user);
  const balance = await devnet.balanceOf(ata);
  const dep = await devnet.deposit({ user, mint: devnet.mints.usdc.mint, amount: balance + 1n, memo: 'too much', skipPreflight: true });
  expect(dep.err).toEqual({ InstructionError: [0, { Custom: 1 }] }); // TokenError::InsufficientFunds
  const tx = await c.getTransaction(dep.signature, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 });
  expect(tx!.meta!.err).toEqual(dep.err);
  expect(tx!.meta!.postTokenBalances).toEqual(tx!.meta!.preTokenBalances);
  expect(tx!.meta!.logMessages!.join('\n')).toMatch(/insufficient funds/i);
  expect((await c.getBlockSignatures(dep.slot, 'confirmed')).signatures).toContain(dep.signature);
  const [latest] = await c.getSignaturesForAddress(ata, { limit: 1 }, 'confirmed');
  expect(latest).toMatchObject({ signature: dep.signature, err: dep.err, memo: '[8] too much' });
  expect(await devnet.balanceOf(ata)).toBe(balance);
  await devnet.waitFinalized(dep.signature);
  expect((await c.getSignaturesForAddress(ata, { limit: 1 }, 'finalized'))[0]).toMatchObject({ signature: dep.signature, err: dep.err, confirmationStatus: 'finalized' });
});

test('a recent blockhash is valid for 150 slots', async () => {
  const user = devnet.users[0]!;
  const { blockhash, lastValidBlockHeight } = await c.getLatestBlockhash('confirmed');
  const transfer = (lamports: number) => {
    const tx = new Transaction({ feePayer: user.publicKey, recentBlockhash: blockhash }).add(SystemProgram.transfer({ fromPubkey: user.publicKey, toPubkey: devnet.poster.publicKey, lamports }));
    tx.sign(user);
    return tx.serialize();
  };
  rpc.advanceSlots(Math.max(0, lastValidBlockHeight - 10 - (await c.getBlockHeight('confirmed'))));
  await waitForStatus(c, await c.sendRawTransaction(transfer(1)), 'confirmed');
  rpc.advanceSlots(lastValidBlockHeight + 1 - (await c.getBlockHeight('confirmed')));
  expect(await c.isBlockhashValid(blockhash, { commitment: 'confirmed' })).toMatchObject({ value: false });
  await expect(c.sendRawTransaction(transfer(2))).rejects.toThrow(/Blockhash not found/);
});
