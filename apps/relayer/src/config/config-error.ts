import { RelayerError } from '../common/relayer-error';

export type ConfigIssue = { path: string; message: string };

/** The configuration is unreadable or invalid. `message` lists every issue as `config error: <path>: <why>`. */
export class ConfigError extends RelayerError {
  override readonly name = 'ConfigError' as const;
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], cause?: unknown) {
    super(issues.map((i) => `config error: ${i.path === '' ? '(root)' : i.path}: ${i.message}`).join('\n'), {
      details: { issues },
      cause,
    });
    this.issues = issues;
  }
}

/** ['chains', 0, 'rpcUrl'] → `chains[0].rpcUrl`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc === '' ? part : `${acc}.${part}`), '');
}
