// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IPacketInbox
/// @notice Envelope errors of a contract that takes attested LayerZero PacketV1 batches (the receiver's `submit`,
///         the vault's `submitReleases`); each names the offending packet index.
interface IPacketInbox {
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
    /// @notice Header dstEid is not this contract's eid.
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
    /// @notice The message body fails strict decoding, or its type is not accepted here.
    /// @param index Packet index.
    /// @param reason Selector of the codec error: InvalidLength / UnsupportedVersion / UnsupportedMessageType /
    ///        InvalidField (the same selectors in every message library).
    error InvalidMessage(uint256 index, bytes4 reason);
    /// @notice A message field that must repeat the header (eid, vault, nonce) differs from it.
    /// @param index Packet index.
    error MessageHeaderMismatch(uint256 index);
    /// @notice Nonce is not the last one applied on the path + 1.
    /// @param index Packet index.
    /// @param expected Expected nonce.
    /// @param actual Nonce in the packet.
    error UnexpectedNonce(uint256 index, uint64 expected, uint64 actual);
}
