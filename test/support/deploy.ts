/**
 * Test fixtures for the two-way book (docs/two-way-book.md), built with ethers only (independent of @ccr/messages, so
 * the contract tests cross-check the TypeScript codec rather than reuse it): CREDIT / WITHDRAWAL / RELEASE_RESULT /
 * VOID encoding, packets, EIP-712 PacketBatch signing under the receiver's and the vault's domains, and a deployed
 * vault + receiver + token set on one anvil.
 */
import { ethers } from '../../contracts/ts/index';
import { deployReceiver, deployRestrictedToken, deployTestToken, deployVault } from '../../contracts/ts/deploy';

const { Signature, TypedDataEncoder, concat, keccak256, solidityPacked, zeroPadValue } = ethers;

export const SRC_EID = 40101;
export const DST_EID = 40200;

export interface CreditFields {
  version?: number;
  messageType?: number;
  account: string;
  srcEid: number;
  srcVault: string;
  asset: string;
  assetDecimals: number;
  depositNonce: bigint;
  rawAmount: bigint;
  haircutValue: bigint;
  price: bigint;
  priceTimestamp: bigint;
  haircut: bigint;
  sizeWeight: bigint;
}

/** Left-pads a 20-byte address (or any shorter hex) to bytes32. */
export function toBytes32(value: string): string {
  return zeroPadValue(value, 32).toLowerCase();
}

/** The 183-byte v1 body (docs/credit-message.md), via solidityPacked. */
export function encodeMessage(f: CreditFields): string {
  return solidityPacked(
    ['uint8', 'uint8', 'bytes32', 'uint32', 'bytes32', 'bytes32', 'uint8', 'uint64', 'uint128', 'uint128', 'uint128', 'uint64', 'uint64', 'uint64'],
    [f.version ?? 1, f.messageType ?? 1, f.account, f.srcEid, f.srcVault, f.asset, f.assetDecimals, f.depositNonce, f.rawAmount, f.haircutValue, f.price, f.priceTimestamp, f.haircut, f.sizeWeight],
  );
}

export interface WithdrawalFields {
  version?: number;
  messageType?: number;
  account: string;
  vaultEid: number;
  vault: string;
  asset: string;
  recipient: string;
  withdrawalNonce: bigint;
  rawAmount: bigint;
  voidedNonce: bigint;
}

/** The 166-byte WITHDRAWAL body (type 2). */
export function encodeWithdrawalMessage(f: WithdrawalFields): string {
  return solidityPacked(
    ['uint8', 'uint8', 'bytes32', 'uint32', 'bytes32', 'bytes32', 'bytes32', 'uint64', 'uint128', 'uint64'],
    [f.version ?? 1, f.messageType ?? 2, f.account, f.vaultEid, f.vault, f.asset, f.recipient, f.withdrawalNonce, f.rawAmount, f.voidedNonce],
  );
}

export interface ReleaseResultFields {
  version?: number;
  messageType?: number;
  srcEid: number;
  srcVault: string;
  resultNonce: bigint;
  withdrawalGuid: string;
  withdrawalNonce: bigint;
  /** 1 RELEASED, 2 FAILED. */
  status: number;
  account: string;
  asset: string;
  rawAmount: bigint;
}

/** The 167-byte RELEASE_RESULT body (type 4). */
export function encodeReleaseResultMessage(f: ReleaseResultFields): string {
  return solidityPacked(
    ['uint8', 'uint8', 'uint32', 'bytes32', 'uint64', 'bytes32', 'uint64', 'uint8', 'bytes32', 'bytes32', 'uint128'],
    [f.version ?? 1, f.messageType ?? 4, f.srcEid, f.srcVault, f.resultNonce, f.withdrawalGuid, f.withdrawalNonce, f.status, f.account, f.asset, f.rawAmount],
  );
}

export interface VoidFields {
  version?: number;
  messageType?: number;
  account: string;
  srcEid: number;
  srcVault: string;
  asset: string;
  depositNonce: bigint;
  rawAmount: bigint;
  refundTo: string;
  /** 1 unsupported-asset, 2 invalid-deposit, 3 operator. */
  reason: number;
}

