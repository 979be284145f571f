/**
 * The demo's Solana source chain (docs/solana.md): deposits into the attesters' SPL Token multisig vault with a
 * `ccr:v1:<dstEid>:<account>` memo, found again in the relayer's API by their transaction signature; withdrawals to a
 * Solana wallet requested on the derivatives chain; who signed a release, read from the transaction on chain; the
 * receiver's marks of the Solana assets. Reads only (the relayer and the devnet do the work).
 */
import { encodeDepositMemo, type Hex, solanaAddressToBytes32 } from '@ccr/messages';
import { getAssociatedTokenAddressSync } from '@solana/spl-token';
import type { Keypair, PublicKey } from '@solana/web3.js';
import { ethers } from '../../contracts/ts/index';
import { addressToBytes32, type Devnet, type DevnetSolanaSource } from '../../test/support/devnet';
import type { ChainMark } from './live-value';
import { type DepositJson, fetchDeposit, type WithdrawalJson } from './relayer-api';
import { waitFor } from './wait';

export type SolanaAsset = 'USDC' | 'SOL';

/** The devnet's Solana source (startDevnet with `solana`), or an error naming what is missing. */
export function solanaOf(d: Devnet): DevnetSolanaSource {
  if (d.solana === undefined) throw new Error('the devnet was started without `solana`');
  return d.solana;
}

/** The mint of a Solana asset of the devnet (USDC: 6 decimals, SOL: 9). */
export function solanaMint(s: DevnetSolanaSource, asset: SolanaAsset): { mint: PublicKey; decimals: number; vault: PublicKey } {
  return asset === 'USDC' ? s.mints.usdc : s.mints.sol9;
}

/** bytes32 of the asset as the receiver and the relayer key it (the mint's 32 bytes). */
export function solanaAssetKey(s: DevnetSolanaSource, asset: SolanaAsset): string {
  return solanaAddressToBytes32(solanaMint(s, asset).mint.toBase58()).toLowerCase();
}

/** The deposit memo crediting the derivatives-chain `address` (an EVM address) on the devnet's receiver chain. */
export function depositMemo(d: Devnet, address: string): string {
  return encodeDepositMemo({ dstEid: d.destination.eid, account: addressToBytes32(address) as Hex }); // addressToBytes32 gives 0x + 64 hex digits
}

export type SolanaDepositRecord = {
  signature: string;
  slot: number;
  depositor: Keypair;
  asset: SolanaAsset;
  amount: bigint;
  memo: string | null;
};

/** One transferChecked into the vault account of `asset` (with the memo when given); waits until confirmed. */
export async function depositOnSolana(s: DevnetSolanaSource, depositor: Keypair, asset: SolanaAsset, amount: bigint, memo: string | null): Promise<SolanaDepositRecord> {
  const landed = await s.deposit({ user: depositor, mint: solanaMint(s, asset).mint, amount, memo });
  if (landed.err !== null) throw new Error(`deposit ${landed.signature} failed on chain: ${JSON.stringify(landed.err)}`);
  return { signature: landed.signature, slot: landed.slot, depositor, asset, amount, memo };
}

/** The relayer's row of the Solana deposit made in transaction `signature` (GET /deposits, then GET /deposits/:guid), or undefined while it has none. */
export async function solanaDepositRow(api: string, eid: number, signature: string): Promise<DepositJson | undefined> {
  const res = await fetch(`${api}/deposits?limit=1000`, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`GET /deposits: HTTP ${res.status}`);
  const rows = (await res.json()) as { guid: string; srcEid: number; txHash: string }[]; // DepositView[] (apps/relayer/src/api/deposit-view.ts)
  const row = rows.find((r) => r.srcEid === eid && r.txHash === signature);
  return row === undefined ? undefined : fetchDeposit(api, row.guid);
}

/** Every withdrawal (refunds included) paid out by the vault of `eid`, from GET /withdrawals. */
export async function vaultWithdrawals(api: string, eid: number): Promise<WithdrawalJson[]> {
  const res = await fetch(`${api}/withdrawals?limit=500`, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`GET /withdrawals: HTTP ${res.status}`);
  return ((await res.json()) as WithdrawalJson[]).filter((w) => w.vaultEid === eid); // WithdrawalView[] (apps/relayer/src/api/withdrawal-view.ts)
}

/** Polls until the deposit of `signature` is in one of `states`. */
export async function awaitSolanaDeposit(api: string, eid: number, signature: string, states: readonly string[], timeoutMs = 60_000): Promise<DepositJson> {
  return waitFor(
    `Solana deposit ${signature.slice(0, 8)}… ${states.join('/')}`,
    async () => {
      const row = await solanaDepositRow(api, eid, signature);
      if (row === undefined || !states.includes(row.state)) throw new Error(row === undefined ? 'not in the relayer yet' : `${row.state}${row.reason === null ? '' : `(${row.reason})`}`);
      return row;
    },
    timeoutMs,
    150,
  );
}

