// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ReleaseResultMessage
/// @notice Codec for the RELEASE_RESULT message body (type 4, 167 bytes, big-endian), docs/two-way-book.md: sent by a
///         CollateralVault back to the MarginCreditReceiver after it tried to pay out a WITHDRAWAL.
/// @dev Mirrors packages/messages/src/releaseResultMessage.ts offset for offset; both are checked against
///      packages/messages/vectors/credit-messages.json. Strict order: length, version, type, then status ∈ {1, 2}.
library ReleaseResultMessage {
    /// @notice The body is not exactly 167 bytes long.
    /// @param length The length received.
    error InvalidLength(uint256 length);
    /// @notice The body's version byte is not 1.
    /// @param version The version received.
    error UnsupportedVersion(uint8 version);
    /// @notice The body's message type is not RELEASE_RESULT (4).
    /// @param messageType The message type received.
    error UnsupportedMessageType(uint8 messageType);
    /// @notice A field breaks its rule (status ∉ {1, 2}).
    /// @param field The field's name.
    error InvalidField(string field);

    /// @notice One decoded RELEASE_RESULT; field meanings are in docs/two-way-book.md.
    struct Message {
        uint8 version;
        uint8 messageType;
        uint32 srcEid;
        bytes32 srcVault;
        uint64 resultNonce;
        bytes32 withdrawalGuid;
        uint64 withdrawalNonce;
        uint8 status;
        bytes32 account;
        bytes32 asset;
        uint128 rawAmount;
    }

    uint8 internal constant VERSION = 1;
    uint8 internal constant TYPE_RELEASE_RESULT = 4;
    uint256 internal constant LENGTH = 167;
    /// @notice The vault paid the recipient.
    uint8 internal constant STATUS_RELEASED = 1;
    /// @notice The payout failed; the collateral stays in the vault.
    uint8 internal constant STATUS_FAILED = 2;

    uint256 private constant VERSION_OFFSET = 0;
    uint256 private constant TYPE_OFFSET = 1;
    uint256 private constant SRC_EID_OFFSET = 2;
    uint256 private constant SRC_VAULT_OFFSET = 6;
    uint256 private constant RESULT_NONCE_OFFSET = 38;
    uint256 private constant WITHDRAWAL_GUID_OFFSET = 46;
    uint256 private constant WITHDRAWAL_NONCE_OFFSET = 78;
    uint256 private constant STATUS_OFFSET = 86;
    uint256 private constant ACCOUNT_OFFSET = 87;
    uint256 private constant ASSET_OFFSET = 119;
    uint256 private constant RAW_AMOUNT_OFFSET = 151;

    /// @notice Checks length, version, type and the status rule without reverting.
    /// @return err 0 when valid, else the selector of the error `decode` would revert with.
    function check(bytes calldata m) internal pure returns (bytes4 err) {
        if (m.length != LENGTH) return InvalidLength.selector;
        if (uint8(m[VERSION_OFFSET]) != VERSION) return UnsupportedVersion.selector;
        if (uint8(m[TYPE_OFFSET]) != TYPE_RELEASE_RESULT) return UnsupportedMessageType.selector;
        uint8 s = status(m);
        if (s != STATUS_RELEASED && s != STATUS_FAILED) return InvalidField.selector;
        return 0;
    }

    /// @notice Strictly decodes a RELEASE_RESULT body; reverts with InvalidLength, UnsupportedVersion,
    ///         UnsupportedMessageType or InvalidField("status").
    function decode(bytes calldata m) internal pure returns (Message memory x) {
        if (m.length != LENGTH) revert InvalidLength(m.length);
        if (uint8(m[VERSION_OFFSET]) != VERSION) revert UnsupportedVersion(uint8(m[VERSION_OFFSET]));
        if (uint8(m[TYPE_OFFSET]) != TYPE_RELEASE_RESULT) revert UnsupportedMessageType(uint8(m[TYPE_OFFSET]));
        if (status(m) != STATUS_RELEASED && status(m) != STATUS_FAILED) revert InvalidField("status");
        x.version = VERSION;
        x.messageType = TYPE_RELEASE_RESULT;
        x.srcEid = srcEid(m);
        x.srcVault = srcVault(m);
        x.resultNonce = resultNonce(m);
        x.withdrawalGuid = withdrawalGuid(m);
        x.withdrawalNonce = withdrawalNonce(m);
        x.status = status(m);
        x.account = account(m);
        x.asset = asset(m);
        x.rawAmount = rawAmount(m);
    }

    /// @notice Encodes a message (version and type taken from the struct, not forced; no field rule applied).
    function encode(Message memory x) internal pure returns (bytes memory) {
        return abi.encodePacked(
            x.version, x.messageType, x.srcEid, x.srcVault, x.resultNonce, x.withdrawalGuid, x.withdrawalNonce,
            x.status, x.account, x.asset, x.rawAmount
        );
    }

    // Field readers for an already checked body (no length check beyond the slice bounds).

    /// @dev The vault's eid (= packet srcEid).
    function srcEid(bytes calldata m) internal pure returns (uint32) {
        return uint32(bytes4(m[SRC_EID_OFFSET:SRC_VAULT_OFFSET]));
    }

    /// @dev The vault (= packet sender).
    function srcVault(bytes calldata m) internal pure returns (bytes32) {
        return bytes32(m[SRC_VAULT_OFFSET:RESULT_NONCE_OFFSET]);
    }

    /// @dev The vault's outbound nonce (= packet nonce).
    function resultNonce(bytes calldata m) internal pure returns (uint64) {
        return uint64(bytes8(m[RESULT_NONCE_OFFSET:WITHDRAWAL_GUID_OFFSET]));
    }

    /// @dev GUID of the WITHDRAWAL packet this answers.
    function withdrawalGuid(bytes calldata m) internal pure returns (bytes32) {
        return bytes32(m[WITHDRAWAL_GUID_OFFSET:WITHDRAWAL_NONCE_OFFSET]);
    }

    /// @dev Nonce of that WITHDRAWAL.
    function withdrawalNonce(bytes calldata m) internal pure returns (uint64) {
        return uint64(bytes8(m[WITHDRAWAL_NONCE_OFFSET:STATUS_OFFSET]));
    }

    /// @dev 1 RELEASED, 2 FAILED.
    function status(bytes calldata m) internal pure returns (uint8) {
        return uint8(m[STATUS_OFFSET]);
    }

    /// @dev Echo of the withdrawal's account.
    function account(bytes calldata m) internal pure returns (bytes32) {
        return bytes32(m[ACCOUNT_OFFSET:ASSET_OFFSET]);
    }

    /// @dev Echo of the withdrawal's asset.
    function asset(bytes calldata m) internal pure returns (bytes32) {
        return bytes32(m[ASSET_OFFSET:RAW_AMOUNT_OFFSET]);
    }

    /// @dev Echo of the withdrawal's amount.
    function rawAmount(bytes calldata m) internal pure returns (uint128) {
        return uint128(bytes16(m[RAW_AMOUNT_OFFSET:LENGTH]));
    }
}