/** The 159-byte VOID body (type 5). */
export function encodeVoidMessage(f: VoidFields): string {
  return solidityPacked(
    ['uint8', 'uint8', 'bytes32', 'uint32', 'bytes32', 'bytes32', 'uint64', 'uint128', 'bytes32', 'uint8'],
    [f.version ?? 1, f.messageType ?? 5, f.account, f.srcEid, f.srcVault, f.asset, f.depositNonce, f.rawAmount, f.refundTo, f.reason],
  );
}

export interface Header {
  version?: number;
  nonce: bigint;
  srcEid: number;
  sender: string;
  dstEid: number;
  receiver: string;
}

/** LayerZero GUID of a path + nonce. */
export function computeGuid(h: Header): string {
  return keccak256(solidityPacked(['uint64', 'uint32', 'bytes32', 'uint32', 'bytes32'], [h.nonce, h.srcEid, h.sender, h.dstEid, h.receiver]));
}

/** header(81) ‖ guid ‖ message; guid defaults to the one computed from the header. */
export function encodePacket(h: Header, message: string, guid: string = computeGuid(h)): string {
  return solidityPacked(
    ['uint8', 'uint64', 'uint32', 'bytes32', 'uint32', 'bytes32', 'bytes32', 'bytes'],
    [h.version ?? 1, h.nonce, h.srcEid, h.sender, h.dstEid, h.receiver, guid, message],
  );
}

/** guid and payloadHash of a packet (payloadHash = keccak256(packet[81:])). */
export function packetOf(packet: string): { guid: string; payloadHash: string } {
  const bytes = packet.slice(2);
  return { guid: `0x${bytes.slice(162, 226)}`, payloadHash: keccak256(`0x${bytes.slice(162)}`) };
}

/** The former name of packetOf. */
export const creditOf = packetOf;

/** The message body of a packet (packet[113:]). */
export function messageOf(packet: string): string {
  return `0x${packet.slice(2 + 113 * 2)}`;
}

export const PACKET_BATCH_TYPES = {
  PacketBatch: [
    { name: 'packets', type: 'Packet[]' },
    { name: 'validUntil', type: 'uint64' },
  ],
  Packet: [
    { name: 'guid', type: 'bytes32' },
    { name: 'payloadHash', type: 'bytes32' },
  ],
};

/** EIP-712 domain names and versions of the two verifying contracts. */
export const RECEIVER_DOMAIN = { name: 'MarginCreditReceiver', version: '2' } as const;
export const VAULT_DOMAIN = { name: 'CollateralVault', version: '1' } as const;

/** An EIP-712 domain; name and version default to the receiver's (RECEIVER_DOMAIN). */
export interface Domain {
  name?: string;
  version?: string;
  chainId: number | bigint;
  verifyingContract: string;
}

/** 2100-01-01T00:00:00Z: the validUntil fixtures sign by default (never expires in a test). */
export const FAR_FUTURE = 4_102_444_800n;

/** EIP-712 PacketBatch digest of `packets` and `validUntil` under `domain`. */
export function batchDigest(domain: Domain, packets: readonly string[], validUntil: bigint = FAR_FUTURE): string {
  return TypedDataEncoder.hash(
    { name: domain.name ?? RECEIVER_DOMAIN.name, version: domain.version ?? RECEIVER_DOMAIN.version, chainId: domain.chainId, verifyingContract: domain.verifyingContract },
    PACKET_BATCH_TYPES,
    { packets: packets.map(packetOf), validUntil },
  );
}

/** Signatures of `signers` over the batch digest, ordered by increasing signer address (as the contracts want). */
export function signBatch(signers: readonly ethers.Wallet[], domain: Domain, packets: readonly string[], validUntil: bigint = FAR_FUTURE): string[] {
  const digest = batchDigest(domain, packets, validUntil);
  return [...signers]
    .sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1))
    .map((w) => w.signingKey.sign(digest).serialized);
}

/**
 * The receiver's `submit(bytes messages, uint64 validUntil, bytes signatures)` arguments for full packets: the
 * message bodies concatenated (the receiver rebuilds every header from them) and the signatures concatenated.
 */
export function compactSubmitArgs(packets: readonly string[], signatures: readonly string[]): [string, string] {
  return [concat(packets.map(messageOf)), concat([...signatures])];
}

