/**
 * Generates packages/messages/vectors/credit-messages.json (schema: docs/credit-message.md, "Vector file").
 *
 *   npx tsx packages/messages/scripts/gen-vectors.ts          # write the file
 *   npx tsx packages/messages/scripts/gen-vectors.ts --check  # exit 1 if the committed file differs
 *
 * The inputs below (fields, eids, receivers, domains) are fixed by hand; everything derived (message, packet, guid,
 * payloadHash, digests) is computed by the package, and every new-type message, guid, packet and payloadHash is
 * checked against an independent ethers `solidityPacked` encoding of the spec tables (test-utils/packed.ts) before the
 * file is written. Changing an input changes the file: commit both together.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AttestationDomain,
  type AttestedPacket,
  type BuildPacketReturnType,
  type CreditMessage,
  type CreditMessageJson,
  type Hex,
  MAX_MARK_HAIRCUT,
  MAX_UINT128,
  MAX_UINT32,
  MAX_UINT64,
  type MarkMessage,
  type MarkMessageJson,
  MessageType,
  type ReceiverDomain,
  type ReleaseResultMessage,
  type ReleaseResultMessageJson,
  ReleaseStatus,
  type VoidMessage,
  type VoidMessageJson,
  VoidReason,
  type WithdrawalMessage,
  type WithdrawalMessageJson,
  batchDigest,
  buildCreditPacket,
  buildReleaseResultPacket,
  buildVoidPacket,
  buildWithdrawalPacket,
  computeGuid,
  computePayloadHash,
  creditMessageToJson,
  encodeCreditMessage,
  encodeMarkMessage,
  encodeReleaseResultMessage,
  encodeVoidMessage,
  encodeWithdrawalMessage,
  evmAddressToBytes32,
  markBatchDigest,
  markMessageToJson,
  packetDigest,
  receiverDomain,
  releaseResultMessageToJson,
  serializePacket,
  solanaAddressToBytes32,
  vaultDomain,
  voidMessageToJson,
  withdrawalMessageToJson,
} from '../src';
import { type PackedHeader, packedMark, packedPacket, packedReleaseResult, packedVoid, packedWithdrawal } from '../test-utils/packed';

export const VECTORS_PATH = join(__dirname, '..', 'vectors', 'credit-messages.json');

const E18 = 10n ** 18n;

/** The spec formula with one final floor: rawAmount·price/10^dec · (1 − haircut) · sizeWeight. */
function haircutValueOf(rawAmount: bigint, price: bigint, assetDecimals: number, haircut: bigint, sizeWeight: bigint): bigint {
  return (rawAmount * price * (E18 - haircut) * sizeWeight) / (10n ** BigInt(assetDecimals) * E18 * E18);
}

const pad32 = (hexDigits: string): Hex => `0x${hexDigits.padStart(64, '0')}`;

// Fixed inputs -------------------------------------------------------------------------------------------------

const RECEIVER_LOCAL = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const RECEIVER_ARB = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const DOMAIN_LOCAL = receiverDomain({ chainId: 31337, verifyingContract: RECEIVER_LOCAL });
const DOMAIN_ARB = receiverDomain({ chainId: 42161, verifyingContract: RECEIVER_ARB });
const RECEIVER_LOCAL_EID = 40200;
const RECEIVER_ARB_EID = 30110;

