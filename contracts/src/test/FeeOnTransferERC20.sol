// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestERC20} from "./TestERC20.sol";

/// @title FeeOnTransferERC20
/// @notice Test token that burns `feeBps` of every transfer (not of mints), to check fee-on-transfer handling.
contract FeeOnTransferERC20 is TestERC20 {
    /// @notice The fee is above 100%.
    /// @param feeBps The fee requested.
    error FeeTooHigh(uint256 feeBps);

    /// @notice Fee in basis points of each transfer.
    uint256 public immutable feeBps;

    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals.
    /// @param feeBps_ Fee in basis points (≤ 10000).
    constructor(string memory name_, string memory symbol_, uint8 decimals_, uint256 feeBps_)
        TestERC20(name_, symbol_, decimals_)
    {
        if (feeBps_ > 10_000) revert FeeTooHigh(feeBps_);
        feeBps = feeBps_;
    }

    /// @dev Burns the fee from the sender on transfers; mints and burns are fee-free.
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) return super._update(from, to, value);
        uint256 fee = value * feeBps / 10_000;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
