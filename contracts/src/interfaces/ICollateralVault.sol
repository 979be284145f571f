// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAttesterSet} from "./IAttesterSet.sol";
import {IGuarded} from "./IGuarded.sol";
import {IPacketInbox} from "./IPacketInbox.sol";

/// @title ICollateralVault
/// @notice Source-chain vault: users lock allow-listed ERC-20 collateral for an account on the derivatives chain,
///         and the vault pays out attested WITHDRAWAL packets of its peer receiver (docs/two-way-book.md). The owner
///         (a TimelockController) changes the configuration after its delay; the guardian pauses at once (IGuarded).
interface ICollateralVault is IAttesterSet, IPacketInbox, IGuarded {
    /// @notice Collateral was locked; the relayer turns this into one margin-credit packet.
    /// @param dstEid Destination endpoint id (the derivatives chain).
    /// @param nonce Outbound nonce on the path (this vault, dstEid, receiver), starting at 1.
    /// @param guid LayerZero GUID of the packet that will carry this deposit.
    /// @param depositor Who paid.
    /// @param account Account credited on the derivatives chain.
    /// @param token Asset locked.
    /// @param amount Amount the vault actually received (after any transfer fee), token base units.
    event Locked(
        uint32 indexed dstEid,
        uint64 indexed nonce,
        bytes32 indexed guid,
        address depositor,
        bytes32 account,
        address token,
        uint256 amount
    );
    /// @notice An asset was allow-listed, re-capped or delisted.
    /// @param token The asset.
    /// @param allowed Whether new locks are accepted.
    /// @param cap Maximum total locked, token base units.
    event AssetSet(address indexed token, bool allowed, uint128 cap);
    /// @notice The minimum of one lock of an asset changed.
    /// @param token The asset.
    /// @param minAmount Smallest amount a lock may deliver (after any transfer fee), token base units; 0 = none.
    event MinLockSet(address indexed token, uint128 minAmount);
    /// @notice The destination of new locks changed.
    /// @param dstEid Destination endpoint id.
    /// @param receiver MarginCreditReceiver on the destination, as bytes32.
    event DestinationSet(uint32 indexed dstEid, bytes32 receiver);

    /// @notice A withdrawal was paid out.
    /// @param withdrawalGuid GUID of the WITHDRAWAL packet.
    /// @param recipient Who received the tokens.
    /// @param token The token.
    /// @param amount Amount transferred, token base units.
    event Released(bytes32 indexed withdrawalGuid, address indexed recipient, address indexed token, uint256 amount);
    /// @notice A withdrawal could not be paid out; the tokens stay locked and the batch goes on.
    /// @param withdrawalGuid GUID of the WITHDRAWAL packet.
    /// @param recipient The recipient as bytes32.
    /// @param asset The asset as bytes32.
    /// @param amount Amount requested, token base units.
    /// @param reason 1 recipient or asset not a canonical EVM address, 2 amount above the asset's totalLocked,
    ///        3 the token transfer reverted or returned false.
    event ReleaseFailed(
        bytes32 indexed withdrawalGuid, bytes32 recipient, bytes32 asset, uint128 amount, uint8 reason
    );
    /// @notice The outcome of a WITHDRAWAL, to be carried back to the receiver as a RELEASE_RESULT packet.
    /// @param guid GUID of the RELEASE_RESULT packet (this vault → receiver).
    /// @param dstEid The receiver's eid.
    /// @param receiver The receiver as bytes32.
    /// @param nonce Outbound nonce on the path (shared with locks).
    /// @param withdrawalGuid GUID of the WITHDRAWAL answered.
    /// @param withdrawalNonce Its nonce.
    /// @param status 1 RELEASED, 2 FAILED.
    /// @param account Echo of the withdrawal's account.
    /// @param asset Echo of the withdrawal's asset.
    /// @param rawAmount Echo of the withdrawal's amount.
    event ReleaseResult(
        bytes32 indexed guid,
        uint32 indexed dstEid,
        bytes32 receiver,
        uint64 nonce,
        bytes32 withdrawalGuid,
        uint64 withdrawalNonce,
        uint8 status,
        bytes32 account,
        bytes32 asset,
        uint128 rawAmount
    );

