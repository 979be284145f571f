// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ICollateralVault
/// @notice Source-chain vault: users lock allow-listed ERC-20 collateral for an account on the derivatives chain.
interface ICollateralVault {
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
    /// @notice The destination of new locks changed.
    /// @param dstEid Destination endpoint id.
    /// @param receiver MarginCreditReceiver on the destination, as bytes32.
    event DestinationSet(uint32 indexed dstEid, bytes32 receiver);

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
    /// @notice No destination configured yet.
    error DestinationNotSet();
    /// @notice An argument that must be non-zero is zero.
    error InvalidDestination();

    /// @notice Locks `amount` of `token` (pulled with transferFrom) for `account` on the derivatives chain.
    /// @dev Credits the balance actually received (fee-on-transfer safe); emits Locked.
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

    /// @notice Owner: sets where new locks are credited.
    /// @param dstEid Destination endpoint id, non-zero.
    /// @param receiver MarginCreditReceiver as bytes32, non-zero.
    function setDestination(uint32 dstEid, bytes32 receiver) external;

    /// @notice Owner: stops new locks.
    function pause() external;

    /// @notice Owner: resumes locks.
    function unpause() external;

    /// @notice This vault's LayerZero endpoint id (the packets' srcEid).
    function localEid() external view returns (uint32);

    /// @notice Configured destination endpoint id (0 until set).
    function dstEid() external view returns (uint32);

    /// @notice Configured receiver as bytes32 (0 until set).
    function receiver() external view returns (bytes32);

    /// @notice Last outbound nonce used on the path to (`dstEid`, `receiver`); 0 if none.
    function outboundNonce(uint32 dstEid, bytes32 receiver) external view returns (uint64);

    /// @notice Allow-list entry of `token`.
    /// @return allowed Whether new locks are accepted.
    /// @return cap Maximum total locked.
    /// @return totalLocked Currently locked.
    function assets(address token) external view returns (bool allowed, uint128 cap, uint128 totalLocked);
}
