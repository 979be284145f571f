import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The version of @ccr/relayer, from its package.json (beside dist/ and src/: this file is dist/cli/version.js or src/cli/version.ts). */
export function relayerVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown }; // a package.json object; version typeof-checked below
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
