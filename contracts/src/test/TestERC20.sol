// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title TestERC20
/// @notice Devnet/test token with configurable decimals and a public mint. Never deploy to a real network.
contract TestERC20 is ERC20 {
    uint8 private immutable _decimals;

    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals.
    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        _decimals = decimals_;
    }

    /// @notice Token decimals.
    function decimals() public view virtual override returns (uint8) {
        return _decimals;
    }

    /// @notice Mints `amount` to `to`, for anyone (emits Transfer).
    /// @param to Recipient.
    /// @param amount Amount, base units.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
