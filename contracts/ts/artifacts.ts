import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ArtifactNotFoundError } from './errors';

/** Folder the build script (contracts/scripts/build.ts) writes to; same from ts/ and dist/. */
export const ARTIFACTS_DIR = resolve(__dirname, '..', 'out');

/** Names of the contracts this package builds and deploys. */
export type ContractName =
  | 'CollateralVault'
  | 'MarginCreditReceiver'
  | 'TestERC20'
  | 'FeeOnTransferERC20'
  | 'MockV3Aggregator'
  | 'CodecHarness'
  | 'LookalikeVault'
  | 'RestrictedERC20'
  | 'TestWithdrawalGuard'
  | 'RevertingWithdrawalGuard'
  | 'Timelock';

/** One compiled contract as written by the build script. */
export interface Artifact {
  abi: readonly unknown[];
  bytecode: string;
  deployedBytecode: string;
}

/**
 * Reads contracts/out/<name>.json.
 * @throws ArtifactNotFoundError telling to run the build when it is missing.
 */
export function loadArtifact(name: ContractName | (string & {})): Artifact {
  const path = join(ARTIFACTS_DIR, `${name}.json`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Artifact; // written by our own build script
  } catch (cause: unknown) {
    throw new ArtifactNotFoundError({ name, path, cause });
  }
}
