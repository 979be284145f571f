/**
 * GET /ui: the operator's read-only status page — one HTML file, no build step, no framework; it reads the same API
 * (GET /health, /in-flight, /deposits, /withdrawals, /solvency, /marks) every 2 s and renders plain tables: chains
 * (head, finality bound, lag, halted), in flight both ways with USD, held messages with their reasons and next retry,
 * recent deposits linking to their history, solvency per pathway, marks and their age. Text only goes in through
 * `textContent` (never innerHTML), so nothing the chains say can become markup.
 */
export const UI_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Relayer status</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; }
  h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
  h2 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #ddd; font-variant-numeric: tabular-nums; white-space: nowrap; }
  th { background: #f4f4f4; }
  .bad { color: #b00020; font-weight: 600; } .ok { color: #1b7a1b; font-weight: 600; }
  #status { margin-bottom: .5rem; } code { font-size: 12px; }
</style>
</head>
<body>
<h1>Cross-chain collateral relayer</h1>
<div id="status">loading…</div>
<div id="problems"></div>
<h2>Chains</h2><table id="chains"></table>
<h2>In flight</h2><div id="inflight-summary"></div><table id="inflight"></table>
<h2>Held</h2><table id="held"></table>
<h2>Recent deposits</h2><table id="deposits"></table>
<h2>Withdrawals</h2><table id="withdrawals"></table>
<h2>Solvency</h2><table id="solvency"></table>
<h2>Marks</h2><table id="marks"></table>
<script>
const usd = (v) => v === null || v === undefined ? '' : '$' + (Number(BigInt(v) / 10n ** 14n) / 10000).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const short = (h) => typeof h === 'string' && h.length > 20 ? h.slice(0, 10) + '…' + h.slice(-6) : (h ?? '');
function table(id, head, rows) {
  const t = document.getElementById(id);
  t.replaceChildren();
  const tr = document.createElement('tr');
  for (const h of head) { const th = document.createElement('th'); th.textContent = h; tr.append(th); }
  t.append(tr);
  if (rows.length === 0) { const r = document.createElement('tr'); const td = document.createElement('td'); td.colSpan = head.length; td.textContent = 'none'; r.append(td); t.append(r); return; }
  for (const row of rows) {
    const r = document.createElement('tr');
    for (const cell of row) {
      const td = document.createElement('td');
      if (cell && typeof cell === 'object' && 'href' in cell) { const a = document.createElement('a'); a.href = cell.href; a.textContent = cell.text; td.append(a); }
      else if (cell && typeof cell === 'object' && 'cls' in cell) { td.textContent = cell.text; td.className = cell.cls; }
      else td.textContent = cell === null || cell === undefined ? '' : String(cell);
      r.append(td);
    }
    t.append(r);
  }
}
async function get(path) { const r = await fetch(path); return r.json(); }
async function refresh() {
  try {
    const [health, inflight, deposits, withdrawals, solvency, marks] = await Promise.all(['health', 'in-flight', 'deposits?limit=30', 'withdrawals?limit=20', 'solvency', 'marks'].map((p) => get(p).catch(() => null)));
    const st = document.getElementById('status');
    st.textContent = (health && health.ok ? 'READY' : 'NOT READY') + ' · updated ' + new Date().toLocaleTimeString();
    st.className = health && health.ok ? 'ok' : 'bad';
    const pr = document.getElementById('problems');
    pr.replaceChildren(...((health && health.problems) || []).map((p) => { const d = document.createElement('div'); d.className = 'bad'; d.textContent = p.kind + ': ' + p.detail; return d; }));
    const halted = new Set(((health && health.halted) || []).map((h) => h.srcEid));
    table('chains', ['chain', 'eid', 'role', 'head', 'finality bound', 'final cursor', 'lag', 'state'], ((health && health.chains) || []).map((c) => [c.name, c.eid, c.role, c.head, c.finalized, c.cursor, c.lag, c.error ? { text: c.error, cls: 'bad' } : halted.has(c.eid) ? { text: 'HALTED', cls: 'bad' } : { text: 'ok', cls: 'ok' }]));
    document.getElementById('inflight-summary').textContent = inflight ? inflight.count + ' message(s), ' + usd(inflight.haircutValueUsd) + ' haircut value' + (inflight.oldestAgeSeconds === null ? '' : ', oldest ' + inflight.oldestAgeSeconds + ' s') : '';
    table('inflight', ['kind', 'direction', 'from', 'to', 'asset', 'state', 'count', 'raw amount', 'USD (haircut)'], ((inflight && inflight.totals) || []).map((g) => [g.kind, g.direction, g.srcEid, g.dstEid, g.symbol ?? short(g.token), g.state, g.count, g.rawAmount, usd(g.haircutValueUsd)]));
    const held = (deposits || []).filter((d) => d.state === 'HELD' || d.state === 'FAILED');
    table('held', ['deposit', 'state', 'reason', 'detail', 'attempts', 'next retry'], held.map((d) => [{ href: 'deposits/' + d.guid, text: short(d.guid) }, d.state, d.reason, d.reasonDetail, d.attempts, d.nextAttemptAt]));
    table('deposits', ['deposit', 'from', 'nonce', 'asset', 'amount', 'state', 'reason', 'haircut value', 'credit tx'], (deposits || []).map((d) => [{ href: 'deposits/' + d.guid, text: short(d.guid) }, d.srcEid, d.nonce, d.symbol ?? short(d.token), d.amountDecimal ?? d.amount, d.state, d.reason, usd(d.haircutValue), short(d.creditTxHash)]));
    table('withdrawals', ['withdrawal', 'to', 'amount', 'outcome', 'request', 'result'], (withdrawals || []).map((w) => [{ href: 'withdrawals/' + w.guid, text: short(w.guid) }, w.vaultEid, w.amount, w.outcome, w.request && w.request.state, w.result && w.result.state]));
    table('solvency', ['chain', 'asset', 'status', 'locked', 'credited', 'frozen', 'in flight in', 'in flight out', 'discrepancy'], ((solvency && solvency.checks) || []).map((c) => [c.chain, c.symbol, c.ok ? { text: 'holds', cls: 'ok' } : { text: c.status, cls: 'bad' }, c.terms && c.terms.totalLocked, c.terms && c.terms.credited, c.terms && c.terms.frozen, c.terms && c.terms.inFlightDeposits, c.terms && c.terms.inFlightReleases, c.terms && c.terms.discrepancy]));
    table('marks', ['asset', 'from', 'price (18 dec)', 'haircut', 'age (s)', 'nonce'], ((marks && marks.assets) || []).map((m) => [m.symbol, m.srcEid, m.onChain && m.onChain.price, m.onChain && m.onChain.haircut, m.onChain && m.onChain.ageSeconds, m.onChain && m.onChain.nonce]));
  } catch (e) {
    document.getElementById('status').textContent = 'cannot read the API: ' + e;
  }
}
refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
`;
