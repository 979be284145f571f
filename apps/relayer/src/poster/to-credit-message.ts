import { type CreditMessage, MessageType } from '@ccr/messages';
import type { Deposit } from '../store/deposit.entity';
import { RelayerError } from '../common/relayer-error';

export class NotValuedError extends RelayerError {
  override readonly name = 'NotValuedError' as const;
  constructor(guid: string, field: string) {
    super(`deposit ${guid} has no ${field}: it was never valued`, { details: { guid, field } });
  }
}

/** A VALUED deposit → the credit message v1 fields (docs/credit-message.md). */
export function toCreditMessage(d: Deposit): CreditMessage {
  const need = <T>(value: T | null, field: string): T => {
    if (value === null) throw new NotValuedError(d.guid, field);
    return value;
  };
  return {
    version: 1,
    messageType: MessageType.Credit,
    // Stored lowercase 0x bytes32 (normalised by the chain adapter).
    account: d.account as CreditMessage['account'],
    srcEid: d.srcEid,
    srcVault: d.srcVault as CreditMessage['srcVault'],
    asset: d.token as CreditMessage['asset'],
    assetDecimals: need(d.assetDecimals, 'assetDecimals'),
    depositNonce: d.nonce,
    rawAmount: BigInt(d.amount),
    haircutValue: BigInt(need(d.haircutValue, 'haircutValue')),
    price: BigInt(need(d.price, 'price')),
    priceTimestamp: BigInt(need(d.priceTimestamp, 'priceTimestamp')),
    haircut: BigInt(need(d.haircut, 'haircut')),
    sizeWeight: BigInt(need(d.sizeWeight, 'sizeWeight')),
  };
}
