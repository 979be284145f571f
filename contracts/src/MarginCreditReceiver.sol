// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IMarginCreditReceiver} from "./interfaces/IMarginCreditReceiver.sol";
import {IWithdrawalGuard} from "./interfaces/IWithdrawalGuard.sol";
import {AttesterSet} from "./base/AttesterSet.sol";
import {Attestation} from "./libraries/Attestation.sol";
import {CreditMessage} from "./libraries/CreditMessage.sol";
import {PacketV1} from "./libraries/PacketV1.sol";
import {ReleaseResultMessage} from "./libraries/ReleaseResultMessage.sol";
import {VoidMessage} from "./libraries/VoidMessage.sol";

/// @title MarginCreditReceiver
/// @notice The derivatives-chain end of the two-way book (docs/two-way-book.md). `submit` applies LayerZero PacketV1
///         packets attested by a threshold of attesters with one EIP-712 signature each over the whole batch and its
///         validUntil: CREDIT adds margin, VOID skips a deposit nonce and requests its refund, RELEASE_RESULT settles
///         a withdrawal. `requestWithdrawal` freezes credit and emits the WITHDRAWAL a vault pays out.
/// @dev Atomic batches: every packet is checked and applied in order, then the signatures are checked over the
///      PacketBatch digest of all packets; any failure reverts the whole transaction, so nothing is half-applied
///      and a batch can carry consecutive nonces of one path. The relayer simulates before sending, so a revert
///      costs it nothing but a dry run; the error names the offending packet or signature index.
contract MarginCreditReceiver is IMarginCreditReceiver, AttesterSet, Pausable {
    /// @dev Per (account, srcEid, asset) totals, one slot. Each message carries uint128 amounts; the sums are
    ///      bounded by the source vaults' caps (≤ uint128 max) and by realistic USD values.
    struct Credit {
        uint128 rawAmount;
        uint128 haircutValue;
    }

    /// @dev A withdrawal or refund, six slots (the `withdrawals` getter returns the fields in the spec's order).
    struct Withdrawal {
        bytes32 account;
        bytes32 vault;
        bytes32 asset;
        bytes32 recipient;
        uint128 rawAmount;
        uint128 haircutValue;
        uint32 vaultEid;
        uint64 nonce;
        uint64 voidedNonce;
        WithdrawalStatus status;
    }

    uint8 private constant TYPE_CREDIT = 1;
    uint8 private constant TYPE_RELEASE_RESULT = 4;
    uint8 private constant TYPE_VOID = 5;

    /// @inheritdoc IMarginCreditReceiver
    uint32 public immutable localEid;

    /// @inheritdoc IMarginCreditReceiver
    mapping(uint32 srcEid => mapping(bytes32 srcVault => uint64)) public lastNonce;
    /// @inheritdoc IMarginCreditReceiver
    mapping(bytes32 guid => bool) public guidUsed;
    /// @inheritdoc IMarginCreditReceiver
    mapping(bytes32 account => mapping(uint32 srcEid => mapping(bytes32 asset => Credit))) public credits;
    /// @inheritdoc IMarginCreditReceiver
    mapping(bytes32 account => uint256) public totalHaircutValue;
    /// @inheritdoc IMarginCreditReceiver
    mapping(bytes32 account => mapping(uint32 srcEid => mapping(bytes32 asset => Credit))) public frozen;
    /// @inheritdoc IMarginCreditReceiver
    mapping(uint32 vaultEid => mapping(bytes32 vault => uint64)) public outboundNonce;
    /// @inheritdoc IMarginCreditReceiver
    mapping(uint32 srcEid => bytes32) public vaultOf;
    /// @inheritdoc IMarginCreditReceiver
    address public withdrawalGuard;
    mapping(bytes32 guid => Withdrawal) private _withdrawals;

    /// @param owner_ Initial owner.
    /// @param localEid_ This chain's LayerZero endpoint id.
    /// @param attesters Initial attester set (distinct, non-zero).
    /// @param threshold_ Initial threshold, 1 ≤ threshold_ ≤ attesters.length.
    constructor(address owner_, uint32 localEid_, address[] memory attesters, uint256 threshold_)
        Ownable(owner_)
        AttesterSet(Attestation.RECEIVER_NAME_HASH, Attestation.RECEIVER_VERSION_HASH, attesters, threshold_)
    {
        localEid = localEid_;
    }

    /// @inheritdoc IMarginCreditReceiver
    function submit(bytes[] calldata packets, uint64 validUntil, bytes[] calldata signatures) external whenNotPaused {
        _requireNotExpired(validUntil);
        uint256 n = packets.length;
        if (n == 0) revert EmptyBatch();
        bytes32[] memory packetHashes = new bytes32[](n);
        for (uint256 i; i < n; ++i) {
            packetHashes[i] = _apply(i, packets[i]);
        }
        _verifySignatures(_batchDigest(packetHashes, validUntil), signatures);
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
        Credit storage c = credits[account][srcEid][asset];
        Credit memory have = c;
        if (amount > have.rawAmount) revert InsufficientCredit(have.rawAmount, amount);
        _checkGuard(account, srcEid, asset, amount);
        // amount ≤ rawAmount, so the share is ≤ haircutValue and fits uint128.
        uint128 value = uint128(Math.mulDiv(have.haircutValue, amount, have.rawAmount, Math.Rounding.Ceil));
        c.rawAmount = have.rawAmount - amount;
        c.haircutValue = have.haircutValue - value;
        Credit storage f = frozen[account][srcEid][asset];
        f.rawAmount += amount;
        f.haircutValue += value;
        totalHaircutValue[account] -= value;
        return _recordWithdrawal(
            Withdrawal({
                account: account,
                vault: vault,
                asset: asset,
                recipient: recipient,
                rawAmount: amount,
                haircutValue: value,
                vaultEid: srcEid,
                nonce: 0,
                voidedNonce: 0,
                status: WithdrawalStatus.PENDING
            })
        );
    }

    /// @inheritdoc IMarginCreditReceiver
    function setVault(uint32 srcEid, bytes32 vault) external onlyOwner {
        vaultOf[srcEid] = vault;
        emit VaultSet(srcEid, vault);
    }

    /// @inheritdoc IMarginCreditReceiver
    function setWithdrawalGuard(address guard) external onlyOwner {
        withdrawalGuard = guard;
        emit WithdrawalGuardSet(guard);
    }

    /// @inheritdoc IMarginCreditReceiver
    function pause() external onlyOwner {
        _pause();
    }

    /// @inheritdoc IMarginCreditReceiver
    function unpause() external onlyOwner {
        _unpause();
    }

    /// @inheritdoc IMarginCreditReceiver
    function withdrawals(bytes32 guid)
        external
        view
        returns (
            bytes32 account,
            uint32 vaultEid,
            bytes32 vault,
            bytes32 asset,
            bytes32 recipient,
            uint64 nonce,
            uint128 rawAmount,
            uint128 haircutValue,
            uint64 voidedNonce,
            uint8 status
        )
    {
        Withdrawal storage w = _withdrawals[guid];
        return (
            w.account,
            w.vaultEid,
            w.vault,
            w.asset,
            w.recipient,
            w.nonce,
            w.rawAmount,
            w.haircutValue,
            w.voidedNonce,
            uint8(w.status)
        );
    }

    /// @dev Checks packet `i` against the envelope and message rules, applies it, returns hashStruct(Packet).
    function _apply(uint256 i, bytes calldata p) private returns (bytes32) {
        if (p.length < PacketV1.MESSAGE_OFFSET) revert InvalidPacketLength(i, p.length);
        if (PacketV1.version(p) != PacketV1.PACKET_VERSION) revert UnsupportedPacketVersion(i, PacketV1.version(p));
        if (PacketV1.dstEid(p) != localEid) revert WrongDstEid(i, PacketV1.dstEid(p));
        if (PacketV1.receiver(p) != bytes32(uint256(uint160(address(this))))) {
            revert WrongReceiver(i, PacketV1.receiver(p));
        }
        uint64 nonce = PacketV1.nonce(p);
        uint32 srcEid = PacketV1.srcEid(p);
        bytes32 sender = PacketV1.sender(p);
        bytes32 guid = PacketV1.guid(p);
        {
            bytes32 expected = PacketV1.computeGuid(nonce, srcEid, sender, localEid, PacketV1.receiver(p));
            if (guid != expected) revert GuidMismatch(i, expected, guid);
        }
        bytes calldata m = PacketV1.message(p);
        uint8 messageType = _checkMessage(i, m, srcEid, sender, nonce);
        if (guidUsed[guid]) revert GuidAlreadyUsed(i, guid);
        uint64 expectedNonce = lastNonce[srcEid][sender] + 1;
        if (nonce != expectedNonce) revert UnexpectedNonce(i, expectedNonce, nonce);

        guidUsed[guid] = true;
        lastNonce[srcEid][sender] = nonce;
        if (messageType == TYPE_CREDIT) _credit(guid, m, srcEid, nonce);
        else if (messageType == TYPE_VOID) _void(guid, m, srcEid, sender, nonce);
        else _settle(i, guid, m, srcEid, sender);
        return Attestation.packetHash(guid, PacketV1.payloadHash(p));
    }

    /// @dev Strictly decodes the body by its type (CREDIT, VOID or RELEASE_RESULT) and requires its eid, vault and
    ///      nonce fields to repeat the header; returns the type.
    function _checkMessage(uint256 i, bytes calldata m, uint32 srcEid, bytes32 sender, uint64 nonce)
        private
        pure
        returns (uint8 messageType)
    {
        if (m.length < 2) revert InvalidMessage(i, CreditMessage.InvalidLength.selector);
        messageType = uint8(m[1]);
        bytes4 err;
        bool matches;
        if (messageType == TYPE_CREDIT) {
            err = CreditMessage.check(m);
            matches = err == 0 && CreditMessage.srcEid(m) == srcEid && CreditMessage.srcVault(m) == sender
                && CreditMessage.depositNonce(m) == nonce;
        } else if (messageType == TYPE_VOID) {
            err = VoidMessage.check(m);
            matches = err == 0 && VoidMessage.srcEid(m) == srcEid && VoidMessage.srcVault(m) == sender
                && VoidMessage.depositNonce(m) == nonce;
        } else if (messageType == TYPE_RELEASE_RESULT) {
            err = ReleaseResultMessage.check(m);
            matches = err == 0 && ReleaseResultMessage.srcEid(m) == srcEid
                && ReleaseResultMessage.srcVault(m) == sender && ReleaseResultMessage.resultNonce(m) == nonce;
        } else {
            err = uint8(m[0]) != CreditMessage.VERSION
                ? CreditMessage.UnsupportedVersion.selector
                : CreditMessage.UnsupportedMessageType.selector;
        }
        if (err != 0) revert InvalidMessage(i, err);
        if (!matches) revert MessageHeaderMismatch(i);
    }

    /// @dev CREDIT: adds the message's amounts to the account's totals and emits Credited.
    function _credit(bytes32 guid, bytes calldata m, uint32 srcEid, uint64 nonce) private {
        bytes32 account = CreditMessage.account(m);
        bytes32 asset = CreditMessage.asset(m);
        uint128 raw = CreditMessage.rawAmount(m);
        uint128 value = CreditMessage.haircutValue(m);
        Credit storage c = credits[account][srcEid][asset];
        c.rawAmount += raw;
        c.haircutValue += value;
        totalHaircutValue[account] += value;
        emit Credited(guid, account, srcEid, asset, raw, value, nonce);
    }

    /// @dev VOID: credits nothing; when something was locked, requests its refund to the depositor from the vault
    ///      that holds it (WithdrawalRequested, then Voided naming the refund's GUID).
    function _void(bytes32 guid, bytes calldata m, uint32 srcEid, bytes32 sender, uint64 nonce) private {
        uint128 raw = VoidMessage.rawAmount(m);
        bytes32 refundGuid;
        if (raw != 0) {
            (refundGuid,) = _recordWithdrawal(
                Withdrawal({
                    account: VoidMessage.account(m),
                    vault: sender,
                    asset: VoidMessage.asset(m),
                    recipient: VoidMessage.refundTo(m),
                    rawAmount: raw,
                    haircutValue: 0,
                    vaultEid: srcEid,
                    nonce: 0,
                    voidedNonce: nonce,
                    status: WithdrawalStatus.REFUND_PENDING
                })
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

    /// @dev RELEASE_RESULT: the withdrawal must be pending, on this path, and echoed exactly. A withdrawal finishes
    ///      (frozen removed) or unfreezes (frozen back to credited); a refund is REFUNDED or REFUND_FAILED.
    function _settle(uint256 i, bytes32 resultGuid, bytes calldata m, uint32 srcEid, bytes32 sender) private {
        bytes32 withdrawalGuid = ReleaseResultMessage.withdrawalGuid(m);
        Withdrawal storage w = _withdrawals[withdrawalGuid];
        WithdrawalStatus status = w.status;
        if (status != WithdrawalStatus.PENDING && status != WithdrawalStatus.REFUND_PENDING) {
            revert WithdrawalNotPending(i, withdrawalGuid);
        }
        bytes32 account = w.account;
        bytes32 asset = w.asset;
        uint128 raw = w.rawAmount;
        if (
            w.vaultEid != srcEid || w.vault != sender || w.nonce != ReleaseResultMessage.withdrawalNonce(m)
                || account != ReleaseResultMessage.account(m) || asset != ReleaseResultMessage.asset(m)
                || raw != ReleaseResultMessage.rawAmount(m)
        ) revert ResultMismatch(i);
        bool released = ReleaseResultMessage.status(m) == ReleaseResultMessage.STATUS_RELEASED;
        if (status == WithdrawalStatus.REFUND_PENDING) {
            status = released ? WithdrawalStatus.REFUNDED : WithdrawalStatus.REFUND_FAILED;
        } else {
            status = released ? WithdrawalStatus.FINISHED : WithdrawalStatus.UNFROZEN;
            uint128 value = w.haircutValue;
            Credit storage f = frozen[account][srcEid][asset];
            f.rawAmount -= raw;
            f.haircutValue -= value;
            if (!released) {
                Credit storage c = credits[account][srcEid][asset];
                c.rawAmount += raw;
                c.haircutValue += value;
                totalHaircutValue[account] += value;
            }
        }
        w.status = status;
        emit WithdrawalSettled(withdrawalGuid, resultGuid, uint8(status));
    }

    /// @dev Takes the next outbound nonce on the path to (w.vaultEid, w.vault), stores `w` under the WITHDRAWAL
    ///      packet's GUID and emits WithdrawalRequested.
    function _recordWithdrawal(Withdrawal memory w) private returns (bytes32 guid, uint64 nonce) {
        nonce = ++outboundNonce[w.vaultEid][w.vault];
        guid = PacketV1.computeGuid(nonce, localEid, bytes32(uint256(uint160(address(this)))), w.vaultEid, w.vault);
        w.nonce = nonce;
        _withdrawals[guid] = w;
        emit WithdrawalRequested(
            guid, w.account, w.vaultEid, w.vault, nonce, w.asset, w.rawAmount, w.recipient, w.voidedNonce
        );
    }

    /// @dev Asks the guard, if any: it must return exactly `true`; false, a revert or malformed return data refuse.
    function _checkGuard(bytes32 account, uint32 srcEid, bytes32 asset, uint128 amount) private view {
        address guard = withdrawalGuard;
        if (guard == address(0)) return;
        (bool ok, bytes memory ret) =
            guard.staticcall(abi.encodeCall(IWithdrawalGuard.check, (account, srcEid, asset, amount)));
        if (!ok || ret.length != 32 || abi.decode(ret, (uint256)) != 1) revert WithdrawalRefused(guard);
    }
}
