import { type Command, Option } from 'commander';
import type { ResumeResult } from '../solvency/solvency.service';
import { DepositState, HeldReason } from '../store/deposit-state';
import { type ApiOptions, apiClient, printJson, TOKEN_ENV, withApiOptions } from './api-client';
import { guidArg, intArg, oneOf } from './args';
import { table } from './format';
import { CliError, EXIT, type CliIo } from './io';

type Moved = { guid: string; from: string; to: string };
type RetryOptions = ApiOptions & { state?: DepositState; reason?: HeldReason; srcEid?: number };
const VOID_REASONS = ['unsupported-asset', 'invalid-deposit', 'operator'] as const;
const ADMIN_NOTE = `\nThe admin token (api.adminToken) is read from --token-file <path>, else from the environment variable ${TOKEN_ENV}.\n`;

/** The operator's commands (bearer token): `retry`, `void`, `resume-chain`. */
export function registerAdmin(program: Command, io: CliIo): void {
  withApiOptions(
    program
      .command('retry')
      .summary('retry HELD/FAILED deposits, by GUID or by filter (admin)')
      .description('Retry a HELD deposit now, or give a FAILED one a fresh schedule (one GUID: POST /admin/deposits/:guid/retry). With filters or several GUIDs: every HELD/FAILED deposit matching all of them (POST /admin/deposits/retry).')
      .argument('[guids...]', 'deposit GUID(s)', (v: string, previous: string[] | undefined) => [...(previous ?? []), guidArg(v)])
      .addOption(new Option('--state <state>', 'filter: HELD or FAILED').choices([DepositState.HELD, DepositState.FAILED]))
      .option('--reason <reason>', 'filter: the HELD/FAILED reason (stale-price, rpc-error, … as GET /deposits shows it)', oneOf(Object.values(HeldReason)))
      .option('--src-eid <eid>', 'filter: the source chain', intArg(0, 0xffff_ffff))
      .addHelpText('after', ADMIN_NOTE),
    true,
  ).action(async (guids: string[], opts: RetryOptions) => {
    const filtered = opts.state !== undefined || opts.reason !== undefined || opts.srcEid !== undefined;
    if (guids.length === 0 && !filtered) throw new CliError('error: give a deposit GUID, or at least one of --state, --reason, --src-eid', EXIT.usage);
    const api = await apiClient(opts, io);
    if (guids.length === 1 && !filtered) {
      const { body } = await api.post<Moved>(`/admin/deposits/${guids[0]!}/retry`, {});
      if (opts.json === true) return printJson(io, body);
      return io.stdout(`retried ${body.guid}: ${body.from} → ${body.to} (attempted again at once)\n`);
    }
    const filter = { state: opts.state, reason: opts.reason, srcEid: opts.srcEid, guids: guids.length === 0 ? undefined : guids };
    const { body } = await api.post<{ matched: number; retried: number; guids: string[] }>('/admin/deposits/retry', filter);
    if (opts.json === true) return printJson(io, body);
    io.stdout(`matched ${body.matched}, retried ${body.retried}\n${body.guids.map((g) => `  ${g}\n`).join('')}`);
  });

  withApiOptions(
    program
      .command('void')
      .summary('VOID a deposit that can never be credited (admin)')
      .description('VOID a deposit that can never be credited (FINAL, VALUED, HELD or FAILED): a VOID is posted at its nonce instead of its CREDIT and the collateral refunded to the depositor (POST /admin/deposits/:guid/void).')
      .argument('<guid>', 'the deposit GUID', guidArg)
      .addOption(new Option('--reason <reason>', 'why (the VOID reason code)').choices(VOID_REASONS).makeOptionMandatory())
      .addHelpText('after', ADMIN_NOTE),
    true,
  ).action(async (guid: string, opts: ApiOptions & { reason: (typeof VOID_REASONS)[number] }) => {
    const { body } = await (await apiClient(opts, io)).post<Moved>(`/admin/deposits/${guid}/void`, { reason: opts.reason });
    if (opts.json === true) return printJson(io, body);
    io.stdout(`voided ${body.guid}: ${body.from} → ${body.to} (a VOID is posted at its nonce; the collateral goes back to the depositor: relayer withdrawals list)\n`);
  });

  withApiOptions(
    program
      .command('resume-chain')
      .summary('resume a halted source chain (admin)')
      .description('Resume the credits of a source chain that the solvency job or a finality violation halted (POST /admin/pathways/:srcEid/resume).')
      .argument('<srcEid>', 'the source chain', intArg(0, 0xffff_ffff))
      .option('--operator <name>', 'who resumes it (recorded with the halt; default "admin")')
      .addHelpText('after', ADMIN_NOTE),
    true,
  ).action(async (srcEid: number, opts: ApiOptions & { operator?: string }) => {
    const { body } = await (await apiClient(opts, io)).post<ResumeResult>(`/admin/pathways/${srcEid}/resume`, opts.operator === undefined ? {} : { operator: opts.operator });
    if (opts.json === true) return printJson(io, body);
    io.stdout(
      `resumed pathway ${body.srcEid} at ${body.resumedAt} by ${body.resumedBy}: ${body.resumed.length} halt(s) cleared\n` +
        (body.resumed.length === 0 ? '' : table(['CAUSE', 'VAULT', 'ASSET', 'DISCREPANCY', 'HALTED AT'], body.resumed.map((h) => [h.cause, h.vault, h.asset, h.discrepancy, h.haltedAt]))),
    );
  });
}
