/** Transaction helpers for the chain tests and scripts (no jest import). */
import type { ethers } from '../../contracts/ts/index';

/**
 * The receipt of `tx` once mined (one confirmation). ethers' `wait()` answers null only when asked for 0
 * confirmations and throws when the transaction reverts; this never asks for 0, so a null is reported as an error.
 */
export async function mined(tx: ethers.ContractTransactionResponse | Promise<ethers.ContractTransactionResponse>): Promise<ethers.ContractTransactionReceipt> {
  const response = await tx;
  const receipt = await response.wait();
  if (receipt === null) throw new Error(`no receipt for ${response.hash}`);
  return receipt;
}
