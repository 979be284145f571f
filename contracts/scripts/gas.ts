/**
 * Gas benchmark of the two-way book on a fresh anvil (docs/two-way-book.md):
 * - MarginCreditReceiver.submit of CREDIT packets: gas per credit for batches of 1, 10 and 50 with 1-of-1 and 2-of-3
 *   attestation, to new and existing accounts;
 * - MarginCreditReceiver.requestWithdrawal;
 * - CollateralVault.submitReleases: gas per release for batches of 1, 10 and 50 (1-of-1), to new and existing
 *   recipients;
 * - MarginCreditReceiver.submit of RELEASE_RESULT packets (RELEASED): batches of 1 and 10 (1-of-1);
 * - CollateralVault.lock.
 * Prints tables and writes contracts/gas-snapshot.json (commit it, so a change in cost shows in review). Measures;
 * asserts nothing.
 *
 * Run: `pnpm bench:gas` (root) = `tsx contracts/scripts/gas.ts`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ethers } from '../ts/index';
import { startAnvil, type AnvilInstance } from '../ts/anvil';
import {
  FAR_FUTURE,
  SRC_EID,
  creditPacket,
  deployCreditSystem,
  releaseResultPacket,
  releaseResults,
  signBatch,
  toBytes32,
  withdrawalPacket,
  withdrawalRequests,
  type CreditSystem,
  type WithdrawalRequest,
} from '../../test/support/deploy';
import { CONTRACTS_DIR, build, isBuildCurrent } from './build';

const BATCH_SIZES = [1, 10, 50] as const;
const RESULT_BATCH_SIZES = [1, 10] as const;
const SETUPS = [
  { label: '1-of-1', attesters: 1, threshold: 1 },
  { label: '2-of-3', attesters: 3, threshold: 2 },
] as const;
const CHAIN_ID = 31337;

interface Row {
  attestation: string;
  batchSize: number;
  accounts: 'new' | 'existing';
  gasUsed: number;
  gasPerCredit: number;
}

interface ReleaseRow {
  batchSize: number;
  recipients: 'new' | 'existing';
  gasUsed: number;
  gasPerRelease: number;
}

interface ResultRow {
  batchSize: number;
  gasUsed: number;
  gasPerResult: number;
}

async function mined(tx: Promise<unknown>, what: string): Promise<ethers.TransactionReceipt> {
  const receipt = await ((await tx) as ethers.ContractTransactionResponse).wait(); // non-view call
  if (receipt === null || receipt.status !== 1) throw new Error(`${what} failed`);
  return receipt;
}

async function submit(s: CreditSystem, signers: ethers.Wallet[], packets: string[]): Promise<ethers.TransactionReceipt> {
  const sigs = signBatch(signers, s.domain, packets, FAR_FUTURE);
  return mined(s.receiver.getFunction('submit')(packets, FAR_FUTURE, sigs), 'submit');
}

async function submitReleases(s: CreditSystem, signers: ethers.Wallet[], requests: readonly WithdrawalRequest[]): Promise<ethers.TransactionReceipt> {
  const packets = requests.map((w) => withdrawalPacket(s, w));
  return mined(s.vault.getFunction('submitReleases')(packets, FAR_FUTURE, signBatch(signers, s.vaultDomain, packets, FAR_FUTURE)), 'submitReleases');
}

function accountOf(i: number): string {
  return ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(0x1000 + i), 20));
}

async function measureCredits(anvil: AnvilInstance): Promise<Row[]> {
  const [deployer, ...rest] = anvil.accounts;
  if (deployer === undefined) throw new Error('anvil accounts');
  const rows: Row[] = [];
  for (const setup of SETUPS) {
    const signers = rest.slice(0, setup.attesters);
    const chosen = signers.slice(0, setup.threshold);
    for (const size of BATCH_SIZES) {
      const s = await deployCreditSystem({ deployer, attesters: signers.map((w) => w.address), threshold: setup.threshold, chainId: CHAIN_ID });
      // Warm-up: nonce 1 makes lastNonce non-zero, as on a receiver in service.
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

/**
 * One system, 1-of-1 on both contracts; `deployer` is the account: it locks a large amount, which is credited, then
 * requests withdrawals (the first one warms the account's frozen slot and the path's outbound nonce).
 */
