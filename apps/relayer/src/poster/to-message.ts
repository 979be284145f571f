import { type AnyMessage, type CreditMessage, type Hex, MessageType, type ReleaseStatus, type VoidReason } from '@ccr/messages';
import { MessageKind } from '../store/message-kind';
import type { Deposit } from '../store/deposit.entity';
import { RelayerError } from '../common/relayer-error';

export class NotValuedError extends RelayerError {
  override readonly name = 'NotValuedError' as const;
  constructor(guid: string, field: string) {
    super(`deposit ${guid} has no ${field}: it was never valued`, { details: { guid, field } });
  }
}

/** A bytes32 column of a message row as the message's hex. */
function storedHex(column: string): Hex {
  return column as Hex; // stored lowercase 0x bytes32: the chain adapter normalises every address it reads
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
    account: storedHex(d.account),
    srcEid: d.srcEid,
    srcVault: storedHex(d.srcVault),
    asset: storedHex(d.token),
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

/** A row → the body its destination gets: CREDIT (or VOID once voided), WITHDRAWAL, RELEASE_RESULT. */
export function toMessage(d: Deposit): AnyMessage {
  switch (d.kind) {
    case MessageKind.Credit:
      if (d.voidReason === null) return toCreditMessage(d);
      return {
        version: 1,
        messageType: MessageType.Void,
        account: storedHex(d.account),
        srcEid: d.srcEid,
        srcVault: storedHex(d.srcVault),
        asset: storedHex(d.token),
        depositNonce: d.nonce,
        rawAmount: BigInt(d.amount),
        refundTo: storedHex(d.depositor),
        reason: d.voidReason as VoidReason, // written by the operator VOID from the enum
      };
    case MessageKind.Withdrawal:
      return {
        version: 1,
        messageType: MessageType.Withdrawal,
        account: storedHex(d.account),
        vaultEid: d.dstEid,
        vault: (d.receiver ?? '') as Hex, // a withdrawal row always names its vault (the watcher sets it)
        asset: storedHex(d.token),
        recipient: (d.recipient ?? '') as Hex, // from WithdrawalRequested, always set
        withdrawalNonce: d.nonce,
        rawAmount: BigInt(d.amount),
        voidedNonce: BigInt(d.voidedNonce ?? 0),
      };
    case MessageKind.Result:
      return {
        version: 1,
        messageType: MessageType.ReleaseResult,
        srcEid: d.srcEid,
        srcVault: storedHex(d.srcVault),
        resultNonce: d.nonce,
        withdrawalGuid: (d.withdrawalGuid ?? '') as Hex, // from ReleaseResult, always set
        withdrawalNonce: BigInt(d.withdrawalNonce ?? 0),
        status: (d.releaseStatus ?? 0) as ReleaseStatus, // 1 or 2, from ReleaseResult; the codec refuses anything else
        account: storedHex(d.account),
        asset: storedHex(d.token),
        rawAmount: BigInt(d.amount),
      };
  }
}
