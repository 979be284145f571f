import { Interface, type ErrorDescription } from 'ethers';
import { MESSAGE_ERRORS_ABI, RECEIVER_ABI, VAULT_ABI } from './abis';

const allErrors = new Interface([
  ...new Set([...RECEIVER_ABI, ...VAULT_ABI, ...MESSAGE_ERRORS_ABI].filter((f) => f.startsWith('error '))),
  'error Error(string)',
  'error Panic(uint256)',
]);

/** A decoded custom error: its name, selector and arguments. */
export interface DecodedRevert {
  name: string;
  selector: string;
  args: readonly unknown[];
  /** For InvalidMessage, the name of the message codec error in `reason`. */
  reasonName?: string;
}

/**
 * Decodes revert data from the vault, the receiver or the message codecs. Never throws: unknown or empty data
 * gives `undefined`. Accepts the raw hex or an ethers error carrying `data` (as a reverted send leaves it).
 */
export function decodeRevert(errorOrData: unknown): DecodedRevert | undefined {
  const data = findRevertData(errorOrData);
  if (data === undefined || data.length < 10) return undefined;
  let parsed: ErrorDescription | null;
  try {
    parsed = allErrors.parseError(data);
  } catch {
    return undefined;
  }
  if (parsed === null) return undefined;
  const decoded: DecodedRevert = { name: parsed.name, selector: parsed.selector, args: [...parsed.args] };
  if (parsed.name === 'InvalidMessage') {
    const reason = allErrors.getError(String(parsed.args[1]));
    if (reason !== null) decoded.reasonName = reason.name;
  }
  return decoded;
}

function findRevertData(e: unknown, depth = 0): string | undefined {
  if (typeof e === 'string') return /^0x[0-9a-fA-F]*$/.test(e) ? e : undefined;
  if (typeof e !== 'object' || e === null || depth > 4) return undefined;
  const record = e as Record<string, unknown>; // probing an unknown error object for the usual ethers fields
  for (const key of ['data', 'error', 'info', 'cause']) {
    const found = findRevertData(record[key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
