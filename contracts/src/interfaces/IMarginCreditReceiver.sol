// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAttesterSet} from "./IAttesterSet.sol";
import {IPacketInbox} from "./IPacketInbox.sol";

/// @title IMarginCreditReceiver
/// @notice Derivatives-chain end of the two-way book (docs/two-way-book.md): applies attested CREDIT, VOID and
///         RELEASE_RESULT packets (`submit`), and freezes collateral for withdrawals (`requestWithdrawal`) that a
///         CollateralVault pays out.
interface IMarginCreditReceiver is IAttesterSet, IPacketInbox {
    /// @notice Withdrawal record status; only ever extended.
    enum WithdrawalStatus {
        NONE,
        PENDING,
        FINISHED,
        UNFROZEN,
        REFUND_PENDING,
        REFUNDED,
        REFUND_FAILED
    }

    /// @notice One CREDIT packet was applied.
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
    /// @notice A VOID packet skipped a deposit nonce: nothing credited.
    /// @param guid Packet GUID (the voided deposit's GUID).
    /// @param account The account the lock named.
    /// @param srcEid Source endpoint id.
    /// @param asset Token locked.
    /// @param rawAmount Amount locked (refunded).
    /// @param refundTo The depositor on the source chain.
    /// @param depositNonce The deposit nonce voided.
    /// @param reason 1 unsupported-asset, 2 invalid-deposit, 3 operator.
    /// @param refundGuid GUID of the refund WITHDRAWAL, or 0 when rawAmount is 0 (nothing to refund).
    event Voided(
        bytes32 indexed guid,
        bytes32 indexed account,
        uint32 indexed srcEid,
        bytes32 asset,
        uint128 rawAmount,
        bytes32 refundTo,
        uint64 depositNonce,
        uint8 reason,
        bytes32 refundGuid
    );
    /// @notice A withdrawal (or a refund) was requested; the relayer turns this into one WITHDRAWAL packet.
    /// @param guid GUID of the WITHDRAWAL packet (path this receiver → vault).
    /// @param account The account withdrawing (refund: the deposit's account).
    /// @param vaultEid Eid of the vault's chain (packet dstEid).
    /// @param vault The vault paying out (packet receiver).
    /// @param nonce Outbound nonce on the path (packet nonce = withdrawalNonce).
    /// @param asset Token on the source chain.
    /// @param rawAmount Token base units.
    /// @param recipient Who receives the tokens on the source chain.
    /// @param voidedNonce 0 for a withdrawal, else the voided deposit nonce this refunds.
    event WithdrawalRequested(
        bytes32 indexed guid,
        bytes32 indexed account,
        uint32 indexed vaultEid,
        bytes32 vault,
        uint64 nonce,
        bytes32 asset,
        uint128 rawAmount,
        bytes32 recipient,
        uint64 voidedNonce
    );
    /// @notice A RELEASE_RESULT settled a withdrawal.
    /// @param withdrawalGuid The withdrawal.
    /// @param resultGuid GUID of the RELEASE_RESULT packet.
    /// @param status New status: FINISHED, UNFROZEN, REFUNDED or REFUND_FAILED.
    event WithdrawalSettled(bytes32 indexed withdrawalGuid, bytes32 indexed resultGuid, uint8 status);
    /// @notice The vault of a source chain was set.
    /// @param srcEid Source endpoint id.
    /// @param vault The vault as bytes32 (0 = none).
    event VaultSet(uint32 indexed srcEid, bytes32 vault);
    /// @notice The withdrawal guard changed.
    /// @param guard New guard (address(0) = none).
    event WithdrawalGuardSet(address indexed guard);

    /// @notice The GUID was applied before (or twice in this batch).
    /// @param index Packet index.
    /// @param guid The GUID.
    error GuidAlreadyUsed(uint256 index, bytes32 guid);
    /// @notice The withdrawal a RELEASE_RESULT answers is unknown or already settled.
    /// @param index Packet index.
    /// @param withdrawalGuid The withdrawal GUID.
    error WithdrawalNotPending(uint256 index, bytes32 withdrawalGuid);
    /// @notice A RELEASE_RESULT does not match its withdrawal (path, nonce, account, asset or amount).
    /// @param index Packet index.
    error ResultMismatch(uint256 index);
    /// @notice No vault registered for the source chain.
    /// @param srcEid Source endpoint id.
    error VaultNotSet(uint32 srcEid);
    /// @notice The withdrawal amount is zero.
    error ZeroAmount();
    /// @notice The recipient is bytes32(0).
    error ZeroRecipient();
    /// @notice The amount is above what is credited and not frozen.
    /// @param available Credited raw amount of (account, srcEid, asset).
    /// @param amount Requested amount.
    error InsufficientCredit(uint128 available, uint128 amount);
    /// @notice The withdrawal guard returned false or reverted.
    /// @param guard The guard.
    error WithdrawalRefused(address guard);

