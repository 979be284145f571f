/**
 * Helpers of the Solana process tests (solana-attesters, solana-kill): the relayer API's Solana rows, withdrawals to
 * a Solana recipient, what a release transaction on chain was signed by, release messages built by hand (to propose
 * them to an attester directly), and the on-chain credit audit of harness.ts for a Solana path (its vault is the
 * multisig's bytes32, not an EVM vault address).
 */
import { encodeDepositMemo, type Hex, solanaAddressToBytes32 } from '@ccr/messages';
import { getAssociatedTokenAddressSync } from '@solana/spl-token';
import { NonceAccount, PublicKey } from '@solana/web3.js';
import { ethers } from '../../contracts/ts/index';
import { buildReleaseMessage, verifyReleaseSignature } from '../../apps/relayer/src/chains/solana/release-transaction';
import { addressToBytes32, type Devnet, type DevnetSolanaSource } from '../support/devnet';
import { mined } from '../support/tx';
import { auditCreditsOnChain, creditedOnChain, getJson, waitFor, type CreditProbe, type OnChainCredits } from './harness';

export type SolanaRow = { guid: string; state: string; reason: string | null; nonce: string; account: string; amount: string; srcEid: number; txHash: string; token: string; creditTxHash: string | null };

/** The relayer's rows of the Solana source (GET /deposits). */
export async function solanaRows(url: string, eid: number): Promise<SolanaRow[]> {
  const { body } = await getJson<SolanaRow[]>(`${url}/deposits?limit=500`);
  return body.filter((d) => d.srcEid === eid);
}

/** Waits until the row of the Solana transaction `signature` is in `state`. */
export async function waitSolanaState(url: string, eid: number, signature: string, state: string, timeoutMs = 60_000): Promise<SolanaRow> {
  return waitFor(`${signature} ${state}`, async () => {
    const r = (await solanaRows(url, eid)).find((x) => x.txHash === signature);
    if (r?.state === state) return r;
    throw new Error(`now ${r === undefined ? 'no row' : `${r.state} ${r.reason ?? ''}`}`);
  }, timeoutMs);
}

/** The deposit memo crediting `account` (bytes32) on the devnet's derivatives chain. */
export const memoFor = (devnet: Devnet, account: Hex): string => encodeDepositMemo({ dstEid: devnet.destination.eid, account });

/** Destination anvil account i, as bytes32. */
export const accountOf = (devnet: Devnet, i: number): Hex =>
  addressToBytes32(devnet.destination.anvil.accounts[i]!.address) as Hex; // addressToBytes32 answers 0x + 64 hex digits, typed string

export type SolanaWithdrawal = { guid: Hex; nonce: bigint; account: Hex; asset: Hex; amount: bigint; recipient: PublicKey; mint: PublicKey };

/** Destination anvil account `walletIndex` withdraws `amount` of the Solana `mint` to `recipient` (its WithdrawalRequested). */
export async function requestSolanaWithdrawal(devnet: Devnet, walletIndex: number, mint: PublicKey, amount: bigint, recipient: PublicKey): Promise<SolanaWithdrawal> {
  const sol = devnet.solana!;
  const wallet = devnet.destination.anvil.accounts[walletIndex]!;
  const receiver = devnet.destination.receiver.connect(wallet) as ethers.Contract; // connect() keeps the ABI
  const asset = solanaAddressToBytes32(mint.toBase58());
  const receipt = await mined(receiver.getFunction('requestWithdrawal').send(sol.eid, asset, amount, solanaAddressToBytes32(recipient.toBase58())));
  const parsed = receipt.logs.map((l) => devnet.destination.receiver.interface.parseLog(l)).find((l) => l?.name === 'WithdrawalRequested');
  if (parsed === undefined || parsed === null) throw new Error('no WithdrawalRequested event');
  return {
    guid: String(parsed.args.getValue('guid')).toLowerCase() as Hex, // WithdrawalRequested's bytes32 guid: 0x-hex
    nonce: BigInt(parsed.args.getValue('nonce') as bigint), // its uint64 nonce, decoded as a bigint
    account: String(parsed.args.getValue('account')).toLowerCase() as Hex, // its bytes32 account: 0x-hex
    asset,
    amount,
    recipient,
    mint,
  };
}

export type WithdrawalJson = { guid: string; outcome: string; request: { state: string; reason: string | null }; result: { state: string; txHash: string; reason: string | null } | null };

/** Waits until GET /withdrawals/:guid says 'finished' with its RELEASE_RESULT delivered. */
export async function waitWithdrawalFinished(url: string, guid: string, timeoutMs = 60_000): Promise<WithdrawalJson> {
  return waitFor(`withdrawal ${guid} finished`, async () => {
    const { status, body } = await getJson<WithdrawalJson>(`${url}/withdrawals/${guid}`);
    if (status === 200 && body.outcome === 'finished' && body.result?.state === 'DELIVERED') return body;
    throw new Error(JSON.stringify(body).slice(0, 1500));
  }, timeoutMs);
}

