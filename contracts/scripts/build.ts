/**
 * Compiles every `.sol` under contracts/src with solc-js (standard JSON, optimizer 200 runs, evm cancun) and
 * writes contracts/out/<ContractName>.json = { abi, bytecode, deployedBytecode }.
 * `pnpm build` in contracts/ runs it; tests call `ensureBuilt()` (test/support/ensureBuilt.ts), which rebuilds
 * only when the sources' hash differs from the one stamped in out/.
 * Exits non-zero on any compile error.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

export const CONTRACTS_DIR = resolve(__dirname, '..');
export const SRC_DIR = join(CONTRACTS_DIR, 'src');
export const OUT_DIR = join(CONTRACTS_DIR, 'out');
const STAMP_FILE = join(OUT_DIR, '.sources-hash');
const NODE_MODULES = join(CONTRACTS_DIR, 'node_modules');

/** Compiler settings; part of the stamp so a settings change triggers a rebuild. */
const SETTINGS = {
  optimizer: { enabled: true, runs: 1_000_000 },
  viaIR: true,
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
} as const;

export interface Artifact {
  abi: unknown[];
  bytecode: string;
  deployedBytecode: string;
}

interface SolcError {
  severity: 'error' | 'warning' | 'info';
  formattedMessage: string;
}
interface SolcOutput {
  errors?: SolcError[];
  contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>;
}

/** Thrown when solc reports errors. */
export class SolidityCompileError extends Error {
  override readonly name = 'SolidityCompileError' as const;
  readonly shortMessage: string;
  constructor(readonly messages: string[]) {
    super(`Solidity compilation failed:\n${messages.join('\n')}`);
    this.shortMessage = `Solidity compilation failed with ${messages.length} error(s)`;
  }
}

function listSources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listSources(full));
    else if (entry.name.endsWith('.sol')) found.push(full);
  }
  return found.sort();
}

/** Source unit name used by solc: path relative to contracts/, with forward slashes. */
function unitName(file: string): string {
  return relative(CONTRACTS_DIR, file).split(sep).join('/');
}

/** Hash of every source's path and content plus the compiler settings and version. */
export function sourcesHash(): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(SETTINGS));
  h.update(readFileSync(join(NODE_MODULES, 'solc', 'package.json')));
  for (const file of listSources(SRC_DIR)) {
    h.update(unitName(file));
    h.update('\0');
    h.update(readFileSync(file));
    h.update('\0');
  }
  return h.digest('hex');
}

/** True when out/ holds artifacts built from the current sources. */
export function isBuildCurrent(): boolean {
  return existsSync(STAMP_FILE) && readFileSync(STAMP_FILE, 'utf8') === sourcesHash();
}

/** Import callback: `@openzeppelin/...` from contracts/node_modules, anything else relative to contracts/. */
function findImport(path: string): { contents: string } | { error: string } {
  const candidates = path.startsWith('@') ? [join(NODE_MODULES, path)] : [join(CONTRACTS_DIR, path), join(NODE_MODULES, path)];
  for (const candidate of candidates) {
    if (existsSync(candidate)) return { contents: readFileSync(candidate, 'utf8') };
  }
  return { error: `File not found: ${path}` };
}

/** Writes `data` to `file` atomically (temp file + rename), so a concurrent reader never sees half a file. */
function writeAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** Compiles all sources and writes the artifacts; returns the contract names written. */
export function build(): string[] {
  // solc-js is heavy to load; only load it when compiling.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only when compiling (see above); an import would load it always
  const solc = require('solc') as { compile(input: string, opts: { import: typeof findImport }): string }; // untyped package
  const hash = sourcesHash();
  const sources: Record<string, { content: string }> = {};
  for (const file of listSources(SRC_DIR)) sources[unitName(file)] = { content: readFileSync(file, 'utf8') };
  const input = { language: 'Solidity', sources, settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport })) as SolcOutput; // solc's standard JSON output
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new SolidityCompileError(errors.map((e) => e.formattedMessage));
  for (const w of output.errors ?? []) if (w.severity === 'warning') process.stderr.write(w.formattedMessage + '\n');

  mkdirSync(OUT_DIR, { recursive: true });
  const written = new Map<string, string>();
  for (const [unit, contracts] of Object.entries(output.contracts ?? {})) {
    if (!unit.startsWith('src/')) continue; // dependencies (OpenZeppelin) are not artifacts of ours
    for (const [name, c] of Object.entries(contracts)) {
      const previous = written.get(name);
      if (previous !== undefined) throw new SolidityCompileError([`Contract name ${name} is defined in both ${previous} and ${unit}`]);
      written.set(name, unit);
      const artifact: Artifact = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}`, deployedBytecode: `0x${c.evm.deployedBytecode.object}` };
      writeAtomic(join(OUT_DIR, `${name}.json`), JSON.stringify(artifact, null, 2) + '\n');
    }
  }
  writeAtomic(STAMP_FILE, hash);
  return [...written.keys()].sort();
}

if (require.main === module) {
  const started = Date.now();
  // solc-js compiles in one synchronous call (≈25 s on 2 cores): say so before it starts rather than sit silent.
  process.stdout.write('compiling the contracts with solc-js (≈25 s; one synchronous call, no output until it ends)…\n');
  try {
    const names = build();
    process.stdout.write(`compiled ${names.length} contracts into ${relative(process.cwd(), OUT_DIR) || '.'} in ${Date.now() - started} ms\n`);
  } catch (e: unknown) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