/** Signs `packets` with `signers` under `s.domain` and submits them to the receiver (compact calldata). */
export async function submitPackets(
  s: Pick<CreditSystem, 'receiver' | 'domain'>,
  signers: readonly ethers.Wallet[],
  packets: readonly string[],
  validUntil: bigint = FAR_FUTURE,
): Promise<ethers.ContractTransactionResponse> {
  const [messages, sigs] = compactSubmitArgs(packets, signBatch(signers, s.domain, packets, validUntil));
  return s.receiver.getFunction('submit').send(messages, validUntil, sigs);
}

/** The fields of a REVALUATION (asset mark) body (docs/credit-message.md). */
export interface MarkFields {
  version?: number;
  messageType?: number;
  srcEid: number;
  asset: string;
  markNonce: bigint;
  price: bigint;
  priceTimestamp: bigint;
  haircut: bigint;
}

/** The 78-byte REVALUATION body, via solidityPacked. */
export function encodeMarkMessage(f: MarkFields): string {
  return solidityPacked(
    ['uint8', 'uint8', 'uint32', 'bytes32', 'uint64', 'uint128', 'uint64', 'uint64'],
    [f.version ?? 1, f.messageType ?? 3, f.srcEid, f.asset, f.markNonce, f.price, f.priceTimestamp, f.haircut],
  );
}

export const MARK_BATCH_TYPES = {
  MarkBatch: [
    { name: 'marks', type: 'bytes[]' },
    { name: 'validUntil', type: 'uint64' },
  ],
};

/** EIP-712 MarkBatch digest under the receiver's domain. */
export function markBatchDigest(domain: Domain, marks: readonly string[], validUntil: bigint = FAR_FUTURE): string {
  return TypedDataEncoder.hash(
    { name: domain.name ?? RECEIVER_DOMAIN.name, version: domain.version ?? RECEIVER_DOMAIN.version, chainId: domain.chainId, verifyingContract: domain.verifyingContract },
    MARK_BATCH_TYPES,
    { marks, validUntil },
  );
}

/** Signs and submits marks to the receiver (`submitMarks`, concatenated bodies and signatures). */
export async function submitMarks(
  s: Pick<CreditSystem, 'receiver' | 'domain'>,
  signers: readonly ethers.Wallet[],
  marks: readonly string[],
  validUntil: bigint = FAR_FUTURE,
): Promise<ethers.ContractTransactionResponse> {
  const digest = markBatchDigest(s.domain, marks, validUntil);
  const sigs = [...signers].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1)).map((w) => w.signingKey.sign(digest).serialized);
  return s.receiver.getFunction('submitMarks').send(concat([...marks]), validUntil, concat(sigs));
}

/** The same signature with s' = n − s and v flipped: valid for ecrecover, but malleable. */
export function malleate(signature: string): string {
  const sig = Signature.from(signature);
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const highS = zeroPadValue(`0x${(n - BigInt(sig.s)).toString(16)}`, 32);
  return concat([sig.r, highS, sig.v === 27 ? '0x1c' : '0x1b']);
}

export interface CreditSystem {
  vault: ethers.Contract;
  receiver: ethers.Contract;
  token: ethers.Contract;
  vaultAddress: string;
  receiverAddress: string;
  tokenAddress: string;
  /** The receiver's EIP-712 domain (MarginCreditReceiver v2). */
  domain: Domain;
  /** The vault's EIP-712 domain (CollateralVault v1). */
  vaultDomain: Domain;
}

export interface DeployCreditSystemParameters {
  deployer: ethers.Signer;
  attesters: readonly string[];
  threshold: number;
  chainId: number;
  /** The vault's release attesters; default `attesters`. */
  vaultAttesters?: readonly string[];
  /** The vault's threshold; default `threshold`. */
  vaultThreshold?: number;
  tokenDecimals?: number;
  cap?: bigint;
  /** Deploy the token as a RestrictedERC20 (blockable, pausable) instead of a TestERC20. */
  restrictedToken?: boolean;
  /** The receiver's mark heartbeat of the token, seconds; default 3600. */
  heartbeat?: number;
  /** The receiver's cap of the token; default `cap`. */
  receiverCap?: bigint;
}

/**
 * Deploys, on one chain: a vault (eid SRC_EID) pointing at a receiver (eid DST_EID) that knows it as the vault of
 * SRC_EID, a 6-decimals TestERC20 (or RestrictedERC20) listed in the vault with `cap` (default 10^30) and registered
 * on the receiver (decimals, heartbeat, cap; no mark yet). Both chains are
 * the same anvil: the eids are what matters to the contracts.
 */
