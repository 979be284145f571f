import { InvalidInputError } from '../errors';
import { fieldOf } from '../fieldPath';
import { unsafeIntegerError } from '../money/readJson';

/** An integer JSON number beyond 2^53 − 1 found in a JSON text: where it is and how it was written. */
export type UnsafeInteger = {
  /** Keys and indices from the root: ['account', 'positions', 0, 'amount']. */
  readonly path: readonly (string | number)[];
  /** The number as written in the text ("9007199254740993", "1e20"). */
  readonly literal: string;
  /** What JSON.parse made of it (9007199254740992). */
  readonly value: number;
};

/**
 * JSON text → value. JSON.parse silently rounds an integer beyond 2^53 − 1 (9007199254740993 becomes
 * 9007199254740992, a different token amount); such a number is refused with an InvalidInputError naming its
 * field (`account.positions[0].amount`), quoting it as written and asking for a string. Invalid JSON is an
 * InvalidInputError on `field`. For a batch, use `findUnsafeIntegers` and refuse element by element.
 */
export function parseJson(text: string, field = 'input'): unknown {
  const value = parseJsonText(text, field);
  const [first] = findUnsafeIntegers(text);
  if (first !== undefined) throw unsafeIntegerError(first.value, fieldOf(first.path), first.literal);
  return value;
}

/** JSON.parse with its SyntaxError as an InvalidInputError on `field`. */
export function parseJsonText(text: string, field = 'input'): unknown {
  try {
    return JSON.parse(text) as unknown; // any JSON value; the command validates it
  } catch (cause) {
    throw new InvalidInputError(`not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { field, cause });
  }
}

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Every integer number beyond 2^53 − 1 in a JSON text, in text order. The text must be valid JSON (JSON.parse
 * accepted it): this walks its tokens once, keeping the path of keys and indices.
 */
export function findUnsafeIntegers(text: string): UnsafeInteger[] {
  const found: UnsafeInteger[] = [];
  const path: (string | number)[] = [];
  const containers: ('object' | 'array')[] = [];
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '{' || c === '[') {
      containers.push(c === '{' ? 'object' : 'array');
      path.push(c === '{' ? '' : 0);
      expectKey = c === '{';
      i++;
    } else if (c === '}' || c === ']') {
      containers.pop();
      path.pop();
      expectKey = false;
      i++;
    } else if (c === ',') {
      if (containers.at(-1) === 'array') path[path.length - 1] = (path.at(-1) as number) + 1; // an array's slot holds its index
      else expectKey = true;
      i++;
    } else if (c === ':') {
      expectKey = false;
      i++;
    } else if (c === '"') {
      const end = stringEnd(text, i);
      if (expectKey) path[path.length - 1] = JSON.parse(text.slice(i, end)) as string; // a valid JSON string literal
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const literal = NUMBER.exec(text)?.[0] ?? c;
      const value = Number(literal);
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) found.push({ path: [...path], literal, value });
      i += literal.length;
    } else {
      i++; // whitespace, or a letter of true / false / null
    }
  }
  return found;
}

/** Index just after the closing quote of the string literal that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}
