// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title Timelock
/// @notice OpenZeppelin's TimelockController as it is, built with our contracts so that deployments and tests have
///         its artifact: the owner of the MarginCreditReceiver and the CollateralVaults (README.md, "Trust model").
///         Proposers schedule (and may cancel) calls, executors run them once `minDelay` has passed.
contract Timelock is TimelockController {
    /// @param minDelay Seconds between scheduling a call and the earliest time it can execute.
    /// @param proposers Accounts granted the proposer and canceller roles.
    /// @param executors Accounts granted the executor role (address(0): anyone may execute a ready call).
    /// @param admin Optional admin of the roles, without delay (address(0): none, the timelock administers itself).
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
