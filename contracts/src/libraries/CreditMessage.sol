// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title CreditMessage
/// @notice Codec for the v1 margin-credit message body (183 bytes, big-endian), docs/credit-message.md.
/// @dev Mirrors packages/messages/src/creditMessage.ts offset for offset; both are checked against
///      packages/messages/vectors/credit-messages.json.
library CreditMessage {
    /// @notice The body is not exactly 183 bytes long.
    /// @param length The length received.
    error InvalidLength(uint256 length);
    /// @notice The body's version byte is not 1.
    /// @param version The version received.
    error UnsupportedVersion(uint8 version);
    /// @notice The body's message type is not CREDIT (1) (other types have their own library).
    /// @param messageType The message type received.
    error UnsupportedMessageType(uint8 messageType);

    /// @notice One decoded v1 message; field meanings are in docs/credit-message.md.
    struct Message {
        uint8 version;
        uint8 messageType;
        bytes32 account;
        uint32 srcEid;
        bytes32 srcVault;
        bytes32 asset;
        uint8 assetDecimals;
        uint64 depositNonce;
        uint128 rawAmount;
        uint128 haircutValue;
        uint128 price;
        uint64 priceTimestamp;
        uint64 haircut;
        uint64 sizeWeight;
    }

    uint8 internal constant VERSION = 1;
    uint8 internal constant TYPE_CREDIT = 1;
    uint256 internal constant LENGTH = 183;

    uint256 private constant VERSION_OFFSET = 0;
    uint256 private constant TYPE_OFFSET = 1;
    uint256 private constant ACCOUNT_OFFSET = 2;
    uint256 private constant SRC_EID_OFFSET = 34;
    uint256 private constant SRC_VAULT_OFFSET = 38;
    uint256 private constant ASSET_OFFSET = 70;
    uint256 private constant ASSET_DECIMALS_OFFSET = 102;
    uint256 private constant DEPOSIT_NONCE_OFFSET = 103;
    uint256 private constant RAW_AMOUNT_OFFSET = 111;
    uint256 private constant HAIRCUT_VALUE_OFFSET = 127;
    uint256 private constant PRICE_OFFSET = 143;
    uint256 private constant PRICE_TIMESTAMP_OFFSET = 159;
    uint256 private constant HAIRCUT_OFFSET = 167;
    uint256 private constant SIZE_WEIGHT_OFFSET = 175;

    /// @notice Checks length, version and type without reverting.
    /// @return err 0 when valid, else the selector of the error `decode` would revert with.
    function check(bytes calldata m) internal pure returns (bytes4 err) {
        if (m.length != LENGTH) return InvalidLength.selector;
        if (uint8(m[VERSION_OFFSET]) != VERSION) return UnsupportedVersion.selector;
        if (uint8(m[TYPE_OFFSET]) != TYPE_CREDIT) return UnsupportedMessageType.selector;
        return 0;
    }

    /// @notice Strictly decodes a v1 CREDIT body; reverts with InvalidLength, UnsupportedVersion or
    ///         UnsupportedMessageType.
    function decode(bytes calldata m) internal pure returns (Message memory msg_) {
        if (m.length != LENGTH) revert InvalidLength(m.length);
        if (uint8(m[VERSION_OFFSET]) != VERSION) revert UnsupportedVersion(uint8(m[VERSION_OFFSET]));
        if (uint8(m[TYPE_OFFSET]) != TYPE_CREDIT) revert UnsupportedMessageType(uint8(m[TYPE_OFFSET]));
        msg_.version = VERSION;
        msg_.messageType = TYPE_CREDIT;
        msg_.account = account(m);
        msg_.srcEid = srcEid(m);
        msg_.srcVault = srcVault(m);
        msg_.asset = asset(m);
        msg_.assetDecimals = assetDecimals(m);
        msg_.depositNonce = depositNonce(m);
        msg_.rawAmount = rawAmount(m);
        msg_.haircutValue = haircutValue(m);
        msg_.price = uint128(bytes16(m[PRICE_OFFSET:PRICE_TIMESTAMP_OFFSET]));
        msg_.priceTimestamp = uint64(bytes8(m[PRICE_TIMESTAMP_OFFSET:HAIRCUT_OFFSET]));
        msg_.haircut = uint64(bytes8(m[HAIRCUT_OFFSET:SIZE_WEIGHT_OFFSET]));
        msg_.sizeWeight = uint64(bytes8(m[SIZE_WEIGHT_OFFSET:LENGTH]));
    }

    /// @notice Encodes a message (version and type taken from the struct, not forced).
    function encode(Message memory x) internal pure returns (bytes memory) {
        return abi.encodePacked(
            abi.encodePacked(x.version, x.messageType, x.account, x.srcEid, x.srcVault, x.asset, x.assetDecimals),
            abi.encodePacked(x.depositNonce, x.rawAmount, x.haircutValue, x.price, x.priceTimestamp, x.haircut),
            x.sizeWeight
        );
    }

    /// @notice True when `b` is a canonical EVM address: 12 zero bytes then 20 bytes.
    function isEvmAddress(bytes32 b) internal pure returns (bool) {
        return uint256(b) >> 160 == 0;
    }

    // Field readers for an already checked body (`check` returned 0, so every offset is inside `m`): one
    // calldataload each, no slice bounds checks (the receiver's hot path).

    /// @dev Account credited on the derivatives chain.
    function account(bytes calldata m) internal pure returns (bytes32 v) {
        assembly ("memory-safe") {
            v := calldataload(add(m.offset, ACCOUNT_OFFSET))
        }
    }

    /// @dev Source endpoint id.
    function srcEid(bytes calldata m) internal pure returns (uint32 v) {
        assembly ("memory-safe") {
            v := shr(224, calldataload(add(m.offset, SRC_EID_OFFSET)))
        }
    }

    /// @dev Source vault.
    function srcVault(bytes calldata m) internal pure returns (bytes32 v) {
        assembly ("memory-safe") {
            v := calldataload(add(m.offset, SRC_VAULT_OFFSET))
        }
    }

    /// @dev Source asset.
    function asset(bytes calldata m) internal pure returns (bytes32 v) {
        assembly ("memory-safe") {
            v := calldataload(add(m.offset, ASSET_OFFSET))
        }
    }

    /// @dev Token decimals the deposit was valued with.
    function assetDecimals(bytes calldata m) internal pure returns (uint8 v) {
        assembly ("memory-safe") {
            v := byte(0, calldataload(add(m.offset, ASSET_DECIMALS_OFFSET)))
        }
    }

    /// @dev Vault outbound nonce (= packet nonce).
    function depositNonce(bytes calldata m) internal pure returns (uint64 v) {
        assembly ("memory-safe") {
            v := shr(192, calldataload(add(m.offset, DEPOSIT_NONCE_OFFSET)))
        }
    }

    /// @dev Amount locked in token base units.
    function rawAmount(bytes calldata m) internal pure returns (uint128 v) {
        assembly ("memory-safe") {
            v := shr(128, calldataload(add(m.offset, RAW_AMOUNT_OFFSET)))
        }
    }

    /// @dev Margin value credited at deposit time (the audit record), USD 18 decimals.
    function haircutValue(bytes calldata m) internal pure returns (uint128 v) {
        assembly ("memory-safe") {
            v := shr(128, calldataload(add(m.offset, HAIRCUT_VALUE_OFFSET)))
        }
    }
}
