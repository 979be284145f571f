/**
 * The contract ABIs the relayer uses come from `@ccr/contracts`, whose test checks them against the compiled
 * contracts (test/contracts/abis.test.ts): one copy, never out of sync with contracts/src/interfaces.
 */
export { AGGREGATOR_V3_ABI as FEED_ABI, RECEIVER_ABI, VAULT_ABI } from '@ccr/contracts';
