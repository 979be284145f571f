// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestERC20} from "./TestERC20.sol";

/// @title RestrictedERC20
/// @notice Test token that can block a recipient or pause all transfers (like USDC's blacklist and pause), to make
///         a vault payout fail. Anyone can set the restrictions. Never deploy to a real network.
contract RestrictedERC20 is TestERC20 {
    /// @notice An address was blocked or unblocked.
    /// @param account The address.
    /// @param blocked Whether transfers to or from it revert.
    event BlockedSet(address indexed account, bool blocked);
    /// @notice Transfers were paused or resumed.
    /// @param paused Whether every transfer reverts.
    event PausedSet(bool paused);

    /// @notice The sender or the recipient is blocked.
    /// @param account The blocked address.
    error AccountBlocked(address account);
    /// @notice Transfers are paused.
    error TransfersPaused();

    /// @notice Blocked addresses.
    mapping(address => bool) public blocked;
    /// @notice Whether transfers are paused.
    bool public paused;

    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals.
    constructor(string memory name_, string memory symbol_, uint8 decimals_) TestERC20(name_, symbol_, decimals_) {}

    /// @notice Blocks or unblocks `account`.
    /// @param account The address.
    /// @param blocked_ Whether to block it.
    function setBlocked(address account, bool blocked_) external {
        blocked[account] = blocked_;
        emit BlockedSet(account, blocked_);
    }

    /// @notice Pauses or resumes transfers.
    /// @param paused_ Whether to pause.
    function setPaused(bool paused_) external {
        paused = paused_;
        emit PausedSet(paused_);
    }

    /// @dev Reverts while paused or for a blocked sender or recipient; mints go through while paused.
    function _update(address from, address to, uint256 value) internal override {
        if (paused && from != address(0)) revert TransfersPaused();
        if (blocked[from]) revert AccountBlocked(from);
        if (blocked[to]) revert AccountBlocked(to);
        super._update(from, to, value);
    }
}
