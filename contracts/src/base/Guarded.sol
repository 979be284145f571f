// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IGuarded} from "../interfaces/IGuarded.sol";

/// @title Guarded
/// @notice A guardian who may pause at once, next to an owner who is meant to be a TimelockController
///         (README.md, "Trust model"): `onlyGuardian` admits the guardian or the owner; the owner sets the guardian;
///         `renounceOwnership` always reverts.
/// @dev Declared after Pausable in the inheriting contract's list, so `guardian` takes a new slot after
///      AttesterSet's attester count and threshold and Pausable's `_paused` (which share one slot, read once per
///      batch) and leaves that packing alone. The inheriting contract resolves `renounceOwnership` between this
///      base and Ownable with `override(Ownable, Guarded)`.
abstract contract Guarded is IGuarded, Ownable2Step, Pausable {
    /// @inheritdoc IGuarded
    address public guardian;

    /// @dev The guardian or the owner, else NotGuardian.
    modifier onlyGuardian() {
        if (msg.sender != guardian && msg.sender != owner()) revert NotGuardian(msg.sender);
        _;
    }

    /// @inheritdoc IGuarded
    function setGuardian(address guardian_) external onlyOwner {
        emit GuardianSet(guardian, guardian_);
        guardian = guardian_;
    }

    /// @notice Disabled: reverts RenounceOwnershipDisabled for the owner (OwnableUnauthorizedAccount for anyone else).
    function renounceOwnership() public virtual override onlyOwner {
        revert RenounceOwnershipDisabled();
    }
}
