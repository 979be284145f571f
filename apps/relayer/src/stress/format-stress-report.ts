import { divRound, formatDecimal } from '@ccr/risk';
import type { StressReport } from './stress-report';

/** USD 18 decimals → 2 decimals, rounded as asked (values down, shortfalls and requirements up). */
function usd(value: string, rounding: 'down' | 'up'): string {
  return formatDecimal(divRound(BigInt(value), 10n ** 16n, rounding), 2, 2);
}

const short = (bytes32: string): string => (/^0x0{24}/.test(bytes32) ? `0x${bytes32.slice(26)}` : bytes32);

/** Columns padded to their widest cell; numbers (the columns in `right`) right-aligned. */
function table(rows: readonly (readonly string[])[], right: readonly number[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (right.includes(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n');
}

/** The report as text: the marks used, each account before → after, who falls below maintenance, totals (USD, 2 dp). */
export function formatStressReport(r: StressReport): string {
  const lines: string[] = [];
  lines.push(`stress ${r.scenario.name} (${r.scenario.kind}) at block ${r.block.number} (${new Date(r.block.timestamp * 1000).toISOString()})`, '');
  lines.push(
    table(
      [
        ['asset', 'srcEid', 'price', 'after', 'haircut', 'age s', 'stale'],
        ...r.marks.map((m) => [
          m.symbol,
          String(m.srcEid),
          formatDecimal(BigInt(m.price), 18, 2),
          m.refused ? 'refused' : formatDecimal(BigInt(m.priceAfter), 18, 2),
          formatDecimal(BigInt(m.haircut), 18, 2),
          m.ageSeconds === null ? '-' : String(m.ageSeconds),
          m.stale ? 'yes' : 'no',
        ]),
      ],
      [2, 3, 4, 5],
    ),
    '',
  );
  lines.push(
    table(
      [
        ['account', 'before', 'after', 'delta', 'maintenance', 'below', 'shortfall'],
        ...r.accounts.map((a) => [
          short(a.account) + (a.staleAfter ? ' (stale)' : ''),
          usd(a.valueBefore, 'down'),
          usd(a.valueAfter, 'down'),
          usd(a.delta, 'down'),
          a.maintenance === null ? '-' : usd(a.maintenance, 'up'),
          a.belowMaintenance === null ? '-' : a.belowMaintenance ? 'BELOW' : 'ok',
          a.shortfall === null ? '-' : usd(a.shortfall, 'up'),
        ]),
      ],
      [1, 2, 3, 4, 6],
    ),
    '',
  );
  const t = r.totals;
  lines.push(
    `${t.accounts} account(s): ${usd(t.valueBefore, 'down')} → ${usd(t.valueAfter, 'down')} USD (${usd(t.delta, 'down')}); ` +
      `${t.belowMaintenance} of ${t.withRequirement} with a requirement below maintenance (${t.newlyBelowMaintenance} newly), shortfall ${usd(t.shortfall, 'up')} USD` +
      (t.staleAfter > 0 ? `; ${t.staleAfter} stale` : '') +
      (t.onChainMismatches > 0 ? `; ${t.onChainMismatches} NOT MATCHING THE RECEIVER` : ''),
  );
  return `${lines.join('\n')}\n`;
}
