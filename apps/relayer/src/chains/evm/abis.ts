/**
 * The contract ABIs the relayer uses come from `@ccr/contracts`, whose test checks them against the compiled
 * contracts (test/contracts/abis.test.ts): one copy, never out of sync with contracts/src/interfaces.
 */
export { AGGREGATOR_V3_ABI as FEED_ABI, RECEIVER_ABI, VAULT_ABI } from '@ccr/contracts';

/** The ERC-20 reads of the boot check and the solvency job (the standard's, not one of this project's contracts). */
export const ERC20_READ_ABI = ['function decimals() view returns (uint8)', 'function balanceOf(address account) view returns (uint256)'] as const;

/**
 * A uintN/intN entry of a decoded ethers `Result` (typed `any`) as a bigint: ethers v6 decodes every such ABI value
 * to a bigint, so the BigInt(…) the readers always applied is an identity here.
 */
export function decodedUint(value: unknown): bigint {
  return BigInt(value as bigint); // ethers v6 decodes every uintN/intN to a bigint
}
