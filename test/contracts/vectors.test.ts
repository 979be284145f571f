/**
 * Replays packages/messages/vectors/credit-messages.json (schema: docs/credit-message.md, docs/two-way-book.md)
 * against the Solidity libraries through CodecHarness on anvil: the TypeScript codecs and the Solidity ones must agree
 * byte for byte, for CREDIT, WITHDRAWAL, RELEASE_RESULT and VOID bodies, their packets, and the v2 PacketBatch
 * digests under the receiver's and the vault's domains; and for REVALUATION marks (not packets) and their MarkBatch
 * digests under the receiver's domain.
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
/** A WITHDRAWAL / RELEASE_RESULT / VOID entry: fields, its packet header, and the encodings. */
interface BodyVector {
  name: string;
  fields: Record<string, string | number>;
  nonce: string;
  srcEid: number;
  sender: string;
  dstEid: number;
  receiver: string;
  message: string;
  guid: string;
  packet: string;
  payloadHash: string;
}
interface InvalidVector {
  name: string;
  message: string;
  error: string;
  /** For InvalidField: the field named. */
  field?: string;
}
/** A REVALUATION entry: no packet, so no path, guid or payloadHash. */
interface MarkVector {
  name: string;
  fields: Record<string, string | number>;
  message: string;
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
    packetDigest: string;
  }[];
  withdrawalMessages: BodyVector[];
  releaseResultMessages: BodyVector[];
  voidMessages: BodyVector[];
  markMessages: MarkVector[];
  batches: { name: string; domain: Domain; packets: { guid: string; payloadHash: string }[]; validUntil: string; digest: string }[];
  markBatches: { name: string; domain: Domain; marks: string[]; validUntil: string; digest: string }[];
  invalidMessages: InvalidVector[];
  invalidWithdrawalMessages: InvalidVector[];
  invalidReleaseResultMessages: InvalidVector[];
  invalidVoidMessages: InvalidVector[];
  invalidMarkMessages: InvalidVector[];
}

const VECTOR_FILE = join(__dirname, '..', '..', 'packages', 'messages', 'vectors', 'credit-messages.json');
const vectors = JSON.parse(readFileSync(VECTOR_FILE, 'utf8')) as Vectors; // schema in docs/credit-message.md

/** The Solidity struct order of each body (= the spec's byte order), and its harness functions. */
const BODIES = {
  withdrawalMessages: {
    invalid: 'invalidWithdrawalMessages',
    decode: 'decodeWithdrawal',
    encode: 'encodeWithdrawal',
    check: 'checkWithdrawal',
    order: ['version', 'messageType', 'account', 'vaultEid', 'vault', 'asset', 'recipient', 'withdrawalNonce', 'rawAmount', 'voidedNonce'],
  },
  releaseResultMessages: {
    invalid: 'invalidReleaseResultMessages',
    decode: 'decodeReleaseResult',
    encode: 'encodeReleaseResult',
    check: 'checkReleaseResult',
    order: ['version', 'messageType', 'srcEid', 'srcVault', 'resultNonce', 'withdrawalGuid', 'withdrawalNonce', 'status', 'account', 'asset', 'rawAmount'],
  },
  voidMessages: {
    invalid: 'invalidVoidMessages',
    decode: 'decodeVoid',
    encode: 'encodeVoid',
    check: 'checkVoid',
    order: ['version', 'messageType', 'account', 'srcEid', 'srcVault', 'asset', 'depositNonce', 'rawAmount', 'refundTo', 'reason'],
  },
} as const;

/** Body fields in struct order as the harness returns them: integers as bigint, bytes lowercase. */
function expectedBodyFields(order: readonly string[], fields: Record<string, string | number>): unknown[] {
  return order.map((k) => {
    const v = fields[k];
    if (v === undefined) throw new Error(`vector field ${k} missing`);
    return typeof v === 'string' && v.startsWith('0x') ? v.toLowerCase() : BigInt(v);
  });
}

/** MarkMessage.Message's order (= the spec's byte order). */
const MARK_ORDER = ['version', 'messageType', 'srcEid', 'asset', 'markNonce', 'price', 'priceTimestamp', 'haircut'] as const;
const E18 = 10n ** 18n;

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

/** What a harness decoder (`decodePacket`, `decodeMessage`, `decodeMark`, …) returns: its one struct output, a Result. */
async function decodedStruct(name: string, ...args: unknown[]): Promise<ethers.Result> {
  const [struct]: unknown[] = await harness.getFunction(name).staticCallResult(...args);
  if (!(struct instanceof ethers.Result)) throw new Error(`${name} did not return a struct`);
  return struct;
}

