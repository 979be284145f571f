import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiService } from './api.service';
import { parseQuery } from './parse-query';
import { accountBytes32, accountParam, guidParam } from './params';
import { WithdrawalView } from './withdrawal-view';

const listQuery = z
  .object({
    account: accountParam.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

@ApiTags('withdrawals')
@Controller('withdrawals')
export class WithdrawalsController {
  constructor(private readonly api: ApiService) {}

  /** One withdrawal (or refund of a voided deposit): its outcome, both messages with state, reason, history and tx hashes on both chains. */
  @Get(':guid')
  @ApiOkResponse({ type: WithdrawalView })
  get(@Param('guid') guid: string): Promise<WithdrawalView> {
    return this.api.withdrawal(parseQuery(guidParam, guid, 'guid'));
  }

  @Get()
  @ApiQuery({ name: 'account', required: false, description: 'EVM address or bytes32' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiOkResponse({ type: [WithdrawalView] })
  list(@Query() query: Record<string, unknown>): Promise<WithdrawalView[]> {
    const q = parseQuery(listQuery, query, 'query');
    const account = accountBytes32(q.account);
    return this.api.withdrawals({ account, limit: q.limit });
  }
}
