// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IMarginCreditReceiver} from "./interfaces/IMarginCreditReceiver.sol";
import {IWithdrawalGuard} from "./interfaces/IWithdrawalGuard.sol";
import {AttesterSet} from "./base/AttesterSet.sol";
import {Guarded} from "./base/Guarded.sol";
import {Attestation} from "./libraries/Attestation.sol";
import {CreditMessage} from "./libraries/CreditMessage.sol";
import {MarkMessage} from "./libraries/MarkMessage.sol";
import {ReleaseResultMessage} from "./libraries/ReleaseResultMessage.sol";
import {VoidMessage} from "./libraries/VoidMessage.sol";

/// @title MarginCreditReceiver
/// @notice The derivatives-chain end of the two-way book (docs/two-way-book.md) and the live value of its collateral
///         (docs/credit-message.md, "Read interface"). `submit` applies attested CREDIT, VOID and RELEASE_RESULT
///         messages (LayerZero PacketV1 semantics: per-path nonce order, GUID rebuilt from the message), `submitMarks`
///         applies attested REVALUATION marks, `requestWithdrawal` freezes credit and emits the WITHDRAWAL a vault
///         pays out. Positions hold raw amounts only; `collateralValue` values them at the current marks.
/// @dev Storage is laid out for the hot path: a credit to an existing position writes one cold slot (the position),
///      the asset's book and the path nonce are warm after the first message of a batch. Replay protection is the
///      per-path nonce order alone: the GUID is a function of (nonce, srcEid, vault, localEid, this), so a message
///      applied once can never be applied again. Atomic batches: any failure reverts the whole transaction.
contract MarginCreditReceiver is IMarginCreditReceiver, AttesterSet, Pausable, Guarded {
    /// @dev One position of one account, one slot: credited (valued) and frozen (withdrawals pending) raw amounts.
    struct Position {
        uint128 credited;
        uint128 frozen;
    }

    /// @dev What the receiver owes on one (srcEid, asset), one slot (see `book`).
    struct Book {
        uint128 credited;
        uint128 frozen;
    }

    /// @dev An asset's registration, one slot.
    struct AssetInfo {
        uint128 cap;
        uint32 srcEid;
        uint32 heartbeat;
        uint8 decimals;
        bool registered;
    }

    /// @dev What `submit` carries from one message to the next: the current path and its nonce (written back when
    ///      the path changes and at the end), and the current run of credits of one asset (its registration, and its
    ///      book, written back when the asset changes, before any other message and at the end).
    struct Cursor {
        uint32 pathEid;
        bytes32 pathVault;
        uint64 pathNonce;
        /// The path's slot as read (rate-limit fields above the nonce).
        uint256 pathWord;
        /// Rate limit of the path: micro-USD available this batch (refilled once), and spent so far.
        uint256 pathAvailable;
        uint256 pathSpent;
        bytes32 runKey;
        uint256 runInfo;
        uint256 runBookSlot;
        uint256 runBookWord;
    }

    /// @dev An asset's identity, for enumeration.
    struct AssetId {
        uint32 srcEid;
        bytes32 asset;
    }

    uint8 private constant TYPE_CREDIT = 1;
    uint8 private constant TYPE_RELEASE_RESULT = 4;
    uint8 private constant TYPE_VOID = 5;
    uint256 private constant STATUS_MASK = 0xff;
    uint256 private constant ONE = 1e18;
    uint256 private constant ONE_SQUARED = 1e36;
    /// @dev cap ≤ 2^84 · 10^decimals keeps floor(raw · price / 10^decimals) · 1e18 < 2^256 with price < 2^112.
    uint256 private constant CAP_FACTOR = 2 ** 84;

    bytes32 private constant MARK_BATCH_TYPEHASH = keccak256("MarkBatch(bytes[] marks,uint64 validUntil)");

    /// @notice How far in the future (seconds past block.timestamp) a mark's price timestamp may be.
    uint256 public constant MAX_FUTURE_SKEW = 300;

    /// @inheritdoc IMarginCreditReceiver
    uint32 public immutable localEid;
    bytes32 private immutable self32;

    /// @dev Per inbound path, one slot (read and written once per path per batch): last nonce [0,64), rate-limit
    ///      tokens in micro-USD [64,144), their last refill time [144,176), capacity in whole USD [176,216) (0: no
    ///      limit), refill in whole USD per second [216,256). `lastNonce` reads the nonce.
    mapping(uint32 srcEid => mapping(bytes32 srcVault => uint256)) private _paths;
    /// @inheritdoc IMarginCreditReceiver
    mapping(uint32 vaultEid => mapping(bytes32 vault => uint64)) public outboundNonce;
    /// @inheritdoc IMarginCreditReceiver
    mapping(uint32 srcEid => bytes32) public vaultOf;
    /// @inheritdoc IMarginCreditReceiver
    address public withdrawalGuard;

    mapping(bytes32 positionKey => Position) private _positions;
    mapping(bytes32 assetKey => Book) private _books;
    mapping(bytes32 assetKey => AssetInfo) private _assets;
    mapping(bytes32 assetKey => Mark) private _marks;
    mapping(bytes32 assetKey => SizeTier[]) private _tiers;
    AssetId[] private _assetList;
    /// @dev guid → keccak256(vaultEid, vault, nonce, account, asset, rawAmount) with the low byte replaced by status.
    mapping(bytes32 guid => uint256) private _withdrawals;

    /// @param owner_ Initial owner.
    /// @param localEid_ This chain's LayerZero endpoint id.
    /// @param attesters Initial attester set (distinct, non-zero).
    /// @param threshold_ Initial threshold, 1 ≤ threshold_ ≤ attesters.length.
    constructor(address owner_, uint32 localEid_, address[] memory attesters, uint256 threshold_)
        Ownable(owner_)
        AttesterSet(Attestation.RECEIVER_NAME_HASH, Attestation.RECEIVER_VERSION_HASH, attesters, threshold_)
    {
        localEid = localEid_;
        self32 = bytes32(uint256(uint160(address(this))));
    }

    // ------------------------------------------------------------------------------------------------ batches

    /// @inheritdoc IMarginCreditReceiver
    function submit(bytes calldata messages, uint64 validUntil, bytes calldata signatures) external whenNotPaused {
        _requireNotExpired(validUntil);
        uint256 len = messages.length;
        if (len == 0) revert EmptyBatch();
        // At most one hash per VoidMessage.LENGTH bytes (the shortest message); the length is set once parsed.
        bytes32[] memory hashes = new bytes32[](len / VoidMessage.LENGTH + 1);
        Cursor memory c;
        uint256 off;
        uint256 i;
        while (off < len) {
            (bytes calldata m, uint8 messageType) = _nextMessage(messages, off, i);
            (uint32 srcEid, bytes32 vault, uint64 nonce) = _header(i, m, messageType);
            _advancePath(c, i, srcEid, vault, nonce);
            bytes32 guid = _guid(nonce, srcEid, vault);
            if (messageType == TYPE_CREDIT) {
                _credit(c, i, guid, m, srcEid);
            } else {
                _flushRun(c);
                if (messageType == TYPE_VOID) _void(guid, m, srcEid, vault, nonce);
                else _settle(i, guid, m, srcEid, vault);
            }
            bytes32 h = Attestation.packetHash(guid, _payloadHash(guid, m));
            assembly ("memory-safe") {
                // i < hashes.length: every message is at least VoidMessage.LENGTH bytes long.
                mstore(add(hashes, shl(5, add(i, 1))), h)
            }
            off += m.length;
            ++i;
        }
        _flushRun(c);
        _flushPath(c);
        assembly ("memory-safe") {
            mstore(hashes, i)
        }
        _verifyPackedSignatures(_batchDigest(hashes, validUntil), signatures);
    }

    /// @inheritdoc IMarginCreditReceiver
    function submitMarks(bytes calldata marks, uint64 validUntil, bytes calldata signatures) external whenNotPaused {
        _requireNotExpired(validUntil);
        uint256 len = marks.length;
        if (len == 0) revert EmptyBatch();
        if (len % MarkMessage.LENGTH != 0) revert TruncatedMessage(len / MarkMessage.LENGTH, len % MarkMessage.LENGTH);
        uint256 n = len / MarkMessage.LENGTH;
        bytes32[] memory hashes = new bytes32[](n);
        for (uint256 i; i < n; ++i) {
            bytes calldata m = marks[i * MarkMessage.LENGTH:(i + 1) * MarkMessage.LENGTH];
            _mark(i, m);
            hashes[i] = keccak256(m);
        }
        bytes32 arrayHash;
        assembly ("memory-safe") {
            arrayHash := keccak256(add(hashes, 0x20), mul(n, 0x20))
        }
        bytes32 structHash = keccak256(abi.encode(MARK_BATCH_TYPEHASH, arrayHash, uint256(validUntil)));
        _verifyPackedSignatures(Attestation.digest(domainSeparator(), structHash), signatures);
    }

    /// @inheritdoc IMarginCreditReceiver
    function requestWithdrawal(uint32 srcEid, bytes32 asset, uint128 amount, bytes32 recipient)
        external
        whenNotPaused
        returns (bytes32 guid, uint64 nonce)
    {
        bytes32 vault = vaultOf[srcEid];
        if (vault == bytes32(0)) revert VaultNotSet(srcEid);
        if (amount == 0) revert ZeroAmount();
        if (recipient == bytes32(0)) revert ZeroRecipient();
        bytes32 account = bytes32(uint256(uint160(msg.sender)));
        bytes32 key = _assetKey(srcEid, asset);
        Position storage p = _positions[_positionKey(account, key)];
        Position memory have = p;
        if (amount > have.credited) revert InsufficientCredit(have.credited, amount);
        _checkGuard(account, srcEid, asset, amount);
        (p.credited, p.frozen) = (have.credited - amount, have.frozen + amount);
        Book storage b = _books[key];
        (b.credited, b.frozen) = (b.credited - amount, b.frozen + amount);
        return _recordWithdrawal(account, srcEid, vault, asset, amount, recipient, 0, WithdrawalStatus.PENDING);
    }

    // ------------------------------------------------------------------------------------------------ owner

    /// @inheritdoc IMarginCreditReceiver
    function setVault(uint32 srcEid, bytes32 vault) external onlyOwner {
        vaultOf[srcEid] = vault;
        emit VaultSet(srcEid, vault);
    }

    /// @inheritdoc IMarginCreditReceiver
    function setRateLimit(uint32 srcEid, uint40 capacityUsd, uint40 refillUsdPerSecond) external onlyOwner {
        bytes32 vault = vaultOf[srcEid];
        if (vault == bytes32(0)) revert VaultNotSet(srcEid);
        uint256 word = _paths[srcEid][vault];
        word = (word & type(uint64).max) | (uint256(capacityUsd) << 176) | (uint256(refillUsdPerSecond) << 216);
        _paths[srcEid][vault] = _withTokens(word, uint256(capacityUsd) * 1e6); // starts full
        emit RateLimitSet(srcEid, capacityUsd, refillUsdPerSecond);
    }

    /// @inheritdoc IMarginCreditReceiver
    function registerAsset(uint32 srcEid, bytes32 asset, uint8 decimals, uint32 heartbeat, uint128 cap)
        external
        onlyOwner
    {
        if (decimals > 36) revert InvalidDecimals(decimals);
        bytes32 key = _assetKey(srcEid, asset);
        if (_assets[key].registered) revert AssetExists(srcEid, asset);
        _checkCap(cap, decimals);
        _assets[key] =
            AssetInfo({cap: cap, srcEid: srcEid, heartbeat: heartbeat, decimals: decimals, registered: true});
        _marks[key].registered = true;
        _assetList.push(AssetId({srcEid: srcEid, asset: asset}));
        emit AssetRegistered(key, srcEid, asset, decimals);
        emit AssetLimitsSet(key, heartbeat, cap);
    }

    /// @inheritdoc IMarginCreditReceiver
    function setAssetLimits(uint32 srcEid, bytes32 asset, uint32 heartbeat, uint128 cap) external onlyOwner {
        bytes32 key = _assetKey(srcEid, asset);
        AssetInfo storage a = _registered(key, srcEid, asset);
        _checkCap(cap, a.decimals);
        (a.heartbeat, a.cap) = (heartbeat, cap);
        emit AssetLimitsSet(key, heartbeat, cap);
    }

    /// @inheritdoc IMarginCreditReceiver
    function setSizeTiers(uint32 srcEid, bytes32 asset, SizeTier[] calldata tiers) external onlyOwner {
        bytes32 key = _assetKey(srcEid, asset);
        _registered(key, srcEid, asset);
        uint256 previousBound;
        uint256 previousWeight = ONE;
        for (uint256 i; i < tiers.length; ++i) {
            SizeTier calldata t = tiers[i];
            bool open = t.upTo == type(uint128).max;
            if (t.upTo <= previousBound || t.weight > previousWeight || (open && i != tiers.length - 1)) {
                revert InvalidSizeTiers(i);
            }
            (previousBound, previousWeight) = (t.upTo, t.weight);
        }
        SizeTier[] storage stored = _tiers[key];
        while (stored.length != 0) stored.pop();
        for (uint256 i; i < tiers.length; ++i) {
            stored.push(tiers[i]);
        }
        emit SizeTiersSet(key, tiers.length);
    }

    /// @inheritdoc IMarginCreditReceiver
    function setWithdrawalGuard(address guard) external onlyOwner {
        withdrawalGuard = guard;
        emit WithdrawalGuardSet(guard);
    }

    /// @inheritdoc IMarginCreditReceiver
    /// @dev The guardian (at once) or the owner (Guarded).
    function pause() external onlyGuardian {
        _pause();
    }

    /// @inheritdoc IMarginCreditReceiver
    function unpause() external onlyOwner {
        _unpause();
    }

    /// @inheritdoc Guarded
    function renounceOwnership() public override(Ownable, Guarded) {
        super.renounceOwnership();
    }

    // ------------------------------------------------------------------------------------------------ reads

    /// @inheritdoc IMarginCreditReceiver
    function lastNonce(uint32 srcEid, bytes32 srcVault) external view returns (uint64) {
        return uint64(_paths[srcEid][srcVault]);
    }

    /// @inheritdoc IMarginCreditReceiver
    function rateLimit(uint32 srcEid)
        external
        view
        returns (uint40 capacityUsd, uint40 refillUsdPerSecond, uint256 availableUsd)
    {
        uint256 word = _paths[srcEid][vaultOf[srcEid]];
        capacityUsd = uint40(word >> 176);
        refillUsdPerSecond = uint40(word >> 216);
        availableUsd = capacityUsd == 0 ? type(uint256).max : _refilled(word) * 1e12;
    }

    /// @inheritdoc IMarginCreditReceiver
    function assetKey(uint32 srcEid, bytes32 asset) external pure returns (bytes32) {
        return _assetKey(srcEid, asset);
    }

    /// @inheritdoc IMarginCreditReceiver
    function assetCount() external view returns (uint256) {
        return _assetList.length;
    }

    /// @inheritdoc IMarginCreditReceiver
    function assetAt(uint256 i) external view returns (uint32 srcEid, bytes32 asset) {
        AssetId storage a = _assetList[i];
        return (a.srcEid, a.asset);
    }

    /// @inheritdoc IMarginCreditReceiver
    function assetConfig(uint32 srcEid, bytes32 asset)
        external
        view
        returns (bool registered, uint8 decimals, uint32 heartbeat, uint128 cap)
    {
        AssetInfo storage a = _assets[_assetKey(srcEid, asset)];
        return (a.registered, a.decimals, a.heartbeat, a.cap);
    }

    /// @inheritdoc IMarginCreditReceiver
    function sizeTiers(uint32 srcEid, bytes32 asset) external view returns (SizeTier[] memory) {
        return _tiers[_assetKey(srcEid, asset)];
    }

    /// @inheritdoc IMarginCreditReceiver
    function markOf(uint32 srcEid, bytes32 asset)
        external
        view
        returns (uint128 price, uint64 haircut, uint64 timestamp, uint64 nonce)
    {
        Mark storage mk = _marks[_assetKey(srcEid, asset)];
        return (mk.price, mk.haircut, mk.timestamp, mk.nonce);
    }

    /// @inheritdoc IMarginCreditReceiver
    function book(uint32 srcEid, bytes32 asset) external view returns (uint128 credited, uint128 frozen) {
        Book storage b = _books[_assetKey(srcEid, asset)];
        return (b.credited, b.frozen);
    }

    /// @inheritdoc IMarginCreditReceiver
    function position(bytes32 account, uint32 srcEid, bytes32 asset)
        external
        view
        returns (uint128 rawAmount, uint128 frozen)
    {
        Position storage p = _positions[_positionKey(account, _assetKey(srcEid, asset))];
        return (p.credited, p.frozen);
    }

    /// @inheritdoc IMarginCreditReceiver
    function positions(bytes32 account) external view returns (PositionView[] memory out) {
        uint256 n = _assetList.length;
        out = new PositionView[](n);
        uint256 count;
        for (uint256 i; i < n; ++i) {
            AssetId storage id = _assetList[i];
            bytes32 key = _assetKey(id.srcEid, id.asset);
            Position memory p = _positions[_positionKey(account, key)];
            if (p.credited == 0 && p.frozen == 0) continue;
            (uint256 value, bool stale) = _value(key, p.credited);
            out[count++] = PositionView({
                srcEid: id.srcEid,
                asset: id.asset,
                rawAmount: p.credited,
                frozen: p.frozen,
                value: value,
                stale: stale
            });
        }
        assembly ("memory-safe") {
            mstore(out, count)
        }
    }

    /// @inheritdoc IMarginCreditReceiver
    function collateralValue(bytes32 account) external view returns (uint256 value, bool stale) {
        uint256 n = _assetList.length;
        for (uint256 i; i < n; ++i) {
            AssetId storage id = _assetList[i];
            bytes32 key = _assetKey(id.srcEid, id.asset);
            uint128 raw = _positions[_positionKey(account, key)].credited;
            if (raw == 0) continue;
            (uint256 v, bool s) = _value(key, raw);
            value += v;
            stale = stale || s;
        }
    }

    /// @inheritdoc IMarginCreditReceiver
    function valueOf(uint32 srcEid, bytes32 asset, uint128 rawAmount) external view returns (uint256, bool) {
        return _value(_assetKey(srcEid, asset), rawAmount);
    }

    /// @inheritdoc IMarginCreditReceiver
    function withdrawalStatus(bytes32 guid) external view returns (uint8) {
        return uint8(_withdrawals[guid] & STATUS_MASK);
    }

    // ------------------------------------------------------------------------------------------------ apply

    /// @dev The message starting at `off` and its type: its length follows from its type byte.
    function _nextMessage(bytes calldata messages, uint256 off, uint256 i)
        private
        pure
        returns (bytes calldata m, uint8 messageType)
    {
        uint256 remaining = messages.length - off;
        if (remaining < 2) revert TruncatedMessage(i, remaining);
        assembly ("memory-safe") {
            messageType := byte(0, calldataload(add(add(messages.offset, off), 1)))
        }
        uint256 mlen;
        if (messageType == TYPE_CREDIT) mlen = CreditMessage.LENGTH;
        else if (messageType == TYPE_VOID) mlen = VoidMessage.LENGTH;
        else if (messageType == TYPE_RELEASE_RESULT) mlen = ReleaseResultMessage.LENGTH;
        else revert InvalidMessage(i, CreditMessage.UnsupportedMessageType.selector);
        if (remaining < mlen) revert TruncatedMessage(i, remaining);
        assembly ("memory-safe") {
            m.offset := add(messages.offset, off)
            m.length := mlen
        }
    }

    /// @dev Strict check of message `i` by its type (a CREDIT's length follows from its type, so only its version is
    ///      left to check); returns the (srcEid, vault, nonce) of its packet header.
    function _header(uint256 i, bytes calldata m, uint8 messageType)
        private
        pure
        returns (uint32 srcEid, bytes32 vault, uint64 nonce)
    {
        if (messageType == TYPE_CREDIT) {
            uint256 version;
            assembly ("memory-safe") {
                version := byte(0, calldataload(m.offset))
            }
            if (version != CreditMessage.VERSION) revert InvalidMessage(i, CreditMessage.UnsupportedVersion.selector);
            return (CreditMessage.srcEid(m), CreditMessage.srcVault(m), CreditMessage.depositNonce(m));
        }
        bytes4 err;
        if (messageType == TYPE_VOID) {
            err = VoidMessage.check(m);
            (srcEid, vault, nonce) = (VoidMessage.srcEid(m), VoidMessage.srcVault(m), VoidMessage.depositNonce(m));
        } else {
            err = ReleaseResultMessage.check(m);
            (srcEid, vault, nonce) =
                (ReleaseResultMessage.srcEid(m), ReleaseResultMessage.srcVault(m), ReleaseResultMessage.resultNonce(m));
        }
        if (err != 0) revert InvalidMessage(i, err);
    }

    /// @dev The message's path must be the registered pathway and its nonce the next one on it.
    function _advancePath(Cursor memory c, uint256 i, uint32 srcEid, bytes32 vault, uint64 nonce) private {
        // pathNonce is 0 only before the first message (nonces start at 1): the first path is always checked, even
        // one that equals the cursor's zero start (srcEid 0, vault 0).
        if (srcEid != c.pathEid || vault != c.pathVault || c.pathNonce == 0) {
            if (c.pathNonce != 0) _flushPath(c);
            if (vaultOf[srcEid] != vault || vault == bytes32(0)) revert UnknownPathway(i, srcEid, vault);
            uint256 word = _paths[srcEid][vault];
            (c.pathEid, c.pathVault, c.pathNonce, c.pathWord) = (srcEid, vault, uint64(word), word);
            (c.pathAvailable, c.pathSpent) = (_refilled(word), 0);
        }
        uint64 expected = c.pathNonce + 1;
        if (nonce != expected) revert UnexpectedNonce(i, expected, nonce);
        c.pathNonce = nonce;
    }

    /// @dev Writes the current path's slot back: its nonce and, when it has a rate limit, the tokens left.
    function _flushPath(Cursor memory c) private {
        uint256 word = c.pathWord;
        word = (word & ~uint256(type(uint64).max)) | c.pathNonce;
        if ((word >> 176) & type(uint40).max != 0) word = _withTokens(word, c.pathAvailable - c.pathSpent);
        _paths[c.pathEid][c.pathVault] = word;
    }

    /// @dev The path's rate-limit tokens (micro-USD) refilled to now, capped at its capacity; type(uint256).max when
    ///      it has no limit.
    function _refilled(uint256 word) private view returns (uint256) {
        uint256 capacity = ((word >> 176) & type(uint40).max) * 1e6;
        if (capacity == 0) return type(uint256).max;
        uint256 elapsed = block.timestamp - ((word >> 144) & type(uint32).max);
        uint256 tokens = ((word >> 64) & type(uint80).max) + elapsed * ((word >> 216) * 1e6);
        return tokens < capacity ? tokens : capacity;
    }

    /// @dev `word` with `tokens` (≤ capacity < 2^80) stamped now.
    function _withTokens(uint256 word, uint256 tokens) private view returns (uint256) {
        uint256 mask = (uint256(type(uint112).max)) << 64; // tokens [64,144) and time [144,176)
        return (word & ~mask) | (tokens << 64) | (uint256(uint32(block.timestamp)) << 144);
    }

    /// @dev Ends the current credit run and starts one of asset `key`: reads its registration and book.
    function _startRun(Cursor memory c, bytes32 key) private {
        _flushRun(c);
        uint256 info;
        uint256 bookSlot;
        uint256 bookWord;
        assembly ("memory-safe") {
            mstore(0x00, key)
            mstore(0x20, _assets.slot)
            info := sload(keccak256(0x00, 0x40))
            mstore(0x20, _books.slot)
            bookSlot := keccak256(0x00, 0x40)
            bookWord := sload(bookSlot)
        }
        (c.runKey, c.runInfo, c.runBookSlot, c.runBookWord) = (key, info, bookSlot, bookWord);
    }

    /// @dev Writes the current credit run's book back, if any.
    function _flushRun(Cursor memory c) private {
        if (c.runKey == bytes32(0)) return;
        uint256 slot = c.runBookSlot;
        uint256 word = c.runBookWord;
        assembly ("memory-safe") {
            sstore(slot, word)
        }
        c.runKey = bytes32(0);
    }

    /// @dev CREDIT: the asset must be registered with the message's decimals and stay within its cap; adds the raw
    ///      amount to the position and the book, emits Credited. The hot path, so in assembly over the documented
    ///      layouts (AssetInfo: cap [0,128) srcEid [128,160) heartbeat [160,192) decimals [192,200) registered
    ///      [200,208); Book and Position: credited [0,128) frozen [128,256)): the asset and its book are read once
    ///      per run of credits of that asset (the book written back at the run's end), the position read and written.
    function _credit(Cursor memory c, uint256 i, bytes32 guid, bytes calldata m, uint32 srcEid) private {
        bytes32 asset = CreditMessage.asset(m);
        bytes32 key = _assetKey(srcEid, asset);
        if (key != c.runKey) _startRun(c, key);
        uint256 info_ = c.runInfo;
        if ((info_ >> 200) & 0xff == 0) revert UnknownAsset(i, srcEid, asset);
        if (uint8(info_ >> 192) != CreditMessage.assetDecimals(m)) {
            revert DecimalsMismatch(i, uint8(info_ >> 192), CreditMessage.assetDecimals(m));
        }
        uint256 raw = CreditMessage.rawAmount(m);
        uint256 word = c.runBookWord;
        {
            uint256 total = (word & type(uint128).max) + (word >> 128) + raw; // < 2^130
            if (total > info_ & type(uint128).max) revert CapExceeded(i, total, uint128(info_));
        }
        // credited + raw ≤ total ≤ cap < 2^128; a position's credited ≤ its book's credited, so neither carries.
        c.runBookWord = word + raw;
        if (c.pathAvailable != type(uint256).max) {
            // The rate limit counts the attested value (haircutValue, USD 18 decimals) in micro-USD, rounded up.
            uint256 spent = c.pathSpent + (uint256(CreditMessage.haircutValue(m)) + 1e12 - 1) / 1e12;
            if (spent > c.pathAvailable) revert RateLimited(i, srcEid, spent, c.pathAvailable);
            c.pathSpent = spent;
        }
        bytes32 account = CreditMessage.account(m);
        assembly ("memory-safe") {
            mstore(0x00, account)
            mstore(0x20, key)
            mstore(0x00, keccak256(0x00, 0x40))
            mstore(0x20, _positions.slot)
            let positionSlot := keccak256(0x00, 0x40)
            sstore(positionSlot, add(sload(positionSlot), raw))
            mstore(0x00, key)
            mstore(0x20, raw)
            // topic 0: keccak256("Credited(bytes32,bytes32,bytes32,uint256)")
            log3(0x00, 0x40, 0x534554d5b4a56b9adf5943d6ded588db7879abe8ec2b76938dec6a1697eb7a41, guid, account)
        }
    }

    /// @dev VOID: credits nothing; when something was locked, requests its refund to the depositor from the vault
    ///      that holds it (WithdrawalRequested, then Voided naming the refund's GUID); the refund is frozen in the
    ///      asset's book until settled.
    function _void(bytes32 guid, bytes calldata m, uint32 srcEid, bytes32 vault, uint64 nonce) private {
        uint128 raw = VoidMessage.rawAmount(m);
        bytes32 refundGuid;
        if (raw != 0) {
            bytes32 asset = VoidMessage.asset(m);
            _books[_assetKey(srcEid, asset)].frozen += raw;
            (refundGuid,) = _recordWithdrawal(
                VoidMessage.account(m), srcEid, vault, asset, raw, VoidMessage.refundTo(m), nonce,
                WithdrawalStatus.REFUND_PENDING
            );
        }
        emit Voided(
            guid,
            VoidMessage.account(m),
            srcEid,
            VoidMessage.asset(m),
            raw,
            VoidMessage.refundTo(m),
            nonce,
            VoidMessage.reason(m),
            refundGuid
        );
    }

    /// @dev RELEASE_RESULT: the withdrawal must be pending, on this path, and echoed exactly (its hash). A withdrawal
    ///      finishes (frozen removed) or unfreezes (frozen back to credited); a refund is REFUNDED (frozen removed) or
    ///      REFUND_FAILED (stays frozen: the vault still holds what it owes the depositor).
    function _settle(uint256 i, bytes32 resultGuid, bytes calldata m, uint32 srcEid, bytes32 vault) private {
        bytes32 withdrawalGuid = ReleaseResultMessage.withdrawalGuid(m);
        uint256 record = _withdrawals[withdrawalGuid];
        WithdrawalStatus status = WithdrawalStatus(record & STATUS_MASK);
        if (status != WithdrawalStatus.PENDING && status != WithdrawalStatus.REFUND_PENDING) {
            revert WithdrawalNotPending(i, withdrawalGuid);
        }
        bytes32 account = ReleaseResultMessage.account(m);
        bytes32 asset = ReleaseResultMessage.asset(m);
        uint128 raw = ReleaseResultMessage.rawAmount(m);
        uint256 commitment =
            _commitment(srcEid, vault, ReleaseResultMessage.withdrawalNonce(m), account, asset, raw);
        if (record & ~STATUS_MASK != commitment) revert ResultMismatch(i);
        bool released = ReleaseResultMessage.status(m) == ReleaseResultMessage.STATUS_RELEASED;
        bytes32 key = _assetKey(srcEid, asset);
        Book storage b = _books[key];
        if (status == WithdrawalStatus.REFUND_PENDING) {
            status = released ? WithdrawalStatus.REFUNDED : WithdrawalStatus.REFUND_FAILED;
            if (released) b.frozen -= raw;
        } else {
            status = released ? WithdrawalStatus.FINISHED : WithdrawalStatus.UNFROZEN;
            Position storage p = _positions[_positionKey(account, key)];
            p.frozen -= raw;
            b.frozen -= raw;
            if (!released) {
                p.credited += raw;
                b.credited += raw;
            }
        }
        _withdrawals[withdrawalGuid] = commitment | uint256(status);
        emit WithdrawalSettled(withdrawalGuid, resultGuid, uint8(status));
    }

    /// @dev REVALUATION: range checks, then the asset's mark must be registered, not newer, with a lower nonce.
    function _mark(uint256 i, bytes calldata m) private {
        bytes4 err = MarkMessage.check(m);
        if (err != 0) revert InvalidMessage(i, err);
        uint128 price = MarkMessage.price(m);
        uint64 haircut = MarkMessage.haircut(m);
        uint64 nonce = MarkMessage.markNonce(m);
        uint64 priceTime = MarkMessage.priceTimestamp(m);
        if (price > type(uint112).max) revert InvalidMark(i, 1);
        if (haircut > ONE) revert InvalidMark(i, 2);
        if (nonce > type(uint32).max) revert InvalidMark(i, 3);
        if (priceTime > block.timestamp + MAX_FUTURE_SKEW) revert InvalidMark(i, 4);
        uint32 srcEid = MarkMessage.srcEid(m);
        bytes32 asset = MarkMessage.asset(m);
        bytes32 key = _assetKey(srcEid, asset);
        // Mark layout: price [0,112) haircut [112,176) priceTime [176,216) nonce [216,248) registered [248,256).
        uint256 slot;
        uint256 cur;
        assembly ("memory-safe") {
            mstore(0x00, key)
            mstore(0x20, _marks.slot)
            slot := keccak256(0x00, 0x40)
            cur := sload(slot)
        }
        if (cur >> 248 == 0) revert UnknownAsset(i, srcEid, asset);
        if (priceTime < (cur >> 176) & type(uint40).max) revert InvalidMark(i, 5);
        if (nonce <= (cur >> 216) & type(uint32).max) revert InvalidMark(i, 6);
        assembly ("memory-safe") {
            let word := or(or(price, shl(112, haircut)), or(or(shl(176, priceTime), shl(216, nonce)), shl(248, 1)))
            sstore(slot, word)
            mstore(0x00, word)
            // topic 0: keccak256("Marked(bytes32,uint256)")
            log2(0x00, 0x20, 0x845d6e17f8c6cac3aa9ce97c4dc5d00b9032e44b79ed6274785995ba333d1916, key)
        }
    }

    /// @dev Takes the next outbound nonce on the path to (vaultEid, vault), stores the withdrawal's hash and status
    ///      under the WITHDRAWAL packet's GUID and emits WithdrawalRequested.
    function _recordWithdrawal(
        bytes32 account,
        uint32 vaultEid,
        bytes32 vault,
        bytes32 asset,
        uint128 raw,
        bytes32 recipient,
        uint64 voidedNonce,
        WithdrawalStatus status
    ) private returns (bytes32 guid, uint64 nonce) {
        nonce = ++outboundNonce[vaultEid][vault];
        guid = _outboundGuid(nonce, vaultEid, vault);
        _withdrawals[guid] = _commitment(vaultEid, vault, nonce, account, asset, raw) | uint256(status);
        emit WithdrawalRequested(guid, account, vaultEid, vault, nonce, asset, raw, recipient, voidedNonce);
    }

    /// @dev Asks the guard, if any: it must return exactly `true`; false, a revert or malformed return data refuse.
    function _checkGuard(bytes32 account, uint32 srcEid, bytes32 asset, uint128 amount) private view {
        address guard = withdrawalGuard;
        if (guard == address(0)) return;
        (bool ok, bytes memory ret) =
            guard.staticcall(abi.encodeCall(IWithdrawalGuard.check, (account, srcEid, asset, amount)));
        if (!ok || ret.length != 32 || abi.decode(ret, (uint256)) != 1) revert WithdrawalRefused(guard);
    }

    // ------------------------------------------------------------------------------------------------ value

    /// @dev floor(tiers(floor(raw · price / 10^decimals)) · (1 − haircut)) at the asset's mark, and whether that mark
    ///      is missing or older than the heartbeat. Same maths as the risk package collateralValue, rounded the same way.
    function _value(bytes32 key, uint128 raw) private view returns (uint256 value, bool stale) {
        Mark memory mk = _marks[key];
        AssetInfo storage a = _assets[key];
        stale = mk.timestamp == 0 || block.timestamp > uint256(mk.timestamp) + a.heartbeat;
        if (raw == 0 || mk.price == 0) return (0, stale);
        uint256 gross = uint256(raw) * mk.price / (10 ** uint256(a.decimals));
        SizeTier[] storage tiers = _tiers[key];
        uint256 n = tiers.length;
        // Without tiers: floor(gross · 1e18 · (1e18 − h) / 1e36) = floor(gross · (1e18 − h) / 1e18), without the
        // overflow of gross · 1e18 for amounts far above any cap (valueOf takes any amount).
        if (n == 0) return (Math.mulDiv(gross, ONE - mk.haircut, ONE), stale);
        uint256 scaled;
        uint256 from;
        for (uint256 t; t < n; ++t) {
            if (gross <= from) break;
            SizeTier memory tier = tiers[t];
            uint256 to = tier.upTo == type(uint128).max || tier.upTo > gross ? gross : tier.upTo;
            scaled += (to - from) * tier.weight;
            from = to;
        }
        value = Math.mulDiv(scaled, ONE - mk.haircut, ONE_SQUARED);
    }

    // ------------------------------------------------------------------------------------------------ keys

    function _registered(bytes32 key, uint32 srcEid, bytes32 asset) private view returns (AssetInfo storage a) {
        a = _assets[key];
        if (!a.registered) revert UnknownAsset(type(uint256).max, srcEid, asset);
    }

    function _checkCap(uint128 cap, uint8 decimals) private pure {
        uint256 max = CAP_FACTOR * 10 ** uint256(decimals);
        if (cap > max) revert CapTooLarge(cap, max);
    }

    /// @dev keccak256(abi.encode(srcEid, asset)).
    function _assetKey(uint32 srcEid, bytes32 asset) private pure returns (bytes32 key) {
        assembly ("memory-safe") {
            mstore(0x00, srcEid)
            mstore(0x20, asset)
            key := keccak256(0x00, 0x40)
        }
    }

    /// @dev keccak256(abi.encode(account, assetKey)).
    function _positionKey(bytes32 account, bytes32 key) private pure returns (bytes32 pk) {
        assembly ("memory-safe") {
            mstore(0x00, account)
            mstore(0x20, key)
            pk := keccak256(0x00, 0x40)
        }
    }

    /// @dev The withdrawal's hash with its low byte cleared (the status goes there).
    function _commitment(uint32 vaultEid, bytes32 vault, uint64 nonce, bytes32 account, bytes32 asset, uint128 raw)
        private
        pure
        returns (uint256)
    {
        return uint256(keccak256(abi.encode(vaultEid, vault, nonce, account, asset, raw))) & ~STATUS_MASK;
    }

    /// @dev GUID of the inbound packet (nonce, srcEid, vault → localEid, this).
    function _guid(uint64 nonce, uint32 srcEid, bytes32 vault) private view returns (bytes32) {
        return _packetGuid(nonce, srcEid, vault, localEid, self32);
    }

    /// @dev GUID of the outbound WITHDRAWAL packet (nonce, localEid, this → vaultEid, vault).
    function _outboundGuid(uint64 nonce, uint32 vaultEid, bytes32 vault) private view returns (bytes32) {
        return _packetGuid(nonce, localEid, self32, vaultEid, vault);
    }

    /// @dev LayerZero's GUID: keccak256(nonce ‖ srcEid ‖ sender ‖ dstEid ‖ receiver), 80 bytes packed (the same as
    ///      PacketV1.computeGuid, without the abi.encodePacked copy).
    function _packetGuid(uint64 nonce, uint32 srcEid, bytes32 sender, uint32 dstEid, bytes32 receiver)
        private
        pure
        returns (bytes32 g)
    {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, shl(192, nonce))
            mstore(add(ptr, 8), shl(224, srcEid))
            mstore(add(ptr, 12), sender)
            mstore(add(ptr, 44), shl(224, dstEid))
            mstore(add(ptr, 48), receiver)
            g := keccak256(ptr, 80)
        }
    }

    /// @dev LayerZero payloadHash = keccak256(guid ‖ message).
    function _payloadHash(bytes32 guid, bytes calldata m) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, guid)
            calldatacopy(add(ptr, 0x20), m.offset, m.length)
            h := keccak256(ptr, add(0x20, m.length))
        }
    }
}
