/**
 * A CLI command: JSON in (already parsed), JSON out. Input problems throw a RiskError whose `field` names the
 * JSON path (e.g. `portfolio.options[2].strike`); main.ts turns that into exit code 2 and a JSON error on stderr.
 */
export type CliCommand = {
  readonly name: string;
  readonly description: string;
  run(input: unknown): unknown;
};