test('the vector file has entries in every section the Solidity side checks', () => {
  expect(vectors.lzPacketV1.length).toBeGreaterThan(0);
  expect(vectors.lzGuid.length).toBeGreaterThan(0);
  expect(vectors.creditMessages.length).toBeGreaterThan(0);
  expect(vectors.batches.length).toBeGreaterThan(0);
  expect(vectors.invalidMessages.length).toBeGreaterThan(0);
  for (const [section, body] of Object.entries(BODIES)) {
    expect([section, vectors[section as keyof typeof BODIES].length > 0]) // Object.entries loses the key type.toEqual([section, true]);
    expect([body.invalid, vectors[body.invalid].length > 0]).toEqual([body.invalid, true]);
  }
  expect(vectors.markMessages.length).toBeGreaterThan(0);
  expect(vectors.markBatches.length).toBeGreaterThan(0);
  expect(vectors.invalidMarkMessages.length).toBeGreaterThan(0);
  const domains = new Set(vectors.batches.map((b) => `${b.domain.name} ${b.domain.version}`));
  expect([...domains].sort()).toEqual(['CollateralVault 1', 'MarginCreditReceiver 2']);
});

describe('lzPacketV1', () => {
  test.each(vectors.lzPacketV1.map((v, i) => [i, v] as const))('entry %i: encode, decode and payloadHash match LayerZero', async (_i, v) => {
    expect(await call('encodePacket', v.nonce, v.srcEid, v.sender, v.dstEid, v.receiver, v.guid, v.message)).toBe(v.packet);
    const decoded = await decodedStruct('decodePacket', v.packet);
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
    const decoded = await decodedStruct('decodeMessage', v.message);
    expect(normalized([...decoded])).toEqual(expectedFields(v.fields));
    expect(await call('encodeMessage', expectedFields(v.fields))).toBe(v.message);
  });

  test.each(cases)('%s: guid, packet header fields and payloadHash', async (_name, v) => {
    const f = v.fields;
    expect(await call('guid', f.depositNonce, f.srcEid, f.srcVault, v.dstEid, v.receiver)).toBe(v.guid);
    expect(await call('encodePacket', f.depositNonce, f.srcEid, f.srcVault, v.dstEid, v.receiver, v.guid, v.message)).toBe(v.packet);
    const p = await decodedStruct('decodePacket', v.packet);
    expect(normalized([...p])).toEqual(
      normalized([1n, BigInt(f.depositNonce), BigInt(f.srcEid), f.srcVault, BigInt(v.dstEid), v.receiver, v.guid, v.message, v.payloadHash]),
    );
    expect(await call('payloadHash', v.guid, v.message)).toBe(v.payloadHash);
  });

  test.each(cases)('%s: EIP-712 domain and packet digest', async (_name, v) => {
    await expectKnownDomain(v.domain);
    const [nameHash, versionHash] = [ethers.id(v.domain.name), ethers.id(v.domain.version)];
    expect(await call('domainSeparator', nameHash, versionHash, v.domain.chainId, v.domain.verifyingContract)).toBe(ethers.TypedDataEncoder.hashDomain(v.domain));
    expect(await call('packetDigest', nameHash, versionHash, v.domain.chainId, v.domain.verifyingContract, v.guid, v.payloadHash)).toBe(v.packetDigest);
  });

  test.each(cases)('%s: check accepts it', async (_name, v) => {
    expect(await call('checkCredit', v.message)).toBe('0x00000000');
  });
});

/** The vector's domain is the receiver's (MarginCreditReceiver v2) or the vault's (CollateralVault v1). */
async function expectKnownDomain(domain: Domain): Promise<void> {
  const [receiverName, receiverVersion, vaultName, vaultVersion] = (await harness.getFunction('domainNameVersionHashes').staticCallResult()).toArray() as string[]; // four bytes32 outputs: hex strings
  const known = [`${receiverName} ${receiverVersion}`, `${vaultName} ${vaultVersion}`];
  expect(known).toContain(`${ethers.id(domain.name)} ${ethers.id(domain.version)}`);
}

describe.each(Object.entries(BODIES))('%s', (section, body) => {
  const cases = vectors[section as keyof typeof BODIES].map((v) => [v.name, v] as const); // Object.entries loses the key type

  test.each(cases)('%s: decode gives the fields, encode gives the bytes, check accepts it', async (_name, v) => {
    const decoded = await decodedStruct(body.decode, v.message);
    expect(normalized([...decoded])).toEqual(expectedBodyFields(body.order, v.fields));
    expect(await call(body.encode, expectedBodyFields(body.order, v.fields))).toBe(v.message);
    expect(await call(body.check, v.message)).toBe('0x00000000');
  });

  test.each(cases)('%s: guid, packet and payloadHash', async (_name, v) => {
    expect(await call('guid', v.nonce, v.srcEid, v.sender, v.dstEid, v.receiver)).toBe(v.guid);
    expect(await call('encodePacket', v.nonce, v.srcEid, v.sender, v.dstEid, v.receiver, v.guid, v.message)).toBe(v.packet);
    const p = await decodedStruct('decodePacket', v.packet);
    expect(normalized([...p])).toEqual(normalized([1n, BigInt(v.nonce), BigInt(v.srcEid), v.sender, BigInt(v.dstEid), v.receiver, v.guid, v.message, v.payloadHash]));
    expect(await call('payloadHash', v.guid, v.message)).toBe(v.payloadHash);
  });

  test.each(vectors[body.invalid].map((v) => [v.name, v] as const))('invalid %s: decode reverts with the named error, check returns its selector', async (_name, v) => {
    const err = await decodeError(body.decode, v.message);
    expect(err?.name).toBe(v.error);
    if (v.field !== undefined) expect(err?.args[0]).toBe(v.field);
    expect(await call(body.check, v.message)).toBe(err?.selector);
  });
});