const ACCOUNT_EVM = evmAddressToBytes32('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
const VAULT_A = evmAddressToBytes32('0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512');
const VAULT_B = evmAddressToBytes32('0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9');
const USDC = evmAddressToBytes32('0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48');
const WETH = evmAddressToBytes32('0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2');
const WBTC = evmAddressToBytes32('0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599');
const SOL_ACCOUNT = solanaAddressToBytes32('9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM');
const SOL_VAULT = solanaAddressToBytes32('ComputeBudget111111111111111111111111111111');
const SOL_USDC_MINT = solanaAddressToBytes32('EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v');
const DEPOSITOR = evmAddressToBytes32('0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC');
const RECIPIENT_B = evmAddressToBytes32('0x90F79bf6EB2c4f870365E785982E1f101E93b906');
const DAI = evmAddressToBytes32('0x6B175474E89094C44Da98b954EedeAC495271d0F');
const SOL_DEPOSITOR = solanaAddressToBytes32('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');
const VAULT_A_ADDRESS = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
const VAULT_B_ADDRESS = '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9';
/** The vaults' own EIP-712 domains on their source chains (eid 40101 ↔ chain 31338, eid 40102 ↔ chain 31339). */
const VAULT_A_DOMAIN = vaultDomain({ chainId: 31338, verifyingContract: VAULT_A_ADDRESS });
const VAULT_B_DOMAIN = vaultDomain({ chainId: 31339, verifyingContract: VAULT_B_ADDRESS });
const FF32 = pad32('f'.repeat(64));

type CreditInput = { name: string; fields: CreditMessage; dstEid: number; receiver: string; domain: ReceiverDomain };

function credit(fields: Omit<CreditMessage, 'version' | 'messageType' | 'haircutValue'> & { haircutValue?: bigint }): CreditMessage {
  return {
    version: 1,
    messageType: MessageType.Credit,
    ...fields,
    haircutValue:
      fields.haircutValue ?? haircutValueOf(fields.rawAmount, fields.price, fields.assetDecimals, fields.haircut, fields.sizeWeight),
  };
}

const CREDIT_INPUTS: CreditInput[] = [
  {
    name: 'usdc 6 decimals',
    fields: credit({
      account: ACCOUNT_EVM, srcEid: 40101, srcVault: VAULT_A, asset: USDC, assetDecimals: 6, depositNonce: 1n,
      rawAmount: 1_000_000_000n, price: 999_800_000_000_000_000n, priceTimestamp: 1_700_000_000n,
      haircut: 20_000_000_000_000_000n, sizeWeight: E18,
    }),
    dstEid: 40200, receiver: RECEIVER_LOCAL, domain: DOMAIN_LOCAL,
  },
  {
    name: 'weth 18 decimals with size tiers',
    fields: credit({
      account: ACCOUNT_EVM, srcEid: 40102, srcVault: VAULT_B, asset: WETH, assetDecimals: 18, depositNonce: 7n,
      rawAmount: 2_500_000_000_000_000_000_000n, price: 3_123_450_000_000_000_000_000n, priceTimestamp: 1_700_000_123n,
      haircut: 150_000_000_000_000_000n, sizeWeight: 920_000_000_000_000_000n,
    }),
    dstEid: 40200, receiver: RECEIVER_LOCAL, domain: DOMAIN_LOCAL,
  },
  {
    name: 'zero haircut, no size discount',
    fields: credit({
      account: ACCOUNT_EVM, srcEid: 40101, srcVault: VAULT_A, asset: USDC, assetDecimals: 6, depositNonce: 2n,
      rawAmount: 123_456_789n, price: E18, priceTimestamp: 1_700_000_500n, haircut: 0n, sizeWeight: E18,
    }),
    dstEid: 40200, receiver: RECEIVER_LOCAL, domain: DOMAIN_LOCAL,
  },
  {
    name: 'solana account, vault and asset (32-byte keys)',
    fields: credit({
      account: SOL_ACCOUNT, srcEid: 30168, srcVault: SOL_VAULT, asset: SOL_USDC_MINT, assetDecimals: 6, depositNonce: 3n,
      rawAmount: 50_000_000_000n, price: 1_000_100_000_000_000_000n, priceTimestamp: 1_700_001_000n,
      haircut: 30_000_000_000_000_000n, sizeWeight: 990_000_000_000_000_000n,
    }),
    dstEid: 30110, receiver: RECEIVER_ARB, domain: DOMAIN_ARB,
  },
  {
    name: 'wbtc 8 decimals, ethereum to arbitrum eids',
    fields: credit({
      account: ACCOUNT_EVM, srcEid: 30101, srcVault: VAULT_B, asset: WBTC, assetDecimals: 8, depositNonce: 1_000_000n,
      rawAmount: 12_345_678_901n, price: 64_000_120_000_000_000_000_000n, priceTimestamp: 1_712_345_678n,
      haircut: 100_000_000_000_000_000n, sizeWeight: 850_000_000_000_000_000n,
    }),
    dstEid: 30110, receiver: RECEIVER_ARB, domain: DOMAIN_ARB,
  },
  {
    name: 'max uint values in every field',
    fields: credit({
      account: pad32('f'.repeat(64)), srcEid: Number(MAX_UINT32), srcVault: pad32('f'.repeat(64)), asset: pad32('f'.repeat(64)),
      assetDecimals: 255, depositNonce: MAX_UINT64, rawAmount: MAX_UINT128, haircutValue: MAX_UINT128, price: MAX_UINT128,
      priceTimestamp: MAX_UINT64, haircut: MAX_UINT64, sizeWeight: MAX_UINT64,
    }),
    dstEid: Number(MAX_UINT32), receiver: pad32('f'.repeat(64)), domain: DOMAIN_LOCAL,
  },
  {
    name: 'high bit set in every integer (sign-extension trap)',
    fields: credit({
      account: pad32(`80${'0'.repeat(62)}`), srcEid: 2 ** 31, srcVault: VAULT_A, asset: USDC, assetDecimals: 128,
      depositNonce: 1n << 63n, rawAmount: (1n << 127n) + 1n, haircutValue: 1n << 127n, price: (1n << 127n) + 3n,
      priceTimestamp: (1n << 63n) + 5n, haircut: (1n << 63n) + 7n, sizeWeight: (1n << 63n) + 9n,
    }),
    dstEid: 2 ** 31 + 1, receiver: RECEIVER_LOCAL, domain: DOMAIN_LOCAL,
  },
  {
    name: 'zero amounts and nonce 0',
    fields: credit({
      account: ACCOUNT_EVM, srcEid: 0, srcVault: VAULT_A, asset: USDC, assetDecimals: 0, depositNonce: 0n,
      rawAmount: 0n, price: 0n, priceTimestamp: 0n, haircut: 0n, sizeWeight: 0n,
    }),
    dstEid: 0, receiver: RECEIVER_LOCAL, domain: DOMAIN_LOCAL,
  },
];

// The two-way book (docs/two-way-book.md) ------------------------------------------------------------------------

/** Header of a receiver → vault packet: srcEid / sender are the derivatives chain's eid and receiver. */
type WithdrawalInput = { name: string; fields: WithdrawalMessage; srcEid: number; sender: string };
/** Header of a vault → receiver packet: dstEid / receiver are the derivatives chain's eid and receiver. */
type ReleaseResultInput = { name: string; fields: ReleaseResultMessage; dstEid: number; receiver: string };
type VoidInput = { name: string; fields: VoidMessage; dstEid: number; receiver: string };

function withdrawal(fields: Omit<WithdrawalMessage, 'version' | 'messageType'>): WithdrawalMessage {
  return { version: 1, messageType: MessageType.Withdrawal, ...fields };
}
function releaseResult(fields: Omit<ReleaseResultMessage, 'version' | 'messageType'>): ReleaseResultMessage {
  return { version: 1, messageType: MessageType.ReleaseResult, ...fields };
}
function voided(fields: Omit<VoidMessage, 'version' | 'messageType'>): VoidMessage {
  return { version: 1, messageType: MessageType.Void, ...fields };
}

const WITHDRAWAL_INPUTS: WithdrawalInput[] = [
  {
    name: 'usdc withdrawal to the account itself',
    fields: withdrawal({
      account: ACCOUNT_EVM, vaultEid: 40101, vault: VAULT_A, asset: USDC, recipient: ACCOUNT_EVM,
      withdrawalNonce: 1n, rawAmount: 500_000_000n, voidedNonce: 0n,
    }),
    srcEid: RECEIVER_LOCAL_EID, sender: RECEIVER_LOCAL,
  },
  {
    name: 'weth withdrawal to another recipient',
    fields: withdrawal({
      account: ACCOUNT_EVM, vaultEid: 40102, vault: VAULT_B, asset: WETH, recipient: RECIPIENT_B,
      withdrawalNonce: 1n, rawAmount: 1_250_000_000_000_000_000n, voidedNonce: 0n,
    }),
    srcEid: RECEIVER_LOCAL_EID, sender: RECEIVER_LOCAL,
  },
  {
    name: 'refund of voided deposit nonce 4',
    fields: withdrawal({
      account: ACCOUNT_EVM, vaultEid: 40101, vault: VAULT_A, asset: USDC, recipient: DEPOSITOR,
      withdrawalNonce: 2n, rawAmount: 250_000_000n, voidedNonce: 4n,
    }),
    srcEid: RECEIVER_LOCAL_EID, sender: RECEIVER_LOCAL,
  },
  {
    name: 'solana account, vault, asset and recipient (32-byte keys)',
    fields: withdrawal({
      account: SOL_ACCOUNT, vaultEid: 30168, vault: SOL_VAULT, asset: SOL_USDC_MINT, recipient: SOL_ACCOUNT,
      withdrawalNonce: 17n, rawAmount: 49_000_000_000n, voidedNonce: 0n,
    }),
    srcEid: RECEIVER_ARB_EID, sender: RECEIVER_ARB,
  },
  {
    name: 'max uint values in every field',
    fields: withdrawal({
      account: FF32, vaultEid: Number(MAX_UINT32), vault: FF32, asset: FF32, recipient: FF32,
      withdrawalNonce: MAX_UINT64, rawAmount: MAX_UINT128, voidedNonce: MAX_UINT64,
    }),
    srcEid: Number(MAX_UINT32), sender: FF32,
  },
  {
    name: 'high bit set in every integer (sign-extension trap)',
    fields: withdrawal({
      account: pad32(`80${'0'.repeat(62)}`), vaultEid: 2 ** 31, vault: VAULT_A, asset: USDC, recipient: pad32(`80${'0'.repeat(62)}`),
      withdrawalNonce: (1n << 63n) + 1n, rawAmount: (1n << 127n) + 3n, voidedNonce: (1n << 63n) + 5n,
    }),
    srcEid: 2 ** 31 + 1, sender: RECEIVER_LOCAL,
  },
  {
    name: 'minimum amount 1, nonce 0, eids 0',
    fields: withdrawal({
      account: ACCOUNT_EVM, vaultEid: 0, vault: VAULT_A, asset: USDC, recipient: pad32('1'),
      withdrawalNonce: 0n, rawAmount: 1n, voidedNonce: 0n,
    }),
    srcEid: 0, sender: RECEIVER_LOCAL,
  },
];

const VOID_INPUTS: VoidInput[] = [
  {
    name: 'unsupported asset, same path and nonce as the usdc credit (same guid)',
    fields: voided({
      account: ACCOUNT_EVM, srcEid: 40101, srcVault: VAULT_A, asset: DAI, depositNonce: 1n,
      rawAmount: 7_000_000_000_000_000_000n, refundTo: DEPOSITOR, reason: VoidReason.UnsupportedAsset,
    }),
    dstEid: RECEIVER_LOCAL_EID, receiver: RECEIVER_LOCAL,
  },
  {
    name: 'invalid deposit nonce 4, refunded by the refund withdrawal',
    fields: voided({
      account: ACCOUNT_EVM, srcEid: 40101, srcVault: VAULT_A, asset: USDC, depositNonce: 4n,
      rawAmount: 250_000_000n, refundTo: DEPOSITOR, reason: VoidReason.InvalidDeposit,
    }),
    dstEid: RECEIVER_LOCAL_EID, receiver: RECEIVER_LOCAL,
  },
  {
    name: 'operator void, zero amount (nothing to refund)',
    fields: voided({
      account: ACCOUNT_EVM, srcEid: 40102, srcVault: VAULT_B, asset: WETH, depositNonce: 9n,
      rawAmount: 0n, refundTo: DEPOSITOR, reason: VoidReason.Operator,
    }),
    dstEid: RECEIVER_LOCAL_EID, receiver: RECEIVER_LOCAL,
  },
  {
    name: 'solana account, vault, asset and refundTo (32-byte keys)',
    fields: voided({
      account: SOL_ACCOUNT, srcEid: 30168, srcVault: SOL_VAULT, asset: SOL_USDC_MINT, depositNonce: 4n,
      rawAmount: 12_000_000n, refundTo: SOL_DEPOSITOR, reason: VoidReason.UnsupportedAsset,
    }),
    dstEid: RECEIVER_ARB_EID, receiver: RECEIVER_ARB,
  },
  {
    name: 'max uint values in every field',
    fields: voided({
      account: FF32, srcEid: Number(MAX_UINT32), srcVault: FF32, asset: FF32, depositNonce: MAX_UINT64,
      rawAmount: MAX_UINT128, refundTo: FF32, reason: VoidReason.Operator,
    }),
    dstEid: Number(MAX_UINT32), receiver: FF32,
  },
];

/** A RELEASE_RESULT answering the withdrawal vector `answers` (its guid, nonce, account, asset, amount echoed). */
type ReleaseResultSpec = {
  name: string; answers: string; resultNonce: bigint; status: ReleaseStatus; dstEid: number; receiver: string;
};

const RELEASE_RESULT_SPECS: ReleaseResultSpec[] = [
  { name: 'released: the usdc withdrawal', answers: 'usdc withdrawal to the account itself', resultNonce: 5n, status: ReleaseStatus.Released, dstEid: RECEIVER_LOCAL_EID, receiver: RECEIVER_LOCAL },
  { name: 'failed: the weth withdrawal', answers: 'weth withdrawal to another recipient', resultNonce: 8n, status: ReleaseStatus.Failed, dstEid: RECEIVER_LOCAL_EID, receiver: RECEIVER_LOCAL },
  { name: 'released: the refund of voided deposit nonce 4', answers: 'refund of voided deposit nonce 4', resultNonce: 6n, status: ReleaseStatus.Released, dstEid: RECEIVER_LOCAL_EID, receiver: RECEIVER_LOCAL },
  { name: 'failed: solana vault (32-byte keys)', answers: 'solana account, vault, asset and recipient (32-byte keys)', resultNonce: 5n, status: ReleaseStatus.Failed, dstEid: RECEIVER_ARB_EID, receiver: RECEIVER_ARB },
  { name: 'max uint values in every field', answers: 'max uint values in every field', resultNonce: MAX_UINT64, status: ReleaseStatus.Failed, dstEid: Number(MAX_UINT32), receiver: FF32 },
];

/** Packets named `section/name` (section: credit, withdrawal, releaseResult, void). */
type BatchInput = { name: string; domain: AttestationDomain; validUntil: bigint; packets: string[] };

const VALID_UNTIL = 1_700_003_600n;

const BATCH_INPUTS: BatchInput[] = [
  { name: 'one credit', domain: DOMAIN_LOCAL, validUntil: VALID_UNTIL, packets: ['credit/usdc 6 decimals'] },
  { name: 'one credit, validUntil one second later', domain: DOMAIN_LOCAL, validUntil: VALID_UNTIL + 1n, packets: ['credit/usdc 6 decimals'] },
  {
    name: 'three credits',
    domain: DOMAIN_LOCAL,
    validUntil: VALID_UNTIL,
    packets: ['credit/usdc 6 decimals', 'credit/weth 18 decimals with size tiers', 'credit/zero haircut, no size discount'],
  },
  {
    name: 'three credits, arbitrum domain',
    domain: DOMAIN_ARB,
    validUntil: 1_712_350_000n,
    packets: ['credit/solana account, vault and asset (32-byte keys)', 'credit/wbtc 8 decimals, ethereum to arbitrum eids', 'credit/usdc 6 decimals'],
  },
  {
    name: 'credit, void and release results (receiver)',
    domain: DOMAIN_LOCAL,
    validUntil: VALID_UNTIL,
    packets: [
      'credit/zero haircut, no size discount',
      'void/invalid deposit nonce 4, refunded by the refund withdrawal',
      'releaseResult/released: the usdc withdrawal',
      'releaseResult/failed: the weth withdrawal',
    ],
  },
  { name: 'one void, validUntil max uint64 (receiver)', domain: DOMAIN_LOCAL, validUntil: MAX_UINT64, packets: ['void/operator void, zero amount (nothing to refund)'] },
  { name: 'one withdrawal (vault A)', domain: VAULT_A_DOMAIN, validUntil: VALID_UNTIL, packets: ['withdrawal/usdc withdrawal to the account itself'] },
  {
    name: 'withdrawal and refund (vault A)',
    domain: VAULT_A_DOMAIN,
    validUntil: VALID_UNTIL,
    packets: ['withdrawal/usdc withdrawal to the account itself', 'withdrawal/refund of voided deposit nonce 4'],
  },
  { name: 'one withdrawal (vault B), validUntil 0', domain: VAULT_B_DOMAIN, validUntil: 0n, packets: ['withdrawal/weth withdrawal to another recipient'] },
];

// REVALUATION marks (docs/credit-message.md, "REVALUATION (asset mark)") ------------------------------------------

/** A mark is not a packet: no path, no GUID. The receiver's own bounds are kept by all but the edge-value entries. */
type MarkInput = { name: string; fields: MarkMessage };

function mark(fields: Omit<MarkMessage, 'version' | 'messageType'>): MarkMessage {
  return { version: 1, messageType: MessageType.Revaluation, ...fields };
}

/** The receiver's bounds (storage widths), not the wire format's: markNonce ≤ 2^32 − 1, price ≤ 2^112 − 1. */
const RECEIVER_MAX_MARK_NONCE = (1n << 32n) - 1n;
const RECEIVER_MAX_MARK_PRICE = (1n << 112n) - 1n;

const MARK_INPUTS: MarkInput[] = [
  {
    name: 'usdc mark',
    fields: mark({ srcEid: 40101, asset: USDC, markNonce: 1n, price: 999_800_000_000_000_000n, priceTimestamp: 1_700_000_000n, haircut: 20_000_000_000_000_000n }),
  },
  {
    name: 'usdc mark, next nonce, new price',
    fields: mark({ srcEid: 40101, asset: USDC, markNonce: 2n, price: 1_000_050_000_000_000_000n, priceTimestamp: 1_700_000_060n, haircut: 20_000_000_000_000_000n }),
  },
  {
    name: 'weth mark, volatility-scaled haircut',
    fields: mark({ srcEid: 40102, asset: WETH, markNonce: 7n, price: 3_123_450_000_000_000_000_000n, priceTimestamp: 1_700_000_123n, haircut: 150_000_000_000_000_000n }),
  },
  {
    name: 'haircut 0',
    fields: mark({ srcEid: 30101, asset: WBTC, markNonce: 3n, price: 64_000_120_000_000_000_000_000n, priceTimestamp: 1_712_345_678n, haircut: 0n }),
  },
  {
    name: 'haircut 1e18 (100 %, the asset counts for nothing)',
    fields: mark({ srcEid: 40102, asset: DAI, markNonce: 1n, price: E18, priceTimestamp: 1_700_000_500n, haircut: MAX_MARK_HAIRCUT }),
  },
  {
    name: 'solana mint (32-byte key)',
    fields: mark({ srcEid: 30168, asset: SOL_USDC_MINT, markNonce: 12n, price: 1_000_100_000_000_000_000n, priceTimestamp: 1_700_001_000n, haircut: 30_000_000_000_000_000n }),
  },
  {
    name: 'the receiver bounds: markNonce 2^32 − 1, price 2^112 − 1',
    fields: mark({ srcEid: 40101, asset: WETH, markNonce: RECEIVER_MAX_MARK_NONCE, price: RECEIVER_MAX_MARK_PRICE, priceTimestamp: 1_700_002_000n, haircut: 100_000_000_000_000_000n }),
  },
  {
    name: 'max uint values in every field (price max uint128, haircut 1e18)',
    fields: mark({ srcEid: Number(MAX_UINT32), asset: FF32, markNonce: MAX_UINT64, price: MAX_UINT128, priceTimestamp: MAX_UINT64, haircut: MAX_MARK_HAIRCUT }),
  },
  {
    name: 'high bit set in every integer but haircut (sign-extension trap)',
    fields: mark({
      srcEid: 2 ** 31, asset: pad32(`80${'0'.repeat(62)}`), markNonce: (1n << 63n) + 1n, price: (1n << 127n) + 3n,
      priceTimestamp: (1n << 63n) + 5n, haircut: MAX_MARK_HAIRCUT - 1n,
    }),
  },
  {
    name: 'zeros: eid 0, nonce 0, price 0, timestamp 0',
    fields: mark({ srcEid: 0, asset: USDC, markNonce: 0n, price: 0n, priceTimestamp: 0n, haircut: 0n }),
  },
];

/** Marks named by their `markMessages` name, under the receiver domain. */
type MarkBatchInput = { name: string; domain: ReceiverDomain; validUntil: bigint; marks: string[] };

const MARK_BATCH_INPUTS: MarkBatchInput[] = [
  { name: 'one mark', domain: DOMAIN_LOCAL, validUntil: 1_700_003_600n, marks: ['usdc mark'] },
  { name: 'one mark, validUntil one second later', domain: DOMAIN_LOCAL, validUntil: 1_700_003_601n, marks: ['usdc mark'] },
  {
    name: 'three marks of two assets',
    domain: DOMAIN_LOCAL,
    validUntil: 1_700_003_600n,
    marks: ['usdc mark', 'weth mark, volatility-scaled haircut', 'usdc mark, next nonce, new price'],
  },
  {
    name: 'edge values, arbitrum domain, validUntil max uint64',
    domain: DOMAIN_ARB,
    validUntil: MAX_UINT64,
    marks: ['max uint values in every field (price max uint128, haircut 1e18)', 'haircut 0', 'solana mint (32-byte key)'],
  },
  { name: 'no marks (the empty list hashes too), validUntil 0', domain: DOMAIN_LOCAL, validUntil: 0n, marks: [] },
];

// Derivation ----------------------------------------------------------------------------------------------------

type DomainJson = { name: string; version: string; chainId: number; verifyingContract: string };

/** The packet header of an entry (bytes32 sender/receiver) and what is derived from it. */
type PathJson = { nonce: string; srcEid: number; sender: string; dstEid: number; receiver: string };
type PacketJson = { message: string; guid: string; packet: string; payloadHash: string };

export type InvalidMessageError = 'InvalidLength' | 'UnsupportedVersion' | 'UnsupportedMessageType' | 'InvalidField';
/** `field` is present exactly when `error` is 'InvalidField'. */
export type InvalidMessageJson = { name: string; message: string; error: InvalidMessageError; field?: string };

export type VectorFile = {
  lzPacketV1: {
    nonce: string; srcEid: number; sender: string; dstEid: number; receiver: string;
    guid: string; message: string; packet: string; payloadHash: string;
  }[];
  lzGuid: { nonce: string; srcEid: number; sender: string; dstEid: number; receiver: string; guid: string }[];
  solanaBytes32: { base58: string; bytes32: string }[];
  creditMessages: {
    name: string; fields: CreditMessageJson; dstEid: number; receiver: string;
    message: string; guid: string; packet: string; payloadHash: string; domain: DomainJson; packetDigest: string;
  }[];
  withdrawalMessages: ({ name: string; fields: WithdrawalMessageJson } & PathJson & PacketJson)[];
  releaseResultMessages: ({ name: string; fields: ReleaseResultMessageJson } & PathJson & PacketJson)[];
  voidMessages: ({ name: string; fields: VoidMessageJson } & PathJson & PacketJson)[];
  /** REVALUATION bodies: not packets, so no path, guid or payloadHash. */
  markMessages: { name: string; fields: MarkMessageJson; message: string }[];
  batches: {
    name: string; domain: DomainJson; packets: { guid: string; payloadHash: string }[]; validUntil: string; digest: string;
    /** Where each packet comes from: `<section>/<name>`, section ∈ creditMessages, withdrawalMessages, releaseResultMessages, voidMessages. */
    sources: string[];
  }[];
  /** MarkBatch{marks, validUntil} under the receiver domain. */
  markBatches: {
    name: string; domain: DomainJson; marks: string[]; validUntil: string; digest: string;
    /** Where each mark comes from: `markMessages/<name>`. */
    sources: string[];
  }[];
  invalidMessages: { name: string; message: string; error: 'InvalidLength' | 'UnsupportedVersion' | 'UnsupportedMessageType' }[];
  invalidWithdrawalMessages: InvalidMessageJson[];
  invalidReleaseResultMessages: InvalidMessageJson[];
  invalidVoidMessages: InvalidMessageJson[];
  invalidMarkMessages: InvalidMessageJson[];
};

const domainJson = (d: AttestationDomain): DomainJson => ({
  name: d.name,
  version: d.version,
  chainId: Number(d.chainId),
  verifyingContract: d.verifyingContract,
});

/** Replaces byte `offset` of a hex message with `value`. */
function withByte(message: Hex, offset: number, value: number): Hex {
  const at = 2 + 2 * offset;
  return `0x${message.slice(2, at)}${value.toString(16).padStart(2, '0')}${message.slice(at + 2)}`;
}

/** Replaces `size` bytes of a hex message at `offset` with zeros. */
function zeroed(message: Hex, offset: number, size: number): Hex {
  const at = 2 + 2 * offset;
  return `0x${message.slice(2, at)}${'00'.repeat(size)}${message.slice(at + 2 * size)}`;
}

/** Fails the generation when the package and the independent solidityPacked encoding disagree. */
function crossCheck(what: string, built: BuildPacketReturnType, packedMessage: string, header: PackedHeader): void {
  const packed = packedPacket(header, packedMessage);
  const pairs: [string, string, string][] = [
    ['message', built.message, packedMessage],
    ['guid', built.guid, packed.guid],
    ['packet', built.packet, packed.packet],
    ['payloadHash', built.payloadHash, packed.payloadHash],
  ];
  for (const [field, ours, theirs] of pairs) {
    if (ours !== theirs) throw new Error(`${what}: ${field} ${ours} ≠ solidityPacked ${theirs}`);
  }
}

const pathJson = (h: PackedHeader): PathJson => ({ nonce: h.nonce.toString(), srcEid: h.srcEid, sender: h.sender, dstEid: h.dstEid, receiver: h.receiver });
const packetJson = (b: BuildPacketReturnType): PacketJson => ({ message: b.message, guid: b.guid, packet: b.packet, payloadHash: b.payloadHash });

/**
 * The invalid bodies every new type shares: length (checked first), version, then type. `valid` is a valid body of
 * that type, `otherType` another known type (and the offsets of nothing else are touched).
 */
function envelopeInvalid(valid: Hex, length: number, type: MessageType, creditMessage: Hex): InvalidMessageJson[] {
  const own: number = type;
  const others = [0, MessageType.Credit, MessageType.Withdrawal, MessageType.Revaluation, MessageType.ReleaseResult, MessageType.Void, 6, 255].filter((t) => t !== own);
  const typeName = (t: number): string =>
    ({ 0: 'type 0', 1: 'type 1 (credit)', 2: 'type 2 (withdrawal)', 3: 'type 3 (revaluation)', 4: 'type 4 (release result)', 5: 'type 5 (void)', 6: 'type 6 (unknown)', 255: 'type 255' })[t] ?? `type ${t}`;
  return [
    { name: 'empty', message: '0x', error: 'InvalidLength' },
    { name: 'one byte', message: '0x01', error: 'InvalidLength' },
    { name: `too short (${length - 1} bytes)`, message: valid.slice(0, -2), error: 'InvalidLength' },
    { name: `too long (${length + 1} bytes)`, message: `${valid}00`, error: 'InvalidLength' },
    { name: 'too short with version 2 (length checked first)', message: withByte(valid, 0, 2).slice(0, -2), error: 'InvalidLength' },
    { name: 'a credit message (183 bytes)', message: creditMessage, error: 'InvalidLength' },
    { name: 'version 0', message: withByte(valid, 0, 0), error: 'UnsupportedVersion' },
    { name: 'version 2', message: withByte(valid, 0, 2), error: 'UnsupportedVersion' },
    { name: 'version 255', message: withByte(valid, 0, 255), error: 'UnsupportedVersion' },
    { name: 'version 2 and type 0 (version checked first)', message: withByte(withByte(valid, 0, 2), 1, 0), error: 'UnsupportedVersion' },
    ...others.map((t): InvalidMessageJson => ({ name: typeName(t), message: withByte(valid, 1, t), error: 'UnsupportedMessageType' })),
  ];
}

const WITHDRAWAL_RAW_AMOUNT_OFFSET = 142;
const WITHDRAWAL_RECIPIENT_OFFSET = 102;
const RELEASE_RESULT_STATUS_OFFSET = 86;
const VOID_REFUND_TO_OFFSET = 126;
const VOID_REASON_OFFSET = 158;
const MARK_HAIRCUT_OFFSET = 70;

/** Replaces the 8 bytes of a hex message at `offset` with the big-endian uint64 `value`. */
function withUint64(message: Hex, offset: number, value: bigint): Hex {
  const at = 2 + 2 * offset;
  return `0x${message.slice(2, at)}${value.toString(16).padStart(16, '0')}${message.slice(at + 16)}`;
}

export function buildVectors(): VectorFile {
  const lzPacket = { nonce: 1n, srcEid: 2, sender: pad32('123'), dstEid: 3, receiver: pad32('456'), guid: pad32('789'), message: '0xaabbcc' as const };
  const lzGuidInput = {
    nonce: 42n, srcEid: 30101, sender: evmAddressToBytes32(`0x${'11'.repeat(20)}`), dstEid: 30110,
    receiver: evmAddressToBytes32(`0x${'22'.repeat(20)}`),
  };

  const creditMessages = CREDIT_INPUTS.map((input) => {
    const built = buildCreditPacket(input.fields, { dstEid: input.dstEid, receiver: input.receiver });
    return {
      name: input.name,
      fields: creditMessageToJson(input.fields),
      dstEid: input.dstEid,
      receiver: evmOrBytes32(input.receiver),
      message: built.message,
      guid: built.guid,
      packet: built.packet,
      payloadHash: built.payloadHash,
      domain: domainJson(input.domain),
      packetDigest: packetDigest(input.domain, { guid: built.guid, payloadHash: built.payloadHash }),
    };
  });

  const withdrawalMessages = WITHDRAWAL_INPUTS.map((input) => {
    const built = buildWithdrawalPacket(input.fields, { srcEid: input.srcEid, sender: input.sender });
    const f = input.fields;
    const header = { nonce: f.withdrawalNonce, srcEid: input.srcEid, sender: evmOrBytes32(input.sender), dstEid: f.vaultEid, receiver: f.vault };
    crossCheck(`withdrawal "${input.name}"`, built, packedWithdrawal(f), header);
    return { name: input.name, fields: withdrawalMessageToJson(f), ...pathJson(header), ...packetJson(built) };
  });
  const withdrawalByName = new Map(WITHDRAWAL_INPUTS.map((w, i) => [w.name, { input: w, guid: withdrawalMessages[i]!.guid }])); // same length

  const RELEASE_RESULT_INPUTS: ReleaseResultInput[] = RELEASE_RESULT_SPECS.map((spec) => {
    const w = withdrawalByName.get(spec.answers);
    if (w === undefined) throw new Error(`release result "${spec.name}" answers unknown withdrawal "${spec.answers}"`);
    const wf = w.input.fields;
    return {
      name: spec.name,
      fields: releaseResult({
        srcEid: wf.vaultEid, srcVault: wf.vault, resultNonce: spec.resultNonce, withdrawalGuid: w.guid as Hex, // a guid we built
        withdrawalNonce: wf.withdrawalNonce, status: spec.status, account: wf.account, asset: wf.asset, rawAmount: wf.rawAmount,
      }),
      dstEid: spec.dstEid,
      receiver: spec.receiver,
    };
  });
  const releaseResultMessages = RELEASE_RESULT_INPUTS.map((input) => {
    const built = buildReleaseResultPacket(input.fields, { dstEid: input.dstEid, receiver: input.receiver });
    const f = input.fields;
    const header = { nonce: f.resultNonce, srcEid: f.srcEid, sender: f.srcVault, dstEid: input.dstEid, receiver: evmOrBytes32(input.receiver) };
    crossCheck(`release result "${input.name}"`, built, packedReleaseResult(f), header);
    return { name: input.name, fields: releaseResultMessageToJson(f), ...pathJson(header), ...packetJson(built) };
  });

  const voidMessages = VOID_INPUTS.map((input) => {
    const built = buildVoidPacket(input.fields, { dstEid: input.dstEid, receiver: input.receiver });
    const f = input.fields;
    const header = { nonce: f.depositNonce, srcEid: f.srcEid, sender: f.srcVault, dstEid: input.dstEid, receiver: evmOrBytes32(input.receiver) };
    crossCheck(`void "${input.name}"`, built, packedVoid(f), header);
    return { name: input.name, fields: voidMessageToJson(f), ...pathJson(header), ...packetJson(built) };
  });

  const markMessages = MARK_INPUTS.map((input) => {
    const message = encodeMarkMessage(input.fields);
    const packed = packedMark(input.fields);
    if (message !== packed) throw new Error(`mark "${input.name}": message ${message} ≠ solidityPacked ${packed}`);
    return { name: input.name, fields: markMessageToJson(input.fields), message };
  });
  const markByName = new Map(markMessages.map((m) => [m.name, m]));
  if (markByName.size !== markMessages.length) throw new Error('duplicate mark vector name');

  const markBatches = MARK_BATCH_INPUTS.map((b) => {
    const marks = b.marks.map((name) => {
      const m = markByName.get(name);
      if (m === undefined) throw new Error(`mark batch "${b.name}" names unknown mark "${name}"`);
      return m.message;
    });
    return {
      name: b.name,
      domain: domainJson(b.domain),
      marks,
      validUntil: b.validUntil.toString(),
      digest: markBatchDigest(b.domain, marks, b.validUntil),
      sources: b.marks.map((name) => `markMessages/${name}`),
    };
  });

  const packetsByRef = new Map<string, AttestedPacket>();
  const sections = [
    ['credit', 'creditMessages', creditMessages],
    ['withdrawal', 'withdrawalMessages', withdrawalMessages],
    ['releaseResult', 'releaseResultMessages', releaseResultMessages],
    ['void', 'voidMessages', voidMessages],
  ] as const;
  const sourceOf = new Map<string, string>();
  for (const [short, section, entries] of sections) {
    for (const e of entries) {
      const ref = `${short}/${e.name}`;
      if (packetsByRef.has(ref)) throw new Error(`duplicate vector name ${ref}`);
      packetsByRef.set(ref, { guid: e.guid as Hex, payloadHash: e.payloadHash as Hex }); // hex we built
      sourceOf.set(ref, `${section}/${e.name}`);
    }
  }

  const batches = BATCH_INPUTS.map((b) => {
    const packets = b.packets.map((ref) => {
      const p = packetsByRef.get(ref);
      if (p === undefined) throw new Error(`batch "${b.name}" names unknown packet "${ref}"`);
      return p;
    });
    return {
      name: b.name,
      domain: domainJson(b.domain),
      packets,
      validUntil: b.validUntil.toString(),
      digest: batchDigest(b.domain, packets, b.validUntil),
      sources: b.packets.map((ref) => sourceOf.get(ref) ?? ref),
    };
  });

  const creditByName = new Map(creditMessages.map((c) => [c.name, c]));
  const valid = encodeCreditMessage(CREDIT_INPUTS[0]!.fields); // CREDIT_INPUTS is a non-empty literal
  const invalidMessages: VectorFile['invalidMessages'] = [
    { name: 'empty', message: '0x', error: 'InvalidLength' },
    { name: 'one byte', message: '0x01', error: 'InvalidLength' },
    { name: 'too short (182 bytes)', message: valid.slice(0, -2), error: 'InvalidLength' },
    { name: 'too long (184 bytes)', message: `${valid}00`, error: 'InvalidLength' },
    { name: 'too short with version 2 (length checked first)', message: withByte(valid, 0, 2).slice(0, -2), error: 'InvalidLength' },
    { name: 'a whole packet instead of a message', message: creditByName.get('usdc 6 decimals')!.packet, error: 'InvalidLength' }, // defined above
    { name: 'version 0', message: withByte(valid, 0, 0), error: 'UnsupportedVersion' },
    { name: 'version 2', message: withByte(valid, 0, 2), error: 'UnsupportedVersion' },
    { name: 'version 255', message: withByte(valid, 0, 255), error: 'UnsupportedVersion' },
    { name: 'version 2 and type 2 (version checked first)', message: withByte(withByte(valid, 0, 2), 1, 2), error: 'UnsupportedVersion' },
    { name: 'type 0', message: withByte(valid, 1, 0), error: 'UnsupportedMessageType' },
    { name: 'type 2 (withdrawal)', message: withByte(valid, 1, 2), error: 'UnsupportedMessageType' },
    { name: 'type 3 (revaluation)', message: withByte(valid, 1, 3), error: 'UnsupportedMessageType' },
    { name: 'type 4 (release result)', message: withByte(valid, 1, 4), error: 'UnsupportedMessageType' },
    { name: 'type 5 (void)', message: withByte(valid, 1, 5), error: 'UnsupportedMessageType' },
    { name: 'type 255', message: withByte(valid, 1, 255), error: 'UnsupportedMessageType' },
  ];

  const validWithdrawal = encodeWithdrawalMessage(WITHDRAWAL_INPUTS[0]!.fields); // a non-empty literal
  const invalidWithdrawalMessages: InvalidMessageJson[] = [
    ...envelopeInvalid(validWithdrawal, 166, MessageType.Withdrawal, valid),
    { name: 'type 1 and zero amount (type checked before the field rules)', message: withByte(zeroed(validWithdrawal, WITHDRAWAL_RAW_AMOUNT_OFFSET, 16), 1, 1), error: 'UnsupportedMessageType' },
    { name: 'zero rawAmount', message: zeroed(validWithdrawal, WITHDRAWAL_RAW_AMOUNT_OFFSET, 16), error: 'InvalidField', field: 'rawAmount' },
    { name: 'zero recipient', message: zeroed(validWithdrawal, WITHDRAWAL_RECIPIENT_OFFSET, 32), error: 'InvalidField', field: 'recipient' },
    {
      name: 'zero recipient, refund (voidedNonce > 0)',
      message: zeroed(encodeWithdrawalMessage(WITHDRAWAL_INPUTS[2]!.fields), WITHDRAWAL_RECIPIENT_OFFSET, 32), // the refund input
      error: 'InvalidField', field: 'recipient',
    },
  ];

  const validResult = encodeReleaseResultMessage(RELEASE_RESULT_INPUTS[0]!.fields); // a non-empty literal
  const invalidReleaseResultMessages: InvalidMessageJson[] = [
    ...envelopeInvalid(validResult, 167, MessageType.ReleaseResult, valid),
    { name: 'type 5 and status 0 (type checked before the field rules)', message: withByte(withByte(validResult, RELEASE_RESULT_STATUS_OFFSET, 0), 1, 5), error: 'UnsupportedMessageType' },
    ...[0, 3, 255].map((st): InvalidMessageJson => ({
      name: `status ${st}`, message: withByte(validResult, RELEASE_RESULT_STATUS_OFFSET, st), error: 'InvalidField', field: 'status',
    })),
  ];

  const validVoid = encodeVoidMessage(VOID_INPUTS[0]!.fields); // a non-empty literal
  const invalidVoidMessages: InvalidMessageJson[] = [
    ...envelopeInvalid(validVoid, 159, MessageType.Void, valid),
    { name: 'type 4 and reason 0 (type checked before the field rules)', message: withByte(withByte(validVoid, VOID_REASON_OFFSET, 0), 1, 4), error: 'UnsupportedMessageType' },
    ...[0, 4, 255].map((r): InvalidMessageJson => ({
      name: `reason ${r}`, message: withByte(validVoid, VOID_REASON_OFFSET, r), error: 'InvalidField', field: 'reason',
    })),
    { name: 'zero refundTo', message: zeroed(validVoid, VOID_REFUND_TO_OFFSET, 32), error: 'InvalidField', field: 'refundTo' },
  ];

  const validMark = encodeMarkMessage(MARK_INPUTS[0]!.fields); // a non-empty literal
  const invalidMarkMessages: InvalidMessageJson[] = [
    ...envelopeInvalid(validMark, 78, MessageType.Revaluation, valid),
    {
      name: 'type 1 and haircut 1e18 + 1 (type checked before the field rule)',
      message: withByte(withUint64(validMark, MARK_HAIRCUT_OFFSET, MAX_MARK_HAIRCUT + 1n), 1, 1),
      error: 'UnsupportedMessageType',
    },
    ...[MAX_MARK_HAIRCUT + 1n, 2n * MAX_MARK_HAIRCUT, MAX_UINT64].map((h): InvalidMessageJson => ({
      name: `haircut ${h} (> 1e18; the Solidity library leaves it to the receiver)`,
      message: withUint64(validMark, MARK_HAIRCUT_OFFSET, h),
      error: 'InvalidField',
      field: 'haircut',
    })),
  ];

  return {
    lzPacketV1: [
      {
        nonce: lzPacket.nonce.toString(), srcEid: lzPacket.srcEid, sender: lzPacket.sender, dstEid: lzPacket.dstEid,
        receiver: lzPacket.receiver, guid: lzPacket.guid, message: lzPacket.message,
        packet: serializePacket(lzPacket), payloadHash: computePayloadHash(lzPacket.guid, lzPacket.message),
      },
    ],
    lzGuid: [{ ...lzGuidInput, nonce: lzGuidInput.nonce.toString(), guid: computeGuid(lzGuidInput) }],
    solanaBytes32: [
      'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
      '11111111111111111111111111111111',
      'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
    ].map((base58) => ({ base58, bytes32: solanaAddressToBytes32(base58) })),
    creditMessages,
    withdrawalMessages,
    releaseResultMessages,
    voidMessages,
    markMessages,
    batches,
    markBatches,
    invalidMessages,
    invalidWithdrawalMessages,
    invalidReleaseResultMessages,
    invalidVoidMessages,
    invalidMarkMessages,
  };
}

/** Receivers/senders in the file are bytes32 (the packet header form). */
function evmOrBytes32(address: string): Hex {
  return address.length === 42 ? evmAddressToBytes32(address) : pad32(address.slice(2));
}

export function renderVectors(v: VectorFile): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}

if (require.main === module) {
  const rendered = renderVectors(buildVectors());
  if (process.argv.includes('--check')) {
    const current = readFileSync(VECTORS_PATH, 'utf8');
    if (current !== rendered) {
      console.error(`${VECTORS_PATH} is out of date: run npx tsx packages/messages/scripts/gen-vectors.ts`);
      process.exit(1);
    }
    console.log(`${VECTORS_PATH} is up to date`);
  } else {
    writeFileSync(VECTORS_PATH, rendered);
    console.log(`wrote ${VECTORS_PATH}`);
  }
}
