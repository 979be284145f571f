/**
 * Throwaway anvil nodes for chain tests and the devnet. The implementation lives in @ccr/contracts
 * (contracts/ts/anvil.ts) so that apps can import it as a workspace dependency; this file is the test-side
 * entry point. No jest import: scripts may use it too.
 */
export { ANVIL_MNEMONIC, anvilBinary, startAnvil, type AnvilInstance, type StartAnvilParameters } from '../../contracts/ts/anvil';
