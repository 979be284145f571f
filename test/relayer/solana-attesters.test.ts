/**
 * A Solana source with independent attesters (docs/solana.md "Releases", docs/two-way-book.md "Independent
 * attesters"): the relayer PROCESS holds no attester key; three attester processes (2 of 3, each its own key, store
 * and watchers) sign the receiver's batches with their EVM keys and the multisig releases with their derived Solana
 * keys (POST /attest/solana-release). A deposit is credited, a withdrawal released with exactly two attester
 * signatures on the Solana transaction, one attester down changes nothing (the relayer swaps in the third signer),
 * and an attester asked directly refuses every release that is not exactly a final, unreleased withdrawal over the
 * current nonce — with the reason — and signs the one that is.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { solanaAddressToBytes32 } from '@ccr/messages';
import { Keypair, type PublicKey } from '@solana/web3.js';
import { verifyReleaseSignature } from '../../apps/relayer/src/chains/solana/release-transaction';
import { attesterSolanaKeypair } from '../../apps/relayer/src/chains/solana/solana-keys';
import { receiverTxSigners } from '../support/batch-signers';
import { stringContaining, stringMatching } from '../support/matchers';
import { type Devnet, type DevnetAttesterNode, type DevnetSolanaSource, startDevnet } from '../support/devnet';
import { type AttesterProcess, type RelayerProcess, startAttesterProcess, startRelayerProcess } from '../support/relayerProcess';
import { positionOf } from './harness';
import {
  accountOf,
  memoFor,
  nonceValue,
  type ProposalFields,
  recipientAta,
  releaseMessageOf,
  releaseOnChain,
  requestSolanaWithdrawal,
  type SolanaWithdrawal,
  waitSolanaState,
  waitWithdrawalFinished,
} from './solana-helpers';

jest.setTimeout(120_000);

let dir: string;
let devnet: Devnet;
let relayer: RelayerProcess | undefined;
const running = new Map<number, AttesterProcess>();

const sol = (): DevnetSolanaSource => devnet.solana!;
const node = (i: number): DevnetAttesterNode => devnet.attesterNodes[i]!;
/** Attester i's multisig signer key (derived from its EVM key, as the attester process derives it). */
const solKey = (i: number): PublicKey => attesterSolanaKeypair(node(i).env.ATTESTER_KEY!).publicKey;
const relayerConfigPath = (): string => join(dir, 'relayer.json');

async function startNode(i: number): Promise<void> {
  const path = join(dir, `${node(i).name}.json`);
  node(i).writeConfig(path);
  running.set(i, await startAttesterProcess(path, node(i).env));
}

async function startRelayer(): Promise<RelayerProcess> {
  relayer = await startRelayerProcess(relayerConfigPath(), devnet.env, 60_000);
  return relayer;
}

/** Output of the processes, for a failure's message. */
const tails = (): string => [`--- relayer ---\n${relayer?.output().slice(-3000) ?? ''}`, ...[...running].map(([i, p]) => `--- attester-${i} ---\n${p.output().slice(-1500)}`)].join('\n');

