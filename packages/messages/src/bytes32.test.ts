import { addressToBytes32 as lzAddressToBytes32, bytes32ToEthAddress } from '@layerzerolabs/lz-v2-utilities';
import { encodeBase58 } from 'ethers';
import fc from 'fast-check';
import { anyBytes32, evmBytes32 } from '../test-utils/arbitraries';
import { catchError } from '../test-utils/catchError';
import { loadVectors } from '../test-utils/vectors';
import {
  addressToBytes32,
  bytes32ToEvmAddress,
  bytes32ToSolanaAddress,
  evmAddressToBytes32,
  isBytes32,
  isEvmAddress,
  solanaAddressToBytes32,
} from './bytes32';
import { InvalidAddressError, InvalidLengthError, NonCanonicalAddressError } from './errors';
import { bytesToHex } from './hex';

const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
const TOKEN_PROGRAM_BYTES32 = '0x06ddf6e1d765a193d9cbe146ceeb79ac1cb485ed5f5b37913a8cf5857eff00a9'; // PROTOCOL-NOTES.md

describe('EVM addresses', () => {
  const checksummed = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
  const padded = '0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8';

  it('left-pads to a lowercase bytes32 and back to the checksummed address', () => {
    expect(evmAddressToBytes32(checksummed)).toBe(padded);
    expect(evmAddressToBytes32(checksummed.toLowerCase())).toBe(padded);
    expect(bytes32ToEvmAddress(padded)).toBe(checksummed);
    expect(isEvmAddress(padded)).toBe(true);
  });

  it('rejects a bad checksum or a wrong length', () => {
    expect(catchError(() => evmAddressToBytes32('0x70997970c51812dc3A010C7d01b50e0d17dc79C8'))).toBeInstanceOf(InvalidAddressError);
    expect(catchError(() => evmAddressToBytes32('0x1234'))).toMatchObject({ name: 'InvalidAddressError', code: 'InvalidAddress', value: '0x1234' });
  });

  it('NonCanonicalAddressError when any of the 12 padding bytes is set', () => {
    for (let i = 0; i < 12; i++) {
      const bytes = new Uint8Array(32);
      bytes[31] = 1;
      bytes[i] = 0x80;
      const hex = bytesToHex(bytes);
      expect(isEvmAddress(hex)).toBe(false);
      const e = catchError(() => bytes32ToEvmAddress(hex));
      expect(e).toBeInstanceOf(NonCanonicalAddressError);
      expect(e).toMatchObject({ name: 'NonCanonicalAddressError', code: 'NonCanonicalAddress', value: hex });
    }
  });

  it('isEvmAddress / bytes32ToEvmAddress refuse a value that is not 32 bytes', () => {
    expect(catchError(() => isEvmAddress(`0x${'00'.repeat(31)}`))).toBeInstanceOf(InvalidLengthError);
    expect(catchError(() => bytes32ToEvmAddress(`0x${'00'.repeat(20)}`))).toMatchObject({ name: 'InvalidLengthError', subject: 'bytes32' });
  });

  it('property: address → bytes32 → address, agreeing with lz-v2-utilities', () => {
    fc.assert(
      fc.property(evmBytes32, (b32) => {
        const address = bytes32ToEvmAddress(b32);
        expect(address).toBe(bytes32ToEthAddress(b32));
        expect(evmAddressToBytes32(address)).toBe(b32);
        expect(bytesToHex(lzAddressToBytes32(address))).toBe(b32);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Solana public keys', () => {
  it('matches the PROTOCOL-NOTES vector (hard-coded) and lz-v2-utilities', () => {
    expect(solanaAddressToBytes32(TOKEN_PROGRAM)).toBe(TOKEN_PROGRAM_BYTES32);
    expect(bytesToHex(lzAddressToBytes32(TOKEN_PROGRAM))).toBe(TOKEN_PROGRAM_BYTES32);
    expect(bytes32ToSolanaAddress(TOKEN_PROGRAM_BYTES32)).toBe(TOKEN_PROGRAM);
    expect(isEvmAddress(TOKEN_PROGRAM_BYTES32)).toBe(false);
  });

  it.each(loadVectors().solanaBytes32.map((v) => [v.base58, v] as const))('vector %s both ways', (_n, v) => {
    expect(solanaAddressToBytes32(v.base58)).toBe(v.bytes32);
    expect(bytes32ToSolanaAddress(v.bytes32 as `0x${string}`)).toBe(v.base58); // vector hex
  });

  it('the vector file contains the PROTOCOL-NOTES vector', () => {
    expect(loadVectors().solanaBytes32).toContainEqual({ base58: TOKEN_PROGRAM, bytes32: TOKEN_PROGRAM_BYTES32 });
  });

  it('keeps leading zero bytes as leading 1s (the system program is 32 zero bytes)', () => {
    expect(solanaAddressToBytes32('11111111111111111111111111111111')).toBe(`0x${'00'.repeat(32)}`);
    expect(bytes32ToSolanaAddress(`0x${'00'.repeat(32)}`)).toBe('11111111111111111111111111111111');
  });

  it.each([
    ['too few characters', '1111111111111111111111111111111'],
    ['decodes to 31 bytes', `1${encodeBase58(`0x${'ff'.repeat(30)}`)}`],
    ['decodes to 33 bytes', `1${encodeBase58(`0x${'ff'.repeat(32)}`)}`],
    ['more than 32 bytes', 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz'],
    ['invalid letter 0', `0${TOKEN_PROGRAM.slice(1)}`],
    ['invalid letter l', `l${TOKEN_PROGRAM.slice(1)}`],
  ])('InvalidAddressError: %s', (_n, value) => {
    const e = catchError(() => solanaAddressToBytes32(value));
    expect(e).toBeInstanceOf(InvalidAddressError);
    expect(e).toMatchObject({ value });
  });

  it('property: bytes32 → base58 → bytes32, agreeing with lz-v2-utilities', () => {
    fc.assert(
      fc.property(anyBytes32, (b32) => {
        const base58 = bytes32ToSolanaAddress(b32);
        expect(solanaAddressToBytes32(base58)).toBe(b32);
        expect(bytesToHex(lzAddressToBytes32(base58))).toBe(b32);
      }),
      { numRuns: 200 },
    );
  });
});

describe('addressToBytes32 / isBytes32', () => {
  it('normalises the three forms', () => {
    expect(addressToBytes32('0x70997970C51812dc3A010C7d01b50e0d17dc79C8')).toBe(
      '0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8',
    );
    expect(addressToBytes32(TOKEN_PROGRAM_BYTES32.toUpperCase().replace('0X', '0x'))).toBe(TOKEN_PROGRAM_BYTES32);
    expect(addressToBytes32(TOKEN_PROGRAM)).toBe(TOKEN_PROGRAM_BYTES32);
    expect(addressToBytes32(new Uint8Array(32))).toBe(`0x${'00'.repeat(32)}`);
  });

  it('isBytes32', () => {
    expect(isBytes32(TOKEN_PROGRAM_BYTES32)).toBe(true);
    expect(isBytes32(TOKEN_PROGRAM_BYTES32.slice(0, -2))).toBe(false);
    expect(isBytes32(TOKEN_PROGRAM)).toBe(false);
    expect(isBytes32(42)).toBe(false);
  });
});
