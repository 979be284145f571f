/**
 * Addresses ↔ bytes32, the one place where chain addresses are normalised (as LayerZero does): an EVM address is
 * left-padded with 12 zero bytes; a Solana public key (base58) is its 32 raw bytes.
 */
import { decodeBase58, encodeBase58, getAddress, isAddress } from 'ethers';
import { InvalidAddressError, NonCanonicalAddressError } from './errors';
import { bytesToHex, isHex, toBytes, toFixedHex, type Hex } from './hex';

/** A checksummed 20-byte EVM address. */
export type Address = `0x${string}`;

const BASE58_RE = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;
const EVM_PADDING = '0x000000000000000000000000';

/** True for a 0x-prefixed 32-byte hex string (any case). */
export function isBytes32(value: unknown): value is Hex {
  return isHex(value) && value.length === 66;
}

/**
 * True when the bytes32 is a canonical left-padded EVM address (12 zero bytes, then 20 bytes).
 * The receiver requires this of `srcVault` and `asset` when the source chain is EVM.
 * Throws InvalidHexError / InvalidLengthError if the input is not a bytes32 at all.
 */
export function isEvmAddress(bytes32: Hex | Uint8Array): boolean {
  const hex = toFixedHex(bytes32, 32, 'bytes32');
  return hex.startsWith(EVM_PADDING);
}

/** EVM address (any valid case / checksum) → lowercase bytes32, left-padded. */
export function evmAddressToBytes32(address: string): Hex {
  if (!isAddress(address)) throw new InvalidAddressError({ value: address, details: 'not a 20-byte EVM address (or bad checksum)' });
  // isAddress accepted it, so it is 0x + 40 hex digits.
  return `${EVM_PADDING}${address.slice(2).toLowerCase()}` as Hex;
}

/** bytes32 → checksummed EVM address. NonCanonicalAddressError unless the first 12 bytes are zero. */
export function bytes32ToEvmAddress(bytes32: Hex | Uint8Array): Address {
  const hex = toFixedHex(bytes32, 32, 'bytes32');
  if (!hex.startsWith(EVM_PADDING)) throw new NonCanonicalAddressError({ value: hex });
  // getAddress returns a checksummed 0x-prefixed 20-byte address.
  return getAddress(`0x${hex.slice(26)}`) as Address;
}

/**
 * Solana public key (base58) → lowercase bytes32. Strict: the string must decode to exactly 32 bytes and be the
 * canonical base58 of those bytes (leading zero bytes as leading '1's), the same bytes `bs58.decode` gives.
 */
export function solanaAddressToBytes32(base58: string): Hex {
  if (!BASE58_RE.test(base58)) {
    throw new InvalidAddressError({ value: base58, details: 'not a base58 string of 32 to 44 characters' });
  }
  const value = decodeBase58(base58);
  if (value >= 1n << 256n) throw new InvalidAddressError({ value: base58, details: 'decodes to more than 32 bytes' });
  const hex: Hex = `0x${value.toString(16).padStart(64, '0')}`; // 64 hex digits after the range check above
  if (encodeBase58(hex) !== base58) {
    throw new InvalidAddressError({ value: base58, details: 'does not decode to exactly 32 bytes' });
  }
  return hex;
}

/** bytes32 → Solana base58 public key (leading zero bytes kept as '1's). */
export function bytes32ToSolanaAddress(bytes32: Hex | Uint8Array): string {
  return encodeBase58(toFixedHex(bytes32, 32, 'bytes32'));
}

/**
 * Any supported address form → lowercase bytes32: a 20-byte EVM address (left-padded), a 32-byte hex value
 * (taken as is), or a base58 Solana public key.
 */
export function addressToBytes32(address: string | Uint8Array): Hex {
  if (address instanceof Uint8Array) return toFixedHex(address, 32, 'bytes32');
  if (isBytes32(address)) return bytesToHex(toBytes(address));
  if (address.startsWith('0x')) return evmAddressToBytes32(address);
  return solanaAddressToBytes32(address);
}