    /// @notice Applies a batch of attested packets, atomically: any invalid packet or signature reverts all.
    /// @param packets LayerZero PacketV1 bytes, each carrying one CREDIT, VOID or RELEASE_RESULT message.
    /// @param validUntil Unix seconds the attestation is valid until (signed).
    /// @param signatures 65-byte EIP-712 signatures over the PacketBatch digest, by strictly increasing signer.
    function submit(bytes[] calldata packets, uint64 validUntil, bytes[] calldata signatures) external;

    /// @notice Freezes `amount` of the caller's credit of `asset` from `srcEid` and requests its payout to
    ///         `recipient` by the vault of `srcEid`; emits WithdrawalRequested.
    /// @param srcEid Source endpoint id, with a vault registered.
    /// @param asset Token on the source chain.
    /// @param amount Token base units, > 0, ≤ the caller's available credit.
    /// @param recipient Who receives the tokens on the source chain, non-zero.
    /// @return guid GUID of the WITHDRAWAL packet.
    /// @return nonce Its nonce on the path to the vault.
    function requestWithdrawal(uint32 srcEid, bytes32 asset, uint128 amount, bytes32 recipient)
        external
        returns (bytes32 guid, uint64 nonce);

    /// @notice Owner: registers the vault that pays out withdrawals of `srcEid` (0 = none).
    /// @param srcEid Source endpoint id.
    /// @param vault The vault as bytes32.
    function setVault(uint32 srcEid, bytes32 vault) external;

    /// @notice Owner: sets the withdrawal guard (address(0) = none).
    /// @param guard An IWithdrawalGuard.
    function setWithdrawalGuard(address guard) external;

    /// @notice Owner: stops submit and requestWithdrawal.
    function pause() external;

    /// @notice Owner: resumes submit and requestWithdrawal.
    function unpause() external;

    /// @notice This receiver's LayerZero endpoint id (the packets' dstEid).
    function localEid() external view returns (uint32);

    /// @notice Last nonce applied for (srcEid, srcVault); 0 if none.
    function lastNonce(uint32 srcEid, bytes32 srcVault) external view returns (uint64);

    /// @notice Last nonce used on the path to (vaultEid, vault); 0 if none.
    function outboundNonce(uint32 vaultEid, bytes32 vault) external view returns (uint64);

    /// @notice Whether an inbound GUID was applied.
    function guidUsed(bytes32 guid) external view returns (bool);

    /// @notice The vault registered for `srcEid` (0 = none).
    function vaultOf(uint32 srcEid) external view returns (bytes32);

    /// @notice The withdrawal guard (address(0) = none).
    function withdrawalGuard() external view returns (address);

    /// @notice Available credit of `account` from `asset` on `srcEid` (credited and not frozen).
    /// @return rawAmount Token base units.
    /// @return haircutValue Margin value, USD 18 decimals.
    function credits(bytes32 account, uint32 srcEid, bytes32 asset)
        external
        view
        returns (uint128 rawAmount, uint128 haircutValue);

    /// @notice Frozen credit of `account` from `asset` on `srcEid` (withdrawals pending).
    /// @return rawAmount Token base units.
    /// @return haircutValue Its share of the margin value, rounded up, USD 18 decimals.
    function frozen(bytes32 account, uint32 srcEid, bytes32 asset)
        external
        view
        returns (uint128 rawAmount, uint128 haircutValue);

    /// @notice Sum of available margin value of `account` across sources and assets, USD 18 decimals.
    function totalHaircutValue(bytes32 account) external view returns (uint256);

    /// @notice The withdrawal (or refund) record of `guid`; all zero (status NONE) if unknown.
    function withdrawals(bytes32 guid)
        external
        view
        returns (
            bytes32 account,
            uint32 vaultEid,
            bytes32 vault,
            bytes32 asset,
            bytes32 recipient,
            uint64 nonce,
            uint128 rawAmount,
            uint128 haircutValue,
            uint64 voidedNonce,
            uint8 status
        );
}
