// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IWithdrawalGuard
/// @notice The venue's own free-margin rule, asked by MarginCreditReceiver.requestWithdrawal before it freezes
///         collateral (docs/two-way-book.md). Returning false or reverting refuses the withdrawal.
interface IWithdrawalGuard {
    /// @notice Whether `account` may withdraw `amount` of `asset` credited from `srcEid`.
    /// @param account The derivatives-chain account.
    /// @param srcEid Eid of the source chain holding the collateral.
    /// @param asset Token on the source chain.
    /// @param amount Token base units.
    /// @return allowed True to let the withdrawal go ahead.
    function check(bytes32 account, uint32 srcEid, bytes32 asset, uint128 amount) external view returns (bool allowed);
}
