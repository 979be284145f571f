/**
 * The gas measurements of the two-way book and the live value (docs/two-way-book.md, docs/credit-message.md), on a
 * fresh anvil: `pnpm bench:gas` (gas.ts) prints them and writes contracts/gas-snapshot.json; the test
 * test/contracts/gas-snapshot.test.ts measures again and fails when a figure grew by more than 2 % over the
 * committed snapshot. Measures; asserts nothing.
 */
import { ethers } from '../ts/index';
import type { AnvilInstance } from '../ts/anvil';
import {
  FAR_FUTURE,
  SRC_EID,
  creditPacket,
  deployCreditSystem,
  encodeMarkMessage,
  releaseResultPacket,
  releaseResults,
  signBatch,
  submitMarks,
  submitPackets,
  toBytes32,
  withdrawalPacket,
  withdrawalRequests,
  type CreditSystem,
  type WithdrawalRequest,
} from '../../test/support/deploy';

export const BATCH_SIZES = [1, 10, 50] as const;
const RESULT_BATCH_SIZES = [1, 10] as const;
const MARK_BATCH_SIZES = [1, 10] as const;
const SETUPS = [
  { label: '1-of-1', attesters: 1, threshold: 1 },
  { label: '2-of-3', attesters: 3, threshold: 2 },
] as const;
export const CHAIN_ID = 31337;

export interface Row {
  attestation: string;
  batchSize: number;
  accounts: 'new' | 'existing';
  gasUsed: number;
  gasPerCredit: number;
}

export interface MarkRow {
  attestation: string;
  batchSize: number;
  gasUsed: number;
  gasPerMark: number;
}

export interface ReleaseRow {
  batchSize: number;
  recipients: 'new' | 'existing';
  gasUsed: number;
  gasPerRelease: number;
}

export interface ResultRow {
  batchSize: number;
  gasUsed: number;
  gasPerResult: number;
}

/** What gas-snapshot.json holds. */
export interface GasSnapshot {
  submitCredits: Row[];
  submitMarks: MarkRow[];
  requestWithdrawal: { gasUsed: number };
  submitReleases: ReleaseRow[];
  submitReleaseResults: ResultRow[];
  lock: { gasUsed: number };
}

async function mined(tx: Promise<unknown>, what: string): Promise<ethers.TransactionReceipt> {
  const receipt = await ((await tx) as ethers.ContractTransactionResponse).wait(); // non-view call
  if (receipt === null || receipt.status !== 1) throw new Error(`${what} failed`);
  return receipt;
}

async function submit(s: CreditSystem, signers: ethers.Wallet[], packets: string[]): Promise<ethers.TransactionReceipt> {
  return mined(submitPackets(s, signers, packets), 'submit');
}

async function submitReleases(s: CreditSystem, signers: ethers.Wallet[], requests: readonly WithdrawalRequest[]): Promise<ethers.TransactionReceipt> {
  const packets = requests.map((w) => withdrawalPacket(s, w));
  return mined(s.vault.getFunction('submitReleases')(packets, FAR_FUTURE, signBatch(signers, s.vaultDomain, packets, FAR_FUTURE)), 'submitReleases');
}

function accountOf(i: number): string {
  return ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(0x1000 + i), 20));
}

/** Credits per batch size and attestation, to new accounts then to the same (existing) positions. */
export async function measureCredits(anvil: AnvilInstance): Promise<Row[]> {
  const [deployer, ...rest] = anvil.accounts;
  if (deployer === undefined) throw new Error('anvil accounts');
  const rows: Row[] = [];
  for (const setup of SETUPS) {
    const signers = rest.slice(0, setup.attesters);
    const chosen = signers.slice(0, setup.threshold);
    for (const size of BATCH_SIZES) {
      const s = await deployCreditSystem({ deployer, attesters: signers.map((w) => w.address), threshold: setup.threshold, chainId: CHAIN_ID });
      // Warm-up: nonce 1 makes lastNonce and the asset's book non-zero, as on a receiver in service.
      await submit(s, chosen, [creditPacket(s, 1n, accountOf(100_000))]);
      let nonce = 2n;
      for (const accounts of ['new', 'existing'] as const) {
        const packets = Array.from({ length: size }, (_, i) => creditPacket(s, nonce + BigInt(i), accountOf(i)));
        nonce += BigInt(size);
        const gas = Number((await submit(s, chosen, packets)).gasUsed);
        rows.push({ attestation: setup.label, batchSize: size, accounts, gasUsed: gas, gasPerCredit: Math.round(gas / size) });
      }
    }
  }
  return rows;
}

