// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CreditMessage} from "../libraries/CreditMessage.sol";
import {PacketV1} from "../libraries/PacketV1.sol";
import {CreditAttestation} from "../libraries/CreditAttestation.sol";

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

    /// @notice The fixed EIP-712 name and version hashes, to compare with a vector's domain.
    function domainNameVersionHashes() external pure returns (bytes32, bytes32) {
        return (CreditAttestation.NAME_HASH, CreditAttestation.VERSION_HASH);
    }

    /// @notice CreditAttestation.domainSeparator.
    function domainSeparator(uint256 chainId, address verifyingContract) external pure returns (bytes32) {
        return CreditAttestation.domainSeparator(chainId, verifyingContract);
    }

    /// @notice EIP-712 digest of Credit{guid, payloadHash}.
    function creditDigest(uint256 chainId, address verifyingContract, bytes32 guid_, bytes32 payloadHash_)
        external
        pure
        returns (bytes32)
    {
        return CreditAttestation.digest(
            CreditAttestation.domainSeparator(chainId, verifyingContract),
            CreditAttestation.creditHash(guid_, payloadHash_)
        );
    }

    /// @notice EIP-712 digest of CreditBatch{credits} (what MarginCreditReceiver verifies).
    function batchDigest(
        uint256 chainId,
        address verifyingContract,
        bytes32[] calldata guids,
        bytes32[] calldata payloadHashes
    ) external pure returns (bytes32) {
        if (guids.length != payloadHashes.length) revert LengthMismatch();
        bytes32[] memory hashes = new bytes32[](guids.length);
        for (uint256 i; i < guids.length; ++i) {
            hashes[i] = CreditAttestation.creditHash(guids[i], payloadHashes[i]);
        }
        return CreditAttestation.digest(
            CreditAttestation.domainSeparator(chainId, verifyingContract), CreditAttestation.batchHash(hashes)
        );
    }

    /// @notice CreditAttestation.recover.
    function recover(bytes32 digest, bytes calldata signature) external pure returns (address, bool) {
        return CreditAttestation.recover(digest, signature);
    }
}
