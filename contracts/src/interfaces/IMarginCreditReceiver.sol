// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IMarginCreditReceiver
/// @notice Derivatives-chain receiver of attested margin-credit packets (docs/credit-message.md, "Receiver rules").
interface IMarginCreditReceiver {
    /// @notice One packet was applied.
    /// @param guid Packet GUID.
    /// @param account Account credited.
    /// @param srcEid Source endpoint id.
    /// @param asset Source asset.
    /// @param rawAmount Amount locked on the source, token base units.
    /// @param haircutValue Margin value credited, USD 18 decimals.
    /// @param nonce Packet nonce on (srcEid, srcVault).
    event Credited(
        bytes32 indexed guid,
        bytes32 indexed account,
        uint32 indexed srcEid,
        bytes32 asset,
        uint128 rawAmount,
        uint128 haircutValue,
        uint64 nonce
    );
    /// @notice An attester was added.
    /// @param attester The attester.
    event AttesterAdded(address indexed attester);
    /// @notice An attester was removed.
    /// @param attester The attester.
    event AttesterRemoved(address indexed attester);
    /// @notice The signature threshold changed.
    /// @param threshold New threshold.
    event ThresholdSet(uint256 threshold);

    /// @notice The batch holds no packet.
    error EmptyBatch();
    /// @notice Packet shorter than header + guid.
    /// @param index Packet index.
    /// @param length Its length.
    error InvalidPacketLength(uint256 index, uint256 length);
    /// @notice Packet header version is not 1.
    /// @param index Packet index.
    /// @param version Version received.
    error UnsupportedPacketVersion(uint256 index, uint8 version);
    /// @notice Header dstEid is not this receiver's eid.
    /// @param index Packet index.
    /// @param dstEid dstEid received.
    error WrongDstEid(uint256 index, uint32 dstEid);
    /// @notice Header receiver is not this contract.
    /// @param index Packet index.
    /// @param receiver Receiver received.
    error WrongReceiver(uint256 index, bytes32 receiver);
    /// @notice GUID in the packet differs from the one recomputed from the header.
    /// @param index Packet index.
    /// @param expected Recomputed GUID.
    /// @param actual GUID in the packet.
    error GuidMismatch(uint256 index, bytes32 expected, bytes32 actual);
    /// @notice The message body fails strict decoding.
    /// @param index Packet index.
    /// @param reason Selector of CreditMessage.InvalidLength / UnsupportedVersion / UnsupportedMessageType.
    error InvalidMessage(uint256 index, bytes4 reason);
    /// @notice Message srcEid, srcVault or depositNonce differs from the header's srcEid, sender or nonce.
    /// @param index Packet index.
    error MessageHeaderMismatch(uint256 index);
    /// @notice The GUID was credited before (or twice in this batch).
    /// @param index Packet index.
    /// @param guid The GUID.
    error GuidAlreadyUsed(uint256 index, bytes32 guid);
    /// @notice Nonce is not lastNonce(srcEid, srcVault) + 1.
    /// @param index Packet index.
    /// @param expected Expected nonce.
    /// @param actual Nonce in the packet.
    error UnexpectedNonce(uint256 index, uint64 expected, uint64 actual);
    /// @notice Fewer signatures than the threshold.
    /// @param count Signatures given.
    /// @param threshold Required.
    error InsufficientSignatures(uint256 count, uint256 threshold);
    /// @notice Signature cannot be recovered (bad length, v ∉ {27, 28}, or invalid point).
    /// @param index Signature index.
    error InvalidSignature(uint256 index);
    /// @notice Signature has s > secp256k1n/2.
    /// @param index Signature index.
    error MalleableSignature(uint256 index);
    /// @notice Signer is not an attester (includes a signature over another domain or digest).
    /// @param index Signature index.
    /// @param signer Recovered signer.
    error SignerNotAttester(uint256 index, address signer);
    /// @notice Same signer as the previous signature.
    /// @param index Signature index.
    /// @param signer The signer.
    error DuplicateSigner(uint256 index, address signer);
    /// @notice Signer address not above the previous one.
    /// @param index Signature index.
    /// @param signer The signer.
    error SignersNotOrdered(uint256 index, address signer);
    /// @notice Attester is zero or already in the set.
    /// @param attester The attester.
    error AttesterExists(address attester);
    /// @notice Attester is not in the set.
    /// @param attester The attester.
    error AttesterNotFound(address attester);
    /// @notice Threshold must be ≥ 1 and ≤ attester count.
    /// @param threshold Requested threshold.
    /// @param attesterCount Current attester count.
    error InvalidThreshold(uint256 threshold, uint256 attesterCount);

    /// @notice Applies a batch of attested packets, atomically: any invalid packet or signature reverts all.
    /// @param packets LayerZero PacketV1 bytes, each carrying one CREDIT message.
    /// @param signatures 65-byte EIP-712 signatures over the CreditBatch digest, by strictly increasing signer.
    function submitCredits(bytes[] calldata packets, bytes[] calldata signatures) external;

    /// @notice Owner: adds an attester.
    /// @param attester Non-zero, not yet an attester.
    function addAttester(address attester) external;

    /// @notice Owner: removes an attester; reverts if the threshold would exceed the remaining count.
    /// @param attester Current attester.
    function removeAttester(address attester) external;

    /// @notice Owner: sets the signature threshold (1 ≤ threshold ≤ attester count).
    /// @param threshold New threshold.
    function setThreshold(uint256 threshold) external;

    /// @notice Owner: stops submitCredits.
    function pause() external;

    /// @notice Owner: resumes submitCredits.
    function unpause() external;

    /// @notice This receiver's LayerZero endpoint id (the packets' dstEid).
    function localEid() external view returns (uint32);

    /// @notice Last nonce applied for (srcEid, srcVault); 0 if none.
    function lastNonce(uint32 srcEid, bytes32 srcVault) external view returns (uint64);

    /// @notice Whether a GUID was applied.
    function guidUsed(bytes32 guid) external view returns (bool);

    /// @notice Credits of `account` from `asset` on `srcEid`.
    /// @return rawAmount Sum of amounts locked, token base units.
    /// @return haircutValue Sum of margin value credited, USD 18 decimals.
    function credits(bytes32 account, uint32 srcEid, bytes32 asset)
        external
        view
        returns (uint128 rawAmount, uint128 haircutValue);

    /// @notice Sum of margin value credited to `account` across sources and assets, USD 18 decimals.
    function totalHaircutValue(bytes32 account) external view returns (uint256);

    /// @notice Whether `account` is an attester.
    function isAttester(address account) external view returns (bool);

    /// @notice Number of attesters.
    function attesterCount() external view returns (uint256);

    /// @notice Signatures required per batch.
    function threshold() external view returns (uint256);

    /// @notice EIP-712 domain separator (name "MarginCreditReceiver", version "1", this chain, this contract).
    function domainSeparator() external view returns (bytes32);
}