/** The custom error `fn(message)` reverts with, decoded by the harness ABI. */
async function decodeError(fn: string, message: string): Promise<ethers.ErrorDescription | null> {
  let data: string | undefined;
  try {
    await call(fn, message);
  } catch (e: unknown) {
    data = (e as { data?: string }).data; // ethers CALL_EXCEPTION carries the revert data
  }
  expect(data).toBeDefined();
  return harness.interface.parseError(data ?? '0x');
}

test('isEvmAddress accepts exactly 12 zero bytes then 20 bytes', async () => {
  const keys = vectors.creditMessages.flatMap((v) => [v.fields.account, v.fields.srcVault, v.fields.asset, v.receiver]);
  keys.push(`0x${'00'.repeat(11)}01${'ff'.repeat(20)}`, `0x${'00'.repeat(32)}`, `0x${'ff'.repeat(32)}`);
  for (const key of keys) {
    expect(await call('isEvmAddress', key)).toBe(key.slice(2, 26) === '0'.repeat(24));
  }
  expect(keys.some((k) => k.slice(2, 26) !== '0'.repeat(24))).toBe(true); // the Solana vector and the extras
});

describe('batches', () => {
  test.each(vectors.batches.map((v) => [v.name, v] as const))('%s: PacketBatch digest with validUntil', async (_name, v) => {
    await expectKnownDomain(v.domain);
    const digest = await call(
      'batchDigest', ethers.id(v.domain.name), ethers.id(v.domain.version), v.domain.chainId, v.domain.verifyingContract,
      v.packets.map((c) => c.guid), v.packets.map((c) => c.payloadHash), v.validUntil,
    );
    expect(digest).toBe(v.digest);
  });
});

describe('invalidMessages', () => {
  test.each(vectors.invalidMessages.map((v) => [v.name, v] as const))('%s: decode reverts with the named error, check returns its selector', async (_name, v) => {
    const err = await decodeError('decodeMessage', v.message);
    expect(err?.name).toBe(v.error);
    expect(await call('checkCredit', v.message)).toBe(err?.selector);
  });
});

describe('markMessages (REVALUATION)', () => {
  const cases = vectors.markMessages.map((v) => [v.name, v] as const);

  test.each(cases)('%s: decode and the field readers give the fields, encode gives the bytes, check accepts it', async (_name, v) => {
    const fields = expectedBodyFields(MARK_ORDER, v.fields);
    expect(normalized([...(await decodedStruct('decodeMark', v.message))])).toEqual(fields);
    expect(normalized([...(await decodedStruct('readMark', v.message))])).toEqual(fields);
    expect(await call('encodeMark', fields)).toBe(v.message);
    expect(await call('checkMark', v.message)).toBe('0x00000000');
  });

  const [envelope, valueRules] = [
    vectors.invalidMarkMessages.filter((v) => v.error !== 'InvalidField'),
    vectors.invalidMarkMessages.filter((v) => v.error === 'InvalidField'),
  ];

  test('the invalid entries include both kinds: length/version/type, and the haircut rule', () => {
    expect(new Set(envelope.map((v) => v.error))).toEqual(new Set(['InvalidLength', 'UnsupportedVersion', 'UnsupportedMessageType']));
    expect(valueRules.length).toBeGreaterThan(0);
  });

  test.each(envelope.map((v) => [v.name, v] as const))('invalid %s: decode reverts with the named error, check returns its selector', async (_name, v) => {
    const err = await decodeError('decodeMark', v.message);
    expect(err?.name).toBe(v.error);
    expect(await call('checkMark', v.message)).toBe(err?.selector);
  });

  // The library checks length, version and type only; value ranges are the receiver's (InvalidMark there).
  test.each(valueRules.map((v) => [v.name, v] as const))('%s: the library decodes it and check accepts it', async (_name, v) => {
    expect(v.field).toBe('haircut');
    const decoded = await decodedStruct('decodeMark', v.message);
    expect(BigInt(decoded[7] as bigint)).toBeGreaterThan(E18); // haircut, the struct's last field
    expect(await call('checkMark', v.message)).toBe('0x00000000');
  });
});

describe('markBatches', () => {
  test.each(vectors.markBatches.map((v) => [v.name, v] as const))('%s: MarkBatch digest with validUntil', async (_name, v) => {
    expect(v.domain).toMatchObject({ name: 'MarginCreditReceiver', version: '2' });
    await expectKnownDomain(v.domain);
    const digest = await call(
      'markBatchDigest', ethers.id(v.domain.name), ethers.id(v.domain.version), v.domain.chainId, v.domain.verifyingContract,
      v.marks, v.validUntil,
    );
    expect(digest).toBe(v.digest);
  });
});
