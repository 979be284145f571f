// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title MockV3Aggregator
/// @notice Chainlink AggregatorV3Interface-compatible feed for devnets and tests; anyone can set the answer,
///         including an old `updatedAt` to make the price stale.
contract MockV3Aggregator {
    /// @notice Same as Chainlink's: a new answer.
    /// @param current The answer.
    /// @param roundId Its round.
    /// @param updatedAt When it was updated.
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);
    /// @notice Same as Chainlink's: a new round started.
    /// @param roundId The round.
    /// @param startedBy Who started it.
    /// @param startedAt When.
    event NewRound(uint256 indexed roundId, address indexed startedBy, uint256 startedAt);

    /// @notice No data for the requested round.
    error NoDataPresent();

    struct Round {
        int256 answer;
        uint256 startedAt;
        uint256 updatedAt;
    }

    /// @notice Decimals of the answer.
    uint8 public immutable decimals;
    /// @notice Feed description.
    string public description;
    /// @notice Aggregator version.
    uint256 public constant version = 4;
    /// @notice Latest round id.
    uint80 public latestRound;
    mapping(uint80 => Round) private rounds;

    /// @param decimals_ Answer decimals.
    /// @param initialAnswer First answer, stamped now.
    constructor(uint8 decimals_, int256 initialAnswer) {
        decimals = decimals_;
        description = "MockV3Aggregator";
        updateAnswer(initialAnswer);
    }

    /// @notice Starts a new round with `answer`, stamped with the current block time.
    /// @param answer The answer.
    function updateAnswer(int256 answer) public {
        _set(latestRound + 1, answer, block.timestamp, block.timestamp);
    }

    /// @notice Sets round `roundId` (which becomes the latest) with explicit times.
    /// @param roundId Round id.
    /// @param answer The answer.
    /// @param updatedAt Update time (set in the past to make the feed stale).
    /// @param startedAt Start time.
    function updateRoundData(uint80 roundId, int256 answer, uint256 updatedAt, uint256 startedAt) external {
        _set(roundId, answer, updatedAt, startedAt);
    }

    /// @notice Chainlink getRoundData.
    function getRoundData(uint80 roundId)
        external
        view
        returns (uint80, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        Round memory r = rounds[roundId];
        if (r.updatedAt == 0) revert NoDataPresent();
        return (roundId, r.answer, r.startedAt, r.updatedAt, roundId);
    }

    /// @notice Chainlink latestRoundData: (roundId, answer, startedAt, updatedAt, answeredInRound).
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        Round memory r = rounds[latestRound];
        return (latestRound, r.answer, r.startedAt, r.updatedAt, latestRound);
    }

    /// @notice Chainlink legacy latestAnswer.
    function latestAnswer() external view returns (int256) {
        return rounds[latestRound].answer;
    }

    /// @notice Chainlink legacy latestTimestamp.
    function latestTimestamp() external view returns (uint256) {
        return rounds[latestRound].updatedAt;
    }

    function _set(uint80 roundId, int256 answer, uint256 updatedAt, uint256 startedAt) private {
        latestRound = roundId;
        rounds[roundId] = Round(answer, startedAt, updatedAt);
        emit NewRound(roundId, msg.sender, startedAt);
        emit AnswerUpdated(answer, roundId, updatedAt);
    }
}
