// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IGuarded} from "../interfaces/IGuarded.sol";

/// @title Guarded
/// @notice A guardian who may pause at once, next to an owner who is meant to be a TimelockController
///         (README.md, "Trust model"): `onlyGuardian` admits the guardian or the owner; the owner sets the guardian;
///         `renounceOwnership` always reverts.
/// @dev The guardian lives in its own ERC-7201 namespaced slot, so adding this base moves no slot of the inheriting
///      contract: AttesterSet's attester count and threshold, Pausable's `_paused` and the vault's `dstEid` keep
///      sharing one slot (one cold SLOAD per `lock`, `submit` or `submitReleases`). The inheriting contract resolves
///      `renounceOwnership` between this base and Ownable with `override(Ownable, Guarded)`.
abstract contract Guarded is IGuarded, Ownable2Step, Pausable {
    /// @custom:storage-location erc7201:ccr.storage.Guarded
    struct GuardedStorage {
        address guardian;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("ccr.storage.Guarded")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant GUARDED_STORAGE = 0x2b2b0750bb09fec29c8896b494bbcc1a84c492d0ba58cf6a1fac5ced18bfdf00;

    /// @dev The guardian or the owner, else NotGuardian.
    modifier onlyGuardian() {
        if (msg.sender != _guardedStorage().guardian && msg.sender != owner()) revert NotGuardian(msg.sender);
        _;
    }

    /// @inheritdoc IGuarded
    function setGuardian(address guardian_) external onlyOwner {
        GuardedStorage storage $ = _guardedStorage();
        emit GuardianSet($.guardian, guardian_);
        $.guardian = guardian_;
    }

    /// @notice Disabled: reverts RenounceOwnershipDisabled for the owner (OwnableUnauthorizedAccount for anyone else).
    function renounceOwnership() public virtual override onlyOwner {
        revert RenounceOwnershipDisabled();
    }

    /// @inheritdoc IGuarded
    function guardian() external view returns (address) {
        return _guardedStorage().guardian;
    }

    function _guardedStorage() private pure returns (GuardedStorage storage $) {
        assembly ("memory-safe") {
            $.slot := GUARDED_STORAGE
        }
    }
}
