// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IAttesterSet
/// @notice A threshold of attesters signing every batch with one EIP-712 signature each (docs/two-way-book.md,
///         "Attestation v2"); shared by the MarginCreditReceiver and the CollateralVault, each with its own set.
interface IAttesterSet {
    /// @notice An attester was added.
    /// @param attester The attester.
    event AttesterAdded(address indexed attester);
    /// @notice An attester was removed.
    /// @param attester The attester.
    event AttesterRemoved(address indexed attester);
    /// @notice The signature threshold changed.
    /// @param threshold New threshold.
    event ThresholdSet(uint256 threshold);

    /// @notice The batch's signed validUntil is in the past.
    /// @param validUntil Unix seconds the attestation was valid until.
    /// @param timestamp The block timestamp.
    error AttestationExpired(uint64 validUntil, uint256 timestamp);
    /// @notice Fewer signatures than the threshold.
    /// @param count Signatures given.
    /// @param threshold Required.
    error InsufficientSignatures(uint256 count, uint256 threshold);
    /// @notice No threshold set yet (a contract deployed without attesters accepts no batch).
    error ThresholdNotSet();
    /// @notice A packed signatures blob is not a whole number of 65-byte signatures.
    /// @param length Its length.
    error InvalidSignaturesLength(uint256 length);
    /// @notice Signature cannot be recovered (bad length, v ∉ {27, 28}, or invalid point).
    /// @param index Signature index.
    error InvalidSignature(uint256 index);
    /// @notice Signature has s > secp256k1n/2.
    /// @param index Signature index.
    error MalleableSignature(uint256 index);
    /// @notice Signer is not an attester (includes a signature over another domain or digest).
    /// @param index Signature index.
    /// @param signer Recovered signer.
    error SignerNotAttester(uint256 index, address signer);
    /// @notice Same signer as the previous signature.
    /// @param index Signature index.
    /// @param signer The signer.
    error DuplicateSigner(uint256 index, address signer);
    /// @notice Signer address not above the previous one.
    /// @param index Signature index.
    /// @param signer The signer.
    error SignersNotOrdered(uint256 index, address signer);
    /// @notice Attester is zero or already in the set.
    /// @param attester The attester.
    error AttesterExists(address attester);
    /// @notice Attester is not in the set.
    /// @param attester The attester.
    error AttesterNotFound(address attester);
    /// @notice Threshold must be ≥ 1 and ≤ attester count.
    /// @param threshold Requested threshold.
    /// @param attesterCount Current attester count.
    error InvalidThreshold(uint256 threshold, uint256 attesterCount);

    /// @notice Owner: adds an attester.
    /// @param attester Non-zero, not yet an attester.
    function addAttester(address attester) external;

    /// @notice Owner: removes an attester; reverts if the threshold would exceed the remaining count.
    /// @param attester Current attester.
    function removeAttester(address attester) external;

    /// @notice Owner: sets the signature threshold (1 ≤ threshold ≤ attester count).
    /// @param threshold New threshold.
    function setThreshold(uint256 threshold) external;

    /// @notice Whether `account` is an attester.
    function isAttester(address account) external view returns (bool);

    /// @notice Number of attesters.
    function attesterCount() external view returns (uint256);

    /// @notice Signatures required per batch (0 = not configured, every batch refused).
    function threshold() external view returns (uint256);

    /// @notice EIP-712 domain separator of this contract on this chain.
    function domainSeparator() external view returns (bytes32);
}
