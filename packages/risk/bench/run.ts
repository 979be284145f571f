/**
 * `pnpm bench:risk`: the risk package's benchmarks, one table. Not a test: figures depend on the machine.
 * Valuation and VaR are here; the portfolio-margin bench (bench/margin.ts) prints its own table when present.
 */
import { run as runValuation, type BenchRow } from './valuation';
import { run as runVar } from './var';

function printTable(rows: readonly BenchRow[]): void {
  const header: BenchRow = { bench: 'bench', metric: 'what', value: 'figure' };
  const widths = (['bench', 'metric'] as const).map((k) => Math.max(...[header, ...rows].map((r) => r[k].length)));
  const line = (r: BenchRow) => `${r.bench.padEnd(widths[0]!)}  ${r.metric.padEnd(widths[1]!)}  ${r.value}`;
  console.log(line(header));
  console.log('-'.repeat(line(header).length + 40));
  for (const r of rows) console.log(line(r));
}

console.log(`node ${process.version}, ${process.platform}/${process.arch}\n`);
printTable([...runValuation(), ...runVar()]);

// The margin bench is another engineer's file; run it when it exists.
let runMargin: (() => void) | undefined;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- bench/margin.ts may be absent: a static import of it would not compile, a require in a try is skipped
  runMargin = (require('./margin') as { run?: () => void }).run; // module shape is bench/margin.ts's contract: run(): void
} catch (e) {
  if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND') throw e; // only a missing file is expected
  console.log('\n(margin bench: bench/margin.ts not present yet)');
}
if (runMargin !== undefined) {
  console.log('');
  runMargin();
}
