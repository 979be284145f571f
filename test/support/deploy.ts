/**
 * Test fixtures for the credit path, built with ethers only (independent of @ccr/messages, so the contract tests
 * cross-check the TypeScript codec rather than reuse it): message and packet encoding, EIP-712 batch signing,
 * and a deployed vault + receiver + token set on one anvil.
 */
import { ethers } from '../../contracts/ts/index';
import { deployReceiver, deployTestToken, deployVault } from '../../contracts/ts/deploy';

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
export function creditOf(packet: string): { guid: string; payloadHash: string } {
  const bytes = packet.slice(2);
  return { guid: `0x${bytes.slice(162, 226)}`, payloadHash: keccak256(`0x${bytes.slice(162)}`) };
}

export const CREDIT_BATCH_TYPES = {
  CreditBatch: [{ name: 'credits', type: 'Credit[]' }],
  Credit: [
    { name: 'guid', type: 'bytes32' },
    { name: 'payloadHash', type: 'bytes32' },
  ],
};

export interface Domain {
  chainId: number | bigint;
  verifyingContract: string;
}

/** EIP-712 CreditBatch digest of `packets` under the receiver's domain. */
export function batchDigest(domain: Domain, packets: readonly string[]): string {
  return TypedDataEncoder.hash(
    { name: 'MarginCreditReceiver', version: '1', chainId: domain.chainId, verifyingContract: domain.verifyingContract },
    CREDIT_BATCH_TYPES,
    { credits: packets.map(creditOf) },
  );
}

/** Signatures of `signers` over the batch digest, ordered by increasing signer address (as the receiver wants). */
export function signBatch(signers: readonly ethers.Wallet[], domain: Domain, packets: readonly string[]): string[] {
  const digest = batchDigest(domain, packets);
  return [...signers]
    .sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1))
    .map((w) => w.signingKey.sign(digest).serialized);
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
  domain: Domain;
}

export interface DeployCreditSystemParameters {
  deployer: ethers.Signer;
  attesters: readonly string[];
  threshold: number;
  chainId: number;
  tokenDecimals?: number;
  cap?: bigint;
}

/**
 * Deploys, on one chain: a vault (eid SRC_EID) pointing at a receiver (eid DST_EID), a 6-decimals TestERC20 listed
 * in the vault with `cap` (default 10^30). Both chains are the same anvil: the eids are what matters to the contracts.
 */
export async function deployCreditSystem(p: DeployCreditSystemParameters): Promise<CreditSystem> {
  const receiver = await deployReceiver(p.deployer, { localEid: DST_EID, attesters: p.attesters, threshold: p.threshold });
  const vault = await deployVault(p.deployer, { localEid: SRC_EID });
  const token = await deployTestToken(p.deployer, { name: 'USD Coin', symbol: 'USDC', decimals: p.tokenDecimals ?? 6 });
  const [vaultAddress, receiverAddress, tokenAddress] = await Promise.all([vault.getAddress(), receiver.getAddress(), token.getAddress()]);
  await (await vault.getFunction('setDestination')(DST_EID, toBytes32(receiverAddress))).wait();
  await (await vault.getFunction('setAsset')(tokenAddress, true, p.cap ?? 10n ** 30n)).wait();
  return { vault, receiver, token, vaultAddress, receiverAddress, tokenAddress, domain: { chainId: p.chainId, verifyingContract: receiverAddress } };
}

/** A valid packet for deposit `nonce` of `system`'s vault, crediting `account` with the given amounts. */
export function creditPacket(
  system: Pick<CreditSystem, 'vaultAddress' | 'receiverAddress' | 'tokenAddress'>,
  nonce: bigint,
  account: string,
  overrides: Partial<CreditFields> = {},
): string {
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
  return encodePacket({ nonce, srcEid: SRC_EID, sender, dstEid: DST_EID, receiver: toBytes32(system.receiverAddress) }, encodeMessage(fields));
}
