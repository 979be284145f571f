// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IAttesterSet} from "../interfaces/IAttesterSet.sol";
import {Attestation} from "../libraries/Attestation.sol";

/// @title AttesterSet
/// @notice Owner-managed attester set and threshold with EIP-712 batch verification (docs/two-way-book.md,
///         "Attestation v2"): signatures 65 bytes r ‖ s ‖ v, low s, v ∈ {27, 28}, strictly increasing signer,
///         at least `threshold` of them; a batch whose signed validUntil has passed is refused.
/// @dev The domain separator is cached for the deployment chain and recomputed after a fork.
abstract contract AttesterSet is IAttesterSet, Ownable2Step {
    uint256 private immutable cachedChainId;
    bytes32 private immutable cachedDomainSeparator;
    bytes32 private immutable domainNameHash;
    bytes32 private immutable domainVersionHash;

    /// @inheritdoc IAttesterSet
    mapping(address => bool) public isAttester;
    /// @dev Small, and declared last: Pausable's `_paused` (declared next in the receiver's and the vault's
    ///      inheritance order) packs into the same slot, so `whenNotPaused` and the threshold read cost one cold SLOAD.
    uint64 private _attesterCount;
    uint64 private _threshold;

    /// @param nameHash keccak256 of the EIP-712 domain name.
    /// @param versionHash keccak256 of the EIP-712 domain version.
    /// @param attesters Initial attester set (distinct, non-zero); may be empty with `threshold_` 0 (configure later).
    /// @param threshold_ Initial threshold, 1 ≤ threshold_ ≤ attesters.length, or 0 with no attesters.
    constructor(bytes32 nameHash, bytes32 versionHash, address[] memory attesters, uint256 threshold_) {
        domainNameHash = nameHash;
        domainVersionHash = versionHash;
        cachedChainId = block.chainid;
        cachedDomainSeparator = Attestation.domainSeparator(nameHash, versionHash, block.chainid, address(this));
        for (uint256 i; i < attesters.length; ++i) {
            _addAttester(attesters[i]);
        }
        if (attesters.length != 0 || threshold_ != 0) _setThreshold(threshold_);
    }

    /// @inheritdoc IAttesterSet
    function addAttester(address attester) external onlyOwner {
        _addAttester(attester);
    }

    /// @inheritdoc IAttesterSet
    function removeAttester(address attester) external onlyOwner {
        if (!isAttester[attester]) revert AttesterNotFound(attester);
        uint256 count = _attesterCount - 1;
        if (_threshold > count) revert InvalidThreshold(_threshold, count);
        isAttester[attester] = false;
        _attesterCount = uint64(count);
        emit AttesterRemoved(attester);
    }

    /// @inheritdoc IAttesterSet
    function setThreshold(uint256 threshold_) external onlyOwner {
        _setThreshold(threshold_);
    }

    /// @inheritdoc IAttesterSet
    function attesterCount() public view returns (uint256) {
        return _attesterCount;
    }

    /// @inheritdoc IAttesterSet
    function threshold() public view returns (uint256) {
        return _threshold;
    }

    /// @inheritdoc IAttesterSet
    function domainSeparator() public view returns (bytes32) {
        if (block.chainid == cachedChainId) return cachedDomainSeparator;
        return Attestation.domainSeparator(domainNameHash, domainVersionHash, block.chainid, address(this));
    }

    /// @dev EIP-712 digest of PacketBatch{packets, validUntil} under this contract's domain.
    function _batchDigest(bytes32[] memory packetHashes, uint64 validUntil) internal view returns (bytes32) {
        return Attestation.digest(domainSeparator(), Attestation.batchHash(packetHashes, validUntil));
    }

    /// @dev Reverts with AttestationExpired once block.timestamp > validUntil.
    function _requireNotExpired(uint64 validUntil) internal view {
        if (block.timestamp > validUntil) revert AttestationExpired(validUntil, block.timestamp);
    }

    /// @dev Requires a threshold, ≥ threshold signatures, all by attesters, by strictly increasing signer.
    function _verifySignatures(bytes32 digest, bytes[] calldata signatures) internal view {
        uint256 count = signatures.length;
        _requireThreshold(count);
        address previous;
        for (uint256 i; i < count; ++i) {
            previous = _checkSigner(i, digest, signatures[i], previous);
        }
    }

    /// @dev `_verifySignatures` for signatures packed back to back (65 bytes each) in one `bytes`.
    function _verifyPackedSignatures(bytes32 digest, bytes calldata signatures) internal view {
        uint256 len = signatures.length;
        if (len % 65 != 0) revert InvalidSignaturesLength(len);
        uint256 count = len / 65;
        _requireThreshold(count);
        address previous;
        for (uint256 i; i < count; ++i) {
            previous = _checkSigner(i, digest, signatures[i * 65:(i + 1) * 65], previous);
        }
    }

    /// @dev A threshold is set and `count` signatures reach it.
    function _requireThreshold(uint256 count) private view {
        uint256 required = _threshold;
        if (required == 0) revert ThresholdNotSet();
        if (count < required) revert InsufficientSignatures(count, required);
    }

    /// @dev Signature `i` is a low-s signature of an attester above `previous`; returns its signer.
    function _checkSigner(uint256 i, bytes32 digest, bytes calldata signature, address previous)
        private
        view
        returns (address signer)
    {
        bool malleable;
        (signer, malleable) = Attestation.recover(digest, signature);
        if (malleable) revert MalleableSignature(i);
        if (signer == address(0)) revert InvalidSignature(i);
        if (!isAttester[signer]) revert SignerNotAttester(i, signer);
        if (signer == previous) revert DuplicateSigner(i, signer);
        if (signer < previous) revert SignersNotOrdered(i, signer);
    }

    /// @dev Adds a non-zero, new attester and emits AttesterAdded.
    function _addAttester(address attester) private {
        if (attester == address(0) || isAttester[attester]) revert AttesterExists(attester);
        isAttester[attester] = true;
        ++_attesterCount;
        emit AttesterAdded(attester);
    }

    /// @dev Sets 1 ≤ threshold ≤ attesterCount and emits ThresholdSet.
    function _setThreshold(uint256 threshold_) private {
        if (threshold_ == 0 || threshold_ > _attesterCount) revert InvalidThreshold(threshold_, _attesterCount);
        _threshold = uint64(threshold_);
        emit ThresholdSet(threshold_);
    }
}
