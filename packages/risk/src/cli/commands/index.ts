import type { CliCommand } from '../command';
import { command as health } from './health';
import { command as margin } from './margin';
import { command as stress } from './stress';
import { command as value } from './value';

/** The commands `risk` dispatches to, by name. */
export type CommandRegistry = {
  readonly commands: ReadonlyMap<string, CliCommand>;
  /** Commands listed by `--help` but not runnable, with the reason (empty unless a caller injects some). */
  readonly unavailable: ReadonlyMap<string, string>;
};

export const COMMANDS: readonly CliCommand[] = [margin, value, health, stress];

export function loadCommands(): CommandRegistry {
  return { commands: new Map(COMMANDS.map((c) => [c.name, c])), unavailable: new Map() };
}