async function explain<T>(p: Promise<T>): Promise<T> {
  return p.catch((error: unknown) => {
    throw new Error(`${String(error)}\n${tails()}`);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-solana-attesters-'));
  devnet = await startDevnet({
    sources: 1,
    attesters: 3,
    threshold: 2,
    users: 1,
    databasePath: join(dir, 'relayer.sqlite'),
    solana: { users: 2 },
    attesterProcesses: { timeoutMs: 3000, logLevel: 'warn' },
    relayer: { logLevel: 'warn' },
  });
  devnet.writeConfig(relayerConfigPath());
  await Promise.all([0, 1, 2].map((i) => startNode(i)));
  await startRelayer();
});

afterAll(async () => {
  await relayer?.stop();
  await Promise.all([...running.values()].map((p) => p.kill()));
  await devnet?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Withdrawals released so far, with the nonce value their release was signed over. */
const released: { w: SolanaWithdrawal; nonceValue: string }[] = [];

/** `signers`: the attesters whose keys must have signed (undefined: any two distinct of the three). */
async function expectReleasedBy(w: SolanaWithdrawal, signers?: readonly number[]): Promise<void> {
  const done = await explain(waitWithdrawalFinished(relayer!.url, w.guid, 60_000));
  const txHash = done.result!.txHash;
  const onChain = await releaseOnChain(sol(), txHash);
  expect(onChain.err).toBeNull();
  expect(onChain.feePayer).toBe(sol().poster.publicKey.toBase58());
  // Exactly the threshold of multisig signer signatures besides the fee payer's, all attester keys, all verifying.
  expect(onChain.otherSigners).toHaveLength(2);
  expect(new Set(onChain.otherSigners).size).toBe(2);
  for (const k of onChain.otherSigners) expect([0, 1, 2].map((i) => solKey(i).toBase58())).toContain(k);
  if (signers !== undefined) expect([...onChain.otherSigners].sort()).toEqual(signers.map((i) => solKey(i).toBase58()).sort());
  expect([...onChain.transferSigners].sort()).toEqual([...onChain.otherSigners].sort());
  expect(onChain.signaturesVerify).toBe(true);
  expect(await sol().balanceOf(recipientAta(w.mint, w.recipient), 'finalized')).toBe(w.amount);
  expect(Number(await devnet.destination.receiver.getFunction('withdrawalStatus')(w.guid))).toBe(2); // FINISHED
  released.push({ w, nonceValue: onChain.nonceValue });
}

it('credits a Solana deposit with 2 of the 3 attester processes signing the receiver batch', async () => {
  const s = sol();
  const a = await s.deposit({ user: s.users[0]!, mint: s.mints.usdc.mint, amount: 1_000_000_000n, memo: memoFor(devnet, accountOf(devnet, 1)) });
  const b = await s.deposit({ user: s.users[1]!, mint: s.mints.sol9.mint, amount: 5_000_000_000n, memo: memoFor(devnet, accountOf(devnet, 2)) });
  const rows = await explain(Promise.all([a, b].map((d) => waitSolanaState(relayer!.url, s.eid, d.signature, 'CREDITED', 60_000))));
  expect(rows.map((r) => r.nonce)).toEqual(['1', '2']);
  const attesters = devnet.attesterNodes.map((n) => n.address);
  for (const r of rows) {
    const signers = await receiverTxSigners(devnet, r.creditTxHash!);
    expect(signers).toHaveLength(2);
    for (const signer of signers) expect(attesters).toContain(signer);
  }
  expect((await positionOf(devnet, accountOf(devnet, 1), s.eid, solanaAddressToBytes32(s.mints.usdc.mint.toBase58()))).rawAmount).toBe(1_000_000_000n);
});

it('releases a withdrawal to a Solana recipient with exactly two attester multisig signatures, and it finishes', async () => {
  const w = await requestSolanaWithdrawal(devnet, 1, sol().mints.usdc.mint, 400_000_000n, Keypair.generate().publicKey);
  await expectReleasedBy(w);
});

it('with one attester process stopped, the next withdrawal is released by the other two (the relayer swaps in the third signer)', async () => {
  await running.get(0)!.kill();
  running.delete(0);
  const w = await requestSolanaWithdrawal(devnet, 2, sol().mints.sol9.mint, 1_000_000_000n, Keypair.generate().publicKey);
  await expectReleasedBy(w, [1, 2]);
});

type Answer = { status: number; body: { signer?: string; digest?: string; signature?: string; refused?: { reason: string; detail: string }[] } };

async function propose(i: number, message: Uint8Array, token: string | null = node(i).env.ATTESTER_TOKEN!): Promise<Answer> {
  const res = await fetch(`${node(i).url}/attest/solana-release`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ eid: sol().eid, message: Buffer.from(message).toString('base64') }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] }; // the attester answers a signature or its refusals (401: neither)
}

const refusal = (a: Answer): { status: number; reason: string | undefined; detail: string | undefined } => ({ status: a.status, reason: a.body.refused?.[0]?.reason, detail: a.body.refused?.[0]?.detail });

it('an attester asked directly refuses every release but the exact one (not-seen, field-mismatch, malformed, already-released, nonce-moved, 401), and signs that one', async () => {
  const s = sol();
  // The relayer stopped: the next withdrawal stays unreleased while it is proposed by hand.
  await relayer!.stop();
  const w = await requestSolanaWithdrawal(devnet, 1, s.mints.usdc.mint, 100_000_000n, Keypair.generate().publicKey);
  const current = await nonceValue(s, 'finalized');
  expect(await nonceValue(s, 'confirmed')).toBe(current);
  const signers = [solKey(1), solKey(2)];
  const fieldsOf = (x: SolanaWithdrawal): ProposalFields => ({ guid: x.guid, withdrawalNonce: x.nonce, account: x.account, amount: x.amount, recipient: x.recipient, mint: x.mint.equals(s.mints.usdc.mint) ? 'usdc' : 'sol9', nonceValue: current, signers });
  const exact = fieldsOf(w);
  const messageOf = (f: Partial<ProposalFields>): Uint8Array => releaseMessageOf(s, { ...exact, ...f });

  // No token, a wrong token: 401, whatever the message.
  expect((await propose(1, messageOf({}), null)).status).toBe(401);
  expect((await propose(1, messageOf({}), 'not-the-token')).status).toBe(401);

  // A withdrawal GUID nobody ever requested.
  expect(refusal(await propose(1, messageOf({ guid: `0x${randomBytes(32).toString('hex')}` })))).toMatchObject({ status: 409, reason: 'not-seen' });

  // Once the attester's own watcher has the withdrawal at finality: a different amount (memo and transfer agreeing).
  const moreAmount = await waitFor(async () => {
    const r = refusal(await propose(1, messageOf({ amount: w.amount + 1n })));
    return r.reason === 'not-seen' || r.reason === 'not-final' ? undefined : r;
  });
  expect(moreAmount).toMatchObject({ status: 409, reason: 'field-mismatch', detail: stringMatching(/^amount: the withdrawal has 100000000, the message 100000001$/) });
  // Another recipient; another mint (same amount); another account.
  expect(refusal(await propose(1, messageOf({ recipient: Keypair.generate().publicKey })))).toMatchObject({ status: 409, reason: 'field-mismatch', detail: stringMatching(/^recipient: /) });
  expect(refusal(await propose(1, messageOf({ mint: 'sol9' })))).toMatchObject({ status: 409, reason: 'field-mismatch', detail: stringMatching(/^asset: /) });
  expect(refusal(await propose(1, messageOf({ account: accountOf(devnet, 3) })))).toMatchObject({ status: 409, reason: 'field-mismatch', detail: stringMatching(/^account: /) });
  // The transfer alone paying more than its memo says: the decoder refuses the layout before any withdrawal is looked up.
  const patched = patchTransferAmount(messageOf({}), w.amount, w.amount * 2n);
  expect(refusal(await propose(1, patched))).toMatchObject({ status: 409, reason: 'malformed', detail: stringContaining('amount-mismatch') });
  // A message this attester is not a transfer signer of.
  expect(refusal(await propose(1, messageOf({ signers: [solKey(0), solKey(2)] })))).toMatchObject({ status: 409, reason: 'not-a-signer' });

  // The first withdrawal, exactly as it was, over the current nonce: already released.
  const first = released[0]!;
  expect(refusal(await propose(1, releaseMessageOf(s, fieldsOf(first.w))))).toMatchObject({ status: 409, reason: 'already-released' });
  // This withdrawal over the nonce value the first release consumed: stale.
  expect(first.nonceValue).not.toBe(current);
  expect(refusal(await propose(1, messageOf({ nonceValue: first.nonceValue })))).toMatchObject({ status: 409, reason: 'nonce-moved', detail: stringContaining(current) });

  // The exact release: signed by each of its two signers, each signature its own key's over these very bytes.
  const message = messageOf({});
  for (const i of [1, 2]) {
    const answer = await propose(i, message);
    expect({ i, status: answer.status, refused: answer.body.refused }).toEqual({ i, status: 200, refused: undefined });
    expect(answer.body.signer).toBe(solKey(i).toBase58());
    expect(answer.body.digest).toBe(`0x${createHash('sha256').update(message).digest('hex')}`);
    const signature = Buffer.from(answer.body.signature!.slice(2), 'hex');
    expect(verifyReleaseSignature(message, solKey(i), signature)).toBe(true);
    expect(verifyReleaseSignature(message, solKey(i === 1 ? 2 : 1), signature)).toBe(false);
    expect(verifyReleaseSignature(messageOf({ amount: w.amount + 1n }), solKey(i), signature)).toBe(false);
  }

  // The relayer back on its database releases it once (attester-0 still down: signers 1 and 2).
  await startRelayer();
  await expectReleasedBy(w, [1, 2]);
  // The very message signed above, asked again now that it has been paid: refused.
  expect(refusal(await propose(1, message))).toMatchObject({ status: 409, reason: 'already-released' });
});

/** Polls `probe` (every 200 ms, up to 30 s) until it returns a value. */
async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out\n${tails()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The message with the TransferChecked's amount (u64 LE after its 1-byte tag 12; its data is the only
 * `[12, amount, decimals]` run) changed from `from` to `to`: the memo still says `from`.
 */
function patchTransferAmount(message: Uint8Array, from: bigint, to: bigint): Uint8Array {
  const le = (v: bigint): Buffer => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(v);
    return b;
  };
  const bytes = Buffer.from(message);
  const needle = Buffer.concat([Buffer.from([10, 12]), le(from)]); // data length 10, tag 12 (TransferChecked), amount
  const at = bytes.indexOf(needle);
  if (at < 0 || bytes.indexOf(needle, at + 1) >= 0) throw new Error('no unique TransferChecked data in the message');
  le(to).copy(bytes, at + 2);
  return new Uint8Array(bytes);
}
