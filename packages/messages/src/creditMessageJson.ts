/**
 * The JSON form of a credit message, as in the vector file (docs/credit-message.md): integers that can exceed
 * 2^53 are decimal strings; eids, version, messageType and assetDecimals are numbers; bytes are lowercase 0x hex.
 */
import type { CreditMessage } from './creditMessage';
import { FieldOutOfRangeError } from './errors';
import { toFixedHex, type Hex } from './hex';
import { checkUint } from './uint';

export type CreditMessageJson = {
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
};

export function creditMessageToJson(msg: CreditMessage): CreditMessageJson {
  return {
    version: msg.version,
    messageType: msg.messageType,
    account: msg.account.toLowerCase(),
    srcEid: msg.srcEid,
    srcVault: msg.srcVault.toLowerCase(),
    asset: msg.asset.toLowerCase(),
    assetDecimals: msg.assetDecimals,
    depositNonce: msg.depositNonce.toString(),
    rawAmount: msg.rawAmount.toString(),
    haircutValue: msg.haircutValue.toString(),
    price: msg.price.toString(),
    priceTimestamp: msg.priceTimestamp.toString(),
    haircut: msg.haircut.toString(),
    sizeWeight: msg.sizeWeight.toString(),
  };
}

const DECIMAL_RE = /^(?:0|[1-9][0-9]*)$/;

function decimal(field: string, value: string, bits: 64 | 128): bigint {
  if (typeof value !== 'string' || !DECIMAL_RE.test(value)) {
    throw new FieldOutOfRangeError({ field, max: (1n << BigInt(bits)) - 1n, value });
  }
  return checkUint(field, BigInt(value), bits);
}

/**
 * Parses the JSON form back into a CreditMessage, checking every field. Version and messageType are not
 * restricted here (an invalid one is rejected by `encodeCreditMessage`); they only have to be uint8.
 */
export function creditMessageFromJson(json: CreditMessageJson): CreditMessage {
  checkUint('version', json.version, 8, 'number');
  checkUint('messageType', json.messageType, 8, 'number');
  return {
    // A JSON value is not a literal type; encodeCreditMessage rejects any version/messageType other than 1.
    version: json.version as CreditMessage['version'],
    messageType: json.messageType, // a number passes for the enum member; checked on encode
    account: toFixedHex(json.account as Hex, 32, 'account'), // toFixedHex validates the string is hex
    srcEid: Number(checkUint('srcEid', json.srcEid, 32, 'number')),
    srcVault: toFixedHex(json.srcVault as Hex, 32, 'srcVault'), // validated by toFixedHex
    asset: toFixedHex(json.asset as Hex, 32, 'asset'), // validated by toFixedHex
    assetDecimals: Number(checkUint('assetDecimals', json.assetDecimals, 8, 'number')),
    depositNonce: decimal('depositNonce', json.depositNonce, 64),
    rawAmount: decimal('rawAmount', json.rawAmount, 128),
    haircutValue: decimal('haircutValue', json.haircutValue, 128),
    price: decimal('price', json.price, 128),
    priceTimestamp: decimal('priceTimestamp', json.priceTimestamp, 64),
    haircut: decimal('haircut', json.haircut, 64),
    sizeWeight: decimal('sizeWeight', json.sizeWeight, 64),
  };
}
