import { buildCreditPacket, type CreditMessage, creditDomain, MessageType, recoverBatchSigners } from '@ccr/messages';
import { Wallet } from 'ethers';
import { attesterSigners } from '../attester/attest-batch';
import { PacketGuidMismatchError, prepareBatch } from './prepare-batch';
import { receiverInterface } from './receiver-client';

const receiver = `0x${'00'.repeat(12)}5fbdb2315678afecb367f032d93f642f64180aa3`;
const domain = creditDomain({ chainId: 31337n, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' });
const keys = [Wallet.createRandom().privateKey, Wallet.createRandom().privateKey];

function message(nonce: bigint): CreditMessage {
  return {
    version: 1,
    messageType: MessageType.Credit,
    account: `0x${'33'.repeat(32)}`,
    srcEid: 40101,
    srcVault: `0x${'00'.repeat(12)}${'11'.repeat(20)}`,
    asset: `0x${'00'.repeat(12)}${'44'.repeat(20)}`,
    assetDecimals: 6,
    depositNonce: nonce,
    rawAmount: 1_000_000n * nonce,
    haircutValue: 980_000_000_000_000_000n,
    price: 1_000_000_000_000_000_000n,
    priceTimestamp: 1_750_000_000n,
    haircut: 20_000_000_000_000_000n,
    sizeWeight: 1_000_000_000_000_000_000n,
  } as CreditMessage; // hex fields above are 0x bytes32 strings, as CreditMessage wants
}

describe('prepareBatch', () => {
  it('builds the packets, the attesters’ signatures over them and the calldata that carries both', () => {
    const messages = [1n, 2n, 3n].map((n) => {
      const m = message(n);
      return { guid: buildCreditPacket(m, { dstEid: 40200, receiver }).guid, message: m };
    });
    const { attestation, calldata } = prepareBatch({ messages, dstEid: 40200, receiver, domain }, attesterSigners(keys));
    const [packets, signatures] = receiverInterface.decodeFunctionData('submitCredits', calldata) as unknown as [string[], string[]]; // (bytes[], bytes[])
    const expected = messages.map((m) => buildCreditPacket(m.message, { dstEid: 40200, receiver }));
    expect(packets).toEqual(expected.map((p) => p.packet));
    expect(signatures).toEqual(attestation.signatures);
    expect(recoverBatchSigners({ domain, credits: expected.map((p) => ({ guid: p.guid, payloadHash: p.payloadHash })), signatures })).toEqual(attestation.signers);
  });

  it('refuses a deposit whose fields do not give its GUID', () => {
    const m = message(1n);
    expect(() => prepareBatch({ messages: [{ guid: `0x${'ab'.repeat(32)}`, message: m }], dstEid: 40200, receiver, domain }, attesterSigners(keys))).toThrow(PacketGuidMismatchError);
  });
});
