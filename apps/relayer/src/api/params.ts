import { evmAddressToBytes32 } from '@ccr/messages';
import { z } from 'zod';

/** A message GUID in a route. */
export const guidParam = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte GUID');

/** An account filter: a 20-byte EVM address or a bytes32. */
export const accountParam = z.string().regex(/^0x[0-9a-fA-F]{40}([0-9a-fA-F]{24})?$/, 'expected an address or bytes32');

/** The account filter as the store keeps accounts: lowercase bytes32 (an address left-padded by @ccr/messages). */
export function accountBytes32(account: string | undefined): string | undefined {
  if (account === undefined) return undefined;
  return account.length === 42 ? evmAddressToBytes32(account.toLowerCase()) : account.toLowerCase();
}
