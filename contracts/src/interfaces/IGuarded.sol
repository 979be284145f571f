// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IGuarded
/// @notice Owner powers behind a delay, a pause at once: the owner (a TimelockController in a deployment, so every
///         owner call waits the timelock's delay) names a guardian, who may `pause()` immediately; `unpause()` and
///         every other change stay with the owner; ownership moves in two steps and can never be renounced.
///         Shared by the MarginCreditReceiver and the CollateralVault.
interface IGuarded {
    /// @notice The guardian changed.
    /// @param previousGuardian The guardian before (zero if none).
    /// @param newGuardian The guardian now (zero: none, only the owner can pause).
    event GuardianSet(address indexed previousGuardian, address indexed newGuardian);

    /// @notice `pause()` was called by neither the guardian nor the owner.
    /// @param account The caller.
    error NotGuardian(address account);
    /// @notice `renounceOwnership()` is disabled: an ownerless contract could never change its attesters, assets or
    ///         destinations again, nor be unpaused.
    error RenounceOwnershipDisabled();

    /// @notice Owner: sets the guardian, who may pause at once (zero: no guardian).
    /// @param guardian The new guardian.
    function setGuardian(address guardian) external;

    /// @notice Who may pause besides the owner (zero if none).
    function guardian() external view returns (address);
}