async function measureWithdrawals(anvil: AnvilInstance): Promise<{ requestGas: number; releases: ReleaseRow[]; results: ResultRow[]; lockGas: number }> {
  const [deployer, attester] = anvil.accounts;
  if (deployer === undefined || attester === undefined) throw new Error('anvil accounts');
  const s = await deployCreditSystem({ deployer, attesters: [attester.address], threshold: 1, chainId: CHAIN_ID });
  const total = 10n ** 15n;
  await mined(s.token.getFunction('mint')(deployer.address, total * 2n), 'mint');
  await mined(s.token.getFunction('approve')(s.vaultAddress, ethers.MaxUint256), 'approve');
  await mined(s.vault.getFunction('lock')(s.tokenAddress, total, toBytes32(deployer.address)), 'lock');
  const lockGas = Number((await mined(s.vault.getFunction('lock')(s.tokenAddress, 1_000_000n, toBytes32(accountOf(2))), 'lock')).gasUsed);
  let inbound = 1n;
  await submit(s, [attester], [creditPacket(s, inbound++, deployer.address, { rawAmount: total, haircutValue: total * 10n ** 12n })]);
  await submit(s, [attester], [creditPacket(s, inbound++, accountOf(2), { rawAmount: 1_000_000n, haircutValue: 10n ** 18n })]);

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

async function main(): Promise<void> {
  if (!isBuildCurrent()) build();
  const anvil = await startAnvil({ chainId: CHAIN_ID });
  try {
    const rows = await measureCredits(anvil);
    const { requestGas, releases, results, lockGas } = await measureWithdrawals(anvil);
    const credits = ['| attestation | batch | accounts | gas used | gas per credit |', '|---|---:|---|---:|---:|', ...rows.map((r) => `| ${r.attestation} | ${r.batchSize} | ${r.accounts} | ${r.gasUsed} | ${r.gasPerCredit} |`)];
    const releaseLines = ['| batch | recipients | gas used | gas per release |', '|---:|---|---:|---:|', ...releases.map((r) => `| ${r.batchSize} | ${r.recipients} | ${r.gasUsed} | ${r.gasPerRelease} |`)];
    const resultLines = ['| batch | gas used | gas per result |', '|---:|---:|---:|', ...results.map((r) => `| ${r.batchSize} | ${r.gasUsed} | ${r.gasPerResult} |`)];
    process.stdout.write(
      [
        'MarginCreditReceiver.submit, CREDIT packets (tx gas incl. 21000 base and calldata)',
        ...credits,
        '',
        `MarginCreditReceiver.requestWithdrawal (account with credit, warm path): ${requestGas} gas`,
        '',
        'CollateralVault.submitReleases, 1-of-1 (each release: transfer + ReleaseResult)',
        ...releaseLines,
        '',
        'MarginCreditReceiver.submit, RELEASE_RESULT packets (RELEASED), 1-of-1',
        ...resultLines,
        '',
        `CollateralVault.lock (second lock, warm asset slot): ${lockGas} gas`,
        '',
      ].join('\n'),
    );
    const snapshot = {
      note: 'Generated by `pnpm bench:gas` (contracts/scripts/gas.ts). Transaction gasUsed on anvil; "new" accounts/recipients have no credit/balance yet, "existing" ones do. Nonce slots are warm (one earlier batch on every path).',
      compiler: { solc: '0.8.37', optimizerRuns: 200, evmVersion: 'cancun' },
      submitCredits: rows,
      requestWithdrawal: { gasUsed: requestGas },
      submitReleases: releases,
      submitReleaseResults: results,
      lock: { gasUsed: lockGas },
    };
    writeFileSync(join(CONTRACTS_DIR, 'gas-snapshot.json'), JSON.stringify(snapshot, null, 2) + '\n');
  } finally {
    await anvil.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
