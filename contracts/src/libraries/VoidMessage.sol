// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title VoidMessage
/// @notice Codec for the VOID message body (type 5, 159 bytes, big-endian), docs/two-way-book.md: replaces, on the
///         inbound path at its nonce, the CREDIT of a deposit that can never be credited, and asks for its refund.
/// @dev Mirrors packages/messages/src/voidMessage.ts offset for offset; both are checked against
///      packages/messages/vectors/credit-messages.json. Strict order: length, version, type, then reason ∈ {1, 2, 3},
///      then refundTo ≠ 0.
library VoidMessage {
    /// @notice The body is not exactly 159 bytes long.
    /// @param length The length received.
    error InvalidLength(uint256 length);
    /// @notice The body's version byte is not 1.
    /// @param version The version received.
    error UnsupportedVersion(uint8 version);
    /// @notice The body's message type is not VOID (5).
    /// @param messageType The message type received.
    error UnsupportedMessageType(uint8 messageType);
    /// @notice A field breaks its rule (reason ∉ {1, 2, 3}, refundTo = 0).
    /// @param field The field's name.
    error InvalidField(string field);

    /// @notice One decoded VOID; field meanings are in docs/two-way-book.md.
    struct Message {
        uint8 version;
        uint8 messageType;
        bytes32 account;
        uint32 srcEid;
        bytes32 srcVault;
        bytes32 asset;
        uint64 depositNonce;
        uint128 rawAmount;
        bytes32 refundTo;
        uint8 reason;
    }

    uint8 internal constant VERSION = 1;
    uint8 internal constant TYPE_VOID = 5;
    uint256 internal constant LENGTH = 159;
    /// @notice Highest valid reason: 1 unsupported-asset, 2 invalid-deposit, 3 operator.
    uint8 internal constant MAX_REASON = 3;

    uint256 private constant VERSION_OFFSET = 0;
    uint256 private constant TYPE_OFFSET = 1;
    uint256 private constant ACCOUNT_OFFSET = 2;
    uint256 private constant SRC_EID_OFFSET = 34;
    uint256 private constant SRC_VAULT_OFFSET = 38;
    uint256 private constant ASSET_OFFSET = 70;
    uint256 private constant DEPOSIT_NONCE_OFFSET = 102;
    uint256 private constant RAW_AMOUNT_OFFSET = 110;
    uint256 private constant REFUND_TO_OFFSET = 126;
    uint256 private constant REASON_OFFSET = 158;

    /// @notice Checks length, version, type and the field rules without reverting.
    /// @return err 0 when valid, else the selector of the error `decode` would revert with.
    function check(bytes calldata m) internal pure returns (bytes4 err) {
        if (m.length != LENGTH) return InvalidLength.selector;
        if (uint8(m[VERSION_OFFSET]) != VERSION) return UnsupportedVersion.selector;
        if (uint8(m[TYPE_OFFSET]) != TYPE_VOID) return UnsupportedMessageType.selector;
        uint8 r = reason(m);
        if (r == 0 || r > MAX_REASON || refundTo(m) == bytes32(0)) return InvalidField.selector;
        return 0;
    }

    /// @notice Strictly decodes a VOID body; reverts with InvalidLength, UnsupportedVersion, UnsupportedMessageType
    ///         or InvalidField("reason" | "refundTo").
    function decode(bytes calldata m) internal pure returns (Message memory x) {
        if (m.length != LENGTH) revert InvalidLength(m.length);
        if (uint8(m[VERSION_OFFSET]) != VERSION) revert UnsupportedVersion(uint8(m[VERSION_OFFSET]));
        if (uint8(m[TYPE_OFFSET]) != TYPE_VOID) revert UnsupportedMessageType(uint8(m[TYPE_OFFSET]));
        if (reason(m) == 0 || reason(m) > MAX_REASON) revert InvalidField("reason");
        if (refundTo(m) == bytes32(0)) revert InvalidField("refundTo");
        x.version = VERSION;
        x.messageType = TYPE_VOID;
        x.account = account(m);
        x.srcEid = srcEid(m);
        x.srcVault = srcVault(m);
        x.asset = asset(m);
        x.depositNonce = depositNonce(m);
        x.rawAmount = rawAmount(m);
        x.refundTo = refundTo(m);
        x.reason = reason(m);
    }

    /// @notice Encodes a message (version and type taken from the struct, not forced; no field rule applied).
    function encode(Message memory x) internal pure returns (bytes memory) {
        return abi.encodePacked(
            x.version, x.messageType, x.account, x.srcEid, x.srcVault, x.asset, x.depositNonce, x.rawAmount,
            x.refundTo, x.reason
        );
    }

    // Field readers for an already checked body (no length check beyond the slice bounds).

    /// @dev The account the lock named.
    function account(bytes calldata m) internal pure returns (bytes32) {
        return bytes32(m[ACCOUNT_OFFSET:SRC_EID_OFFSET]);
    }

    /// @dev Source endpoint id (= packet srcEid).
    function srcEid(bytes calldata m) internal pure returns (uint32) {
        return uint32(bytes4(m[SRC_EID_OFFSET:SRC_VAULT_OFFSET]));
    }

    /// @dev Source vault (= packet sender).
    function srcVault(bytes calldata m) internal pure returns (bytes32) {
        return bytes32(m[SRC_VAULT_OFFSET:ASSET_OFFSET]);
    }

    /// @dev Token locked.
    function asset(bytes calldata m) internal pure returns (bytes32) {
        return bytes32(m[ASSET_OFFSET:DEPOSIT_NONCE_OFFSET]);
    }

    /// @dev The deposit voided (= packet nonce).
    function depositNonce(bytes calldata m) internal pure returns (uint64) {
        return uint64(bytes8(m[DEPOSIT_NONCE_OFFSET:RAW_AMOUNT_OFFSET]));
    }

    /// @dev Amount locked (refunded), token base units; may be 0.
    function rawAmount(bytes calldata m) internal pure returns (uint128) {
        return uint128(bytes16(m[RAW_AMOUNT_OFFSET:REFUND_TO_OFFSET]));
    }

    /// @dev The depositor on the source chain.
    function refundTo(bytes calldata m) internal pure returns (bytes32) {
        return bytes32(m[REFUND_TO_OFFSET:REASON_OFFSET]);
    }

    /// @dev 1 unsupported-asset, 2 invalid-deposit, 3 operator.
    function reason(bytes calldata m) internal pure returns (uint8) {
        return uint8(m[REASON_OFFSET]);
    }
}
