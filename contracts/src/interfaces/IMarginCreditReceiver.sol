// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAttesterSet} from "./IAttesterSet.sol";
import {IPacketInbox} from "./IPacketInbox.sol";

/// @title IMarginCreditReceiver
/// @notice Derivatives-chain end of the two-way book (docs/two-way-book.md): applies attested CREDIT, VOID and
///         RELEASE_RESULT packets (`submit`), and freezes collateral for withdrawals (`requestWithdrawal`) that a
///         CollateralVault pays out.
interface IMarginCreditReceiver is IAttesterSet, IPacketInbox {
    /// @notice Withdrawal record status; only ever extended.
    enum WithdrawalStatus {
        NONE,
        PENDING,
        FINISHED,
        UNFROZEN,
        REFUND_PENDING,
        REFUNDED,
        REFUND_FAILED
    }

    /// @notice One asset's mark as the receiver keeps it (one slot). `price` USD per whole token, 18 decimals;
    ///         `haircut` 18 decimals (1e18 = 100 %); `timestamp` of the price (unix seconds); `nonce` strictly
    ///         increasing per asset; `registered` set by the owner's registerAsset (marks of other assets are refused).
    struct Mark {
        uint112 price;
        uint64 haircut;
        uint40 timestamp;
        uint32 nonce;
        bool registered;
    }

    /// @notice A marginal size tier (docs/credit-message.md, "Read interface"): the slice of a position's gross USD
    ///         value from the previous bound up to `upTo` (USD 18 decimals; type(uint128).max = open end) counts at
    ///         `weight` (18 decimals, ≤ 1e18). Value above a finite last bound counts at weight 0.
    struct SizeTier {
        uint128 upTo;
        uint64 weight;
    }

    /// @notice One position of an account, valued at the asset's current mark.
    struct PositionView {
        uint32 srcEid;
        bytes32 asset;
        /// Credited raw amount (token base units), counted in the value.
        uint128 rawAmount;
        /// Raw amount frozen by pending withdrawals (not counted).
        uint128 frozen;
        /// floor(tiers(floor(rawAmount · price / 10^decimals)) · (1 − haircut)), USD 18 decimals.
        uint256 value;
        /// The mark is missing or older than the asset's heartbeat.
        bool stale;
    }

    /// @notice One CREDIT message was applied: `rawAmount` of `asset` from `srcEid` credited to `account`. The
    ///         deposit-time valuation stays in the message (calldata) as the audit record; value is computed on read.
    /// @param guid Packet GUID.
    /// @param account Account credited.
    /// @param key assetKey(srcEid, asset) (AssetRegistered names its srcEid and asset).
    /// @param rawAmount Amount locked on the source, token base units.
    event Credited(bytes32 indexed guid, bytes32 indexed account, bytes32 key, uint256 rawAmount);
    /// @notice A REVALUATION message set the mark of (srcEid, asset). One word, the mark as stored (docs/credit-message.md,
    ///         "Read interface"): price = mark & (2^112 − 1), haircut = (mark >> 112) & (2^64 − 1), timestamp =
    ///         (mark >> 176) & (2^40 − 1), nonce = (mark >> 216) & (2^32 − 1); `markOf` returns the same fields.
    /// @param key assetKey(srcEid, asset).
    /// @param mark The packed mark.
    event Marked(bytes32 indexed key, uint256 mark);
    /// @notice The owner registered an asset of a pathway.
    event AssetRegistered(bytes32 indexed key, uint32 srcEid, bytes32 asset, uint8 decimals);
    /// @notice The owner set an asset's heartbeat and cap.
    event AssetLimitsSet(bytes32 indexed key, uint32 heartbeat, uint128 cap);
    /// @notice The owner set a source chain's rate limit (0 capacity: none).
    event RateLimitSet(uint32 indexed srcEid, uint40 capacityUsd, uint40 refillUsdPerSecond);
    /// @notice The owner set an asset's size tiers.
    event SizeTiersSet(bytes32 indexed key, uint256 count);
    /// @notice A VOID packet skipped a deposit nonce: nothing credited.
    /// @param guid Packet GUID (the voided deposit's GUID).
    /// @param account The account the lock named.
    /// @param srcEid Source endpoint id.
    /// @param asset Token locked.
    /// @param rawAmount Amount locked (refunded).
    /// @param refundTo The depositor on the source chain.
    /// @param depositNonce The deposit nonce voided.
    /// @param reason 1 unsupported-asset, 2 invalid-deposit, 3 operator.
    /// @param refundGuid GUID of the refund WITHDRAWAL, or 0 when rawAmount is 0 (nothing to refund).
    event Voided(
        bytes32 indexed guid,
        bytes32 indexed account,
        uint32 indexed srcEid,
        bytes32 asset,
        uint128 rawAmount,
        bytes32 refundTo,
        uint64 depositNonce,
        uint8 reason,
        bytes32 refundGuid
    );
    /// @notice A withdrawal (or a refund) was requested; the relayer turns this into one WITHDRAWAL packet.
    /// @param guid GUID of the WITHDRAWAL packet (path this receiver → vault).
    /// @param account The account withdrawing (refund: the deposit's account).
    /// @param vaultEid Eid of the vault's chain (packet dstEid).
    /// @param vault The vault paying out (packet receiver).
    /// @param nonce Outbound nonce on the path (packet nonce = withdrawalNonce).
    /// @param asset Token on the source chain.
    /// @param rawAmount Token base units.
    /// @param recipient Who receives the tokens on the source chain.
    /// @param voidedNonce 0 for a withdrawal, else the voided deposit nonce this refunds.
    event WithdrawalRequested(
        bytes32 indexed guid,
        bytes32 indexed account,
        uint32 indexed vaultEid,
        bytes32 vault,
        uint64 nonce,
        bytes32 asset,
        uint128 rawAmount,
        bytes32 recipient,
        uint64 voidedNonce
    );
    /// @notice A RELEASE_RESULT settled a withdrawal.
    /// @param withdrawalGuid The withdrawal.
    /// @param resultGuid GUID of the RELEASE_RESULT packet.
    /// @param status New status: FINISHED, UNFROZEN, REFUNDED or REFUND_FAILED.
    event WithdrawalSettled(bytes32 indexed withdrawalGuid, bytes32 indexed resultGuid, uint8 status);
    /// @notice The vault of a source chain was set.
    /// @param srcEid Source endpoint id.
    /// @param vault The vault as bytes32 (0 = none).
    event VaultSet(uint32 indexed srcEid, bytes32 vault);
    /// @notice The withdrawal guard changed.
    /// @param guard New guard (address(0) = none).
    event WithdrawalGuardSet(address indexed guard);