export async function deployCreditSystem(p: DeployCreditSystemParameters): Promise<CreditSystem> {
  const receiver = await deployReceiver(p.deployer, { localEid: DST_EID, attesters: p.attesters, threshold: p.threshold });
  const vault = await deployVault(p.deployer, { localEid: SRC_EID, attesters: p.vaultAttesters ?? p.attesters, threshold: p.vaultThreshold ?? p.threshold });
  const tokenParameters = { name: 'USD Coin', symbol: 'USDC', decimals: p.tokenDecimals ?? 6 };
  const token = p.restrictedToken === true ? await deployRestrictedToken(p.deployer, tokenParameters) : await deployTestToken(p.deployer, tokenParameters);
  const [vaultAddress, receiverAddress, tokenAddress] = await Promise.all([vault.getAddress(), receiver.getAddress(), token.getAddress()]);
  await (await vault.getFunction('setDestination').send(DST_EID, toBytes32(receiverAddress))).wait();
  await (await vault.getFunction('setAsset').send(tokenAddress, true, p.cap ?? 10n ** 30n)).wait();
  await (await receiver.getFunction('setVault').send(SRC_EID, toBytes32(vaultAddress))).wait();
  const cap = p.receiverCap ?? p.cap ?? 10n ** 30n;
  await (await receiver.getFunction('registerAsset').send(SRC_EID, toBytes32(tokenAddress), p.tokenDecimals ?? 6, p.heartbeat ?? 3600, cap)).wait();
  return {
    vault,
    receiver,
    token,
    vaultAddress,
    receiverAddress,
    tokenAddress,
    domain: { ...RECEIVER_DOMAIN, chainId: p.chainId, verifyingContract: receiverAddress },
    vaultDomain: { ...VAULT_DOMAIN, chainId: p.chainId, verifyingContract: vaultAddress },
  };
}

type SystemAddresses = Pick<CreditSystem, 'vaultAddress' | 'receiverAddress' | 'tokenAddress'>;

/** Header of the inbound path vault → receiver (CREDIT, VOID, RELEASE_RESULT) at `nonce`. */
export function inboundHeader(system: SystemAddresses, nonce: bigint): Header {
  return { nonce, srcEid: SRC_EID, sender: toBytes32(system.vaultAddress), dstEid: DST_EID, receiver: toBytes32(system.receiverAddress) };
}

/** Header of the path receiver → vault (WITHDRAWAL) at `nonce`. */
export function withdrawalHeader(system: SystemAddresses, nonce: bigint): Header {
  return { nonce, srcEid: DST_EID, sender: toBytes32(system.receiverAddress), dstEid: SRC_EID, receiver: toBytes32(system.vaultAddress) };
}

/** A valid packet for deposit `nonce` of `system`'s vault, crediting `account` with the given amounts. */
export function creditPacket(system: SystemAddresses, nonce: bigint, account: string, overrides: Partial<CreditFields> = {}): string {
  const sender = toBytes32(system.vaultAddress);
  const fields: CreditFields = {
    account: toBytes32(account),
    srcEid: SRC_EID,
    srcVault: sender,
    asset: toBytes32(system.tokenAddress),
    assetDecimals: 6,
    depositNonce: nonce,
    rawAmount: 1_000_000_000n,
    haircutValue: 980n * 10n ** 18n,
    price: 10n ** 18n,
    priceTimestamp: 1_700_000_000n,
    haircut: 2n * 10n ** 16n,
    sizeWeight: 10n ** 18n,
    ...overrides,
  };
  return encodePacket(inboundHeader(system, nonce), encodeMessage(fields));
}

/** A VOID of deposit `nonce` of `system`'s vault (reason 3 operator), refunding `rawAmount` to `refundTo`. */
export function voidPacket(system: SystemAddresses, nonce: bigint, account: string, refundTo: string, overrides: Partial<VoidFields> = {}): string {
  const fields: VoidFields = {
    account: toBytes32(account),
    srcEid: SRC_EID,
    srcVault: toBytes32(system.vaultAddress),
    asset: toBytes32(system.tokenAddress),
    depositNonce: nonce,
    rawAmount: 1_000_000n,
    refundTo: toBytes32(refundTo),
    reason: 3,
    ...overrides,
  };
  return encodePacket(inboundHeader(system, nonce), encodeVoidMessage(fields));
}

