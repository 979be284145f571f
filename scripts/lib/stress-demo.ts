/** The demo's stress step (docs/stress.md): named scenarios for the devnet's assets, and POST /risk/stress once marks exist. */
import { formatStressReport } from '../../apps/relayer/src/stress/format-stress-report';
import type { StressReport } from '../../apps/relayer/src/stress/stress-report';
import { waitFor } from './wait';

/** The relayer config's `stress` block for the devnet (USDC and WETH on every source chain). */
export const DEMO_STRESS = {
  scenarios: {
    'usdc-depeg': { kind: 'stablecoin-depeg', asset: 'USDC', price: '0.90' },
    'eth-crash': { kind: 'spot-shock', shocks: [{ asset: 'WETH', shock: '-0.40' }] },
    'weth-oracle-down': { kind: 'oracle-failure', asset: 'WETH', mode: 'refused' },
  },
};

/**
 * POST /risk/stress `{ scenario, requirements }` once every registered asset has a mark on the receiver (the marker
 * posts them); the report and its text form (the CLI's table).
 */
export async function demoStress(api: string, scenario: string, requirements: Record<string, string>, timeoutMs = 30_000): Promise<{ report: StressReport; text: string }> {
  const report = await waitFor(
    'a mark for every asset on the receiver',
    async () => {
      const res = await fetch(`${api}/risk/stress`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario, requirements }) });
      if (res.status !== 200) throw new Error(`POST /risk/stress: HTTP ${res.status} ${await res.text()}`);
      const r = (await res.json()) as StressReport; // the API's report
      return r.marks.length > 0 && r.marks.every((m) => m.ageSeconds !== null && !m.stale) ? r : undefined;
    },
    timeoutMs,
    250,
  );
  return { report, text: formatStressReport(report) };
}
