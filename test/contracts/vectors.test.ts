/**
 * Replays packages/messages/vectors/credit-messages.json (schema: docs/credit-message.md) against the Solidity
 * libraries through CodecHarness on anvil: the TypeScript codec and the Solidity one must agree byte for byte.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployCodecHarness } from '../../contracts/ts/deploy';
import { ethers } from '../../contracts/ts/index';
import { startAnvil, type AnvilInstance } from '../support/anvil';
import { ensureBuilt } from '../support/ensureBuilt';

// Chain tests: the first file may compile the contracts and start anvil on a busy machine.
jest.setTimeout(120_000);

interface Domain {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: string;
}
interface Fields {
  version: number;
  messageType: number;
  account: string;
  srcEid: number;
  srcVault: string;
  asset: string;
  assetDecimals: number;
  depositNonce: string;
  rawAmount: string;
  haircutValue: string;
  price: string;
  priceTimestamp: string;
  haircut: string;
  sizeWeight: string;
}
interface Vectors {
  lzPacketV1: { nonce: string; srcEid: number; sender: string; dstEid: number; receiver: string; guid: string; message: string; packet: string; payloadHash: string }[];
  lzGuid: { nonce: string; srcEid: number; sender: string; dstEid: number; receiver: string; guid: string }[];
  creditMessages: {
    name: string;
    fields: Fields;
    dstEid: number;
    receiver: string;
    message: string;
    guid: string;
    packet: string;
    payloadHash: string;
    domain: Domain;
    creditDigest: string;
  }[];
  batches: { name: string; domain: Domain; credits: { guid: string; payloadHash: string }[]; digest: string }[];
  invalidMessages: { name: string; message: string; error: string }[];
}

const VECTOR_FILE = join(__dirname, '..', '..', 'packages', 'messages', 'vectors', 'credit-messages.json');
const vectors = JSON.parse(readFileSync(VECTOR_FILE, 'utf8')) as Vectors; // schema in docs/credit-message.md

const FIELD_ORDER = [
  'version', 'messageType', 'account', 'srcEid', 'srcVault', 'asset', 'assetDecimals', 'depositNonce',
  'rawAmount', 'haircutValue', 'price', 'priceTimestamp', 'haircut', 'sizeWeight',
] as const;

/** Vector fields as the harness returns them: every integer as bigint, bytes lowercase. */
function expectedFields(f: Fields): unknown[] {
  return FIELD_ORDER.map((k) => (typeof f[k] === 'string' && f[k].startsWith('0x') ? f[k].toLowerCase() : BigInt(f[k])));
}

function normalized(values: readonly unknown[]): unknown[] {
  return values.map((v) => (typeof v === 'string' ? v.toLowerCase() : v));
}

let anvil: AnvilInstance;
let harness: ethers.Contract;

beforeAll(async () => {
  ensureBuilt();
  anvil = await startAnvil({ chainId: 31337 });
  const [deployer] = anvil.accounts;
  if (deployer === undefined) throw new Error('anvil accounts');
  harness = await deployCodecHarness(deployer);
});

afterAll(async () => {
  await anvil?.stop();
});

const call = (name: string, ...args: unknown[]): Promise<unknown> => harness.getFunction(name).staticCall(...args);

test('the vector file has entries in every section the Solidity side checks', () => {
  expect(vectors.lzPacketV1.length).toBeGreaterThan(0);
  expect(vectors.lzGuid.length).toBeGreaterThan(0);
  expect(vectors.creditMessages.length).toBeGreaterThan(0);
  expect(vectors.batches.length).toBeGreaterThan(0);
  expect(vectors.invalidMessages.length).toBeGreaterThan(0);
});

describe('lzPacketV1', () => {
  test.each(vectors.lzPacketV1.map((v, i) => [i, v] as const))('entry %i: encode, decode and payloadHash match LayerZero', async (_i, v) => {
    expect(await call('encodePacket', v.nonce, v.srcEid, v.sender, v.dstEid, v.receiver, v.guid, v.message)).toBe(v.packet);
    const decoded = (await call('decodePacket', v.packet)) as ethers.Result;
    expect(normalized([...decoded])).toEqual(normalized([1n, BigInt(v.nonce), BigInt(v.srcEid), v.sender, BigInt(v.dstEid), v.receiver, v.guid, v.message, v.payloadHash]));
    expect(await call('payloadHash', v.guid, v.message)).toBe(v.payloadHash);
  });
});

