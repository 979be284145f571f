// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title LookalikeVault
/// @notice A foreign contract that emits an event with the exact signature of CollateralVault.Locked, holding
///         nothing. The relayer must ignore it (it only trusts configured vault addresses).
contract LookalikeVault {
    /// @notice Same signature as ICollateralVault.Locked.
    event Locked(
        uint32 indexed dstEid,
        uint64 indexed nonce,
        bytes32 indexed guid,
        address depositor,
        bytes32 account,
        address token,
        uint256 amount
    );

    /// @notice Emits a fake Locked with the given fields.
    function fakeLock(uint32 dstEid, uint64 nonce, bytes32 guid, bytes32 account, address token, uint256 amount)
        external
    {
        emit Locked(dstEid, nonce, guid, msg.sender, account, token, amount);
    }
}
