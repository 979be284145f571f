import { ethers } from '../../contracts/ts/index';
import { errorText } from '../support/errors';

/** Revert data carried by an ethers error (CALL_EXCEPTION from estimateGas, staticCall or a call). */
function revertData(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const data = (e as { data?: unknown }).data; // ethers CALL_EXCEPTION carries the raw revert data here
  return typeof data === 'string' ? data : undefined;
}

/**
 * Awaits `action`, requires it to revert with the custom error `name` of `iface`, optionally with `args`;
 * returns the decoded error.
 */
export async function expectRevert(
  action: Promise<unknown>,
  iface: ethers.Interface,
  name: string,
  args?: readonly unknown[],
): Promise<ethers.ErrorDescription> {
  let caught: unknown;
  try {
    await action;
  } catch (e: unknown) {
    caught = e;
  }
  if (caught === undefined) throw new Error(`expected a revert with ${name}, but the call succeeded`);
  const data = revertData(caught);
  if (data === undefined) throw new Error(`expected a revert with ${name}, got an error without revert data: ${errorText(caught)}`);
  const parsed = iface.parseError(data);
  expect(parsed?.name ?? `unknown selector ${data.slice(0, 10)}`).toBe(name);
  if (parsed === null) throw new Error('unreachable: parsed checked above');
  expect(parsed.selector).toBe(iface.getError(name)?.selector);
  if (args !== undefined) expect([...parsed.args]).toEqual([...args]);
  return parsed;
}
