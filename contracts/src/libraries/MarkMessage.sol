// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title MarkMessage
/// @notice Codec for the REVALUATION message body (type 3, 78 bytes, big-endian), docs/credit-message.md
///         "REVALUATION (asset mark)": an attested mark of one asset's value (price and haircut), posted by the relayer
///         to the MarginCreditReceiver. Not a LayerZero packet: marks are attested as
///         MarkBatch(bytes[] marks,uint64 validUntil) under the receiver's domain.
/// @dev Mirrors packages/messages/src/markMessage.ts offset for offset; both are checked against
///      packages/messages/vectors/credit-messages.json. Strict order: length, version, type. Value ranges (haircut ≤
///      1e18, the receiver's markNonce ≤ 2^32 − 1 and price ≤ 2^112 − 1) are the receiver's to check, not this
///      library's.
library MarkMessage {
    /// @notice The body is not exactly 78 bytes long.
    /// @param length The length received.
    error InvalidLength(uint256 length);
    /// @notice The body's version byte is not 1.
    /// @param version The version received.
    error UnsupportedVersion(uint8 version);
    /// @notice The body's message type is not REVALUATION (3).
    /// @param messageType The message type received.
    error UnsupportedMessageType(uint8 messageType);

    /// @notice One decoded REVALUATION; field meanings are in docs/credit-message.md.
    struct Message {
        uint8 version;
        uint8 messageType;
        uint32 srcEid;
        bytes32 asset;
        uint64 markNonce;
        uint128 price;
        uint64 priceTimestamp;
        uint64 haircut;
    }

    uint8 internal constant VERSION = 1;
    uint8 internal constant TYPE_REVALUATION = 3;
    uint256 internal constant LENGTH = 78;

    uint256 private constant VERSION_OFFSET = 0;
    uint256 private constant TYPE_OFFSET = 1;
    uint256 private constant SRC_EID_OFFSET = 2;
    uint256 private constant ASSET_OFFSET = 6;
    uint256 private constant MARK_NONCE_OFFSET = 38;
    uint256 private constant PRICE_OFFSET = 46;
    uint256 private constant PRICE_TIMESTAMP_OFFSET = 62;
    uint256 private constant HAIRCUT_OFFSET = 70;

    /// @notice Checks length, version and type without reverting (no value ranges: the receiver checks those).
    /// @return err 0 when valid, else the selector of the error `decode` would revert with.
    function check(bytes calldata m) internal pure returns (bytes4 err) {
        if (m.length != LENGTH) return InvalidLength.selector;
        if (uint8(m[VERSION_OFFSET]) != VERSION) return UnsupportedVersion.selector;
        if (uint8(m[TYPE_OFFSET]) != TYPE_REVALUATION) return UnsupportedMessageType.selector;
        return 0;
    }

    /// @notice Strictly decodes a REVALUATION body; reverts with InvalidLength, UnsupportedVersion or
    ///         UnsupportedMessageType.
    function decode(bytes calldata m) internal pure returns (Message memory x) {
        if (m.length != LENGTH) revert InvalidLength(m.length);
        if (uint8(m[VERSION_OFFSET]) != VERSION) revert UnsupportedVersion(uint8(m[VERSION_OFFSET]));
        if (uint8(m[TYPE_OFFSET]) != TYPE_REVALUATION) revert UnsupportedMessageType(uint8(m[TYPE_OFFSET]));
        x.version = VERSION;
        x.messageType = TYPE_REVALUATION;
        x.srcEid = srcEid(m);
        x.asset = asset(m);
        x.markNonce = markNonce(m);
        x.price = price(m);
        x.priceTimestamp = priceTimestamp(m);
        x.haircut = haircut(m);
    }

    /// @notice Encodes a message (version and type taken from the struct, not forced; no value range applied).
    function encode(Message memory x) internal pure returns (bytes memory) {
        return abi.encodePacked(
            x.version, x.messageType, x.srcEid, x.asset, x.markNonce, x.price, x.priceTimestamp, x.haircut
        );
    }

    // Field readers for an already checked body (no length check beyond the slice bounds).

    // Field readers for an already checked body (`check` returned 0): one calldataload each, no slice bounds checks.

    /// @dev Source endpoint id of the asset.
    function srcEid(bytes calldata m) internal pure returns (uint32 v) {
        assembly ("memory-safe") {
            v := shr(224, calldataload(add(m.offset, SRC_EID_OFFSET)))
        }
    }

    /// @dev The asset (token on the source chain, bytes32).
    function asset(bytes calldata m) internal pure returns (bytes32 v) {
        assembly ("memory-safe") {
            v := calldataload(add(m.offset, ASSET_OFFSET))
        }
    }

    /// @dev Mark nonce, strictly increasing per (srcEid, asset).
    function markNonce(bytes calldata m) internal pure returns (uint64 v) {
        assembly ("memory-safe") {
            v := shr(192, calldataload(add(m.offset, MARK_NONCE_OFFSET)))
        }
    }

    /// @dev USD per whole token, 18 decimals.
    function price(bytes calldata m) internal pure returns (uint128 v) {
        assembly ("memory-safe") {
            v := shr(128, calldataload(add(m.offset, PRICE_OFFSET)))
        }
    }

    /// @dev Unix seconds of the price.
    function priceTimestamp(bytes calldata m) internal pure returns (uint64 v) {
        assembly ("memory-safe") {
            v := shr(192, calldataload(add(m.offset, PRICE_TIMESTAMP_OFFSET)))
        }
    }

    /// @dev Haircut, 18 decimals.
    function haircut(bytes calldata m) internal pure returns (uint64 v) {
        assembly ("memory-safe") {
            v := shr(192, calldataload(add(m.offset, HAIRCUT_OFFSET)))
        }
    }
}