    /// @notice The message blob ends inside message `index` (an unknown type byte is InvalidMessage(index,
    ///         UnsupportedMessageType)).
    /// @param index Message index.
    /// @param remaining Bytes left in the blob from the message's start.
    error TruncatedMessage(uint256 index, uint256 remaining);
    /// @notice The message's (srcEid, vault) is not the registered pathway (vaultOf[srcEid]).
    /// @param index Message index.
    error UnknownPathway(uint256 index, uint32 srcEid, bytes32 vault);
    /// @notice The message's asset is not registered for its source chain.
    /// @param index Message index (type(uint256).max outside a batch).
    error UnknownAsset(uint256 index, uint32 srcEid, bytes32 asset);
    /// @notice The CREDIT's assetDecimals differ from the asset's registered decimals.
    /// @param index Message index.
    error DecimalsMismatch(uint256 index, uint8 expected, uint8 actual);
    /// @notice Crediting would take the asset's credited + frozen raw amount above its cap.
    /// @param index Message index.
    error CapExceeded(uint256 index, uint256 total, uint128 cap);
    /// @notice Crediting would take the source chain's rate limit below zero: `spent` micro-USD of attested value in
    ///         this batch against `available` (the token bucket refilled to now).
    /// @param index Message index.
    error RateLimited(uint256 index, uint32 srcEid, uint256 spent, uint256 available);
    /// @notice A mark is out of range: 1 price ≥ 2^112, 2 haircut > 1e18, 3 nonce ≥ 2^32, 4 timestamp in the
    ///         future (beyond MAX_FUTURE_SKEW), 5 timestamp older than the current mark's, 6 nonce not above the
    ///         current mark's.
    /// @param index Mark index.
    /// @param reason The rule broken.
    error InvalidMark(uint256 index, uint8 reason);
    /// @notice registerAsset of an asset already registered.
    error AssetExists(uint32 srcEid, bytes32 asset);
    /// @notice A cap above what the value maths can carry for the asset's decimals (see registerAsset).
    error CapTooLarge(uint128 cap, uint256 max);
    /// @notice Size tiers not strictly ascending, a weight above 1e18 or increasing, or an open tier not last.
    /// @param index The offending tier.
    error InvalidSizeTiers(uint256 index);
    /// @notice decimals above 36 at registration.
    error InvalidDecimals(uint8 decimals);
    /// @notice The withdrawal a RELEASE_RESULT answers is unknown or already settled.
    /// @param index Packet index.
    /// @param withdrawalGuid The withdrawal GUID.
    error WithdrawalNotPending(uint256 index, bytes32 withdrawalGuid);
    /// @notice A RELEASE_RESULT does not match its withdrawal (path, nonce, account, asset or amount).
    /// @param index Packet index.
    error ResultMismatch(uint256 index);
    /// @notice No vault registered for the source chain.
    /// @param srcEid Source endpoint id.
    error VaultNotSet(uint32 srcEid);
    /// @notice The withdrawal amount is zero.
    error ZeroAmount();
    /// @notice The recipient is bytes32(0).
    error ZeroRecipient();
    /// @notice The amount is above what is credited and not frozen.
    /// @param available Credited raw amount of (account, srcEid, asset).
    /// @param amount Requested amount.
    error InsufficientCredit(uint128 available, uint128 amount);
    /// @notice The withdrawal guard returned false or reverted.
    /// @param guard The guard.
    error WithdrawalRefused(address guard);

