/**
 * Generates packages/messages/vectors/credit-messages.json (schema: docs/credit-message.md).
 *
 *   npx tsx packages/messages/scripts/gen-vectors.ts          # write the file
 *   npx tsx packages/messages/scripts/gen-vectors.ts --check  # exit 1 if the committed file differs
 *
 * The inputs below (fields, eids, receivers, domains) are fixed by hand; everything derived (message, packet, guid,
 * payloadHash, digests) is computed by the package. Changing an input changes the file: commit both together.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CreditDomain,
  type CreditMessage,
  type CreditMessageJson,
  type Hex,
  MAX_UINT128,
  MAX_UINT32,
  MAX_UINT64,
  MessageType,
  batchDigest,
  buildCreditPacket,
  computeGuid,
  computePayloadHash,
  creditDigest,
  creditDomain,
  creditMessageToJson,
  encodeCreditMessage,
  evmAddressToBytes32,
  serializePacket,
  solanaAddressToBytes32,
} from '../src';

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
const DOMAIN_LOCAL = creditDomain({ chainId: 31337, verifyingContract: RECEIVER_LOCAL });
const DOMAIN_ARB = creditDomain({ chainId: 42161, verifyingContract: RECEIVER_ARB });

const ACCOUNT_EVM = evmAddressToBytes32('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
const VAULT_A = evmAddressToBytes32('0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512');
const VAULT_B = evmAddressToBytes32('0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9');
const USDC = evmAddressToBytes32('0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48');
const WETH = evmAddressToBytes32('0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2');
const WBTC = evmAddressToBytes32('0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599');
const SOL_ACCOUNT = solanaAddressToBytes32('9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM');
const SOL_VAULT = solanaAddressToBytes32('ComputeBudget111111111111111111111111111111');
const SOL_USDC_MINT = solanaAddressToBytes32('EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v');

type CreditInput = { name: string; fields: CreditMessage; dstEid: number; receiver: string; domain: CreditDomain };

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

const BATCH_INPUTS: { name: string; domain: CreditDomain; creditNames: string[] }[] = [
  { name: 'one credit', domain: DOMAIN_LOCAL, creditNames: ['usdc 6 decimals'] },
  {
    name: 'three credits',
    domain: DOMAIN_LOCAL,
    creditNames: ['usdc 6 decimals', 'weth 18 decimals with size tiers', 'zero haircut, no size discount'],
  },
  {
    name: 'three credits, arbitrum domain',
    domain: DOMAIN_ARB,
    creditNames: ['solana account, vault and asset (32-byte keys)', 'wbtc 8 decimals, ethereum to arbitrum eids', 'usdc 6 decimals'],
  },
];

// Derivation ----------------------------------------------------------------------------------------------------

type DomainJson = { name: string; version: string; chainId: number; verifyingContract: string };

export type VectorFile = {
  lzPacketV1: {
    nonce: string; srcEid: number; sender: string; dstEid: number; receiver: string;
    guid: string; message: string; packet: string; payloadHash: string;
  }[];
  lzGuid: { nonce: string; srcEid: number; sender: string; dstEid: number; receiver: string; guid: string }[];
  solanaBytes32: { base58: string; bytes32: string }[];
  creditMessages: {
    name: string; fields: CreditMessageJson; dstEid: number; receiver: string;
    message: string; guid: string; packet: string; payloadHash: string; domain: DomainJson; creditDigest: string;
  }[];
  batches: { name: string; domain: DomainJson; credits: { guid: string; payloadHash: string }[]; digest: string }[];
  invalidMessages: { name: string; message: string; error: 'InvalidLength' | 'UnsupportedVersion' | 'UnsupportedMessageType' }[];
};

const domainJson = (d: CreditDomain): DomainJson => ({
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
      creditDigest: creditDigest(input.domain, { guid: built.guid, payloadHash: built.payloadHash }),
    };
  });
  const byName = new Map(creditMessages.map((c) => [c.name, c]));

  const batches = BATCH_INPUTS.map((b) => {
    const credits = b.creditNames.map((n) => {
      const c = byName.get(n);
      if (c === undefined) throw new Error(`batch "${b.name}" names unknown credit "${n}"`);
      return { guid: c.guid, payloadHash: c.payloadHash };
    });
    return { name: b.name, domain: domainJson(b.domain), credits, digest: batchDigest(b.domain, credits) };
  });

  const valid = encodeCreditMessage(CREDIT_INPUTS[0]!.fields); // CREDIT_INPUTS is a non-empty literal
  const invalidMessages: VectorFile['invalidMessages'] = [
    { name: 'empty', message: '0x', error: 'InvalidLength' },
    { name: 'one byte', message: '0x01', error: 'InvalidLength' },
    { name: 'too short (182 bytes)', message: valid.slice(0, -2), error: 'InvalidLength' },
    { name: 'too long (184 bytes)', message: `${valid}00`, error: 'InvalidLength' },
    { name: 'too short with version 2 (length checked first)', message: withByte(valid, 0, 2).slice(0, -2), error: 'InvalidLength' },
    { name: 'a whole packet instead of a message', message: byName.get('usdc 6 decimals')!.packet, error: 'InvalidLength' }, // defined above
    { name: 'version 0', message: withByte(valid, 0, 0), error: 'UnsupportedVersion' },
    { name: 'version 2', message: withByte(valid, 0, 2), error: 'UnsupportedVersion' },
    { name: 'version 255', message: withByte(valid, 0, 255), error: 'UnsupportedVersion' },
    { name: 'version 2 and type 2 (version checked first)', message: withByte(withByte(valid, 0, 2), 1, 2), error: 'UnsupportedVersion' },
    { name: 'type 0', message: withByte(valid, 1, 0), error: 'UnsupportedMessageType' },
    { name: 'type 2 (withdrawal, reserved)', message: withByte(valid, 1, 2), error: 'UnsupportedMessageType' },
    { name: 'type 3 (revaluation, reserved)', message: withByte(valid, 1, 3), error: 'UnsupportedMessageType' },
    { name: 'type 255', message: withByte(valid, 1, 255), error: 'UnsupportedMessageType' },
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
    batches,
    invalidMessages,
  };
}

/** Receivers in the file are bytes32 (the packet header form). */
function evmOrBytes32(receiver: string): Hex {
  return receiver.length === 42 ? evmAddressToBytes32(receiver) : pad32(receiver.slice(2));
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
