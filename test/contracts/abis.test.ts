import { ethers, decodeRevert, loadArtifact, receiverInterface, vaultInterface, aggregatorV3Interface, messageErrorsInterface, withdrawalGuardInterface, ArtifactNotFoundError } from '../../contracts/ts/index';
import { ensureBuilt } from '../support/ensureBuilt';

// Chain tests: the first file may compile the contracts and start anvil on a busy machine.
jest.setTimeout(120_000);

beforeAll(() => {
  ensureBuilt();
});

function compiled(name: string): ethers.Interface {
  return new ethers.Interface(loadArtifact(name).abi as ethers.InterfaceAbi); // solc JSON ABI
}

/** Every fragment of `handWritten` exists, identically, in `fromSolc`. */
function expectSubset(handWritten: ethers.Interface, fromSolc: ethers.Interface): void {
  handWritten.forEachFunction((f) => expect(fromSolc.getFunction(f.selector)?.format('minimal')).toBe(f.format('minimal')));
  handWritten.forEachEvent((e) => expect(fromSolc.getEvent(e.topicHash)?.format('minimal')).toBe(e.format('minimal')));
  handWritten.forEachError((e) => expect(fromSolc.getError(e.selector)?.format('minimal')).toBe(e.format('minimal')));
}

/** Every error and event of `fromSolc` is in `handWritten`, so decodeRevert and log parsing miss nothing. */
function expectAllErrorsAndEvents(handWritten: ethers.Interface, fromSolc: ethers.Interface): void {
  fromSolc.forEachError((e) => expect(handWritten.getError(e.selector)?.name ?? `missing ${e.format()}`).toBe(e.name));
  fromSolc.forEachEvent((e) => expect(handWritten.getEvent(e.topicHash)?.name ?? `missing ${e.format()}`).toBe(e.name));
}

test('VAULT_ABI matches the compiled CollateralVault and lists all its errors and events', () => {
  // OpenZeppelin errors the vault cannot raise in practice (Ownable2Step internals, SafeERC20) are not needed by the relayer.
  const solc = compiled('CollateralVault');
  expectSubset(vaultInterface, solc);
  expectAllErrorsAndEvents(vaultInterface, compiled('ICollateralVault'));
  for (const name of ['Locked', 'AssetSet', 'DestinationSet', 'Released', 'ReleaseFailed', 'ReleaseResult']) expect(vaultInterface.getEvent(name)).not.toBeNull();
  for (const name of ['ZeroAmount', 'ZeroAccount', 'AssetNotAllowed', 'CapExceeded', 'DestinationNotSet', 'InvalidDestination', 'UnknownSender', 'AttestationExpired']) {
    expect(vaultInterface.getError(name)?.selector).toBe(solc.getError(name)?.selector);
  }
});

test('RECEIVER_ABI matches the compiled MarginCreditReceiver and lists all its own errors and events', () => {
  const solc = compiled('MarginCreditReceiver');
  expectSubset(receiverInterface, solc);
  expectAllErrorsAndEvents(receiverInterface, compiled('IMarginCreditReceiver'));
});

test('RECEIVER_ABI has every function of IMarginCreditReceiver (compact submit, marks, registration, reads)', () => {
  const solc = compiled('IMarginCreditReceiver');
  solc.forEachFunction((f) => expect(receiverInterface.getFunction(f.selector)?.format('minimal') ?? `missing ${f.format()}`).toBe(f.format('minimal')));
  expect(receiverInterface.getFunction('submit')?.format()).toBe('submit(bytes,uint64,bytes)');
  expect(receiverInterface.getFunction('submitMarks')?.format()).toBe('submitMarks(bytes,uint64,bytes)');
});

test('decodeRevert names the receiver bound errors, and tells its CapExceeded from the vault one', () => {
  const pathway = receiverInterface.encodeErrorResult('UnknownPathway', [2, 40999, ethers.ZeroHash]);
  expect(decodeRevert(pathway)).toEqual({ name: 'UnknownPathway', selector: pathway.slice(0, 10), args: [2n, 40999n, ethers.ZeroHash] });
  expect(decodeRevert(receiverInterface.encodeErrorResult('InvalidMark', [0, 6]))?.args).toEqual([0n, 6n]);
  expect(decodeRevert(receiverInterface.encodeErrorResult('TruncatedMessage', [1, 100]))?.name).toBe('TruncatedMessage');
  const receiverCap = receiverInterface.encodeErrorResult('CapExceeded', [1, 1_001n, 1_000n]);
  const vaultCap = vaultInterface.encodeErrorResult('CapExceeded', [ethers.ZeroAddress, 1_001n, 1_000n]);
  expect(receiverCap.slice(0, 10)).not.toBe(vaultCap.slice(0, 10));
  expect(decodeRevert(receiverCap)).toEqual({ name: 'CapExceeded', selector: receiverCap.slice(0, 10), args: [1n, 1_001n, 1_000n] });
  expect(decodeRevert(vaultCap)).toEqual({ name: 'CapExceeded', selector: vaultCap.slice(0, 10), args: [ethers.ZeroAddress, 1_001n, 1_000n] });
});

test('AGGREGATOR_V3_ABI matches MockV3Aggregator, MESSAGE_ERRORS_ABI the codec libraries, WITHDRAWAL_GUARD_ABI the interface', () => {
  expectSubset(aggregatorV3Interface, compiled('MockV3Aggregator'));
  expectSubset(messageErrorsInterface, compiled('CodecHarness'));
  const harness = compiled('CodecHarness');
  harness.forEachError((e) => expect(e.name === 'LengthMismatch' || messageErrorsInterface.getError(e.selector) !== null).toBe(true));
  expectSubset(withdrawalGuardInterface, compiled('IWithdrawalGuard'));
});

test('the Locked event of LookalikeVault has the same topic as the vault one', () => {
  expect(compiled('LookalikeVault').getEvent('Locked')?.topicHash).toBe(vaultInterface.getEvent('Locked')?.topicHash);
});

test('decodeRevert names receiver errors, the message reason, and never throws', () => {
  const data = receiverInterface.encodeErrorResult('UnexpectedNonce', [3, 1n, 2n]);
  expect(decodeRevert(data)).toEqual({ name: 'UnexpectedNonce', selector: data.slice(0, 10), args: [3n, 1n, 2n] });
  const reason = messageErrorsInterface.getError('UnsupportedVersion')?.selector ?? '';
  const invalid = receiverInterface.encodeErrorResult('InvalidMessage', [0, reason]);
  expect(decodeRevert({ code: 'CALL_EXCEPTION', info: { error: { data: invalid } } })?.reasonName).toBe('UnsupportedVersion');
  const field = receiverInterface.encodeErrorResult('InvalidMessage', [1, messageErrorsInterface.getError('InvalidField')?.selector ?? '']);
  expect(decodeRevert(field)?.reasonName).toBe('InvalidField');
  const unknownSender = vaultInterface.encodeErrorResult('UnknownSender', [0, 40200, ethers.ZeroHash]);
  expect(decodeRevert(unknownSender)?.name).toBe('UnknownSender');
  expect(decodeRevert('0xdeadbeef')).toBeUndefined();
  expect(decodeRevert('not hex')).toBeUndefined();
  expect(decodeRevert(undefined)).toBeUndefined();
  expect(decodeRevert({ data: '0x' })).toBeUndefined();
});

test('loadArtifact throws ArtifactNotFoundError telling to run the build', () => {
  expect(() => loadArtifact('NoSuchContract')).toThrow(ArtifactNotFoundError);
  expect(() => loadArtifact('NoSuchContract')).toThrow(/pnpm build/);
});
