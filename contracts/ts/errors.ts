/** Base of every error thrown by @ccr/contracts. */
export abstract class ContractsError extends Error {
  abstract override readonly name: string;
  readonly shortMessage: string;
  readonly details: Record<string, unknown>;
  constructor(shortMessage: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(`${shortMessage}${Object.keys(details).length > 0 ? `\n${JSON.stringify(details)}` : ''}`, options);
    this.shortMessage = shortMessage;
    this.details = details;
  }
}

/** contracts/out/<name>.json is missing or unreadable. */
export class ArtifactNotFoundError extends ContractsError {
  override readonly name = 'ArtifactNotFoundError' as const;
  constructor({ name, path, cause }: { name: string; path: string; cause?: unknown }) {
    super(`Artifact ${name} not found at ${path}: run \`cd contracts && pnpm build\` (or \`npx tsx contracts/scripts/build.ts\`)`, { name, path }, { cause });
  }
}

/** anvil did not start or did not answer in time. */
export class AnvilStartError extends ContractsError {
  override readonly name = 'AnvilStartError' as const;
  constructor({ reason, binary, port, output }: { reason: string; binary: string; port: number; output: string }) {
    super(`anvil failed to start: ${reason}`, { binary, port, output });
  }
}
