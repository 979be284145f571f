// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title Attestation
/// @notice EIP-712 hashing of packet attestations, v2 (docs/two-way-book.md, "Attestation v2"), shared by the
///         MarginCreditReceiver (domain "MarginCreditReceiver" v2) and the CollateralVault (domain "CollateralVault"
///         v1): types Packet(bytes32 guid,bytes32 payloadHash) and PacketBatch(Packet[] packets,uint64 validUntil).
library Attestation {
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /// @notice keccak256("MarginCreditReceiver").
    bytes32 internal constant RECEIVER_NAME_HASH = keccak256("MarginCreditReceiver");
    /// @notice keccak256("2"): the receiver's domain version since the batch type carries validUntil.
    bytes32 internal constant RECEIVER_VERSION_HASH = keccak256("2");
    /// @notice keccak256("CollateralVault").
    bytes32 internal constant VAULT_NAME_HASH = keccak256("CollateralVault");
    /// @notice keccak256("1").
    bytes32 internal constant VAULT_VERSION_HASH = keccak256("1");
    bytes32 internal constant PACKET_TYPEHASH = keccak256("Packet(bytes32 guid,bytes32 payloadHash)");
    bytes32 internal constant PACKET_BATCH_TYPEHASH =
        keccak256("PacketBatch(Packet[] packets,uint64 validUntil)Packet(bytes32 guid,bytes32 payloadHash)");

    /// @notice EIP-712 domain separator {name, version, chainId, verifyingContract} given the name and version hashes.
    function domainSeparator(bytes32 nameHash, bytes32 versionHash, uint256 chainId, address verifyingContract)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, nameHash, versionHash, chainId, verifyingContract));
    }

    /// @notice hashStruct(Packet{guid, payloadHash}).
    function packetHash(bytes32 guid, bytes32 payloadHash) internal pure returns (bytes32 h) {
        bytes32 typehash = PACKET_TYPEHASH;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typehash)
            mstore(add(ptr, 0x20), guid)
            mstore(add(ptr, 0x40), payloadHash)
            h := keccak256(ptr, 0x60)
        }
    }

    /// @notice hashStruct(PacketBatch{packets, validUntil}) given the hashStruct of every packet, in order.
    function batchHash(bytes32[] memory packetHashes, uint64 validUntil) internal pure returns (bytes32 h) {
        bytes32 arrayHash;
        assembly ("memory-safe") {
            arrayHash := keccak256(add(packetHashes, 0x20), mul(mload(packetHashes), 0x20))
        }
        h = keccak256(abi.encode(PACKET_BATCH_TYPEHASH, arrayHash, uint256(validUntil)));
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