/** Marks of `size` different assets in one batch, each asset already marked once (a receiver in service). */
export async function measureMarks(anvil: AnvilInstance): Promise<MarkRow[]> {
  const [deployer, ...rest] = anvil.accounts;
  if (deployer === undefined) throw new Error('anvil accounts');
  const rows: MarkRow[] = [];
  for (const setup of SETUPS) {
    const signers = rest.slice(0, setup.attesters);
    const chosen = signers.slice(0, setup.threshold);
    const s = await deployCreditSystem({ deployer, attesters: signers.map((w) => w.address), threshold: setup.threshold, chainId: CHAIN_ID });
    const assets = Array.from({ length: Math.max(...MARK_BATCH_SIZES) }, (_, i) => toBytes32(accountOf(70_000 + i)));
    for (const asset of assets) await mined(s.receiver.getFunction('registerAsset')(SRC_EID, asset, 18, 3600, 10n ** 30n), 'registerAsset');
    const now = BigInt((await anvil.provider.getBlock('latest'))!.timestamp);
    let nonce = 1n;
    const post = (n: number): Promise<ethers.TransactionReceipt> => {
      const marks = assets.slice(0, n).map((asset, i) => encodeMarkMessage({ srcEid: SRC_EID, asset, markNonce: nonce, price: 3_000n * 10n ** 18n + BigInt(i) + nonce, priceTimestamp: now, haircut: 15n * 10n ** 16n }));
      nonce += 1n;
      return mined(submitMarks(s, chosen, marks), 'submitMarks');
    };
    await post(assets.length); // warm-up: every asset has a mark
    for (const size of MARK_BATCH_SIZES) {
      const gas = Number((await post(size)).gasUsed);
      rows.push({ attestation: setup.label, batchSize: size, gasUsed: gas, gasPerMark: Math.round(gas / size) });
    }
  }
  return rows;
}

/**
 * One system, 1-of-1 on both contracts; `deployer` is the account: it locks a large amount, which is credited, then
 * requests withdrawals (the first one warms the account's position and the path's outbound nonce).
 */