/** receiver.position(account, srcEid, asset) for a Solana asset: the raw amount and the frozen part. */
export async function solanaPosition(d: Devnet, address: string, asset: SolanaAsset): Promise<{ raw: bigint; frozen: bigint }> {
  const s = solanaOf(d);
  // position returns (uint128 rawAmount, uint128 frozen)
  const [raw, frozen] = (await d.destination.receiver.getFunction('position')(addressToBytes32(address), s.eid, solanaAssetKey(s, asset))) as [bigint, bigint];
  return { raw, frozen };
}

/** requestWithdrawal(40168, mint, amount, recipient) by the derivatives-chain wallet of `address`; the WithdrawalRequested event's GUID and nonce. */
export async function requestSolanaWithdrawal(d: Devnet, address: string, asset: SolanaAsset, amount: bigint, recipient: PublicKey): Promise<{ guid: string; nonce: bigint }> {
  const s = solanaOf(d);
  const wallet = d.destination.anvil.accounts.find((a) => a.address === address);
  if (wallet === undefined) throw new Error(`no derivatives-chain wallet for ${address}`);
  const receiver = d.destination.receiver.connect(wallet) as ethers.Contract; // connect() keeps the ABI
  const tx = (await receiver.getFunction('requestWithdrawal')(s.eid, solanaAssetKey(s, asset), amount, solanaAddressToBytes32(recipient.toBase58()))) as ethers.ContractTransactionResponse;
  const receipt = (await tx.wait())!;
  const parsed = receipt.logs.map((l) => d.destination.receiver.interface.parseLog(l)).find((l) => l?.name === 'WithdrawalRequested');
  if (parsed === undefined || parsed === null) throw new Error('no WithdrawalRequested event');
  return { guid: String(parsed.args.getValue('guid')).toLowerCase(), nonce: BigInt(parsed.args.getValue('nonce') as bigint) }; // uint64 nonce: a bigint
}

/** The associated token account of `owner` for the asset's mint (where a release pays). */
export function recipientTokenAccount(s: DevnetSolanaSource, asset: SolanaAsset, owner: PublicKey): PublicKey {
  return getAssociatedTokenAddressSync(solanaMint(s, asset).mint, owner, true);
}

export type ReleaseSigners = { feePayer: string; multisig: string[]; names: string[] };

/**
 * The signers of the Solana transaction `signature`, read from the transaction at `finalized`: the fee payer (the
 * relayer's poster) and the multisig's signers among the rest, named after the devnet attester holding each key.
 */
export async function releaseSigners(d: Devnet, signature: string): Promise<ReleaseSigners> {
  const s = solanaOf(d);
  const tx = await s.connection.getTransaction(signature, { commitment: 'finalized', maxSupportedTransactionVersion: 0 });
  if (tx === null) throw new Error(`no finalized transaction ${signature}`);
  const message = tx.transaction.message;
  const keys = message.staticAccountKeys.slice(0, message.header.numRequiredSignatures).map((k) => k.toBase58());
  const attesters = s.attesters.map((k) => k.toBase58());
  const multisig = keys.filter((k) => attesters.includes(k));
  const names = multisig.map((k) => d.attesterNodes[attesters.indexOf(k)]?.name ?? k);
  return { feePayer: keys[0] ?? '', multisig, names };
}

/** The receiver's marks of the Solana assets (as live-value.ts's readMarks has those of the EVM sources). */
export async function solanaMarks(d: Devnet): Promise<ChainMark[]> {
  const s = solanaOf(d);
  const out: ChainMark[] = [];
  for (const symbol of ['USDC', 'SOL'] as const) {
    const asset = solanaAssetKey(s, symbol);
    // markOf returns (uint128 price, uint64 haircut, uint64 timestamp, uint64 nonce): bigints from ethers
    const [price, haircut, timestamp, nonce] = (await d.destination.receiver.getFunction('markOf')(s.eid, asset)) as [bigint, bigint, bigint, bigint];
    out.push({ chain: s.name, srcEid: s.eid, symbol, asset, price, haircut, timestamp, nonce });
  }
  return out;
}

/** bytes32 mint → symbol and decimals, for GET /in-flight tables. */
export function solanaTokenInfo(d: Devnet): [string, { symbol: string; decimals: number }][] {
  const s = d.solana;
  if (s === undefined) return [];
  return (['USDC', 'SOL'] as const).map((symbol) => [solanaAssetKey(s, symbol), { symbol, decimals: solanaMint(s, symbol).decimals }]);
}