    /// @notice Amount is zero, or nothing arrived after a transfer fee.
    error ZeroAmount();
    /// @notice Account is bytes32(0).
    error ZeroAccount();
    /// @notice Token is not allow-listed.
    /// @param token The token.
    error AssetNotAllowed(address token);
    /// @notice The lock would take the asset's total locked above its cap.
    /// @param token The token.
    /// @param totalAfter Total locked had the lock gone through.
    /// @param cap The cap.
    error CapExceeded(address token, uint256 totalAfter, uint128 cap);
    /// @notice What a lock delivered (after any transfer fee) is below the asset's minimum.
    /// @param token The token.
    /// @param amount Amount received by the vault.
    /// @param minimum The asset's minimum lock.
    error BelowMinimumLock(address token, uint256 amount, uint128 minimum);
    /// @notice No destination configured yet.
    error DestinationNotSet();
    /// @notice An argument that must be non-zero is zero.
    error InvalidDestination();
    /// @notice The packet's sender is not the configured receiver (dstEid, receiver).
    /// @param index Packet index.
    /// @param srcEid srcEid received.
    /// @param sender Sender received.
    error UnknownSender(uint256 index, uint32 srcEid, bytes32 sender);

    /// @notice Locks `amount` of `token` (pulled with transferFrom) for `account` on the derivatives chain.
    /// @dev Credits the balance actually received (fee-on-transfer safe), which must reach the asset's minimum lock
    ///      (BelowMinimumLock); emits Locked.
    /// @param token Allow-listed ERC-20.
    /// @param amount Amount to pull, token base units, > 0.
    /// @param account Account credited on the derivatives chain, non-zero.
    /// @return guid GUID of the packet that will carry the deposit.
    /// @return nonce Its outbound nonce.
    /// @return received Amount received by the vault.
    function lock(address token, uint256 amount, bytes32 account)
        external
        returns (bytes32 guid, uint64 nonce, uint256 received);

    /// @notice Owner: allow-lists (or delists) `token` with a cap on its total locked.
    /// @param token The asset.
    /// @param allowed Whether new locks are accepted.
    /// @param cap Maximum total locked, token base units.
    function setAsset(address token, bool allowed, uint128 cap) external;

    /// @notice Owner: sets the smallest amount one lock of `token` may deliver (compared with what arrives, after any
    ///         transfer fee), so that no lock is worth less than relaying it; 0 (the default) = no minimum.
    /// @param token The asset (listed or not yet).
    /// @param minAmount Minimum, token base units.
    function setMinLock(address token, uint128 minAmount) external;

    /// @notice Owner: sets where new locks are credited.
    /// @param dstEid Destination endpoint id, non-zero.
    /// @param receiver MarginCreditReceiver as bytes32, non-zero.
    function setDestination(uint32 dstEid, bytes32 receiver) external;

    /// @notice Pays out a batch of attested WITHDRAWAL packets of the configured receiver. Atomic for envelope,
    ///         message and signature errors; a payout that fails (ReleaseFailed) does not revert the batch. Each
    ///         packet emits ReleaseResult with the next outbound nonce on the path back.
    /// @param packets LayerZero PacketV1 bytes, each carrying one WITHDRAWAL message.
    /// @param validUntil Unix seconds the attestation is valid until (signed).
    /// @param signatures 65-byte EIP-712 signatures (domain "CollateralVault" v1) over the PacketBatch digest, by
    ///        strictly increasing signer.
    function submitReleases(bytes[] calldata packets, uint64 validUntil, bytes[] calldata signatures) external;

    /// @notice Guardian (at once) or owner: stops new locks and releases.
    function pause() external;

    /// @notice Owner: resumes locks and releases.
    function unpause() external;

    /// @notice This vault's LayerZero endpoint id (the packets' srcEid).
    function localEid() external view returns (uint32);

    /// @notice Configured destination endpoint id (0 until set).
    function dstEid() external view returns (uint32);

    /// @notice Configured receiver as bytes32 (0 until set).
    function receiver() external view returns (bytes32);

    /// @notice Last outbound nonce used on the path to (`dstEid`, `receiver`); 0 if none.
    function outboundNonce(uint32 dstEid, bytes32 receiver) external view returns (uint64);

    /// @notice Last WITHDRAWAL nonce applied from (`srcEid`, `sender`); 0 if none.
    function inboundNonce(uint32 srcEid, bytes32 sender) external view returns (uint64);

    /// @notice Outcome of a withdrawal: 0 none, 1 RELEASED, 2 FAILED.
    function releaseStatus(bytes32 withdrawalGuid) external view returns (uint8);

    /// @notice Allow-list entry of `token`.
    /// @return allowed Whether new locks are accepted.
    /// @return cap Maximum total locked.
    /// @return totalLocked Currently locked.
    function assets(address token) external view returns (bool allowed, uint128 cap, uint128 totalLocked);

    /// @notice Smallest amount one lock of `token` may deliver, token base units (0: no minimum).
    function minLock(address token) external view returns (uint128);
}
