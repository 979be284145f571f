// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title CreditAttestation
/// @notice EIP-712 hashing of credit attestations (docs/credit-message.md, "Attestation"):
///         domain {name "MarginCreditReceiver", version "1", chainId, verifyingContract},
///         types Credit(bytes32 guid,bytes32 payloadHash) and CreditBatch(Credit[] credits).
library CreditAttestation {
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant NAME_HASH = keccak256("MarginCreditReceiver");
    bytes32 internal constant VERSION_HASH = keccak256("1");
    bytes32 internal constant CREDIT_TYPEHASH = keccak256("Credit(bytes32 guid,bytes32 payloadHash)");
    bytes32 internal constant CREDIT_BATCH_TYPEHASH =
        keccak256("CreditBatch(Credit[] credits)Credit(bytes32 guid,bytes32 payloadHash)");

    /// @notice Domain separator for a receiver at `verifyingContract` on chain `chainId`.
    function domainSeparator(uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, chainId, verifyingContract));
    }

    /// @notice hashStruct(Credit{guid, payloadHash}).
    function creditHash(bytes32 guid, bytes32 payloadHash) internal pure returns (bytes32 h) {
        bytes32 typehash = CREDIT_TYPEHASH;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typehash)
            mstore(add(ptr, 0x20), guid)
            mstore(add(ptr, 0x40), payloadHash)
            h := keccak256(ptr, 0x60)
        }
    }

    /// @notice hashStruct(CreditBatch) given the already computed hashStruct of every credit, in order.
    function batchHash(bytes32[] memory creditHashes) internal pure returns (bytes32 h) {
        bytes32 arrayHash;
        assembly ("memory-safe") {
            arrayHash := keccak256(add(creditHashes, 0x20), mul(mload(creditHashes), 0x20))
        }
        h = keccak256(abi.encode(CREDIT_BATCH_TYPEHASH, arrayHash));
    }

    /// @notice EIP-712 digest: keccak256("\x19\x01" ‖ domainSeparator ‖ structHash).
    function digest(bytes32 domainSeparator_, bytes32 structHash) internal pure returns (bytes32 d) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, hex"1901")
            mstore(add(ptr, 0x02), domainSeparator_)
            mstore(add(ptr, 0x22), structHash)
            d := keccak256(ptr, 0x42)
        }
    }

    /// @notice Recovers the signer of a 65-byte `r ‖ s ‖ v` signature over `digest_`.
    /// @return signer The signer, or address(0) if the signature is malformed, has v ∉ {27, 28},
    ///         or has s > secp256k1n/2 (malleable); OpenZeppelin ECDSA enforces the last two.
    /// @return malleable True when the only problem is a high s.
    function recover(bytes32 digest_, bytes calldata signature) internal pure returns (address signer, bool malleable) {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest_, signature);
        if (err == ECDSA.RecoverError.NoError) return (recovered, false);
        return (address(0), err == ECDSA.RecoverError.InvalidSignatureS);
    }
}
