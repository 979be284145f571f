import type { Command } from 'commander';
import type { DepositDetailView, DepositView, TransitionView } from '../api/deposit-view';
import { DepositState, HeldReason } from '../store/deposit-state';
import { type ApiOptions, apiClient, printJson, withApiOptions } from './api-client';
import { guidArg, intArg, oneOf } from './args';
import { address, ago, fields, short, table, units } from './format';
import type { CliIo } from './io';

type ListOptions = ApiOptions & { state?: DepositState; account?: string; srcEid?: number; reason?: HeldReason; limit?: number; cursor?: string };

/** `relayer deposits list [--state S] [--account A] [--limit N]` and `relayer deposits show <guid>` (GET /deposits, /deposits/:guid). */
export function registerDeposits(program: Command, io: CliIo): void {
  const deposits = program.command('deposits').description('deposits: list | show <guid>');
  withApiOptions(
    deposits
      .command('list')
      .description('deposits, newest first (GET /deposits)')
      .option('--state <state>', 'only this state (OBSERVED, FINAL, VALUED, HELD, FAILED, CREDITED, …)', oneOf(Object.values(DepositState)))
      .option('--account <account>', 'only this account (EVM address or bytes32)')
      .option('--src-eid <eid>', 'only from this source chain', intArg(0, 0xffff_ffff))
      .option('--reason <reason>', 'only with this reason (stale-price, unsupported-asset, …)', oneOf(Object.values(HeldReason)))
      .option('--limit <n>', 'at most this many (1–1000, default 100)', intArg(1, 1000))
      .option('--cursor <cursor>', 'the next page: the cursor a previous list printed'),
  ).action(async (opts: ListOptions) => {
    const query = new URLSearchParams();
    if (opts.state !== undefined) query.set('state', opts.state);
    if (opts.account !== undefined) query.set('account', opts.account);
    if (opts.srcEid !== undefined) query.set('srcEid', String(opts.srcEid));
    if (opts.reason !== undefined) query.set('reason', opts.reason);
    if (opts.limit !== undefined) query.set('limit', String(opts.limit));
    if (opts.cursor !== undefined) query.set('cursor', opts.cursor);
    const q = query.toString();
    const { body, headers } = await (await apiClient(opts, io)).get<DepositView[]>(`/deposits${q === '' ? '' : `?${q}`}`);
    // X-Next-Cursor: more pages (on stderr with --json, so that stdout stays the API's answer).
    const next = headers.get('x-next-cursor');
    const more = next === null ? '' : `next page: --cursor ${next}\n`;
    if (opts.json === true) {
      printJson(io, body);
      return io.stderr(more);
    }
    io.stdout(`${depositTable(body)}${more}`);
  });
  withApiOptions(deposits.command('show').description('one deposit: state, reason, valuation, tx hashes, finality, history (GET /deposits/:guid)').argument('<guid>', 'the deposit GUID', guidArg)).action(
    async (guid: string, opts: ApiOptions) => {
      const { body } = await (await apiClient(opts, io)).get<DepositDetailView>(`/deposits/${guid}`);
      if (opts.json === true) return printJson(io, body);
      io.stdout(depositDetail(body));
    },
  );
}

export function depositTable(rows: readonly DepositView[]): string {
  return table(
    ['GUID', 'STATE', 'REASON', 'SRC', 'NONCE', 'AMOUNT', 'ASSET', 'ACCOUNT', 'UPDATED'],
    rows.map((d) => [d.guid, d.state, d.reason, d.srcEid, d.nonce, units(d.amount, d.assetDecimals), d.symbol ?? short(d.token), short(d.account), ago(d.updatedAt)]),
  );
}

export function depositDetail(d: DepositDetailView): string {
  return `deposit ${d.guid}\n${fields([
    ['state', d.state],
    ['reason', d.reason === null ? null : `${d.reason}${d.reasonDetail === null ? '' : ` — ${d.reasonDetail}`}`],
    ['blocked by', d.blockedBy],
    ['pathway', `${d.srcEid} → ${d.dstEid}, vault ${address(d.srcVault)}, nonce ${d.nonce}`],
    ['amount', `${units(d.amount, d.assetDecimals) ?? d.amount} ${d.symbol ?? address(d.token)}`],
    ['token', address(d.token)],
    ['depositor', address(d.depositor)],
    ['account', address(d.account)],
    ['lock tx', `${d.txHash} (block ${d.blockNumber}, log ${d.logIndex})`],
    ['confirmations', d.confirmations === null ? null : `${d.confirmations}${d.blocksToFinality === null || d.blocksToFinality === 0 ? '' : `, ${d.blocksToFinality} block(s) to finality`}`],
    ['price', d.price === null ? null : `${units(d.price, 18)} USD (at ${d.priceTimestamp === null ? '?' : new Date(d.priceTimestamp * 1000).toISOString()})`],
    ['haircut value', d.haircutValue === null ? null : `${units(d.haircutValue, 18)} USD (haircut ${units(d.haircut, 18)}, size weight ${units(d.sizeWeight, 18)})`],
    ['batch', d.batchId],
    ['credit tx', d.creditTxHash],
    ['attempts', `${d.attempts}${d.nextAttemptAt === null ? '' : `, next ${d.nextAttemptAt} (${ago(d.nextAttemptAt)})`}`],
    ['created', d.createdAt],
    ['updated', d.updatedAt],
    ['credited', d.creditedAt],
  ])}history\n${historyTable(d.history)}`;
}

export function historyTable(history: readonly TransitionView[]): string {
  return table(
    ['AT', 'FROM', 'TO', 'REASON'],
    history.map((t) => [t.at, t.from, t.to, t.reason]),
  );
}
