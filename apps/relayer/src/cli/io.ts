/**
 * Where a command writes and what it reads of the environment (main.ts passes the process's; tests may pass their own).
 * The writers are plain functions (handed on unbound, e.g. to commander's configureOutput), not methods.
 */
export type CliIo = {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
};

/** Exit codes of every command: 0 ok; 1 a failure (a check failed, the API refused, a chain or the API unreachable); 2 bad usage. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A command failed in a way it already explained: `message` is printed to stderr as `relayer: <message>`, then exit `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

/** A command already printed what it had to say and exits with this code (a failed check-config, the stress report's code). */
export class CliExit extends Error {
  override readonly name = 'CliExit';
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