export type ReleaseOnChain = {
  feePayer: string;
  /** The transaction's required signers other than the fee payer (base58, in message order). */
  otherSigners: string[];
  /** The multisig signer accounts of its TransferChecked (instruction 2: accounts after source, mint, destination, authority). */
  transferSigners: string[];
  /** Whether each required signature verifies over the message bytes. */
  signaturesVerify: boolean;
  /** The message's recentBlockhash: the durable nonce value it was signed over. */
  nonceValue: string;
  err: unknown;
};

/** A release transaction as the chain has it at `finalized`: who signed it, over which nonce. */
export async function releaseOnChain(sol: DevnetSolanaSource, signature: string): Promise<ReleaseOnChain> {
  const tx = await sol.connection.getTransaction(signature, { maxSupportedTransactionVersion: 0, commitment: 'finalized' });
  if (tx === null) throw new Error(`no finalized transaction ${signature}`);
  const message = tx.transaction.message;
  const keys = message.staticAccountKeys;
  const required = keys.slice(0, message.header.numRequiredSignatures);
  const bytes = message.serialize();
  const signaturesVerify = required.every((k, i) => verifyReleaseSignature(bytes, k, base58Bytes(tx.transaction.signatures[i]!, 64)));
  const transfer = message.compiledInstructions[2];
  const transferSigners = transfer === undefined ? [] : transfer.accountKeyIndexes.slice(4).map((i) => keys[i]!.toBase58());
  return { feePayer: required[0]!.toBase58(), otherSigners: required.slice(1).map((k) => k.toBase58()), transferSigners, signaturesVerify, nonceValue: message.recentBlockhash, err: tx.meta?.err ?? null };
}

/** Base58 text → exactly `length` bytes (leading zero bytes kept). */
function base58Bytes(text: string, length: number): Uint8Array {
  const hex = ethers.toBeHex(ethers.decodeBase58(text), length);
  return ethers.getBytes(hex);
}

/** The durable nonce value the nonce account holds at `commitment`. */
export async function nonceValue(sol: DevnetSolanaSource, commitment: 'finalized' | 'confirmed' = 'finalized'): Promise<string> {
  const info = await sol.connection.getAccountInfo(sol.nonceAccount, commitment);
  if (info === null) throw new Error('no nonce account');
  return NonceAccount.fromAccountData(info.data).nonce;
}

export type ProposalFields = { guid: Hex; withdrawalNonce: bigint; account: Hex; amount: bigint; recipient: PublicKey; mint: 'usdc' | 'sol9'; nonceValue: string; signers: PublicKey[] };

/** The release message the relayer would build for these fields (the canonical layout), to propose by hand. */
export function releaseMessageOf(sol: DevnetSolanaSource, f: ProposalFields): Uint8Array {
  const m = sol.mints[f.mint];
  return buildReleaseMessage({
    feePayer: sol.poster.publicKey,
    nonceAccount: sol.nonceAccount,
    nonceValue: f.nonceValue,
    multisig: sol.multisig,
    signers: f.signers,
    vaultTokenAccount: m.vault,
    mint: m.mint,
    decimals: m.decimals,
    recipient: f.recipient,
    amount: f.amount,
    memo: { withdrawalGuid: f.guid, withdrawalNonce: f.withdrawalNonce, account: f.account, rawAmount: f.amount },
  });
}

/** The recipient's token account of `mint` (its ATA). */
export const recipientAta = (mint: PublicKey, recipient: PublicKey): PublicKey => getAssociatedTokenAddressSync(mint, recipient, true);

/** lastNonce(solana eid, multisig) on the receiver: how many messages of the Solana path it applied. */
export async function solanaLastNonce(devnet: Devnet): Promise<bigint> {
  const sol = devnet.solana!;
  return BigInt((await devnet.destination.receiver.getFunction('lastNonce')(sol.eid, solanaAddressToBytes32(sol.multisig.toBase58()))) as bigint); // uint64 → bigint
}

/** creditedOnChain (harness.ts) for a deposit of the devnet's Solana source. */
export function solanaCreditedOnChain(devnet: Devnet, probe: Pick<CreditProbe, 'guid' | 'nonce'>): Promise<{ applied: boolean; creditTxHashes: string[] }> {
  return creditedOnChain(devnet, { ...probe, srcEid: devnet.solana!.eid });
}

/** auditCreditsOnChain (harness.ts) for deposits of the devnet's Solana source. */
export function auditSolanaCreditsOnChain(devnet: Devnet, probes: readonly Pick<CreditProbe, 'guid' | 'nonce'>[]): Promise<OnChainCredits> {
  return auditCreditsOnChain(devnet, probes.map((p) => ({ ...p, srcEid: devnet.solana!.eid })));
}