    /// @notice Applies a batch of attested messages, atomically: any invalid message or signature reverts all.
    ///         Every LayerZero PacketV1 header field is in the message (srcEid, vault = sender, nonce) or fixed by
    ///         this receiver (dstEid = localEid, receiver = this), so the batch carries the message bodies only and
    ///         the receiver rebuilds each header and GUID; the signatures are over the same PacketBatch of
    ///         Packet(guid, payloadHash = keccak256(guid ‖ message)) as a full-packet batch.
    /// @param messages CREDIT, VOID and RELEASE_RESULT bodies, concatenated (each one's length follows from its type).
    /// @param validUntil Unix seconds the attestation is valid until (signed).
    /// @param signatures 65-byte EIP-712 signatures over the PacketBatch digest, concatenated, by strictly
    ///        increasing signer.
    function submit(bytes calldata messages, uint64 validUntil, bytes calldata signatures) external;

    /// @notice Applies a batch of attested REVALUATION marks, atomically.
    /// @param marks 78-byte REVALUATION bodies, concatenated.
    /// @param validUntil Unix seconds the attestation is valid until (signed).
    /// @param signatures 65-byte EIP-712 signatures over MarkBatch(bytes[] marks, uint64 validUntil), concatenated,
    ///        by strictly increasing signer.
    function submitMarks(bytes calldata marks, uint64 validUntil, bytes calldata signatures) external;

    /// @notice Freezes `amount` of the caller's credit of `asset` from `srcEid` and requests its payout to
    ///         `recipient` by the vault of `srcEid`; emits WithdrawalRequested.
    /// @param srcEid Source endpoint id, with a vault registered.
    /// @param asset Token on the source chain.
    /// @param amount Token base units, > 0, ≤ the caller's available credit.
    /// @param recipient Who receives the tokens on the source chain, non-zero.
    /// @return guid GUID of the WITHDRAWAL packet.
    /// @return nonce Its nonce on the path to the vault.
    function requestWithdrawal(uint32 srcEid, bytes32 asset, uint128 amount, bytes32 recipient)
        external
        returns (bytes32 guid, uint64 nonce);

    /// @notice Owner: registers the vault of `srcEid` (the only pathway credits from `srcEid` are taken from, and
    ///         the vault that pays out its withdrawals; 0 = none).
    /// @param srcEid Source endpoint id.
    /// @param vault The vault as bytes32.
    function setVault(uint32 srcEid, bytes32 vault) external;

    /// @notice Owner: registers an asset of a source chain; credits and marks of unregistered assets are refused.
    ///         `cap` bounds credited + frozen raw amounts (mirror the vault's cap) and must be ≤ 2^84 · 10^decimals
    ///         so that value maths cannot overflow.
    function registerAsset(uint32 srcEid, bytes32 asset, uint8 decimals, uint32 heartbeat, uint128 cap) external;

    /// @notice Owner: a token-bucket limit on the value credited from `srcEid` (the CREDIT messages' attested
    ///         haircutValue): up to `capacityUsd` whole USD at once, refilled at `refillUsdPerSecond`; it starts full.
    ///         0 capacity: no limit. Kept in the slot of the pathway `vaultOf[srcEid]` (set it again after `setVault`).
    function setRateLimit(uint32 srcEid, uint40 capacityUsd, uint40 refillUsdPerSecond) external;

