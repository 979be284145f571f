// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IWithdrawalGuard} from "../interfaces/IWithdrawalGuard.sol";

/// @title TestWithdrawalGuard
/// @notice Test guard answering a configurable bool, and recording nothing (a view). Never deploy to a real network.
contract TestWithdrawalGuard is IWithdrawalGuard {
    /// @notice The answer changed.
    /// @param allowed New answer.
    event AllowedSet(bool allowed);

    /// @notice What `check` answers.
    bool public allowed;

    /// @param allowed_ Initial answer.
    constructor(bool allowed_) {
        allowed = allowed_;
        emit AllowedSet(allowed_);
    }

    /// @notice Sets what `check` answers, for anyone.
    /// @param allowed_ New answer.
    function setAllowed(bool allowed_) external {
        allowed = allowed_;
        emit AllowedSet(allowed_);
    }

    /// @inheritdoc IWithdrawalGuard
    function check(bytes32, uint32, bytes32, uint128) external view returns (bool) {
        return allowed;
    }
}

/// @title RevertingWithdrawalGuard
/// @notice Test guard whose `check` always reverts. Never deploy to a real network.
contract RevertingWithdrawalGuard is IWithdrawalGuard {
    /// @notice Always.
    /// @param account The account asked about.
    error GuardReverted(bytes32 account);

    /// @inheritdoc IWithdrawalGuard
    function check(bytes32 account, uint32, bytes32, uint128) external pure returns (bool) {
        revert GuardReverted(account);
    }
}
