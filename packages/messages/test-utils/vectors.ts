/** Loads the committed vector file for the tests (not part of the build). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VectorFile } from '../scripts/gen-vectors';

export const VECTOR_FILE_PATH = join(__dirname, '..', 'vectors', 'credit-messages.json');

export function loadVectors(): VectorFile {
  // The file is produced by scripts/gen-vectors.ts from the VectorFile type; vectors.test.ts checks it is current.
  return JSON.parse(readFileSync(VECTOR_FILE_PATH, 'utf8')) as VectorFile;
}