describe('lzGuid', () => {
  test.each(vectors.lzGuid.map((v, i) => [i, v] as const))('entry %i: guid matches LayerZero', async (_i, v) => {
    expect(await call('guid', v.nonce, v.srcEid, v.sender, v.dstEid, v.receiver)).toBe(v.guid);
  });
});

describe('creditMessages', () => {
  const cases = vectors.creditMessages.map((v) => [v.name, v] as const);

  test.each(cases)('%s: decode gives the fields, encode gives the bytes', async (_name, v) => {
    const decoded = (await call('decodeMessage', v.message)) as ethers.Result;
    expect(normalized([...decoded])).toEqual(expectedFields(v.fields));
    expect(await call('encodeMessage', expectedFields(v.fields))).toBe(v.message);
  });

  test.each(cases)('%s: guid, packet header fields and payloadHash', async (_name, v) => {
    const f = v.fields;
    expect(await call('guid', f.depositNonce, f.srcEid, f.srcVault, v.dstEid, v.receiver)).toBe(v.guid);
    expect(await call('encodePacket', f.depositNonce, f.srcEid, f.srcVault, v.dstEid, v.receiver, v.guid, v.message)).toBe(v.packet);
    const p = (await call('decodePacket', v.packet)) as ethers.Result;
    expect(normalized([...p])).toEqual(
      normalized([1n, BigInt(f.depositNonce), BigInt(f.srcEid), f.srcVault, BigInt(v.dstEid), v.receiver, v.guid, v.message, v.payloadHash]),
    );
    expect(await call('payloadHash', v.guid, v.message)).toBe(v.payloadHash);
  });

  test.each(cases)('%s: EIP-712 domain and credit digest', async (_name, v) => {
    expect([...((await call('domainNameVersionHashes')) as ethers.Result)]).toEqual([ethers.id(v.domain.name), ethers.id(v.domain.version)]);
    expect(await call('domainSeparator', v.domain.chainId, v.domain.verifyingContract)).toBe(ethers.TypedDataEncoder.hashDomain(v.domain));
    expect(await call('creditDigest', v.domain.chainId, v.domain.verifyingContract, v.guid, v.payloadHash)).toBe(v.creditDigest);
  });
});

test('isEvmAddress accepts exactly 12 zero bytes then 20 bytes', async () => {
  const keys = vectors.creditMessages.flatMap((v) => [v.fields.account, v.fields.srcVault, v.fields.asset, v.receiver]);
  keys.push(`0x${'00'.repeat(11)}01${'ff'.repeat(20)}`, `0x${'00'.repeat(32)}`, `0x${'ff'.repeat(32)}`);
  for (const key of keys) {
    expect(await call('isEvmAddress', key)).toBe(key.slice(2, 26) === '0'.repeat(24));
  }
  expect(keys.some((k) => k.slice(2, 26) !== '0'.repeat(24))).toBe(true); // the Solana vector and the extras
});

describe('batches', () => {
  test.each(vectors.batches.map((v) => [v.name, v] as const))('%s: batch digest', async (_name, v) => {
    expect([...((await call('domainNameVersionHashes')) as ethers.Result)]).toEqual([ethers.id(v.domain.name), ethers.id(v.domain.version)]);
    const digest = await call('batchDigest', v.domain.chainId, v.domain.verifyingContract, v.credits.map((c) => c.guid), v.credits.map((c) => c.payloadHash));
    expect(digest).toBe(v.digest);
  });
});

describe('invalidMessages', () => {
  test.each(vectors.invalidMessages.map((v) => [v.name, v] as const))('%s: decode reverts with the named error', async (_name, v) => {
    let data: string | undefined;
    try {
      await call('decodeMessage', v.message);
    } catch (e: unknown) {
      data = (e as { data?: string }).data; // ethers CALL_EXCEPTION carries the revert data
    }
    expect(data).toBeDefined();
    expect(harness.interface.parseError(data ?? '0x')?.name).toBe(v.error);
  });
});