/** The WITHDRAWAL fields of a WithdrawalRequested event (as the relayer turns it into a packet). */
export interface WithdrawalRequest {
  guid: string;
  account: string;
  vaultEid: number;
  vault: string;
  nonce: bigint;
  asset: string;
  rawAmount: bigint;
  recipient: string;
  voidedNonce: bigint;
}

/** Reads the WithdrawalRequested events of `receipt` emitted by `system.receiver`. */
export function withdrawalRequests(system: Pick<CreditSystem, 'receiver' | 'receiverAddress'>, receipt: ethers.TransactionReceipt): WithdrawalRequest[] {
  const found: WithdrawalRequest[] = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== system.receiverAddress.toLowerCase()) continue;
    const parsed = system.receiver.interface.parseLog(log);
    if (parsed?.name !== 'WithdrawalRequested') continue;
    const a = parsed.args;
    // Event fields decode as ethers types: bytes32 → string, uint32 → bigint, uint64/uint128 → bigint.
    found.push({ guid: a[0] as string, account: a[1] as string, vaultEid: Number(a[2] as bigint), vault: a[3] as string, nonce: a[4] as bigint, asset: a[5] as string, rawAmount: a[6] as bigint, recipient: a[7] as string, voidedNonce: a[8] as bigint });
  }
  return found;
}

/** The WITHDRAWAL packet for a WithdrawalRequested event (receiver → vault), with optional field overrides. */
export function withdrawalPacket(system: SystemAddresses, w: WithdrawalRequest, overrides: Partial<WithdrawalFields> = {}, header: Partial<Header> = {}): string {
  const fields: WithdrawalFields = {
    account: w.account,
    vaultEid: w.vaultEid,
    vault: w.vault,
    asset: w.asset,
    recipient: w.recipient,
    withdrawalNonce: w.nonce,
    rawAmount: w.rawAmount,
    voidedNonce: w.voidedNonce,
    ...overrides,
  };
  return encodePacket({ ...withdrawalHeader(system, w.nonce), ...header }, encodeWithdrawalMessage(fields));
}

/** The RELEASE_RESULT fields of a ReleaseResult event of the vault. */
export interface ReleaseResultEvent {
  guid: string;
  dstEid: number;
  receiver: string;
  nonce: bigint;
  withdrawalGuid: string;
  withdrawalNonce: bigint;
  status: number;
  account: string;
  asset: string;
  rawAmount: bigint;
}

/** Reads the ReleaseResult events of `receipt` emitted by `system.vault`. */
export function releaseResults(system: Pick<CreditSystem, 'vault' | 'vaultAddress'>, receipt: ethers.TransactionReceipt): ReleaseResultEvent[] {
  const found: ReleaseResultEvent[] = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== system.vaultAddress.toLowerCase()) continue;
    const parsed = system.vault.interface.parseLog(log);
    if (parsed?.name !== 'ReleaseResult') continue;
    const a = parsed.args;
    // Event fields decode as ethers types: bytes32 → string, uint8/uint32/uint64/uint128 → bigint.
    found.push({ guid: a[0] as string, dstEid: Number(a[1] as bigint), receiver: a[2] as string, nonce: a[3] as bigint, withdrawalGuid: a[4] as string, withdrawalNonce: a[5] as bigint, status: Number(a[6] as bigint), account: a[7] as string, asset: a[8] as string, rawAmount: a[9] as bigint });
  }
  return found;
}

/** The RELEASE_RESULT packet for a ReleaseResult event (vault → receiver), with optional field overrides. */
export function releaseResultPacket(system: SystemAddresses, r: ReleaseResultEvent, overrides: Partial<ReleaseResultFields> = {}): string {
  const fields: ReleaseResultFields = {
    srcEid: SRC_EID,
    srcVault: toBytes32(system.vaultAddress),
    resultNonce: r.nonce,
    withdrawalGuid: r.withdrawalGuid,
    withdrawalNonce: r.withdrawalNonce,
    status: r.status,
    account: r.account,
    asset: r.asset,
    rawAmount: r.rawAmount,
    ...overrides,
  };
  return encodePacket(inboundHeader(system, r.nonce), encodeReleaseResultMessage(fields));
}
