import type { Command } from 'commander';
import type { MessageLegView, WithdrawalView } from '../api/withdrawal-view';
import { type ApiOptions, apiClient, printJson, withApiOptions } from './api-client';
import { guidArg, intArg } from './args';
import { address, ago, fields, short, table } from './format';
import type { CliIo } from './io';
import { historyTable } from './deposits';

/** `relayer withdrawals list [--account A] [--limit N]` and `relayer withdrawals show <guid>` (GET /withdrawals, /withdrawals/:guid). */
export function registerWithdrawals(program: Command, io: CliIo): void {
  const withdrawals = program.command('withdrawals').description('withdrawals and refunds: list | show <guid>');
  withApiOptions(
    withdrawals
      .command('list')
      .description('withdrawals and refunds of voided deposits, newest first (GET /withdrawals)')
      .option('--account <account>', 'only this account (EVM address or bytes32)')
      .option('--limit <n>', 'at most this many (1–1000, default 100)', intArg(1, 1000)),
  ).action(async (opts: ApiOptions & { account?: string; limit?: number }) => {
    const query = new URLSearchParams();
    if (opts.account !== undefined) query.set('account', opts.account);
    if (opts.limit !== undefined) query.set('limit', String(opts.limit));
    const q = query.toString();
    const { body } = await (await apiClient(opts, io)).get<WithdrawalView[]>(`/withdrawals${q === '' ? '' : `?${q}`}`);
    if (opts.json === true) return printJson(io, body);
    io.stdout(
      table(
        ['GUID', 'OUTCOME', 'VAULT EID', 'AMOUNT (RAW)', 'TOKEN', 'ACCOUNT', 'RECIPIENT', 'REFUND OF', 'REQUESTED'],
        body.map((w) => [w.guid, w.outcome, w.vaultEid, w.amount, short(w.token), short(w.account), short(w.recipient), w.voidedNonce === null ? null : `nonce ${w.voidedNonce}`, ago(w.request.history[0]?.at)]),
      ),
    );
  });
  withApiOptions(withdrawals.command('show').description('one withdrawal: outcome, amount, recipient, and its WITHDRAWAL and RELEASE_RESULT messages (GET /withdrawals/:guid)').argument('<guid>', 'the withdrawal GUID', guidArg)).action(
    async (guid: string, opts: ApiOptions) => {
      const { body } = await (await apiClient(opts, io)).get<WithdrawalView>(`/withdrawals/${guid}`);
      if (opts.json === true) return printJson(io, body);
      io.stdout(
        `withdrawal ${body.guid}${body.voidedNonce === null ? '' : ` (refund of the voided deposit at nonce ${body.voidedNonce})`}\n` +
          fields([
            ['outcome', body.outcome],
            ['amount', `${body.amount} (base units) of ${address(body.token)}`],
            ['account', address(body.account)],
            ['recipient', address(body.recipient)],
            ['vault', `${address(body.vault)} (eid ${body.vaultEid})`],
            ['release status', body.releaseStatus === null ? null : body.releaseStatus === '1' ? 'released' : 'failed'],
          ]) +
          leg('request (WITHDRAWAL → vault)', body.request) +
          (body.result === null ? 'result (RELEASE_RESULT → receiver): not yet\n' : leg('result (RELEASE_RESULT → receiver)', body.result)),
      );
    },
  );
}

function leg(title: string, m: MessageLegView): string {
  return `${title}\n${fields([
    ['guid', m.guid],
    ['state', m.reason === null ? m.state : `${m.state} (${m.reason}${m.reasonDetail === null ? '' : ` — ${m.reasonDetail}`})`],
    ['pathway', `${m.srcEid} → ${m.dstEid}, nonce ${m.nonce}`],
    ['emitted in', `${m.txHash} (block ${m.blockNumber})`],
    ['delivered in', m.deliveryTxHash],
    ['batch', m.batchId],
    ['attempts', m.attempts],
  ])}${historyTable(m.history)}`;
}
