// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IMarginCreditReceiver} from "./interfaces/IMarginCreditReceiver.sol";
import {CreditMessage} from "./libraries/CreditMessage.sol";
import {PacketV1} from "./libraries/PacketV1.sol";
import {CreditAttestation} from "./libraries/CreditAttestation.sol";

/// @title MarginCreditReceiver
/// @notice Credits margin on the derivatives chain from LayerZero PacketV1 packets attested by a threshold of
///         attesters with one EIP-712 signature each over the whole batch (docs/credit-message.md).
/// @dev Atomic batches: every packet is checked and applied in order, then the signatures are checked over the
///      CreditBatch digest of all packets; any failure reverts the whole transaction, so nothing is half-applied
///      and a batch can carry consecutive nonces of one path. The relayer simulates before sending, so a revert
///      costs it nothing but a dry run; the error names the offending packet or signature index.
contract MarginCreditReceiver is IMarginCreditReceiver, Ownable2Step, Pausable {
    /// @dev Per (account, srcEid, asset) totals, one slot. Each message carries uint128 amounts; the sums are
    ///      bounded by the source vaults' caps (≤ uint128 max) and by realistic USD values.
    struct Credit {
        uint128 rawAmount;
        uint128 haircutValue;
    }

    /// @inheritdoc IMarginCreditReceiver
    uint32 public immutable localEid;
    uint256 private immutable cachedChainId;
    bytes32 private immutable cachedDomainSeparator;

    /// @inheritdoc IMarginCreditReceiver
    mapping(address => bool) public isAttester;
    /// @inheritdoc IMarginCreditReceiver
    uint256 public attesterCount;
    /// @inheritdoc IMarginCreditReceiver
    uint256 public threshold;
    /// @inheritdoc IMarginCreditReceiver
    mapping(uint32 srcEid => mapping(bytes32 srcVault => uint64)) public lastNonce;
    /// @inheritdoc IMarginCreditReceiver
    mapping(bytes32 guid => bool) public guidUsed;
    /// @inheritdoc IMarginCreditReceiver
    mapping(bytes32 account => mapping(uint32 srcEid => mapping(bytes32 asset => Credit))) public credits;
    /// @inheritdoc IMarginCreditReceiver
    mapping(bytes32 account => uint256) public totalHaircutValue;

    /// @param owner_ Initial owner.
    /// @param localEid_ This chain's LayerZero endpoint id.
    /// @param attesters Initial attester set (distinct, non-zero).
    /// @param threshold_ Initial threshold, 1 ≤ threshold_ ≤ attesters.length.
    constructor(address owner_, uint32 localEid_, address[] memory attesters, uint256 threshold_) Ownable(owner_) {
        localEid = localEid_;
        cachedChainId = block.chainid;
        cachedDomainSeparator = CreditAttestation.domainSeparator(block.chainid, address(this));
        for (uint256 i; i < attesters.length; ++i) {
            _addAttester(attesters[i]);
        }
        _setThreshold(threshold_);
    }

    /// @inheritdoc IMarginCreditReceiver
    function submitCredits(bytes[] calldata packets, bytes[] calldata signatures) external whenNotPaused {
        uint256 n = packets.length;
        if (n == 0) revert EmptyBatch();
        bytes32[] memory creditHashes = new bytes32[](n);
        for (uint256 i; i < n; ++i) {
            creditHashes[i] = _apply(i, packets[i]);
        }
        bytes32 digest = CreditAttestation.digest(domainSeparator(), CreditAttestation.batchHash(creditHashes));
        _verifySignatures(digest, signatures);
    }

    /// @inheritdoc IMarginCreditReceiver
    function addAttester(address attester) external onlyOwner {
        _addAttester(attester);
    }

    /// @inheritdoc IMarginCreditReceiver
    function removeAttester(address attester) external onlyOwner {
        if (!isAttester[attester]) revert AttesterNotFound(attester);
        uint256 count = attesterCount - 1;
        if (threshold > count) revert InvalidThreshold(threshold, count);
        isAttester[attester] = false;
        attesterCount = count;
        emit AttesterRemoved(attester);
    }

    /// @inheritdoc IMarginCreditReceiver
    function setThreshold(uint256 threshold_) external onlyOwner {
        _setThreshold(threshold_);
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
    function domainSeparator() public view returns (bytes32) {
        if (block.chainid == cachedChainId) return cachedDomainSeparator;
        return CreditAttestation.domainSeparator(block.chainid, address(this));
    }

    /// @dev Checks packet `i` against the receiver rules, applies it, returns hashStruct(Credit).
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
        bytes4 err = CreditMessage.check(m);
        if (err != 0) revert InvalidMessage(i, err);
        if (
            CreditMessage.srcEid(m) != srcEid || CreditMessage.srcVault(m) != sender
                || CreditMessage.depositNonce(m) != nonce
        ) revert MessageHeaderMismatch(i);
        if (guidUsed[guid]) revert GuidAlreadyUsed(i, guid);
        uint64 expectedNonce = lastNonce[srcEid][sender] + 1;
        if (nonce != expectedNonce) revert UnexpectedNonce(i, expectedNonce, nonce);

        guidUsed[guid] = true;
        lastNonce[srcEid][sender] = nonce;
        _credit(guid, m, srcEid, nonce);
        return CreditAttestation.creditHash(guid, PacketV1.payloadHash(p));
    }

    /// @dev Adds the message's amounts to the account's totals and emits Credited.
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

    /// @dev Requires ≥ threshold signatures, all by attesters, by strictly increasing signer.
    function _verifySignatures(bytes32 digest, bytes[] calldata signatures) private view {
        uint256 count = signatures.length;
        if (count < threshold) revert InsufficientSignatures(count, threshold);
        address previous;
        for (uint256 i; i < count; ++i) {
            (address signer, bool malleable) = CreditAttestation.recover(digest, signatures[i]);
            if (malleable) revert MalleableSignature(i);
            if (signer == address(0)) revert InvalidSignature(i);
            if (!isAttester[signer]) revert SignerNotAttester(i, signer);
            if (signer == previous) revert DuplicateSigner(i, signer);
            if (signer < previous) revert SignersNotOrdered(i, signer);
            previous = signer;
        }
    }

    /// @dev Adds a non-zero, new attester and emits AttesterAdded.
    function _addAttester(address attester) private {
        if (attester == address(0) || isAttester[attester]) revert AttesterExists(attester);
        isAttester[attester] = true;
        ++attesterCount;
        emit AttesterAdded(attester);
    }

    /// @dev Sets 1 ≤ threshold ≤ attesterCount and emits ThresholdSet.
    function _setThreshold(uint256 threshold_) private {
        if (threshold_ == 0 || threshold_ > attesterCount) revert InvalidThreshold(threshold_, attesterCount);
        threshold = threshold_;
        emit ThresholdSet(threshold_);
    }
}
