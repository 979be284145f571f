// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title PacketV1
/// @notice LayerZero v2 PacketV1 envelope: header(81) ‖ guid(32) ‖ message. Offsets and encoding are
///         byte-identical to LayerZero's PacketV1Codec.sol (re-implemented here, MIT, no BUSL code copied).
library PacketV1 {
    uint8 internal constant PACKET_VERSION = 1;

    uint256 private constant NONCE_OFFSET = 1;
    uint256 private constant SRC_EID_OFFSET = 9;
    uint256 private constant SENDER_OFFSET = 13;
    uint256 private constant DST_EID_OFFSET = 45;
    uint256 private constant RECEIVER_OFFSET = 49;
    uint256 internal constant GUID_OFFSET = 81;
    uint256 internal constant MESSAGE_OFFSET = 113;

    /// @notice Encodes a packet exactly like PacketV1Codec.encode.
    function encode(
        uint64 nonce_,
        uint32 srcEid_,
        bytes32 sender_,
        uint32 dstEid_,
        bytes32 receiver_,
        bytes32 guid_,
        bytes memory message_
    ) internal pure returns (bytes memory) {
        return abi.encodePacked(PACKET_VERSION, nonce_, srcEid_, sender_, dstEid_, receiver_, guid_, message_);
    }

    /// @notice LayerZero GUID: keccak256(nonce ‖ srcEid ‖ sender ‖ dstEid ‖ receiver), packed.
    function computeGuid(uint64 nonce_, uint32 srcEid_, bytes32 sender_, uint32 dstEid_, bytes32 receiver_)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encodePacked(nonce_, srcEid_, sender_, dstEid_, receiver_));
    }

    /// @dev Header version byte.
    function version(bytes calldata p) internal pure returns (uint8) {
        return uint8(p[0]);
    }

    /// @dev Path nonce.
    function nonce(bytes calldata p) internal pure returns (uint64) {
        return uint64(bytes8(p[NONCE_OFFSET:SRC_EID_OFFSET]));
    }

    /// @dev Source endpoint id.
    function srcEid(bytes calldata p) internal pure returns (uint32) {
        return uint32(bytes4(p[SRC_EID_OFFSET:SENDER_OFFSET]));
    }

    /// @dev Sender (source OApp) as bytes32.
    function sender(bytes calldata p) internal pure returns (bytes32) {
        return bytes32(p[SENDER_OFFSET:DST_EID_OFFSET]);
    }

    /// @dev Destination endpoint id.
    function dstEid(bytes calldata p) internal pure returns (uint32) {
        return uint32(bytes4(p[DST_EID_OFFSET:RECEIVER_OFFSET]));
    }

    /// @dev Receiver as bytes32.
    function receiver(bytes calldata p) internal pure returns (bytes32) {
        return bytes32(p[RECEIVER_OFFSET:GUID_OFFSET]);
    }

    /// @dev GUID carried by the packet.
    function guid(bytes calldata p) internal pure returns (bytes32) {
        return bytes32(p[GUID_OFFSET:MESSAGE_OFFSET]);
    }

    /// @dev Message body.
    function message(bytes calldata p) internal pure returns (bytes calldata) {
        return p[MESSAGE_OFFSET:];
    }

    /// @dev keccak256(guid ‖ message).
    function payloadHash(bytes calldata p) internal pure returns (bytes32) {
        return keccak256(p[GUID_OFFSET:]);
    }
}
