// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title WithdrawalMessage
/// @notice Codec for the WITHDRAWAL message body (type 2, 166 bytes, big-endian), docs/two-way-book.md: sent by the
///         MarginCreditReceiver to a CollateralVault, refunds of voided deposits included (`voidedNonce` > 0).
/// @dev Mirrors packages/messages/src/withdrawalMessage.ts offset for offset; both are checked against
///      packages/messages/vectors/credit-messages.json. Strict order: length, version, type, then the field rules
///      in the spec's order (rawAmount > 0, recipient ≠ 0).
library WithdrawalMessage {
    /// @notice The body is not exactly 166 bytes long.
    /// @param length The length received.
    error InvalidLength(uint256 length);
    /// @notice The body's version byte is not 1.
    /// @param version The version received.
    error UnsupportedVersion(uint8 version);
    /// @notice The body's message type is not WITHDRAWAL (2).
    /// @param messageType The message type received.
    error UnsupportedMessageType(uint8 messageType);
    /// @notice A field breaks its rule (rawAmount = 0, recipient = 0).
    /// @param field The field's name.
    error InvalidField(string field);

    /// @notice One decoded WITHDRAWAL; field meanings are in docs/two-way-book.md.
    struct Message {
        uint8 version;
        uint8 messageType;
        bytes32 account;
        uint32 vaultEid;
        bytes32 vault;
        bytes32 asset;
        bytes32 recipient;
        uint64 withdrawalNonce;
        uint128 rawAmount;
        uint64 voidedNonce;
    }

    uint8 internal constant VERSION = 1;
    uint8 internal constant TYPE_WITHDRAWAL = 2;
    uint256 internal constant LENGTH = 166;

    uint256 private constant VERSION_OFFSET = 0;
    uint256 private constant TYPE_OFFSET = 1;
    uint256 private constant ACCOUNT_OFFSET = 2;
    uint256 private constant VAULT_EID_OFFSET = 34;
    uint256 private constant VAULT_OFFSET = 38;
    uint256 private constant ASSET_OFFSET = 70;
    uint256 private constant RECIPIENT_OFFSET = 102;
    uint256 private constant WITHDRAWAL_NONCE_OFFSET = 134;
    uint256 private constant RAW_AMOUNT_OFFSET = 142;
    uint256 private constant VOIDED_NONCE_OFFSET = 158;

    /// @notice Checks length, version, type and the field rules without reverting.
    /// @return err 0 when valid, else the selector of the error `decode` would revert with.
    function check(bytes calldata m) internal pure returns (bytes4 err) {
        if (m.length != LENGTH) return InvalidLength.selector;
        if (uint8(m[VERSION_OFFSET]) != VERSION) return UnsupportedVersion.selector;
        if (uint8(m[TYPE_OFFSET]) != TYPE_WITHDRAWAL) return UnsupportedMessageType.selector;
        if (rawAmount(m) == 0 || recipient(m) == bytes32(0)) return InvalidField.selector;
        return 0;
    }

    /// @notice Strictly decodes a WITHDRAWAL body; reverts with InvalidLength, UnsupportedVersion,
    ///         UnsupportedMessageType or InvalidField("rawAmount" | "recipient").
    function decode(bytes calldata m) internal pure returns (Message memory x) {
        if (m.length != LENGTH) revert InvalidLength(m.length);
        if (uint8(m[VERSION_OFFSET]) != VERSION) revert UnsupportedVersion(uint8(m[VERSION_OFFSET]));
        if (uint8(m[TYPE_OFFSET]) != TYPE_WITHDRAWAL) revert UnsupportedMessageType(uint8(m[TYPE_OFFSET]));
        if (rawAmount(m) == 0) revert InvalidField("rawAmount");
        if (recipient(m) == bytes32(0)) revert InvalidField("recipient");
        x.version = VERSION;
        x.messageType = TYPE_WITHDRAWAL;
        x.account = account(m);
        x.vaultEid = vaultEid(m);
        x.vault = vault(m);
        x.asset = asset(m);
        x.recipient = recipient(m);
        x.withdrawalNonce = withdrawalNonce(m);
        x.rawAmount = rawAmount(m);
        x.voidedNonce = voidedNonce(m);
    }

    /// @notice Encodes a message (version and type taken from the struct, not forced; no field rule applied).
    function encode(Message memory x) internal pure returns (bytes memory) {
        return abi.encodePacked(
            x.version, x.messageType, x.account, x.vaultEid, x.vault, x.asset, x.recipient, x.withdrawalNonce,
            x.rawAmount, x.voidedNonce
        );
    }

    // Field readers for an already checked body (no length check beyond the slice bounds).

    /// @dev Derivatives-chain account whose collateral is withdrawn.
    function account(bytes calldata m) internal pure returns (bytes32) {
        return bytes32(m[ACCOUNT_OFFSET:VAULT_EID_OFFSET]);
    }

    /// @dev Eid of the source chain holding the collateral (= packet dstEid).
    function vaultEid(bytes calldata m) internal pure returns (uint32) {
        return uint32(bytes4(m[VAULT_EID_OFFSET:VAULT_OFFSET]));
    }

    /// @dev The vault paying out (= packet receiver).
    function vault(bytes calldata m) internal pure returns (bytes32) {
        return bytes32(m[VAULT_OFFSET:ASSET_OFFSET]);
    }

    /// @dev Token on the source chain.
    function asset(bytes calldata m) internal pure returns (bytes32) {
        return bytes32(m[ASSET_OFFSET:RECIPIENT_OFFSET]);
    }

    /// @dev Who receives the tokens on the source chain.
    function recipient(bytes calldata m) internal pure returns (bytes32) {
        return bytes32(m[RECIPIENT_OFFSET:WITHDRAWAL_NONCE_OFFSET]);
    }

    /// @dev Receiver's outbound nonce on the path (= packet nonce).
    function withdrawalNonce(bytes calldata m) internal pure returns (uint64) {
        return uint64(bytes8(m[WITHDRAWAL_NONCE_OFFSET:RAW_AMOUNT_OFFSET]));
    }

    /// @dev Token base units to release.
    function rawAmount(bytes calldata m) internal pure returns (uint128) {
        return uint128(bytes16(m[RAW_AMOUNT_OFFSET:VOIDED_NONCE_OFFSET]));
    }

    /// @dev 0 for a withdrawal, else the voided deposit nonce this refunds.
    function voidedNonce(bytes calldata m) internal pure returns (uint64) {
        return uint64(bytes8(m[VOIDED_NONCE_OFFSET:LENGTH]));
    }
}
