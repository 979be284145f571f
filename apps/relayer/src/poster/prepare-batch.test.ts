import { buildCreditPacket, buildWithdrawalPacket, type CreditMessage, MessageType, receiverDomain, recoverBatchSigners, vaultDomain, type WithdrawalMessage } from '@ccr/messages';
import { Wallet } from 'ethers';
import { attesterSigners } from '../attester/attest-batch';
import { submitSelector } from '../chains/evm/encode-submit';
import { receiverInterface, vaultInterface } from '../chains/evm/evm-submitter';
import { PacketGuidMismatchError, prepareBatch } from './prepare-batch';

const receiver = `0x${'00'.repeat(12)}5fbdb2315678afecb367f032d93f642f64180aa3`;
const vault = `0x${'00'.repeat(12)}${'11'.repeat(20)}`;
const domain = receiverDomain({ chainId: 31337n, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' });
const keys = [Wallet.createRandom().privateKey, Wallet.createRandom().privateKey];
const SUBMIT = `0x${submitSelector(receiverInterface, 'submit').toString('hex')}`;
const RELEASE = `0x${submitSelector(vaultInterface, 'submitReleases').toString('hex')}`;

function message(nonce: bigint): CreditMessage {
  return {
    version: 1,
    messageType: MessageType.Credit,
    account: `0x${'33'.repeat(32)}`,
    srcEid: 40101,
    srcVault: vault,
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
  it('builds the packets, the attesters’ signatures over them and validUntil, and the submit calldata that carries all three', () => {
    const messages = [1n, 2n, 3n].map((n) => {
      const m = message(n);
      return { guid: buildCreditPacket(m, { dstEid: 40200, receiver }).guid, message: m };
    });
    const { attestation, calldata } = prepareBatch({ messages, dstEid: 40200, receiver, domain, validUntil: 1_800_000_000n, selector: SUBMIT }, attesterSigners(keys));
    // The receiver's submit takes the messages only (headers rebuilt on chain) and the signatures packed.
    const [messagesBlob, validUntil, signaturesBlob] = receiverInterface.decodeFunctionData('submit', calldata) as unknown as [string, bigint, string]; // (bytes, uint64, bytes)
    const expected = messages.map((m) => buildCreditPacket(m.message, { dstEid: 40200, receiver }));
    expect(messagesBlob).toBe(`0x${expected.map((p) => p.packet.slice(2 + 113 * 2)).join('')}`);
    expect(validUntil).toBe(1_800_000_000n);
    expect(signaturesBlob).toBe(`0x${attestation.signatures.map((sig) => sig.slice(2)).join('')}`);
    expect(recoverBatchSigners(domain, expected.map((p) => ({ guid: p.guid, payloadHash: p.payloadHash })), 1_800_000_000n, attestation.signatures)).toEqual(attestation.signers);
  });

  it('builds a withdrawal batch for a vault from the path it leaves (receiver → vault)', () => {
    const w: WithdrawalMessage = {
      version: 1,
      messageType: MessageType.Withdrawal,
      account: `0x${'33'.repeat(32)}`,
      vaultEid: 40101,
      vault: vault as WithdrawalMessage['vault'], // 0x bytes32
      asset: `0x${'00'.repeat(12)}${'44'.repeat(20)}`,
      recipient: `0x${'00'.repeat(12)}${'55'.repeat(20)}`,
      withdrawalNonce: 7n,
      rawAmount: 5n,
      voidedNonce: 0n,
    };
    const from = { srcEid: 40200, sender: receiver };
    const guid = buildWithdrawalPacket(w, from).guid;
    const vd = vaultDomain({ chainId: 31337n, verifyingContract: `0x${'11'.repeat(20)}` });
    const { calldata } = prepareBatch({ messages: [{ guid, message: w, from }], dstEid: 40101, receiver: vault, domain: vd, validUntil: 9n, selector: RELEASE }, attesterSigners(keys));
    const [packets] = vaultInterface.decodeFunctionData('submitReleases', calldata) as unknown as [string[]]; // (bytes[], uint64, bytes[])
    expect(packets).toEqual([buildWithdrawalPacket(w, from).packet]);
    expect(() => prepareBatch({ messages: [{ guid, message: w }], dstEid: 40101, receiver: vault, domain: vd, validUntil: 9n, selector: RELEASE }, attesterSigners(keys))).toThrow(PacketGuidMismatchError);
  });

  it('refuses a deposit whose fields do not give its GUID', () => {
    const m = message(1n);
    expect(() => prepareBatch({ messages: [{ guid: `0x${'ab'.repeat(32)}`, message: m }], dstEid: 40200, receiver, domain, validUntil: 1n, selector: SUBMIT }, attesterSigners(keys))).toThrow(PacketGuidMismatchError);
  });
});
