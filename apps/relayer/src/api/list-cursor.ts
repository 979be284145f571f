import { BadRequestException } from '@nestjs/common';

/** A list position (the last row of a page: its creation time and GUID), as the opaque `cursor` of the next request. */
export type ListCursor = { createdAt: number; guid: string };

export function encodeCursor(c: ListCursor): string {
  return Buffer.from(`${c.createdAt}:${c.guid}`, 'utf8').toString('base64url');
}

/** The cursor a page handed out; 400 for anything else. */
export function decodeCursor(text: string): ListCursor {
  const m = /^(\d{1,16}):(0x[0-9a-f]{64})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (m === null) throw new BadRequestException('query.cursor: not a cursor this API handed out (use nextCursor of the previous page)');
  return { createdAt: Number(m[1]), guid: m[2]! };
}