    /// @notice A source chain's rate limit: capacity and refill (whole USD, USD per second) and what is available now
    ///         (USD 18 decimals; type(uint256).max without a limit).
    function rateLimit(uint32 srcEid)
        external
        view
        returns (uint40 capacityUsd, uint40 refillUsdPerSecond, uint256 availableUsd);

    /// @notice Owner: sets an asset's mark heartbeat (seconds a mark stays fresh) and cap.
    function setAssetLimits(uint32 srcEid, bytes32 asset, uint32 heartbeat, uint128 cap) external;

    /// @notice Owner: sets an asset's marginal size tiers (empty: weight 1 throughout).
    function setSizeTiers(uint32 srcEid, bytes32 asset, SizeTier[] calldata tiers) external;

    /// @notice Owner: sets the withdrawal guard (address(0) = none).
    /// @param guard An IWithdrawalGuard.
    function setWithdrawalGuard(address guard) external;

    /// @notice The guardian (at once) or the owner: stops submit, submitMarks and requestWithdrawal.
    function pause() external;

    /// @notice Owner only (behind the timelock): resumes submit, submitMarks and requestWithdrawal.
    function unpause() external;

    /// @notice This receiver's LayerZero endpoint id (the packets' dstEid).
    function localEid() external view returns (uint32);

    /// @notice Last nonce applied for (srcEid, srcVault); 0 if none.
    function lastNonce(uint32 srcEid, bytes32 srcVault) external view returns (uint64);

    /// @notice Last nonce used on the path to (vaultEid, vault); 0 if none.
    function outboundNonce(uint32 vaultEid, bytes32 vault) external view returns (uint64);

    /// @notice The vault registered for `srcEid` (0 = none).
    function vaultOf(uint32 srcEid) external view returns (bytes32);

    /// @notice The withdrawal guard (address(0) = none).
    function withdrawalGuard() external view returns (address);

    /// @notice keccak256(abi.encode(srcEid, asset)): the key of an asset in events and storage.
    function assetKey(uint32 srcEid, bytes32 asset) external pure returns (bytes32);

    /// @notice How many assets are registered.
    function assetCount() external view returns (uint256);

    /// @notice The `i`-th registered asset (registration order).
    function assetAt(uint256 i) external view returns (uint32 srcEid, bytes32 asset);

    /// @notice An asset's registration: decimals, mark heartbeat (seconds) and cap (raw).
    function assetConfig(uint32 srcEid, bytes32 asset)
        external
        view
        returns (bool registered, uint8 decimals, uint32 heartbeat, uint128 cap);

    /// @notice An asset's size tiers (empty: weight 1 throughout).
    function sizeTiers(uint32 srcEid, bytes32 asset) external view returns (SizeTier[] memory);

    /// @notice The current mark of an asset (all zero before the first).
    function markOf(uint32 srcEid, bytes32 asset)
        external
        view
        returns (uint128 price, uint64 haircut, uint64 timestamp, uint64 nonce);

    /// @notice What the receiver owes on (srcEid, asset), raw: `credited` across all accounts, and `frozen` by
    ///         withdrawals and refunds requested and not settled (a failed refund stays frozen).
    function book(uint32 srcEid, bytes32 asset) external view returns (uint128 credited, uint128 frozen);

    /// @notice One position: credited raw amount (counted in the value) and raw amount frozen by withdrawals.
    function position(bytes32 account, uint32 srcEid, bytes32 asset)
        external
        view
        returns (uint128 rawAmount, uint128 frozen);

    /// @notice The account's non-empty positions, each valued at its asset's current mark.
    function positions(bytes32 account) external view returns (PositionView[] memory);

    /// @notice Σ over the account's positions of floor(tiers(floor(raw · price / 10^decimals)) · (1 − haircut)),
    ///         USD 18 decimals, at the current marks; `stale` when a mark used is missing or older than its
    ///         asset's heartbeat (a venue should then refuse the value).
    function collateralValue(bytes32 account) external view returns (uint256 value, bool stale);

    /// @notice The value of `rawAmount` of an asset at its current mark (same maths as collateralValue).
    function valueOf(uint32 srcEid, bytes32 asset, uint128 rawAmount) external view returns (uint256 value, bool stale);

    /// @notice The status of the withdrawal (or refund) `guid` (WithdrawalStatus; 0 = unknown). Its fields are in
    ///         its WithdrawalRequested event; the receiver keeps only their hash.
    function withdrawalStatus(bytes32 guid) external view returns (uint8);
}
