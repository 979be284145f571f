// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ICollateralVault} from "./interfaces/ICollateralVault.sol";
import {AttesterSet} from "./base/AttesterSet.sol";
import {Guarded} from "./base/Guarded.sol";
import {Attestation} from "./libraries/Attestation.sol";
import {PacketV1} from "./libraries/PacketV1.sol";
import {WithdrawalMessage} from "./libraries/WithdrawalMessage.sol";

/// @title CollateralVault
/// @notice Holds allow-listed ERC-20 collateral on a source chain. Each lock gets the next nonce on the path
///         (this vault, dstEid, receiver) and the LayerZero GUID of the packet that will credit it, emitted in
///         `Locked` so the deposit is known by its GUID from the first moment. Native assets go through their
///         wrapped token. `submitReleases` pays out WITHDRAWAL packets of the configured receiver, attested by the
///         vault's own attester set (docs/two-way-book.md), and answers each with a `ReleaseResult` on the same
///         outbound nonce sequence as the locks.
/// @dev Nonces are kept per (dstEid, receiver), which is the LayerZero path: re-pointing the vault to a new
///      receiver starts that receiver's sequence at 1, matching its lastNonce of 0. The owner is meant to be a
///      TimelockController (README.md, "Trust model"); the guardian pauses at once (Guarded).
contract CollateralVault is ICollateralVault, AttesterSet, Pausable, Guarded, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @dev Allow-list entry, two slots: (allowed, cap) and (totalLocked, minLock), so the minimum costs `lock` no
    ///      extra slot; totalLocked never exceeds cap ≤ type(uint128).max.
    struct Asset {
        bool allowed;
        uint128 cap;
        uint128 totalLocked;
        uint128 minLock;
    }

    /// @dev The fields of a ReleaseResult event.
    struct Result {
        bytes32 guid;
        uint32 dstEid;
        bytes32 receiver;
        uint64 nonce;
        bytes32 withdrawalGuid;
        uint64 withdrawalNonce;
        uint8 status;
        bytes32 account;
        bytes32 asset;
        uint128 rawAmount;
    }

    uint8 private constant STATUS_RELEASED = 1;
    uint8 private constant STATUS_FAILED = 2;
    uint8 private constant FAIL_NOT_EVM_ADDRESS = 1;
    uint8 private constant FAIL_ABOVE_LOCKED = 2;
    uint8 private constant FAIL_TRANSFER = 3;

    /// @inheritdoc ICollateralVault
    uint32 public immutable localEid;
    /// @inheritdoc ICollateralVault
    uint32 public dstEid;
    /// @inheritdoc ICollateralVault
    bytes32 public receiver;
    mapping(address token => Asset) private _assets;
    /// @inheritdoc ICollateralVault
    mapping(uint32 dstEid => mapping(bytes32 receiver => uint64)) public outboundNonce;
    /// @inheritdoc ICollateralVault
    mapping(uint32 srcEid => mapping(bytes32 sender => uint64)) public inboundNonce;
    /// @inheritdoc ICollateralVault
    mapping(bytes32 withdrawalGuid => uint8) public releaseStatus;

    /// @dev Reserved for later versions (48 slots before the release path took two), so the layout above stays
    ///      put. The attester set lives in the AttesterSet base, laid out before these (and `dstEid` shares the slot
    ///      of its threshold and Pausable's `_paused`); the guardian and the reentrancy status in namespaced slots.
    uint256[46] private __gap;

    /// @param owner_ Initial owner.
    /// @param localEid_ This chain's LayerZero endpoint id.
    /// @param attesters Initial release attesters (distinct, non-zero); may be empty (no release until configured).
    /// @param threshold_ Initial threshold, 1 ≤ threshold_ ≤ attesters.length, or 0 with no attesters.
    constructor(address owner_, uint32 localEid_, address[] memory attesters, uint256 threshold_)
        Ownable(owner_)
        AttesterSet(Attestation.VAULT_NAME_HASH, Attestation.VAULT_VERSION_HASH, attesters, threshold_)
    {
        if (localEid_ == 0) revert InvalidDestination();
        localEid = localEid_;
    }

    /// @inheritdoc ICollateralVault
    function lock(address token, uint256 amount, bytes32 account)
        external
        whenNotPaused
        nonReentrant
        returns (bytes32 guid, uint64 nonce, uint256 received)
    {
        if (amount == 0) revert ZeroAmount();
        if (account == bytes32(0)) revert ZeroAccount();
        (uint32 dst, bytes32 rcv) = (dstEid, receiver);
        if (dst == 0) revert DestinationNotSet();
        received = _pull(token, amount);
        nonce = ++outboundNonce[dst][rcv];
        guid = PacketV1.computeGuid(nonce, localEid, _self(), dst, rcv);
        emit Locked(dst, nonce, guid, msg.sender, account, token, received);
    }

    /// @inheritdoc ICollateralVault
    function submitReleases(bytes[] calldata packets, uint64 validUntil, bytes[] calldata signatures)
        external
        whenNotPaused
        nonReentrant
    {
        _requireNotExpired(validUntil);
        uint256 n = packets.length;
        if (n == 0) revert EmptyBatch();
        (uint32 peerEid, bytes32 peer) = (dstEid, receiver);
        if (peerEid == 0) revert DestinationNotSet();
        uint64 last = inboundNonce[peerEid][peer];
        bytes32[] memory packetHashes = new bytes32[](n);
        for (uint256 i; i < n; ++i) {
            packetHashes[i] = _checkRelease(i, packets[i], peerEid, peer, ++last);
        }
        _verifySignatures(_batchDigest(packetHashes, validUntil), signatures);
        inboundNonce[peerEid][peer] = last;
        for (uint256 i; i < n; ++i) {
            _release(packets[i], peerEid, peer);
        }
    }

    /// @dev Pulls `amount` of an allow-listed `token`, returns what arrived, enforces the minimum and the cap on it.
    function _pull(address token, uint256 amount) private returns (uint256 received) {
        Asset storage a = _assets[token];
        if (!a.allowed) revert AssetNotAllowed(token);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        received = IERC20(token).balanceOf(address(this)) - before;
        if (received == 0) revert ZeroAmount();
        uint128 minimum = a.minLock;
        if (received < minimum) revert BelowMinimumLock(token, received, minimum);
        uint256 totalAfter = uint256(a.totalLocked) + received;
        if (totalAfter > a.cap) revert CapExceeded(token, totalAfter, a.cap);
        // cap ≤ type(uint128).max, so totalAfter fits.
        a.totalLocked = uint128(totalAfter);
    }

    /// @dev Checks packet `i` (a WITHDRAWAL of the peer receiver at `expectedNonce`), returns hashStruct(Packet).
    function _checkRelease(uint256 i, bytes calldata p, uint32 peerEid, bytes32 peer, uint64 expectedNonce)
        private
        view
        returns (bytes32)
    {
        if (p.length < PacketV1.MESSAGE_OFFSET) revert InvalidPacketLength(i, p.length);
        if (PacketV1.version(p) != PacketV1.PACKET_VERSION) revert UnsupportedPacketVersion(i, PacketV1.version(p));
        if (PacketV1.dstEid(p) != localEid) revert WrongDstEid(i, PacketV1.dstEid(p));
        if (PacketV1.receiver(p) != _self()) revert WrongReceiver(i, PacketV1.receiver(p));
        if (PacketV1.srcEid(p) != peerEid || PacketV1.sender(p) != peer) {
            revert UnknownSender(i, PacketV1.srcEid(p), PacketV1.sender(p));
        }
        uint64 nonce = PacketV1.nonce(p);
        bytes32 guid = PacketV1.guid(p);
        {
            bytes32 expected = PacketV1.computeGuid(nonce, peerEid, peer, localEid, _self());
            if (guid != expected) revert GuidMismatch(i, expected, guid);
        }
        bytes calldata m = PacketV1.message(p);
        bytes4 err = WithdrawalMessage.check(m);
        if (err != 0) revert InvalidMessage(i, err);
        if (
            WithdrawalMessage.vaultEid(m) != localEid || WithdrawalMessage.vault(m) != _self()
                || WithdrawalMessage.withdrawalNonce(m) != nonce
        ) revert MessageHeaderMismatch(i);
        if (nonce != expectedNonce) revert UnexpectedNonce(i, expectedNonce, nonce);
        return Attestation.packetHash(guid, PacketV1.payloadHash(p));
    }

    /// @dev Pays out one checked WITHDRAWAL (or records its failure) and emits ReleaseResult on the next outbound
    ///      nonce back to the receiver.
    function _release(bytes calldata p, uint32 peerEid, bytes32 peer) private {
        bytes calldata m = PacketV1.message(p);
        bytes32 withdrawalGuid = PacketV1.guid(p);
        uint128 amount = WithdrawalMessage.rawAmount(m);
        uint8 status = _payout(withdrawalGuid, WithdrawalMessage.recipient(m), WithdrawalMessage.asset(m), amount)
            ? STATUS_RELEASED
            : STATUS_FAILED;
        releaseStatus[withdrawalGuid] = status;
        uint64 nonce = ++outboundNonce[peerEid][peer];
        _emitReleaseResult(
            Result({
                guid: PacketV1.computeGuid(nonce, localEid, _self(), peerEid, peer),
                dstEid: peerEid,
                receiver: peer,
                nonce: nonce,
                withdrawalGuid: withdrawalGuid,
                withdrawalNonce: PacketV1.nonce(p),
                status: status,
                account: WithdrawalMessage.account(m),
                asset: WithdrawalMessage.asset(m),
                rawAmount: amount
            })
        );
    }

    /// @dev Emits ReleaseResult from a memory copy of its fields (ten of them do not fit the stack at once).
    function _emitReleaseResult(Result memory r) private {
        emit ReleaseResult(
            r.guid, r.dstEid, r.receiver, r.nonce, r.withdrawalGuid, r.withdrawalNonce, r.status, r.account, r.asset,
            r.rawAmount
        );
    }

    /// @dev Transfers `amount` of `asset` to `recipient` without ever reverting: both must be canonical EVM
    ///      addresses and `amount` ≤ the asset's totalLocked; emits Released or ReleaseFailed.
    function _payout(bytes32 withdrawalGuid, bytes32 recipient, bytes32 asset, uint128 amount)
        private
        returns (bool)
    {
        if (uint256(recipient) >> 160 != 0 || uint256(asset) >> 160 != 0) {
            emit ReleaseFailed(withdrawalGuid, recipient, asset, amount, FAIL_NOT_EVM_ADDRESS);
            return false;
        }
        address token = address(uint160(uint256(asset)));
        Asset storage a = _assets[token];
        uint128 locked = a.totalLocked;
        if (amount > locked) {
            emit ReleaseFailed(withdrawalGuid, recipient, asset, amount, FAIL_ABOVE_LOCKED);
            return false;
        }
        address to = address(uint160(uint256(recipient)));
        if (!IERC20(token).trySafeTransfer(to, amount)) {
            emit ReleaseFailed(withdrawalGuid, recipient, asset, amount, FAIL_TRANSFER);
            return false;
        }
        a.totalLocked = locked - amount;
        emit Released(withdrawalGuid, to, token, amount);
        return true;
    }

    /// @dev This vault as bytes32 (left-padded address).
    function _self() private view returns (bytes32) {
        return bytes32(uint256(uint160(address(this))));
    }

    /// @inheritdoc ICollateralVault
    function setAsset(address token, bool allowed, uint128 cap) external onlyOwner {
        if (token == address(0)) revert AssetNotAllowed(token);
        Asset storage a = _assets[token];
        a.allowed = allowed;
        a.cap = cap;
        emit AssetSet(token, allowed, cap);
    }

    /// @inheritdoc ICollateralVault
    function setMinLock(address token, uint128 minAmount) external onlyOwner {
        if (token == address(0)) revert AssetNotAllowed(token);
        _assets[token].minLock = minAmount;
        emit MinLockSet(token, minAmount);
    }

    /// @inheritdoc ICollateralVault
    function setDestination(uint32 dstEid_, bytes32 receiver_) external onlyOwner {
        if (dstEid_ == 0 || receiver_ == bytes32(0)) revert InvalidDestination();
        dstEid = dstEid_;
        receiver = receiver_;
        emit DestinationSet(dstEid_, receiver_);
    }

    /// @inheritdoc ICollateralVault
    function pause() external onlyGuardian {
        _pause();
    }

    /// @inheritdoc ICollateralVault
    function unpause() external onlyOwner {
        _unpause();
    }

    /// @inheritdoc Guarded
    function renounceOwnership() public override(Ownable, Guarded) {
        super.renounceOwnership();
    }

    // ------------------------------------------------------------------------------------------------ reads

    /// @inheritdoc ICollateralVault
    function assets(address token) external view returns (bool allowed, uint128 cap, uint128 totalLocked) {
        Asset storage a = _assets[token];
        return (a.allowed, a.cap, a.totalLocked);
    }

    /// @inheritdoc ICollateralVault
    function minLock(address token) external view returns (uint128) {
        return _assets[token].minLock;
    }
}
