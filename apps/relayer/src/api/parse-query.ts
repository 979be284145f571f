import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** Validates request input with a zod schema; 400 naming the field otherwise. */
export function parseQuery<T extends z.ZodTypeAny>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new BadRequestException(result.error.issues.map((i) => `${[what, ...i.path].join('.')}: ${i.message}`).join('; '));
  return result.data as z.output<T>; // safeParse's data is the schema's output type
}