export async function measureWithdrawals(anvil: AnvilInstance): Promise<{ requestGas: number; releases: ReleaseRow[]; results: ResultRow[]; lockGas: number }> {
  const [deployer, attester] = anvil.accounts;
  if (deployer === undefined || attester === undefined) throw new Error('anvil accounts');
  const s = await deployCreditSystem({ deployer, attesters: [attester.address], threshold: 1, chainId: CHAIN_ID });
  const total = 10n ** 15n;
  await mined(s.token.getFunction('mint')(deployer.address, total * 2n), 'mint');
  await mined(s.token.getFunction('approve')(s.vaultAddress, ethers.MaxUint256), 'approve');
  await mined(s.vault.getFunction('lock')(s.tokenAddress, total, toBytes32(deployer.address)), 'lock');
  const lockGas = Number((await mined(s.vault.getFunction('lock')(s.tokenAddress, 1_000_000n, toBytes32(accountOf(2))), 'lock')).gasUsed);
  // The path's inbound nonces 1 and 2.
  await submit(s, [attester], [creditPacket(s, 1n, deployer.address, { rawAmount: total, haircutValue: total * 10n ** 12n })]);
  await submit(s, [attester], [creditPacket(s, 2n, accountOf(2), { rawAmount: 1_000_000n, haircutValue: 10n ** 18n })]);

  const request = async (recipient: string): Promise<{ w: WithdrawalRequest; gas: number }> => {
    const receipt = await mined(s.receiver.getFunction('requestWithdrawal')(SRC_EID, toBytes32(s.tokenAddress), 1_000n, toBytes32(recipient)), 'requestWithdrawal');
    const w = withdrawalRequests(s, receipt)[0];
    if (w === undefined) throw new Error('no WithdrawalRequested');
    return { w, gas: Number(receipt.gasUsed) };
  };
  const requests = async (n: number, recipient: (i: number) => string): Promise<WithdrawalRequest[]> => {
    const out: WithdrawalRequest[] = [];
    for (let i = 0; i < n; i++) out.push((await request(recipient(i))).w);
    return out;
  };

  /** Releases `ws` on the vault and carries the results back to the receiver; returns the release receipt. */
  const roundTrip = async (ws: readonly WithdrawalRequest[]): Promise<ethers.TransactionReceipt> => {
    const receipt = await submitReleases(s, [attester], ws);
    await submit(s, [attester], releaseResults(s, receipt).map((r) => releaseResultPacket(s, r)));
    return receipt;
  };

  // Warm-up: one full round trip, so every nonce slot on both paths is non-zero (a system in service).
  await roundTrip(await requests(1, () => accountOf(200_000)));
  const measured = await request(accountOf(300_000));
  await roundTrip([measured.w]);

  const releases: ReleaseRow[] = [];
  let recipientBase = 10_000;
  for (const size of BATCH_SIZES) {
    for (const recipients of ['new', 'existing'] as const) {
      const base = recipientBase;
      const gas = Number((await roundTrip(await requests(size, (i) => accountOf(base + i)))).gasUsed);
      if (recipients === 'existing') recipientBase += size;
      releases.push({ batchSize: size, recipients, gasUsed: gas, gasPerRelease: Math.round(gas / size) });
    }
  }

  const results: ResultRow[] = [];
  for (const size of RESULT_BATCH_SIZES) {
    const ws = await requests(size, (i) => accountOf(50_000 + i));
    const rs = releaseResults(s, await submitReleases(s, [attester], ws));
    const gas = Number((await submit(s, [attester], rs.map((r) => releaseResultPacket(s, r)))).gasUsed);
    results.push({ batchSize: size, gasUsed: gas, gasPerResult: Math.round(gas / size) });
  }
  const requestGas = measured.gas;
  return { requestGas, releases, results, lockGas };
}


/** Every measurement of the snapshot. */
export async function measureAll(anvil: AnvilInstance): Promise<GasSnapshot> {
  const submitCredits = await measureCredits(anvil);
  const marks = await measureMarks(anvil);
  const { requestGas, releases, results, lockGas } = await measureWithdrawals(anvil);
  return { submitCredits, submitMarks: marks, requestWithdrawal: { gasUsed: requestGas }, submitReleases: releases, submitReleaseResults: results, lock: { gasUsed: lockGas } };
}

/** Every figure of a snapshot by a stable name (e.g. `submitCredits.2-of-3.50.existing`), for comparisons. */
export function flattenSnapshot(s: GasSnapshot): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of s.submitCredits) out.set(`submitCredits.${r.attestation}.${r.batchSize}.${r.accounts}`, r.gasUsed);
  for (const r of s.submitMarks) out.set(`submitMarks.${r.attestation}.${r.batchSize}`, r.gasUsed);
  out.set('requestWithdrawal', s.requestWithdrawal.gasUsed);
  for (const r of s.submitReleases) out.set(`submitReleases.${r.batchSize}.${r.recipients}`, r.gasUsed);
  for (const r of s.submitReleaseResults) out.set(`submitReleaseResults.${r.batchSize}`, r.gasUsed);
  out.set('lock', s.lock.gasUsed);
  return out;
}
