// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ICollateralVault} from "./interfaces/ICollateralVault.sol";
import {PacketV1} from "./libraries/PacketV1.sol";

/// @title CollateralVault
/// @notice Holds allow-listed ERC-20 collateral on a source chain. Each lock gets the next nonce on the path
///         (this vault, dstEid, receiver) and the LayerZero GUID of the packet that will credit it, emitted in
///         `Locked` so the deposit is known by its GUID from the first moment. Native assets go through their
///         wrapped token.
/// @dev Nonces are kept per (dstEid, receiver), which is the LayerZero path: re-pointing the vault to a new
///      receiver starts that receiver's sequence at 1, matching its lastNonce of 0.
contract CollateralVault is ICollateralVault, Ownable2Step, Pausable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @dev Allow-list entry; totalLocked never exceeds cap ≤ type(uint128).max.
    struct Asset {
        bool allowed;
        uint128 cap;
        uint128 totalLocked;
    }

    /// @inheritdoc ICollateralVault
    uint32 public immutable localEid;
    /// @inheritdoc ICollateralVault
    uint32 public dstEid;
    /// @inheritdoc ICollateralVault
    bytes32 public receiver;
    /// @inheritdoc ICollateralVault
    mapping(address token => Asset) public assets;
    /// @inheritdoc ICollateralVault
    mapping(uint32 dstEid => mapping(bytes32 receiver => uint64)) public outboundNonce;

    /// @dev Reserved for the release (withdraw) path of a later version: frozen amounts keyed by withdraw
    ///      nonce and per-asset released totals go here, so the layout above stays put.
    uint256[48] private __gap;

    /// @param owner_ Initial owner.
    /// @param localEid_ This chain's LayerZero endpoint id.
    constructor(address owner_, uint32 localEid_) Ownable(owner_) {
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
        guid = PacketV1.computeGuid(nonce, localEid, bytes32(uint256(uint160(address(this)))), dst, rcv);
        emit Locked(dst, nonce, guid, msg.sender, account, token, received);
    }

    /// @dev Pulls `amount` of an allow-listed `token`, returns what arrived, enforces the cap on it.
    function _pull(address token, uint256 amount) private returns (uint256 received) {
        Asset storage a = assets[token];
        if (!a.allowed) revert AssetNotAllowed(token);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        received = IERC20(token).balanceOf(address(this)) - before;
        if (received == 0) revert ZeroAmount();
        uint256 totalAfter = uint256(a.totalLocked) + received;
        if (totalAfter > a.cap) revert CapExceeded(token, totalAfter, a.cap);
        // cap ≤ type(uint128).max, so totalAfter fits.
        a.totalLocked = uint128(totalAfter);
    }

    /// @inheritdoc ICollateralVault
    function setAsset(address token, bool allowed, uint128 cap) external onlyOwner {
        if (token == address(0)) revert AssetNotAllowed(token);
        Asset storage a = assets[token];
        a.allowed = allowed;
        a.cap = cap;
        emit AssetSet(token, allowed, cap);
    }

    /// @inheritdoc ICollateralVault
    function setDestination(uint32 dstEid_, bytes32 receiver_) external onlyOwner {
        if (dstEid_ == 0 || receiver_ == bytes32(0)) revert InvalidDestination();
        dstEid = dstEid_;
        receiver = receiver_;
        emit DestinationSet(dstEid_, receiver_);
    }

    /// @inheritdoc ICollateralVault
    function pause() external onlyOwner {
        _pause();
    }

    /// @inheritdoc ICollateralVault
    function unpause() external onlyOwner {
        _unpause();
    }
}
