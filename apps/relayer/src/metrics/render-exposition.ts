/**
 * Prometheus text exposition format 0.0.4, hand-written (no client library): `# HELP`, `# TYPE`, then one line per
 * sample `name{label="value",…} value`. Label values escape `\`, `"` and newlines; HELP text escapes `\` and newlines.
 */
import { RelayerError } from '../common/relayer-error';

export type Labels = Readonly<Record<string, string | number>>;

export type Sample = { labels: Labels; value: number | bigint | string; suffix?: string | undefined };

export type MetricFamily = {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  samples: readonly Sample[];
};

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class InvalidMetricNameError extends RelayerError {
  override readonly name = 'InvalidMetricNameError' as const;
  constructor(readonly what: 'metric' | 'label', readonly given: string) {
    super(`invalid ${what} name ${JSON.stringify(given)}`, { details: { what, given } });
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A number as Prometheus reads it: integers exactly, non-finite as +Inf/-Inf/NaN; decimal strings pass through. */
export function formatValue(value: number | bigint | string): string {
  if (typeof value === 'bigint' || typeof value === 'string') return value.toString();
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries
    .map(([k, v]) => {
      if (!LABEL_RE.test(k)) throw new InvalidMetricNameError('label', k);
      return `${k}="${escapeLabel(String(v))}"`;
    })
    .join(',')}}`;
}

export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    if (!NAME_RE.test(f.name)) throw new InvalidMetricNameError('metric', f.name);
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`);
    lines.push(`# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) lines.push(`${f.name}${s.suffix ?? ''}${formatLabels(s.labels)} ${formatValue(s.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** 18-decimal fixed point → exact decimal text (`1234.5`), for USD values (no float on the way). */
export function fixed18ToDecimal(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / 10n ** 18n;
  const fraction = (abs % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}
