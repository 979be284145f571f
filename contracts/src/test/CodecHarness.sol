// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CreditMessage} from "../libraries/CreditMessage.sol";
import {PacketV1} from "../libraries/PacketV1.sol";
import {Attestation} from "../libraries/Attestation.sol";
import {WithdrawalMessage} from "../libraries/WithdrawalMessage.sol";
import {ReleaseResultMessage} from "../libraries/ReleaseResultMessage.sol";
import {VoidMessage} from "../libraries/VoidMessage.sol";
import {MarkMessage} from "../libraries/MarkMessage.sol";

/// @title CodecHarness
/// @notice Exposes the codec libraries' pure functions so the TypeScript vector test can replay
///         packages/messages/vectors/credit-messages.json against the Solidity implementation.
contract CodecHarness {
    /// @notice Decoded PacketV1 fields.
    struct Packet {
        uint8 version;
        uint64 nonce;
        uint32 srcEid;
        bytes32 sender;
        uint32 dstEid;
        bytes32 receiver;
        bytes32 guid;
        bytes message;
        bytes32 payloadHash;
    }

    /// @notice guids and payloadHashes differ in length.
    error LengthMismatch();

    /// @notice EIP-712 type hash of a batch of REVALUATION marks (docs/credit-message.md), under the receiver domain.
    bytes32 private constant MARK_BATCH_TYPEHASH = keccak256("MarkBatch(bytes[] marks,uint64 validUntil)");

    /// @notice CreditMessage.decode.
    function decodeMessage(bytes calldata m) external pure returns (CreditMessage.Message memory) {
        return CreditMessage.decode(m);
    }

    /// @notice CreditMessage.encode.
    function encodeMessage(CreditMessage.Message calldata x) external pure returns (bytes memory) {
        return CreditMessage.encode(x);
    }

    /// @notice CreditMessage.isEvmAddress.
    function isEvmAddress(bytes32 b) external pure returns (bool) {
        return CreditMessage.isEvmAddress(b);
    }

    /// @notice PacketV1.encode.
    function encodePacket(
        uint64 nonce,
        uint32 srcEid,
        bytes32 sender,
        uint32 dstEid,
        bytes32 receiver,
        bytes32 guid_,
        bytes calldata message
    ) external pure returns (bytes memory) {
        return PacketV1.encode(nonce, srcEid, sender, dstEid, receiver, guid_, message);
    }

    /// @notice All PacketV1 readers over `p`.
    function decodePacket(bytes calldata p) external pure returns (Packet memory x) {
        x.version = PacketV1.version(p);
        x.nonce = PacketV1.nonce(p);
        x.srcEid = PacketV1.srcEid(p);
        x.sender = PacketV1.sender(p);
        x.dstEid = PacketV1.dstEid(p);
        x.receiver = PacketV1.receiver(p);
        x.guid = PacketV1.guid(p);
        x.message = PacketV1.message(p);
        x.payloadHash = PacketV1.payloadHash(p);
    }

    /// @notice PacketV1.computeGuid.
    function guid(uint64 nonce, uint32 srcEid, bytes32 sender, uint32 dstEid, bytes32 receiver)
        external
        pure
        returns (bytes32)
    {
        return PacketV1.computeGuid(nonce, srcEid, sender, dstEid, receiver);
    }

    /// @notice keccak256(guid ‖ message).
    function payloadHash(bytes32 guid_, bytes calldata message) external pure returns (bytes32) {
        return keccak256(abi.encodePacked(guid_, message));
    }

    /// @notice WithdrawalMessage.decode.
    function decodeWithdrawal(bytes calldata m) external pure returns (WithdrawalMessage.Message memory) {
        return WithdrawalMessage.decode(m);
    }

    /// @notice WithdrawalMessage.encode.
    function encodeWithdrawal(WithdrawalMessage.Message calldata x) external pure returns (bytes memory) {
        return WithdrawalMessage.encode(x);
    }

    /// @notice WithdrawalMessage.check.
    function checkWithdrawal(bytes calldata m) external pure returns (bytes4) {
        return WithdrawalMessage.check(m);
    }

    /// @notice ReleaseResultMessage.decode.
    function decodeReleaseResult(bytes calldata m) external pure returns (ReleaseResultMessage.Message memory) {
        return ReleaseResultMessage.decode(m);
    }

    /// @notice ReleaseResultMessage.encode.
    function encodeReleaseResult(ReleaseResultMessage.Message calldata x) external pure returns (bytes memory) {
        return ReleaseResultMessage.encode(x);
    }

    /// @notice ReleaseResultMessage.check.
    function checkReleaseResult(bytes calldata m) external pure returns (bytes4) {
        return ReleaseResultMessage.check(m);
    }

    /// @notice VoidMessage.decode.
    function decodeVoid(bytes calldata m) external pure returns (VoidMessage.Message memory) {
        return VoidMessage.decode(m);
    }

    /// @notice VoidMessage.encode.
    function encodeVoid(VoidMessage.Message calldata x) external pure returns (bytes memory) {
        return VoidMessage.encode(x);
    }

    /// @notice VoidMessage.check.
    function checkVoid(bytes calldata m) external pure returns (bytes4) {
        return VoidMessage.check(m);
    }

    /// @notice MarkMessage.decode.
    function decodeMark(bytes calldata m) external pure returns (MarkMessage.Message memory) {
        return MarkMessage.decode(m);
    }

    /// @notice MarkMessage.encode.
    function encodeMark(MarkMessage.Message calldata x) external pure returns (bytes memory) {
        return MarkMessage.encode(x);
    }

    /// @notice MarkMessage.check.
    function checkMark(bytes calldata m) external pure returns (bytes4) {
        return MarkMessage.check(m);
    }

    /// @notice Every MarkMessage field reader over `m`, in struct order (version and type read raw).
    function readMark(bytes calldata m) external pure returns (MarkMessage.Message memory x) {
        x.version = uint8(m[0]);
        x.messageType = uint8(m[1]);
        x.srcEid = MarkMessage.srcEid(m);
        x.asset = MarkMessage.asset(m);
        x.markNonce = MarkMessage.markNonce(m);
        x.price = MarkMessage.price(m);
        x.priceTimestamp = MarkMessage.priceTimestamp(m);
        x.haircut = MarkMessage.haircut(m);
    }

    /// @notice CreditMessage.check.
    function checkCredit(bytes calldata m) external pure returns (bytes4) {
        return CreditMessage.check(m);
    }

    /// @notice The EIP-712 name and version hashes of the two domains, to compare with a vector's domain.
    /// @return receiverName keccak256("MarginCreditReceiver").
    /// @return receiverVersion keccak256("2").
    /// @return vaultName keccak256("CollateralVault").
    /// @return vaultVersion keccak256("1").
    function domainNameVersionHashes()
        external
        pure
        returns (bytes32 receiverName, bytes32 receiverVersion, bytes32 vaultName, bytes32 vaultVersion)
    {
        return (
            Attestation.RECEIVER_NAME_HASH,
            Attestation.RECEIVER_VERSION_HASH,
            Attestation.VAULT_NAME_HASH,
            Attestation.VAULT_VERSION_HASH
        );
    }

    /// @notice Attestation.domainSeparator.
    function domainSeparator(bytes32 nameHash, bytes32 versionHash, uint256 chainId, address verifyingContract)
        external
        pure
        returns (bytes32)
    {
        return Attestation.domainSeparator(nameHash, versionHash, chainId, verifyingContract);
    }

    /// @notice EIP-712 digest of Packet{guid, payloadHash} under the given domain.
    function packetDigest(
        bytes32 nameHash,
        bytes32 versionHash,
        uint256 chainId,
        address verifyingContract,
        bytes32 guid_,
        bytes32 payloadHash_
    ) external pure returns (bytes32) {
        return Attestation.digest(
            Attestation.domainSeparator(nameHash, versionHash, chainId, verifyingContract),
            Attestation.packetHash(guid_, payloadHash_)
        );
    }

    /// @notice EIP-712 digest of PacketBatch{packets, validUntil} under the given domain (what the receiver and the
    ///         vault verify).
    function batchDigest(
        bytes32 nameHash,
        bytes32 versionHash,
        uint256 chainId,
        address verifyingContract,
        bytes32[] calldata guids,
        bytes32[] calldata payloadHashes,
        uint64 validUntil
    ) external pure returns (bytes32) {
        if (guids.length != payloadHashes.length) revert LengthMismatch();
        bytes32[] memory hashes = new bytes32[](guids.length);
        for (uint256 i; i < guids.length; ++i) {
            hashes[i] = Attestation.packetHash(guids[i], payloadHashes[i]);
        }
        return Attestation.digest(
            Attestation.domainSeparator(nameHash, versionHash, chainId, verifyingContract),
            Attestation.batchHash(hashes, validUntil)
        );
    }

    /// @notice EIP-712 digest of MarkBatch{marks, validUntil} under the given domain (EIP-712 bytes[]: keccak256 of
    ///         the concatenated keccak256 of each mark).
    function markBatchDigest(
        bytes32 nameHash,
        bytes32 versionHash,
        uint256 chainId,
        address verifyingContract,
        bytes[] calldata marks,
        uint64 validUntil
    ) external pure returns (bytes32) {
        bytes32[] memory hashes = new bytes32[](marks.length);
        for (uint256 i; i < marks.length; ++i) {
            hashes[i] = keccak256(marks[i]);
        }
        bytes32 structHash =
            keccak256(abi.encode(MARK_BATCH_TYPEHASH, keccak256(abi.encodePacked(hashes)), uint256(validUntil)));
        return Attestation.digest(Attestation.domainSeparator(nameHash, versionHash, chainId, verifyingContract), structHash);
    }

    /// @notice Attestation.recover.
    function recover(bytes32 digest, bytes calldata signature) external pure returns (address, bool) {
        return Attestation.recover(digest, signature);
    }
}
