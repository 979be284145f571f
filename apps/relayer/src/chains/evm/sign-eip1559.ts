import { keccak256, type SigningKey } from 'ethers';

export type Eip1559Fields = {
  chainId: number;
  nonce: number;
  maxPriorityFeePerGas: bigint;
  maxFeePerGas: bigint;
  gasLimit: bigint;
  /** 0x-prefixed 20-byte address. */
  to: string;
  data: Buffer;
};

/** Big-endian bytes of a non-negative integer, no leading zeros (0 → empty), as RLP wants. */
function uint(value: bigint | number): Buffer {
  const v = BigInt(value);
  if (v < 0n) throw new RangeError('negative integer in a transaction field');
  if (v === 0n) return Buffer.alloc(0);
  const hex = v.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
}

function length(prefixShort: number, prefixLong: number, n: number): Buffer {
  if (n <= 55) return Buffer.from([prefixShort + n]);
  const len = uint(n);
  return Buffer.concat([Buffer.from([prefixLong + len.length]), len]);
}

function rlpString(b: Buffer): Buffer {
  if (b.length === 1 && b[0]! < 0x80) return b;
  return Buffer.concat([length(0x80, 0xb7, b.length), b]);
}

function rlpList(items: readonly Buffer[]): Buffer {
  const payload = Buffer.concat(items);
  return Buffer.concat([length(0xc0, 0xf7, payload.length), payload]);
}

const EMPTY_LIST = Buffer.from([0xc0]);
const TYPE_2 = Buffer.from([0x02]);

function fields(tx: Eip1559Fields): Buffer[] {
  return [uint(tx.chainId), uint(tx.nonce), uint(tx.maxPriorityFeePerGas), uint(tx.maxFeePerGas), uint(tx.gasLimit), Buffer.from(tx.to.slice(2), 'hex'), uint(0)].map(rlpString).concat([rlpString(tx.data), EMPTY_LIST]);
}

/**
 * Signs an EIP-1559 (type 2) call with no value and an empty access list: `0x02 ‖ rlp([chainId, nonce, maxPriorityFee,
 * maxFee, gasLimit, to, 0, data, [], yParity, r, s])`, the same bytes ethers' `Wallet.signTransaction` gives
 * (sign-eip1559.test.ts checks it), without converting a 60 KB calldata between hex and bytes several times.
 * Returns the raw transaction and its hash.
 */
export function signEip1559(key: SigningKey, tx: Eip1559Fields): { raw: string; hash: string } {
  if (!/^0x[0-9a-fA-F]{40}$/.test(tx.to)) throw new RangeError(`not a 20-byte address: ${tx.to}`);
  const body = fields(tx);
  const unsignedHash = keccak256(Buffer.concat([TYPE_2, rlpList(body)]));
  const sig = key.sign(unsignedHash);
  const signed = Buffer.concat([TYPE_2, rlpList([...body, ...[uint(sig.yParity), uint(BigInt(sig.r)), uint(BigInt(sig.s))].map(rlpString)])]);
  return { raw: `0x${signed.toString('hex')}`, hash: keccak256(signed) };
}
